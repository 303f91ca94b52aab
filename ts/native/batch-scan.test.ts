import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { scanBatches, type ScanMode, type ScanOptions } from './batch-scan.js';
import { scanBatches as scanRef } from './batch-scan.ref.js';
import { buildFixtureBatch, fixCrc, randomLog, rng } from './batch-fixtures.js';
import { crc32c } from './crc32c.ref.js';
import { Status } from './status.js';

const MODES: ScanMode[] = ['produce', 'replica', 'recover'];

/** Runs both implementations on copies; asserts same status, summary and resulting bytes. */
function same(buf: Buffer, opts: ScanOptions, label: string, start?: number, end?: number) {
  const a = Buffer.from(buf);
  const b = Buffer.from(buf);
  const ra = scanBatches(a, opts, start, end);
  const rb = scanRef(b, opts, start, end);
  assert.is(ra.status, rb.status, `${label}: status ${ra.message} vs ${rb.message}`);
  assert.is(ra.message, rb.message, `${label}: message`);
  assert.equal(Array.from(ra.raw()), Array.from(rb.raw()), `${label}: summary`);
  assert.ok(a.equals(b), `${label}: bytes after scan`);
  return ra;
}

test('random valid logs: native == ref in every mode, all batches summarised', () => {
  const rand = rng(11);
  for (let round = 0; round < 30; round++) {
    const produce = round % 3 === 0;
    const log = randomLog(rand, 1 + Math.floor(rand() * 30), produce);
    for (const mode of MODES) {
      if ((mode === 'produce') !== produce) continue;
      const r = same(log, { mode }, `round ${round} ${mode}`);
      assert.ok(r.ok, r.message);
      assert.is(r.validBytes, log.length);
      let pos = 0;
      for (let i = 0; i < r.count; i++) {
        assert.is(r.position(i), pos);
        assert.is(r.size(i), log.readInt32BE(pos + 8) + 12);
        assert.is(r.baseOffset(i), Number(log.readBigInt64BE(pos)));
        assert.is(r.producerId(i), Number(log.readBigInt64BE(pos + 43)));
        assert.is(r.recordCount(i), log.readInt32BE(pos + 57));
        pos += r.size(i);
      }
      assert.is(pos, log.length);
    }
  }
});

test('assignment: offsets in sequence, leader epoch, LogAppendTime re-checksummed; native == ref', () => {
  const rand = rng(5);
  const log = randomLog(rand, 12, true);
  const opts = { mode: 'produce' as const, assignBaseOffset: 1000, leaderEpoch: 7, logAppendTime: 1_800_000_000_000 };
  const a = Buffer.from(log);
  const r = scanBatches(a, opts);
  same(log, opts, 'assign');
  assert.ok(r.ok, r.message);
  let next = 1000;
  for (let i = 0; i < r.count; i++) {
    const p = r.position(i);
    assert.is(Number(a.readBigInt64BE(p)), next);
    assert.is(r.baseOffset(i), next);
    assert.is(a.readInt32BE(p + 12), 7);
    assert.is(a.readUInt16BE(p + 21) & 0x08, 0x08);
    assert.is(Number(a.readBigInt64BE(p + 35)), 1_800_000_000_000);
    assert.is(r.batch(i).timestampType, 1);
    assert.is(a.readUInt32BE(p + 17), crc32c(a.subarray(p + 21, p + r.size(i))));
    next = r.lastOffset(i) + 1;
  }
  // Offsets only (no LogAppendTime): the CRC stays byte-identical.
  const b = Buffer.from(log);
  const r2 = scanBatches(b, { mode: 'produce', assignBaseOffset: 5 });
  assert.ok(r2.ok);
  assert.is(b.readUInt32BE(17), log.readUInt32BE(17));
  const total = Array.from({ length: r2.count }, (_, i) => r2.lastOffsetDelta(i) + 1).reduce((x, y) => x + y, 0);
  assert.is(r2.lastOffset(r2.count - 1), 5 + total - 1);
});

test('no assignment when any batch is invalid', () => {
  const log = randomLog(rng(3), 4, true);
  const bad = Buffer.from(log);
  bad[bad.length - 1] ^= 1; // last batch CRC mismatch
  const before = Buffer.from(bad);
  const r = scanBatches(bad, { mode: 'produce', assignBaseOffset: 99, leaderEpoch: 3 });
  assert.is(r.status, Status.CrcMismatch);
  assert.is(r.count, 3);
  assert.is(r.errorBatch, 3);
  assert.ok(bad.equals(before), 'bytes untouched');
});

