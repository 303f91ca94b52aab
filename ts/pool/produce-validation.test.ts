import { randomBytes } from 'node:crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { crc32c } from '../native/crc32c.js';
import { buildBatch } from '../protocol/record/batch-builder.js';
import { readBatches } from '../protocol/record/batch-reader.js';
import { getCodec } from '../protocol/record/compression.js';
import * as L from '../protocol/record/layout.js';
import { ownedBuffer } from './owned-buffer.js';
import { destroyWorkerPool } from './pool.js';
import { INLINE_MAX_BYTES, prepareProduceBatches, setProduceInlineMaxBytes } from './produce-validation.js';
import { validateCompressedBatch } from './tasks/validate-compressed-batch.js';

const CODECS = ['gzip', 'snappy', 'lz4', 'zstd'] as const;
const small = Array.from({ length: 10 }, (_, i) => ({ key: `k${i}`, value: `v${i}`, timestamp: 5000 + i }));
// Random-ish values so that even compressed the batch is above the inline limit (pool path).
const big = Array.from({ length: 400 }, (_, i) => ({ key: `k${i}`, value: randomBytes(120), timestamp: 5000 + i }));

function restampCrc(b: Buffer): Buffer {
  b.writeUInt32BE(crc32c(b.subarray(L.CRC_START)) >>> 0, L.CRC_OFFSET);
  return b;
}

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try { await p; } catch (err) { return (err as { code?: string }).code; }
  return undefined;
}

for (const codec of CODECS) {
  for (const [label, inputs] of [['inline', small], ['pool', big]] as const) {
    test(`${codec} ${label}: valid batch passes unchanged on a producer topic`, async () => {
      const b = buildBatch(inputs, { compression: codec });
      if (label === 'pool') assert.ok(b.length > INLINE_MAX_BYTES, `${b.length} bytes must exceed the inline limit`);
      const out = await prepareProduceBatches(Buffer.from(b), { compressionType: 'producer' });
      assert.ok(out.equals(b));
    });

    test(`${codec} ${label}: broken inner data with a valid CRC → CORRUPT_MESSAGE`, async () => {
      const b = buildBatch(inputs, { compression: codec });
      for (let i = L.RECORDS_OFFSET + 20; i < b.length; i += 7) b[i] ^= 0x5a;
      restampCrc(b);
      assert.is(await codeOf(prepareProduceBatches(b, { compressionType: 'producer' })), 'CORRUPT_MESSAGE');
    });

    test(`${codec} ${label}: recordsCount/lastOffsetDelta disagreeing with the inner records → CORRUPT_MESSAGE`, async () => {
      for (const delta of [-1, +1]) {
        const b = buildBatch(inputs, { compression: codec });
        b.writeInt32BE(inputs.length + delta, L.RECORDS_COUNT_OFFSET);
        b.writeInt32BE(inputs.length + delta - 1, L.LAST_OFFSET_DELTA_OFFSET);
        restampCrc(b);
        assert.is(await codeOf(prepareProduceBatches(b, { compressionType: 'producer' })), 'CORRUPT_MESSAGE', `count ${delta}`);
      }
    });
  }
}

test('offset deltas must be 0..n-1 in a compressed produce batch', () => {
  const b = buildBatch([{ value: 'a', offsetDelta: 0 }, { value: 'b', offsetDelta: 2 }], { compression: 'gzip' });
  b.writeInt32BE(1, L.LAST_OFFSET_DELTA_OFFSET);
  restampCrc(b);
  try { validateCompressedBatch(b); assert.unreachable(); } catch (err) {
    assert.is((err as { code?: string }).code, 'CORRUPT_MESSAGE');
    assert.match((err as Error).message, /offset delta 2, expected 1/);
  }
});

test('trailing bytes inside the decompressed section → CORRUPT_MESSAGE', () => {
  const plain = buildBatch(small, { compression: 'none' });
  const section = Buffer.concat([plain.subarray(L.RECORDS_OFFSET), Buffer.from([0, 0, 0])]);
  const b = Buffer.concat([plain.subarray(0, L.RECORDS_OFFSET), getCodec(1).compress(section)]);
  b.writeInt32BE(b.length - L.LOG_OVERHEAD, L.BATCH_LENGTH_OFFSET);
  b.writeUInt16BE(1, L.ATTRIBUTES_OFFSET);
  restampCrc(b);
  try { validateCompressedBatch(b); assert.unreachable(); } catch (err) {
    assert.is((err as { code?: string }).code, 'CORRUPT_MESSAGE');
    assert.match((err as Error).message, /remain after the last/);
  }
});

