// Consumer groups with kafkajs 2.2.4: a group of 3 on 6 partitions splits them (each partition to
// exactly one member) and consumes 30,000 messages exactly once with commits; a 4th member joins
// and one leaves: the group converges; a member that dies without LeaveGroup (a raw protocol
// member that stops heartbeating) loses its partitions after its session timeout; two groups on
// one topic each read everything.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Consumer, Kafka } from 'kafkajs';
import { KafkaConnection } from '../client/kafka-connection.js';
import { decodeAssignment, encodeAssignment, encodeSubscription } from '../group/consumer-protocol.js';
import { ApiKey } from '../protocol/generated/api-keys.js';
import { startTestBroker } from '../testing/with-broker.js';
import { createKafkajs } from '../testing/kafkajs-client.js';
import { until } from '../testing/until.js';

const broker = await startTestBroker({ config: { 'group.min.session.timeout.ms': 500 } });
const kafka: Kafka = createKafkajs(broker.bootstrap, { retry: { retries: 10, initialRetryTime: 100 } });
const admin = kafka.admin();
await admin.connect();
const producer = kafka.producer();
await producer.connect();
const live: Consumer[] = [];
test.after(async () => {
  for (const c of live) await c.disconnect().catch(() => {});
  await producer.disconnect();
  await admin.disconnect();
  await broker.close();
});


async function produce(topic: string, from: number, count: number): Promise<void> {
  for (let i = from; i < from + count; i += 1000) {
    const n = Math.min(1000, from + count - i);
    await producer.send({ topic, messages: Array.from({ length: n }, (_, j) => ({ key: `k${i + j}`, value: `v${i + j}`, partition: (i + j) % 6 })) });
  }
}

interface Seen { counts: Map<string, number>; total: number }
async function startConsumer(groupId: string, topic: string, seen: Seen): Promise<Consumer> {
  const c = kafka.consumer({ groupId, sessionTimeout: 6000, heartbeatInterval: 200, rebalanceTimeout: 10_000, maxWaitTimeInMs: 100 });
  await c.connect();
  await c.subscribe({ topic, fromBeginning: true });
  await c.run({
    eachMessage: async ({ message }) => {
      const k = message.key!.toString();
      seen.counts.set(k, (seen.counts.get(k) ?? 0) + 1);
      seen.total++;
    },
  });
  live.push(c);
  return c;
}

/** member id → assigned partitions of `topic`, from DescribeGroups (consumer protocol decoded). */
async function assignments(groupId: string, topic: string): Promise<{ state: string; byMember: Map<string, number[]> }> {
  const { groups } = await admin.describeGroups([groupId]);
  const g = groups[0]!;
  const byMember = new Map<string, number[]>();
  for (const m of g.members) {
    const a = decodeAssignment(m.memberAssignment as Buffer);
    byMember.set(m.memberId, (a?.assignedPartitions.find((x) => x.topic === topic)?.partitions ?? []).slice().sort((x, y) => x - y));
  }
  return { state: g.state, byMember };
}

/** Stable, `members` members, each of the 6 partitions assigned to exactly one member, none empty-handed. */
async function balanced(groupId: string, topic: string, members: number): Promise<boolean> {
  const { state, byMember } = await assignments(groupId, topic);
  if (state !== 'Stable' || byMember.size !== members) return false;
  const all = [...byMember.values()].flat().sort((a, b) => a - b);
  return all.join() === '0,1,2,3,4,5' && [...byMember.values()].every((p) => p.length > 0);
}

async function committedEqualsEnd(groupId: string, topic: string): Promise<boolean> {
  const [offsets, ends] = await Promise.all([admin.fetchOffsets({ groupId, topics: [topic] }), admin.fetchTopicOffsets(topic)]);
  const committed = new Map(offsets[0]!.partitions.map((p) => [p.partition, p.offset]));
  return ends.every((e) => committed.get(e.partition) === e.high);
}

const TOPIC = 'groups-main';
const GROUP = 'g-main';
const seen: Seen = { counts: new Map(), total: 0 };

test('3 consumers split 6 partitions and read 30,000 messages exactly once, with commits', async () => {
  await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 6 }] });
  for (let i = 0; i < 3; i++) await startConsumer(GROUP, TOPIC, seen);
  await until(() => balanced(GROUP, TOPIC, 3), 'a stable group of 3 with every partition assigned once', 30_000);
  await produce(TOPIC, 0, 30_000);
  await until(() => seen.total >= 30_000, '30,000 messages consumed', 60_000);
  await until(() => committedEqualsEnd(GROUP, TOPIC), 'committed offsets reach the end offsets', 30_000);
  assert.is(seen.counts.size, 30_000);
  assert.is(seen.total, 30_000, 'no message was consumed twice');
  const { byMember } = await assignments(GROUP, TOPIC);
  assert.equal([...byMember.values()].map((p) => p.length).sort(), [2, 2, 2]);
  const listed = await admin.listGroups();
  assert.equal(listed.groups.filter((g) => g.groupId === GROUP), [{ groupId: GROUP, protocolType: 'consumer' }]);
});

