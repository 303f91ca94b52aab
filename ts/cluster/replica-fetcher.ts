// ReplicaFetcher: one loop per leader broker (Kafka's AbstractFetcherThread) that keeps this
// broker's follower replicas of that leader's partitions in step, over a LeaderEndpoint (the
// network one in leader-endpoint.ts, an in-process one in tests).
//
// Per partition: state 'truncating' → 'fetching'.
// - truncating (just became follower): OffsetForLeaderEpoch(our latest epoch) → the leader's
//   end offset for it; we truncate to min(that, our end offset for the epoch the leader
//   answered, our LEO). If the leader answered an older epoch than we asked, we repeat with it.
//   No epoch on either side → truncate to our high watermark (pre-KIP-101 behaviour).
//   Example (KIP-101 scenario): we hold epoch 1 at [0, 150) and epoch 2 at [150, 170); the new
//   leader's epoch 2 ended at 160 → truncate to 160, then fetch from 160.
// - fetching: Fetch(fetchOffset = our LEO, lastFetchedEpoch = our latest epoch). Records are
//   appended as the leader wrote them (origin 'replica': offsets and epochs kept); the HW
//   becomes min(leader HW, our LEO). A DivergingEpoch answer truncates as above, then fetching
//   resumes. OFFSET_OUT_OF_RANGE below the leader's start → start over at its log start offset.
// - leadership errors (NOT_LEADER_OR_FOLLOWER, FENCED/UNKNOWN_LEADER_EPOCH) and network errors
//   back off and retry; the ReplicaManager removes the partition when the state moves on.
// Lifecycle: start() runs the loop until stop(); add/remove partitions at any time.
import type { Partition } from './partition.js';

export interface FetchPartition {
  topic: string;
  partition: number;
  fetchOffset: number;
  currentLeaderEpoch: number;
  lastFetchedEpoch: number;
  maxBytes: number;
}

export interface FetchedPartition {
  errorCode: number;
  highWatermark: number;
  logStartOffset: number;
  /** Whole batches as the leader stored them (may be empty). */
  records: Buffer;
  divergingEpoch: { epoch: number; endOffset: number } | null;
}

export interface EpochEndOffset { errorCode: number; leaderEpoch: number; endOffset: number }

/** How a follower reaches its leader (Kafka's LeaderEndPoint). Results are keyed `${topic}-${partition}`. */
export interface LeaderEndpoint {
  fetch(parts: FetchPartition[], opts: { maxWaitMs: number; minBytes: number; maxBytes: number }): Promise<Map<string, FetchedPartition>>;
  offsetForLeaderEpoch(parts: Array<{ topic: string; partition: number; currentLeaderEpoch: number; leaderEpoch: number }>): Promise<Map<string, EpochEndOffset>>;
  /** Leader's log start offset (-2, earliest) or end offset (-1, latest). */
  listOffset(topic: string, partition: number, timestamp: -1 | -2, currentLeaderEpoch: number): Promise<number>;
  close(): void;
}

/** What the fetcher needs of a follower's storage Log. */
export interface FollowerLog {
  readonly logEndOffset: number;
  readonly highWatermark: number;
  readonly epochCache: { readonly latestEpoch: number; readonly entries: readonly { epoch: number; startOffset: number }[] };
  append(buf: Buffer, opts: { origin: 'replica' }): Promise<unknown>;
  truncateTo(offset: number): Promise<void>;
  truncateFullyAndStartAt(offset: number): Promise<void>;
}

export interface FetcherOptions {
  replicaMaxBytes: number;
  maxWaitMs: number;
  backoffMs: number;
  onError?: (e: unknown, tp: string | null) => void;
  /** After records were appended (wake fetches parked on this partition). */
  onAppend?: (p: Partition, bytes: number) => void;
  /** After a divergent tail was cut: the log went from `fromOffset` back to `toOffset`. */
  onTruncate?: (p: Partition, fromOffset: number, toOffset: number) => void;
}