/** A produce-style log with offsets assigned, so it is valid in every mode. */
function validLog(seed: number, batches: number): Buffer {
  const log = randomLog(rng(seed), batches, true);
  assert.ok(scanRef(log, { mode: 'produce', assignBaseOffset: 3 }).ok);
  return log;
}

test('every truncation point: native == ref; recover says Truncated, others do not', () => {
  const log = validLog(9, 5);
  const boundaries = new Set<number>([0]);
  for (let p = 0; p < log.length; p += log.readInt32BE(p + 8) + 12) boundaries.add(p + log.readInt32BE(p + 8) + 12);
  for (let len = 0; len <= log.length; len++) {
    for (const mode of MODES) {
      const r = same(log, { mode }, `len ${len} ${mode}`, 0, len);
      if (boundaries.has(len)) {
        assert.ok(r.ok, `len ${len} ${mode}: ${r.message}`);
      } else if (mode === 'recover') {
        assert.is(r.status, Status.Truncated, `len ${len}`);
      } else {
        assert.ok(r.status === Status.BatchTooShort || r.status === Status.BatchLengthOutOfBounds, `len ${len} ${r.message}`);
      }
      assert.ok(r.validBytes <= len && boundaries.has(r.validBytes));
    }
  }
});

test('bit flips in every header byte and in records: native == ref, never ok when covered by CRC', () => {
  const log = validLog(21, 3);
  for (let byte = 0; byte < log.length; byte++) {
    for (const bit of [0, 3, 7]) {
      const m = Buffer.from(log);
      m[byte] ^= 1 << bit;
      for (const mode of MODES) {
        const r = same(m, { mode }, `flip ${byte}.${bit} ${mode}`);
        if (!isOutsideCrc(log, byte)) assert.not.ok(r.ok, `flip ${byte}.${bit} accepted (${mode})`);
      }
      // Re-checksummed flips inside records exercise the framing walk.
      fixCrcAll(m);
      same(m, { mode: 'produce' }, `flip+crc ${byte}.${bit}`);
    }
  }
});

function isOutsideCrc(log: Buffer, byte: number): boolean {
  for (let p = 0; p < log.length; p += log.readInt32BE(p + 8) + 12) {
    const rel = byte - p;
    if (rel >= 0 && rel < log.readInt32BE(p + 8) + 12) return rel < 17; // baseOffset, length, epoch, magic
  }
  return true;
}

function fixCrcAll(buf: Buffer): void {
  for (let p = 0; p + 61 <= buf.length;) {
    const len = buf.readInt32BE(p + 8);
    if (len < 49 || p + 12 + len > buf.length) return;
    fixCrc(buf, p);
    p += 12 + len;
  }
}

