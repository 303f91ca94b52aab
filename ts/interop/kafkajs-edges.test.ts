// kafkajs against Samsa at the edges: describeCluster, LogAppendTime topics, acks=0, a message
// near max.message.bytes and one over it, unknown topics with auto-creation off, reads with a
// partition byte limit smaller than one batch, empty vs null keys and values.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startTestBroker } from '../testing/with-broker.js';
import { createKafkajs, ConfigResourceTypes } from '../testing/kafkajs-client.js';
import { fetchWithKafkajs } from '../testing/kafkajs-fetch.js';
import { SeededRandom } from '../testing/seeded-random.js';

const broker = await startTestBroker({ config: { 'auto.create.topics.enable': false } });
const kafka = createKafkajs(broker.bootstrap, { retry: { retries: 1, initialRetryTime: 50 } });
const admin = kafka.admin();
const producer = kafka.producer({ allowAutoTopicCreation: false });
await admin.connect();
await producer.connect();
test.after(async () => {
  await producer.disconnect();
  await admin.disconnect();
  await broker.close();
});
const rng = new SeededRandom();

test('describeCluster: one broker at localhost:port, controller 0, a cluster id', async () => {
  const c = await admin.describeCluster();
  assert.equal(c.brokers, [{ nodeId: 0, host: 'localhost', port: broker.port }]);
  assert.is(c.controller, 0);
  assert.ok(typeof c.clusterId === 'string' && c.clusterId.length > 0, `cluster id ${c.clusterId}`);
});

test('describeConfigs BROKER 0: known settings with values', async () => {
  const r = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.BROKER, name: '0' }] });
  assert.is(r.resources[0].errorCode, 0);
  const entries = new Map(r.resources[0].configEntries.map((e) => [e.configName, e.configValue]));
  assert.is(entries.get('auto.create.topics.enable'), 'false');
  assert.is(entries.get('num.partitions'), '1');
});

test('produce to an unknown topic with auto-creation off fails (UNKNOWN_TOPIC_OR_PARTITION)', async () => {
  let error: { type?: string; message?: string } | undefined;
  await producer.send({ topic: 'no-such-topic', messages: [{ value: 'x' }] }).catch((e) => (error = e));
  assert.ok(error, 'send fails');
  assert.match(String(error!.type ?? error!.message), /UNKNOWN_TOPIC_OR_PARTITION|does not host this topic-partition/);
  assert.not.ok((await admin.listTopics()).includes('no-such-topic'), 'nothing was auto-created');
});

test('LogAppendTime topic: consumers see the broker time the produce response returned', async () => {
  const topic = 'edges-log-append-time';
  assert.is(await admin.createTopics({ topics: [{ topic, numPartitions: 1, configEntries: [{ name: 'message.timestamp.type', value: 'LogAppendTime' }] }] }), true);
  const before = Date.now();
  const [r] = await producer.send({ topic, acks: -1, messages: [{ value: 'a', timestamp: '1000' }, { value: 'b', timestamp: '2000' }] });
  const appendTime = Number(r.logAppendTime);
  assert.ok(appendTime >= before - 5000 && appendTime <= Date.now() + 5000, `logAppendTime ${appendTime} is the broker's clock, not -1`);
  const got = (await fetchWithKafkajs(kafka, topic, { partitions: [0] })).get(0)!;
  assert.equal(got.map((m) => [m.value!.toString(), m.timestamp]), [['a', appendTime], ['b', appendTime]]);
});

test('acks=0: no response awaited, the messages still land in order', async () => {
  const topic = 'edges-acks0';
  assert.is(await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] }), true);
  for (let i = 0; i < 5; i++) await producer.send({ topic, acks: 0, messages: [{ value: `m${i}` }] });
  const got = (await fetchWithKafkajs(kafka, topic, { partitions: [0], untilOffsets: new Map([[0, 5]]), timeout: 15_000 })).get(0)!;
  assert.equal(got.map((m) => m.value!.toString()), ['m0', 'm1', 'm2', 'm3', 'm4']);
});

test('a 900 KB message round-trips; one over max.message.bytes is refused (MESSAGE_TOO_LARGE) and nothing is appended', async () => {
  const topic = 'edges-large';
  assert.is(await admin.createTopics({ topics: [{ topic, numPartitions: 1, configEntries: [{ name: 'max.message.bytes', value: '1000000' }] }] }), true);
  const big = rng.bytes(900_000);
  await producer.send({ topic, acks: -1, messages: [{ key: 'big', value: big }] });
  let error: { type?: string } | undefined;
  await producer.send({ topic, acks: -1, messages: [{ key: 'too-big', value: rng.bytes(1_100_000) }] }).catch((e) => (error = e));
  assert.is(error?.type, 'MESSAGE_TOO_LARGE', `got ${error}`);
  await producer.send({ topic, acks: -1, messages: [{ key: 'after', value: 'small' }] });
  const got = (await fetchWithKafkajs(kafka, topic, { partitions: [0], partitionMaxBytes: 1 << 20, maxBytes: 2 << 20 })).get(0)!;
  assert.equal(got.map((m) => [m.offset, m.key!.toString()]), [[0, 'big'], [1, 'after']]);
  assert.ok(got[0].value!.equals(big), '900 KB value byte-exact');
});

test('partition byte limit smaller than one batch: the first batch still comes whole (reads progress)', async () => {
  const topic = 'edges-small-limit';
  assert.is(await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] }), true);
  const values = Array.from({ length: 6 }, () => rng.bytes(3000));
  for (let i = 0; i < values.length; i += 2) {
    await producer.send({ topic, acks: -1, messages: [{ value: values[i] }, { value: values[i + 1] }] });
  }
  const got = (await fetchWithKafkajs(kafka, topic, { partitions: [0], partitionMaxBytes: 100, maxBytes: 100 })).get(0)!;
  assert.equal(got.map((m) => m.offset), [0, 1, 2, 3, 4, 5]);
  got.forEach((m, i) => assert.ok(m.value!.equals(values[i]), `value ${i}`));
});

test('empty and null keys and values stay distinct', async () => {
  const topic = 'edges-nulls';
  assert.is(await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] }), true);
  await producer.send({ topic, acks: -1, messages: [
    { key: null, value: null }, { key: Buffer.alloc(0), value: Buffer.alloc(0) }, { key: 'k', value: null }, { key: null, value: 'v' },
  ] });
  const got = (await fetchWithKafkajs(kafka, topic, { partitions: [0] })).get(0)!;
  const show = (b: Buffer | null) => (b === null ? 'null' : `"${b.toString()}"`);
  assert.equal(got.map((m) => `${show(m.key)}=${show(m.value)}`), ['null=null', '""=""', '"k"=null', 'null="v"']);
});

test.run();