interface Fetching { p: Partition; log: FollowerLog; state: 'truncating' | 'fetching'; epoch: number }

const NONE = 0, OFFSET_OUT_OF_RANGE = 1;
const key = (t: string, p: number) => `${t}-${p}`;

/** Whole batches only: cuts a trailing partial batch (an endpoint may return one at a size limit). */
export function wholeBatches(buf: Buffer, fromOffset: number): Buffer {
  let pos = 0, start = -1;
  while (pos + 12 <= buf.length) {
    const size = 12 + buf.readInt32BE(pos + 8);
    if (pos + size > buf.length) break;
    const base = buf.readInt32BE(pos) * 4294967296 + buf.readUInt32BE(pos + 4);
    const lastOffset = base + buf.readInt32BE(pos + 23); // lastOffsetDelta at 23
    if (start < 0 && lastOffset >= fromOffset) start = pos;
    pos += size;
  }
  return start < 0 ? buf.subarray(0, 0) : buf.subarray(start, pos);
}

export class ReplicaFetcher {
  readonly leaderId: number;
  readonly #endpoint: LeaderEndpoint;
  readonly #opts: FetcherOptions;
  readonly #parts = new Map<string, Fetching>();
  #running = false;
  #loop: Promise<void> | null = null;
  #wake: (() => void) | null = null;

  constructor(leaderId: number, endpoint: LeaderEndpoint, opts: FetcherOptions) {
    this.leaderId = leaderId; this.#endpoint = endpoint; this.#opts = opts;
  }

