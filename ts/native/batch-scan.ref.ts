// Reference twin of batch-scan.ts in TypeScript, written for clarity: same checks in the same
// order, same summary layout, same details, same in-place assignment. Rules per mode are
// documented in native/src/core/batch_scan.h; keep the two in step.
import { crc32c } from './crc32c.ref.js';
import { HEADER_SLOTS, SCAN_MODE_CODES, ScanResult, STRIDE, type ScanOptions } from './scan-result.js';
import { Status } from './status.js';

export { ScanResult } from './scan-result.js';
export type { BatchInfo, ScanMode, ScanOptions } from './scan-result.js';

const LOG_OVERHEAD = 12;
const HEADER_SIZE = 61;
const MIN_BATCH_LENGTH = HEADER_SIZE - LOG_OVERHEAD; // 49
const MIN_RECORD_BODY = 6;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

interface Failure { status: number; d1: number; d2: number }

/** Unsigned LEB128 into 32 bits (extra bits dropped), at most maxBytes; undefined if bad. */
function readVarint(b: Uint8Array, at: { p: number }, end: number, maxBytes: number): number | undefined {
  let raw = 0;
  for (let i = 0; i < maxBytes; i++) {
    if (at.p >= end) return undefined;
    const byte = b[at.p++];
    raw = (raw | ((byte & 0x7f) << (7 * i))) >>> 0;
    if ((byte & 0x80) === 0) return raw;
  }
  return undefined;
}

function zigzag(raw: number): number {
  return (raw >>> 1) ^ -(raw & 1);
}

function walkRecords(b: Uint8Array, p: number, size: number, count: number): Failure | undefined {
  const batchEnd = p + size;
  const at = { p: p + HEADER_SIZE };
  for (let i = 0; i < count; i++) {
    const recordPos = at.p;
    const raw = readVarint(b, at, batchEnd, 5);
    const len = raw === undefined ? -1 : zigzag(raw);
    let ok = len >= MIN_RECORD_BODY && len <= batchEnd - at.p;
    if (ok) {
      const recordEnd = at.p + len;
      const r = { p: at.p + 1 }; // skip attributes
      ok = readVarint(b, r, recordEnd, 10) !== undefined; // timestampDelta (varlong, skipped)
      const od = ok ? readVarint(b, r, recordEnd, 5) : undefined;
      ok = od !== undefined && zigzag(od) === i;
      at.p = recordEnd;
    }
    if (!ok) return { status: Status.RecordFramingError, d1: i, d2: recordPos };
  }
  if (at.p !== batchEnd) return { status: Status.RecordFramingError, d1: count, d2: at.p };
  return undefined;
}

function checkBatch(b: Uint8Array, v: DataView, p: number, end: number, mode: number,
  prevLast: bigint): { size: number } | Failure {
  const left = end - p;
  const recover = mode === SCAN_MODE_CODES.recover;
  if (left < LOG_OVERHEAD) return { status: recover ? Status.Truncated : Status.BatchTooShort, d1: -1, d2: left };
  const length = v.getInt32(p + 8);
  if (length < MIN_BATCH_LENGTH) return { status: Status.BatchTooShort, d1: length, d2: left };
  if (length > left - LOG_OVERHEAD) {
    return { status: recover ? Status.Truncated : Status.BatchLengthOutOfBounds, d1: length, d2: left };
  }
  const size = LOG_OVERHEAD + length;
  if (b[p + 16] !== 2) return { status: Status.BadMagic, d1: b[p + 16], d2: 0 };
  const stored = v.getUint32(p + 17);
  const computed = crc32c(b.subarray(p + 21, p + size));
  if (stored !== computed) return { status: Status.CrcMismatch, d1: stored, d2: computed };
  const count = v.getInt32(p + 57);
  const delta = v.getInt32(p + 23);
  if (mode === SCAN_MODE_CODES.produce) {
    if (count <= 0) return { status: Status.BadRecordCount, d1: count, d2: delta };
    if (delta !== count - 1) return { status: Status.BadLastOffsetDelta, d1: count, d2: delta };
    if ((v.getUint16(p + 21) & 0x07) === 0) {
      const f = walkRecords(b, p, size, count);
      if (f) return f;
    }
    return { size };
  }
  if (count < 0) return { status: Status.BadRecordCount, d1: count, d2: delta };
  if (delta < 0) return { status: Status.BadLastOffsetDelta, d1: count, d2: delta };
  if (count > delta + 1) return { status: Status.BadRecordCount, d1: count, d2: delta };
  const base = v.getBigInt64(p);
  if (base <= prevLast) return { status: Status.NonMonotonicOffsets, d1: Number(base), d2: Number(prevLast) };
  if (base > MAX_SAFE - BigInt(delta)) return { status: Status.OffsetOverflow, d1: Number(base), d2: delta };
  return { size };
}

