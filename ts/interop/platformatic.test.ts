// @platformatic/kafka 1.35 against Samsa. This client speaks the newest versions (flexible
// encodings, Produce v11, Fetch v17 with topic ids, Metadata v12, ListOffsets v9...), so it
// covers what kafkajs (old, non-flexible versions) does not. Same scenario as kafkajs.test.ts:
// admin, 10,000 messages over 6 partitions, read back without a group, admin operations.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Admin, Consumer, Producer } from '@platformatic/kafka';
import { startTestBroker } from '../testing/with-broker.js';
import { fetchWithPlatformatic, type PlatformaticMessage } from '../testing/platformatic-fetch.js';
import { SeededRandom } from '../testing/seeded-random.js';
import { byPartition, hex, makeMessages, type TestMessage } from '../testing/test-messages.js';

const broker = await startTestBroker();
const base = { clientId: 'samsa-interop-platformatic', bootstrapBrokers: [broker.bootstrap], retries: 2, retryDelay: 200, timeout: 15_000 };
const admin = new Admin(base);
const consumer = new Consumer({ ...base, groupId: 'platformatic-unused' });
test.after(async () => {
  await admin.close();
  await consumer.close(true);
  await broker.close();
});

const TOPIC = 'platformatic-main';
const rng = new SeededRandom();
const messages = makeMessages(rng, 10_000, { partitions: 6 });
const expected = byPartition(messages);

function toPlatformatic(topic: string, m: TestMessage) {
  // A Map keyed by distinct Buffer objects can carry the same header key twice.
  const headers = new Map<Buffer, Buffer>(m.headers.map(([k, v]) => [Buffer.from(k), v]));
  return { topic, partition: m.partition, key: m.key ?? undefined, value: m.value ?? undefined, headers };
}

function assertSame(got: PlatformaticMessage[], want: TestMessage[], what: string, firstOffset = 0): void {
  assert.is(got.length, want.length, `${what}: message count`);
  for (let j = 0; j < want.length; j++) {
    const g = got[j];
    const w = want[j];
    assert.is(g.offset, firstOffset + j, `${what}: offset at position ${j}`);
    assert.is(hex(g.key), hex(w.key), `${what}: key at offset ${g.offset} (message ${w.i})`);
    assert.is(hex(g.value), hex(w.value), `${what}: value at offset ${g.offset} (message ${w.i})`);
    assert.equal(g.headers.map(([k, v]) => [k, hex(v)]), w.headers.map(([k, v]) => [k, hex(v)]), `${what}: headers (in order) at offset ${g.offset}`);
  }
}

test('admin.createTopics (6 partitions, config override) and metadata', async () => {
  const created = await admin.createTopics({ topics: [TOPIC], partitions: 6, replicas: 1, configs: [{ name: 'retention.ms', value: '86400000' }] });
  assert.is(created.length, 1);
  assert.is(created[0].name, TOPIC);
  assert.is(created[0].partitions, 6);
  assert.is(created[0].replicas, 1);
  assert.match(created[0].id, /^[0-9a-f-]{36}$|^[A-Za-z0-9_-]{22}$/, `topic id ${created[0].id}`);
  let dup: unknown;
  await admin.createTopics({ topics: [TOPIC], partitions: 6, replicas: 1 }).catch((e) => (dup = e));
  assert.ok(dup, 'creating an existing topic fails (TOPIC_ALREADY_EXISTS)');
  const md = await admin.metadata({ topics: [TOPIC] });
  const t = md.topics.get(TOPIC)!;
  assert.is(t.partitionsCount, 6);
  assert.is(t.id, created[0].id, 'metadata returns the same topic id');
  for (const p of t.partitions) {
    assert.is(p.leader, 0);
    assert.equal(p.replicas, [0]);
    assert.equal(p.isr, [0]);
  }
  assert.equal([...md.brokers.values()].map((b) => [b.host, b.port]), [['localhost', broker.port]], 'advertised broker address');
  assert.ok((await admin.listTopics()).includes(TOPIC));
});

test('produce 10,000 messages (acks all) in batches; offsets contiguous per partition', async () => {
  const producer = new Producer(base);
  try {
    const nextOffset = new Map<number, number>();
    for (let start = 0; start < messages.length; start += 500) {
      const batch = messages.slice(start, start + 500);
      const result = await producer.send({ acks: -1, messages: batch.map((m) => toPlatformatic(TOPIC, m)) });
      const counts = byPartition(batch);
      const offsets = result.offsets ?? [];
      assert.is(offsets.length, counts.size, 'one offset per partition written');
      for (const o of offsets) {
        assert.is(Number(o.offset), nextOffset.get(o.partition) ?? 0, `base offset of partition ${o.partition} at message ${start}`);
        nextOffset.set(o.partition, (nextOffset.get(o.partition) ?? 0) + counts.get(o.partition)!.length);
      }
    }
  } finally {
    await producer.close();
  }
});

