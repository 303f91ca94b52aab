// TimeIndex: the sparse `.timeindex` file of a segment (Kafka's TimeIndex).
//
//   entry (12 bytes, big-endian)
//   +0  int64  timestamp        max timestamp seen in the segment up to this point
//   +8  int32  relativeOffset   offset of the batch that carried that timestamp, - baseOffset
//
// Timestamps are strictly increasing: an entry is appended (with each offset index entry) only
// when the segment's max timestamp grew. An entry (T, O) means "the max timestamp of the records
// up to and including offset O's batch is T". A search for the first record with timestamp >= X
// takes the greatest entry with T <= X (everything before it is < X or equal), translates its
// offset through the offset index and scans batches forward from there (as Kafka does).
import { AbstractIndex } from './abstract-index.js';
import { timeIndexLookup } from '../native/index-lookup.js';

export const TIME_INDEX_ENTRY_SIZE = 12;

export interface TimestampOffset { timestamp: number; offset: number }

export class TimeIndex extends AbstractIndex {
  constructor(path: string, baseOffset: number, maxIndexSize: number, initial?: Buffer) {
    super(path, baseOffset, maxIndexSize, TIME_INDEX_ENTRY_SIZE, initial);
  }

  static async load(path: string, baseOffset: number, maxIndexSize: number): Promise<TimeIndex> {
    const { bytes } = await AbstractIndex.readFileOrEmpty(path);
    return new TimeIndex(path, baseOffset, maxIndexSize, bytes);
  }

  timestamp(slot: number): number { return Number(this.buf.readBigInt64BE(slot * 12)); }
  relativeOffset(slot: number): number { return this.buf.readInt32BE(slot * 12 + 8); }
  entry(slot: number): TimestampOffset { return { timestamp: this.timestamp(slot), offset: this.baseOffset + this.relativeOffset(slot) }; }

  /** The last entry, or (-1, baseOffset) when empty. */
  lastEntry(): TimestampOffset {
    return this.n === 0 ? { timestamp: -1, offset: this.baseOffset } : this.entry(this.n - 1);
  }

  /** Appends (timestamp, offset) if timestamp is larger than the last entry's. */
  maybeAppend(timestamp: number, offset: number): void {
    if (this.n > 0) {
      if (timestamp <= this.timestamp(this.n - 1)) return;
      if (offset - this.baseOffset < this.relativeOffset(this.n - 1)) return;
    }
    const at = this.reserve();
    this.buf.writeBigInt64BE(BigInt(timestamp), at);
    this.buf.writeInt32BE(offset - this.baseOffset, at + 8);
  }

  /** Greatest entry with timestamp <= target; (-1, baseOffset) when none. */
  lookup(targetTimestamp: number): TimestampOffset {
    if (this.n === 0) return { timestamp: -1, offset: this.baseOffset };
    const slot = timeIndexLookup(this.buf, this.n, targetTimestamp);
    return slot < 0 ? { timestamp: -1, offset: this.baseOffset } : this.entry(slot);
  }

  /** Removes entries with offset >= `offset`. */
  async truncateTo(offset: number): Promise<void> {
    const rel = offset - this.baseOffset;
    let keep = this.n;
    while (keep > 0 && this.relativeOffset(keep - 1) >= rel) keep--;
    await this.truncateEntries(keep);
  }

  sanityCheck(_logSize: number, lastOffset?: number): string | null {
    if (this.trailingBytes) return `${this.trailingBytes} bytes after the last whole entry`;
    for (let i = 0; i < this.n; i++) {
      const rel = this.relativeOffset(i);
      if (rel < 0) return `entry ${i} has negative relative offset ${rel}`;
      if (lastOffset !== undefined && this.baseOffset + rel > lastOffset) return `entry ${i} points at offset ${this.baseOffset + rel} past the last offset ${lastOffset}`;
      if (i > 0 && (this.timestamp(i) <= this.timestamp(i - 1) || rel < this.relativeOffset(i - 1))) return `entry ${i} is not after entry ${i - 1}`;
    }
    return null;
  }
}
