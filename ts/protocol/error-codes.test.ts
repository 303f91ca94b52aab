import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ERROR_ROWS, ErrorCode, KafkaError, errorCodeOf, errorName, isRetriable } from './error-codes.js';

test('table covers -1..133 without gaps or duplicates', () => {
  assert.equal(ERROR_ROWS.map((r) => r[0]), Array.from({ length: 135 }, (_, i) => i - 1));
  assert.is(new Set(ERROR_ROWS.map((r) => r[1])).size, ERROR_ROWS.length);
});

test('well-known codes, names and retriability', () => {
  assert.is(ErrorCode.NOT_LEADER_OR_FOLLOWER, 6);
  assert.is(ErrorCode.UNSUPPORTED_VERSION, 35);
  assert.is(ErrorCode.CORRUPT_MESSAGE, 2);
  assert.is(ErrorCode.MESSAGE_TOO_LARGE, 10);
  assert.is(ErrorCode.NOT_ENOUGH_REPLICAS, 19);
  assert.is(ErrorCode.UNKNOWN_TOPIC_ID, 100);
  assert.is(errorName(3), 'UNKNOWN_TOPIC_OR_PARTITION');
  assert.is(errorName(9999), 'UNKNOWN_ERROR_CODE_9999');
  assert.ok(isRetriable(6));
  assert.ok(isRetriable(3));
  assert.not.ok(isRetriable(10));
  assert.not.ok(isRetriable(-1));
});

test('KafkaError and errorCodeOf', () => {
  const e = new KafkaError(6, 'partition 3 of orders is led by broker 2');
  assert.is(e.errorCode, 6);
  assert.is(e.code, 'NOT_LEADER_OR_FOLLOWER');
  assert.ok(e.retriable);
  assert.is(errorCodeOf(e), 6);
  assert.is(errorCodeOf(KafkaError.byName('INVALID_REQUIRED_ACKS')), 21);
  assert.is(errorCodeOf({ code: 'OFFSET_OUT_OF_RANGE', errorCode: 1 }), 1);
  assert.is(errorCodeOf(new Error('boom')), -1);
  assert.is(errorCodeOf(null), -1);
  assert.is(errorCodeOf({ errorCode: '3' }), -1);
});

test.run();