test('Consumer.fetch (no group) reads everything back byte-exact, headers in order, per partition', async () => {
  const got = await fetchWithPlatformatic(consumer, TOPIC, { partitions: [0, 1, 2, 3, 4, 5], partitionMaxBytes: 256 << 10 });
  for (let p = 0; p < 6; p++) assertSame(got.get(p)!, expected.get(p) ?? [], `partition ${p}`);
});

test('admin.listOffsets: earliest (-2), latest (-1), max timestamp (-3)', async () => {
  const list = async (timestamp: bigint) => {
    const r = await admin.listOffsets({ topics: [{ name: TOPIC, partitions: [0, 1, 2, 3, 4, 5].map((partitionIndex) => ({ partitionIndex, timestamp })) }] });
    return Object.fromEntries(r[0].partitions.map((p) => [p.partitionIndex, Number(p.offset)]));
  };
  const counts = Object.fromEntries([0, 1, 2, 3, 4, 5].map((p) => [p, expected.get(p)?.length ?? 0]));
  assert.equal(await list(-2n), { 0: 0, 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 });
  assert.equal(await list(-1n), counts);
  const maxTs = await list(-3n);
  for (let p = 0; p < 6; p++) {
    assert.ok(maxTs[p] >= 0 && maxTs[p] < counts[p], `max-timestamp offset of partition ${p} (${maxTs[p]}) is inside the log`);
  }
});

test('admin.describeConfigs: topic override and default, requested keys only', async () => {
  const all = await admin.describeConfigs({ resources: [{ resourceType: 2, resourceName: TOPIC }] });
  assert.is(all.length, 1);
  const configs = new Map(all[0].configs.map((c) => [c.name, c]));
  assert.is(configs.get('retention.ms')?.value, '86400000');
  assert.is(configs.get('retention.ms')?.configSource, 1, 'DYNAMIC_TOPIC_CONFIG (1)');
  assert.is(configs.get('cleanup.policy')?.value, 'delete');
  const some = await admin.describeConfigs({ resources: [{ resourceType: 2, resourceName: TOPIC, configurationKeys: ['segment.bytes'] }] });
  assert.equal(some[0].configs.map((c) => c.name), ['segment.bytes']);
});

test('admin.createPartitions 6 → 8 and deleteRecords on partition 0', async () => {
  await admin.createPartitions({ topics: [{ name: TOPIC, count: 8 }] });
  const md = await admin.metadata({ topics: [TOPIC], forceUpdate: true });
  assert.is(md.topics.get(TOPIC)!.partitionsCount, 8);
  const deleted = await admin.deleteRecords({ topics: [{ name: TOPIC, partitions: [{ partition: 0, offset: 100n }] }] });
  assert.equal(deleted.map((t) => [t.name, t.partitions.map((p) => [p.partition, Number(p.lowWatermark)])]), [[TOPIC, [[0, 100]]]]);
  const got = await fetchWithPlatformatic(consumer, TOPIC, { partitions: [0], fromOffsets: new Map([[0, 100]]) });
  assertSame(got.get(0)!, expected.get(0)!.slice(100), 'partition 0 after deleteRecords', 100);
});

test('idempotent producer: 1,000 messages, each exactly once and in order', async () => {
  const topic = 'platformatic-idempotent';
  await admin.createTopics({ topics: [topic], partitions: 3, replicas: 1 });
  const producer = new Producer({ ...base, idempotent: true });
  const msgs = makeMessages(new SeededRandom(rng.seed + 1), 1000, { partitions: 3 });
  try {
    for (let start = 0; start < msgs.length; start += 100) {
      await producer.send({ messages: msgs.slice(start, start + 100).map((m) => toPlatformatic(topic, m)) });
    }
    assert.ok(producer.producerId !== undefined && producer.producerId >= 0n, `producer id allocated: ${producer.producerId}`);
  } finally {
    await producer.close();
  }
  const want = byPartition(msgs);
  const got = await fetchWithPlatformatic(consumer, topic, { partitions: [0, 1, 2] });
  for (let p = 0; p < 3; p++) assertSame(got.get(p)!, want.get(p) ?? [], `idempotent partition ${p}`);
});

test('admin.deleteTopics removes the topic', async () => {
  await admin.deleteTopics({ topics: ['platformatic-idempotent'] });
  const topics = await admin.listTopics();
  assert.not.ok(topics.includes('platformatic-idempotent'), `still listed: ${topics}`);
  assert.ok(topics.includes(TOPIC));
});

test.run();
