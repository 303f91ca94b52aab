// Swapping cleaned segments in, and finishing an interrupted swap after a crash (Kafka's
// LogCleaner.replaceSegments + LogLoader's .cleaned/.swap handling).
//
// File protocol for a group of old segments [b0, b1, ...] cleaned into one segment at base b0:
//   1. the pool writes and fsyncs b0.index.cleaned, b0.timeindex.cleaned, b0.log.cleaned;
//   2. rename them to .swap (indexes first, b0.log.swap LAST), fsync the dir: b0.log.swap existing
//      is the commit point;
//   3. delete the old segments' files (b1.., and b0's .txnindex), rename the .swap files over
//      the final names (b0.log LAST), swap the in-memory segments (Log.replaceSegments).
// Recovery on open (recoverCleanerFiles, before the segments are loaded):
//   - every *.cleaned file is deleted (the old segments are intact);
//   - for each <b>.log.swap: the segments with base in [b, last offset of the swap] are deleted
//     and the swap files are renamed to their final names (the swap holds all their records
//     that survived cleaning);
//   - .index.swap/.timeindex.swap without a .log.swap are deleted (crash in step 2).
// The live swap of step 3 runs synchronously (renameSync/rmSync, then the list update), so no
// append, retention or truncation interleaves with it. A fetch that picked an old segment object
// just before the swap and opens its fd just after would get the new file under the old path:
// LogReader checks, once its fd is open, that its segment is still in the log and otherwise reads
// again from the current list (cleaner-read-race.test.ts).
import { existsSync, fsyncSync, openSync, closeSync, promises as fsp, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { readBatches } from '../../protocol/record/batch-reader.js';
import { LogSegment } from '../log-segment.js';
import { OffsetIndex } from '../offset-index.js';
import { TimeIndex } from '../time-index.js';
import { segmentPath, type CleanedGroup } from './clean-log.js';

/** What the swap needs from a Log (ts/storage/log.ts implements it). */
export interface SwappableLog {
  readonly dir: string;
  readonly segments: readonly LogSegment[];
  readonly activeSegment: LogSegment;
  replaceSegments(old: readonly LogSegment[], replacement: LogSegment): void;
}

const SEGMENT_SUFFIXES = ['log', 'index', 'timeindex', 'txnindex'] as const;
const SWAPPED = ['index', 'timeindex', 'log'] as const; // rename order: .log last

function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try { fsyncSync(fd); } finally { closeSync(fd); }
}

export function removeGroupFiles(dir: string, base: number, stage: 'cleaned' | 'swap'): void {
  for (const s of SWAPPED) rmSync(segmentPath(dir, base, `${s}.${stage}`), { force: true });
}

/**
 * Swaps one cleaned group into `log`. Returns false (and removes the group's files) when the
 * log's segments changed meanwhile (retention, truncation): the old segments stay.
 */
