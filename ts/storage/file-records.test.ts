// Batch-header walks read cached chunks on the loop and cold ones on the pool; both give the
// same headers. Residency is checked with the native probe before and after.
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { pageCached } from '../native/page-cache.js';
import { buildBatch } from '../protocol/record/batch-builder.js';
import { dropFromPageCache } from '../testing/page-cache.js';
import { walkBatches, type BatchHeader } from './file-records.js';

function segmentBytes(batches: number): Buffer {
  const out: Buffer[] = [];
  for (let b = 0, offset = 0; b < batches; b++) {
    const n = 1 + (b % 7);
    const batch = buildBatch(Array.from({ length: n }, (_, i) => ({ key: `k${i}`, value: Buffer.alloc(100 + ((b * 37) % 3000), b) })), { now: 1_700_000_000_000 + b });
    batch.writeBigInt64BE(BigInt(offset), 0); // base offset, as the log assigns it
    offset += n;
    out.push(batch);
  }
  return Buffer.concat(out);
}

async function walk(fd: number, size: number): Promise<BatchHeader[]> {
  const seen: BatchHeader[] = [];
  const r = await walkBatches(fd, 0, size, (h) => { seen.push(h); return true; });
  assert.is(r.stop, 'end');
  return seen;
}

test('a walk over a file that is not in the page cache reads it on the pool and sees the same batches', async () => {
  const dir = mkdtempSync(tmpdir() + '/samsa-');
  try {
    const path = `${dir}/00000000000000000000.log`;
    const bytes = segmentBytes(400);
    writeFileSync(path, bytes);
    const fd = openSync(path, 'r');
    try {
      const hot = await walk(fd, bytes.length);
      assert.is(hot.length, 400);
      assert.is(hot[399]!.lastOffset, hot.reduce((n, h) => n + (h.lastOffset - h.baseOffset + 1), 0) - 1);
      assert.ok(pageCached(fd, 0, bytes.length));
      assert.ok(dropFromPageCache(path), 'posix_fadvise through python3');
      assert.not.ok(pageCached(fd, 0, bytes.length), 'dropped from the page cache');
      const cold = await walk(fd, bytes.length);
      assert.equal(cold, hot);
      assert.ok(pageCached(fd, 0, bytes.length), 'the pool read brought it back');
    } finally { closeSync(fd); }
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('pageCached refuses arguments that are not non-negative integers', () => {
  assert.throws(() => pageCached(-1, 0, 1), /pageCached\(fd/);
  assert.throws(() => pageCached(0, 1.5, 1), /pageCached\(fd/);
});

test.run();
