// `samsa produce` then `samsa consume` end to end: a real broker in this process, the CLI as
// child processes. 100 keyed lines with headers go in through stdin; they come back exact and in
// order, from the beginning, from an offset and from a timestamp.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startBroker } from '../../index.js';
import { runCli } from '../client/run-cli.js';

const broker = await startBroker({ port: 0 });
const B = ['--bootstrap-server', broker.bootstrap];
test.after(async () => { await broker.close(); });

const lines = Array.from({ length: 100 }, (_, i) => `key-${i}|value ${i} ✓`);
let middle = 0;

test('produce 100 keyed lines with headers to one partition; consume them back exact and in order', async () => {
  let r = await runCli(['topics', 'create', '--topic', 'events', '--partitions', '2', ...B]);
  assert.is(r.code, 0, r.stderr);
  r = await runCli(['produce', '--topic', 'events', '--partition', '1', '--key-separator', '|', '--header', 'source=cli', '--header', 'trace=a=b', ...B], lines.slice(0, 50).join('\n') + '\n');
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stdout, '');
  assert.is(r.stderr, 'samsa: produced 50 messages to events (partition 1: 50 at offsets 0-49)\n');
  middle = Date.now();
  await new Promise((res) => setTimeout(res, 20));
  r = await runCli(['produce', '--topic', 'events', '--partition', '1', '--key-separator', '|', '--header', 'source=cli', '--header', 'trace=a=b', ...B], lines.slice(50).join('\r\n'));
  assert.is(r.stderr, 'samsa: produced 50 messages to events (partition 1: 50 at offsets 50-99)\n');

  r = await runCli(['consume', '--topic', 'events', '--from-beginning', '--max-messages', '100', '--print-key', '--print-headers', '--print-offset', ...B]);
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stderr, 'Processed a total of 100 messages\n');
  const want = lines.map((l, i) => `Offset:${i}\tsource:cli,trace:a=b\tkey-${i}\tvalue ${i} ✓`);
  assert.equal(r.stdout.split('\n'), [...want, '']);
});

test('consume from an offset, and from a timestamp (partition 1), exiting on --timeout-ms', async () => {
  const [fromOffset, fromTime, outOfRange] = await Promise.all([
    runCli(['consume', '--topic', 'events', '--partition', '1', '--offset', '97', '--timeout-ms', '500', '--print-partition', '--print-offset', ...B]),
    runCli(['consume', '--topic', 'events', '--partition', '1', '--from-timestamp', String(middle), '--max-messages', '2', '--print-key', '--key-separator', '=', ...B]),
    runCli(['consume', '--topic', 'events', '--partition', '1', '--offset', '101', ...B]),
  ]);
  assert.is(fromOffset.code, 0, fromOffset.stderr);
  assert.equal(fromOffset.stdout.split('\n'), ['Partition:1\tOffset:97\tvalue 97 ✓', 'Partition:1\tOffset:98\tvalue 98 ✓', 'Partition:1\tOffset:99\tvalue 99 ✓', '']);
  assert.is(fromOffset.stderr, 'Processed a total of 3 messages\n');
  assert.is(fromTime.code, 0, fromTime.stderr);
  assert.is(fromTime.stdout, 'key-50=value 50 ✓\nkey-51=value 51 ✓\n');
  assert.is(outOfRange.code, 1);
  assert.match(outOfRange.stderr, /^samsa: OFFSET_OUT_OF_RANGE: offset 101 is outside events-1; valid offsets are \[0, 100\]\n/);
});

test('unknown topic and a line without the key separator: one line, exit 1', async () => {
  const [unknown, noSep] = await Promise.all([
    runCli(['consume', '--topic', 'nope', '--from-beginning', ...B]),
    runCli(['produce', '--topic', 'events', '--key-separator', '|', ...B], 'a|b\nno separator\n'),
  ]);
  assert.is(unknown.code, 1);
  assert.match(unknown.stderr, /^samsa: UNKNOWN_TOPIC_OR_PARTITION: topic 'nope' does not exist/);
  assert.is(noSep.code, 1);
  assert.match(noSep.stderr, /samsa: line 2 has no key separator "\|"/);
});

test.run();
