// Log: one partition's log (Kafka's UnifiedLog + LocalLog), a sequence of LogSegments.
//
// Offsets: logStartOffset <= highWatermark <= logEndOffset. `append` validates and assigns
// offsets synchronously (scanBatches), so concurrent appends get consecutive offsets in call
// order, then queues the bytes. One write job runs at a time; appends that arrive meanwhile are
// written together by the next job (group commit: one appendSegment call, one fsync in 'fsync'
// durability; in 'pagecache' a job holds at most SYNC_WRITE_MAX_BYTES unless one batch is bigger,
// so it is written inline on the loop). A promise resolves once its bytes are in the page cache
// ('pagecache') or on disk ('fsync'). Reads stop at `#writtenEnd`, the offset after the last written batch, so they never
// return bytes still queued. Structural changes (truncateTo, truncateFullyAndStartAt, close) set
// a barrier that new appends wait on, then drain the queue before touching files.
//
// Truncation example (segments at 0 and 100, LEO 160, batches of 10 offsets):
//   truncateTo(105): the segment at 100 is cut at its batch [100..109] -> LEO 100.
//   truncateTo(100): the segment at 100 is emptied (kept as the active one) -> LEO 100.
//   truncateTo(95):  segment 100 is deleted; segment 0 is cut at batch [90..99] -> LEO 90.
//   truncateTo(0) or below logStartOffset: truncateFullyAndStartAt(offset).
//   logStartOffset 34, batch [33..37]: truncateTo(36) would cut at 33 < logStartOffset, so it is
//   truncateFullyAndStartAt(36) -> start = LEO = 36. (Kafka's UnifiedLog.truncateTo keeps start 34
//   and sets LEO to the target 36 with the file cut at 33: the same next offset, but Samsa's LEO
//   is always the end of the data, so the start moves up to it instead.)
// After a truncation the recovery point and high watermark are clamped to the new LEO and the
// leader epoch cache drops epochs starting at or after it.
//
// Crash ordering: a segment's files appear on disk only after every byte queued for the earlier
// segments is written (fsynced in 'fsync' durability). A roll inside `append` happens while older
// batches may still be queued; creating the new, empty segment then would let a SIGKILL leave
// `<N>.log` (empty) after a segment that ends below N, and recovery would report LEO N with
// offsets [end, N) missing (readers got zero records there). So the files of a segment rolled
// while writes are pending are created by the write loop, in queue order (`#filesPending`).
//
// Producer state (ProducerStateManager, glue in log-producer-state.ts): client batches with a
// producer id are checked after the scan (a duplicate returns the original offsets once they are
// written, appending nothing; 45/47 errors propagate) and every batch updates the state when its
// offsets are assigned, synchronously. Snapshots on roll and close; open loads the newest one
// and replays the batches after it; truncation reloads; segment deletion drops older snapshots.
import { mkdirSync } from 'node:fs';
import { scanBatches } from '../native/batch-scan.js';
import * as L from '../protocol/record/layout.js';
import { CorruptRecordError, InvalidOffsetError, KafkaStorageError, LogClosedError, OffsetOutOfRangeError, RecordTooLargeError } from './errors.js';
import type { FdCache } from './fd-cache.js';
import { LeaderEpochFileCache } from './leader-epoch-cache.js';
import type { LogConfig } from './log-config.js';
import { LogSegment, syncWriteMaxBytesNow } from './log-segment.js';
import { LogSegments } from './log-segments.js';
import { LogReader, type FileRegion, type ReadOptions, type ReadResult, type TimestampOffsetEpoch } from './log-reader.js';
import { readPartitionMetadata, writePartitionMetadata } from './partition-metadata.js';
import { applyBatches, checkClientBatches, hasProducerIds, replayBatches, REPLAY_CHUNK_BYTES } from './log-producer-state.js';
import { ProducerStateManager } from './producer-state-manager.js';
import { loadSegments, type RecoveryEvent } from './recovery.js';
import type { WriteFdLru } from './write-fd-lru.js';

export type Durability = 'pagecache' | 'fsync';
export type { FileRegion, ReadOptions, ReadResult, TimestampOffsetEpoch };