function summarise(v: DataView, p: number, size: number, s: Float64Array, at: number): void {
  s[at] = p;
  s[at + 1] = size;
  s[at + 2] = Number(v.getBigInt64(p));
  s[at + 3] = v.getInt32(p + 23);
  s[at + 4] = v.getInt32(p + 12);
  s[at + 5] = v.getUint16(p + 21);
  s[at + 6] = Number(v.getBigInt64(p + 27));
  s[at + 7] = Number(v.getBigInt64(p + 35));
  s[at + 8] = Number(v.getBigInt64(p + 43));
  s[at + 9] = v.getInt16(p + 51);
  s[at + 10] = v.getInt32(p + 53);
  s[at + 11] = v.getInt32(p + 57);
}

function assign(b: Uint8Array, v: DataView, s: Float64Array, count: number, opts: ScanOptions): number {
  let next = opts.assignBaseOffset ?? -1;
  if (next >= 0) {
    let last = next - 1;
    for (let i = 0; i < count; i++) {
      const at = HEADER_SLOTS + i * STRIDE;
      last += s[at + 3] + 1;
      if (last > Number.MAX_SAFE_INTEGER) {
        s[2] = i; s[3] = s[at]; s[4] = next; s[5] = s[at + 3];
        return Status.OffsetOverflow;
      }
    }
  }
  for (let i = 0; i < count; i++) {
    const at = HEADER_SLOTS + i * STRIDE;
    const p = s[at];
    if (next >= 0) {
      v.setBigInt64(p, BigInt(next));
      s[at + 2] = next;
      next += s[at + 3] + 1;
    }
    if (opts.leaderEpoch !== undefined && opts.leaderEpoch >= 0) {
      v.setInt32(p + 12, opts.leaderEpoch);
      s[at + 4] = opts.leaderEpoch;
    }
    if (opts.logAppendTime !== undefined && opts.logAppendTime >= 0) {
      const attributes = v.getUint16(p + 21) | 0x08;
      v.setUint16(p + 21, attributes);
      v.setBigInt64(p + 35, BigInt(opts.logAppendTime));
      v.setUint32(p + 17, crc32c(b.subarray(p + 21, p + s[at + 1])));
      s[at + 5] = attributes;
      s[at + 7] = opts.logAppendTime;
    }
  }
  return count;
}

export function scanBatches(buf: Uint8Array, opts: ScanOptions, start = 0, end = buf.length): ScanResult {
  const mode = SCAN_MODE_CODES[opts.mode];
  if (mode === undefined) throw new TypeError(`scanBatches: unknown mode ${String(opts.mode)}`);
  const capacity = opts.maxBatches ?? Math.floor((end - start) / HEADER_SIZE) + 1;
  const s = new Float64Array(HEADER_SLOTS + capacity * STRIDE);
  const v = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let p = start;
  let count = 0;
  let prevLast = -1n;
  let failure: Failure | undefined;
  while (p < end) {
    if (count >= capacity) {
      failure = { status: Status.SummaryTooSmall, d1: capacity, d2: 0 };
      break;
    }
    const r = checkBatch(buf, v, p, end, mode, prevLast);
    if ('status' in r) {
      failure = r;
      break;
    }
    summarise(v, p, r.size, s, HEADER_SLOTS + count * STRIDE);
    if (mode !== SCAN_MODE_CODES.produce) prevLast = v.getBigInt64(p) + BigInt(v.getInt32(p + 23));
    p += r.size;
    count++;
  }
  s[0] = p;
  s[1] = count;
  let status: number = count;
  if (failure) {
    s[2] = count; s[3] = p; s[4] = failure.d1; s[5] = failure.d2;
    status = failure.status;
  } else {
    s[2] = -1; s[3] = -1;
    if ((opts.assignBaseOffset ?? -1) >= 0 || (opts.leaderEpoch ?? -1) >= 0 || (opts.logAppendTime ?? -1) >= 0) {
      status = assign(buf, v, s, count, opts);
    }
  }
  return new ScanResult(status < 0 ? status : Status.Ok, s.slice(0, HEADER_SLOTS + count * STRIDE));
}