export async function installCleanedGroup(log: SwappableLog, group: CleanedGroup,
  opts: { indexIntervalBytes: number; maxIndexSize: number; now: number }): Promise<boolean> {
  const { dir } = log;
  const base = group.base;
  const stillThere = (): LogSegment[] | null => {
    const olds = group.replaced.map((b) => log.segments.find((s) => s.baseOffset === b));
    if (olds.some((s) => s === undefined || s === log.activeSegment || s.hasWriteFds)) return null;
    const i = log.segments.indexOf(olds[0]!);
    return olds.every((s, k) => log.segments[i + k] === s) ? (olds as LogSegment[]) : null;
  };
  if (stillThere() === null) { removeGroupFiles(dir, base, 'cleaned'); return false; }
  for (const s of SWAPPED) await fsp.rename(segmentPath(dir, base, `${s}.cleaned`), segmentPath(dir, base, `${s}.swap`));
  fsyncDir(dir);
  // Build the replacement segment object from the swap files, with the final paths.
  const [oi, ti, st] = await Promise.all([
    fsp.readFile(segmentPath(dir, base, 'index.swap')),
    fsp.readFile(segmentPath(dir, base, 'timeindex.swap')),
    fsp.stat(segmentPath(dir, base, 'log.swap')),
  ]);
  const seg = new LogSegment(dir, base, new OffsetIndex(segmentPath(dir, base, 'index'), base, opts.maxIndexSize, oi),
    new TimeIndex(segmentPath(dir, base, 'timeindex'), base, opts.maxIndexSize, ti), st.size, opts.now, opts.indexIntervalBytes);
  // Synchronous from here: nothing else touches the log's segments or files meanwhile.
  const olds = stillThere();
  if (olds === null) { removeGroupFiles(dir, base, 'swap'); return false; }
  const i = log.segments.indexOf(olds[olds.length - 1]!);
  const nextBase = log.segments[i + 1]!.baseOffset;
  const bad = seg.loadTrusted(nextBase);
  if (bad !== null) { removeGroupFiles(dir, base, 'swap'); throw Object.assign(new Error(`cleaned segment ${base} is inconsistent: ${bad}`), { code: 'CLEANER_BAD_OUTPUT' }); }
  seg.lastModifiedMs = Math.max(...olds.map((s) => s.lastModifiedMs));
  if (group.maxTimestamp > seg.maxTimestampSoFar) { seg.maxTimestampSoFar = group.maxTimestamp; seg.offsetOfMaxTimestampSoFar = group.offsetOfMaxTimestamp; }
  for (const old of olds) {
    for (const s of SEGMENT_SUFFIXES) if (old.baseOffset !== base || s === 'txnindex') rmSync(segmentPath(dir, old.baseOffset, s), { force: true });
  }
  for (const s of SWAPPED) renameSync(segmentPath(dir, base, `${s}.swap`), segmentPath(dir, base, s));
  log.replaceSegments(olds, seg);
  fsyncDir(dir);
  return true;
}

function lastOffsetOf(path: string): number {
  const bytes = readFileSync(path);
  let last = -1;
  for (const b of readBatches(bytes)) last = b.lastOffset;
  return last;
}

/** Finishes or rolls back what a crash left in `dir` (see the file comment). Returns what it did. */
export function recoverCleanerFiles(dir: string): string[] {
  const done: string[] = [];
  if (!existsSync(dir)) return done;
  const names = readdirSync(dir);
  for (const n of names) {
    if (n.endsWith('.cleaned')) { rmSync(`${dir}/${n}`, { force: true }); done.push(`deleted ${n}`); }
  }
  const swaps = names.map((n) => /^(\d{20})\.log\.swap$/.exec(n)).filter((m) => m !== null).map((m) => Number(m![1]));
  for (const base of swaps) {
    const last = lastOffsetOf(segmentPath(dir, base, 'log.swap'));
    for (const n of readdirSync(dir)) {
      const m = /^(\d{20})\.(log|index|timeindex|txnindex)$/.exec(n);
      if (!m || Number(m[1]) < base || Number(m[1]) > Math.max(base, last)) continue;
      // At the swap's own base, an index already renamed from its .swap is the new one: keep it.
      if (Number(m[1]) === base && (m[2] === 'index' || m[2] === 'timeindex') && !existsSync(`${dir}/${n}.swap`)) continue;
      rmSync(`${dir}/${n}`, { force: true });
    }
    for (const s of SWAPPED) {
      const from = segmentPath(dir, base, `${s}.swap`);
      if (existsSync(from)) renameSync(from, segmentPath(dir, base, s));
    }
    done.push(`completed swap of segment ${base} (through offset ${last})`);
  }
  for (const n of readdirSync(dir)) {
    if (/\.(index|timeindex)\.swap$/.test(n)) { rmSync(`${dir}/${n}`, { force: true }); done.push(`deleted ${n}`); }
  }
  if (done.length > 0) fsyncDir(dir);
  return done;
}

/** Size of a segment file, or 0 when missing (tests and tools). */
export function fileSize(path: string): number {
  try { return statSync(path).size; } catch { return 0; }
}
