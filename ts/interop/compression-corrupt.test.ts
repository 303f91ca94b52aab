// Corrupt compressed payloads at the client level: a hand-built Produce request (the project's
// protocol codec: encodeRequest + buildBatch) carries, per codec, one partition whose batch has a
// VALID CRC-32C but broken compressed data (or a header that disagrees with its inner records)
// and another partition with a good batch. The broker answers CORRUPT_MESSAGE (2) for the bad
// partition only, appends nothing there (log end offset unchanged, ListOffsets latest unchanged),
// appends the good partition, and afterwards `samsa check` on the data dir finds no problem.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { crc32c } from '../native/crc32c.js';
import { INLINE_MAX_BYTES } from '../pool/produce-validation.js';
import { ApiKey } from '../protocol/generated/api-keys.js';
import { buildBatch, type RecordInput } from '../protocol/record/batch-builder.js';
import * as L from '../protocol/record/layout.js';
import { RawClient } from '../server/testing/raw-client.js';
import { startTestBroker } from '../testing/with-broker.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const dataDir = mkdtempSync(tmpdir() + '/samsa-corrupt-');
const broker = await startTestBroker({ dataDir });
const client = await RawClient.connect(broker.port);
let closed = false;
async function shutdown(): Promise<void> {
  if (closed) return;
  closed = true;
  client.close();
  await broker.close();
}
test.after(async () => { await shutdown(); rmSync(dataDir, { recursive: true, force: true }); });

const CODECS = ['gzip', 'snappy', 'lz4', 'zstd'] as const;
const records = (tag: string, n: number): RecordInput[] =>
  Array.from({ length: n }, (_, i) => ({ key: `${tag}-k${i}`, value: `${tag} value ${i} `.repeat(8), headers: [{ key: 'i', value: String(i) }] }));

/** Incompressible values, so that even compressed the batch goes to the pool. */
const bigRecords = (n: number): RecordInput[] => Array.from({ length: n }, (_, i) => ({ key: `big-k${i}`, value: randomBytes(100) }));

function restampCrc(b: Buffer): Buffer {
  b.writeUInt32BE(crc32c(b.subarray(L.CRC_START)) >>> 0, L.CRC_OFFSET);
  return b;
}
/** Compressed bytes scrambled, CRC recomputed: passes the CRC check, fails to decompress or decode. */
function brokenPayload(b: Buffer): Buffer {
  for (let i = L.RECORDS_OFFSET + 12; i < b.length; i += 5) b[i] ^= 0xa5;
  return restampCrc(b);
}
/** Valid compressed data, but the header claims one record more than the payload holds. */
function wrongCount(b: Buffer): Buffer {
  b.writeInt32BE(b.readInt32BE(L.RECORDS_COUNT_OFFSET) + 1, L.RECORDS_COUNT_OFFSET);
  b.writeInt32BE(b.readInt32BE(L.LAST_OFFSET_DELTA_OFFSET) + 1, L.LAST_OFFSET_DELTA_OFFSET);
  return restampCrc(b);
}

interface PartitionResponse { index: number; errorCode: number; baseOffset: number }
interface ProduceResponse { responses: Array<{ name: string; partitionResponses: PartitionResponse[] }> }

async function produce(topic: string, parts: Array<[number, Buffer]>): Promise<PartitionResponse[]> {
  const res = await client.request<ProduceResponse>(ApiKey.Produce, 9, {
    transactionalId: null, acks: -1, timeoutMs: 5000,
    topicData: [{ name: topic, partitionData: parts.map(([index, records]) => ({ index, records })) }],
  });
  assert.is(res.responses.length, 1);
  return [...res.responses[0]!.partitionResponses].sort((a, b) => a.index - b.index);
}

async function latestOffset(topic: string, partition: number): Promise<number> {
  const res = await client.request<{ topics: Array<{ partitions: Array<{ errorCode: number; offset: number }> }> }>(ApiKey.ListOffsets, 2, {
    replicaId: -1, isolationLevel: 0, topics: [{ name: topic, partitions: [{ partitionIndex: partition, timestamp: -1 }] }],
  });
  const p = res.topics[0]!.partitions[0]!;
  assert.is(p.errorCode, 0);
  return p.offset;
}
const leo = (topic: string, partition: number) => broker.broker.logManager.getLog(topic, partition)!.logEndOffset;

await client.request(ApiKey.CreateTopics, 4, {
  topics: CODECS.map((c) => ({ name: `corrupt-${c}`, numPartitions: 2, replicationFactor: 1, assignments: [], configs: [] })),
  timeoutMs: 5000, validateOnly: false,
});

for (const codec of CODECS) {
  const cases = [['broken compressed data', brokenPayload, 40], ['recordsCount one more than the payload', wrongCount, 40],
    ['broken compressed data in a batch above INLINE_MAX_BYTES (validated on the pool)', brokenPayload, 600]] as const;
  for (const [label, spoil, n] of cases) {
    test(`${codec}, ${label} (valid CRC): CORRUPT_MESSAGE for that partition only, nothing appended there`, async () => {
      const topic = `corrupt-${codec}`;
      // Some good data first, so "unchanged" means something.
      const seed = await produce(topic, [[0, buildBatch(records('seed', 5), { compression: codec })]]);
      assert.equal(seed.map((p) => p.errorCode), [0]);
      const before0 = leo(topic, 0), before1 = leo(topic, 1);
      assert.is(await latestOffset(topic, 0), before0);
      const bad = spoil(buildBatch(n > 100 ? bigRecords(n) : records('bad', n), { compression: codec }));
      if (n > 100) assert.ok(bad.length > INLINE_MAX_BYTES, `${bad.length} bytes`);
      const good = buildBatch(records('good', 7), { compression: codec });
      const res = await produce(topic, [[0, bad], [1, good]]);
      assert.equal(res.map((p) => [p.index, p.errorCode]), [[0, 2], [1, 0]]);
      assert.is(res[1]!.baseOffset, before1);
      assert.is(leo(topic, 0), before0, 'nothing appended to the partition with the corrupt batch');
      assert.is(await latestOffset(topic, 0), before0);
      assert.is(leo(topic, 1), before1 + 7, 'the good partition appended its 7 records');
      assert.is(await latestOffset(topic, 1), before1 + 7);
    });
  }
}

test('the connection survived every refusal, and `samsa check` on the data dir finds no problem', async () => {
  const again = await produce('corrupt-zstd', [[0, buildBatch(records('after', 3), { compression: 'zstd' })]]);
  assert.is(again[0]!.errorCode, 0);
  assert.is(leo('corrupt-zstd', 0), 5 * 3 + 3);
  await shutdown();
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'ts/cli/main.ts', 'check', '--json', dataDir], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
  assert.is(r.status, 0, `samsa check failed:\n${r.stdout}\n${r.stderr}`);
  const report = JSON.parse(r.stdout) as { problems: unknown[]; summary: { partitions: number } };
  assert.equal(report.problems, []);
  assert.ok(report.summary.partitions >= CODECS.length * 2, JSON.stringify(report.summary));
});

test.run();
