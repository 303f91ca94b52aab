// Records the raw requests real clients send, for protocol tests and fuzz seeds:
//
//   node --import tsx ts/interop/capture-frames.ts [client ...]
//
// clients: kafkajs platformatic kcat confluent-kafka kafka-python (default: all available).
// A broker is started advertising a KafkaProxy's port, so every connection of every client goes
// through the proxy; each client runs a short scenario (admin, produce, fetch, offsets...) and
// the first frame of each (api, version) it sent is written to
// ts/interop/frames/<api>-v<N>-<client>.bin (format: see ts/testing/kafka-proxy.ts). The
// client's previous frames are deleted first. Payloads are seeded, so re-running changes only
// timestamps, ids and correlation ids inside the frames.
import { mkdirSync, readdirSync, unlinkSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Admin, Consumer, Producer } from '@platformatic/kafka';
import { API_NAMES } from '../protocol/index.js';
import { advertises, fetchApiVersions } from '../testing/api-versions.js';
import { createKafkajs, ConfigResourceTypes } from '../testing/kafkajs-client.js';
import { fetchWithKafkajs } from '../testing/kafkajs-fetch.js';
import { KafkaProxy, kebabApiName } from '../testing/kafka-proxy.js';
import { fetchWithPlatformatic } from '../testing/platformatic-fetch.js';
import { runKcat } from '../testing/run-kcat.js';
import { runPython } from '../testing/run-python.js';
import { missing } from '../testing/skip-unless.js';
import { startTestBroker } from '../testing/with-broker.js';

const FRAMES_DIR = fileURLToPath(new URL('./frames/', import.meta.url));
const apiName = (key: number) => kebabApiName(API_NAMES[key] ?? `api${key}`);

type Scenario = (bootstrap: string, groupApis: boolean) => Promise<void>;

const kafkajsScenario: Scenario = async (bootstrap, groupApis) => {
  const kafka = createKafkajs(bootstrap);
  const admin = kafka.admin();
  await admin.connect();
  const topic = 'capture-kafkajs';
  await admin.createTopics({ topics: [{ topic, numPartitions: 2, configEntries: [{ name: 'retention.ms', value: '600000' }] }] });
  await admin.fetchTopicMetadata({ topics: [topic] });
  await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topic }] });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  await producer.send({ topic, acks: -1, messages: [{ partition: 0, key: 'k', value: 'v', headers: { h: ['1', '2'] } }, { partition: 1, key: null, value: 'x' }] });
  await producer.disconnect();
  await fetchWithKafkajs(kafka, topic, { partitions: [0, 1] });
  await admin.fetchTopicOffsets(topic);
  await admin.fetchTopicOffsetsByTimestamp(topic, Date.now() - 60_000);
  await admin.createPartitions({ topicPartitions: [{ topic, count: 3 }] });
  await admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '1' }] });
  if (groupApis) {
    const consumer = kafka.consumer({ groupId: 'capture-kafkajs' });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 10_000);
      void consumer.run({ eachMessage: async () => { clearTimeout(timer); resolve(); } });
    });
    await consumer.disconnect();
  }
  await admin.deleteTopics({ topics: [topic] });
  await admin.disconnect();
};

const platformaticScenario: Scenario = async (bootstrap) => {
  const base = { clientId: 'samsa-capture-platformatic', bootstrapBrokers: [bootstrap], retries: 1 };
  const admin = new Admin(base);
  const topic = 'capture-platformatic';
  await admin.createTopics({ topics: [topic], partitions: 2, replicas: 1 });
  await admin.describeConfigs({ resources: [{ resourceType: 2, resourceName: topic }] });
  const producer = new Producer({ ...base, idempotent: true });
  await producer.send({ messages: [{ topic, partition: 0, key: Buffer.from('k'), value: Buffer.from('v'), headers: new Map([[Buffer.from('h'), Buffer.from('1')]]) }] });
  await producer.close();
  const consumer = new Consumer({ ...base, groupId: 'capture-platformatic' });
  await fetchWithPlatformatic(consumer, topic, { partitions: [0, 1] });
  await consumer.close(true);
  await admin.listOffsets({ topics: [{ name: topic, partitions: [{ partitionIndex: 0, timestamp: -1n }] }] });
  await admin.createPartitions({ topics: [{ name: topic, count: 3 }] });
  await admin.deleteRecords({ topics: [{ name: topic, partitions: [{ partition: 0, offset: 1n }] }] });
  await admin.deleteTopics({ topics: [topic] });
  await admin.close();
};

