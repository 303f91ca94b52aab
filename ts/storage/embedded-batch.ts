// EmbeddedBatchWriter: encodes one uncompressed magic v2 batch for openLog's append(records)
// straight into a reusable slab, with one size pass, one write pass and one native CRC call.
// Same bytes as buildBatch (protocol/record/batch-builder.ts; a test compares them) without its
// per-record objects, the separate records section and the copy into the batch.
//
// Memory contract: a batch is a view into the current slab and stays untouched until `release`
// is called for it (the Log writes it later and must not see it change). When every batch of the
// slab has been released the next batch starts again at the slab's beginning, so sequential
// awaited appends write from the same few cache-hot KiB instead of a fresh allocation per call.
// A slab with batches still outstanding is abandoned (left to the GC) for a new one. Batches
// larger than a quarter of the slab get their own buffer.
import { crc32c } from '../native/crc32c.js';
import { writeInt64BE } from '../protocol/record/int64.js';
import * as L from '../protocol/record/layout.js';
import { sizeOfVarint, sizeOfVarlong, writeVarint, writeVarlong } from '../protocol/record/varint.js';

export interface EmbeddedRecordInput {
  key?: Buffer | string | null;
  value: Buffer | string | null;
  headers?: { key: string; value: Buffer | null }[];
  timestamp?: number;
}

const SLAB_BYTES = 1024 * 1024;

class Slab {
  readonly buf = Buffer.allocUnsafeSlow(SLAB_BYTES);
  used = 0;
  outstanding = 0;
}

