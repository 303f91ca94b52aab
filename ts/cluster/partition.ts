// Partition: one replicated partition on this broker, and the ONLY writer of its leader epoch,
// ISR and high watermark (Kafka's Partition). Roles come from the partition state znode
// (controller/ZooKeeper → ReplicaManager → makeLeader/makeFollower/updateState).
//
// Leader duties:
// - tracks each follower's log end offset (LEO) from its Fetch requests (fetchOffset = LEO) and
//   when it last caught up (Kafka's Replica.isCaughtUp): a fetch at/after the leader's current LEO
//   → caught up now; a fetch at/after the LEO the leader had at the follower's previous fetch →
//   caught up as of that previous fetch.
// - maximal ISR (KIP-497): the committed ISR (the state znode) plus the members of an ISR write
//   still in flight. A pending expansion counts the new member at once; a pending shrink keeps
//   the leaving members until ZooKeeper has the smaller ISR. Example: committed {1,2}, expanding
//   to {1,2,3} → maximal {1,2,3}; committed {1,2,3}, shrinking to {1,2} → maximal {1,2,3}.
// - high watermark = min LEO over the maximal ISR (the leader's own LEO = its written end) and
//   over any live replica outside it that is caught up (Kafka's shouldWaitForReplicaToJoinIsr:
//   the HW does not run ahead of a follower about to join), never moving back, and not advancing
//   while the COMMITTED |ISR| < effective min ISR (KAFKA-15583, Kafka ≥ 3.7).
//   Example: ISR {1,2,3}, LEOs 1:120 2:110 3:100 → HW 100; broker 3 fetches at 120 → HW 110.
// - ISR shrink: a follower not caught up for replica.lag.time.max.ms leaves; ISR expand: a
//   replica whose LEO reached the HW joins. Both are conditional writes of the state znode
//   (AlterPartition semantics through `alterIsr`); a lost write (stale partition epoch) changes
//   nothing here, and the new state arrives through updateState.
// - acks=all (Kafka's appendRecordsToLeader / checkEnoughReplicasReachOffset): refused before
//   append with NOT_ENOUGH_REPLICAS when the COMMITTED |ISR| < min ISR; a produce then waits
//   (purgatory) until HW ≥ its last offset + 1, and is answered when the HW gets there: success
//   if the MAXIMAL |ISR| ≥ min ISR, else NOT_ENOUGH_REPLICAS_AFTER_APPEND. NOT_LEADER_OR_FOLLOWER
//   if leadership moves, REQUEST_TIMED_OUT after the request timeout. An ISR that shrinks under
//   min ISR while a produce waits does not fail it: the HW stops (KAFKA-15583), so the produce
//   succeeds if the ISR recovers in time and times out otherwise, as in Kafka ≥ 3.7.
// Follower duties: the high watermark is min(leader's HW from the fetch response, own LEO).
//
// Concurrency: single-threaded; at most one ISR write in flight (`#pendingIsr`, its target ISR).
import { ErrorCode, KafkaError } from '../protocol/error-codes.js';
import type { PartitionState } from './zk-data.js';

/** What Partition needs of a storage Log (storage's Log satisfies it). */
export interface ReplicaLog {
  readonly logEndOffset: number;
  readonly writtenEndOffset: number;
  readonly logStartOffset: number;
  highWatermark: number;
  readonly epochCache: { assign(epoch: number, startOffset: number): boolean; flush(): Promise<void> };
}

export interface PartitionOptions {
  topic: string;
  partition: number;
  brokerId: number;
  log: ReplicaLog;
  clock?: () => number;
  replicaLagTimeMaxMs: number;
  /** min.insync.replicas of the topic (read on each use: it may be altered). */
  minInsyncReplicas: () => number;
  /** Conditional ISR write; resolves with the new state, or null when it lost (stale epoch). */
  alterIsr: (isr: number[], current: PartitionState) => Promise<PartitionState | null>;
  /** Called when the high watermark moved (wakes consumer fetches). */
  onHighWatermark?: (hw: number) => void;
  /** May broker `id` be in the ISR (registered in ZooKeeper)? Default: yes. KIP-841's eligibility. */
  isLive?: (id: number) => boolean;
}

