// The records section of a v2 batch (uncompressed form), after the 61-byte header.
//
// Each record (all varints zigzag, see varint.ts):
//   length          varint   bytes of the record after this field
//   attributes      int8     unused, written 0
//   timestampDelta  varlong  timestamp - batch baseTimestamp (may be negative)
//   offsetDelta     varint   offset - batch baseOffset
//   keyLength       varint   -1 = null key
//   key             bytes
//   valueLength     varint   -1 = null value
//   value           bytes
//   headersCount    varint
//   headers         [keyLength varint, key UTF-8, valueLength varint (-1 = null), value]
//
// Decoded keys, values and header values are views (subarray) of the input buffer: no copy.
// Copy them if the buffer is reused.
import { corrupt } from './errors.js';
import { readVarint, readVarlong, sizeOfVarint, sizeOfVarlong, writeVarint, writeVarlong, type Cursor } from './varint.js';

export interface RecordHeader { key: string; value: Buffer | null }

export interface Record {
  offset: number;
  timestamp: number;
  key: Buffer | null;
  value: Buffer | null;
  /** In wire order; the same key may repeat. */
  headers: RecordHeader[];
}

function sizeOfBytes(b: Uint8Array | null): number {
  return b === null ? 1 : sizeOfVarint(b.length) + b.length;
}

function writeBytes(buf: Buffer, pos: number, b: Uint8Array | null): number {
  if (b === null) return writeVarint(buf, pos, -1);
  pos = writeVarint(buf, pos, b.length);
  buf.set(b, pos);
  return pos + b.length;
}

/** Encodes records relative to `baseOffset`/`baseTimestamp`, in the given order. */
export function encodeRecords(records: readonly Record[], baseOffset: number, baseTimestamp: number): Buffer {
  const bodySizes = new Array<number>(records.length);
  const headerKeys: Buffer[][] = new Array(records.length);
  let total = 0;
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    const keys = r.headers.map((h) => Buffer.from(h.key, 'utf8'));
    headerKeys[i] = keys;
    let body = 1 + sizeOfVarlong(r.timestamp - baseTimestamp) + sizeOfVarint(r.offset - baseOffset)
      + sizeOfBytes(r.key) + sizeOfBytes(r.value) + sizeOfVarint(r.headers.length);
    for (let h = 0; h < keys.length; h++) body += sizeOfBytes(keys[h]!) + sizeOfBytes(r.headers[h]!.value);
    bodySizes[i] = body;
    total += sizeOfVarint(body) + body;
  }
  const buf = Buffer.allocUnsafe(total);
  let pos = 0;
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    pos = writeVarint(buf, pos, bodySizes[i]!);
    buf[pos++] = 0; // attributes
    pos = writeVarlong(buf, pos, r.timestamp - baseTimestamp);
    pos = writeVarint(buf, pos, r.offset - baseOffset);
    pos = writeBytes(buf, pos, r.key);
    pos = writeBytes(buf, pos, r.value);
    const keys = headerKeys[i]!;
    pos = writeVarint(buf, pos, keys.length);
    for (let h = 0; h < keys.length; h++) {
      pos = writeBytes(buf, pos, keys[h]!);
      pos = writeBytes(buf, pos, r.headers[h]!.value);
    }
  }
  if (pos !== total) throw new Error(`encodeRecords: wrote ${pos} bytes, computed ${total} (bug)`);
  return buf;
}

function readBytes(buf: Buffer, cur: Cursor, end: number, what: string): Buffer | null {
  const at = cur.pos;
  const len = readVarint(buf, cur, end);
  if (len === -1) return null;
  if (len < -1) throw corrupt(`${what} length ${len} at position ${at} is negative`);
  if (cur.pos + len > end) throw corrupt(`${what} length ${len} at position ${at} runs past the end of its record (${end})`);
  const out = buf.subarray(cur.pos, cur.pos + len);
  cur.pos += len;
  return out;
}

export interface DecodeRecordsOptions {
  /** When set (LogAppendTime batches), every record's timestamp is this value (the batch maxTimestamp). */
  logAppendTime?: number;
}

/**
 * Decodes exactly `count` records from buf[start, end). Positions in errors are relative to `buf`.
 * Throws CORRUPT_RECORD when a record's declared length disagrees with its fields, or when bytes
 * remain after the last record.
 */
export function decodeRecords(buf: Buffer, start: number, end: number, count: number, baseOffset: number,
  baseTimestamp: number, opts: DecodeRecordsOptions = {}): Record[] {
  if (count < 0) throw corrupt(`records count ${count} is negative`);
  // Each record takes at least 7 bytes: refuse absurd counts before allocating anything.
  if (count > (end - start)) throw corrupt(`records count ${count} cannot fit in ${end - start} bytes`);
  const out: Record[] = [];
  const cur: Cursor = { pos: start };
  for (let i = 0; i < count; i++) {
    const at = cur.pos;
    const length = readVarint(buf, cur, end);
    const bodyStart = cur.pos;
    const bodyEnd = bodyStart + length;
    if (length < 0 || bodyEnd > end) throw corrupt(`record ${i} at position ${at} declares length ${length} but ${end - bodyStart} bytes remain`);
    cur.pos++; // attributes (unused)
    const timestampDelta = readVarlong(buf, cur, bodyEnd);
    const offsetDelta = readVarint(buf, cur, bodyEnd);
    const key = readBytes(buf, cur, bodyEnd, 'key');
    const value = readBytes(buf, cur, bodyEnd, 'value');
    const headersAt = cur.pos;
    const headerCount = readVarint(buf, cur, bodyEnd);
    if (headerCount < 0 || headerCount > bodyEnd - cur.pos) throw corrupt(`record ${i} at position ${at}: header count ${headerCount} at position ${headersAt} is invalid`);
    const headers: RecordHeader[] = [];
    for (let h = 0; h < headerCount; h++) {
      const hk = readBytes(buf, cur, bodyEnd, 'header key');
      if (hk === null) throw corrupt(`record ${i} at position ${at}: header ${h} has a null key`);
      headers.push({ key: hk.toString('utf8'), value: readBytes(buf, cur, bodyEnd, 'header value') });
    }
    if (cur.pos !== bodyEnd) throw corrupt(`record ${i} at position ${at} declares length ${length} but its fields take ${cur.pos - bodyStart}`);
    out.push({
      offset: baseOffset + offsetDelta,
      timestamp: opts.logAppendTime ?? baseTimestamp + timestampDelta,
      key, value, headers,
    });
  }
  if (cur.pos !== end) throw corrupt(`${end - cur.pos} bytes remain after the last of ${count} records (position ${cur.pos})`);
  return out;
}