/** One encoded batch; `release()` (idempotent) once the Log no longer needs its bytes. */
export class EncodedBatch {
  #slab: Slab | null;
  constructor(readonly bytes: Buffer, slab: Slab | null) { this.#slab = slab; }
  release(): void {
    if (this.#slab) { this.#slab.outstanding--; this.#slab = null; }
  }
}

function invalid(message: string): Error {
  return Object.assign(new TypeError(message), { code: 'INVALID_RECORD' });
}

const byteLen = (v: Buffer | string): number => (typeof v === 'string' ? Buffer.byteLength(v, 'utf8') : v.length);

function writeField(buf: Buffer, pos: number, v: Buffer | string | null | undefined, len: number): number {
  if (v === null || v === undefined) return writeVarint(buf, pos, -1);
  pos = writeVarint(buf, pos, len);
  if (typeof v === 'string') buf.write(v, pos, len, 'utf8');
  else buf.set(v, pos);
  return pos + len;
}

export class EmbeddedBatchWriter {
  #slab = new Slab();
  #lens: number[] = []; // per record: body size, key length, value length (scratch, reused)

  /** One batch holding `records` in order; record timestamps default to `now`. */
  encode(records: readonly EmbeddedRecordInput[], now: number): EncodedBatch {
    const n = records.length;
    if (n === 0) throw invalid('append needs at least one record');
    const lens = this.#lens;
    const baseTs = records[0]!.timestamp ?? now;
    let maxTs = baseTs, total = L.RECORDS_OFFSET;
    for (let i = 0; i < n; i++) {
      const r = records[i]!;
      const ts = r.timestamp ?? now;
      if (!Number.isSafeInteger(ts)) throw invalid(`record ${i}: timestamp ${ts} must be a safe integer (ms since the epoch)`);
      if (ts > maxTs) maxTs = ts;
      const k = r.key, v = r.value;
      if (k !== null && k !== undefined && typeof k !== 'string' && !Buffer.isBuffer(k)) throw invalid(`record ${i}: key must be a Buffer, a string or null`);
      if (v !== null && typeof v !== 'string' && !Buffer.isBuffer(v)) throw invalid(`record ${i}: value must be a Buffer, a string or null`);
      const kl = k === null || k === undefined ? -1 : byteLen(k);
      const vl = v === null ? -1 : byteLen(v);
      let body = 1 + sizeOfVarlong(ts - baseTs) + sizeOfVarint(i) + sizeOfVarint(kl) + (kl > 0 ? kl : 0)
        + sizeOfVarint(vl) + (vl > 0 ? vl : 0);
      const hs = r.headers;
      if (hs && hs.length > 0) {
        body += sizeOfVarint(hs.length);
        for (const h of hs) {
          const hk = Buffer.byteLength(h.key, 'utf8'), hv = h.value === null ? -1 : h.value.length;
          body += sizeOfVarint(hk) + hk + sizeOfVarint(hv) + (hv > 0 ? hv : 0);
        }
      } else body += 1;
      lens[3 * i] = body; lens[3 * i + 1] = kl; lens[3 * i + 2] = vl;
      total += sizeOfVarint(body) + body;
    }
    const { buf, at, slab } = this.#alloc(total);
    let pos = at + L.RECORDS_OFFSET;
    for (let i = 0; i < n; i++) {
      const r = records[i]!;
      pos = writeVarint(buf, pos, lens[3 * i]!);
      buf[pos++] = 0; // record attributes
      pos = writeVarlong(buf, pos, (r.timestamp ?? now) - baseTs);
      pos = writeVarint(buf, pos, i);
      pos = writeField(buf, pos, r.key, lens[3 * i + 1]!);
      pos = writeField(buf, pos, r.value, lens[3 * i + 2]!);
      const hs = r.headers;
      if (hs && hs.length > 0) {
        pos = writeVarint(buf, pos, hs.length);
        for (const h of hs) {
          pos = writeField(buf, pos, h.key, Buffer.byteLength(h.key, 'utf8'));
          pos = writeField(buf, pos, h.value, h.value === null ? -1 : h.value.length);
        }
      } else buf[pos++] = 0;
    }
    if (pos !== at + total) throw new Error(`EmbeddedBatchWriter: wrote ${pos - at} bytes, computed ${total} (bug)`);
    writeInt64BE(buf, at + L.BASE_OFFSET_OFFSET, 0);
    buf.writeInt32BE(total - L.LOG_OVERHEAD, at + L.BATCH_LENGTH_OFFSET);
    buf.writeInt32BE(L.NO_PARTITION_LEADER_EPOCH, at + L.PARTITION_LEADER_EPOCH_OFFSET);
    buf[at + L.MAGIC_OFFSET] = L.CURRENT_MAGIC;
    buf.writeUInt16BE(0, at + L.ATTRIBUTES_OFFSET);
    buf.writeInt32BE(n - 1, at + L.LAST_OFFSET_DELTA_OFFSET);
    writeInt64BE(buf, at + L.BASE_TIMESTAMP_OFFSET, baseTs);
    writeInt64BE(buf, at + L.MAX_TIMESTAMP_OFFSET, maxTs);
    writeInt64BE(buf, at + L.PRODUCER_ID_OFFSET, L.NO_PRODUCER_ID);
    buf.writeInt16BE(L.NO_PRODUCER_EPOCH, at + L.PRODUCER_EPOCH_OFFSET);
    buf.writeInt32BE(L.NO_SEQUENCE, at + L.BASE_SEQUENCE_OFFSET);
    buf.writeInt32BE(n, at + L.RECORDS_COUNT_OFFSET);
    const bytes = buf.subarray(at, at + total);
    bytes.writeUInt32BE(crc32c(bytes.subarray(L.CRC_START)) >>> 0, L.CRC_OFFSET);
    return new EncodedBatch(bytes, slab);
  }

  /** Reserves `size` bytes; the caller wraps them in an EncodedBatch holding `slab`. */
  #alloc(size: number): { buf: Buffer; at: number; slab: Slab | null } {
    if (size > SLAB_BYTES / 4) return { buf: Buffer.allocUnsafeSlow(size), at: 0, slab: null };
    let slab = this.#slab;
    if (slab.outstanding === 0) slab.used = 0;
    if (slab.used + size > SLAB_BYTES) slab = this.#slab = new Slab();
    const at = slab.used;
    slab.used += size;
    slab.outstanding++;
    return { buf: slab.buf, at, slab };
  }
}
