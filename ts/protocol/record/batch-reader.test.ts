import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { buildBatch, type RecordInput } from './batch-builder.js';
import { readBatches } from './batch-reader.js';
import { registerCodec } from './compression.js';
import * as L from './layout.js';
import type { Record } from './records.js';

function expectRecords(inputs: RecordInput[], got: Record[], baseOffset: number, now: number): void {
  assert.is(got.length, inputs.length);
  inputs.forEach((inp, i) => {
    const r = got[i]!;
    assert.is(r.offset, baseOffset + (inp.offsetDelta ?? i), `offset of record ${i}`);
    assert.is(r.timestamp, inp.timestamp ?? now, `timestamp of record ${i}`);
    const norm = (v: Buffer | string | null | undefined) => (v === undefined || v === null ? null : Buffer.from(v as never).toString('hex'));
    assert.is(r.key === null ? null : r.key.toString('hex'), norm(inp.key));
    assert.is(r.value === null ? null : r.value.toString('hex'), norm(inp.value));
    const hs = Array.isArray(inp.headers) ? inp.headers : Object.entries(inp.headers ?? {}).map(([key, value]) => ({ key, value }));
    assert.equal(r.headers.map((h) => [h.key, h.value?.toString('hex') ?? null]), hs.map((h) => [h.key, norm(h.value)]));
  });
}

test('round trip for many sizes (0..5000 records), one file of concatenated batches', () => {
  const sizes = [0, 1, 2, 3, 17, 128, 1000, 5000];
  const now = 1_700_000_000_000;
  const all: RecordInput[][] = sizes.map((n) => Array.from({ length: n }, (_, i) => ({
    key: i % 3 === 0 ? null : `key-${i}`,
    value: i % 5 === 0 ? null : i % 7 === 0 ? Buffer.alloc(0) : `value ${i} ✓ ünïcødé`,
    timestamp: now + ((i * 7919) % 1000) - 500,
    headers: i % 4 === 0 ? [{ key: 'dup', value: 'a' }, { key: 'dup', value: null }, { key: 'x', value: Buffer.from([0, 255]) }] : undefined,
  })));
  let base = 0;
  const bases: number[] = [];
  const bufs = all.map((inputs) => {
    bases.push(base);
    const b = buildBatch(inputs, { baseOffset: base, now });
    base += Math.max(inputs.length, 1);
    return b;
  });
  const file = Buffer.concat(bufs);
  const it = readBatches(file);
  const views = [...it];
  assert.is(views.length, sizes.length);
  assert.is(it.stopKind, 'end');
  assert.is(it.stoppedAt, file.length);
  let pos = 0;
  views.forEach((v, k) => {
    assert.is(v.position, pos);
    assert.is(v.size, bufs[k]!.length);
    pos += v.size;
    assert.is(v.baseOffset, bases[k]);
    assert.is(v.recordsCount, sizes[k]);
    assert.is(v.magic, 2);
    assert.ok(v.crcValid());
    assert.is(v.lastOffset, bases[k]! + Math.max(sizes[k]! - 1, 0));
    const ts = all[k]!.map((r) => r.timestamp!);
    assert.is(v.maxTimestamp, ts.length ? Math.max(...ts) : -1);
    expectRecords(all[k]!, v.records(), bases[k]!, now);
  });
});

test('large timestamps, negative deltas and 64-bit deltas survive', () => {
  const inputs = [
    { value: 'a', timestamp: 2 ** 52 },
    { value: 'b', timestamp: 0 },
    { value: 'c', timestamp: -(2 ** 52) + 3 }, // delta -(2^53)+3: needs the BigInt path
    { value: 'd', timestamp: Number.MAX_SAFE_INTEGER - 5 },
    { value: 'e', timestamp: 1_700_000_000_123 },
  ];
  const [v] = [...readBatches(buildBatch(inputs, { baseOffset: 9 }))];
  assert.equal(v!.records().map((r) => r.timestamp), inputs.map((r) => r.timestamp));
  assert.is(v!.maxTimestamp, Number.MAX_SAFE_INTEGER - 5);
  assert.is(v!.baseTimestamp, 2 ** 52);
  // A delta that is not a safe integer cannot be represented: typed error, not rounding.
  try { buildBatch([{ value: 'a', timestamp: Number.MAX_SAFE_INTEGER }, { value: 'b', timestamp: -(2 ** 52) }]); assert.unreachable(); } catch (e) {
    assert.is((e as { code: string }).code, 'RECORD_VALUE_OUT_OF_RANGE');
  }
});

test('header fields read back', () => {
  const b = buildBatch([{ value: 'x', timestamp: 3 }], {
    baseOffset: 77, partitionLeaderEpoch: 12, producerId: 5000, producerEpoch: 2, baseSequence: 40, isTransactional: true,
  });
  const [v] = [...readBatches(b)];
  assert.equal([v!.baseOffset, v!.partitionLeaderEpoch, v!.producerId, v!.producerEpoch, v!.baseSequence, v!.isTransactional, v!.isControl,
    v!.compressionName, v!.timestampType, v!.batchLength, v!.hasDeleteHorizon],
  [77, 12, 5000, 2, 40, true, false, 'none', 'CreateTime', b.length - 12, false]);
});

