// ScanResult: the view over a batch-scan summary array shared by batch-scan.ts (native) and
// batch-scan.ref.ts (TS). Layout (doubles), the same as native/src/core/batch_scan.h:
//   [0] validBytes [1] count [2] errorBatch [3] errorPosition [4] detail1 [5] detail2 [6..7] 0
//   then per batch, STRIDE fields from HEADER_SLOTS + i * STRIDE:
//   position, size, baseOffset, lastOffsetDelta, partitionLeaderEpoch, attributes,
//   firstTimestamp, maxTimestamp, producerId, producerEpoch, baseSequence, recordCount
// Accessors read the array directly (no allocation); batch(i) builds an object for convenience.
import { BatchScanError, Status, statusCode } from './status.js';

export type ScanMode = 'produce' | 'replica' | 'recover';
export const SCAN_MODE_CODES: Record<ScanMode, number> = { produce: 0, replica: 1, recover: 2 };

export interface ScanOptions {
  mode: ScanMode;
  /** Write baseOffsets from here (next = base + lastOffsetDelta + 1), after full validation. */
  assignBaseOffset?: number;
  /** Write partitionLeaderEpoch into every batch. */
  leaderEpoch?: number;
  /** Stamp LogAppendTime: attributes bit 3, maxTimestamp = t, CRC recomputed. */
  logAppendTime?: number;
  /** Summarise at most this many batches; more gives status SummaryTooSmall (continue from validBytes). */
  maxBatches?: number;
}

export interface BatchInfo {
  position: number;
  size: number;
  baseOffset: number;
  lastOffsetDelta: number;
  lastOffset: number;
  partitionLeaderEpoch: number;
  attributes: number;
  /** attributes & 7: 0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd. */
  compression: number;
  isTransactional: boolean;
  isControl: boolean;
  /** 0 CreateTime, 1 LogAppendTime. */
  timestampType: number;
  firstTimestamp: number;
  maxTimestamp: number;
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  recordCount: number;
}

export const HEADER_SLOTS = 8;
export const STRIDE = 12;
const F = {
  position: 0, size: 1, baseOffset: 2, lastOffsetDelta: 3, leaderEpoch: 4, attributes: 5,
  firstTimestamp: 6, maxTimestamp: 7, producerId: 8, producerEpoch: 9, baseSequence: 10,
  recordCount: 11,
} as const;

function hex32(n: number): string {
  return n.toString(16).padStart(8, '0');
}

function describe(status: number, d1: number, d2: number, validBytes: number): string {
  switch (status) {
    case Status.BatchTooShort:
      return d1 < 0 ? `only ${d2} bytes left, a batch needs at least 61`
        : `batchLength ${d1} < 49 (a batch is at least 61 bytes)`;
    case Status.BatchLengthOutOfBounds:
      return `batchLength ${d1} needs ${d1 + 12} bytes but only ${d2} remain`;
    case Status.Truncated:
      return d1 < 0 ? `only ${d2} bytes left (incomplete batch header)`
        : `batch of ${d1 + 12} bytes but only ${d2} remain (incomplete write)`;
    case Status.BadMagic: return `magic ${d1}, expected 2`;
    case Status.CrcMismatch: return `stored 0x${hex32(d1)} computed 0x${hex32(d2)}`;
    case Status.BadRecordCount:
    case Status.BadLastOffsetDelta: return `recordsCount ${d1}, lastOffsetDelta ${d2}`;
    case Status.RecordFramingError:
      return `record ${d1} at position ${d2}: bad length varint, offsetDelta != ${d1}, ` +
        'or records not ending exactly at the batch end';
    case Status.NonMonotonicOffsets:
      return `baseOffset ${d1} is not above the previous last offset ${d2}`;
    case Status.OffsetOverflow: return `baseOffset ${d1} + lastOffsetDelta ${d2} exceeds 2^53 - 1`;
    case Status.SummaryTooSmall:
      return `summary holds ${d1} batches; continue from position ${validBytes}`;
    default: return 'unknown status';
  }
}

export class ScanResult {
  readonly status: Status;
  readonly ok: boolean;
  readonly count: number;
  readonly validBytes: number;
  readonly errorBatch: number;
  readonly errorPosition: number;
  readonly #s: Float64Array;

  /** `summary` is owned by the result from now on. */
  constructor(status: number, summary: Float64Array) {
    this.status = status as Status;
    this.ok = status >= 0;
    this.#s = summary;
    this.validBytes = summary[0];
    this.count = summary[1];
    this.errorBatch = summary[2];
    this.errorPosition = summary[3];
  }

  /** 'OK: 3 batches, 4096 bytes' or e.g. 'CRC_MISMATCH at batch 3, position 4096: stored 0x.. computed 0x..'. */
  get message(): string {
    if (this.ok) return `OK: ${this.count} batches, valid up to position ${this.validBytes}`;
    return `${statusCode(this.status)} at batch ${this.errorBatch}, position ${this.errorPosition}: ` +
      describe(this.status, this.#s[4], this.#s[5], this.validBytes);
  }

  /** The failure as a typed error, or undefined when ok. */
  error(): BatchScanError | undefined {
    return this.ok ? undefined
      : new BatchScanError(this.status, this.message, this.errorBatch, this.errorPosition);
  }

  #f(i: number, field: number): number {
    if (!(i >= 0 && i < this.count)) throw new RangeError(`batch ${i} out of range [0, ${this.count})`);
    return this.#s[HEADER_SLOTS + i * STRIDE + field];
  }

  position(i: number): number { return this.#f(i, F.position); }
  size(i: number): number { return this.#f(i, F.size); }
  baseOffset(i: number): number { return this.#f(i, F.baseOffset); }
  lastOffsetDelta(i: number): number { return this.#f(i, F.lastOffsetDelta); }
  lastOffset(i: number): number { return this.#f(i, F.baseOffset) + this.#f(i, F.lastOffsetDelta); }
  partitionLeaderEpoch(i: number): number { return this.#f(i, F.leaderEpoch); }
  attributes(i: number): number { return this.#f(i, F.attributes); }
  firstTimestamp(i: number): number { return this.#f(i, F.firstTimestamp); }
  maxTimestamp(i: number): number { return this.#f(i, F.maxTimestamp); }
  producerId(i: number): number { return this.#f(i, F.producerId); }
  producerEpoch(i: number): number { return this.#f(i, F.producerEpoch); }
  baseSequence(i: number): number { return this.#f(i, F.baseSequence); }
  recordCount(i: number): number { return this.#f(i, F.recordCount); }

  batch(i: number): BatchInfo {
    const attributes = this.attributes(i);
    return {
      position: this.position(i),
      size: this.size(i),
      baseOffset: this.baseOffset(i),
      lastOffsetDelta: this.lastOffsetDelta(i),
      lastOffset: this.lastOffset(i),
      partitionLeaderEpoch: this.partitionLeaderEpoch(i),
      attributes,
      compression: attributes & 0x07,
      isTransactional: (attributes & 0x10) !== 0,
      isControl: (attributes & 0x20) !== 0,
      timestampType: (attributes & 0x08) !== 0 ? 1 : 0,
      firstTimestamp: this.firstTimestamp(i),
      maxTimestamp: this.maxTimestamp(i),
      producerId: this.producerId(i),
      producerEpoch: this.producerEpoch(i),
      baseSequence: this.baseSequence(i),
      recordCount: this.recordCount(i),
    };
  }

  /** The raw summary array (tests compare native and reference through it). */
  raw(): Float64Array { return this.#s; }
}
