// Zigzag varints as used inside v2 records (Kafka ByteUtils; protobuf's sint32/sint64).
//
// zigzag(n) maps signed to unsigned so small magnitudes stay short: 0→0, -1→1, 1→2, -2→3 ...
// It is then written as unsigned LEB128: 7 bits per byte, low group first, high bit = "more".
// varint holds an int32 (at most 5 bytes); varlong an int64 (at most 10 bytes).
//
// int64 values are JS numbers in Samsa, so varlong is exact for every safe integer: plain number
// math while the zigzag value stays below 2^53 (|n| < 2^52), BigInt only beyond that. Decoding a
// varlong outside the safe-integer range throws RECORD_VALUE_OUT_OF_RANGE rather than rounding.
import { RecordFormatError, corrupt } from './errors.js';

/** Read position shared by consecutive reads; `pos` advances past what was read. */
export interface Cursor { pos: number }

const TWO_POW_52 = 2 ** 52;
const MAX_UINT32 = 0xffffffff;

function checkInt32(value: number): void {
  if (!Number.isInteger(value) || value < -0x80000000 || value > 0x7fffffff) {
    throw new RecordFormatError('RECORD_VALUE_OUT_OF_RANGE', `varint value ${value} is not an int32; use a varlong or a smaller value`);
  }
}

function checkSafe(value: number): void {
  if (!Number.isSafeInteger(value)) {
    throw new RecordFormatError('RECORD_VALUE_OUT_OF_RANGE', `varlong value ${value} is not a safe integer; int64 values must lie within ±(2^53-1) in Samsa`);
  }
}

function sizeOfUnsigned(u: number): number {
  let size = 1;
  while (u >= 128) { u = Math.floor(u / 128); size++; }
  return size;
}

/** Bytes taken by `value` (an int32) as a zigzag varint. */
export function sizeOfVarint(value: number): number {
  checkInt32(value);
  return sizeOfUnsigned(((value << 1) ^ (value >> 31)) >>> 0);
}

/** Bytes taken by `value` (a safe integer) as a zigzag varlong. */
export function sizeOfVarlong(value: number): number {
  checkSafe(value);
  if (Math.abs(value) < TWO_POW_52) return sizeOfUnsigned(value >= 0 ? value * 2 : -value * 2 - 1);
  let u = zigzagBig(value);
  let size = 1;
  while (u >= 128n) { u >>= 7n; size++; }
  return size;
}

function writeUnsigned(buf: Uint8Array, pos: number, u: number): number {
  while (u >= 128) {
    buf[pos++] = (u % 128) | 0x80;
    u = Math.floor(u / 128);
  }
  buf[pos++] = u;
  return pos;
}

/** Writes `value` (an int32) as a zigzag varint at `pos`; returns the position after it. */
export function writeVarint(buf: Uint8Array, pos: number, value: number): number {
  checkInt32(value);
  return writeUnsigned(buf, pos, ((value << 1) ^ (value >> 31)) >>> 0);
}

function zigzagBig(value: number): bigint {
  const n = BigInt(value);
  return n >= 0n ? n << 1n : (-n << 1n) - 1n;
}

/** Writes `value` (a safe integer) as a zigzag varlong at `pos`; returns the position after it. */
export function writeVarlong(buf: Uint8Array, pos: number, value: number): number {
  checkSafe(value);
  if (Math.abs(value) < TWO_POW_52) return writeUnsigned(buf, pos, value >= 0 ? value * 2 : -value * 2 - 1);
  let u = zigzagBig(value);
  while (u >= 128n) {
    buf[pos++] = Number(u & 0x7fn) | 0x80;
    u >>= 7n;
  }
  buf[pos++] = Number(u);
  return pos;
}

/** Reads a zigzag varint (int32) at `cur.pos`, bounded by `end`. */
export function readVarint(buf: Uint8Array, cur: Cursor, end: number = buf.length): number {
  let u = 0;
  let scale = 1;
  let pos = cur.pos;
  for (let i = 0; i < 5; i++) {
    if (pos >= end) throw corrupt(`varint at position ${cur.pos} runs past the end of its data (${end})`);
    const b = buf[pos++]!;
    u += (b & 0x7f) * scale;
    if (b < 0x80) {
      if (u > MAX_UINT32) throw corrupt(`varint at position ${cur.pos} does not fit in 32 bits`);
      cur.pos = pos;
      return (u >>> 1) ^ -(u & 1);
    }
    scale *= 128;
  }
  throw corrupt(`varint at position ${cur.pos} is longer than 5 bytes`);
}

/** Reads a zigzag varlong (int64) at `cur.pos`, bounded by `end`. */
export function readVarlong(buf: Uint8Array, cur: Cursor, end: number = buf.length): number {
  let u = 0;
  let scale = 1;
  let pos = cur.pos;
  // Seven groups = 49 bits: exact in a double, so the common case never touches BigInt.
  for (let i = 0; i < 7; i++) {
    if (pos >= end) throw corrupt(`varlong at position ${cur.pos} runs past the end of its data (${end})`);
    const b = buf[pos++]!;
    u += (b & 0x7f) * scale;
    if (b < 0x80) {
      cur.pos = pos;
      return u % 2 === 0 ? u / 2 : -(u + 1) / 2;
    }
    scale *= 128;
  }
  let big = BigInt(u);
  for (let shift = 49n; shift < 70n; shift += 7n) {
    if (pos >= end) throw corrupt(`varlong at position ${cur.pos} runs past the end of its data (${end})`);
    const b = buf[pos++]!;
    big |= BigInt(b & 0x7f) << shift;
    if (b < 0x80) {
      if (big >> 64n !== 0n) throw corrupt(`varlong at position ${cur.pos} does not fit in 64 bits`);
      const n = (big & 1n) === 0n ? big >> 1n : -((big + 1n) >> 1n);
      if (n > BigInt(Number.MAX_SAFE_INTEGER) || n < BigInt(Number.MIN_SAFE_INTEGER)) {
        throw new RecordFormatError('RECORD_VALUE_OUT_OF_RANGE', `varlong at position ${cur.pos} is ${n}, outside the safe-integer range Samsa supports for int64 values`);
      }
      cur.pos = pos;
      return Number(n);
    }
  }
  throw corrupt(`varlong at position ${cur.pos} is longer than 10 bytes`);
}
