// OffsetIndex: the sparse `.index` file of a segment (Kafka's OffsetIndex).
//
//   entry (8 bytes, big-endian)
//   +0  int32  relativeOffset   offset - segment.baseOffset
//   +4  int32  position         byte position of the batch in the .log file
//
// Relative offsets keep entries at 8 bytes (a segment spans < 2^31 offsets, enforced on roll).
// Entries are strictly increasing in both fields. An entry (offset O, position P) means: the batch
// starting at P has lastOffset O, so a reader looking for T >= O can start scanning at P. Lookup
// returns the greatest entry with offset <= target (or the segment start when there is none).
// No checksum: after a crash the file is rebuilt from the log; on a clean load it is sanity
// checked and rebuilt when inconsistent, never trusted blindly.
import { AbstractIndex } from './abstract-index.js';
import { indexLookup } from '../native/index-lookup.js';

export const OFFSET_INDEX_ENTRY_SIZE = 8;

export interface OffsetPosition { offset: number; position: number }

export class OffsetIndex extends AbstractIndex {
  constructor(path: string, baseOffset: number, maxIndexSize: number, initial?: Buffer) {
    super(path, baseOffset, maxIndexSize, OFFSET_INDEX_ENTRY_SIZE, initial);
  }

  static async load(path: string, baseOffset: number, maxIndexSize: number): Promise<OffsetIndex> {
    const { bytes } = await AbstractIndex.readFileOrEmpty(path);
    return new OffsetIndex(path, baseOffset, maxIndexSize, bytes);
  }

  relativeOffset(slot: number): number { return this.buf.readInt32BE(slot * 8); }
  position(slot: number): number { return this.buf.readInt32BE(slot * 8 + 4); }
  entry(slot: number): OffsetPosition { return { offset: this.baseOffset + this.relativeOffset(slot), position: this.position(slot) }; }

  get lastOffset(): number { return this.n === 0 ? this.baseOffset : this.baseOffset + this.relativeOffset(this.n - 1); }
  get lastPosition(): number { return this.n === 0 ? 0 : this.position(this.n - 1); }

  append(offset: number, position: number): void {
    const rel = offset - this.baseOffset;
    if (this.n > 0 && (rel <= this.relativeOffset(this.n - 1) || position <= this.position(this.n - 1))) {
      throw new Error(`offset index ${this.path}: entry (${offset}, ${position}) is not after the last entry (${this.lastOffset}, ${this.lastPosition})`);
    }
    const at = this.reserve();
    this.buf.writeInt32BE(rel, at);
    this.buf.writeInt32BE(position, at + 4);
  }

  /** Greatest entry with offset <= target; (baseOffset, 0) when none. */
  lookup(targetOffset: number): OffsetPosition {
    const rel = targetOffset - this.baseOffset;
    if (this.n === 0 || rel < 0) return { offset: this.baseOffset, position: 0 };
    const slot = indexLookup(this.buf, this.n, Math.min(rel, 0x7fffffff));
    return slot < 0 ? { offset: this.baseOffset, position: 0 } : this.entry(slot);
  }

  /** Greatest entry with position <= target position; (baseOffset, 0) when none. */
  lookupByPosition(targetPosition: number): OffsetPosition {
    let lo = 0, hi = this.n - 1, found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.position(mid) <= targetPosition) { found = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return found < 0 ? { offset: this.baseOffset, position: 0 } : this.entry(found);
  }

  /** Removes entries with offset >= `offset`. */
  async truncateTo(offset: number): Promise<void> {
    const rel = offset - this.baseOffset;
    let keep = this.n;
    while (keep > 0 && this.relativeOffset(keep - 1) >= rel) keep--;
    await this.truncateEntries(keep);
  }

  sanityCheck(logSize: number): string | null {
    if (this.trailingBytes) return `${this.trailingBytes} bytes after the last whole entry`;
    for (let i = 0; i < this.n; i++) {
      const rel = this.relativeOffset(i), pos = this.position(i);
      if (rel < 0) return `entry ${i} has negative relative offset ${rel}`;
      if (pos < 0 || pos >= logSize) return `entry ${i} points at position ${pos} outside the log (${logSize} bytes)`;
      if (i > 0 && (rel <= this.relativeOffset(i - 1) || pos <= this.position(i - 1))) return `entry ${i} is not after entry ${i - 1}`;
    }
    return null;
  }
}
