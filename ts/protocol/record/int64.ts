// int64 <-> JS number for big-endian header fields. Samsa keeps int64 values (offsets,
// timestamps, producer ids) as safe-integer numbers; these avoid a BigInt per field.
import { RecordFormatError } from './errors.js';

const TWO_POW_32 = 2 ** 32;

/** Reads a big-endian int64. Exact when the value is a safe integer (|v| < 2^53). */
export function readInt64BE(buf: Uint8Array, pos: number): number {
  const hi = ((buf[pos]! << 24) | (buf[pos + 1]! << 16) | (buf[pos + 2]! << 8) | buf[pos + 3]!);
  const lo = ((buf[pos + 4]! << 24) | (buf[pos + 5]! << 16) | (buf[pos + 6]! << 8) | buf[pos + 7]!) >>> 0;
  return hi * TWO_POW_32 + lo;
}

/** Writes a safe integer as a big-endian int64. */
export function writeInt64BE(buf: Uint8Array, pos: number, value: number): void {
  if (!Number.isSafeInteger(value)) {
    throw new RecordFormatError('RECORD_VALUE_OUT_OF_RANGE', `int64 value ${value} is not a safe integer; Samsa keeps int64 fields within ±(2^53-1)`);
  }
  const hi = Math.floor(value / TWO_POW_32);
  const lo = value - hi * TWO_POW_32;
  buf[pos] = hi >>> 24; buf[pos + 1] = hi >>> 16; buf[pos + 2] = hi >>> 8; buf[pos + 3] = hi;
  buf[pos + 4] = lo >>> 24; buf[pos + 5] = lo >>> 16; buf[pos + 6] = lo >>> 8; buf[pos + 7] = lo;
}
