// Loading a partition directory (Kafka's LogLoader) and recovering segments after an unclean
// stop (LogSegment.recover).
//
// Load: delete leftover `*.tmp` and `*.deleted` files and index files without a `.log`; load every
// segment in base-offset order. First, what a crash left of a cleaner swap is finished or rolled
// back (`.cleaned` deleted, `.swap` completed: ts/storage/cleaner/segment-swap.ts).
// A segment is recovered when the stop was unclean and it may hold offsets >= the recovery point,
// or when its indexes/tail fail the sanity check. Recovery scans the file in 1 MiB chunks with
// scanBatches(mode 'recover') (length, magic, CRC32C), checks offsets increase, rebuilds both
// indexes, and truncates the file at the first invalid byte. If a segment was truncated, every
// later segment is deleted (nothing after a hole can be served). After an unclean stop, an empty
// last segment whose base lies above the end of a recovered (unflushed) predecessor is deleted
// too: its name claims offsets whose bytes never reached the file. Example: 0.log recovered to
// end at 557 and an empty 562.log (rolled while [557..561] were still queued): keeping 562.log
// gives LEO 562 with no record at 557..561; deleting it gives LEO 557, where appends continue.
// (The Log no longer creates such a file, see log.ts "Crash ordering"; older dirs may hold one.
// A trailing gap after a flushed segment, e.g. compacted away, is kept.) Each step is reported
// as a RecoveryEvent for the caller to log: nothing valid is dropped, nothing invalid is served.
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { scanBatches } from '../native/batch-scan.js';
import { frameProblem } from '../protocol/record/batch-reader.js';
import * as L from '../protocol/record/layout.js';
import { preadFull } from './file-records.js';
import { LogSegment, type ScanSummary } from './log-segment.js';
import { recoverCleanerFiles } from './cleaner/segment-swap.js';

export interface RecoveryEvent {
  segment: string;
  position: number;
  reason: string;
  bytesDropped: number;
}

export interface LoadResult {
  segments: LogSegment[];
  events: RecoveryEvent[];
  /** (epoch, startOffset) pairs seen in recovered batches, in offset order. */
  epochs: { epoch: number; startOffset: number }[];
  recoveredSegments: number;
}

export interface LoadOptions {
  indexIntervalBytes: number;
  maxIndexSize: number;
  nowMs: number;
  hadCleanShutdown: boolean;
  recoveryPoint: number;
  withReadFd<T>(path: string, fn: (fd: number) => Promise<T>): Promise<T>;
}

const CHUNK = 1024 * 1024;
const INT32_MAX = 0x7fffffff;

function int64(buf: Buffer, at: number): number {
  return buf.readInt32BE(at) * 4294967296 + buf.readUInt32BE(at + 4);
}

/** Rebuilds `seg` from its .log file; returns the event when bytes were dropped. */
export async function recoverSegment(seg: LogSegment, nowMs: number, epochs: { epoch: number; startOffset: number }[]): Promise<RecoveryEvent | null> {
  seg.resetForRecovery();
  await seg.offsetIndex.reset();
  await seg.timeIndex.reset();
  const h = await fsp.open(seg.logPath, 'r');
  let pos = 0, fileSize = 0, reason: string | null = null;
  try {
    fileSize = (await h.stat()).size;
    let buf = Buffer.allocUnsafe(Math.min(CHUNK, Math.max(fileSize, 1)));
    let expected = seg.baseOffset;
    while (pos < fileSize) {
      const len = await preadFull(h.fd, buf, 0, Math.min(buf.length, fileSize - pos), pos);
      const scan = scanBatches(buf.subarray(0, len), { mode: 'recover' }, 0, len);
      let good = 0, goodBytes = 0;
      for (; good < scan.count; good++) {
        const at = scan.position(good);
        const base = int64(buf, at), last = scan.lastOffset(good);
        if (base < expected || last < base || last - seg.baseOffset > INT32_MAX) {
          reason = `batch offsets [${base}, ${last}] do not follow ${expected - 1}`;
          break;
        }
        const epoch = buf.readInt32BE(at + L.PARTITION_LEADER_EPOCH_OFFSET);
        if (epoch >= 0 && (epochs.length === 0 || epoch > epochs[epochs.length - 1].epoch)) epochs.push({ epoch, startOffset: base });
        expected = last + 1;
        goodBytes = at + scan.size(good);
      }
      if (good > 0) seg.append(limitScan(scan, good), 0, goodBytes, nowMs);
      pos += goodBytes;
      if (reason) break;
      if (goodBytes === len) continue;
      const problem = frameProblem(buf, goodBytes, len);
      // A batch cut by the end of this chunk is read again whole from `pos` when the file holds
      // it: its size is known once its 12-byte header is in (`needed`); with fewer header bytes
      // in the chunk (`needed` null), the next read from `pos` brings the whole header. Only a
      // batch cut by the end of the FILE is a torn tail.
      if (problem && problem.kind === 'partial' && pos + (problem.needed ?? L.LOG_OVERHEAD) <= fileSize) {
        if (problem.needed !== null && problem.needed > buf.length) buf = Buffer.allocUnsafe(problem.needed);
        continue;
      }
      reason = problem ? problem.reason : (scan.message || `invalid batch (status ${String(scan.status)})`);
      break;
    }
  } finally { await h.close(); }
  seg.setRecoveredSize(pos);
  if (pos < fileSize) await fsp.truncate(seg.logPath, pos);
  await seg.writeIndexesFully();
  return pos < fileSize ? { segment: seg.logPath, position: pos, reason: reason ?? 'truncated', bytesDropped: fileSize - pos } : null;
}

