// LogReader: the read side of a Log (fetch regions, ListOffsets by timestamp). It only looks at
// bytes a segment reports as written, through read fds leased from the FdCache.
//
// A fetch returns at most one region, from the segment holding the start offset (as Kafka): the
// client asks again from the next offset. A region holds whole batches; its FileRegion keeps the
// fd leased until release() (so a segment deleted meanwhile can still be sent).
//
// Fds are opened by path, and the cleaner swaps a cleaned file in under the path of the first
// segment it replaces. A read that picked a segment object, then (after the await of the open)
// holds an fd, checks that the object is still part of the log: if it was replaced meanwhile the
// fd may be the new file, where the old object's positions mean nothing, so the read starts over
// from the current segment list. An fd checked this way keeps its file even if the path is
// renamed or deleted later.
import { readBatches } from '../protocol/record/batch-reader.js';
import { OffsetOutOfRangeError } from './errors.js';
import type { FdCache } from './fd-cache.js';
import { preadFull, searchForTimestamp } from './file-records.js';
import type { LogSegment } from './log-segment.js';
import type { LogSegments } from './log-segments.js';

export interface FileRegion {
  readonly fd: number;
  readonly path: string;
  readonly position: number;
  readonly length: number;
  /** Returns the fd lease; call exactly once when the region was sent or read. */
  release(): void;
}

export interface ReadOptions {
  /** Upper bound on the bytes returned (default 1 MiB); the first batch may exceed it when minOneMessage. */
  maxBytes?: number;
  /** Exclusive upper bound on offsets returned (e.g. the high watermark). */
  maxOffset?: number;
  /** Return the first batch whole even if larger than maxBytes (default true, Kafka's fetch v3+). */
  minOneMessage?: boolean;
}

export interface ReadResult {
  records: FileRegion[];
  logStartOffset: number;
  highWatermark: number;
  logEndOffset: number;
}

/** The log's bounds for one read: `upper` is the exclusive offset bound on what is returned. */
export interface ReadWindow extends Omit<ReadResult, 'records'> { upper: number }

export interface TimestampOffsetEpoch { offset: number; timestamp: number; leaderEpoch: number }

/** #readOnce's answer when its segment was replaced (cleaner swap) while its fd was opening. */
const REPLACED = Symbol('segment replaced');

export class LogReader {
  constructor(private readonly segments: LogSegments, private readonly fdCache: FdCache) {}

  async withFd<T>(seg: LogSegment, fn: (fd: number) => Promise<T>): Promise<T> {
    if (seg.writtenSize === 0) return fn(-1);
    const lease = await this.fdCache.acquire(seg.logPath);
    try { return await fn(lease.fd); } finally { lease.release(); }
  }

  /** `window()` gives the log's current bounds; it is asked again when a read starts over. */
  async read(offset: number, opts: ReadOptions, window: () => ReadWindow): Promise<ReadResult> {
    for (let attempt = 0; ; attempt++) {
      const { upper, ...state } = window();
      // The caller checked the range for the first attempt (replay may read below the start).
      if (attempt > 0 && offset < state.logStartOffset) throw new OffsetOutOfRangeError(offset, state.logStartOffset, state.logEndOffset);
      const res = await this.#readOnce(offset, upper, opts, state);
      if (res !== REPLACED) return res;
    }
  }

