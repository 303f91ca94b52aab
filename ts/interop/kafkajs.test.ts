// kafkajs 2.2.4 against Samsa: admin, produce (10,000 keyed messages with headers over 6
// partitions), read back byte-exact and in order per partition with kafkajs' own Fetch
// (no group: kafkajs has no assign()), the group consumer when the broker advertises the group
// APIs, and the idempotent producer retrying Produce requests whose responses were lost.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startTestBroker } from '../testing/with-broker.js';
import { createKafkajs, ConfigResourceTypes } from '../testing/kafkajs-client.js';
import { fetchWithKafkajs, type FetchedMessage } from '../testing/kafkajs-fetch.js';
import { SeededRandom } from '../testing/seeded-random.js';
import { byPartition, hex, kafkajsHeaders, makeMessages, type TestMessage } from '../testing/test-messages.js';
import { advertises, fetchApiVersions } from '../testing/api-versions.js';
import { KafkaProxy } from '../testing/kafka-proxy.js';

const PRODUCE = 0;
const broker = await startTestBroker();
const apis = await fetchApiVersions(broker.port);
const kafka = createKafkajs(broker.bootstrap);
const admin = kafka.admin();
await admin.connect();
test.after(async () => {
  await admin.disconnect();
  await broker.close();
});

const rng = new SeededRandom();
const TOPIC = 'kafkajs-main';
const messages = makeMessages(rng, 10_000, { partitions: 6 });
const expected = byPartition(messages);

function toKafkajs(m: TestMessage) {
  return { partition: m.partition, key: m.key, value: m.value, headers: kafkajsHeaders(m.headers) };
}

function assertSame(got: FetchedMessage[], want: TestMessage[], what: string, firstOffset = 0): void {
  assert.is(got.length, want.length, `${what}: message count`);
  for (let j = 0; j < want.length; j++) {
    const g = got[j];
    const w = want[j];
    assert.is(g.offset, firstOffset + j, `${what}: offset at position ${j}`);
    assert.is(hex(g.key), hex(w.key), `${what}: key at offset ${g.offset} (message ${w.i})`);
    assert.is(hex(g.value), hex(w.value), `${what}: value at offset ${g.offset} (message ${w.i})`);
    const gh = Object.fromEntries(Object.entries(g.headers).map(([k, v]) => [k, Array.isArray(v) ? v.map(hex) : hex(v)]));
    const wh = Object.fromEntries(Object.entries(kafkajsHeaders(w.headers)).map(([k, v]) => [k, Array.isArray(v) ? v.map(hex) : hex(v)]));
    assert.equal(gh, wh, `${what}: headers at offset ${g.offset} (message ${w.i})`);
  }
}

test('admin.createTopics (6 partitions, a config override) and fetchTopicMetadata', async () => {
  const created = await admin.createTopics({
    topics: [{ topic: TOPIC, numPartitions: 6, configEntries: [{ name: 'retention.ms', value: '86400000' }] }],
  });
  assert.is(created, true, 'createTopics reports the topic as created');
  const again = await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 6 }] });
  assert.is(again, false, 'creating an existing topic reports false (TOPIC_ALREADY_EXISTS)');
  const md = await admin.fetchTopicMetadata({ topics: [TOPIC] });
  assert.is(md.topics.length, 1);
  assert.is(md.topics[0].name, TOPIC);
  const parts = [...md.topics[0].partitions].sort((a, b) => a.partitionId - b.partitionId);
  assert.equal(parts.map((p) => p.partitionId), [0, 1, 2, 3, 4, 5]);
  for (const p of parts) {
    assert.is(p.partitionErrorCode, 0);
    assert.is(p.leader, 0, 'single broker (broker.id 0) leads every partition');
    assert.equal(p.replicas, [0]);
    assert.equal(p.isr, [0]);
  }
  const topics = await admin.listTopics();
  assert.ok(topics.includes(TOPIC), `listTopics includes ${TOPIC}: ${topics}`);
});

test('produce 10,000 keyed messages with (repeated) headers in batches; offsets are contiguous per partition', async () => {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    const nextOffset = new Map<number, number>();
    for (let start = 0; start < messages.length; start += 500) {
      const batch = messages.slice(start, start + 500);
      const results = await producer.send({ topic: TOPIC, acks: -1, messages: batch.map(toKafkajs) });
      const counts = byPartition(batch);
      assert.is(results.length, counts.size, 'one result per partition written');
      for (const r of results) {
        assert.is(r.topicName, TOPIC);
        assert.is(r.errorCode, 0, `partition ${r.partition} error`);
        assert.is(Number(r.baseOffset), nextOffset.get(r.partition) ?? 0, `baseOffset of partition ${r.partition} batch at message ${start}`);
        nextOffset.set(r.partition, (nextOffset.get(r.partition) ?? 0) + counts.get(r.partition)!.length);
      }
    }
  } finally {
    await producer.disconnect();
  }
});

