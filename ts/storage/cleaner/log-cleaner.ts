// LogCleaner: compacts logs with cleanup.policy containing `compact` (Kafka's LogCleaner +
// LogCleanerManager, one cleaner "thread" whose CPU and file work runs on the worker pool).
//
// Per log and pass:
//   cleanable   the inactive, fully written segments from the first one up to (excluding) the
//               first segment that is active or whose largest timestamp is newer than
//               now − min.compaction.lag.ms; endOffset = the base of that first uncleanable one;
//   firstDirty  the cleaner-offset-checkpoint entry (clamped to the cleanable range; the log start
//               when absent): [first base, firstDirty) is the clean section, [firstDirty, endOffset)
//               the dirty one;
//   ratio       dirty bytes / cleanable bytes; the log is cleaned when ratio ≥
//               min.cleanable.dirty.ratio (or when forced) and there are dirty bytes.
// The pool task (clean-log.ts) writes `.cleaned` groups, segment-swap.ts swaps them in, then the
// checkpoint moves to endOffset. The active segment is never touched; offsets never change.
// Concurrency: one pass at a time per cleaner (runOnce/cleanLog calls are serialised); appends,
// fetches and retention continue during the pool work, and the swap re-checks the segments.
import { dirname } from 'node:path';
import { runPoolTask } from '../../pool/pool.js';
import type { LogSegment } from '../log-segment.js';
import type { CleanLogInput, CleanLogResult } from './clean-log.js';
import { CleanerCheckpoint } from './cleaner-checkpoint.js';
import { installCleanedGroup, type SwappableLog } from './segment-swap.js';

export interface CleanerLogConfig {
  cleanupPolicy: string;
  minCleanableDirtyRatio: number;
  minCompactionLagMs?: number;
  deleteRetentionMs: number;
  segmentBytes: number;
  indexIntervalBytes: number;
  segmentIndexBytes: number;
}

/** What the cleaner needs from a Log (ts/storage/log.ts). */
export interface CleanerLog extends SwappableLog {
  readonly topic: string;
  readonly partition: number;
  readonly config: CleanerLogConfig;
  readonly logStartOffset: number;
  readonly isClosed: boolean;
}

export interface CleanStats extends Omit<CleanLogResult, 'groups'> {
  topicPartition: string;
  firstDirtyOffset: number;
  endOffset: number;
  segmentsBefore: number;
  segmentsReplaced: number;
  groupsInstalled: number;
}

export interface LogCleanerOptions {
  clock?: () => number;
  /** Runs the cleaning pass; defaults to the worker pool (task `cleanLog`). */
  runClean?: (input: CleanLogInput) => Promise<CleanLogResult>;
}

export interface CleaningPlan {
  segments: LogSegment[];
  firstDirtyOffset: number;
  endOffset: number;
  dirtyBytes: number;
  totalBytes: number;
}

const poolClean = async (input: CleanLogInput): Promise<CleanLogResult> =>
  (await runPoolTask('cleanLog', null, input)).value as CleanLogResult;

export class LogCleaner {
  readonly #clock: () => number;
  readonly #runClean: (input: CleanLogInput) => Promise<CleanLogResult>;
  readonly #checkpoints = new Map<string, CleanerCheckpoint>();
  #chain: Promise<unknown> = Promise.resolve();

  constructor(opts: LogCleanerOptions = {}) {
    this.#clock = opts.clock ?? Date.now;
    this.#runClean = opts.runClean ?? poolClean;
  }

  checkpointFor(log: { dir: string }): CleanerCheckpoint {
    const logDir = dirname(log.dir);
    let c = this.#checkpoints.get(logDir);
    if (c === undefined) this.#checkpoints.set(logDir, c = new CleanerCheckpoint(logDir));
    return c;
  }