  async #readOnce(offset: number, upper: number, opts: ReadOptions, state: Omit<ReadResult, 'records'>): Promise<ReadResult | typeof REPLACED> {
    const maxBytes = opts.maxBytes ?? 1024 * 1024;
    const minOne = opts.minOneMessage ?? true;
    const list = this.segments.values;
    for (let i = Math.max(0, this.segments.floorIndex(offset)); i < list.length && offset < upper; i++) {
      const seg = list[i];
      if (seg.baseOffset >= upper) break;
      if (seg.writtenSize === 0) continue;
      let lease;
      try { lease = await this.fdCache.acquire(seg.logPath); } catch (e) {
        if (!this.segments.contains(seg)) return REPLACED;
        if ((e as NodeJS.ErrnoException).code === 'ENOENT' && offset < state.logStartOffset) throw new OffsetOutOfRangeError(offset, state.logStartOffset, state.logEndOffset);
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue; // deleted by retention/truncation meanwhile
        throw e;
      }
      if (!this.segments.contains(seg)) { lease.release(); return REPLACED; }
      try {
        let maxPosition = seg.writtenSize;
        if (upper < seg.nextOffset) maxPosition = (await seg.translateOffset(lease.fd, upper))?.position ?? seg.writtenSize;
        const region = await seg.read(lease.fd, offset, maxBytes, maxPosition, minOne);
        if (region && region.length > 0) {
          const l = lease;
          lease = undefined;
          return { ...state, records: [{ fd: l.fd, path: l.path, position: region.position, length: region.length, release: () => l.release() }] };
        }
      } finally { lease?.release(); }
    }
    return { ...state, records: [] };
  }

  /** Reads regions into one Buffer and releases them. */
  async readRegions(regions: FileRegion[]): Promise<Buffer> {
    const total = regions.reduce((n, r) => n + r.length, 0);
    const out = Buffer.allocUnsafe(total);
    let at = 0;
    try {
      for (const r of regions) {
        const n = await preadFull(r.fd, out, at, r.length, r.position);
        if (n !== r.length) throw new Error(`short read of ${r.path}: ${n} of ${r.length} bytes at ${r.position}`);
        at += n;
      }
    } finally { for (const r of regions) r.release(); }
    return out;
  }

  /** First record with timestamp >= ts (ts >= 0), or the record with the max timestamp (ts = -3). */
  async offsetForTimestamp(ts: number, logStartOffset: number): Promise<TimestampOffsetEpoch | null> {
    if (ts === -3) return this.#maxTimestamp(logStartOffset);
    for (const seg of this.segments.values) {
      await seg.ensureIndexes();
      if (seg.writtenSize === 0 || seg.maxTimestampSoFar < ts || seg.nextOffset <= logStartOffset) continue;
      const hit = await this.withFd(seg, async (fd) => {
        const te = seg.timeIndex.lookup(ts);
        let start = seg.offsetIndex.lookup(Math.max(te.offset, logStartOffset)).position;
        if (start >= seg.writtenSize) start = 0;
        const h = await searchForTimestamp(fd, start, seg.writtenSize, ts, logStartOffset);
        if (!h) return null;
        return this.#recordIn(fd, h.position, h.size, h.partitionLeaderEpoch, (r) => r.timestamp >= ts && r.offset >= logStartOffset);
      });
      if (hit) return hit;
    }
    return null;
  }

  async #maxTimestamp(logStartOffset: number): Promise<TimestampOffsetEpoch | null> {
    let best: LogSegment | null = null;
    for (const seg of this.segments.values) {
      await seg.ensureIndexes();
      if (seg.writtenSize > 0 && seg.nextOffset > logStartOffset && (!best || seg.maxTimestampSoFar > best.maxTimestampSoFar)) best = seg;
    }
    if (!best || best.maxTimestampSoFar < 0) return null;
    const seg = best;
    return this.withFd(seg, async (fd) => {
      const h = await seg.translateOffset(fd, seg.offsetOfMaxTimestampSoFar);
      if (!h) return null;
      return this.#recordIn(fd, h.position, h.size, h.partitionLeaderEpoch, (r) => r.timestamp === seg.maxTimestampSoFar && r.offset >= logStartOffset);
    });
  }

  async #recordIn(fd: number, position: number, size: number, leaderEpoch: number,
    pred: (r: { offset: number; timestamp: number }) => boolean): Promise<TimestampOffsetEpoch | null> {
    const buf = Buffer.allocUnsafe(size);
    await preadFull(fd, buf, 0, size, position);
    for (const batch of readBatches(buf)) {
      for (const r of batch.records()) if (pred(r)) return { offset: r.offset, timestamp: r.timestamp, leaderEpoch };
    }
    return null;
  }
}
