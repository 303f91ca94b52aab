// Controller: at most one broker at a time (the /controller ephemeral znode) reconciles partition
// leadership with broker liveness. How brokers learn their roles: through ZooKeeper watches on
// the partition state znodes (every broker's MetadataCache re-reads them and its ReplicaManager
// becomes leader/follower), not through LeaderAndIsr requests.
//
// Election: when /controller is absent (startup, or the controller's session ended), every broker
// tries the multi-op of ZkStore.tryElectController; the winner bumps /controller_epoch and fences
// its writes with check(/controller_epoch, version), so a zombie controller's writes fail.
// Reconcile (after every metadata refresh while controller), per partition (electLeader below):
// - leader dead or none: the first replica in assignment order that is live and in the ISR leads,
//   leader epoch + 1, ISR = live ISR. None → with unclean.leader.election.enable the first live
//   replica leads (ISR = [it]); else leader = -1 and the ISR keeps its last member (Kafka).
// - leader live, ISR holds dead brokers: ISR = live ISR, same epoch (acks=all stops waiting for them).
// Controlled shutdown is done by the stopping broker itself (ReplicaManager.handOver), with the
// same conditional writes; the controller only fixes what is left.
import type { Logger } from 'pino';
import type { MetadataCache } from './metadata-cache.js';
import type { PartitionState } from './zk-data.js';
import type { ZkStore } from './zk-store.js';

export interface Election { leader: number; leaderEpoch: number; isr: number[] }

/** The new state for one partition, or null when nothing must change. */
export function electLeader(s: PartitionState, replicas: readonly number[], live: ReadonlySet<number>, unclean: boolean): Election | null {
  const liveIsr = s.isr.filter((r) => live.has(r));
  if (s.leader >= 0 && live.has(s.leader)) {
    if (liveIsr.length === s.isr.length) return null;
    return { leader: s.leader, leaderEpoch: s.leaderEpoch, isr: liveIsr.includes(s.leader) ? liveIsr : [s.leader, ...liveIsr] };
  }
  const fromIsr = replicas.find((r) => live.has(r) && liveIsr.includes(r));
  if (fromIsr !== undefined) return { leader: fromIsr, leaderEpoch: s.leaderEpoch + 1, isr: liveIsr };
  if (unclean) {
    const any = replicas.find((r) => live.has(r));
    if (any !== undefined) return { leader: any, leaderEpoch: s.leaderEpoch + 1, isr: [any] };
  }
  if (s.leader === -1) return null; // already offline
  return { leader: -1, leaderEpoch: s.leaderEpoch + 1, isr: s.isr.length ? [s.isr.includes(s.leader) ? s.leader : s.isr[0]!] : [] };
}

export interface ControllerOptions {
  brokerId: number;
  zk: ZkStore;
  cache: MetadataCache;
  logger: Logger;
  /** unclean.leader.election.enable for a topic. */
  unclean: (topic: string) => boolean;
}

export class Controller {
  readonly #o: ControllerOptions;
  epoch = -1;
  #epochZkVersion = -1;
  #active = false;

  constructor(o: ControllerOptions) { this.#o = o; }

  get isActive(): boolean { return this.#active; }
  get epochZkVersion(): number { return this.#epochZkVersion; }

  /** Runs after every metadata refresh: elect if there is no controller, reconcile if we are it. */
  async onRefresh(): Promise<void> {
    const { cache, zk, brokerId, logger } = this.#o;
    if (cache.controllerId !== brokerId) this.#active = false;
    if (cache.controllerId === -1) {
      const won = await zk.tryElectController(brokerId);
      if (won) {
        this.#active = true; this.epoch = won.epoch; this.#epochZkVersion = won.epochZkVersion;
        cache.controllerId = brokerId;
        logger.info({ controllerEpoch: won.epoch }, `broker ${brokerId} is now the controller`);
      }
    }
    if (this.#active) await this.#reconcile();
  }

  async #reconcile(): Promise<void> {
    const { cache, zk, logger } = this.#o;
    const live = new Set(cache.brokers.keys());
    let changed = false;
    for (const t of cache.topics.values()) {
      for (let p = 0; p < t.states.length; p++) {
        const s = t.states[p];
        if (!s) continue;
        const e = electLeader(s, t.assignment.replicas[p] ?? [], live, this.#o.unclean(t.name));
        if (!e) continue;
        const v = await zk.setPartitionState(t.name, p, { ...e, controllerEpoch: this.epoch }, s.partitionEpoch, this.#epochZkVersion);
        if (v === null) { changed = true; continue; } // lost a race: the next refresh decides again
        logger.info({ topic: t.name, partition: p, leader: e.leader, leaderEpoch: e.leaderEpoch, isr: e.isr },
          e.leader === -1 ? 'partition offline: no live in-sync replica' : 'partition leadership/ISR updated by the controller');
        changed = true;
      }
    }
    if (changed) cache.schedule();
  }

  /** Current controller fence for writes by this broker while it is controller (topic creation). */
  get controllerEpochForWrites(): number { return this.#active ? this.epoch : Math.max(0, this.epoch); }
}
