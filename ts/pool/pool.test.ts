import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildBatch } from '../protocol/record/batch-builder.js';
import { readBatches } from '../protocol/record/batch-reader.js';
import { destroyWorkerPool, runPoolTask, workerPoolSize } from './pool.js';
import { ownedBuffer } from './owned-buffer.js';

const inputs = Array.from({ length: 300 }, (_, i) => ({ key: `k${i}`, value: `value ${i} `.repeat(20), timestamp: 1000 + i }));

test('pool is sized to the machine, at least one thread', () => {
  assert.ok(workerPoolSize() >= 1);
});

test('recompressBatch on the pool: input moved (detached), result keeps header fields, records equal', async () => {
  const src = ownedBuffer(buildBatch(inputs, {
    compression: 'gzip', baseOffset: 0, producerId: 77, producerEpoch: 3, baseSequence: 10, isTransactional: true,
  }));
  const srcCopy = Buffer.from(src);
  const out = await runPoolTask('recompressBatch', src, { codec: 4, level: 5 });
  assert.is(src.buffer.byteLength, 0, 'input ArrayBuffer was transferred, not copied');
  const v = [...readBatches(out.buffer!)][0]!;
  const orig = [...readBatches(srcCopy)][0]!;
  assert.is(v.compressionName, 'zstd');
  assert.ok(v.crcValid());
  for (const f of ['producerId', 'producerEpoch', 'baseSequence', 'isTransactional', 'baseTimestamp', 'maxTimestamp', 'lastOffsetDelta', 'recordsCount'] as const) {
    assert.is(v[f], orig[f], f);
  }
  assert.equal(v.records().map((r) => r.value!.toString()), orig.records().map((r) => r.value!.toString()));
});

test('errors cross as { code, message } and are rehydrated with errorCode', async () => {
  const b = buildBatch(inputs, { compression: 'lz4' });
  b[b.length - 5] ^= 0xff; // inner data broken, CRC now wrong too
  try {
    await runPoolTask('validateCompressedBatch', b);
    assert.unreachable();
  } catch (err) {
    assert.is((err as { code?: string }).code, 'CORRUPT_MESSAGE');
    assert.is((err as { errorCode?: number }).errorCode, 2);
    assert.match((err as Error).message, /CRC/);
  }
  try {
    await runPoolTask('noSuchTask', null);
    assert.unreachable();
  } catch (err) {
    assert.is((err as { code?: string }).code, 'UNKNOWN_POOL_TASK');
  }
});

test('many tasks in parallel all complete with their own results', async () => {
  const codecs = [1, 2, 3, 4];
  const res = await Promise.all(Array.from({ length: 24 }, (_, i) =>
    runPoolTask('recompressBatch', buildBatch(inputs.slice(0, i + 1), { compression: 'none' }), { codec: codecs[i % 4] })));
  res.forEach((r, i) => {
    const v = [...readBatches(r.buffer!)][0]!;
    assert.is(v.compression, codecs[i % 4]);
    assert.is(v.records().length, i + 1);
  });
});

test.after(async () => { await destroyWorkerPool(); });
test.run();