function limitScan(scan: ScanSummary, count: number): ScanSummary {
  return {
    count,
    position: (i) => scan.position(i),
    size: (i) => scan.size(i),
    lastOffset: (i) => scan.lastOffset(i),
    maxTimestamp: (i) => scan.maxTimestamp(i),
  };
}

/** Parses `<20 digits>.<suffix>` names; null for anything else. */
export function parseSegmentName(name: string): { base: number; suffix: string } | null {
  const m = /^(\d{20})\.(log|index|timeindex|txnindex|snapshot)$/.exec(name);
  return m ? { base: Number(m[1]), suffix: m[2] } : null;
}

/** Loads (and where needed recovers) every segment in `dir`. */
export async function loadSegments(dir: string, opts: LoadOptions): Promise<LoadResult> {
  const events: RecoveryEvent[] = [];
  const epochs: { epoch: number; startOffset: number }[] = [];
  for (const what of recoverCleanerFiles(dir)) events.push({ segment: dir, position: 0, reason: `cleaner: ${what}`, bytesDropped: 0 });
  const names = await fsp.readdir(dir);
  const logs = new Set<number>();
  for (const name of names) {
    if (name.endsWith('.tmp') || name.endsWith('.deleted')) {
      await fsp.rm(join(dir, name), { force: true });
      continue;
    }
    const parsed = parseSegmentName(name);
    if (parsed?.suffix === 'log') logs.add(parsed.base);
  }
  for (const name of names) {
    const parsed = parseSegmentName(name);
    if (parsed && (parsed.suffix === 'index' || parsed.suffix === 'timeindex') && !logs.has(parsed.base)) {
      await fsp.rm(join(dir, name), { force: true });
    }
  }
  const bases = [...logs].sort((a, b) => a - b);
  const segments: LogSegment[] = [];
  let recovered = 0;
  let truncated = false;
  let prevRecovered = false;
  for (let k = 0; k < bases.length; k++) {
    const nextBase = bases[k + 1] ?? Number.MAX_SAFE_INTEGER;
    // Flushed, non-active segments of a cleanly stopped log load lazily (indexes on first use).
    const lazy = !truncated && k < bases.length - 1 && (opts.hadCleanShutdown || nextBase <= opts.recoveryPoint);
    const seg = await LogSegment.load(dir, bases[k], opts.indexIntervalBytes, opts.maxIndexSize, opts.nowMs, lazy);
    if (truncated) {
      events.push({ segment: seg.logPath, position: 0, reason: 'follows a truncated segment', bytesDropped: seg.size });
      await seg.delete();
      continue;
    }
    const prev = segments[segments.length - 1];
    if (!opts.hadCleanShutdown && prev && prevRecovered && k === bases.length - 1 && seg.size === 0 && seg.baseOffset > prev.nextOffset) {
      events.push({ segment: seg.logPath, position: 0, bytesDropped: 0,
        reason: `empty last segment ${seg.baseOffset} above the recovered end ${prev.nextOffset} of the previous segment (rolled before its bytes were written): deleted, the log ends at ${prev.nextOffset}` });
      await seg.delete();
      continue;
    }
    let why: string | null = null;
    if (prev && seg.baseOffset < prev.nextOffset) why = `base offset ${seg.baseOffset} overlaps the previous segment (next offset ${prev.nextOffset})`;
    else if (!opts.hadCleanShutdown && nextBase > opts.recoveryPoint) why = 'unflushed after an unclean shutdown';
    else if (k < bases.length - 1) why = seg.loadTrusted(nextBase);
    else why = seg.size === 0 ? null : await opts.withReadFd(seg.logPath, (fd) => seg.loadTail(fd));
    if (why !== null && prev && seg.baseOffset < prev.nextOffset) {
      events.push({ segment: seg.logPath, position: 0, reason: why, bytesDropped: seg.size });
      await seg.delete();
      truncated = true;
      continue;
    }
    if (why !== null) {
      await seg.ensureIndexes();
      if (!why.startsWith('unflushed')) events.push({ segment: seg.logPath, position: 0, reason: `rebuilding: ${why}`, bytesDropped: 0 });
      recovered++;
      const ev = await recoverSegment(seg, opts.nowMs, epochs);
      if (ev) { events.push(ev); truncated = true; }
    }
    prevRecovered = why !== null;
    segments.push(seg);
  }
  return { segments, events, epochs, recoveredSegments: recovered };
}
