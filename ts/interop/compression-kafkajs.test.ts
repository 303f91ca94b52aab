// kafkajs × gzip/snappy/lz4/zstd against the broker: 2,000 keyed messages with headers per codec,
// produced in several sends (several batches), consumed back byte-exact and in order; the
// segment files, read by `samsa dump-log --json` (the CLI, as an operator would), hold batches
// in the producer's codec (compression.type=producer stores batches as produced).
// Codecs: gzip is built into kafkajs; snappy is the kafkajs-snappy plugin (pure-JS snappyjs, an
// implementation independent of the broker's); lz4 and zstd have no plugin that installs without
// a native build from an unmaintained package, so kafkajs gets the project's own codec adapters
// (protocol/record/codecs) registered as kafkajs codecs. zstd is read by a consumer group member,
// the others by kafkajs' fetch decoder without a group (testing/kafkajs-fetch.ts; faster).
// Also: a topic with compression.type=zstd fed uncompressed by kafkajs stores only zstd batches
// (kcat covers the same in compression-kcat.test.ts when kcat is installed; this one needs none).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import kafkajs from 'kafkajs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { getCodec } from '../protocol/record/compression.js';
import { createKafkajs, CompressionTypes } from '../testing/kafkajs-client.js';
import { fetchWithKafkajs } from '../testing/kafkajs-fetch.js';
import { startTestBroker } from '../testing/with-broker.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const { CompressionCodecs } = kafkajs;
type KafkajsCodec = () => { compress(encoder: { buffer: Buffer }): Promise<Buffer>; decompress(buffer: Buffer): Promise<Buffer> };
// kafkajs-snappy ships no type declarations.
const SnappyCodec = createRequire(import.meta.url)('kafkajs-snappy') as KafkajsCodec;
/** kafkajs codec factory from a project codec adapter (id: Kafka codec id). */
function projectCodec(id: number): KafkajsCodec {
  const codec = getCodec(id);
  return () => ({
    compress: async (encoder: { buffer: Buffer }) => codec.compress(encoder.buffer),
    decompress: async (buffer: Buffer) => codec.decompress(buffer),
  });
}
CompressionCodecs[CompressionTypes.Snappy] = SnappyCodec;
CompressionCodecs[CompressionTypes.LZ4] = projectCodec(3);
CompressionCodecs[CompressionTypes.ZSTD] = projectCodec(4);

const broker = await startTestBroker();
const kafka = createKafkajs(broker.bootstrap);
const admin = kafka.admin();
await admin.connect();
test.after(async () => { await admin.disconnect(); await broker.close(); });

interface Msg { key: string; value: Buffer; headers: Record<string, Buffer> }
const N = 2000;
function messages(tag: string): Msg[] {
  return Array.from({ length: N }, (_, i) => ({
    key: `${tag}-key-${i % 700}`,
    // Compressible text plus a few binary bytes that depend on i.
    value: Buffer.concat([Buffer.from(`${tag} value ${i} ${'lorem ipsum '.repeat(i % 17)}`), Buffer.from([i & 0xff, (i >> 8) & 0xff, 0, 0xff])]),
    headers: { seq: Buffer.from(String(i)), 'h-bin': Buffer.from([i % 251, 1, 2, 3]) },
  }));
}
const show = (m: Msg) => JSON.stringify([m.key, m.value.toString('hex'), Object.entries(m.headers).map(([k, v]) => [k, v.toString('hex')])]);

async function produce(topic: string, msgs: Msg[], compression: number): Promise<void> {
  const producer = kafka.producer();
  await producer.connect();
  try {
    for (let i = 0; i < msgs.length; i += 400) {
      await producer.send({ topic, compression, messages: msgs.slice(i, i + 400).map((m) => ({ ...m, partition: 0 })) });
    }
  } finally { await producer.disconnect(); }
}

