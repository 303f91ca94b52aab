// `samsa groups ...` as a child process against an in-process broker with a live kafkajs group.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Command } from 'commander';
import { runCli, type CliRun } from '../client/run-cli.js';
import { reportCliError } from '../cli-error.js';
import { register } from './groups.js';
import { startTestBroker } from '../../testing/with-broker.js';
import { createKafkajs } from '../../testing/kafkajs-client.js';

const broker = await startTestBroker();
const kafka = createKafkajs(broker.bootstrap);
const admin = kafka.admin();
await admin.connect();
await admin.createTopics({ topics: [{ topic: 'ct', numPartitions: 2 }] });
const producer = kafka.producer();
await producer.connect();
await producer.send({ topic: 'ct', messages: Array.from({ length: 10 }, (_, i) => ({ value: `x${i}`, partition: i % 2 })) });
const consumer = kafka.consumer({ groupId: 'cg', heartbeatInterval: 200 });
let consumed = 0;
test.after(async () => {
  await consumer.disconnect().catch(() => {});
  await producer.disconnect();
  await admin.disconnect();
  await broker.close();
});
const bs = ['--bootstrap-server', broker.bootstrap];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The same command in this process (a child `samsa` costs seconds of startup on a busy machine). */
async function runHere(args: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const w1 = process.stdout.write.bind(process.stdout);
  const w2 = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((s: string) => { stdout += s; return true; }) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => { stderr += s; return true; }) as typeof process.stderr.write;
  const before = process.exitCode;
  process.exitCode = undefined;
  let code = 0;
  try {
    const program = new Command().exitOverride().configureOutput({ writeErr: (s) => { stderr += s; } });
    register(program);
    await program.parseAsync(['node', 'samsa', ...args]);
    code = typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    code = (err as { code?: string }).code?.startsWith('commander.') ? 2 : reportCliError(err, (s) => { stderr += s; });
  } finally {
    process.stdout.write = w1;
    process.stderr.write = w2;
    process.exitCode = before;
  }
  return { code, stdout, stderr };
}

test('list, describe (members, assignment, offsets, lag) while a consumer is active; reset and delete are refused', async () => {
  await consumer.connect();
  await consumer.subscribe({ topic: 'ct', fromBeginning: true });
  await consumer.run({ eachMessage: async () => { consumed++; } });
  for (let i = 0; i < 200 && consumed < 10; i++) await sleep(100);
  for (let i = 0; i < 50; i++) {
    const [o] = await admin.fetchOffsets({ groupId: 'cg', topics: ['ct'] });
    if (o!.partitions.every((p) => p.offset === '5')) break;
    await sleep(100);
  }
  const list = await runCli(['groups', 'list', ...bs]);
  assert.equal([list.code, list.stdout], [0, 'cg\n']);
  const stable = await runHere(['groups', 'list', '--state', 'stable', ...bs]);
  assert.match(stable.stdout, /^GROUP\s+STATE\ncg\s+Stable\n$/);
  const d = await runCli(['groups', 'describe', '--group', 'cg', ...bs]);
  assert.is(d.code, 0, d.stderr);
  assert.match(d.stdout, /Group cg: state Stable, protocol type consumer, protocol RoundRobinAssigner, 1 member\(s\)/);
  assert.match(d.stdout, /samsa-interop-kafkajs-\S+\s+-\s+samsa-interop-kafkajs\s+\/127\.0\.0\.1\s+ct:0,1/);
  assert.match(d.stdout, /ct\s+0\s+5\s+5\s+0\s+samsa-interop-kafkajs-/);
  assert.match(d.stdout, /ct\s+1\s+5\s+5\s+0\s+samsa-interop-kafkajs-/);
  const reset = await runCli(['groups', 'reset-offsets', '--group', 'cg', '--topic', 'ct', '--to-earliest', '--execute', ...bs]);
  assert.is(reset.code, 1);
  assert.match(reset.stderr, /group 'cg' is active \(state Stable, 1 member\(s\)\).*stop its consumers first/);
  const del = await runHere(['groups', 'delete', '--group', 'cg', ...bs]);
  assert.is(del.code, 1);
  assert.match(del.stderr, /NON_EMPTY_GROUP/);
});

test('reset-offsets: dry run by default, --execute commits; delete; unknown group', async () => {
  await consumer.disconnect();
  const dry = await runHere(['groups', 'reset-offsets', '--group', 'cg', '--topic', 'ct', '--to-earliest', ...bs]);
  assert.is(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, /cg\s+ct\s+0\s+0\ncg\s+ct\s+1\s+0\nDry run/);
  assert.equal((await admin.fetchOffsets({ groupId: 'cg', topics: ['ct'] }))[0]!.partitions.map((p) => p.offset), ['5', '5']);
  const exec = await runHere(['groups', 'reset-offsets', '--group', 'cg', '--topic', 'ct:1', '--to-offset', '2', '--execute', ...bs]);
  assert.is(exec.code, 0, exec.stderr);
  const latest = await runHere(['groups', 'reset-offsets', '--group', 'cg', '--topic', 'ct:0', '--to-datetime', '2999-01-01T00:00:00Z', '--execute', ...bs]);
  assert.is(latest.code, 0, latest.stderr);
  const offsets = (await admin.fetchOffsets({ groupId: 'cg', topics: ['ct'] }))[0]!.partitions.sort((a, b) => a.partition - b.partition);
  assert.equal(offsets.map((p) => p.offset), ['5', '2']);
  const d = await runHere(['groups', 'describe', '--group', 'cg', ...bs]);
  assert.match(d.stdout, /state Empty/);
  assert.match(d.stdout, /ct\s+1\s+2\s+5\s+3\s+-/);
  const bad = await runHere(['groups', 'reset-offsets', '--group', 'cg', '--topic', 'ct', ...bs]);
  assert.is(bad.code, 2);
  assert.match(bad.stderr, /exactly one of --to-earliest/);
  assert.equal([(await runHere(['groups', 'delete', '--group', 'cg', ...bs])).stdout], ['Deleted group cg.\n']);
  const again = await runHere(['groups', 'delete', '--group', 'cg', ...bs]);
  assert.is(again.code, 1);
  assert.match(again.stderr, /GROUP_ID_NOT_FOUND/);
  const none = await runHere(['groups', 'describe', '--group', 'nope', ...bs]);
  assert.is(none.code, 1);
  assert.match(none.stderr, /group 'nope' does not exist/);
  const down = await runHere(['groups', 'list', '--bootstrap-server', 'localhost:1']);
  assert.is(down.code, 1);
  assert.match(down.stderr, /cannot connect to localhost:1/);
});

test.run();
