// Reads concatenated v2 batches (a .log segment, a Fetch/Produce `records` field) without
// copying: each RecordBatchView reads its header fields from the underlying buffer on demand.
//
// Iteration stops at the first batch it cannot frame and says why (stopKind/stopReason):
//   'end'      every byte was consumed;
//   'partial'  the bytes end inside a batch (a torn tail, or a read that cut a batch in two):
//              `needed` is the full size of that batch when its length is known;
//   'corrupt'  the framing is invalid (batchLength below the header size, magic other than 2).
// CRCs are not checked while iterating (a view can: crcValid()); records() checks the records.
import { crc32c } from '../../native/crc32c.js';
import { getCodec } from './compression.js';
import { corrupt } from './errors.js';
import { readInt64BE } from './int64.js';
import * as L from './layout.js';
import { decodeRecords, type Record } from './records.js';

export class RecordBatchView {
  /** `bytes` is exactly this batch; `position` is its start in the buffer it was read from. */
  constructor(readonly bytes: Buffer, readonly position: number) {}

  get baseOffset(): number { return readInt64BE(this.bytes, L.BASE_OFFSET_OFFSET); }
  get batchLength(): number { return this.bytes.readInt32BE(L.BATCH_LENGTH_OFFSET); }
  /** Whole batch: batchLength + 12. */
  get size(): number { return this.bytes.length; }
  get partitionLeaderEpoch(): number { return this.bytes.readInt32BE(L.PARTITION_LEADER_EPOCH_OFFSET); }
  get magic(): number { return this.bytes.readInt8(L.MAGIC_OFFSET); }
  get crc(): number { return this.bytes.readUInt32BE(L.CRC_OFFSET); }
  get attributes(): number { return this.bytes.readUInt16BE(L.ATTRIBUTES_OFFSET); }
  get compression(): number { return this.attributes & L.COMPRESSION_CODEC_MASK; }
  get compressionName(): string { return L.compressionName(this.compression); }
  get timestampType(): L.TimestampTypeName { return L.timestampTypeName(this.attributes); }
  get isTransactional(): boolean { return (this.attributes & L.TRANSACTIONAL_FLAG_MASK) !== 0; }
  get isControl(): boolean { return (this.attributes & L.CONTROL_FLAG_MASK) !== 0; }
  get hasDeleteHorizon(): boolean { return (this.attributes & L.DELETE_HORIZON_FLAG_MASK) !== 0; }
  get lastOffsetDelta(): number { return this.bytes.readInt32BE(L.LAST_OFFSET_DELTA_OFFSET); }
  get lastOffset(): number { return this.baseOffset + this.lastOffsetDelta; }
  get baseTimestamp(): number { return readInt64BE(this.bytes, L.BASE_TIMESTAMP_OFFSET); }
  get maxTimestamp(): number { return readInt64BE(this.bytes, L.MAX_TIMESTAMP_OFFSET); }
  get producerId(): number { return readInt64BE(this.bytes, L.PRODUCER_ID_OFFSET); }
  get producerEpoch(): number { return this.bytes.readInt16BE(L.PRODUCER_EPOCH_OFFSET); }
  get baseSequence(): number { return this.bytes.readInt32BE(L.BASE_SEQUENCE_OFFSET); }
  get recordsCount(): number { return this.bytes.readInt32BE(L.RECORDS_COUNT_OFFSET); }

  /** CRC-32C of [ATTRIBUTES, end), to compare with `crc`. */
  computeCrc(): number { return crc32c(this.bytes.subarray(L.CRC_START)) >>> 0; }
  crcValid(): boolean { return this.computeCrc() === this.crc; }

  /** The uncompressed records section. Throws UNSUPPORTED_COMPRESSION naming an unregistered codec. */
  recordsSection(): Buffer {
    const raw = this.bytes.subarray(L.RECORDS_OFFSET);
    const codec = this.compression;
    return codec === 0 ? raw : getCodec(codec).decompress(raw);
  }