test('gzip and LogAppendTime: records get the batch maxTimestamp', () => {
  const inputs = Array.from({ length: 300 }, (_, i) => ({ key: `k${i}`, value: 'v'.repeat(i), timestamp: i }));
  const b = buildBatch(inputs, { compression: 'gzip', timestampType: 'LogAppendTime', now: 99_000 });
  const [v] = [...readBatches(b)];
  assert.is(v!.compressionName, 'gzip');
  assert.ok(v!.crcValid());
  const recs = v!.records();
  assert.is(recs.length, 300);
  assert.ok(recs.every((r) => r.timestamp === 99_000));
  assert.equal(recs.map((r) => r.value!.length), inputs.map((_, i) => i));
});

test('unregistered codec: typed error naming the codec; registered one is used', () => {
  const b = buildBatch([{ value: 'abc' }], { now: 1 });
  b.writeUInt16BE(5, L.ATTRIBUTES_OFFSET); // codec id 5: no codec is built in for it
  const [v] = [...readBatches(b)];
  try { v!.records(); assert.unreachable(); } catch (e) {
    assert.is((e as { code: string }).code, 'UNSUPPORTED_COMPRESSION');
    assert.match((e as Error).message, /unknown\(5\)/);
  }
  registerCodec(5, { compress: (d) => d, decompress: (d) => d }); // identity stand-in
  assert.is(v!.records()[0]!.value!.toString(), 'abc');
});

test('stops at a trailing partial batch and at corrupt framing, saying why', () => {
  const a = buildBatch([{ value: 'one' }], { baseOffset: 0, now: 1 });
  const c = buildBatch([{ value: 'two' }], { baseOffset: 1, now: 1 });
  for (const cut of [1, 11, 12, 20, c.length - 1]) {
    const it = readBatches(Buffer.concat([a, c.subarray(0, cut)]));
    const views = [...it];
    assert.is(views.length, 1, `cut ${cut}`);
    assert.is(it.stopKind, 'partial');
    assert.is(it.stoppedAt, a.length);
    assert.is(it.needed, cut >= 12 ? c.length : null);
    assert.ok(it.stopReason!.length > 0);
  }
  const bad = Buffer.concat([a, c]);
  bad.writeInt32BE(10, a.length + L.BATCH_LENGTH_OFFSET);
  const it = readBatches(bad);
  assert.is([...it].length, 1);
  assert.is(it.stopKind, 'corrupt');
  assert.match(it.stopReason!, /batchLength 10/);
  const magic = Buffer.concat([a, c]);
  magic[a.length + L.MAGIC_OFFSET] = 1;
  const it2 = readBatches(magic);
  assert.is([...it2].length, 1);
  assert.is(it2.stopKind, 'corrupt');
  assert.match(it2.stopReason!, /magic 1/);
});

test('CRC mismatch is visible; corrupt records give CORRUPT_RECORD with the batch position', () => {
  const a = buildBatch([{ value: 'one' }], { now: 1 });
  const b = buildBatch([{ key: 'k', value: 'two' }], { baseOffset: 1, now: 1 });
  const buf = Buffer.concat([a, b]);
  buf[buf.length - 2] ^= 0xff; // inside the last record (value byte)
  const views = [...readBatches(buf)];
  assert.ok(views[0]!.crcValid());
  assert.not.ok(views[1]!.crcValid());
  buf[a.length + L.RECORDS_OFFSET] = 0x7e; // record length 63: past the end
  try { views[1]!.records(); assert.unreachable(); } catch (e) {
    assert.is((e as { code: string }).code, 'CORRUPT_RECORD');
    assert.match((e as Error).message, new RegExp(`batch at position ${a.length}`));
  }
});

const headerArb = fc.record({ key: fc.string({ maxLength: 8 }), value: fc.option(fc.uint8Array({ maxLength: 16 }).map((u) => Buffer.from(u))) });
const recordArb = fc.record({
  key: fc.option(fc.oneof(fc.string({ maxLength: 20 }), fc.uint8Array({ maxLength: 20 }).map((u) => Buffer.from(u)))),
  value: fc.option(fc.oneof(fc.string({ maxLength: 40 }), fc.uint8Array({ maxLength: 40 }).map((u) => Buffer.from(u)))),
  headers: fc.array(headerArb, { maxLength: 4 }),
  timestamp: fc.integer({ min: -(2 ** 50), max: 2 ** 50 }),
});

test('property: build → read → same records and header fields', () => {
  fc.assert(fc.property(fc.array(recordArb, { maxLength: 30 }), fc.integer({ min: 0, max: 2 ** 48 }), fc.boolean(),
    (inputs, baseOffset, gzip) => {
      const b = buildBatch(inputs, { baseOffset, compression: gzip ? 'gzip' : 'none' });
      const it = readBatches(b);
      const views = [...it];
      assert.is(views.length, 1);
      assert.is(it.stopKind, 'end');
      assert.ok(views[0]!.crcValid());
      assert.is(views[0]!.baseOffset, baseOffset);
      expectRecords(inputs, views[0]!.records(), baseOffset, 0);
    }), { numRuns: 300 });
});

test.run();