test('fetchTopicOffsets: low 0, high = messages per partition', async () => {
  const offsets = await admin.fetchTopicOffsets(TOPIC);
  const sorted = [...offsets].sort((a, b) => a.partition - b.partition);
  assert.equal(sorted.map((o) => o.partition), [0, 1, 2, 3, 4, 5]);
  for (const o of sorted) {
    const n = expected.get(o.partition)?.length ?? 0;
    assert.is(Number(o.low), 0, `low of ${o.partition}`);
    assert.is(Number(o.high), n, `high of ${o.partition}`);
    assert.is(Number(o.offset), n, `offset (latest) of ${o.partition}`);
  }
});

test('kafkajs Fetch reads every message back byte-exact, in order, per partition', async () => {
  const got = await fetchWithKafkajs(kafka, TOPIC, { partitions: [0, 1, 2, 3, 4, 5], partitionMaxBytes: 256 << 10 });
  for (let p = 0; p < 6; p++) assertSame(got.get(p)!, expected.get(p) ?? [], `partition ${p}`);
});

test('describeConfigs: topic override and defaults; requested names only', async () => {
  const all = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: TOPIC }] });
  assert.is(all.resources.length, 1);
  const res = all.resources[0];
  assert.is(res.errorCode, 0);
  assert.is(res.resourceName, TOPIC);
  const entries = new Map(res.configEntries.map((e) => [e.configName, e]));
  assert.is(entries.get('retention.ms')?.configValue, '86400000', 'override is described');
  assert.is(entries.get('retention.ms')?.isDefault, false, 'override is not a default');
  assert.is(entries.get('cleanup.policy')?.configValue, 'delete');
  assert.is(entries.get('cleanup.policy')?.isDefault, true);
  const some = await admin.describeConfigs({
    includeSynonyms: false,
    resources: [{ type: ConfigResourceTypes.TOPIC, name: TOPIC, configNames: ['cleanup.policy', 'segment.bytes'] }],
  });
  assert.equal(some.resources[0].configEntries.map((e) => e.configName).sort(), ['cleanup.policy', 'segment.bytes']);
  const missing = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: 'no-such-topic' }] })
    .then((r) => r.resources[0].errorCode, (e: { type?: string }) => e.type);
  assert.ok(missing === 3 || missing === 'UNKNOWN_TOPIC_OR_PARTITION', `unknown topic → UNKNOWN_TOPIC_OR_PARTITION, got ${missing}`);
});

test('fetchTopicOffsetsByTimestamp: first offset at or after the time; the end when none is', async () => {
  const topic = 'kafkajs-times';
  assert.is(await admin.createTopics({ topics: [{ topic, numPartitions: 2 }] }), true);
  const base = 1_700_000_000_000;
  const producer = kafka.producer();
  await producer.connect();
  try {
    await producer.send({
      topic, acks: -1,
      messages: Array.from({ length: 10 }, (_, i) => ({ partition: i % 2, value: `m${i}`, timestamp: String(base + i * 1000) })),
    });
  } finally {
    await producer.disconnect();
  }
  const at = async (ts: number) => Object.fromEntries((await admin.fetchTopicOffsetsByTimestamp(topic, ts)).map((o) => [o.partition, Number(o.offset)]));
  assert.equal(await at(base), { 0: 0, 1: 0 });
  assert.equal(await at(base + 3500), { 0: 2, 1: 2 }, 'partition 0 holds ts +0,+2,+4..; partition 1 holds +1,+3,+5..');
  assert.equal(await at(base + 9000), { 0: 5, 1: 4 });
  assert.equal(await at(base + 100_000), { 0: 5, 1: 5 }, 'no message that late: the high watermark');
});

test('createPartitions 6 → 8; the new partitions take messages', async () => {
  await admin.createPartitions({ topicPartitions: [{ topic: TOPIC, count: 8 }] });
  const md = await admin.fetchTopicMetadata({ topics: [TOPIC] });
  assert.equal(md.topics[0].partitions.map((p) => p.partitionId).sort(), [0, 1, 2, 3, 4, 5, 6, 7]);
  const producer = kafka.producer();
  await producer.connect();
  try {
    const r = await producer.send({ topic: TOPIC, acks: -1, messages: [{ partition: 7, key: 'k7', value: 'v7' }] });
    assert.is(r[0].partition, 7);
    assert.is(Number(r[0].baseOffset), 0);
  } finally {
    await producer.disconnect();
  }
  const got = await fetchWithKafkajs(kafka, TOPIC, { partitions: [7] });
  assert.equal(got.get(7)!.map((m) => [m.offset, m.key?.toString(), m.value?.toString()]), [[0, 'k7', 'v7']]);
  let error: { type?: string } | undefined;
  await admin.createPartitions({ topicPartitions: [{ topic: TOPIC, count: 4 }] }).catch((e) => (error = e));
  assert.ok(error, 'decreasing the partition count is refused');
});

