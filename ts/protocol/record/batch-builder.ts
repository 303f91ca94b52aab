// Builds one magic v2 record batch (header layout in layout.ts, records in records.ts).
//
// baseTimestamp is the first record's timestamp; maxTimestamp the largest record timestamp for
// CreateTime, or `now` (the broker's append time) for LogAppendTime. An empty batch has both -1
// and lastOffsetDelta = opts.lastOffsetDelta ?? 0 (compaction keeps empty batches only to
// preserve producer sequence state). The CRC-32C covers [ATTRIBUTES, end), so baseOffset and
// partitionLeaderEpoch can be restamped later without recomputing it.
import { crc32c } from '../../native/crc32c.js';
import { getCodec, toCompressionCode } from './compression.js';
import { RecordFormatError } from './errors.js';
import { writeInt64BE } from './int64.js';
import * as L from './layout.js';
import { encodeRecords, type Record, type RecordHeader } from './records.js';

export type HeaderInput = { key: string; value: Buffer | string | null };

export interface RecordInput {
  key?: Buffer | string | null;
  value: Buffer | string | null;
  /** Array form keeps order and allows repeated keys; object form is a shorthand. */
  headers?: HeaderInput[] | { [key: string]: Buffer | string | null };
  /** Defaults to opts.now ?? Date.now(). */
  timestamp?: number;
  /** Defaults to the record's index; must increase strictly through the batch (compacted batches have gaps). */
  offsetDelta?: number;
}

export interface BuildBatchOptions {
  baseOffset?: number;
  partitionLeaderEpoch?: number;
  producerId?: number;
  producerEpoch?: number;
  baseSequence?: number;
  isTransactional?: boolean;
  isControl?: boolean;
  timestampType?: L.TimestampTypeName | 0 | 1;
  compression?: L.CompressionName | number;
  /** Default record timestamp and the LogAppendTime; defaults to Date.now(). */
  now?: number;
  /** Only for an empty batch: the lastOffsetDelta to keep. */
  lastOffsetDelta?: number;
}

/** Header fields that are not derived from the records. */
export interface BatchHeaderFields {
  baseOffset: number;
  partitionLeaderEpoch: number;
  attributes: number;
  lastOffsetDelta: number;
  baseTimestamp: number;
  maxTimestamp: number;
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  recordsCount: number;
}

function toBuffer(v: Buffer | string | null | undefined): Buffer | null {
  if (v === null || v === undefined) return null;
  return typeof v === 'string' ? Buffer.from(v, 'utf8') : v;
}

function toHeaders(h: RecordInput['headers']): RecordHeader[] {
  if (h === undefined) return [];
  if (Array.isArray(h)) return h.map((x) => ({ key: x.key, value: toBuffer(x.value) }));
  return Object.entries(h).map(([key, value]) => ({ key, value: toBuffer(value) }));
}

function checkInt(name: string, v: number, min: number, max: number): void {
  if (!Number.isInteger(v) || v < min || v > max) {
    throw new RecordFormatError('RECORD_VALUE_OUT_OF_RANGE', `${name} ${v} must be an integer in [${min}, ${max}]`);
  }
}

/**
 * Writes header + records section and stamps the CRC. `recordsSection` is already compressed
 * when the attributes name a codec. Used by buildBatch, and by callers that compress elsewhere.
 */
