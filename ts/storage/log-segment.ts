// LogSegment: one `<20-digit baseOffset>.log` file with its `.index` and `.timeindex`.
//
// Lifecycle: created (files created empty by the Log via createFilesSync) or loaded -> active (holds 3 write fds, opened lazily by the
// first write job) -> inactive after a roll (write fds closed; reads go through the FdCache) ->
// deleted. Concurrency contract: `append()` is synchronous bookkeeping (positions, index entries,
// max timestamp) for bytes that `writeJob()` will write later; the Log runs at most one write job
// per log at a time and never reads past `writtenSize`. truncateTo/recover/delete run only while
// no job is in flight (the Log drains first). A page-cache job of at most SYNC_WRITE_MAX_BYTES
// is written synchronously on the event loop; larger jobs and fsync jobs run on the libuv pool.
//
// Index policy (Kafka's LogSegment.append): per batch, if more than index.interval.bytes were
// appended since the last entry, add (batch lastOffset -> batch position) to the offset index and
// (max timestamp so far -> its offset) to the time index.
import { close as closeCb, closeSync, constants, fdatasync as fdatasyncCb, open as openCb, openSync, promises as fsp, writeSync, writevSync } from 'node:fs';
import { join } from 'node:path';
import { appendSegment } from '../native/segment-append.js';
import { OffsetIndex } from './offset-index.js';
import { TimeIndex } from './time-index.js';
import type { WriteFdHolder, WriteFdLru } from './write-fd-lru.js';
import { lastBoundaryBefore, searchForOffset, walkBatches, type BatchHeader } from './file-records.js';

/** What LogSegment.append needs from a batch scan (ts/native/batch-scan.ts result). */
export interface ScanSummary {
  count: number;
  position(i: number): number;
  size(i: number): number;
  lastOffset(i: number): number;
  maxTimestamp(i: number): number;
}

export interface ReadRegion { position: number; length: number; firstOffset: number }

export function filenamePrefixFromOffset(offset: number): string {
  return String(offset).padStart(20, '0');
}

/**
 * Page-cache write jobs up to this many bytes are written on the event loop (pwritev, no pool
 * hop); larger ones and every fsync job go to the libuv pool (appendSegment). On the 2-core
 * reference machine under load (average 10) a pool hop took 35-240 ms per job (the pool thread
 * waits for a CPU) against 0.3-1.7 ms for a 256 KiB pwritev on the loop: broker produce latency
 * fell from ~120 ms to ~1 ms per request (bench/README.md notes).
 */
export const SYNC_WRITE_MAX_BYTES = 1024 * 1024;
let syncWriteMaxBytes = SYNC_WRITE_MAX_BYTES;

/** The current inline write limit (SYNC_WRITE_MAX_BYTES unless overridden). */
export function syncWriteMaxBytesNow(): number { return syncWriteMaxBytes; }

/** Overrides SYNC_WRITE_MAX_BYTES for this process (0 = always the pool). Returns the previous value. */
export function setSyncWriteMaxBytes(bytes: number): number {
  if (!(bytes >= 0)) throw Object.assign(new Error(`sync write limit ${bytes} must be a number >= 0 (0 = always use the thread pool)`), { code: 'INVALID_ARGUMENT' });
  const prev = syncWriteMaxBytes;
  syncWriteMaxBytes = bytes;
  return prev;
}

/** pwritev of `total` bytes at `pos` (libuv loops over short writes and IOV_MAX); throws on error. */
function writeAllSync(fd: number, buffers: readonly Buffer[], total: number, pos: number): void {
  const n = buffers.length === 1 ? writeSync(fd, buffers[0], 0, total, pos) : writevSync(fd, buffers as Buffer[], pos);
  if (n !== total) throw Object.assign(new Error(`short write: ${n} of ${total} bytes at position ${pos}`), { code: 'EIO', syscall: 'pwritev' });
}

const RESOLVED: Promise<void> = Promise.resolve();

const p = <T>(fn: (cb: (err: NodeJS.ErrnoException | null, v?: T) => void) => void): Promise<T> =>
  new Promise((res, rej) => fn((err, v) => (err ? rej(err) : res(v as T))));

