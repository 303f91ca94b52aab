// Walks batch headers in a .log file without reading whole batches (Kafka's FileRecords
// searchForOffsetWithSize / searchForTimestamp). Reads 16 KiB chunks; a batch larger than a
// chunk costs one more read for the next header. A chunk in the page cache (asked without
// blocking: native pageCached) is read ON THE EVENT LOOP (readSync, a few us): a fetch walks 2-6
// chunks, and as libuv pool hops they took 0.5-3 ms per fetch on the loaded 2-core reference
// machine (the pool thread waits for a CPU). A chunk that is not cached is read on the pool, so
// a cold read never blocks the loop for the disk. Whole regions (preadFull) go through the pool.
//
// Only the framing is checked here (length >= header, magic 2, fits before `end`): the bytes the
// Log hands out were validated on append or by recovery. A frame that fails is reported as
// `invalid` so a clean load can fall back to recovery.
import { read as readCb, readSync } from 'node:fs';
import { pageCached } from '../native/page-cache.js';
import * as L from '../protocol/record/layout.js';

export interface BatchHeader {
  position: number;
  size: number;
  baseOffset: number;
  lastOffset: number;
  partitionLeaderEpoch: number;
  maxTimestamp: number;
}

export type WalkStop = 'end' | 'stopped' | 'invalid';

const CHUNK = 16 * 1024;
const NEED = L.RECORD_BATCH_OVERHEAD;
const SCRATCH = Buffer.allocUnsafeSlow(CHUNK);

export function preadFull(fd: number, buf: Buffer, offset: number, length: number, position: number): Promise<number> {
  return new Promise((res, rej) => {
    let done = 0;
    const step = (): void => {
      readCb(fd, buf, offset + done, length - done, position + done, (err, n) => {
        if (err) return rej(err);
        done += n;
        if (n === 0 || done >= length) res(done); else step();
      });
    };
    step();
  });
}

/** Synchronous positional read of up to `length` bytes (loops over short reads; stops at EOF). */
function preadSync(fd: number, buf: Buffer, length: number, position: number): number {
  let done = 0;
  while (done < length) {
    const n = readSync(fd, buf, done, length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done;
}

function int64(buf: Buffer, at: number): number {
  return buf.readInt32BE(at) * 4294967296 + buf.readUInt32BE(at + 4);
}

/**
 * Visits each batch header in [start, end) in order until `visit` returns false.
 * Returns where it stopped: the position of the batch `visit` refused, `end`, or the first
 * position whose framing is invalid.
 */
export async function walkBatches(fd: number, start: number, end: number,
  visit: (h: BatchHeader) => boolean): Promise<{ position: number; stop: WalkStop; reason?: string }> {
  // The shared scratch is safe while the walk does not await; the first cold read switches to
  // a private buffer, since other walks may use the scratch while this one waits.
  let chunk = SCRATCH;
  let cStart = 0, cLen = 0;
  let pos = start;
  while (pos < end) {
    if (end - pos < NEED) return { position: pos, stop: 'invalid', reason: `${end - pos} trailing bytes are shorter than a batch header` };
    if (pos < cStart || pos + NEED > cStart + cLen) {
      cStart = pos;
      const want = Math.min(CHUNK, end - pos);
      if (chunk === SCRATCH && pageCached(fd, pos, want)) cLen = preadSync(fd, chunk, want, pos);
      else {
        if (chunk === SCRATCH) chunk = Buffer.allocUnsafe(CHUNK);
        cLen = await preadFull(fd, chunk, 0, want, pos);
      }
      if (cLen < NEED) return { position: pos, stop: 'invalid', reason: 'file shorter than expected' };
    }
    const at = pos - cStart;
    const batchLength = chunk.readInt32BE(at + L.BATCH_LENGTH_OFFSET);
    const size = batchLength + L.LOG_OVERHEAD;
    if (batchLength < L.MIN_BATCH_LENGTH) return { position: pos, stop: 'invalid', reason: `batchLength ${batchLength} below the minimum` };
    if (chunk[at + L.MAGIC_OFFSET] !== L.CURRENT_MAGIC) return { position: pos, stop: 'invalid', reason: `magic ${chunk[at + L.MAGIC_OFFSET]} is not 2` };
    if (pos + size > end) return { position: pos, stop: 'invalid', reason: `batch of ${size} bytes runs past the end (${end})` };
    const baseOffset = int64(chunk, at);
    const h: BatchHeader = {
      position: pos,
      size,
      baseOffset,
      lastOffset: baseOffset + chunk.readInt32BE(at + L.LAST_OFFSET_DELTA_OFFSET),
      partitionLeaderEpoch: chunk.readInt32BE(at + L.PARTITION_LEADER_EPOCH_OFFSET),
      maxTimestamp: int64(chunk, at + L.MAX_TIMESTAMP_OFFSET),
    };
    if (!visit(h)) return { position: pos, stop: 'stopped' };
    pos += size;
  }
  return { position: pos, stop: 'end' };
}

/** First batch in [start, end) with lastOffset >= target, or null. */
export async function searchForOffset(fd: number, start: number, end: number, target: number): Promise<BatchHeader | null> {
  let found: BatchHeader | null = null;
  await walkBatches(fd, start, end, (h) => { if (h.lastOffset >= target) { found = h; return false; } return true; });
  return found;
}

/** First batch in [start, end) with maxTimestamp >= target and lastOffset >= minOffset, or null. */
export async function searchForTimestamp(fd: number, start: number, end: number, target: number, minOffset: number): Promise<BatchHeader | null> {
  let found: BatchHeader | null = null;
  await walkBatches(fd, start, end, (h) => {
    if (h.maxTimestamp >= target && h.lastOffset >= minOffset) { found = h; return false; }
    return true;
  });
  return found;
}

/** End of the last whole batch that starts at or after `from` and ends at or before `limit`. */
export async function lastBoundaryBefore(fd: number, from: number, limit: number): Promise<number> {
  let end = from;
  await walkBatches(fd, from, limit, (h) => { end = h.position + h.size; return true; });
  return end;
}
