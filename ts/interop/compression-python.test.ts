// Python clients × codecs: confluent-kafka (librdkafka) produces with compression.type
// gzip|snappy|lz4|zstd, kafka-python with compression_type gzip (and snappy/lz4/zstd only when
// its optional python libs import in /usr/bin/python3; otherwise skipped with the reason). Each
// topic is then consumed back by each client (kafka-python only for codecs it can decode), and
// every message's key, value, headers and offset must match, in order; the stored batches are in
// the producer's codec.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readBatches } from '../protocol/record/batch-reader.js';
import { createKafkajs } from '../testing/kafkajs-client.js';
import { PYTHON, runPython } from '../testing/run-python.js';
import { missing, skipUnless } from '../testing/skip-unless.js';
import { SeededRandom } from '../testing/seeded-random.js';
import { b64, makeMessages, type TestMessage } from '../testing/test-messages.js';
import { startTestBroker } from '../testing/with-broker.js';

const CODECS = ['gzip', 'snappy', 'lz4', 'zstd'] as const;
type CodecName = typeof CODECS[number];
const broker = await startTestBroker();
const admin = createKafkajs(broker.bootstrap).admin();
await admin.connect();
test.after(async () => { await admin.disconnect(); await broker.close(); });
const spec = (extra: object) => JSON.stringify({ bootstrap: broker.bootstrap, ...extra });

/** Codecs kafka-python can use here (its snappy/lz4/zstd need optional python packages). */
function kafkaPythonCodecs(): Set<string> {
  if (missing({ python: 'kafka' }) !== null) return new Set();
  const r = spawnSync(PYTHON, ['-s', '-c', 'import json; from kafka import codec as c; print(json.dumps({"gzip": c.has_gzip(), "snappy": c.has_snappy(), "lz4": c.has_lz4(), "zstd": c.has_zstd()}))'], { encoding: 'utf8', timeout: 20_000 });
  if (r.status !== 0) return new Set();
  return new Set(Object.entries(JSON.parse(r.stdout) as Record<string, boolean>).filter(([, ok]) => ok).map(([c]) => c));
}
const kpCodecs = kafkaPythonCodecs();
const confluent = skipUnless({ python: 'confluent_kafka' });
const kafkaPython = skipUnless({ python: 'kafka' });
for (const c of CODECS) {
  if (missing({ python: 'kafka' }) === null && !kpCodecs.has(c)) console.log(`[skip] kafka-python × ${c}: kafka.codec.has_${c}() is False in ${PYTHON} (python3-${c === 'zstd' ? 'zstandard' : c} not installed)`);
}

interface Consumed { event: string; partition: number; offset: number; k64: string | null; v64: string | null; headers: Array<[string, string | null]> }
const wire = (m: TestMessage) => ({ k64: b64(m.key), v64: b64(m.value), partition: 0, headers: m.headers.map(([k, v]) => [k, b64(v)]) });
const expectRows = (msgs: TestMessage[]) => msgs.map((m, i) => [i, b64(m.key), b64(m.value), m.headers.map(([k, v]) => [k, b64(v)])]);
const gotRows = (lines: Consumed[]) => lines.filter((l) => l.event === 'message').map((l) => [l.offset, l.k64, l.v64, l.headers]);

function storedCodecs(topic: string): string[] {
  const dir = join(broker.dataDir, `${topic}-0`);
  return readdirSync(dir).filter((n) => n.endsWith('.log')).sort()
    .flatMap((n) => [...readBatches(readFileSync(join(dir, n)))].map((b) => b.compressionName));
}

async function checkBothConsumers(topic: string, sent: TestMessage[], codec: CodecName): Promise<void> {
  const c = await runPython<Consumed>('confluent_client.py', ['consume', spec({ topic, assignments: [{ partition: 0, offset: 'beginning' }], count: sent.length, timeout: 40 })], { timeout: 60_000 });
  assert.equal(gotRows(c.lines), expectRows(sent), 'confluent-kafka consumer');
  if (kpCodecs.has(codec)) {
    const k = await runPython<Consumed>('kafka_python_client.py', ['consume', spec({ topic, partitions: [0], count: sent.length, timeout: 40 })], { timeout: 60_000 });
    assert.equal(gotRows(k.lines), expectRows(sent), 'kafka-python consumer');
  }
}

const rng = new SeededRandom(5);
for (const codec of CODECS) {
  confluent(`confluent-kafka compression.type=${codec}: 1,000 keyed messages with headers, stored as ${codec}, consumed back exact by each client`, async () => {
    const topic = `py-confluent-${codec}`;
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
    const sent = makeMessages(rng, 1000, { partitions: 1, nullKeys: 0, maxValueBytes: 400 });
    const { lines } = await runPython<{ event: string; offset: number; error: string | null }>('confluent_client.py',
      ['produce', spec({ topic, config: { 'compression.type': codec, 'linger.ms': 20, 'enable.idempotence': true } })], { input: JSON.stringify(sent.map(wire)) });
    const delivered = lines.filter((l) => l.event === 'delivered');
    assert.is(delivered.length, sent.length);
    assert.ok(delivered.every((d) => d.error === null));
    assert.equal(delivered.map((d) => d.offset).sort((a, b) => a - b), sent.map((_, i) => i));
    const codecs = storedCodecs(topic);
    assert.ok(codecs.length > 0);
    assert.equal([...new Set(codecs)], [codec], `stored codecs ${codecs.join(',')}`);
    await checkBothConsumers(topic, sent, codec);
  });
}

for (const codec of CODECS) {
  const run = kpCodecs.has(codec) ? kafkaPython : ((name: string) => { console.log(`[skip] ${name}`); test.skip(name, () => {}); });
  run(`kafka-python compression_type=${codec}: 1,000 keyed messages with headers, stored as ${codec}, consumed back exact by each client`, async () => {
    const topic = `py-kafka-python-${codec}`;
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
    const sent = makeMessages(rng, 1000, { partitions: 1, nullKeys: 0, maxValueBytes: 400, compressible: true });
    const { lines } = await runPython<{ event: string; offset: number }>('kafka_python_client.py',
      ['produce', spec({ topic, config: { compression_type: codec, linger_ms: 20 } })], { input: JSON.stringify(sent.map(wire)), timeout: 60_000 });
    assert.equal(lines.filter((l) => l.event === 'sent').map((l) => l.offset), sent.map((_, i) => i));
    // kafka-python sends a batch uncompressed when compressing does not make it smaller, so the
    // values are compressible: then every batch must be stored in the producer's codec.
    const codecs = storedCodecs(topic);
    assert.ok(codecs.length > 1 && codecs.every((c) => c === codec), `stored codecs ${codecs.join(',')}`);
    if (missing({ python: 'confluent_kafka' }) === null) await checkBothConsumers(topic, sent, codec);
    else {
      const k = await runPython<Consumed>('kafka_python_client.py', ['consume', spec({ topic, partitions: [0], count: sent.length, timeout: 40 })], { timeout: 60_000 });
      assert.equal(gotRows(k.lines), expectRows(sent), 'kafka-python consumer');
    }
  });
}

test.run();