export function assembleBatch(h: BatchHeaderFields, recordsSection: Uint8Array): Buffer {
  checkInt('partitionLeaderEpoch', h.partitionLeaderEpoch, -0x80000000, 0x7fffffff);
  checkInt('attributes', h.attributes, 0, 0xffff);
  checkInt('lastOffsetDelta', h.lastOffsetDelta, -0x80000000, 0x7fffffff);
  checkInt('producerEpoch', h.producerEpoch, -0x8000, 0x7fff);
  checkInt('baseSequence', h.baseSequence, -0x80000000, 0x7fffffff);
  checkInt('recordsCount', h.recordsCount, 0, 0x7fffffff);
  const size = L.RECORD_BATCH_OVERHEAD + recordsSection.length;
  checkInt('batch size', size - L.LOG_OVERHEAD, L.MIN_BATCH_LENGTH, 0x7fffffff);
  const buf = Buffer.allocUnsafe(size);
  writeInt64BE(buf, L.BASE_OFFSET_OFFSET, h.baseOffset);
  buf.writeInt32BE(size - L.LOG_OVERHEAD, L.BATCH_LENGTH_OFFSET);
  buf.writeInt32BE(h.partitionLeaderEpoch, L.PARTITION_LEADER_EPOCH_OFFSET);
  buf.writeInt8(L.CURRENT_MAGIC, L.MAGIC_OFFSET);
  buf.writeUInt16BE(h.attributes, L.ATTRIBUTES_OFFSET);
  buf.writeInt32BE(h.lastOffsetDelta, L.LAST_OFFSET_DELTA_OFFSET);
  writeInt64BE(buf, L.BASE_TIMESTAMP_OFFSET, h.baseTimestamp);
  writeInt64BE(buf, L.MAX_TIMESTAMP_OFFSET, h.maxTimestamp);
  writeInt64BE(buf, L.PRODUCER_ID_OFFSET, h.producerId);
  buf.writeInt16BE(h.producerEpoch, L.PRODUCER_EPOCH_OFFSET);
  buf.writeInt32BE(h.baseSequence, L.BASE_SEQUENCE_OFFSET);
  buf.writeInt32BE(h.recordsCount, L.RECORDS_COUNT_OFFSET);
  buf.set(recordsSection, L.RECORDS_OFFSET);
  buf.writeUInt32BE(crc32c(buf.subarray(L.CRC_START)) >>> 0, L.CRC_OFFSET);
  return buf;
}

/** Attribute bits for the given options (codec, timestamp type, transactional, control). */
export function batchAttributes(opts: BuildBatchOptions): number {
  const codec = toCompressionCode(opts.compression ?? 'none');
  const tsType = opts.timestampType === 'LogAppendTime' || opts.timestampType === 1 ? L.TIMESTAMP_TYPE_MASK : 0;
  return codec | tsType
    | (opts.isTransactional ? L.TRANSACTIONAL_FLAG_MASK : 0)
    | (opts.isControl ? L.CONTROL_FLAG_MASK : 0);
}

/** Builds one v2 batch holding `inputs` in order. */
export function buildBatch(inputs: readonly RecordInput[], opts: BuildBatchOptions = {}): Buffer {
  const baseOffset = opts.baseOffset ?? 0;
  const now = opts.now ?? Date.now();
  const attributes = batchAttributes(opts);
  const records: Record[] = [];
  let maxTimestamp = L.NO_TIMESTAMP;
  let prevDelta = -1;
  for (let i = 0; i < inputs.length; i++) {
    const r = inputs[i]!;
    const delta = r.offsetDelta ?? i;
    if (!Number.isInteger(delta) || delta <= prevDelta) {
      throw new RecordFormatError('RECORD_VALUE_OUT_OF_RANGE', `record ${i}: offsetDelta ${delta} must be an integer greater than the previous one (${prevDelta})`);
    }
    prevDelta = delta;
    const timestamp = r.timestamp ?? now;
    if (i === 0 || timestamp > maxTimestamp) maxTimestamp = timestamp;
    records.push({ offset: baseOffset + delta, timestamp, key: toBuffer(r.key), value: toBuffer(r.value), headers: toHeaders(r.headers) });
  }
  const baseTimestamp = records.length > 0 ? records[0]!.timestamp : L.NO_TIMESTAMP;
  let section: Buffer = encodeRecords(records, baseOffset, baseTimestamp);
  const codec = attributes & L.COMPRESSION_CODEC_MASK;
  if (codec !== 0) section = getCodec(codec).compress(section);
  return assembleBatch({
    baseOffset,
    partitionLeaderEpoch: opts.partitionLeaderEpoch ?? L.NO_PARTITION_LEADER_EPOCH,
    attributes,
    lastOffsetDelta: records.length > 0 ? prevDelta : (opts.lastOffsetDelta ?? 0),
    baseTimestamp,
    maxTimestamp: (attributes & L.TIMESTAMP_TYPE_MASK) !== 0 ? now : maxTimestamp,
    producerId: opts.producerId ?? L.NO_PRODUCER_ID,
    producerEpoch: opts.producerEpoch ?? L.NO_PRODUCER_EPOCH,
    baseSequence: opts.baseSequence ?? L.NO_SEQUENCE,
    recordsCount: records.length,
  }, section);
}