  get size(): number { return this.#parts.size; }
  has(topic: string, partition: number): boolean { return this.#parts.has(key(topic, partition)); }

  /** Starts (or restarts, on a new epoch) following `p`; truncation comes first. */
  add(p: Partition, log: FollowerLog): void {
    const k = key(p.topic, p.partition);
    const cur = this.#parts.get(k);
    if (cur && cur.epoch === p.leaderEpoch) return;
    this.#parts.set(k, { p, log, state: 'truncating', epoch: p.leaderEpoch });
    this.#wake?.();
  }

  remove(topic: string, partition: number): void { this.#parts.delete(key(topic, partition)); }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = this.#run();
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.#wake?.();
    this.#endpoint.close();
    await this.#loop?.catch(() => undefined);
  }

  async #sleep(ms: number): Promise<void> {
    await new Promise<void>((r) => { const t = setTimeout(r, ms); this.#wake = () => { clearTimeout(t); r(); }; });
    this.#wake = null;
  }

  async #run(): Promise<void> {
    while (this.#running) {
      if (this.#parts.size === 0) { await this.#sleep(1000); continue; }
      try {
        const truncating = [...this.#parts.values()].filter((f) => f.state === 'truncating');
        if (truncating.length) await this.#truncate(truncating);
        const fetching = [...this.#parts.values()].filter((f) => f.state === 'fetching');
        if (fetching.length && this.#running) await this.#fetch(fetching);
        else if (!fetching.length) await this.#sleep(this.#opts.backoffMs);
      } catch (e) {
        if (!this.#running) break;
        this.#opts.onError?.(e, null);
        await this.#sleep(this.#opts.backoffMs);
      }
    }
  }

  #current(f: Fetching): boolean {
    return this.#parts.get(key(f.p.topic, f.p.partition)) === f;
  }

  async #truncate(list: Fetching[]): Promise<void> {
    for (let round = 0; round < 8 && list.length; round++) {
      const ask = list.map((f) => ({ topic: f.p.topic, partition: f.p.partition, currentLeaderEpoch: f.epoch, leaderEpoch: f.log.epochCache.latestEpoch }));
      const res = await this.#endpoint.offsetForLeaderEpoch(ask);
      const again: Fetching[] = [];
      for (const f of list) {
        if (!this.#current(f)) continue;
        const r = res.get(key(f.p.topic, f.p.partition));
        if (!r || r.errorCode !== NONE) { this.#opts.onError?.(new Error(`OffsetForLeaderEpoch error ${r?.errorCode}`), key(f.p.topic, f.p.partition)); continue; }
        if (await this.#truncateTo(f, r.leaderEpoch, r.endOffset)) again.push(f);
      }
      list = again;
    }
  }

  /** Truncates by the leader's (epoch, endOffset). Returns true if another round is needed. */
  async #truncateTo(f: Fetching, leaderEpoch: number, leaderEndOffset: number): Promise<boolean> {
    const log = f.log;
    let target: number;
    let done = true;
    if (leaderEpoch < 0 || leaderEndOffset < 0) {
      target = Math.min(log.highWatermark, log.logEndOffset);
    } else {
      const entries = log.epochCache.entries;
      let ours = -1, ourEnd = log.logEndOffset;
      for (let i = 0; i < entries.length; i++) if (entries[i]!.epoch <= leaderEpoch) { ours = entries[i]!.epoch; ourEnd = entries[i + 1]?.startOffset ?? log.logEndOffset; }
      target = Math.min(leaderEndOffset, ourEnd, log.logEndOffset);
      // we lack the leader's epoch: cut back to where our floor epoch ends, then ask again with it
      done = ours === leaderEpoch || ours < 0;
    }
    if (target < log.logEndOffset) {
      const from = log.logEndOffset;
      await log.truncateTo(target);
      this.#opts.onTruncate?.(f.p, from, target);
    }
    f.state = done ? 'fetching' : 'truncating';
    return !done;
  }

  async #fetch(list: Fetching[]): Promise<void> {
    const parts: FetchPartition[] = list.map((f) => ({
      topic: f.p.topic, partition: f.p.partition, fetchOffset: f.log.logEndOffset, currentLeaderEpoch: f.epoch,
      lastFetchedEpoch: f.log.epochCache.latestEpoch, maxBytes: this.#opts.replicaMaxBytes,
    }));
    const res = await this.#endpoint.fetch(parts, { maxWaitMs: this.#opts.maxWaitMs, minBytes: 1, maxBytes: this.#opts.replicaMaxBytes * 10 });
    let backoff = false;
    for (let i = 0; i < list.length; i++) {
      const f = list[i]!, asked = parts[i]!;
      const k = key(f.p.topic, f.p.partition);
      const r = res.get(k);
      if (!r || !this.#current(f) || f.log.logEndOffset !== asked.fetchOffset) continue;
      try {
        if (r.errorCode === NONE && r.divergingEpoch) {
          if (await this.#truncateTo(f, r.divergingEpoch.epoch, r.divergingEpoch.endOffset)) f.state = 'truncating';
        } else if (r.errorCode === NONE) {
          const batches = wholeBatches(r.records, asked.fetchOffset);
          if (batches.length > 0) {
            await f.log.append(batches, { origin: 'replica' });
            this.#opts.onAppend?.(f.p, batches.length);
          }
          f.p.updateFollowerHighWatermark(r.highWatermark);
        } else if (r.errorCode === OFFSET_OUT_OF_RANGE) {
          await this.#outOfRange(f);
        } else {
          backoff = true;
          this.#opts.onError?.(new Error(`fetch from leader ${this.leaderId}: error code ${r.errorCode}`), k);
        }
      } catch (e) {
        backoff = true;
        this.#opts.onError?.(e, k);
      }
    }
    if (backoff) await this.#sleep(this.#opts.backoffMs);
  }

  async #outOfRange(f: Fetching): Promise<void> {
    const leo = f.log.logEndOffset;
    const leaderEnd = await this.#endpoint.listOffset(f.p.topic, f.p.partition, -1, f.epoch);
    if (leo > leaderEnd) { await f.log.truncateTo(leaderEnd); this.#opts.onTruncate?.(f.p, leo, leaderEnd); return; }
    const leaderStart = await this.#endpoint.listOffset(f.p.topic, f.p.partition, -2, f.epoch);
    if (leo < leaderStart) await f.log.truncateFullyAndStartAt(leaderStart);
  }
}