test('a 4th member joins and one leaves: the group converges and nothing is lost', async () => {
  await startConsumer(GROUP, TOPIC, seen);
  await until(() => balanced(GROUP, TOPIC, 4), 'a stable group of 4', 30_000);
  const leaving = live.shift()!;
  await leaving.disconnect(); // LeaveGroup
  await until(() => balanced(GROUP, TOPIC, 3), 'a stable group of 3 after the leave', 30_000);
  await produce(TOPIC, 30_000, 6_000);
  await until(() => seen.counts.size >= 36_000, '36,000 distinct messages consumed', 60_000);
  await until(() => committedEqualsEnd(GROUP, TOPIC), 'committed offsets reach the end offsets', 30_000);
  assert.is(seen.counts.size, 36_000);
});

test('a member that dies without leaving loses its partitions after its session timeout', async () => {
  const raw = await KafkaConnection.connect(broker.bootstrap, { clientId: 'raw-member' });
  const meta = encodeSubscription([TOPIC]);
  const joinBody = (memberId: string) => ({
    groupId: GROUP, sessionTimeoutMs: 1000, rebalanceTimeoutMs: 10_000, memberId, groupInstanceId: null,
    protocolType: 'consumer', protocols: [{ name: 'RoundRobinAssigner', metadata: meta }], reason: null,
  });
  type Join = { errorCode: number; memberId: string; generationId: number; leader: string; members: Array<{ memberId: string }> };
  let j = await raw.request<Join>(ApiKey.JoinGroup, 5, joinBody(''));
  assert.is(j.errorCode, 79, 'MEMBER_ID_REQUIRED');
  j = await raw.request<Join>(ApiKey.JoinGroup, 5, joinBody(j.memberId));
  assert.is(j.errorCode, 0);
  let assignmentsOut: Array<{ memberId: string; assignment: Buffer }> = [];
  if (j.leader === j.memberId) {
    const ids = j.members.map((m) => m.memberId);
    assignmentsOut = ids.map((id, i) => ({ memberId: id, assignment: encodeAssignment([{ topic: TOPIC, partitions: [0, 1, 2, 3, 4, 5].filter((p) => p % ids.length === i) }]) }));
  }
  const s = await raw.request<{ errorCode: number; assignment: Buffer }>(ApiKey.SyncGroup, 3, { groupId: GROUP, generationId: j.generationId, memberId: j.memberId, groupInstanceId: null, assignments: assignmentsOut });
  assert.is(s.errorCode, 0);
  const mine = decodeAssignment(s.assignment)!.assignedPartitions[0]!.partitions;
  assert.ok(mine.length > 0, 'the raw member owns partitions');
  const { byMember } = await assignments(GROUP, TOPIC);
  assert.equal(byMember.get(j.memberId), mine.slice().sort((a, b) => a - b));
  // die: no LeaveGroup, no heartbeat, the socket stays open
  await until(async () => {
    const { byMember: now } = await assignments(GROUP, TOPIC);
    return !now.has(j.memberId) && (await balanced(GROUP, TOPIC, 3));
  }, 'the raw member is expired and its partitions moved', 20_000, 100);
  const hb = await raw.request<{ errorCode: number }>(ApiKey.Heartbeat, 3, { groupId: GROUP, generationId: j.generationId, memberId: j.memberId, groupInstanceId: null });
  assert.is(hb.errorCode, 25, 'UNKNOWN_MEMBER_ID after expiry');
  raw.close();
  await produce(TOPIC, 36_000, 600);
  await until(() => seen.counts.size >= 36_600, 'the moved partitions are consumed', 30_000);
});

test('two groups on the same topic each receive every message', async () => {
  const topic = 'groups-two';
  await admin.createTopics({ topics: [{ topic, numPartitions: 6 }] });
  await produce(topic, 0, 3000);
  const a: Seen = { counts: new Map(), total: 0 };
  const b: Seen = { counts: new Map(), total: 0 };
  await startConsumer('g-two-a', topic, a);
  await startConsumer('g-two-a', topic, a);
  await startConsumer('g-two-b', topic, b);
  await until(() => a.counts.size >= 3000 && b.counts.size >= 3000, 'both groups read 3000 distinct messages', 60_000);
  await until(async () => (await committedEqualsEnd('g-two-a', topic)) && (await committedEqualsEnd('g-two-b', topic)), 'both groups committed everything', 30_000);
  assert.is(a.counts.size, 3000);
  assert.is(b.counts.size, 3000);
});

test.run();