test('deleteRecords moves the log start offset; reads from there are exact', async () => {
  const p0 = expected.get(0)!;
  await admin.deleteTopicRecords({ topic: TOPIC, partitions: [{ partition: 0, offset: '100' }] });
  const offsets = await admin.fetchTopicOffsets(TOPIC);
  const o0 = offsets.find((o) => o.partition === 0)!;
  assert.is(Number(o0.low), 100);
  assert.is(Number(o0.high), p0.length);
  const got = await fetchWithKafkajs(kafka, TOPIC, { partitions: [0], fromOffsets: new Map([[0, 100]]) });
  assertSame(got.get(0)!, p0.slice(100), 'partition 0 after deleteRecords', 100);
  let error: { type?: string } | undefined;
  await fetchWithKafkajs(kafka, TOPIC, { partitions: [0], fromOffsets: new Map([[0, 50]]), timeout: 5000 }).catch((e) => (error = e));
  assert.is((error as { type?: string } | undefined)?.type, 'OFFSET_OUT_OF_RANGE', `fetching below the log start offset → OFFSET_OUT_OF_RANGE, got ${error}`);
});

test('idempotent producer: Produce responses lost on the way back are retried and written exactly once', async () => {
  const topic = 'kafkajs-idempotent';
  assert.is(await admin.createTopics({ topics: [{ topic, numPartitions: 3 }] }), true);
  const proxy = await KafkaProxy.listen({ host: '127.0.0.1', port: broker.port });
  const viaProxy = createKafkajs(broker.bootstrap, { viaProxyPort: proxy.port, retry: { retries: 10, initialRetryTime: 50 } });
  const producer = viaProxy.producer({ idempotent: true, maxInFlightRequests: 1 });
  const msgs = makeMessages(new SeededRandom(rng.seed + 1), 2000, { partitions: 3 });
  try {
    await producer.connect();
    for (let j = 0; j < 20; j++) {
      if (j % 5 === 2) proxy.dropResponses(PRODUCE, 1);
      await producer.send({ topic, acks: -1, messages: msgs.slice(j * 100, j * 100 + 100).map(toKafkajs) });
    }
    assert.is(proxy.droppedResponses, 4, 'four Produce responses were lost (and their requests retried)');
  } finally {
    await producer.disconnect().catch(() => {});
    await proxy.close();
  }
  const want = byPartition(msgs);
  const got = await fetchWithKafkajs(kafka, topic, { partitions: [0, 1, 2] });
  for (let p = 0; p < 3; p++) assertSame(got.get(p)!, want.get(p) ?? [], `idempotent partition ${p}`);
});

const groupApis = advertises(apis, 10, 11, 12, 13, 14, 8, 9);
(groupApis ? test : test.skip)('group consumer (consumer.run) reads every message of a new topic once', async () => {
  const topic = 'kafkajs-group';
  assert.is(await admin.createTopics({ topics: [{ topic, numPartitions: 3 }] }), true);
  const msgs = makeMessages(new SeededRandom(rng.seed + 2), 600, { partitions: 3 });
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic, acks: -1, messages: msgs.map(toKafkajs) });
  await producer.disconnect();
  const consumer = kafka.consumer({ groupId: 'kafkajs-interop', sessionTimeout: 10_000, heartbeatInterval: 500 });
  const got = new Map<number, FetchedMessage[]>();
  let total = 0;
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`group consumer got ${total} of ${msgs.length} in 30 s`)), 30_000);
      consumer.run({
        eachMessage: async ({ partition, message }) => {
          const list = got.get(partition) ?? [];
          got.set(partition, list);
          list.push({ partition, offset: Number(message.offset), timestamp: Number(message.timestamp), key: message.key, value: message.value, headers: message.headers as FetchedMessage['headers'] });
          if (++total === msgs.length) { clearTimeout(timer); resolve(); }
        },
      }).catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  const want = byPartition(msgs);
  for (let p = 0; p < 3; p++) assertSame(got.get(p) ?? [], want.get(p) ?? [], `group partition ${p}`);
});
if (!groupApis) console.log('[pending] group consumer: the broker does not advertise FindCoordinator/JoinGroup/SyncGroup/Heartbeat/LeaveGroup/OffsetCommit/OffsetFetch yet');

test('deleteTopics removes the topic from listTopics and metadata', async () => {
  await admin.deleteTopics({ topics: ['kafkajs-times'] });
  const topics = await admin.listTopics();
  assert.not.ok(topics.includes('kafkajs-times'), `deleted topic still listed: ${topics}`);
  assert.ok(topics.includes(TOPIC));
  let error: { type?: string } | undefined;
  await admin.fetchTopicMetadata({ topics: ['kafkajs-times'] }).catch((e) => (error = e));
  assert.ok(error, 'metadata of a deleted topic is an error');
});

test.run();
