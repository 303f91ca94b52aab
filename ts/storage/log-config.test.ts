import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DEFAULT_LOG_CONFIG, logConfigOf, logConfigToProps, parseLogConfig } from './log-config.js';

test('defaults are Kafka\'s', () => {
  assert.is(DEFAULT_LOG_CONFIG.segmentBytes, 1073741824);
  assert.is(DEFAULT_LOG_CONFIG.segmentMs, 604800000);
  assert.is(DEFAULT_LOG_CONFIG.retentionMs, 604800000);
  assert.is(DEFAULT_LOG_CONFIG.retentionBytes, -1);
  assert.is(DEFAULT_LOG_CONFIG.indexIntervalBytes, 4096);
  assert.is(DEFAULT_LOG_CONFIG.segmentIndexBytes, 10485760);
  assert.is(DEFAULT_LOG_CONFIG.maxMessageBytes, 1048588);
  assert.is(DEFAULT_LOG_CONFIG.cleanupPolicy, 'delete');
  assert.is(DEFAULT_LOG_CONFIG.minInsyncReplicas, 1);
  assert.is(DEFAULT_LOG_CONFIG.messageTimestampType, 'CreateTime');
});

test('parses Kafka names from string maps', () => {
  const c = parseLogConfig({ 'segment.bytes': '1048576', 'retention.ms': '-1', 'cleanup.policy': 'delete,compact', 'message.timestamp.type': 'LogAppendTime', 'flush.messages': '9223372036854775807', 'unclean.leader.election.enable': 'TRUE' });
  assert.is(c.segmentBytes, 1048576);
  assert.is(c.retentionMs, -1);
  assert.is(c.cleanupPolicy, 'compact,delete');
  assert.is(c.messageTimestampType, 'LogAppendTime');
  assert.is(c.flushMessages, Number.MAX_SAFE_INTEGER);
  assert.is(c.uncleanLeaderElectionEnable, true);
  assert.is(parseLogConfig(logConfigToProps(c)).segmentBytes, 1048576);
});

test('invalid configs name the key and the reason', () => {
  const bad: [Record<string, string>, string, string][] = [
    [{ 'segment.bytes': 'big' }, 'segment.bytes', 'not an integer'],
    [{ 'segment.bytes': '10' }, 'segment.bytes', 'below the minimum 14'],
    [{ 'retention.ms': '-2' }, 'retention.ms', 'below'],
    [{ 'cleanup.policy': 'keep' }, 'cleanup.policy', 'not one of'],
    [{ 'min.cleanable.dirty.ratio': '2' }, 'min.cleanable.dirty.ratio', '[0, 1]'],
    [{ 'segment.byte': '1' }, 'segment.byte', 'unknown topic config'],
  ];
  for (const [props, key, why] of bad) {
    try { parseLogConfig(props); assert.unreachable(key); } catch (e) {
      assert.is((e as { code: string }).code, 'INVALID_CONFIG');
      assert.is((e as { errorCode: number }).errorCode, 40);
      assert.match((e as Error).message, `config ${key}:`);
      assert.match((e as Error).message, why);
    }
  }
  assert.throws(() => logConfigOf({ segmentBytes: 1.5 }), /segment.bytes/);
});

test('an unknown key is named, with the closest topic config name when it looks like a typo', () => {
  const cases: [string, string][] = [
    ['retention.msx', "config retention.msx: unknown topic config; did you mean 'retention.ms'?"],
    ['segment.byte', "config segment.byte: unknown topic config; did you mean 'segment.bytes'?"],
    ['cleanup.polcy', "config cleanup.polcy: unknown topic config; did you mean 'cleanup.policy'?"],
    ['bogus', "config bogus: unknown topic config; topic configs are Kafka's topic-level names such as 'retention.ms', 'cleanup.policy', 'segment.bytes'"],
  ];
  for (const [key, message] of cases) {
    try { parseLogConfig({ [key]: '1' }); assert.unreachable(key); } catch (e) {
      assert.is((e as { code: string }).code, 'INVALID_CONFIG');
      assert.is((e as Error).message, message);
      assert.not.match((e as Error).message, 'LOG_CONFIG_KEYS');
    }
  }
});

test.run();
