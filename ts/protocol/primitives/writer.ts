// Writer: appends big-endian Kafka primitives into a growable buffer (the caller's, or a fresh
// one), and can split its output around deferred RecordsRegions for zero-copy fetch:
//
//   [bytes ... region length prefix] [RecordsRegion] [bytes after ...]
//
// The region's length prefix is written into the buffer before the split point, so the pieces,
// concatenated with each region's `length` bytes in place, form the exact wire message. The
// server fills regions from segment files (sendfile) or reads them into buffers (TLS).
//
// int64 takes a JS number and clamps to the int64 range (NaN → 0), so encoding never throws for
// out-of-range values; only integers within ±2^53 are exact.
import { ProtocolError } from '../protocol-error.js';

/** A placeholder for `length` bytes of record data supplied later (e.g. a segment file range). */
export interface RecordsRegion {
  readonly length: number;
}

export type Piece = Buffer | RecordsRegion;

const TWO_32 = 0x1_0000_0000;
const INT64_MAX_AS_NUMBER = 2 ** 63;

export class Writer {
  buf: Buffer;
  pos: number;
  /** Output split around regions; null until the first region is written. */
  private pieces: Piece[] | null = null;
  private cut = 0;

  constructor(initial?: Buffer | number) {
    this.buf = Buffer.isBuffer(initial) ? initial : Buffer.allocUnsafe(initial ?? 256);
    this.pos = 0;
  }

  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2 || 256;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    // Bytes before `cut` already belong to earlier pieces (slices of the old buffer), so only the
    // open piece needs copying; keep offsets identical by copying from `cut`.
    this.buf.copy(next, this.cut, this.cut, this.pos);
    this.buf = next;
  }

  int8(v: number): void { this.ensure(1); this.buf.writeInt8(v, this.pos); this.pos += 1; }
  bool(v: boolean): void { this.ensure(1); this.buf[this.pos++] = v ? 1 : 0; }
  int16(v: number): void { this.ensure(2); this.buf.writeInt16BE(v, this.pos); this.pos += 2; }
  uint16(v: number): void { this.ensure(2); this.buf.writeUInt16BE(v, this.pos); this.pos += 2; }
  int32(v: number): void { this.ensure(4); this.buf.writeInt32BE(v, this.pos); this.pos += 4; }
  uint32(v: number): void { this.ensure(4); this.buf.writeUInt32BE(v, this.pos); this.pos += 4; }
  float64(v: number): void { this.ensure(8); this.buf.writeDoubleBE(v, this.pos); this.pos += 8; }

  int64(v: number): void {
    this.ensure(8);
    let hi: number;
    let lo: number;
    if (v !== v) { hi = 0; lo = 0; } // NaN
    else if (v >= INT64_MAX_AS_NUMBER) { hi = 0x7fffffff; lo = 0xffffffff; }
    else if (v < -INT64_MAX_AS_NUMBER) { hi = -0x80000000; lo = 0; }
    else {
      const t = Math.trunc(v);
      hi = Math.floor(t / TWO_32);
      lo = t - hi * TWO_32;
      if (hi > 0x7fffffff) { hi = 0x7fffffff; lo = 0xffffffff; } // 2^63 - 2^10 < t < 2^63 rounding edge
    }
    this.buf.writeInt32BE(hi, this.pos);
    this.buf.writeUInt32BE(lo, this.pos + 4);
    this.pos += 8;
  }

  uvarint(v: number): void {
    this.ensure(5);
    const buf = this.buf;
    while (v >= 0x80) {
      buf[this.pos++] = (v & 0x7f) | 0x80;
      v = Math.floor(v / 128);
    }
    buf[this.pos++] = v;
  }

  uuid(v: string): void {
    const hex = v.length === 36 ? v.slice(0, 8) + v.slice(9, 13) + v.slice(14, 18) + v.slice(19, 23) + v.slice(24) : v;
    if (hex.length !== 32 || !/^[0-9a-fA-F]{32}$/.test(hex)) {
      throw new ProtocolError('PROTOCOL_BAD_VALUE', `uuid ${JSON.stringify(v)} is not 32 hex digits`);
    }
    this.ensure(16);
    this.buf.write(hex, this.pos, 16, 'hex');
    this.pos += 16;
  }

  raw(src: Buffer): void {
    this.ensure(src.length);
    src.copy(this.buf, this.pos);
    this.pos += src.length;
  }

  /** Non-compact string: int16 length, -1 = null. */
  string(v: string | null): void {
    if (v === null) { this.int16(-1); return; }
    const len = Buffer.byteLength(v, 'utf8');
    if (len > 0x7fff) throw new ProtocolError('PROTOCOL_BAD_VALUE', `string of ${len} bytes exceeds 32767`);
    this.int16(len);
    this.ensure(len);
    this.pos += this.buf.write(v, this.pos, len, 'utf8');
  }

  /** Compact string: uvarint length+1, 0 = null. */
  compactString(v: string | null): void {
    if (v === null) { this.uvarint(0); return; }
    const len = Buffer.byteLength(v, 'utf8');
    if (len > 0x7fff) throw new ProtocolError('PROTOCOL_BAD_VALUE', `string of ${len} bytes exceeds 32767`);
    this.uvarint(len + 1);
    this.ensure(len);
    this.pos += this.buf.write(v, this.pos, len, 'utf8');
  }

  bytes(v: Buffer | null): void {
    if (v === null) { this.int32(-1); return; }
    this.int32(v.length);
    this.raw(v);
  }

  compactBytes(v: Buffer | null): void {
    if (v === null) { this.uvarint(0); return; }
    this.uvarint(v.length + 1);
    this.raw(v);
  }

  /** Records in a non-flexible version: int32 length then bytes (or a deferred region). */
  records(v: Buffer | RecordsRegion | null, compact: boolean): void {
    if (v === null) { if (compact) this.uvarint(0); else this.int32(-1); return; }
    if (compact) this.uvarint(v.length + 1); else this.int32(v.length);
    if (Buffer.isBuffer(v)) this.raw(v);
    else this.region(v);
  }

  /** Splits the output here: the region's bytes will be supplied later by the caller. */
  region(r: RecordsRegion): void {
    const pieces = this.pieces ?? (this.pieces = []);
    pieces.push(this.buf.subarray(this.cut, this.pos), r);
    this.cut = this.pos;
  }

  get hasRegions(): boolean {
    return this.pieces !== null;
  }

  /** Total bytes on the wire, including region lengths. */
  get wireLength(): number {
    let n = this.pos - this.cut;
    if (this.pieces) for (const p of this.pieces) n += p.length;
    return n;
  }

  /** The written bytes as one Buffer (a view of the internal buffer). Throws if regions were used. */
  finish(): Buffer {
    if (this.pieces) throw new Error('Writer.finish: output has records regions; use finishPieces()');
    return this.buf.subarray(0, this.pos);
  }

  /** The written output as pieces; a single Buffer piece when no region was written. */
  finishPieces(): Piece[] {
    const tail = this.buf.subarray(this.cut, this.pos);
    if (!this.pieces) return [tail];
    const out = this.pieces.slice();
    if (tail.length > 0) out.push(tail);
    return out;
  }

  /**
   * Overwrites an int32 at a buffer offset (a `pos` value seen while writing, e.g. where a frame
   * size prefix went), even if that offset now lies in an earlier piece.
   */
  patchInt32(offset: number, v: number): void {
    if (offset >= this.cut) { this.buf.writeInt32BE(v, offset); return; }
    // Buffer pieces cover buffer offsets [0, cut) contiguously; regions take no buffer bytes.
    let base = 0;
    for (const p of this.pieces!) {
      if (!Buffer.isBuffer(p)) continue;
      if (offset + 4 <= base + p.length) { p.writeInt32BE(v, offset - base); return; }
      base += p.length;
    }
    throw new Error(`Writer.patchInt32: offset ${offset} is not inside one buffer piece`);
  }
}
