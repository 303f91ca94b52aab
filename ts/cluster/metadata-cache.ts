// MetadataCache: this broker's view of the cluster as ZooKeeper holds it: live brokers, the
// controller, and every topic's replica assignment and partition state (leader, epoch, ISR).
// Metadata, FindCoordinator, the ReplicaManager and the Controller read it; only `refresh()`
// (driven by ZooKeeper watches, debounced, plus a slow safety poll) replaces it, as one snapshot.
// Listeners run after each refresh, in registration order.
import type { ZkStore } from './zk-store.js';
import type { BrokerRegistration, PartitionState, TopicAssignment } from './zk-data.js';

export interface TopicMetadata {
  name: string;
  assignment: TopicAssignment;
  /** state per partition; null when the state znode does not exist yet. */
  states: Array<PartitionState | null>;
}

export interface PartitionView {
  leader: number;
  leaderEpoch: number;
  replicas: number[];
  isr: number[];
  offlineReplicas: number[];
}

export class MetadataCache {
  brokers = new Map<number, BrokerRegistration>();
  controllerId = -1;
  topics = new Map<string, TopicMetadata>();
  readonly #zk: ZkStore;
  readonly #listeners: Array<() => void | Promise<void>> = [];
  #timer: NodeJS.Timeout | null = null;
  #poll: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;
  #again = false;
  #stopped = false;
  onError: (e: unknown) => void = () => undefined;

  constructor(zk: ZkStore) {
    this.#zk = zk;
    zk.onChange(() => this.schedule());
  }

  onRefresh(fn: () => void | Promise<void>): void { this.#listeners.push(fn); }

  /** Starts the safety poll; the first refresh must be awaited by the caller. */
  start(pollMs = 2000): void {
    this.#poll = setInterval(() => this.schedule(), pollMs);
    this.#poll.unref();
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    if (this.#poll) clearInterval(this.#poll);
  }

  /** A refresh soon (watch events come in bursts). */
  schedule(delayMs = 10): void {
    if (this.#stopped || this.#timer) return;
    this.#timer = setTimeout(() => { this.#timer = null; void this.refresh().catch((e) => this.onError(e)); }, delayMs);
  }

  /** Re-reads everything (setting watches); concurrent calls coalesce into one more pass. */
  refresh(): Promise<void> {
    if (this.#running) { this.#again = true; return this.#running; }
    this.#running = (async () => {
      try {
        do {
          this.#again = false;
          await this.#load();
          // one failing listener must not end the loop (a pending re-read, #again, would be lost)
          for (const fn of this.#listeners) { try { await fn(); } catch (e) { this.onError(e); } }
        } while (this.#again && !this.#stopped);
      } finally { this.#running = null; }
    })();
    return this.#running;
  }

  async #load(): Promise<void> {
    const zk = this.#zk;
    const brokers = new Map<number, BrokerRegistration>();
    for (const b of await zk.brokers(true)) brokers.set(b.id, b);
    const controllerId = await zk.controllerId(true);
    const topics = new Map<string, TopicMetadata>();
    for (const name of (await zk.topicNames(true)).sort()) {
      const assignment = await zk.assignment(name, true);
      if (!assignment) continue;
      const states: Array<PartitionState | null> = [];
      for (let p = 0; p < assignment.replicas.length; p++) states.push(await zk.partitionState(name, p, true));
      topics.set(name, { name, assignment, states });
    }
    if (this.#stopped) return;
    this.brokers = brokers; this.controllerId = controllerId; this.topics = topics;
  }

  partition(topic: string, partition: number): PartitionView | null {
    const t = this.topics.get(topic);
    const replicas = t?.assignment.replicas[partition];
    if (!t || !replicas) return null;
    const s = t.states[partition];
    return {
      leader: s?.leader ?? -1, leaderEpoch: s?.leaderEpoch ?? -1, replicas, isr: s?.isr ?? [],
      offlineReplicas: replicas.filter((r) => !this.brokers.has(r)),
    };
  }

  /** The coordinator for __consumer_offsets partition `p`: its leader (-1 when offline). */
  leaderOf(topic: string, partition: number): number {
    return this.partition(topic, partition)?.leader ?? -1;
  }
}
