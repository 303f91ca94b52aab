import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createLogger, formatLogLine, silentLogger } from './logger.js';

test('human format: one line per event, level filter, fields after the message', () => {
  const lines: string[] = [];
  const log = createLogger({ level: 'info', format: 'human', write: (l) => lines.push(l) });
  log.debug('hidden');
  log.info({ port: 9092, host: 'a b' }, 'listening');
  log.warn('careful');
  assert.is(lines.length, 2);
  assert.match(lines[0]!, /^\d\d:\d\d:\d\d\.\d{3} INFO  listening port=9092 host="a b"\n$/);
  assert.match(lines[1]!, /^\d\d:\d\d:\d\d\.\d{3} WARN  careful\n$/);
});

test('json format: pino records', () => {
  const lines: string[] = [];
  const log = createLogger({ level: 'debug', format: 'json', write: (l) => lines.push(l), bindings: { component: 'x' } });
  log.debug({ a: 1 }, 'm');
  assert.is(lines.length, 1);
  const rec = JSON.parse(lines[0]!) as Record<string, unknown>;
  assert.equal([rec.level, rec.msg, rec.a, rec.component], [20, 'm', 1, 'x']);
});

test('formatLogLine shows an error by its message', () => {
  const line = formatLogLine({ level: 50, time: 0, msg: 'failed', err: { type: 'Error', message: 'boom', stack: '...' } });
  assert.is(line, '00:00:00.000 ERROR failed err="boom"\n');
});

test('silent logger writes nothing and is usable', () => {
  const log = silentLogger();
  log.error('nothing');
  assert.is(log.level, 'silent');
});

test.run();