for (const [from, to] of [['none', 'zstd'], ['gzip', 'lz4'], ['snappy', 'uncompressed'], ['zstd', 'gzip'], ['lz4', 'snappy']] as const) {
  for (const inputs of [small, big]) {
    test(`compression.type=${to}: ${from} batch of ${inputs.length} recompressed, header and records kept`, async () => {
      const b = buildBatch(inputs, { compression: from, producerId: 9, producerEpoch: 1, baseSequence: 100, timestampType: 'LogAppendTime', now: 123456 });
      const orig = [...readBatches(b)][0]!;
      const out = await prepareProduceBatches(Buffer.from(b), { compressionType: to, compressionZstdLevel: 7, compressionGzipLevel: 1 });
      const v = [...readBatches(out)][0]!;
      assert.is(v.compressionName, to === 'uncompressed' ? 'none' : to);
      assert.ok(v.crcValid());
      for (const f of ['producerId', 'producerEpoch', 'baseSequence', 'timestampType', 'baseTimestamp', 'maxTimestamp', 'recordsCount', 'lastOffsetDelta'] as const) {
        assert.is(v[f], orig[f], f);
      }
      assert.equal(v.records().map((r) => [r.key!.toString(), r.value!.toString('hex'), r.timestamp]),
        orig.records().map((r) => [r.key!.toString(), r.value!.toString('hex'), r.timestamp]));
    });
  }
}

test('uncompressed batch on a producer topic is returned as is (same buffer)', async () => {
  const b = buildBatch(small);
  assert.is(await prepareProduceBatches(b, { compressionType: 'producer' }), b);
});

test('compacted topic: a record without a key → INVALID_RECORD (compressed and not)', async () => {
  for (const compression of ['none', 'zstd'] as const) {
    const b = buildBatch([{ key: 'a', value: '1' }, { value: '2' }], { compression });
    assert.is(await codeOf(prepareProduceBatches(b, { compressionType: 'producer', cleanupPolicy: 'compact' })), 'INVALID_RECORD');
    const ok = buildBatch([{ key: 'a', value: '1' }], { compression });
    assert.ok((await prepareProduceBatches(ok, { compressionType: 'producer', cleanupPolicy: 'compact,delete' })).equals(ok));
  }
});

test('bad framing and an unknown codec id are refused with Kafka codes', async () => {
  const b = buildBatch(small, { compression: 'gzip' });
  assert.is(await codeOf(prepareProduceBatches(b.subarray(0, b.length - 1), { compressionType: 'producer' })), 'CORRUPT_MESSAGE');
  const u = buildBatch(small);
  u.writeUInt16BE(6, L.ATTRIBUTES_OFFSET);
  restampCrc(u);
  assert.is(await codeOf(prepareProduceBatches(u, { compressionType: 'producer' })), 'UNSUPPORTED_COMPRESSION_TYPE');
});

test('setProduceInlineMaxBytes: 0 sends even a small batch to the pool (input moved), Infinity keeps a big one inline', async () => {
  const prev = setProduceInlineMaxBytes(0);
  try {
    assert.is(prev, INLINE_MAX_BYTES);
    const b = ownedBuffer(buildBatch(small, { compression: 'zstd' }));
    const copy = Buffer.from(b);
    const out = await prepareProduceBatches(b, { compressionType: 'producer' });
    assert.is(b.buffer.byteLength, 0, 'moved to a worker');
    assert.ok(out.equals(copy));
    setProduceInlineMaxBytes(Infinity);
    const big1 = Buffer.from(buildBatch(big, { compression: 'gzip' }));
    const same = await prepareProduceBatches(big1, { compressionType: 'producer' });
    assert.is(same, big1, 'inline: the very same buffer back');
    assert.throws(() => setProduceInlineMaxBytes(-1), /must be a number >= 0/);
  } finally { setProduceInlineMaxBytes(INLINE_MAX_BYTES); }
});

test.after(async () => { await destroyWorkerPool(); });
test.run();
