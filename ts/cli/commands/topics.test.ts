// `samsa topics` end to end: a real broker in this process, the CLI as child processes (each
// costs a tsx start, so independent runs go in parallel and argument parsing is unit-tested in
// client/*.test.ts instead).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startBroker } from '../../index.js';
import { runCli } from '../client/run-cli.js';

const broker = await startBroker({ port: 0 });
const B = ['--bootstrap-server', broker.bootstrap];
test.after(async () => { await broker.close(); });

test('create, list, describe, alter, delete round trip', async () => {
  let [r, audit] = await Promise.all([
    runCli(['topics', 'create', '--topic', 'orders', '--partitions', '2', '--config', 'retention.ms=86400000', ...B]),
    runCli(['topics', 'create', '--topic', 'audit', ...B]),
  ]);
  assert.is(r.stderr, '');
  assert.is(r.stdout, 'Created topic orders.\n');
  assert.is(r.code, 0);
  assert.is(audit.stdout, 'Created topic audit.\n');

  const [dup, ifNotExists, list, altered] = await Promise.all([
    runCli(['topics', 'create', '--topic', 'orders', ...B]),
    runCli(['topics', 'create', '--topic', 'orders', '--if-not-exists', ...B]),
    runCli(['topics', 'list', ...B]),
    runCli(['topics', 'alter', '--topic', 'orders', '--partitions', '3', '--config', 'segment.bytes=1048576', '--delete-config', 'retention.ms', ...B]),
  ]);
  assert.is(dup.code, 1);
  assert.match(dup.stderr, /^samsa: create topic 'orders' failed: TOPIC_ALREADY_EXISTS: .*--if-not-exists.*\n$/);
  assert.is(ifNotExists.code, 0);
  assert.is(ifNotExists.stdout, '');
  assert.is(list.stdout, 'audit\norders\n');
  assert.is(altered.code, 0, altered.stderr);
  assert.is(altered.stdout, 'Completed updating config for topic orders.\n');

  const [described, shrink] = await Promise.all([
    runCli(['topics', 'describe', '--topic', 'orders', ...B]),
    runCli(['topics', 'alter', '--topic', 'orders', '--partitions', '2', ...B]),
  ]);
  assert.is(described.code, 0, described.stderr);
  const lines = described.stdout.split('\n');
  assert.match(lines[0], /^Topic: orders\tTopicId: [A-Za-z0-9_-]{22}\tPartitionCount: 3\tReplicationFactor: 1\tConfigs: segment\.bytes=1048576$/);
  assert.equal(lines.slice(1), [0, 1, 2].map((p) => `\tTopic: orders\tPartition: ${p}\tLeader: 0\tReplicas: 0\tIsr: 0`).concat(['']));
  assert.is(shrink.code, 1);
  assert.is(shrink.stderr, "samsa: INVALID_PARTITIONS: topic 'orders' has 3 partitions; the count can only grow\n");

  r = await runCli(['topics', 'delete', '--topic', 'orders', ...B]);
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stdout, '');
  const [missing, ifExists, after] = await Promise.all([
    runCli(['topics', 'describe', '--topic', 'orders', ...B]),
    runCli(['topics', 'delete', '--topic', 'orders', '--if-exists', ...B]),
    runCli(['topics', 'list', ...B]),
  ]);
  assert.is(missing.code, 1);
  assert.is(missing.stderr, "samsa: UNKNOWN_TOPIC_OR_PARTITION: topic 'orders' does not exist (check the name with `samsa topics list`)\n");
  assert.is(ifExists.code, 0);
  assert.is(after.stdout, 'audit\n');
});

test('unreachable bootstrap and bad arguments: one line each, exit 1 / exit 2', async () => {
  const [down, zero, nothing] = await Promise.all([
    runCli(['topics', 'list', '--bootstrap-server', 'localhost:1']),
    runCli(['topics', 'create', '--topic', 'x', '--partitions', '0', ...B]),
    runCli(['topics', 'alter', '--topic', 'audit', ...B]),
  ]);
  assert.is(down.code, 1);
  assert.is(down.stdout, '');
  assert.is(down.stderr, 'samsa: cannot connect to localhost:1: connection refused: is a broker listening there? (ECONNREFUSED)\n');
  assert.is(zero.code, 2);
  assert.is(zero.stderr, "samsa: option '--partitions <n>' argument '0' is invalid. partitions must be ≥ 1.\n");
  assert.is(nothing.code, 2);
  assert.is(nothing.stderr, 'samsa: topics alter: give --partitions, --config or --delete-config\n');
});

test.run();
