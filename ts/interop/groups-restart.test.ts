// Group state and committed offsets survive broker restarts (a child-process broker, SIGTERM and
// SIGKILL): committed offsets are reloaded from __consumer_offsets, a Stable group comes back with
// its members (a member may keep heartbeating with its old id and generation), and a consumer
// resumes exactly where its group committed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Kafka } from 'kafkajs';
import { KafkaConnection } from '../client/kafka-connection.js';
import { encodeSubscription } from '../group/consumer-protocol.js';
import { ApiKey } from '../protocol/generated/api-keys.js';
import { BrokerProcess } from '../testing/broker-process.js';
import { createKafkajs } from '../testing/kafkajs-client.js';

const TOPIC = 'restart-topic';
let proc = await BrokerProcess.start({ config: { 'group.min.session.timeout.ms': 500 }, logLevel: 'warn' });
const clients: Array<{ disconnect(): Promise<void> }> = [];
test.after(async () => {
  for (const c of clients) await c.disconnect().catch(() => {});
  await proc.remove();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const kafka = (): Kafka => createKafkajs(proc.bootstrap, { retry: { retries: 30, initialRetryTime: 100, maxRetryTime: 1000 } });

/** A raw request, retried while the coordinator is loading (14) or not yet reachable. */
async function raw<T extends object>(apiKey: number, version: number, body: object): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      const c = await KafkaConnection.connect(proc.bootstrap);
      try {
        const res = await c.request<T>(apiKey, version, body);
        if ((res as { errorCode?: number }).errorCode !== 14 || i > 100) return res;
      } finally { c.close(); }
    } catch (err) {
      if (i > 100) throw err;
    }
    await sleep(100);
  }
}

async function consumeAll(groupId: string, want: number): Promise<string[]> {
  const k = kafka();
  const consumer = k.consumer({ groupId, sessionTimeout: 6000, heartbeatInterval: 200, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
  const keys: string[] = [];
  await consumer.run({ eachMessage: async ({ message }) => { keys.push(message.key!.toString()); } });
  const t0 = Date.now();
  while (keys.length < want && Date.now() - t0 < 40_000) await sleep(100);
  await sleep(500); // nothing more should arrive
  await consumer.disconnect(); // commits, then LeaveGroup
  return keys;
}

async function produce(from: number, count: number): Promise<void> {
  const p = kafka().producer();
  await p.connect();
  await p.send({ topic: TOPIC, messages: Array.from({ length: count }, (_, j) => ({ key: `k${from + j}`, value: 'v', partition: (from + j) % 3 })) });
  await p.disconnect();
}

async function committed(groupId: string): Promise<number[]> {
  const admin = kafka().admin();
  await admin.connect();
  try {
    const [o] = await admin.fetchOffsets({ groupId, topics: [TOPIC] });
    return o!.partitions.sort((a, b) => a.partition - b.partition).map((p) => Number(p.offset));
  } finally { await admin.disconnect(); }
}

const range = (a: number, n: number) => Array.from({ length: n }, (_, i) => `k${a + i}`);

test('committed offsets and a Stable group survive a graceful restart; the consumer resumes', async () => {
  const admin = kafka().admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 3 }] });
  await admin.disconnect();
  await produce(0, 3000);
  const first = await consumeAll('g-restart', 3000);
  assert.equal(first.slice().sort(), range(0, 3000).sort());
  assert.equal(await committed('g-restart'), [1000, 1000, 1000]);

  // a static member in a Stable group, with a commit of its own
  const join = (memberId: string) => ({ groupId: 'g-static', sessionTimeoutMs: 30_000, rebalanceTimeoutMs: 30_000, memberId, groupInstanceId: 'inst-1', protocolType: 'consumer', protocols: [{ name: 'range', metadata: encodeSubscription([TOPIC]) }] });
  const j = await raw<{ errorCode: number; memberId: string; generationId: number }>(ApiKey.JoinGroup, 5, join(''));
  assert.is(j.errorCode, 0);
  const s = await raw<{ errorCode: number }>(ApiKey.SyncGroup, 3, { groupId: 'g-static', generationId: j.generationId, memberId: j.memberId, groupInstanceId: 'inst-1', assignments: [{ memberId: j.memberId, assignment: Buffer.from('X') }] });
  assert.is(s.errorCode, 0);
  const oc = await raw<{ topics: Array<{ partitions: Array<{ errorCode: number }> }> }>(ApiKey.OffsetCommit, 7, {
    groupId: 'g-static', generationIdOrMemberEpoch: j.generationId, memberId: j.memberId, groupInstanceId: 'inst-1',
    topics: [{ name: TOPIC, partitions: [{ partitionIndex: 2, committedOffset: 42, committedLeaderEpoch: -1, committedMetadata: 'meta' }] }],
  });
  assert.is(oc.topics[0]!.partitions[0]!.errorCode, 0);

  proc = await proc.restart(); // SIGTERM, same data dir and port

  assert.equal(await committed('g-restart'), [1000, 1000, 1000]);
  const d = await raw<{ groups: Array<{ errorCode: number; groupState: string; members: Array<{ memberId: string; groupInstanceId: string | null; memberAssignment: Buffer }> }> }>(ApiKey.DescribeGroups, 4, { groups: ['g-static'], includeAuthorizedOperations: false });
  assert.is(d.groups[0]!.groupState, 'Stable');
  assert.equal(d.groups[0]!.members.map((m) => [m.memberId, m.groupInstanceId, m.memberAssignment.toString()]), [[j.memberId, 'inst-1', 'X']]);
  const hb = await raw<{ errorCode: number }>(ApiKey.Heartbeat, 3, { groupId: 'g-static', generationId: j.generationId, memberId: j.memberId, groupInstanceId: 'inst-1' });
  assert.is(hb.errorCode, 0, 'the member carries on with its old id and generation');
  const of = await raw<{ errorCode: number; topics: Array<{ partitions: Array<{ partitionIndex: number; committedOffset: number; metadata: string }> }> }>(ApiKey.OffsetFetch, 7, { groupId: 'g-static', topics: [{ name: TOPIC, partitionIndexes: [2] }], requireStable: true });
  assert.equal(of.topics[0]!.partitions.map((p) => [p.partitionIndex, p.committedOffset, p.metadata]), [[2, 42, 'meta']]);

  await produce(3000, 1500);
  const second = await consumeAll('g-restart', 1500);
  assert.equal(second.slice().sort(), range(3000, 1500).sort(), 'resumed at the committed offsets: only the new messages');
  assert.equal(await committed('g-restart'), [1500, 1500, 1500]);
});

test('after a crash (SIGKILL) the offsets are still there', async () => {
  await proc.kill('SIGKILL');
  proc = await proc.restart();
  assert.equal(await committed('g-restart'), [1500, 1500, 1500]);
  const l = await raw<{ errorCode: number; groups: Array<{ groupId: string; groupState: string }> }>(ApiKey.ListGroups, 4, { statesFilter: [] });
  assert.equal(l.groups.map((g) => [g.groupId, g.groupState]).sort(), [['g-restart', 'Empty'], ['g-static', 'Stable']]);
  await produce(4500, 300);
  const third = await consumeAll('g-restart', 300);
  assert.equal(third.slice().sort(), range(4500, 300).sort());
});

test.run();