test('specific failures: statuses, positions and messages', () => {
  const a = buildFixtureBatch({ values: [10, 20] });
  const b = buildFixtureBatch({ values: [5] });
  const two = Buffer.concat([a, b]);
  const crcBad = Buffer.from(two);
  crcBad[a.length + 40] ^= 0xff;
  const r = same(crcBad, { mode: 'produce' }, 'crc');
  assert.is(r.status, Status.CrcMismatch);
  assert.is(r.count, 1);
  assert.is(r.validBytes, a.length);
  assert.match(r.message, new RegExp(`^CRC_MISMATCH at batch 1, position ${a.length}: stored 0x[0-9a-f]{8} computed 0x[0-9a-f]{8}$`));
  const err = r.error();
  assert.is(err?.code, 'SAMSA_BATCH_INVALID');
  assert.is(err?.statusCode, 'CRC_MISMATCH');

  const magic = Buffer.from(a); magic[16] = 1;
  assert.is(same(magic, { mode: 'replica' }, 'magic').status, Status.BadMagic);

  const huge = Buffer.from(a); huge.writeInt32BE(0x7fffffff, 8);
  assert.is(same(huge, { mode: 'produce' }, 'huge').status, Status.BatchLengthOutOfBounds);
  assert.is(same(huge, { mode: 'recover' }, 'huge recover').status, Status.Truncated);
  const neg = Buffer.from(a); neg.writeInt32BE(-5, 8);
  assert.is(same(neg, { mode: 'recover' }, 'negative length').status, Status.BatchTooShort);

  const empty = same(Buffer.alloc(0), { mode: 'produce' }, 'empty');
  assert.ok(empty.ok);
  assert.is(empty.count, 0);

  const zeroCount = buildFixtureBatch({ values: [], recordsCount: 0, lastOffsetDelta: 0 });
  assert.is(same(zeroCount, { mode: 'produce' }, 'zero count').status, Status.BadRecordCount);
  assert.ok(same(zeroCount, { mode: 'replica' }, 'zero count replica').ok, 'empty batch ok in a log');

  const badDelta = buildFixtureBatch({ values: [1, 2], lastOffsetDelta: 5 });
  assert.is(same(badDelta, { mode: 'produce' }, 'delta').status, Status.BadLastOffsetDelta);
  assert.ok(same(badDelta, { mode: 'replica' }, 'delta replica').ok);

  const gaps = buildFixtureBatch({ values: [1, 2], offsetDeltas: [0, 2] });
  const g = same(gaps, { mode: 'produce' }, 'gaps');
  assert.is(g.status, Status.BadLastOffsetDelta); // lastOffsetDelta 2 != count - 1
  const gaps2 = buildFixtureBatch({ values: [1, 2], offsetDeltas: [0, 2], lastOffsetDelta: 1 });
  const g2 = same(gaps2, { mode: 'produce' }, 'gaps2');
  assert.is(g2.status, Status.RecordFramingError);
  assert.match(g2.message, /record 1 at position/);

  const extra = buildFixtureBatch({ values: [1, 2, 3], recordsCount: 2 }); // bytes left over
  const ex = same(extra, { mode: 'produce' }, 'extra');
  assert.is(ex.status, Status.RecordFramingError);
  assert.match(ex.message, /record 2 at position/);
  const missing = buildFixtureBatch({ values: [1], recordsCount: 2 }); // runs out of records
  assert.is(same(missing, { mode: 'produce' }, 'missing').status, Status.RecordFramingError);

  const x = buildFixtureBatch({ baseOffset: 10, values: [1, 2] });
  const y = buildFixtureBatch({ baseOffset: 11, values: [1] });
  const nm = same(Buffer.concat([x, y]), { mode: 'replica' }, 'monotonic');
  assert.is(nm.status, Status.NonMonotonicOffsets);
  assert.match(nm.message, /baseOffset 11 is not above the previous last offset 11/);
  assert.ok(same(Buffer.concat([x, y]), { mode: 'produce' }, 'produce ignores offsets').ok);

  const far = buildFixtureBatch({ baseOffset: Number.MAX_SAFE_INTEGER - 1, values: [1, 2, 3] });
  assert.is(same(far, { mode: 'replica' }, 'overflow').status, Status.OffsetOverflow);
  assert.is(same(a, { mode: 'produce', assignBaseOffset: Number.MAX_SAFE_INTEGER }, 'assign overflow').status,
    Status.OffsetOverflow);
});

test('maxBatches: SummaryTooSmall, count fits, continue from validBytes', () => {
  const log = randomLog(rng(2), 10, false);
  const r = same(log, { mode: 'replica', maxBatches: 4 }, 'cap 4');
  assert.is(r.status, Status.SummaryTooSmall);
  assert.is(r.count, 4);
  const rest = same(log, { mode: 'replica' }, 'rest', r.validBytes);
  assert.ok(rest.ok);
  assert.is(rest.count, 6);
  assert.is(rest.position(0), r.validBytes);
  const full = scanBatches(log, { mode: 'replica', maxBatches: 10 });
  assert.ok(full.ok);
});

test('many small batches exceed the initial summary capacity without SummaryTooSmall', () => {
  const one = buildFixtureBatch({ values: [0] });
  const parts: Buffer[] = [];
  for (let i = 0; i < 5000; i++) parts.push(one);
  const log = Buffer.concat(parts);
  const r = scanBatches(log, { mode: 'produce', assignBaseOffset: 0 });
  assert.ok(r.ok, r.message);
  assert.is(r.count, 5000);
  assert.is(r.lastOffset(4999), 4999);
});

test('argument errors are TypeError/RangeError', () => {
  assert.throws(() => scanBatches(Buffer.alloc(10), { mode: 'bogus' as ScanMode }), TypeError);
  assert.throws(() => scanBatches(Buffer.alloc(10), { mode: 'produce' }, 5, 4), RangeError);
  assert.throws(() => scanBatches(Buffer.alloc(10), { mode: 'produce', assignBaseOffset: -2 }), RangeError);
});

test('the real protocol/record builder output scans the same', async () => {
  let mod: typeof import('../protocol/record/batch-builder.js') | undefined;
  try { mod = await import('../protocol/record/batch-builder.js'); } catch { return; }
  const b = mod.buildBatch([{ key: 'k', value: 'v1' }, { value: null, headers: [{ key: 'h', value: 'x' }] }],
    { now: 1234, producerId: 5, producerEpoch: 1, baseSequence: 0 });
  const r = same(b, { mode: 'produce', assignBaseOffset: 42 }, 'builder');
  assert.ok(r.ok, r.message);
  assert.equal([r.count, r.baseOffset(0), r.lastOffset(0), r.producerId(0), r.recordCount(0)], [1, 42, 43, 5, 2]);
});

test.run();
