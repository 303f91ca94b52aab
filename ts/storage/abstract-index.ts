// AbstractIndex: the part OffsetIndex and TimeIndex share. Entries live in memory in a Buffer in
// the exact on-disk layout (big-endian, fixed-size entries), so the native lookups search it
// directly and the segment's append job writes `pendingChunk()` to the file verbatim.
//
// Why no preallocation (Kafka preallocates segment.index.bytes and mmaps the file): the index
// bytes are written by the same libuv job that writes the log bytes, at `writtenCount * entrySize`,
// so the file is always exactly as long as its valid entries. Nothing to trim on roll/close,
// no trailing zero entries to tell apart after a crash, and no mmap (which Node cannot unmap
// deterministically). segment.index.bytes still bounds the entry count (a full index rolls).
//
// Concurrency: single owner (the LogSegment). `count` may run ahead of `writtenCount` while an
// append job is in flight; lookups over unwritten entries are prevented by the Log, which never
// reads past the bytes already written.
import { promises as fsp } from 'node:fs';

export abstract class AbstractIndex {
  protected buf: Buffer;
  protected n = 0;
  #written = 0;
  /** Bytes after the last whole entry in the loaded file (a torn write): makes sanityCheck fail. */
  protected trailingBytes = 0;

  constructor(readonly path: string, readonly baseOffset: number, readonly maxIndexSize: number, readonly entrySize: number, initial?: Buffer) {
    const count = initial ? Math.floor(initial.length / entrySize) : 0;
    this.buf = Buffer.allocUnsafe(Math.max(64 * entrySize, count * entrySize));
    if (initial && count > 0) initial.copy(this.buf, 0, 0, count * entrySize);
    this.n = count;
    this.#written = count;
    this.trailingBytes = initial ? initial.length % entrySize : 0;
  }

  get entries(): number { return this.n; }
  get maxEntries(): number { return Math.floor(this.maxIndexSize / this.entrySize); }
  get isFull(): boolean { return this.n >= this.maxEntries; }
  get sizeInBytes(): number { return this.n * this.entrySize; }
  /** The live entry bytes (what native lookups search). */
  get entryBuffer(): Buffer { return this.buf; }

  protected reserve(): number {
    const need = (this.n + 1) * this.entrySize;
    if (need > this.buf.length) {
      const grown = Buffer.allocUnsafe(Math.max(need, this.buf.length * 2));
      this.buf.copy(grown, 0, 0, this.n * this.entrySize);
      this.buf = grown;
    }
    return this.n++ * this.entrySize;
  }

  /** Entries appended since the last write job: bytes and their file position. */
  pendingChunk(): { bytes: Buffer | null; position: number; upTo: number } {
    const from = this.#written * this.entrySize;
    const to = this.n * this.entrySize;
    return { bytes: to > from ? this.buf.subarray(from, to) : null, position: from, upTo: this.n };
  }

  markWritten(upTo: number): void {
    if (upTo > this.#written) this.#written = upTo;
  }

  /** Keeps the first `count` entries in memory and on disk. */
  protected async truncateEntries(count: number): Promise<void> {
    if (count >= this.n) return;
    this.n = count;
    this.trailingBytes = 0;
    if (this.#written > count) this.#written = count;
    await fsp.truncate(this.path, count * this.entrySize).catch((e: NodeJS.ErrnoException) => { if (e.code !== 'ENOENT') throw e; });
  }

  /** Drops every entry (recovery rebuilds from the log). */
  async reset(): Promise<void> { await this.truncateEntries(0); }

  /** Returns a reason when the entries are inconsistent, null when sane. */
  abstract sanityCheck(logSize: number): string | null;

  /** Reads an index file; a missing file is an empty index. */
  static async readFileOrEmpty(path: string): Promise<{ bytes: Buffer; existed: boolean }> {
    try {
      return { bytes: await fsp.readFile(path), existed: true };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { bytes: Buffer.alloc(0), existed: false };
      throw e;
    }
  }
}
