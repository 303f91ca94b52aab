// LeaderEpochFileCache: (leader epoch -> first offset written in that epoch), persisted as
// `leader-epoch-checkpoint` in the partition directory:
//
//   0            <- version
//   2            <- entries
//   0 0          <- `epoch startOffset`
//   3 1200
//
// Epochs and start offsets both increase. assign() ignores an epoch not newer than the latest;
// truncateFromEnd(o) drops entries starting at or after o (log truncation); truncateFromStart(o)
// moves the earliest entry up to o (log start offset moved). Writes are atomic and serialized.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatCheckpoint, parseEpochCheckpoint, writeFileAtomic } from './checkpoint-file.js';

export interface EpochEntry { epoch: number; startOffset: number }

export class LeaderEpochFileCache {
  readonly path: string;
  #entries: EpochEntry[] = [];
  #writing: Promise<void> = Promise.resolve();

  constructor(dir: string) {
    this.path = join(dir, 'leader-epoch-checkpoint');
  }

  /** Reads the file; a missing or malformed file yields an empty cache (rebuilt from batches). */
  load(): string | null {
    try {
      this.#entries = parseEpochCheckpoint(this.path, readFileSync(this.path, 'latin1'));
      return null;
    } catch (e) {
      this.#entries = [];
      return (e as NodeJS.ErrnoException).code === 'ENOENT' ? null : (e as Error).message;
    }
  }

  get entries(): readonly EpochEntry[] { return this.#entries; }
  get latestEpoch(): number { return this.#entries.length ? this.#entries[this.#entries.length - 1].epoch : -1; }

  /** Returns true if the cache changed. */
  assign(epoch: number, startOffset: number): boolean {
    if (epoch < 0) return false;
    const last = this.#entries[this.#entries.length - 1];
    if (last && epoch <= last.epoch) return false;
    while (this.#entries.length && this.#entries[this.#entries.length - 1].startOffset >= startOffset) this.#entries.pop();
    this.#entries.push({ epoch, startOffset });
    return true;
  }

  /** Epoch of the batch holding `offset` (-1 when unknown). */
  epochForOffset(offset: number): number {
    let e = -1;
    for (const x of this.#entries) { if (x.startOffset <= offset) e = x.epoch; else break; }
    return e;
  }

  /** End offset of `epoch` (start of the next epoch, or logEndOffset): OffsetsForLeaderEpoch. */
  endOffsetFor(epoch: number, logEndOffset: number): { epoch: number; endOffset: number } {
    let found = -1;
    for (let i = 0; i < this.#entries.length; i++) if (this.#entries[i].epoch <= epoch) found = i;
    if (found < 0) return { epoch: -1, endOffset: -1 };
    const next = this.#entries[found + 1];
    return { epoch: this.#entries[found].epoch, endOffset: next ? next.startOffset : logEndOffset };
  }

  truncateFromEnd(offset: number): boolean {
    const before = this.#entries.length;
    this.#entries = this.#entries.filter((x) => x.startOffset < offset);
    return this.#entries.length !== before;
  }

  truncateFromStart(offset: number): boolean {
    let changed = false;
    while (this.#entries.length > 1 && this.#entries[1].startOffset <= offset) { this.#entries.shift(); changed = true; }
    if (this.#entries.length && this.#entries[0].startOffset < offset) { this.#entries[0] = { ...this.#entries[0], startOffset: offset }; changed = true; }
    return changed;
  }

  clear(): void { this.#entries = []; }

  /** Persists the current entries; writes are serialized so the last one wins. */
  flush(): Promise<void> {
    const text = formatCheckpoint(this.#entries.map((e) => [e.epoch, e.startOffset]));
    this.#writing = this.#writing.catch(() => undefined).then(() => writeFileAtomic(this.path, text));
    return this.#writing;
  }
}