/** Reads partition 0 with kafkajs' Fetch decoder (no group: faster than a consumer join). */
async function fetchAll(topic: string): Promise<Array<Msg & { offset: number }>> {
  const got = (await fetchWithKafkajs(kafka, topic, { partitions: [0], maxWaitTime: 50 })).get(0) ?? [];
  return got.map((m) => ({ key: m.key!.toString(), value: m.value!, headers: m.headers as Record<string, Buffer>, offset: m.offset }));
}

/** Reads the topic with a kafkajs consumer group member (the path applications use). */
async function consumeAll(topic: string, count: number): Promise<Array<Msg & { offset: number }>> {
  const consumer = kafka.consumer({ groupId: `g-${topic}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  const got: Array<Msg & { offset: number }> = [];
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`consumed ${got.length} of ${count} from ${topic} in 30 s`)), 30_000);
      void consumer.run({
        eachMessage: async ({ message }) => {
          const headers: Record<string, Buffer> = {};
          for (const [k, v] of Object.entries(message.headers ?? {})) headers[k] = v as Buffer;
          got.push({ key: message.key!.toString(), value: message.value!, headers, offset: Number(message.offset) });
          if (got.length === count) { clearTimeout(timer); resolve(); }
        },
      });
    });
  } finally { await consumer.disconnect(); }
  return got;
}

/** Codec name of every batch of the topic's partition-0 segments, read by `samsa dump-log --json`. */
function storedCodecs(topic: string): { codecs: string[]; records: number } {
  const dir = join(broker.dataDir, `${topic}-0`);
  const logs = readdirSync(dir).filter((n) => n.endsWith('.log')).sort().map((n) => join(dir, n));
  assert.ok(logs.length > 0, `no segment in ${dir}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'ts/cli/main.ts', 'dump-log', '--json', ...logs], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
  assert.is(r.status, 0, r.stderr);
  const codecs: string[] = [];
  let records = 0;
  for (const line of r.stdout.split('\n').filter(Boolean)) {
    const o = JSON.parse(line) as { type: string; compression?: string; count?: number; crcValid?: boolean };
    if (o.type === 'error' || o.type === 'tail') assert.unreachable(`dump-log: ${line}`);
    if (o.type !== 'batch') continue;
    assert.ok(o.crcValid, line);
    codecs.push(o.compression!);
    records += o.count!;
  }
  return { codecs, records };
}

const CODECS = [['gzip', CompressionTypes.GZIP], ['snappy', CompressionTypes.Snappy], ['lz4', CompressionTypes.LZ4], ['zstd', CompressionTypes.ZSTD]] as const;
for (const [name, type] of CODECS) {
  test(`kafkajs ${name}: 2,000 keyed messages with headers round trip byte-exact, stored as ${name}`, async () => {
    const topic = `kjs-${name}`;
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
    const sent = messages(name);
    await produce(topic, sent, type);
    // One codec through a real consumer group member, the others through kafkajs' fetch decoder.
    const got = name === 'zstd' ? await consumeAll(topic, N) : await fetchAll(topic);
    assert.is(got.length, N);
    assert.equal(got.map((m) => m.offset), sent.map((_, i) => i), 'offsets 0..1999 in order');
    assert.equal(got.map(show), sent.map(show));
    const disk = storedCodecs(topic);
    assert.is(disk.records, N);
    assert.ok(disk.codecs.length >= 5, `${disk.codecs.length} batches (one per send at least)`);
    assert.equal([...new Set(disk.codecs)], [name]);
  });
}

test('topic compression.type=zstd fed uncompressed by kafkajs: only zstd batches on disk, content exact', async () => {
  const topic = 'kjs-topic-zstd';
  await admin.createTopics({ topics: [{ topic, numPartitions: 1, configEntries: [{ name: 'compression.type', value: 'zstd' }] }] });
  const sent = messages('plain').slice(0, 600);
  await produce(topic, sent, CompressionTypes.None);
  const got = await fetchAll(topic);
  assert.equal(got.map(show), sent.map(show));
  const disk = storedCodecs(topic);
  assert.is(disk.records, sent.length);
  assert.equal([...new Set(disk.codecs)], ['zstd']);
});

test.run();
