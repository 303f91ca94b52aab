import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { InvalidArgumentError } from 'commander';
import { collectKeyValue, intAtLeast, parseSeparator } from './arg-parsers.js';
import { parseBootstrap } from './client-options.js';
import { formatTopicDescription, kafkaTopicId } from './topic-description.js';

function reason(fn: () => unknown): string {
  try { fn(); } catch (err) { assert.ok(err instanceof InvalidArgumentError); return (err as Error).message; }
  throw new Error('expected an InvalidArgumentError');
}

test('intAtLeast: integers at or above the bound; names the option otherwise', () => {
  assert.is(intAtLeast('partitions', 1)('12'), 12);
  assert.is(reason(() => intAtLeast('partitions', 1)('0')), 'partitions must be ≥ 1.');
  assert.is(reason(() => intAtLeast('partitions', 1)('1.5')), 'partitions must be an integer.');
  assert.is(reason(() => intAtLeast('offset', 0)('ten')), 'offset must be an integer.');
});

test('collectKeyValue keeps order, splits at the first =, allows empty values', () => {
  const c = collectKeyValue('--config');
  assert.equal(c('b=', c('a=x=y', [])), [['a', 'x=y'], ['b', '']]);
  assert.match(reason(() => c('novalue', [])), /--config must be key=value/);
  assert.match(reason(() => c('=v', [])), /--config must be key=value/);
});

test('parseSeparator understands \\t; parseBootstrap lists, IPv6 and bad ports', () => {
  assert.is(parseSeparator('\\t'), '\t');
  assert.is(parseSeparator('::'), '::');
  assert.equal(parseBootstrap('a:1,[::1]:9092'), [{ host: 'a', port: 1 }, { host: '::1', port: 9092 }]);
  assert.match(reason(() => parseBootstrap('localhost')), /'localhost' is not HOST:PORT/);
  assert.match(reason(() => parseBootstrap('h:70000')), /'h:70000' is not HOST:PORT/);
});

test('describe layout and Kafka topic ids', () => {
  assert.is(kafkaTopicId('00000000-0000-0000-0000-000000000001'), 'AAAAAAAAAAAAAAAAAAAAAQ');
  assert.is(kafkaTopicId('AAAAAAAAAAAAAAAAAAAAAQ'), 'AAAAAAAAAAAAAAAAAAAAAQ');
  const text = formatTopicDescription({
    name: 't', id: '00000000-0000-0000-0000-000000000001',
    partitions: [{ partition: 1, leader: -1, replicas: [1, 2], isr: [] }, { partition: 0, leader: 2, replicas: [2, 1], isr: [2, 1] }],
    configs: [['retention.ms', '5'], ['cleanup.policy', 'compact']],
  });
  assert.is(text, [
    'Topic: t\tTopicId: AAAAAAAAAAAAAAAAAAAAAQ\tPartitionCount: 2\tReplicationFactor: 2\tConfigs: cleanup.policy=compact,retention.ms=5',
    '\tTopic: t\tPartition: 0\tLeader: 2\tReplicas: 2,1\tIsr: 2,1',
    '\tTopic: t\tPartition: 1\tLeader: none\tReplicas: 1,2\tIsr: ',
    '',
  ].join('\n'));
});

test.run();