export interface LogOptions {
  dir: string;
  topic: string;
  partition: number;
  config: LogConfig;
  fdCache: FdCache;
  durability?: Durability;
  hadCleanShutdown?: boolean;
  recoveryPoint?: number;
  logStartOffset?: number;
  topicId?: string;
  clock?: () => number;
  /** Shared bound on segments holding write fds (LogManager); unbounded when absent. */
  writeLru?: WriteFdLru;
  /** producer.id.expiration.ms (default 1 day). */
  producerIdExpirationMs?: number;
}

export interface AppendResult { baseOffset: number; lastOffset: number; logAppendTime: number; maxTimestamp: number; count: number }
export interface AppendOptions { origin?: 'client' | 'replica'; leaderEpoch?: number }

interface Pending { seg: LogSegment; buf: Buffer; lastOffset: number; resolve(): void; reject(e: unknown): void }

const INT32_MAX = 0x7fffffff;
const int64 = (b: Buffer, at: number): number => b.readInt32BE(at) * 4294967296 + b.readUInt32BE(at + 4);

export class Log {
  readonly dir: string;
  readonly topic: string;
  readonly partition: number;
  readonly durability: Durability;
  readonly epochCache: LeaderEpochFileCache;
  readonly recoveryEvents: RecoveryEvent[];
  /** Idempotent/transactional producer state of this partition. */
  readonly producerState: ProducerStateManager;
  /** Segments rescanned when the log was opened (0 after a clean shutdown). */
  recoveredSegments = 0;
  config: LogConfig;
  readonly #segments: LogSegments;
  readonly #fdCache: FdCache;
  readonly #clock: () => number;
  readonly #reader: LogReader;
  readonly #writeLru: WriteFdLru | null;
  #nextOffset: number;
  #writtenEnd: number;
  #logStartOffset: number;
  #hw: number | null = null;
  #recoveryPoint: number;
  #unflushed = 0;
  #lastFlushMs: number;
  #queue: Pending[] = [];
  #writing = false;
  #idle: (() => void)[] = [];
  #barrier: Promise<void> | null = null;
  #closing = new Set<LogSegment>();
  #closeChain: Promise<void> = Promise.resolve();
  #snapshotChain: Promise<unknown> = Promise.resolve();
  #writtenWaiters: { offset: number; resolve(): void; reject(e: unknown): void }[] = [];
  #failed: Error | null = null;
  #closed = false;
  /** The active segment whose (empty) files wait until the bytes queued before it are written. */
  #filesPending: LogSegment | null = null;

  private constructor(opts: LogOptions, segments: LogSegment[], events: RecoveryEvent[]) {
    this.dir = opts.dir; this.topic = opts.topic; this.partition = opts.partition;
    this.config = opts.config; this.durability = opts.durability ?? 'pagecache';
    this.#fdCache = opts.fdCache; this.#clock = opts.clock ?? Date.now;
    this.#writeLru = opts.writeLru ?? null;
    for (const seg of segments) seg.writeLru = this.#writeLru;
    this.#segments = new LogSegments(segments);
    this.recoveryEvents = events;
    this.epochCache = new LeaderEpochFileCache(opts.dir);
    this.producerState = new ProducerStateManager(opts.dir, {
      topicPartition: `${opts.topic}-${opts.partition}`,
      ...(opts.producerIdExpirationMs !== undefined ? { producerIdExpirationMs: opts.producerIdExpirationMs } : {}),
    });
    const last = this.#segments.last!;
    this.#nextOffset = this.#writtenEnd = last.nextOffset;
    this.#logStartOffset = Math.min(Math.max(opts.logStartOffset ?? 0, this.#segments.first!.baseOffset), this.#nextOffset);
    this.#recoveryPoint = Math.min(opts.recoveryPoint ?? 0, this.#nextOffset);
    this.#lastFlushMs = this.#clock();
    this.#reader = new LogReader(this.#segments, opts.fdCache);
  }

