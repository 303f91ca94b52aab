// ReplicaManager: turns partition states (MetadataCache) into local roles. For each partition
// this broker replicates: leader → Partition.makeLeader and no fetcher; follower → makeFollower
// and a ReplicaFetcher for its leader (one per leader broker); leader -1 → offline, no fetcher.
// Also runs the ISR-shrink check every replica.lag.time.max.ms / 2 and, on a clean stop, hands
// leaderships over (controlled shutdown) with conditional state writes.
import type { Logger } from 'pino';
import { NetworkLeaderEndpoint } from './leader-endpoint.js';
import type { MetadataCache } from './metadata-cache.js';
import { Partition, type ReplicaLog } from './partition.js';
import { ReplicaFetcher, type FollowerLog, type LeaderEndpoint } from './replica-fetcher.js';
import type { PartitionState } from './zk-data.js';
import type { ZkStore } from './zk-store.js';

export type LocalLog = ReplicaLog & FollowerLog;

export interface ReplicaManagerOptions {
  brokerId: number;
  zk: ZkStore;
  cache: MetadataCache;
  logger: Logger;
  log: (topic: string, partition: number) => LocalLog | undefined;
  minInsyncReplicas: (topic: string) => number;
  replicaLagTimeMaxMs: number;
  replicaFetchMaxBytes: number;
  /** Wakes parked fetches of a partition (Broker.notifyAppend). */
  notify: (topic: string, partition: number, bytes: number) => void;
  /** After a local role change ('gone': no longer hosted); the group coordinator follows __consumer_offsets leaderships. */
  onRoleChange?: (topic: string, partition: number, role: 'leader' | 'follower' | 'offline' | 'gone') => void;
  /** In tests: an endpoint factory instead of the network one. */
  endpointFor?: (leaderId: number) => LeaderEndpoint;
}

const key = (t: string, p: number) => `${t}-${p}`;

export class ReplicaManager {
  readonly #o: ReplicaManagerOptions;
  readonly #partitions = new Map<string, Partition>();
  readonly #fetchers = new Map<number, ReplicaFetcher>();
  #shrinkTimer: NodeJS.Timeout | null = null;
  #stopped = false;

