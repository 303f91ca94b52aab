// cleaner-offset-checkpoint: per log dir, the first dirty offset of each compacted partition
// (Kafka's LogCleanerManager), in the offset checkpoint text format (checkpoint-file.ts):
//   0
//   <count>
//   <topic> <partition> <firstDirtyOffset>
// Read once per pass; written after every cleaned log. A missing file means "all dirty".
import { join } from 'node:path';
import { OffsetCheckpointFile } from '../checkpoint-file.js';

export const CLEANER_CHECKPOINT_FILE = 'cleaner-offset-checkpoint';

export class CleanerCheckpoint {
  readonly #file: OffsetCheckpointFile;
  #offsets: Map<string, number> | null = null;

  constructor(logDir: string) { this.#file = new OffsetCheckpointFile(join(logDir, CLEANER_CHECKPOINT_FILE)); }

  get path(): string { return this.#file.path; }

  /** First dirty offset of `${topic}-${partition}`, or undefined when never cleaned. */
  get(tp: string): number | undefined {
    this.#offsets ??= this.#file.read();
    return this.#offsets.get(tp);
  }

  async set(tp: string, firstDirtyOffset: number): Promise<void> {
    this.#offsets ??= this.#file.read();
    this.#offsets.set(tp, firstDirtyOffset);
    await this.#file.write(this.#offsets);
  }

  async remove(tp: string): Promise<void> {
    this.#offsets ??= this.#file.read();
    if (this.#offsets.delete(tp)) await this.#file.write(this.#offsets);
  }
}