  /** Opens (creating if needed) the partition directory, recovering what an unclean stop left. */
  static async open(opts: LogOptions): Promise<Log> {
    mkdirSync(opts.dir, { recursive: true });
    const clock = opts.clock ?? Date.now;
    const loaded = await loadSegments(opts.dir, {
      indexIntervalBytes: opts.config.indexIntervalBytes, maxIndexSize: opts.config.segmentIndexBytes, nowMs: clock(),
      hadCleanShutdown: opts.hadCleanShutdown ?? false, recoveryPoint: opts.recoveryPoint ?? 0,
      withReadFd: async (path, fn) => { const l = await opts.fdCache.acquire(path); try { return await fn(l.fd); } finally { l.release(); } },
    });
    let segments = loaded.segments;
    const startCheckpoint = opts.logStartOffset ?? 0;
    const recoveredEnd = segments.length > 0 ? segments[segments.length - 1].nextOffset : startCheckpoint;
    // Kafka's LogLoader: a recovered end below the checkpointed logStartOffset (a crash tore data
    // that DeleteRecords had already moved past) means nothing readable is left; every segment is
    // deleted and the log starts empty AT the checkpoint, so offsets below it are never reused.
    // Example: deleteRecordsBefore(37) = LEO, crash tears [34..36] -> start = end = 37, not 34.
    const resetToStart = recoveredEnd < startCheckpoint;
    if (resetToStart) {
      let bytes = 0;
      for (const seg of segments) { bytes += seg.size; await seg.delete(); }
      loaded.events.push({ segment: opts.dir, position: 0, bytesDropped: bytes,
        reason: `recovered log end offset ${recoveredEnd} is below the checkpointed log start offset ${startCheckpoint}: all segments deleted, the log restarts empty at ${startCheckpoint}` });
      segments = [];
    }
    if (segments.length === 0) {
      const seg = LogSegment.create(opts.dir, startCheckpoint, opts.config.indexIntervalBytes, opts.config.segmentIndexBytes, clock());
      seg.createFilesSync(); // Kafka creates the active segment with the log
      segments = [seg];
    }
    const log = new Log(opts, segments, loaded.events);
    log.recoveredSegments = loaded.recoveredSegments;
    const bad = log.epochCache.load();
    if (bad) loaded.events.push({ segment: log.epochCache.path, position: 0, reason: bad, bytesDropped: 0 });
    if (resetToStart) log.epochCache.clear();
    else for (const e of loaded.epochs) log.epochCache.assign(e.epoch, e.startOffset);
    if (log.epochCache.truncateFromEnd(log.#nextOffset) || loaded.epochs.length || bad || resetToStart) await log.epochCache.flush();
    if (opts.topicId && readPartitionMetadata(opts.dir) === null) await writePartitionMetadata(opts.dir, opts.topicId);
    if (resetToStart) await log.producerState.truncateFullyAndStartAt(startCheckpoint);
    else await log.#reloadProducerState(true, opts.hadCleanShutdown ?? false);
    return log;
  }

  /**
   * Loads the newest snapshot <= LEO (from the first segment on) and replays the batches after it.
   * Snapshots are written only while some producer is known (roll, close), so: after a clean
   * shutdown the state is that snapshot (none at LEO = no producer was left); otherwise the state
   * was empty at every roll after the newest snapshot, and replay starts at the later of that
   * snapshot and the active segment's base. Plain (non-idempotent) logs thus cost no snapshot
   * files and no full-log replay.
   */
  async #reloadProducerState(onOpen: boolean, cleanShutdown = false): Promise<void> {
    await this.#snapshotChain;
    const psm = this.producerState, first = this.#segments.first!.baseOffset;
    const loaded = onOpen ? await psm.loadSnapshot(first, this.#nextOffset, this.#clock())
      : await psm.truncateAndReload(first, this.#nextOffset, this.#clock());
    if (loaded === null || loaded >= this.#nextOffset || cleanShutdown) return;
    const from = Math.max(loaded, this.activeSegment.baseOffset);
    const window = () => ({ upper: this.#writtenEnd, logStartOffset: this.#logStartOffset, highWatermark: this.#nextOffset, logEndOffset: this.#nextOffset });
    await replayBatches(psm, from, this.#writtenEnd, async (offset) => {
      const res = await this.#reader.read(offset, { maxBytes: REPLAY_CHUNK_BYTES }, window);
      return this.#reader.readRegions(res.records);
    });
  }

  get logStartOffset(): number { return this.#logStartOffset; }
  /** Offset the next append gets (includes appends still being written). */
  get logEndOffset(): number { return this.#nextOffset; }
  /** Offset after the last batch whose bytes are written (readable). */
  get writtenEndOffset(): number { return this.#writtenEnd; }
  get highWatermark(): number { return this.#hw === null ? this.#writtenEnd : Math.min(this.#hw, this.#writtenEnd); }
  set highWatermark(v: number) { this.#hw = Math.max(this.#logStartOffset, Math.min(v, this.#nextOffset)); }
  get recoveryPoint(): number { return this.#recoveryPoint; }
  get unflushedMessages(): number { return this.#unflushed; }
  get lastFlushMs(): number { return this.#lastFlushMs; }
  get segments(): readonly LogSegment[] { return this.#segments.values; }
  get size(): number { return this.#segments.sizeInBytes(); }
  get activeSegment(): LogSegment { return this.#segments.last!; }
  get isClosed(): boolean { return this.#closed; }

  #check(): void {
    if (this.#closed) throw new LogClosedError(`log ${this.topic}-${this.partition}`);
    if (this.#failed) throw this.#failed;
  }

  /**
   * Validates and appends concatenated v2 batches. 'client' (default) assigns offsets from the
   * log end (and the leader epoch / LogAppendTime when configured) IN PLACE in `buf`; 'replica'
   * keeps the leader's offsets, which must be >= the log end. `buf` is written later by the
   * group-commit job: do not modify or reuse it until the promise settles.
   */
  async append(buf: Buffer, opts: AppendOptions = {}): Promise<AppendResult> {
    this.#check();
    while (this.#barrier) { await this.#barrier; this.#check(); }
    const origin = opts.origin ?? 'client';
    const now = this.#clock();
    const logAppendTime = this.config.messageTimestampType === 'LogAppendTime' ? now : -1;
    const scan = origin === 'client'
      ? scanBatches(buf, { mode: 'produce', assignBaseOffset: this.#nextOffset, ...(opts.leaderEpoch !== undefined ? { leaderEpoch: opts.leaderEpoch } : {}), ...(logAppendTime >= 0 ? { logAppendTime } : {}) })
      : scanBatches(buf, { mode: 'replica' });
    if (!scan.ok) throw new CorruptRecordError(`invalid record batch at position ${scan.errorPosition}: ${scan.message}`, scan.errorPosition);
    if (scan.count === 0) throw new CorruptRecordError('the records field holds no complete batch');
    let maxTimestamp = -1, records = 0;
    for (let i = 0; i < scan.count; i++) {
      if (scan.size(i) > this.config.maxMessageBytes) throw new RecordTooLargeError(scan.size(i), this.config.maxMessageBytes);
      if (scan.maxTimestamp(i) > maxTimestamp) maxTimestamp = scan.maxTimestamp(i);
    }
    const end = scan.position(scan.count - 1) + scan.size(scan.count - 1);
    const bytes = end === buf.length && scan.position(0) === 0 ? buf : buf.subarray(scan.position(0), end);
    const baseOffset = int64(buf, scan.position(0));
    const lastOffset = scan.lastOffset(scan.count - 1);
    if (origin === 'replica' && baseOffset < this.#nextOffset) {
      throw new InvalidOffsetError(`replica batch base offset ${baseOffset} is below the log end offset ${this.#nextOffset}: truncate the follower first`);
    }
    const withPids = hasProducerIds(scan);
    if (withPids && origin === 'client') {
      const dup = checkClientBatches(this.producerState, scan, buf);
      if (dup) {
        await this.#waitWritten(dup.lastOffset);
        return { baseOffset: dup.baseOffset, lastOffset: dup.lastOffset, logAppendTime: logAppendTime >= 0 ? dup.timestamp : -1, maxTimestamp: dup.timestamp, count: 0 };
      }
    }
    let seg = this.activeSegment;
    if (this.#shouldRoll(seg, bytes.length, lastOffset, now)) seg = this.#roll(baseOffset, now);
    seg.append(scan, scan.position(0), bytes.length, now);
    let epochChanged = false;
    if (origin === 'client' && opts.leaderEpoch !== undefined) epochChanged = this.epochCache.assign(opts.leaderEpoch, baseOffset);
    else if (origin === 'replica') {
      for (let i = 0; i < scan.count; i++) {
        const at = scan.position(i);
        epochChanged = this.epochCache.assign(buf.readInt32BE(at + L.PARTITION_LEADER_EPOCH_OFFSET), int64(buf, at)) || epochChanged;
      }
    }
    if (epochChanged) this.epochCache.flush().catch((e) => this.#fail(e));
    records += lastOffset - baseOffset + 1;
    this.#nextOffset = lastOffset + 1;
    if (withPids) applyBatches(this.producerState, scan, buf);
    else this.producerState.update({ producerId: -1, producerEpoch: -1, baseSequence: -1, lastOffsetDelta: lastOffset - baseOffset, maxTimestamp, isTransactional: false, isControl: false }, baseOffset);
    this.#unflushed += records;
    const result: AppendResult = { baseOffset, lastOffset, logAppendTime, maxTimestamp, count: scan.count };
    return new Promise<AppendResult>((resolve, reject) => {
      this.#queue.push({ seg, buf: bytes, lastOffset, resolve: () => resolve(result), reject });
      void this.#runWrites();
    });
  }

  #shouldRoll(seg: LogSegment, len: number, lastOffset: number, now: number): boolean {
    if (seg.isEmpty) return false;
    return seg.size + len > this.config.segmentBytes
      || now - seg.createdMs > this.config.segmentMs
      || seg.offsetIndex.isFull || seg.timeIndex.isFull
      || lastOffset - seg.baseOffset > INT32_MAX;
  }

  #roll(newBase: number, now: number): LogSegment {
    const old = this.activeSegment;
    this.#takeSnapshot();
    const seg = this.#newSegment(newBase, now);
    this.#closing.add(old);
    return seg;
  }

  /** Snapshot of the producer state as of now (copied synchronously, written in the background). */
  #takeSnapshot(): void {
    if (this.producerState.producerCount === 0) return; // see #reloadProducerState
    const p = this.producerState.takeSnapshot().catch(() => null); // best effort: an older one + replay also works
    this.#snapshotChain = Promise.all([this.#snapshotChain, p]);
  }

  /** Resolves once the batch holding `offset` is written (a duplicate's original may still be queued). */
  #waitWritten(offset: number): Promise<void> {
    if (offset < this.#writtenEnd) return Promise.resolve();
    if (this.#failed) return Promise.reject(this.#failed);
    return new Promise((resolve, reject) => this.#writtenWaiters.push({ offset, resolve, reject }));
  }

  #newSegment(base: number, now: number): LogSegment {
    const seg = LogSegment.create(this.dir, base, this.config.indexIntervalBytes, this.config.segmentIndexBytes, now);
    seg.writeLru = this.#writeLru;
    this.#segments.add(seg);
    if (this.#writing || this.#queue.length > 0) this.#filesPending = seg; // see "Crash ordering"
    else {
      this.#filesPending = null;
      // A segment whose files cannot be created (directory gone, disk full) takes the log
      // offline like any failed write: KAFKA_STORAGE_ERROR now and for every later call.
      try { seg.createFilesSync(); } catch (e) { this.#fail(e); throw this.#failed; }
    }
    return seg;
  }

  /** Creates the pending segment's files once nothing queued before it remains unwritten. */
  #createPendingFiles(): void {
    const seg = this.#filesPending;
    if (seg === null || this.#queue.some((q) => q.seg !== seg)) return;
    this.#filesPending = null;
    if (this.#segments.values.includes(seg)) seg.createFilesSync();
  }

  /** Rolls now (if the active segment is not empty); used by tests and LogManager. */
  roll(): void {
    if (!this.activeSegment.isEmpty) { this.#roll(this.#nextOffset, this.#clock()); void this.#runWrites(); }
  }

  async #runWrites(): Promise<void> {
    if (this.#writing) return;
    this.#writing = true;
    try {
      while (this.#queue.length > 0 || this.#closing.size > 0) {
        if (this.#queue.length > 0) {
          const seg = this.#queue[0].seg;
          let n = 0, total = 0;
          const buffers: Buffer[] = [];
          // Page cache: a group stops before it would exceed the inline write limit, so it is
          // written on the loop; one group above it would go to the libuv pool, where under load
          // (2 busy cores) each hop took 35-240 ms while requests queued up behind it, making the
          // next group bigger still (bench/README.md, "produce hot path"). fsync groups are unbounded.
          const cap = this.durability === 'fsync' ? Infinity : syncWriteMaxBytesNow();
          while (n < this.#queue.length && this.#queue[n].seg === seg && (n === 0 || total + this.#queue[n].buf.length <= cap)) {
            buffers.push(this.#queue[n].buf); total += this.#queue[n].buf.length; n++;
          }
          const items = this.#queue.splice(0, n);
          try {
            if (seg === this.#filesPending) this.#createPendingFiles();
            // A roll's producer snapshot reaches the disk before any byte after it: recovery
            // replays only the active segment on top of the newest snapshot (#reloadProducerState),
            // so a crash must never leave new-segment data without its roll snapshot. Usually
            // already resolved: one microtask.
            await this.#snapshotChain;
            await seg.writeJob(buffers, total, this.durability === 'fsync');
          } catch (e) {
            this.#fail(e);
            for (const it of items) it.reject(this.#failed);
            break;
          }
          this.#writtenEnd = items[items.length - 1].lastOffset + 1;
          if (this.#writtenWaiters.length > 0) {
            this.#writtenWaiters = this.#writtenWaiters.filter((w) => { if (w.offset >= this.#writtenEnd) return true; w.resolve(); return false; });
          }
          if (this.durability === 'fsync') { this.#recoveryPoint = this.#writtenEnd; this.#unflushed = 0; }
          for (const it of items) it.resolve();
        }
        for (const seg of [...this.#closing]) {
          if (this.#queue.some((q) => q.seg === seg)) continue;
          this.#closing.delete(seg);
          // Kafka flushes a rolled segment (in the background, in roll order): the recovery
          // point then moves past it. Appends to the new segment do not wait for it.
          this.#closeChain = this.#closeChain.then(() => seg.closeWrite()).then(() => {
            if (this.#segments.values.includes(seg)) this.#recoveryPoint = Math.max(this.#recoveryPoint, seg.nextOffset);
          }, (e) => this.#fail(e));
        }
        if (this.#failed) break;
      }
      if (!this.#failed) try { this.#createPendingFiles(); } catch (e) { this.#fail(e); }
    } finally {
      this.#writing = false;
      if (this.#failed) {
        for (const it of this.#queue.splice(0)) it.reject(this.#failed);
        for (const w of this.#writtenWaiters.splice(0)) w.reject(this.#failed);
      }
      for (const w of this.#idle.splice(0)) w();
    }
  }

  #fail(e: unknown): void {
    if (!this.#failed) this.#failed = e instanceof KafkaStorageError ? e : new KafkaStorageError(`log ${this.topic}-${this.partition} in ${this.dir} failed: ${(e as Error).message}; it is offline until reopened`, { cause: e });
  }

  /** Resolves when no write is queued or in flight and rolled segments are closed. */
  async drain(): Promise<void> {
    if (this.#writing || this.#queue.length > 0) await new Promise<void>((res) => this.#idle.push(res));
    await this.#closeChain;
  }

  async #exclusive<T>(fn: () => Promise<T>): Promise<T> {
    while (this.#barrier) await this.#barrier;
    let done!: () => void;
    this.#barrier = new Promise((r) => (done = r));
    try {
      await this.drain();
      return await fn();
    } finally { this.#barrier = null; done(); }
  }

  async read(offset: number, opts: ReadOptions = {}): Promise<ReadResult> {
    this.#check();
    if (offset < this.#logStartOffset || offset > this.#nextOffset) throw new OffsetOutOfRangeError(offset, this.#logStartOffset, this.#nextOffset);
    return this.#reader.read(offset, opts, () => ({
      upper: Math.min(opts.maxOffset ?? Number.MAX_SAFE_INTEGER, this.#writtenEnd),
      logStartOffset: this.#logStartOffset, highWatermark: this.highWatermark, logEndOffset: this.#nextOffset,
    }));
  }

  /** Like read, with the region read into one Buffer of whole batches (fd released). */
  async readBuffers(offset: number, opts: ReadOptions = {}): Promise<ReadResult & { buffer: Buffer }> {
    const res = await this.read(offset, opts);
    return { ...res, buffer: await this.#reader.readRegions(res.records) };
  }

  /** ListOffsets: -1 latest, -2 earliest, -3 max timestamp, else first record with ts >= target. */
  async offsetForTimestamp(ts: number): Promise<TimestampOffsetEpoch | null> {
    this.#check();
    if (ts === -2) return { offset: this.#logStartOffset, timestamp: -1, leaderEpoch: this.epochCache.epochForOffset(this.#logStartOffset) };
    // LATEST for a consumer is the high watermark (Kafka's ListOffsets; replicas read logEndOffset).
    if (ts === -1) return { offset: this.highWatermark, timestamp: -1, leaderEpoch: this.epochCache.latestEpoch };
    return this.#reader.offsetForTimestamp(ts, this.#logStartOffset);
  }

  async truncateTo(offset: number): Promise<void> {
    this.#check();
    return this.#exclusive(async () => {
      if (offset >= this.#nextOffset) return;
      if (offset <= this.#logStartOffset || offset <= this.#segments.first!.baseOffset) return this.#truncateFully(offset);
      const holder = this.#segments.floor(offset)!;
      if (holder.baseOffset < this.#logStartOffset) { // only there can a batch straddle the start
        const hit = await this.#reader.withFd(holder, (fd) => holder.translateOffset(fd, offset));
        if (hit && hit.baseOffset < this.#logStartOffset) return this.#truncateFully(offset);
      }
      for (const seg of [...this.#segments.values].reverse()) {
        if (seg.baseOffset < offset) break;
        if (seg === this.#segments.first) break;
        await this.#deleteSegment(seg);
      }
      const last = this.activeSegment;
      this.#closing.delete(last);
      await this.#reader.withFd(last, (fd) => last.truncateTo(fd, offset));
      this.#afterTruncate(last.nextOffset);
      await this.#reloadProducerState(false);
    });
  }

  #afterTruncate(leo: number): void {
    this.#nextOffset = this.#writtenEnd = leo;
    this.#recoveryPoint = Math.min(this.#recoveryPoint, leo);
    if (this.#hw !== null) this.#hw = Math.min(this.#hw, leo);
    if (this.epochCache.truncateFromEnd(leo)) this.epochCache.flush().catch((e) => this.#fail(e));
  }

  async truncateFullyAndStartAt(offset: number): Promise<void> {
    this.#check();
    return this.#exclusive(() => this.#truncateFully(offset));
  }

  async #truncateFully(offset: number): Promise<void> {
    for (const seg of [...this.#segments.values]) await this.#deleteSegment(seg);
    this.#newSegment(offset, this.#clock());
    this.#logStartOffset = offset;
    this.#afterTruncate(offset);
    this.#recoveryPoint = offset;
    this.epochCache.clear();
    await this.epochCache.flush();
    await this.#snapshotChain;
    await this.producerState.truncateFullyAndStartAt(offset);
  }

  async #deleteSegment(seg: LogSegment): Promise<void> {
    await this.#closeChain; // a rolled segment may still be closing its write fds
    this.#segments.remove(seg);
    this.#closing.delete(seg);
    this.#fdCache.invalidate(seg.logPath);
    await seg.delete();
  }

  /** DeleteRecords: moves logStartOffset to `offset` (<= high watermark); drops whole segments below. */
  async deleteRecordsBefore(offset: number): Promise<number> {
    this.#check();
    if (offset > this.highWatermark || offset < 0) throw new OffsetOutOfRangeError(offset, this.#logStartOffset, this.highWatermark, 'delete-records offset');
    if (offset > this.#logStartOffset) {
      this.#logStartOffset = offset;
      if (this.epochCache.truncateFromStart(offset)) await this.epochCache.flush();
    }
    await this.#deleteSegmentsWhile((seg, next) => next !== undefined && next.baseOffset <= this.#logStartOffset);
    this.producerState.onLogStartOffsetIncremented(this.#logStartOffset);
    return this.#logStartOffset;
  }

  /** Retention by retention.ms / retention.bytes: deletes the oldest whole segments, never the active one. Returns how many. */
  async deleteOldSegments(now = this.#clock()): Promise<number> {
    this.#check();
    if (!this.config.cleanupPolicy.includes('delete')) return 0;
    let deleted = 0;
    if (this.config.retentionMs >= 0) deleted += await this.#deleteSegmentsWhile((seg) => now - seg.largestTimestamp > this.config.retentionMs);
    if (this.config.retentionBytes >= 0) {
      let diff = this.size - this.config.retentionBytes;
      deleted += await this.#deleteSegmentsWhile((seg) => { if (diff - seg.size < 0) return false; diff -= seg.size; return true; });
    }
    return deleted;
  }

  async #deleteSegmentsWhile(pred: (seg: LogSegment, next: LogSegment | undefined) => boolean): Promise<number> {
    let n = 0;
    while (this.#segments.size > 1) {
      const [seg, next] = this.#segments.values;
      await seg.ensureIndexes(); // largestTimestamp of a lazily loaded segment
      if (seg === this.activeSegment || seg.writtenSize < seg.size || !pred(seg, next)) break;
      // The log start moves BEFORE the segment leaves the map (as Kafka's UnifiedLog does): a read
      // in between gets OFFSET_OUT_OF_RANGE for the deleted offsets instead of silently starting
      // at the next segment.
      this.#logStartOffset = Math.max(this.#logStartOffset, next!.baseOffset);
      await this.#deleteSegment(seg);
      n++;
    }
    if (n && this.epochCache.truncateFromStart(this.#logStartOffset)) await this.epochCache.flush();
    if (n) {
      this.producerState.onLogStartOffsetIncremented(this.#logStartOffset);
      await this.producerState.deleteSnapshotsBefore(this.#segments.first!.baseOffset);
    }
    return n;
  }

  // LOG-CLEANER HOOK (ts/storage/cleaner/segment-swap.ts, engineer I): swaps consecutive inactive
  // segments for the cleaned segment built from them. Synchronous, so no append, retention or
  // truncation interleaves; the caller has already put the files in place.
  replaceSegments(old: readonly LogSegment[], replacement: LogSegment): void {
    this.#check();
    for (const s of old) {
      if (s === this.activeSegment || !this.#segments.values.includes(s)) {
        throw new KafkaStorageError(`cleaner swap in ${this.dir}: segment ${s.baseOffset} is no longer an inactive segment of the log`);
      }
    }
    for (const s of old) { this.#segments.remove(s); this.#closing.delete(s); this.#fdCache.invalidate(s.logPath); }
    replacement.writeLru = this.#writeLru;
    this.#segments.add(replacement);
  }

  /** Forgets producers idle for producer.id.expiration.ms (LogManager's retention tick). */
  removeExpiredProducers(now = this.#clock()): number {
    return this.producerState.removeExpiredProducers(now);
  }

  /** Writes everything queued, fdatasyncs dirty segments, advances the recovery point. */
  async flush(): Promise<void> {
    this.#check();
    await this.drain();
    const upTo = this.#writtenEnd;
    for (const seg of this.#segments.values) if (seg.isDirty) await seg.flush();
    this.#recoveryPoint = Math.max(this.#recoveryPoint, upTo);
    this.#unflushed = 0;
    this.#lastFlushMs = this.#clock();
  }

  /** Flushes, closes write fds and refuses further use. Read leases already handed out stay valid. */
  async close(): Promise<void> {
    if (this.#closed) return;
    await this.#exclusive(async () => {
      if (!this.#failed) {
        await this.flush().catch(() => undefined);
        this.#takeSnapshot();
      }
      await this.#snapshotChain;
      for (const seg of this.#segments.values) await seg.closeWrite().catch(() => undefined);
      for (const seg of this.#segments.values) this.#fdCache.invalidate(seg.logPath);
      this.#closed = true;
    });
  }
}
