import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { readVarint, readVarlong, sizeOfVarint, sizeOfVarlong, writeVarint, writeVarlong } from './varint.js';

// Independent BigInt reference: zigzag + LEB128.
function refEncode(n: bigint, bits: bigint): number[] {
  let u = n >= 0n ? n << 1n : ((-n) << 1n) - 1n;
  u &= (1n << bits) - 1n;
  const out: number[] = [];
  while (u >= 128n) { out.push(Number(u & 127n) | 128); u >>= 7n; }
  out.push(Number(u));
  return out;
}

function enc32(v: number): number[] {
  const b = Buffer.alloc(5);
  const end = writeVarint(b, 0, v);
  assert.is(end, sizeOfVarint(v));
  return [...b.subarray(0, end)];
}
function enc64(v: number): number[] {
  const b = Buffer.alloc(10);
  const end = writeVarlong(b, 0, v);
  assert.is(end, sizeOfVarlong(v));
  return [...b.subarray(0, end)];
}

test('known varint encodings', () => {
  assert.equal(enc32(0), [0x00]);
  assert.equal(enc32(-1), [0x01]);
  assert.equal(enc32(1), [0x02]);
  assert.equal(enc32(63), [0x7e]);
  assert.equal(enc32(-64), [0x7f]);
  assert.equal(enc32(64), [0x80, 0x01]);
  assert.equal(enc32(2147483647), [0xfe, 0xff, 0xff, 0xff, 0x0f]);
  assert.equal(enc32(-2147483648), [0xff, 0xff, 0xff, 0xff, 0x0f]);
});

test('known varlong encodings, including beyond 2^52', () => {
  assert.equal(enc64(-1), [0x01]);
  assert.equal(enc64(300), [0xd8, 0x04]);
  for (const v of [2 ** 52, -(2 ** 52), 2 ** 52 - 1, -(2 ** 52) - 1, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 1_700_000_000_000, -1_700_000_000_000]) {
    assert.equal(enc64(v), refEncode(BigInt(v), 64n), `value ${v}`);
    assert.is(readVarlong(Buffer.from(enc64(v)), { pos: 0 }), v);
  }
});

test('varint round trip matches the reference (property)', () => {
  fc.assert(fc.property(fc.integer({ min: -0x80000000, max: 0x7fffffff }), (v) => {
    const bytes = enc32(v);
    assert.equal(bytes, refEncode(BigInt(v), 32n));
    const cur = { pos: 0 };
    assert.is(readVarint(Buffer.from(bytes), cur), v);
    assert.is(cur.pos, bytes.length);
  }), { numRuns: 2000 });
});

test('varlong round trip matches the reference (property)', () => {
  fc.assert(fc.property(fc.maxSafeInteger(), (v) => {
    const bytes = enc64(v);
    assert.equal(bytes, refEncode(BigInt(v), 64n));
    const cur = { pos: 3 };
    assert.is(readVarlong(Buffer.from([9, 9, 9, ...bytes, 7]), cur), v);
    assert.is(cur.pos, 3 + bytes.length);
  }), { numRuns: 2000 });
});

test('consecutive reads advance the cursor', () => {
  const b = Buffer.alloc(32);
  let p = writeVarint(b, 0, -5);
  p = writeVarlong(b, p, 1e15);
  p = writeVarint(b, p, 1000);
  const cur = { pos: 0 };
  assert.is(readVarint(b, cur), -5);
  assert.is(readVarlong(b, cur), 1e15);
  assert.is(readVarint(b, cur), 1000);
  assert.is(cur.pos, p);
});

function code(fn: () => unknown): string | undefined {
  try { fn(); } catch (e) { return (e as { code?: string }).code; }
  return undefined;
}

test('malformed and out-of-range input gives typed errors', () => {
  assert.is(code(() => readVarint(Buffer.from([0x80, 0x80]), { pos: 0 })), 'CORRUPT_RECORD');
  assert.is(code(() => readVarint(Buffer.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x01]), { pos: 0 })), 'CORRUPT_RECORD');
  assert.is(code(() => readVarint(Buffer.from([0xff, 0xff, 0xff, 0xff, 0x1f]), { pos: 0 })), 'CORRUPT_RECORD');
  assert.is(code(() => readVarint(Buffer.from([0x02]), { pos: 0 }, 0)), 'CORRUPT_RECORD');
  assert.is(code(() => readVarlong(Buffer.from(new Array(11).fill(0x80)), { pos: 0 })), 'CORRUPT_RECORD');
  // int64 max (zigzag 2^64-2) is valid Kafka but not a safe integer.
  assert.is(code(() => readVarlong(Buffer.from(refEncode((1n << 63n) - 1n, 64n)), { pos: 0 })), 'RECORD_VALUE_OUT_OF_RANGE');
  assert.is(code(() => writeVarint(Buffer.alloc(8), 0, 2 ** 31)), 'RECORD_VALUE_OUT_OF_RANGE');
  assert.is(code(() => writeVarlong(Buffer.alloc(10), 0, 2 ** 53)), 'RECORD_VALUE_OUT_OF_RANGE');
  assert.is(code(() => sizeOfVarint(1.5)), 'RECORD_VALUE_OUT_OF_RANGE');
});

test.run();