export class LogSegment implements WriteFdHolder {
  readonly logPath: string;
  readonly indexPath: string;
  readonly timeIndexPath: string;
  #size: number;
  #writtenSize: number;
  #bytesSinceLastIndexEntry = 0;
  maxTimestampSoFar = -1;
  offsetOfMaxTimestampSoFar: number;
  /** Offset after the last batch appended (including bytes not yet written). */
  nextOffset: number;
  /** Wall-clock time of creation/load (segment.ms) and of the last append (retention fallback). */
  readonly createdMs: number;
  lastModifiedMs: number;
  #logFd = -1;
  #indexFd = -1;
  #timeFd = -1;
  #opening: Promise<void> | null = null;
  #dirty = false;
  #dirtyFds = [false, false, false]; // log, index, timeindex written since the last sync
  #busy = false;
  /** Shared bound on segments holding write fds (set by the Log; null = unbounded). */
  writeLru: WriteFdLru | null = null;

  readonly maxIndexSize: number;
  #oi: OffsetIndex | null;
  #ti: TimeIndex | null;
  #loadingIndexes: Promise<void> | null = null;
  /** Why lazily loaded indexes were discarded (lookups then scan from the segment start). */
  indexProblem: string | null = null;

  /** Indexes are null for a lazily loaded segment until ensureIndexes() (Kafka's LazyIndex). */
  constructor(readonly dir: string, readonly baseOffset: number, offsetIndex: OffsetIndex | null, timeIndex: TimeIndex | null,
    size: number, nowMs: number, readonly indexIntervalBytes: number, maxIndexSize?: number) {
    this.maxIndexSize = maxIndexSize ?? offsetIndex?.maxIndexSize ?? 10 * 1024 * 1024;
    this.#oi = offsetIndex;
    this.#ti = timeIndex;
    const prefix = join(dir, filenamePrefixFromOffset(baseOffset));
    this.logPath = `${prefix}.log`;
    this.indexPath = `${prefix}.index`;
    this.timeIndexPath = `${prefix}.timeindex`;
    this.#size = size;
    this.#writtenSize = size;
    this.nextOffset = baseOffset;
    this.offsetOfMaxTimestampSoFar = baseOffset;
    this.createdMs = nowMs;
    this.lastModifiedMs = nowMs;
  }