export type Role = 'leader' | 'follower' | 'offline';

interface FollowerState { leo: number; lastCaughtUpMs: number; lastFetchMs: number; lastFetchLeaderLeo: number }
interface AckWaiter { offset: number; resolve(): void; reject(e: Error): void; timer: NodeJS.Timeout | null }

const err = (name: string, msg: string) => new KafkaError(ErrorCode[name]!, msg);

export class Partition {
  readonly topic: string;
  readonly partition: number;
  readonly brokerId: number;
  readonly log: ReplicaLog;
  #opts: PartitionOptions;
  #clock: () => number;
  #role: Role = 'offline';
  #state: PartitionState = { leader: -1, leaderEpoch: -1, isr: [], controllerEpoch: 0, partitionEpoch: -1 };
  #replicas: number[] = [];
  #followers = new Map<number, FollowerState>();
  #waiters: AckWaiter[] = [];
  /** Target ISR of the write in flight, or null. */
  #pendingIsr: number[] | null = null;

  constructor(opts: PartitionOptions) {
    this.topic = opts.topic; this.partition = opts.partition; this.brokerId = opts.brokerId; this.log = opts.log;
    this.#opts = opts; this.#clock = opts.clock ?? Date.now;
  }

  get role(): Role { return this.#role; }
  get leaderId(): number { return this.#state.leader; }
  get leaderEpoch(): number { return this.#state.leaderEpoch; }
  /** The committed ISR (as in ZooKeeper). */
  get isr(): readonly number[] { return this.#state.isr; }
  /** Committed ISR plus the members of an ISR write in flight (KIP-497). */
  get maximalIsr(): readonly number[] {
    const pending = this.#pendingIsr;
    if (!pending) return this.#state.isr;
    return [...this.#state.isr, ...pending.filter((r) => !this.#state.isr.includes(r))];
  }
  get replicas(): readonly number[] { return this.#replicas; }
  get state(): PartitionState { return this.#state; }
  get highWatermark(): number { return this.log.highWatermark; }
  /** Followers' log end offsets as this leader knows them. */
  followerLeo(id: number): number { return this.#followers.get(id)?.leo ?? -1; }

  /** Effective min ISR = min(min.insync.replicas, replica count) (Kafka). */
  get effectiveMinIsr(): number { return Math.max(1, Math.min(this.#opts.minInsyncReplicas(), this.#replicas.length || 1)); }

  makeLeader(state: PartitionState, replicas: number[]): void {
    const newEpoch = this.#role !== 'leader' || state.leaderEpoch !== this.#state.leaderEpoch;
    this.#state = { ...state, isr: [...state.isr] };
    this.#replicas = [...replicas];
    if (newEpoch) {
      this.#role = 'leader';
      const now = this.#clock();
      this.#followers.clear();
      for (const r of replicas) if (r !== this.brokerId) this.#followers.set(r, { leo: -1, lastCaughtUpMs: state.isr.includes(r) ? now : 0, lastFetchMs: 0, lastFetchLeaderLeo: -1 });
      this.log.highWatermark = this.log.highWatermark; // pin it: from here only this class moves it
      if (this.log.epochCache.assign(state.leaderEpoch, this.log.logEndOffset)) void this.log.epochCache.flush().catch(() => undefined);
    }
    this.#afterIsrChange();
  }

  makeFollower(state: PartitionState, replicas: number[]): void {
    this.#state = { ...state, isr: [...state.isr] };
    this.#replicas = [...replicas];
    if (this.#role !== 'follower') this.log.highWatermark = Math.min(this.log.highWatermark, this.log.logEndOffset);
    this.#role = state.leader >= 0 ? 'follower' : 'offline';
    this.#followers.clear();
    this.#failWaiters(err('NOT_LEADER_OR_FOLLOWER', `broker ${this.brokerId} is no longer the leader of ${this.topic}-${this.partition} (leader ${state.leader}, epoch ${state.leaderEpoch})`));
  }

  /** A newer state of the same leadership (ISR changed by us or the controller). */
  updateState(state: PartitionState): void {
    if (this.#role === 'leader' && state.leader === this.brokerId && state.leaderEpoch === this.#state.leaderEpoch) {
      this.#state = { ...state, isr: [...state.isr] };
      this.#afterIsrChange();
    } else {
      this.#state = { ...state, isr: [...state.isr] };
    }
  }

  // ------------------------------------------------------------------ produce path (leader)
  /** Before append: NOT_LEADER_OR_FOLLOWER off the leader; NOT_ENOUGH_REPLICAS for acks=all under min ISR. */
  checkProduce(acks: number): void {
    if (this.#role !== 'leader') {
      throw err('NOT_LEADER_OR_FOLLOWER', `broker ${this.brokerId} is not the leader of ${this.topic}-${this.partition}` +
        (this.#state.leader >= 0 ? ` (broker ${this.#state.leader} is): refresh metadata` : ': no leader is available yet'));
    }
    if (acks === -1 && this.#state.isr.length < this.effectiveMinIsr) {
      throw err('NOT_ENOUGH_REPLICAS', `${this.topic}-${this.partition} has ${this.#state.isr.length} in-sync replicas [${this.#state.isr.join(',')}] ` +
        `but min.insync.replicas is ${this.effectiveMinIsr}: bring replicas back or produce with acks=1`);
    }
  }

  /** After the local append of offsets up to `endOffset - 1` was written: waits for the ISR (acks=all). */
  waitForIsr(endOffset: number, timeoutMs: number): Promise<void> {
    if (this.#role !== 'leader') return Promise.reject(err('NOT_LEADER_OR_FOLLOWER', `leadership of ${this.topic}-${this.partition} moved while appending`));
    return new Promise((resolve, reject) => {
      const w: AckWaiter = { offset: endOffset, resolve, reject, timer: null };
      this.#waiters.push(w);
      this.maybeIncrementHighWatermark(); // answers at once when the HW is already there
      if (!this.#waiters.includes(w)) return;
      w.timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((x) => x !== w);
        reject(err('REQUEST_TIMED_OUT', `acks=all produce to ${this.topic}-${this.partition} was not replicated to ISR [${this.#state.isr.join(',')}] within ${timeoutMs} ms`));
      }, timeoutMs);
    });
  }

  /** The leader's own log grew (a local append was written). */
  onLocalAppend(): void { this.maybeIncrementHighWatermark(); }

  // ------------------------------------------------------------------ replica fetches (leader)
  /** A follower fetched at `fetchOffset` (its LEO). Returns false if `replicaId` is not a replica. */
  onFollowerFetch(replicaId: number, fetchOffset: number): boolean {
    const f = this.#followers.get(replicaId);
    if (this.#role !== 'leader' || !f) return false;
    const now = this.#clock();
    const leaderLeo = this.log.writtenEndOffset;
    if (fetchOffset >= leaderLeo) f.lastCaughtUpMs = now;
    else if (fetchOffset >= f.lastFetchLeaderLeo && f.lastFetchLeaderLeo >= 0) f.lastCaughtUpMs = Math.max(f.lastCaughtUpMs, f.lastFetchMs);
    f.leo = fetchOffset; f.lastFetchMs = now; f.lastFetchLeaderLeo = leaderLeo;
    this.#maybeExpandIsr(replicaId, f);
    this.maybeIncrementHighWatermark();
    return true;
  }

  /** ISR members (other than the leader) not caught up within replica.lag.time.max.ms. */
  outOfSyncReplicas(now = this.#clock()): number[] {
    if (this.#role !== 'leader') return [];
    return this.#state.isr.filter((r) => {
      if (r === this.brokerId) return false;
      const f = this.#followers.get(r);
      return !f || now - f.lastCaughtUpMs > this.#opts.replicaLagTimeMaxMs;
    });
  }

  /** Periodic check (every replica.lag.time.max.ms / 2 in Kafka): drops lagging followers from the ISR. */
  async maybeShrinkIsr(now = this.#clock()): Promise<boolean> {
    const out = this.outOfSyncReplicas(now);
    if (out.length === 0 || this.#pendingIsr) return false;
    return this.#writeIsr(this.#state.isr.filter((r) => !out.includes(r)));
  }

  #maybeExpandIsr(id: number, f: FollowerState): void {
    if (this.#state.isr.includes(id) || this.#pendingIsr || !this.#replicas.includes(id) || !this.#live(id)) return;
    if (f.leo >= this.log.highWatermark && f.leo >= 0) void this.#writeIsr([...this.#state.isr, id]);
  }

  #live(id: number): boolean { return this.#opts.isLive?.(id) ?? true; }

  async #writeIsr(isr: number[]): Promise<boolean> {
    this.#pendingIsr = [...isr];
    this.maybeIncrementHighWatermark(); // an expansion counts at once (maximal ISR)
    const epoch = this.#state.leaderEpoch;
    try {
      const next = await this.#opts.alterIsr(isr, this.#state);
      if (!next || this.#role !== 'leader' || this.#state.leaderEpoch !== epoch) return false;
      if (next.partitionEpoch > this.#state.partitionEpoch) this.updateState(next);
      return true;
    } catch {
      return false;
    } finally {
      this.#pendingIsr = null;
      this.maybeIncrementHighWatermark(); // a lost or finished write: back to the committed ISR
    }
  }

  #afterIsrChange(): void {
    if (this.#role === 'leader') this.maybeIncrementHighWatermark();
  }

  maybeIncrementHighWatermark(): void {
    if (this.#role !== 'leader') return;
    if (this.#state.isr.length >= this.effectiveMinIsr) { // KAFKA-15583: no HW advance under min ISR
      const maximal = this.maximalIsr;
      const now = this.#clock();
      let hw = this.log.writtenEndOffset;
      for (const r of maximal) if (r !== this.brokerId) hw = Math.min(hw, this.#followers.get(r)?.leo ?? -1);
      for (const [r, f] of this.#followers) { // caught-up live replicas about to join hold the HW back
        if (!maximal.includes(r) && f.leo >= 0 && this.#live(r) && now - f.lastCaughtUpMs <= this.#opts.replicaLagTimeMaxMs) hw = Math.min(hw, f.leo);
      }
      if (hw > this.log.highWatermark) {
        this.log.highWatermark = hw;
        this.#opts.onHighWatermark?.(hw);
      }
    }
    this.#completeWaiters();
  }

  /** Produces whose last offset the HW has reached: acknowledged, unless the maximal ISR is under min ISR. */
  #completeWaiters(): void {
    const hw = this.log.highWatermark;
    if (!this.#waiters.some((w) => w.offset <= hw)) return;
    const done = this.#waiters.filter((w) => w.offset <= hw);
    this.#waiters = this.#waiters.filter((w) => w.offset > hw);
    const maximal = this.maximalIsr, min = this.effectiveMinIsr;
    for (const w of done) {
      if (w.timer) clearTimeout(w.timer);
      if (maximal.length >= min) w.resolve();
      else w.reject(err('NOT_ENOUGH_REPLICAS_AFTER_APPEND', `${this.topic}-${this.partition} has ${maximal.length} in-sync replicas ` +
        `[${maximal.join(',')}], below min.insync.replicas ${min}: the produce was written by the leader but may not be replicated`));
    }
  }

  // ------------------------------------------------------------------ follower
  /** Follower: HW = min(leader's HW, own LEO). */
  updateFollowerHighWatermark(leaderHw: number): void {
    if (this.#role === 'leader') return;
    const hw = Math.min(leaderHw, this.log.logEndOffset);
    if (hw !== this.log.highWatermark) { this.log.highWatermark = hw; this.#opts.onHighWatermark?.(hw); }
  }

  #failWaiters(e: Error): void {
    for (const w of this.#waiters.splice(0)) { if (w.timer) clearTimeout(w.timer); w.reject(e); }
  }

  /** Leaves the partition (deleted or broker stopping): pending produces fail NOT_LEADER_OR_FOLLOWER. */
  close(): void {
    this.#role = 'offline';
    this.#failWaiters(err('NOT_LEADER_OR_FOLLOWER', `${this.topic}-${this.partition} is no longer hosted by broker ${this.brokerId}`));
  }
}