  constructor(o: ReplicaManagerOptions) { this.#o = o; }

  get(topic: string, partition: number): Partition | undefined { return this.#partitions.get(key(topic, partition)); }
  all(): Partition[] { return [...this.#partitions.values()]; }

  start(): void {
    const every = Math.min(5000, Math.max(100, Math.floor(this.#o.replicaLagTimeMaxMs / 2)));
    this.#shrinkTimer = setInterval(() => {
      for (const p of this.#partitions.values()) if (p.role === 'leader') void p.maybeShrinkIsr();
    }, every);
    this.#shrinkTimer.unref();
  }

  #partition(topic: string, partition: number, log: LocalLog): Partition {
    const k = key(topic, partition);
    let p = this.#partitions.get(k);
    if (!p || p.log !== log) {
      p?.close();
      p = new Partition({
        topic, partition, brokerId: this.#o.brokerId, log, replicaLagTimeMaxMs: this.#o.replicaLagTimeMaxMs,
        minInsyncReplicas: () => this.#o.minInsyncReplicas(topic),
        alterIsr: (isr, cur) => this.#alterIsr(topic, partition, isr, cur),
        onHighWatermark: () => this.#o.notify(topic, partition, 1), // wake consumers parked below the new HW
        isLive: (id) => this.#o.cache.brokers.has(id), // only registered brokers join the ISR (KIP-841)
      });
      this.#partitions.set(k, p);
    }
    return p;
  }

  async #alterIsr(topic: string, partition: number, isr: number[], cur: PartitionState): Promise<PartitionState | null> {
    const v = await this.#o.zk.setPartitionState(topic, partition, { leader: cur.leader, leaderEpoch: cur.leaderEpoch, isr, controllerEpoch: cur.controllerEpoch }, cur.partitionEpoch);
    if (v === null) { this.#o.cache.schedule(); return null; }
    this.#o.logger.info({ topic, partition, isr, was: cur.isr }, isr.length < cur.isr.length ? 'ISR shrunk' : 'ISR expanded');
    return { ...cur, isr, partitionEpoch: v };
  }

  #fetcher(leaderId: number): ReplicaFetcher {
    let f = this.#fetchers.get(leaderId);
    if (!f) {
      const endpoint = this.#o.endpointFor?.(leaderId) ?? new NetworkLeaderEndpoint(this.#o.brokerId, () => {
        const b = this.#o.cache.brokers.get(leaderId);
        return b ? { host: b.host, port: b.port } : null;
      });
      f = new ReplicaFetcher(leaderId, endpoint, {
        replicaMaxBytes: this.#o.replicaFetchMaxBytes, maxWaitMs: 500, backoffMs: 200,
        onAppend: (p, bytes) => this.#o.notify(p.topic, p.partition, bytes),
        onTruncate: (p, from, to) => this.#o.logger.info({ topic: p.topic, partition: p.partition, leader: leaderId, leaderEpoch: p.leaderEpoch, from, to },
          'follower truncated its divergent tail'),
        onError: (e, tp) => this.#o.logger.debug({ err: e, tp, leader: leaderId }, 'replica fetch failed; retrying'),
      });
      this.#fetchers.set(leaderId, f);
      f.start();
    }
    return f;
  }

  #unfollow(topic: string, partition: number, except = -1): void {
    for (const [id, f] of this.#fetchers) if (id !== except) f.remove(topic, partition);
  }

  /** Applies the cache's partition states to local roles (after every metadata refresh). */
  async apply(): Promise<void> {
    if (this.#stopped) return;
    const me = this.#o.brokerId;
    const seen = new Set<string>();
    for (const t of this.#o.cache.topics.values()) {
      t.assignment.replicas.forEach((replicas, p) => {
        const s = t.states[p];
        if (!s || !replicas.includes(me)) return;
        const log = this.#o.log(t.name, p);
        if (!log) return;
        seen.add(key(t.name, p));
        const part = this.#partition(t.name, p, log);
        if (s.leader === me) {
          if (part.role !== 'leader' || part.leaderEpoch !== s.leaderEpoch) {
            this.#unfollow(t.name, p);
            part.makeLeader(s, replicas);
            this.#o.logger.info({ topic: t.name, partition: p, leaderEpoch: s.leaderEpoch, isr: s.isr }, 'became leader');
            this.#o.onRoleChange?.(t.name, p, 'leader');
          } else if (s.partitionEpoch > part.state.partitionEpoch) part.updateState(s);
        } else if (part.role === 'leader' || part.leaderEpoch !== s.leaderEpoch || part.leaderId !== s.leader) {
          const wasLeader = part.role === 'leader';
          part.makeFollower(s, replicas);
          if (wasLeader || part.role === 'offline') this.#o.onRoleChange?.(t.name, p, part.role);
          this.#unfollow(t.name, p, s.leader);
          if (s.leader >= 0) this.#fetcher(s.leader).add(part, log);
          this.#o.logger.info({ topic: t.name, partition: p, leader: s.leader, leaderEpoch: s.leaderEpoch }, s.leader >= 0 ? 'became follower' : 'partition offline');
        } else if (s.partitionEpoch > part.state.partitionEpoch) part.updateState(s);
      });
    }
    for (const [k, part] of this.#partitions) {
      if (seen.has(k)) continue;
      const wasLeader = part.role === 'leader';
      part.close();
      if (wasLeader) this.#o.onRoleChange?.(part.topic, part.partition, 'gone');
      this.#unfollow(part.topic, part.partition);
      this.#partitions.delete(k);
    }
  }

  /**
   * Controlled shutdown: for each partition we lead, the next live ISR member (assignment order)
   * becomes leader with epoch + 1; as a follower we leave the ISR. Conditional writes; a lost
   * race is left to the controller.
   */
  async handOver(): Promise<number> {
    const me = this.#o.brokerId;
    const live = new Set(this.#o.cache.brokers.keys());
    let moved = 0;
    for (const p of this.#partitions.values()) {
      const s = p.state;
      if (s.partitionEpoch < 0 || !s.isr.includes(me)) continue;
      const isr = s.isr.filter((r) => r !== me);
      let next: Omit<PartitionState, 'partitionEpoch'> | null = null;
      if (s.leader === me) {
        const to = p.replicas.find((r) => r !== me && live.has(r) && isr.includes(r));
        if (to !== undefined) next = { leader: to, leaderEpoch: s.leaderEpoch + 1, isr, controllerEpoch: s.controllerEpoch };
      } else if (isr.length > 0) {
        next = { ...s, isr };
      }
      if (!next) continue;
      try {
        if (await this.#o.zk.setPartitionState(p.topic, p.partition, next, s.partitionEpoch) !== null) moved++;
      } catch (e) { this.#o.logger.warn({ err: e, topic: p.topic, partition: p.partition }, 'controlled shutdown: state write failed'); }
    }
    return moved;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#shrinkTimer) clearInterval(this.#shrinkTimer);
    await Promise.all([...this.#fetchers.values()].map((f) => f.stop()));
    this.#fetchers.clear();
    for (const p of this.#partitions.values()) p.close();
  }
}