  /** Decodes every record (keys/values are views of this batch, or of the decompressed copy). */
  records(): Record[] {
    const section = this.recordsSection();
    const logAppendTime = this.timestampType === 'LogAppendTime' ? this.maxTimestamp : undefined;
    try {
      return decodeRecords(section, 0, section.length, this.recordsCount, this.baseOffset, this.baseTimestamp,
        logAppendTime === undefined ? {} : { logAppendTime });
    } catch (err) {
      if ((err as { code?: string }).code === 'CORRUPT_RECORD') {
        const where = this.compression === 0 ? `records at position ${this.position + L.RECORDS_OFFSET}` : `${this.compressionName} records`;
        throw corrupt(`batch at position ${this.position} (baseOffset ${this.baseOffset}): ${where}: ${(err as Error).message}`);
      }
      throw err;
    }
  }
}

export type StopKind = 'end' | 'partial' | 'corrupt';

export interface FrameProblem { kind: 'partial' | 'corrupt'; reason: string; needed: number | null }

/** Why the batch at `pos` cannot be framed from buf[pos, end), or null when it can. */
export function frameProblem(buf: Uint8Array, pos: number, end: number = buf.length): FrameProblem | null {
  const remaining = end - pos;
  if (remaining < L.LOG_OVERHEAD) {
    return { kind: 'partial', reason: `only ${remaining} bytes remain, less than the ${L.LOG_OVERHEAD}-byte offset+length prefix`, needed: null };
  }
  const view = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  const batchLength = view.readInt32BE(pos + L.BATCH_LENGTH_OFFSET);
  if (batchLength < L.MIN_BATCH_LENGTH) {
    return { kind: 'corrupt', reason: `batchLength ${batchLength} is smaller than the ${L.MIN_BATCH_LENGTH}-byte minimum of a v2 batch`, needed: null };
  }
  const size = batchLength + L.LOG_OVERHEAD;
  if (remaining > L.MAGIC_OFFSET && view[pos + L.MAGIC_OFFSET] !== L.CURRENT_MAGIC) {
    return { kind: 'corrupt', reason: `magic ${view.readInt8(pos + L.MAGIC_OFFSET)} is not supported (only magic ${L.CURRENT_MAGIC})`, needed: size };
  }
  if (remaining < size) {
    return { kind: 'partial', reason: `batch declares ${size} bytes (batchLength ${batchLength}) but only ${remaining} remain`, needed: size };
  }
  return null;
}

export class BatchIterable implements Iterable<RecordBatchView> {
  /** Position where iteration stopped (buffer end on a clean stop); valid after iterating. */
  stoppedAt: number;
  stopKind: StopKind = 'end';
  stopReason: string | null = null;
  /** Size of the batch at stoppedAt when stopKind is 'partial' and its length was readable. */
  needed: number | null = null;

  constructor(private readonly buf: Buffer, private readonly start: number, private readonly end: number) {
    this.stoppedAt = start;
  }

  *[Symbol.iterator](): Iterator<RecordBatchView> {
    let pos = this.start;
    this.stopKind = 'end'; this.stopReason = null; this.needed = null;
    while (pos < this.end) {
      const problem = frameProblem(this.buf, pos, this.end);
      if (problem !== null) {
        this.stoppedAt = pos; this.stopKind = problem.kind; this.stopReason = problem.reason; this.needed = problem.needed;
        return;
      }
      const size = this.buf.readInt32BE(pos + L.BATCH_LENGTH_OFFSET) + L.LOG_OVERHEAD;
      this.stoppedAt = pos + size;
      yield new RecordBatchView(this.buf.subarray(pos, pos + size), pos);
      pos += size;
    }
    this.stoppedAt = pos;
  }
}

/** Iterates the batches of buf[start, end). See the file comment for how it stops. */
export function readBatches(buf: Uint8Array, start = 0, end: number = buf.length): BatchIterable {
  const b = Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  return new BatchIterable(b, start, end);
}