  get offsetIndex(): OffsetIndex {
    if (!this.#oi) throw new Error(`indexes of ${this.logPath} are not loaded: await ensureIndexes() first`);
    return this.#oi;
  }

  get timeIndex(): TimeIndex {
    if (!this.#ti) throw new Error(`indexes of ${this.logPath} are not loaded: await ensureIndexes() first`);
    return this.#ti;
  }

  get indexesLoaded(): boolean { return this.#oi !== null; }

  /**
   * Loads the indexes of a lazily loaded segment and sanity-checks them; inconsistent ones are
   * replaced by empty indexes (still correct: lookups scan from the segment start) and the
   * reason is kept in indexProblem. Also sets the max timestamp from the time index.
   */
  async ensureIndexes(): Promise<void> {
    if (this.#oi) return;
    this.#loadingIndexes ??= (async () => {
      let [oi, ti] = await Promise.all([
        OffsetIndex.load(this.indexPath, this.baseOffset, this.maxIndexSize),
        TimeIndex.load(this.timeIndexPath, this.baseOffset, this.maxIndexSize),
      ]);
      const bad = oi.sanityCheck(this.#writtenSize) ?? ti.sanityCheck(this.#writtenSize, this.nextOffset - 1)
        ?? (oi.lastOffset >= this.nextOffset && oi.entries > 0 ? 'offset index points past the segment end' : null);
      if (bad) {
        this.indexProblem = bad;
        oi = new OffsetIndex(this.indexPath, this.baseOffset, this.maxIndexSize);
        ti = new TimeIndex(this.timeIndexPath, this.baseOffset, this.maxIndexSize);
      }
      this.#oi = oi;
      this.#ti = ti;
      const last = ti.lastEntry();
      this.maxTimestampSoFar = last.timestamp;
      this.offsetOfMaxTimestampSoFar = last.offset;
      this.#bytesSinceLastIndexEntry = this.#writtenSize - oi.lastPosition;
    })().finally(() => { this.#loadingIndexes = null; });
    await this.#loadingIndexes;
  }

  /** A new, empty segment; its files are created by the first write job. */
  static create(dir: string, baseOffset: number, indexIntervalBytes: number, maxIndexSize: number, nowMs: number): LogSegment {
    const prefix = join(dir, filenamePrefixFromOffset(baseOffset));
    return new LogSegment(dir, baseOffset, new OffsetIndex(`${prefix}.index`, baseOffset, maxIndexSize),
      new TimeIndex(`${prefix}.timeindex`, baseOffset, maxIndexSize), 0, nowMs, indexIntervalBytes, maxIndexSize);
  }

  /**
   * Creates the empty .log/.index/.timeindex now, as Kafka does when it creates a segment (a
   * partition always has an active segment on disk, even before its first write). No fd is kept:
   * the write fds are still opened by the first write job (WriteFdLru bounds them). Synchronous
   * (3 open+close, once per new segment) so a roll inside append stays synchronous.
   */
  createFilesSync(): void {
    for (const path of [this.logPath, this.indexPath, this.timeIndexPath]) closeSync(openSync(path, constants.O_WRONLY | constants.O_CREAT, 0o644));
  }

  /** Bytes appended, including those still queued for writing. */
  get size(): number { return this.#size; }
  /** Bytes known to be in the file (reads stop here). */
  get writtenSize(): number { return this.#writtenSize; }
  get isEmpty(): boolean { return this.#size === 0; }
  get hasWriteFds(): boolean { return this.#logFd >= 0; }
  /** Largest timestamp in the segment, or the last modification time when none (retention). */
  get largestTimestamp(): number { return this.maxTimestampSoFar > 0 ? this.maxTimestampSoFar : this.lastModifiedMs; }

  /** Bookkeeping for batches `scan` describes inside `buf`; the bytes go to the file by writeJob. */
  append(scan: ScanSummary, bufStart: number, bufLength: number, nowMs: number): void {
    const at = this.#size - bufStart;
    for (let i = 0; i < scan.count; i++) {
      const ts = scan.maxTimestamp(i), last = scan.lastOffset(i), size = scan.size(i);
      if (ts > this.maxTimestampSoFar) { this.maxTimestampSoFar = ts; this.offsetOfMaxTimestampSoFar = last; }
      if (this.#bytesSinceLastIndexEntry > this.indexIntervalBytes) {
        this.offsetIndex.append(last, at + scan.position(i));
        this.timeIndex.maybeAppend(this.maxTimestampSoFar, this.offsetOfMaxTimestampSoFar);
        this.#bytesSinceLastIndexEntry = 0;
      }
      this.#bytesSinceLastIndexEntry += size;
      this.nextOffset = last + 1;
    }
    this.#size += bufLength;
    this.lastModifiedMs = nowMs;
  }

  async #ensureOpen(): Promise<void> {
    if (this.#logFd >= 0) return;
    if (!this.#opening) {
      const flags = constants.O_RDWR | constants.O_CREAT;
      this.#opening = (async () => {
        const [l, i, t] = await Promise.all([this.logPath, this.indexPath, this.timeIndexPath]
          .map((path) => p<number>((cb) => openCb(path, flags, 0o644, cb))));
        this.#logFd = l; this.#indexFd = i; this.#timeFd = t;
        this.writeLru?.opened(this);
      })().finally(() => { this.#opening = null; });
    }
    await this.#opening;
  }

  /**
   * Writes `buffers` (exactly the bytes appended since the last job) and pending index entries.
   * A page-cache job of at most SYNC_WRITE_MAX_BYTES on a segment whose fds are open and indexes
   * loaded (every job after a segment's first) is done before this returns, with no await: an
   * embedded append awaited one call at a time then costs its pwrite and no extra promise hops.
   */
  writeJob(buffers: Buffer[], total: number, sync: boolean): Promise<void> {
    if (!sync && total <= syncWriteMaxBytes && this.#logFd >= 0 && this.#oi !== null && !this.#busy) {
      this.#busy = true;
      try {
        this.#writeInline(buffers, total);
      } catch (e) { return Promise.reject(e); } finally { this.#busy = false; }
      return RESOLVED;
    }
    return this.#writeJobAsync(buffers, total, sync);
  }

  #writeInline(buffers: Buffer[], total: number): void {
    this.writeLru?.touch(this);
    const ic = this.offsetIndex.pendingChunk();
    const tc = this.timeIndex.pendingChunk();
    writeAllSync(this.#logFd, buffers, total, this.#writtenSize);
    if (ic.bytes) writeAllSync(this.#indexFd, [ic.bytes], ic.bytes.length, ic.position);
    if (tc.bytes) writeAllSync(this.#timeFd, [tc.bytes], tc.bytes.length, tc.position);
    this.#writtenSize += total;
    this.offsetIndex.markWritten(ic.upTo);
    this.timeIndex.markWritten(tc.upTo);
    this.#dirty = true;
    this.#dirtyFds[0] = true;
    if (ic.bytes) this.#dirtyFds[1] = true;
    if (tc.bytes) this.#dirtyFds[2] = true;
  }

  async #writeJobAsync(buffers: Buffer[], total: number, sync: boolean): Promise<void> {
    this.#busy = true;
    try {
      await this.ensureIndexes();
      await this.#ensureOpen();
      if (!sync && total <= syncWriteMaxBytes) { this.#writeInline(buffers, total); return; }
      this.writeLru?.touch(this);
      const ic = this.offsetIndex.pendingChunk();
      const tc = this.timeIndex.pendingChunk();
      await appendSegment(this.#logFd, buffers, this.#writtenSize,
        ic.bytes ? this.#indexFd : -1, ic.bytes, ic.position,
        tc.bytes ? this.#timeFd : -1, tc.bytes, tc.position, sync);
      this.#writtenSize += total;
      this.offsetIndex.markWritten(ic.upTo);
      this.timeIndex.markWritten(tc.upTo);
      if (!sync) {
        this.#dirty = true;
        this.#dirtyFds[0] = true;
        if (ic.bytes) this.#dirtyFds[1] = true;
        if (tc.bytes) this.#dirtyFds[2] = true;
      }
    } finally { this.#busy = false; }
  }

  /** fdatasync the three files if anything was written without sync. */
  async flush(): Promise<void> {
    if (!this.#dirty) return;
    this.#busy = true;
    try {
      await this.#ensureOpen();
      this.#dirty = false;
      const fds = [this.#logFd, this.#indexFd, this.#timeFd].filter((_, i) => this.#dirtyFds[i]);
      this.#dirtyFds = [false, false, false];
      await Promise.all(fds.map((fd) => p<void>((cb) => fdatasyncCb(fd, cb))));
    } finally { this.#busy = false; }
  }

  get isDirty(): boolean { return this.#dirty; }

  /** WriteFdLru eviction: closes the write fds (no sync) unless a job is using them. */
  releaseWriteFds(): boolean {
    if (this.#busy || this.#opening || this.#logFd < 0) return !this.#busy && !this.#opening;
    const fds = [this.#logFd, this.#indexFd, this.#timeFd];
    this.#logFd = this.#indexFd = this.#timeFd = -1;
    for (const fd of fds) closeCb(fd, () => undefined);
    return true;
  }

  /** Flushes and closes the write fds (on roll and close). Reads keep working via the FdCache. */
  async closeWrite(): Promise<void> {
    if (this.#opening) await this.#opening.catch(() => undefined);
    await this.flush();
    if (this.#logFd < 0) return;
    const fds = [this.#logFd, this.#indexFd, this.#timeFd];
    this.#logFd = this.#indexFd = this.#timeFd = -1;
    this.writeLru?.closed(this);
    await Promise.all(fds.map((fd) => p<void>((cb) => closeCb(fd, cb))));
  }

  /** First batch with lastOffset >= offset at or after `startingPosition`, within written bytes. */
  async translateOffset(fd: number, offset: number, startingPosition = 0): Promise<BatchHeader | null> {
    await this.ensureIndexes();
    const from = Math.max(this.offsetIndex.lookup(offset).position, startingPosition);
    if (from >= this.#writtenSize) return null;
    return searchForOffset(fd, from, this.#writtenSize, offset);
  }

  /**
   * The region of whole batches starting at the batch that contains `startOffset`, at most
   * `maxBytes` long and ending at or before `maxPosition`. When the first batch alone exceeds
   * maxBytes it is returned whole if `minOneMessage` (Kafka's fetch rule). null: nothing to read.
   */
  async read(fd: number, startOffset: number, maxBytes: number, maxPosition: number, minOneMessage: boolean): Promise<ReadRegion | null> {
    const limitPos = Math.min(maxPosition, this.#writtenSize);
    const first = await this.translateOffset(fd, startOffset);
    if (!first || first.position >= limitPos) return null;
    const firstEnd = first.position + first.size;
    if (firstEnd > limitPos) return null;
    const limit = Math.min(limitPos, first.position + maxBytes);
    if (firstEnd > limit) return minOneMessage ? { position: first.position, length: first.size, firstOffset: first.baseOffset } : null;
    const entry = this.offsetIndex.lookupByPosition(limit);
    const from = entry.position > first.position ? entry.position : firstEnd;
    const end = await lastBoundaryBefore(fd, from, limit);
    return { position: first.position, length: end - first.position, firstOffset: first.baseOffset };
  }

  /**
   * Drops every batch from the one containing `offset` onwards. Returns the bytes removed.
   * Example: batches [10..14] at 0, [15..19] at 200, [20..29] at 420; truncateTo(17) cuts at
   * position 200 (the batch holding 17 goes whole), so nextOffset becomes 15.
   */
  async truncateTo(fd: number, offset: number): Promise<number> {
    await this.ensureIndexes();
    const hit = offset <= this.baseOffset ? { position: 0 } : await this.translateOffset(fd, offset);
    if (!hit) return 0;
    const removed = this.#writtenSize - hit.position;
    await this.offsetIndex.truncateTo(offset);
    await this.timeIndex.truncateTo(offset);
    await fsp.truncate(this.logPath, hit.position).catch((e: NodeJS.ErrnoException) => { if (e.code !== 'ENOENT') throw e; });
    this.#size = this.#writtenSize = hit.position;
    this.#bytesSinceLastIndexEntry = hit.position - this.offsetIndex.lastPosition;
    const last = this.timeIndex.lastEntry();
    this.maxTimestampSoFar = last.timestamp;
    this.offsetOfMaxTimestampSoFar = last.offset;
    await this.#recomputeNextOffset(fd);
    return removed;
  }

  async #recomputeNextOffset(fd: number): Promise<void> {
    let next = this.baseOffset;
    const from = this.offsetIndex.lastPosition;
    if (this.#writtenSize > 0) {
      await walkBatches(fd, from, this.#writtenSize, (h) => {
        next = h.lastOffset + 1;
        if (h.maxTimestamp > this.maxTimestampSoFar) { this.maxTimestampSoFar = h.maxTimestamp; this.offsetOfMaxTimestampSoFar = h.lastOffset; }
        return true;
      });
    }
    this.nextOffset = next;
  }

  /**
   * Clean load: the tail after the last index entry is walked to find nextOffset and the max
   * timestamp. Returns a reason when the files are inconsistent (then the caller recovers).
   */
  async loadTail(fd: number): Promise<string | null> {
    const bad = this.offsetIndex.sanityCheck(this.#writtenSize) ?? this.timeIndex.sanityCheck(this.#writtenSize);
    if (bad) return bad;
    const last = this.timeIndex.lastEntry();
    this.maxTimestampSoFar = last.timestamp;
    this.offsetOfMaxTimestampSoFar = last.offset;
    let next = this.baseOffset;
    const res = await walkBatches(fd, this.offsetIndex.lastPosition, this.#writtenSize, (h) => {
      if (h.baseOffset < next || h.lastOffset < h.baseOffset) return false;
      next = h.lastOffset + 1;
      if (h.maxTimestamp > this.maxTimestampSoFar) { this.maxTimestampSoFar = h.maxTimestamp; this.offsetOfMaxTimestampSoFar = h.lastOffset; }
      return true;
    });
    if (res.stop !== 'end') return `batch at position ${res.position} is invalid (${res.reason ?? 'offsets out of order'})`;
    if (this.timeIndex.sanityCheck(this.#writtenSize, next - 1)) return 'time index points past the last offset';
    this.nextOffset = next;
    this.#bytesSinceLastIndexEntry = this.#writtenSize - this.offsetIndex.lastPosition;
    return null;
  }

  /**
   * Clean load of a segment that is not the last one: its end is the next segment's base (as in
   * Kafka, nothing is read but the indexes). Returns a reason when the indexes are inconsistent.
   */
  loadTrusted(nextSegmentBase: number): string | null {
    if (!this.#oi) { // lazy: indexes are checked when first used
      this.nextOffset = this.#writtenSize === 0 ? this.baseOffset : nextSegmentBase;
      return null;
    }
    const bad = this.offsetIndex.sanityCheck(this.#writtenSize) ?? this.timeIndex.sanityCheck(this.#writtenSize, nextSegmentBase - 1);
    if (bad) return bad;
    if (this.offsetIndex.lastOffset >= nextSegmentBase) return `offset index points at ${this.offsetIndex.lastOffset}, past the next segment base ${nextSegmentBase}`;
    const last = this.timeIndex.lastEntry();
    this.maxTimestampSoFar = last.timestamp;
    this.offsetOfMaxTimestampSoFar = last.offset;
    this.nextOffset = this.#writtenSize === 0 ? this.baseOffset : nextSegmentBase;
    this.#bytesSinceLastIndexEntry = this.#writtenSize - this.offsetIndex.lastPosition;
    return null;
  }

  /** Resets in-memory state before recovery rebuilds it (see recovery.ts). */
  resetForRecovery(): void {
    this.#size = this.#writtenSize = 0;
    this.#bytesSinceLastIndexEntry = 0;
    this.maxTimestampSoFar = -1;
    this.offsetOfMaxTimestampSoFar = this.baseOffset;
    this.nextOffset = this.baseOffset;
  }

  /** Sets the size after recovery accepted `validBytes` (already appended via append()). */
  setRecoveredSize(validBytes: number): void {
    this.#size = this.#writtenSize = validBytes;
  }

  /** Writes the rebuilt indexes in full (recovery). */
  async writeIndexesFully(): Promise<void> {
    await fsp.writeFile(this.indexPath, this.offsetIndex.entryBuffer.subarray(0, this.offsetIndex.sizeInBytes));
    await fsp.writeFile(this.timeIndexPath, this.timeIndex.entryBuffer.subarray(0, this.timeIndex.sizeInBytes));
    this.offsetIndex.markWritten(this.offsetIndex.entries);
    this.timeIndex.markWritten(this.timeIndex.entries);
  }

  /** Removes the three files (write fds closed first). */
  async delete(): Promise<void> {
    this.#dirty = false;
    await this.closeWrite().catch(() => undefined);
    await Promise.all([this.logPath, this.indexPath, this.timeIndexPath, this.logPath.replace(/\.log$/, '.txnindex')]
      .map((path) => fsp.rm(path, { force: true })));
  }

  /** Loads an existing segment's files (indexes read into memory; not validated yet). */
  static async load(dir: string, baseOffset: number, indexIntervalBytes: number, maxIndexSize: number, nowMs: number, lazy = false): Promise<LogSegment> {
    const prefix = join(dir, filenamePrefixFromOffset(baseOffset));
    const [st, oi, ti] = await Promise.all([
      fsp.stat(`${prefix}.log`),
      lazy ? null : OffsetIndex.load(`${prefix}.index`, baseOffset, maxIndexSize),
      lazy ? null : TimeIndex.load(`${prefix}.timeindex`, baseOffset, maxIndexSize),
    ]);
    const seg = new LogSegment(dir, baseOffset, oi, ti, st.size, nowMs, indexIntervalBytes, maxIndexSize);
    seg.lastModifiedMs = st.mtimeMs;
    return seg;
  }
}
