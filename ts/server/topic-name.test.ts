import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { findCollision, isInternalTopic, topicNameProblem, validateTopicName } from './topic-name.js';
import { newTopicId, parseTopicId, toKafkaBase64 } from './topic-id.js';

test('legal names', () => {
  for (const n of ['a', 'orders', 'Orders.v2', 'a_b-c.D9', '...', '__consumer_offsets', 'x'.repeat(249)]) {
    assert.is(topicNameProblem(n), null, n);
  }
});

test('illegal names with the reason', () => {
  const cases: Array<[string, RegExp]> = [
    ['', /empty/], ['.', /not allowed/], ['..', /not allowed/], ['x'.repeat(250), /250 characters.*maximum is 249/],
    ['a b', /contains " "/], ['a/b', /contains "\/"/], ['tópico', /contains "ó"/], ['a:b*c', /contains ":", "\*"/],
  ];
  for (const [n, re] of cases) {
    assert.match(topicNameProblem(n) ?? '', re, n);
    assert.throws(() => validateTopicName(n), (e: any) => e.errorCode === 17 && e.code === 'INVALID_TOPIC_EXCEPTION');
  }
});

test('collisions between . and _', () => {
  assert.is(findCollision('a.b', ['x', 'a_b']), 'a_b');
  assert.is(findCollision('a_b', ['a.b']), 'a.b');
  assert.is(findCollision('a_b', ['a_b']), null);
  assert.is(findCollision('ab', ['ab', 'a_b']), null);
  assert.is(findCollision('a.b_c', ['a_b.c']), 'a_b.c');
});

test('internal topics', () => {
  assert.ok(isInternalTopic('__consumer_offsets'));
  assert.ok(isInternalTopic('__transaction_state'));
  assert.not.ok(isInternalTopic('__other'));
});

test('topic ids: v4 uuids, Kafka base64 form round trip', () => {
  const id = newTopicId();
  assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  const b64 = toKafkaBase64(id);
  assert.is(b64.length, 22);
  assert.not.ok(b64.startsWith('-'));
  assert.is(parseTopicId(b64), id);
  assert.is(parseTopicId(id.toUpperCase()), id);
  assert.is(toKafkaBase64('00000000-0000-0000-0000-000000000001'), 'AAAAAAAAAAAAAAAAAAAAAQ');
  assert.is(parseTopicId('nope'), null);
});

test.run();