  /** What a pass over `log` would clean now, or null when nothing is cleanable. */
  plan(log: CleanerLog, now = this.#clock()): CleaningPlan | null {
    if (!log.config.cleanupPolicy.includes('compact') || log.isClosed) return null;
    const segs = log.segments;
    const lag = log.config.minCompactionLagMs ?? 0;
    const cleanable: LogSegment[] = [];
    for (let i = 0; i + 1 < segs.length; i++) {
      const s = segs[i]!;
      if (s === log.activeSegment || s.hasWriteFds || s.writtenSize !== s.size) break;
      if (lag > 0 && s.largestTimestamp > now - lag) break;
      cleanable.push(s);
    }
    if (cleanable.length === 0) return null;
    const endOffset = segs[cleanable.length]!.baseOffset;
    const first = cleanable[0]!.baseOffset;
    const stored = this.checkpointFor(log).get(`${log.topic}-${log.partition}`) ?? log.logStartOffset;
    const firstDirtyOffset = Math.min(Math.max(stored, first, log.logStartOffset), endOffset);
    let dirtyBytes = 0, totalBytes = 0;
    cleanable.forEach((s, i) => {
      totalBytes += s.size;
      const end = segs[i + 1]!.baseOffset;
      if (end > firstDirtyOffset) dirtyBytes += s.size;
    });
    return { segments: cleanable, firstDirtyOffset, endOffset, dirtyBytes, totalBytes };
  }

  /** Dirty ratio of `log` (0 when nothing is cleanable). */
  dirtyRatio(log: CleanerLog): number {
    const p = this.plan(log);
    return p === null || p.totalBytes === 0 ? 0 : p.dirtyBytes / p.totalBytes;
  }

  /**
   * Cleans `log` once if its dirty ratio reaches min.cleanable.dirty.ratio (always when
   * `force`). Resolves to what was done, or null when there was nothing to do.
   */
  cleanLog(log: CleanerLog, opts: { force?: boolean } = {}): Promise<CleanStats | null> {
    const run = this.#chain.then(() => this.#clean(log, opts.force ?? false));
    this.#chain = run.catch(() => undefined);
    return run;
  }

  /** One pass over `logs`, dirtiest first; resolves to the logs cleaned. Errors are reported, not thrown. */
  async runOnce(logs: Iterable<CleanerLog>, onError?: (log: CleanerLog, err: unknown) => void): Promise<CleanStats[]> {
    const ranked = [...logs].map((l) => ({ l, r: this.dirtyRatio(l) }))
      .filter((x) => x.r > 0 && x.r >= x.l.config.minCleanableDirtyRatio).sort((a, b) => b.r - a.r);
    const out: CleanStats[] = [];
    for (const { l } of ranked) {
      try {
        const s = await this.cleanLog(l);
        if (s !== null) out.push(s);
      } catch (err) { onError?.(l, err); }
    }
    return out;
  }

  async #clean(log: CleanerLog, force: boolean): Promise<CleanStats | null> {
    const now = this.#clock();
    const plan = this.plan(log, now);
    if (plan === null || plan.dirtyBytes === 0) return null;
    if (!force && plan.dirtyBytes / plan.totalBytes < log.config.minCleanableDirtyRatio) return null;
    const c = log.config;
    const result = await this.#runClean({
      dir: log.dir,
      segments: plan.segments.map((s) => ({ base: s.baseOffset, size: s.size, largestTimestamp: s.largestTimestamp })),
      endOffset: plan.endOffset, firstDirtyOffset: plan.firstDirtyOffset, now,
      deleteRetentionMs: c.deleteRetentionMs, segmentBytes: c.segmentBytes,
      indexIntervalBytes: c.indexIntervalBytes, maxIndexSize: c.segmentIndexBytes,
    });
    let installed = 0, replaced = 0, complete = true;
    for (const g of result.groups) {
      if (log.isClosed) { complete = false; break; }
      if (await installCleanedGroup(log, g, { indexIntervalBytes: c.indexIntervalBytes, maxIndexSize: c.segmentIndexBytes, now })) {
        installed++; replaced += g.replaced.length;
      } else complete = false;
    }
    const tp = `${log.topic}-${log.partition}`;
    if (complete) await this.checkpointFor(log).set(tp, plan.endOffset);
    const { groups: _g, ...rest } = result;
    return { ...rest, topicPartition: tp, firstDirtyOffset: plan.firstDirtyOffset, endOffset: plan.endOffset,
      segmentsBefore: plan.segments.length, segmentsReplaced: replaced, groupsInstalled: installed };
  }
}
