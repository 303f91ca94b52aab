// MetadataCatchUp: closes the window in which a topic exists in ZooKeeper but this broker has not
// read it yet. Brokers learn topics through their own ZooKeeper watches (metadata-cache.ts), so
// right after CreateTopics through broker X, broker Y may still answer UNKNOWN_TOPIC_OR_PARTITION
// or NOT_LEADER_OR_FOLLOWER for tens of milliseconds. Kafka narrows the same window with the
// controller's LeaderAndIsr-before-UpdateMetadata ordering; here a request that names a topic or
// partition this broker does not know triggers one synchronous re-read before it is answered.
//
// - topic(name): the topic is unknown here (or a partition of it has no local role yet). If
//   ZooKeeper has it, the metadata cache is refreshed (all refresh listeners run: registry,
//   roles) before this resolves true. A topic missing from ZooKeeper, or asked about again within
//   `minIntervalMs`, costs nothing more (no ZooKeeper read per bogus request: clients that poll
//   for a topic that does not exist must not turn into a ZooKeeper load).
// - awaitLeaders(topic, partitions, timeoutMs): CreateTopics' wait (Kafka's
//   DelayedCreatePartitions): until this broker's cache has the topic with a leader for every
//   partition, re-reading ZooKeeper (same session as the creating write: read-your-writes).
// Concurrency: calls for one topic share one pending check.
import type { MetadataCache } from './metadata-cache.js';
import type { ZkStore } from './zk-store.js';

export interface MetadataCatchUpOptions {
  zk: ZkStore;
  cache: MetadataCache;
  /** Is the topic fully known locally (registry and roles), after a refresh? */
  known: (topic: string) => boolean;
  minIntervalMs?: number;
  clock?: () => number;
}

export class MetadataCatchUp {
  readonly #o: MetadataCatchUpOptions;
  readonly #pending = new Map<string, Promise<boolean>>();
  readonly #lastTry = new Map<string, number>();

  constructor(o: MetadataCatchUpOptions) { this.#o = o; }

  /** Resolves true when a re-read happened because ZooKeeper has `topic`. */
  topic(name: string): Promise<boolean> {
    const pending = this.#pending.get(name);
    if (pending) return pending;
    const now = (this.#o.clock ?? Date.now)();
    const last = this.#lastTry.get(name);
    if (last !== undefined && now - last < (this.#o.minIntervalMs ?? 1000)) return Promise.resolve(false);
    if (this.#lastTry.size > 10_000) this.#lastTry.clear();
    this.#lastTry.set(name, now);
    const p = (async () => {
      try {
        if (!(await this.#o.zk.assignment(name))) return false;
        await this.#o.cache.refresh();
        return true;
      } catch { return false; } finally { this.#pending.delete(name); }
    })();
    this.#pending.set(name, p);
    return p;
  }

  /** True when the topic has a leader for each of its `partitions` in this broker's cache within `timeoutMs`. */
  async awaitLeaders(topic: string, partitions: number, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    const ready = () => {
      const t = this.#o.cache.topics.get(topic);
      return !!t && t.states.length >= partitions && t.states.every((s) => s !== null && s.leader >= 0) && this.#o.known(topic);
    };
    for (let wait = 20; ; wait = Math.min(wait * 2, 500)) {
      try { await this.#o.cache.refresh(); } catch { /* retried below until the deadline */ }
      if (ready()) return true;
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await new Promise((r) => setTimeout(r, Math.min(wait, left)));
    }
  }
}
