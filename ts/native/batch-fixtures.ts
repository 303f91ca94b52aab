// Test and bench helper: builds v2 record batches byte by byte with the reference CRC, so the
// batch-scan tests do not depend on the code under test. Not used in production.
import { crc32c } from './crc32c.ref.js';

export interface FixtureBatch {
  baseOffset?: number;
  leaderEpoch?: number;
  attributes?: number;
  /** Record bodies' value sizes (uncompressed) or the blob size when attributes & 7 != 0. */
  values?: number[];
  /** Offset deltas of the records (default 0..n-1); gaps model compaction. */
  offsetDeltas?: number[];
  lastOffsetDelta?: number;
  firstTimestamp?: number;
  maxTimestamp?: number;
  producerId?: number;
  producerEpoch?: number;
  baseSequence?: number;
  /** Override recordsCount (default values.length). */
  recordsCount?: number;
  blobSize?: number;
}

function zigzagVarint(n: number, out: number[]): void {
  let z = BigInt.asUintN(64, (BigInt(n) << 1n) ^ (BigInt(n) < 0n ? -1n : 0n));
  do {
    let byte = Number(z & 0x7fn);
    z >>= 7n;
    if (z !== 0n) byte |= 0x80;
    out.push(byte);
  } while (z !== 0n);
}

function record(offsetDelta: number, tsDelta: number, valueSize: number, fill: number): number[] {
  const body: number[] = [0];
  zigzagVarint(tsDelta, body);
  zigzagVarint(offsetDelta, body);
  zigzagVarint(-1, body); // null key
  zigzagVarint(valueSize, body);
  for (let i = 0; i < valueSize; i++) body.push((fill + i) & 0xff);
  zigzagVarint(0, body); // no headers
  const out: number[] = [];
  zigzagVarint(body.length, out);
  return out.concat(body);
}

export function buildFixtureBatch(b: FixtureBatch): Buffer {
  const attributes = b.attributes ?? 0;
  const values = b.values ?? [8];
  let records: number[] = [];
  if ((attributes & 7) !== 0) {
    const n = b.blobSize ?? 32;
    for (let i = 0; i < n; i++) records.push((i * 31 + 7) & 0xff);
  } else {
    values.forEach((size, i) => {
      records = records.concat(record(b.offsetDeltas?.[i] ?? i, i, size, i));
    });
  }
  const count = b.recordsCount ?? values.length;
  const lastDelta = b.lastOffsetDelta ?? (b.offsetDeltas ? b.offsetDeltas[b.offsetDeltas.length - 1] : count - 1);
  const buf = Buffer.alloc(61 + records.length);
  buf.writeBigInt64BE(BigInt(b.baseOffset ?? 0), 0);
  buf.writeInt32BE(buf.length - 12, 8);
  buf.writeInt32BE(b.leaderEpoch ?? 0, 12);
  buf[16] = 2;
  buf.writeUInt16BE(attributes, 21);
  buf.writeInt32BE(lastDelta, 23);
  buf.writeBigInt64BE(BigInt(b.firstTimestamp ?? 1_700_000_000_000), 27);
  buf.writeBigInt64BE(BigInt(b.maxTimestamp ?? 1_700_000_000_000 + Math.max(0, count - 1)), 35);
  buf.writeBigInt64BE(BigInt(b.producerId ?? -1), 43);
  buf.writeInt16BE(b.producerEpoch ?? -1, 51);
  buf.writeInt32BE(b.baseSequence ?? -1, 53);
  buf.writeInt32BE(count, 57);
  Buffer.from(records).copy(buf, 61);
  buf.writeUInt32BE(crc32c(buf.subarray(21)), 17);
  return buf;
}

/** Rewrites the CRC of the batch at `pos` (after a test mutates covered bytes on purpose). */
export function fixCrc(buf: Buffer, pos = 0): void {
  const len = buf.readInt32BE(pos + 8) + 12;
  buf.writeUInt32BE(crc32c(buf.subarray(pos + 21, pos + len)), pos + 17);
}

/** Deterministic PRNG (mulberry32) so failures reproduce. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Random valid log: batches with increasing offsets, some compressed blobs, gaps, empty batches. */
export function randomLog(rand: () => number, batches: number, produce: boolean): Buffer {
  const parts: Buffer[] = [];
  let next = produce ? 0 : Math.floor(rand() * 1000);
  for (let i = 0; i < batches; i++) {
    const n = 1 + Math.floor(rand() * 5);
    const values = Array.from({ length: n }, () => Math.floor(rand() * 200));
    const compressed = rand() < 0.25;
    const spec: FixtureBatch = {
      baseOffset: produce ? 0 : next, values, attributes: compressed ? 1 + Math.floor(rand() * 4) : 0,
      blobSize: 20 + Math.floor(rand() * 100), producerId: Math.floor(rand() * 1e12),
      producerEpoch: Math.floor(rand() * 100), baseSequence: Math.floor(rand() * 1e6),
      leaderEpoch: Math.floor(rand() * 10), firstTimestamp: 1_700_000_000_000 + Math.floor(rand() * 1e9),
    };
    if (!produce && rand() < 0.2) { // compacted: gaps, or an empty batch keeping its delta
      if (rand() < 0.5) spec.offsetDeltas = values.map((_, k) => k * 2);
      else { spec.values = []; spec.recordsCount = 0; spec.lastOffsetDelta = n; }
    }
    const b = buildFixtureBatch(spec);
    parts.push(b);
    next += b.readInt32BE(23) + 1 + (produce ? 0 : Math.floor(rand() * 3));
  }
  return Buffer.concat(parts);
}
