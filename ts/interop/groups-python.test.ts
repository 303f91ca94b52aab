// Consumer groups with librdkafka and kafka-python: confluent-kafka consumers with the `range` and
// `cooperative-sticky` assignors, a kafka-python group, and kcat's balanced consumer (-G). Each
// group must split the 6 partitions (each to exactly one member), read all 3000 messages, and
// commit offsets up to the end of every partition.
import { test as uvuTest } from 'uvu';
import * as assert from 'uvu/assert';
import { runPython } from '../testing/run-python.js';
import { runKcat } from '../testing/run-kcat.js';
import { skipUnless } from '../testing/skip-unless.js';
import { startTestBroker } from '../testing/with-broker.js';
import { createKafkajs } from '../testing/kafkajs-client.js';

const TOPIC = 'groups-py';
const N = 3000;
const broker = await startTestBroker();
const kafka = createKafkajs(broker.bootstrap);
const admin = kafka.admin();
await admin.connect();
await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 6 }] });
const producer = kafka.producer();
await producer.connect();
for (let i = 0; i < N; i += 1000) {
  await producer.send({ topic: TOPIC, messages: Array.from({ length: 1000 }, (_, j) => ({ key: `k${i + j}`, value: `v${i + j}`, partition: (i + j) % 6 })) });
}
await producer.disconnect();
uvuTest.after(async () => {
  await admin.disconnect();
  await broker.close();
});

interface Result { distinct: number; total: number; members: Array<{ assigned: number[]; count: number }>; committed: Record<string, number> }

async function committedAtEnd(groupId: string, topic = TOPIC): Promise<void> {
  const [offsets, ends] = await Promise.all([admin.fetchOffsets({ groupId, topics: [topic] }), admin.fetchTopicOffsets(topic)]);
  const committed = new Map(offsets[0]!.partitions.map((p) => [p.partition, p.offset]));
  for (const e of ends) assert.is(committed.get(e.partition), e.high, `${groupId}: committed offset of partition ${e.partition}`);
}

async function runGroup(client: string, group: string, assignor: string, extra: Record<string, unknown> = {}, expected = N, emptyAfter = true): Promise<Result> {
  const topic = (extra.topic as string | undefined) ?? TOPIC;
  const spec = { client, bootstrap: broker.bootstrap, topic, group, members: 2, expected, assignor, timeout: 60, ...extra };
  const { lines } = await runPython<Result>('groups_client.py', [JSON.stringify(spec)], { timeout: 90_000 });
  const r = lines[0]!;
  assert.is(r.distinct, expected, `${group}: distinct messages`);
  assert.equal(r.members.flatMap((m) => m.assigned).sort((a, b) => a - b), [0, 1, 2, 3, 4, 5], `${group}: every partition to exactly one member`);
  assert.ok(r.members.every((m) => m.assigned.length === 3), `${group}: 3 partitions each (${JSON.stringify(r.members)})`);
  await committedAtEnd(group, topic);
  if (emptyAfter) {
    const { groups } = await admin.describeGroups([group]);
    assert.is(groups[0]!.state, 'Empty', `${group}: the consumers left on close`);
  }
  return r;
}

const confluent = skipUnless({ python: 'confluent_kafka' });
confluent('confluent-kafka group with the range assignor', async () => {
  await runGroup('confluent', 'py-range', 'range');
});
confluent('confluent-kafka group with the cooperative-sticky assignor', async () => {
  await runGroup('confluent', 'py-coop', 'cooperative-sticky');
});

confluent('confluent-kafka static members (group.instance.id) stay in the group across a restart and resume', async () => {
  const members = async () => {
    const { groups } = await admin.describeGroups(['py-static']);
    return { state: groups[0]!.state, members: groups[0]!.members.map((m) => [m.memberId, (m as unknown as { groupInstanceId?: string }).groupInstanceId]) };
  };
  const topic = 'groups-py-static';
  await admin.createTopics({ topics: [{ topic, numPartitions: 6 }] });
  const producer2 = kafka.producer();
  await producer2.connect();
  await producer2.send({ topic, messages: Array.from({ length: 600 }, (_, i) => ({ key: `a${i}`, value: 'v', partition: i % 6 })) });
  await runGroup('confluent', 'py-static', 'range', { instance: 'inst', session: 30_000, topic }, 600, false);
  const first = await members();
  assert.is(first.state, 'Stable', 'static members do not leave on close');
  assert.is(first.members.length, 2);
  await producer2.send({ topic, messages: Array.from({ length: 60 }, (_, i) => ({ key: `s${i}`, value: 'v', partition: i % 6 })) });
  await producer2.disconnect();
  await runGroup('confluent', 'py-static', 'range', { instance: 'inst', session: 30_000, topic }, 60, false);
  const second = await members();
  assert.is(second.state, 'Stable');
  assert.is(second.members.length, 2, 'the restarted instances replaced their old member ids');
  assert.ok(second.members.every(([id]) => !first.members.some(([old]) => old === id)), 'new member ids');
});

const kafkaPython = skipUnless({ python: 'kafka' });
kafkaPython('kafka-python group consumer', async () => {
  await runGroup('kafka-python', 'py-kafka-python', 'range');
});

const kcat = skipUnless('kcat');
kcat('kcat -G balanced consumer reads everything and commits', async () => {
  const res = await runKcat(['-b', broker.bootstrap, '-G', 'kcat-group', '-X', 'auto.offset.reset=earliest', '-c', String(N), '-f', '%k\\n', '-q', TOPIC], { timeout: 60_000 });
  const keys = res.stdout.toString('utf8').split('\n').filter((l) => l !== '');
  assert.is(keys.length, N);
  assert.is(new Set(keys).size, N);
  await committedAtEnd('kcat-group');
});

uvuTest.run();
