// Reader: big-endian Kafka primitives over a Buffer window [pos, end).
//
// Every declared length is checked against the bytes that remain BEFORE anything is allocated,
// so a hostile frame can never make us allocate more than the frame itself. Failures throw
// ProtocolError with a reason only; the codec adds the field path while unwinding.
//
// int64 decodes to a JS number: exact within ±2^53, beyond that it loses precision (by design,
// see common rules: offsets/timestamps/producer ids are safe integers).
// Strings must be valid UTF-8 (Kafka rejects malformed strings); bytes/records are slices, not
// copies, so they keep the frame alive as long as they are referenced.
import { isUtf8 } from 'node:buffer';
import { ProtocolError } from '../protocol-error.js';

const TWO_32 = 0x1_0000_0000;

export class Reader {
  readonly buf: Buffer;
  pos: number;
  readonly end: number;

  constructor(buf: Buffer, start = 0, end = buf.length) {
    this.buf = buf;
    this.pos = start;
    this.end = end;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  /** Throws unless `n` more bytes are available. */
  need(n: number): void {
    if (n > this.end - this.pos) {
      throw new ProtocolError('PROTOCOL_TRUNCATED', `need ${n} bytes, ${this.end - this.pos} remaining`);
    }
  }

  /** Validates a declared length (bytes or element count with `unit` bytes minimum each). */
  checkLength(len: number, unit = 1): void {
    if (len < 0) throw new ProtocolError('PROTOCOL_BAD_LENGTH', `negative length ${len}`);
    if (len * unit > this.end - this.pos) {
      throw new ProtocolError('PROTOCOL_BAD_LENGTH', `length ${len} > ${this.end - this.pos} remaining`);
    }
  }

  int8(): number { this.need(1); return this.buf.readInt8(this.pos++); }
  bool(): boolean { this.need(1); return this.buf[this.pos++] !== 0; }
  int16(): number { this.need(2); const v = this.buf.readInt16BE(this.pos); this.pos += 2; return v; }
  uint16(): number { this.need(2); const v = this.buf.readUInt16BE(this.pos); this.pos += 2; return v; }
  int32(): number { this.need(4); const v = this.buf.readInt32BE(this.pos); this.pos += 4; return v; }
  uint32(): number { this.need(4); const v = this.buf.readUInt32BE(this.pos); this.pos += 4; return v; }
  float64(): number { this.need(8); const v = this.buf.readDoubleBE(this.pos); this.pos += 8; return v; }

  int64(): number {
    this.need(8);
    const hi = this.buf.readInt32BE(this.pos);
    const lo = this.buf.readUInt32BE(this.pos + 4);
    this.pos += 8;
    return hi * TWO_32 + lo;
  }

  /** Unsigned varint of at most 5 bytes (values up to 2^32-1). */
  uvarint(): number {
    const buf = this.buf;
    let result = 0;
    let shift = 0;
    for (let i = 0; i < 5; i++) {
      if (this.pos >= this.end) throw new ProtocolError('PROTOCOL_TRUNCATED', 'varint runs past the end');
      const b = buf[this.pos++]!;
      if (i === 4 && b > 0x0f) throw new ProtocolError('PROTOCOL_BAD_VARINT', 'unsigned varint exceeds 32 bits');
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
      shift += 7;
    }
    throw new ProtocolError('PROTOCOL_BAD_VARINT', 'unsigned varint longer than 5 bytes');
  }

  /** Length of a compact field: uvarint N, N-1 is the length, -1 = null. */
  compactLength(): number {
    return this.uvarint() - 1;
  }

  uuid(): string {
    this.need(16);
    const h = this.buf.toString('hex', this.pos, this.pos + 16);
    this.pos += 16;
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  /** A string of `len` bytes (len already read; -1 = null). */
  stringOf(len: number): string | null {
    if (len === -1) return null;
    this.checkLength(len);
    const start = this.pos;
    this.pos += len;
    const s = this.buf.toString('utf8', start, start + len);
    // Decoding never throws; a U+FFFD in the result means either a real U+FFFD or bad input.
    if (s.indexOf('\ufffd') !== -1 && !isUtf8(this.buf.subarray(start, start + len))) {
      throw new ProtocolError('PROTOCOL_BAD_UTF8', `string of ${len} bytes is not valid UTF-8`);
    }
    return s;
  }

  /** A slice of `len` bytes (len already read; -1 = null). No copy. */
  bytesOf(len: number): Buffer | null {
    if (len === -1) return null;
    this.checkLength(len);
    const start = this.pos;
    this.pos += len;
    return this.buf.subarray(start, start + len);
  }

  string(): string | null { return this.stringOf(this.int16()); }
  compactString(): string | null { return this.stringOf(this.compactLength()); }
  bytes(): Buffer | null { return this.bytesOf(this.int32()); }
  compactBytes(): Buffer | null { return this.bytesOf(this.compactLength()); }

  skip(n: number): void {
    this.checkLength(n);
    this.pos += n;
  }
}
