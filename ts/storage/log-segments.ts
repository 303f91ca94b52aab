// LogSegments: the segments of one log, sorted by base offset. Appends only ever add a segment
// with a base above every other, so a sorted array with binary search is enough (Kafka uses a
// ConcurrentSkipListMap for the same job).
import type { LogSegment } from './log-segment.js';

export class LogSegments {
  #list: LogSegment[] = [];

  constructor(segments: LogSegment[] = []) {
    this.#list = [...segments].sort((a, b) => a.baseOffset - b.baseOffset);
  }

  get size(): number { return this.#list.length; }
  get values(): readonly LogSegment[] { return this.#list; }
  get first(): LogSegment | undefined { return this.#list[0]; }
  get last(): LogSegment | undefined { return this.#list[this.#list.length - 1]; }

  add(seg: LogSegment): void {
    const last = this.last;
    if (!last || seg.baseOffset > last.baseOffset) { this.#list.push(seg); return; }
    this.#list = this.#list.filter((s) => s.baseOffset !== seg.baseOffset);
    this.#list.push(seg);
    this.#list.sort((a, b) => a.baseOffset - b.baseOffset);
  }

  remove(seg: LogSegment): void {
    this.#list = this.#list.filter((s) => s !== seg);
  }

  /** Whether this very segment object is still part of the log (not deleted or replaced). */
  contains(seg: LogSegment): boolean {
    return this.#list[this.floorIndex(seg.baseOffset)] === seg;
  }

  /** Index of the segment with the greatest base offset <= offset, or -1. */
  floorIndex(offset: number): number {
    let lo = 0, hi = this.#list.length - 1, found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#list[mid].baseOffset <= offset) { found = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return found;
  }

  floor(offset: number): LogSegment | undefined {
    const i = this.floorIndex(offset);
    return i < 0 ? undefined : this.#list[i];
  }

  /** Segments from the one containing `from` onwards. */
  from(offset: number): LogSegment[] {
    return this.#list.slice(Math.max(0, this.floorIndex(offset)));
  }

  sizeInBytes(): number {
    let n = 0;
    for (const s of this.#list) n += s.size;
    return n;
  }
}