const kcatScenario: Scenario = async (bootstrap) => {
  const b = ['-b', bootstrap];
  const topic = 'capture-kcat';
  await runKcat([...b, '-L', '-q']);
  await runKcat([...b, '-P', '-t', topic, '-K:', '-H', 'h=1', '-X', 'enable.idempotence=true'], { input: 'k1:v1\nk2:v2\n' });
  await runKcat([...b, '-C', '-t', topic, '-o', 'beginning', '-e', '-q']);
  await runKcat([...b, '-Q', '-t', `${topic}:0:${Date.now() - 60_000}`, '-q']);
};

const confluentScenario: Scenario = async (bootstrap) => {
  const spec = (x: object) => JSON.stringify({ bootstrap, ...x });
  const topic = 'capture-confluent';
  await runPython('confluent_client.py', ['create_topic', spec({ topic, partitions: 2 })]);
  await runPython('confluent_client.py', ['describe', spec({ topic })]);
  await runPython('confluent_client.py', ['produce', spec({ topic, config: { 'enable.idempotence': true } })], { input: JSON.stringify([{ k64: 'aw==', v64: 'dg==', partition: 0, headers: [['h', 'MQ==']] }]) });
  await runPython('confluent_client.py', ['consume', spec({ topic, assignments: [{ partition: 0, offset: 'beginning' }], count: 1 })]);
  await runPython('confluent_client.py', ['offsets', spec({ topic, partitions: [0, 1], timestamps: [Date.now() - 60_000] })]);
};

const kafkaPythonScenario: Scenario = async (bootstrap) => {
  const spec = (x: object) => JSON.stringify({ bootstrap, ...x });
  const topic = 'capture-kafka-python';
  await runPython('kafka_python_client.py', ['create_topics', spec({ topics: [{ name: topic, partitions: 2 }] })]);
  await runPython('kafka_python_client.py', ['describe_configs', spec({ topic })]);
  await runPython('kafka_python_client.py', ['produce', spec({ topic })], { input: JSON.stringify([{ k64: 'aw==', v64: 'dg==', partition: 0, headers: [['h', 'MQ==']] }]) });
  await runPython('kafka_python_client.py', ['consume', spec({ topic, partitions: [0, 1], count: 1 })]);
};

const CLIENTS: Record<string, { needs: Parameters<typeof missing>[0] | null; run: Scenario }> = {
  kafkajs: { needs: null, run: kafkajsScenario },
  platformatic: { needs: null, run: platformaticScenario },
  kcat: { needs: 'kcat', run: kcatScenario },
  'confluent-kafka': { needs: { python: 'confluent_kafka' }, run: confluentScenario },
  'kafka-python': { needs: { python: 'kafka' }, run: kafkaPythonScenario },
};

mkdirSync(FRAMES_DIR, { recursive: true });
const wanted = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(CLIENTS);
const proxy = await KafkaProxy.listen();
const broker = await startTestBroker({ config: { 'advertised.listeners': `PLAINTEXT://localhost:${proxy.port}` } });
proxy.target = { host: '127.0.0.1', port: broker.broker.listeners[0].port };
let failures = 0;
try {
  const groupApis = advertises(await fetchApiVersions(broker.broker.listeners[0].port), 10, 11, 12, 13, 14);
  for (const client of wanted) {
    const c = CLIENTS[client];
    if (!c) throw new Error(`unknown client ${client}; known: ${Object.keys(CLIENTS).join(' ')}`);
    const why = c.needs ? missing(c.needs) : null;
    if (why) { console.log(`${client}: skipped (${why})`); continue; }
    proxy.frames.clear();
    try {
      await c.run(`localhost:${proxy.port}`, groupApis);
    } catch (err) {
      failures++;
      console.log(`${client}: scenario failed (${(err as Error).message}); saving the frames captured so far`);
    }
    for (const f of readdirSync(FRAMES_DIR)) if (f.endsWith(`-${client}.bin`)) unlinkSync(FRAMES_DIR + f);
    const saved = proxy.saveFrames(FRAMES_DIR, client, apiName);
    console.log(`${client}: ${saved.length} frames: ${saved.join(' ')}`);
  }
} finally {
  await proxy.close();
  await broker.close();
}
process.exitCode = failures ? 1 : 0;
