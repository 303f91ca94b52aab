// ZkTopicStore: the TopicRegistry's persistence in cluster mode (server/topic-store.ts contract),
// on Kafka's znodes: partition count and topic id in /brokers/topics/<t> (with the replica
// assignment), overrides in /config/topics/<t>, deletions marked in /admin/delete_topics/<t>.
// The registry saves its whole topic list; we apply the difference to what ZooKeeper had:
// - new topic: replicas assigned over the LIVE brokers (assignment.ts) and created in one
//   multi-op with each partition's initial state (leader = first replica, ISR = all replicas);
//   NODE_EXISTS (another broker created it first) → TOPIC_ALREADY_EXISTS.
// - more partitions: assignment extended, new partition states created.
// - changed overrides: /config/topics/<t> rewritten.
// - removed or `deleting`: marked in /admin/delete_topics and its znodes removed.
// load() returns the topics in ZooKeeper, plus `deleting` records for marked deletions, so every
// broker's registry removes the local directories of a topic deleted through another broker.
// hosts(topic, p): whether this broker is in the partition's replica list, from the assignments
// last loaded or written here; the registry creates local logs only for those partitions.
import { ErrorCode, KafkaError } from '../protocol/error-codes.js';
import type { TopicRecord, TopicStore } from '../server/topic-store.js';
import { parseTopicId, toKafkaBase64 } from '../server/topic-id.js';
import { assignReplicas } from './assignment.js';
import type { ZkError, ZkStore } from './zk-store.js';

export interface ZkTopicStoreOptions {
  zk: ZkStore;
  brokerId: number;
  liveBrokers: () => number[];
  controllerEpoch: () => number;
}

export class ZkTopicStore implements TopicStore {
  readonly #o: ZkTopicStoreOptions;
  #known = new Map<string, TopicRecord>();
  #replicas = new Map<string, number[][]>();

  constructor(o: ZkTopicStoreOptions) { this.#o = o; }

  /** Is this broker a replica of `topic`-`partition`? Unknown topics: true (the registry decides). */
  hosts(topic: string, partition: number): boolean {
    const r = this.#replicas.get(topic);
    if (!r) return true;
    return r[partition]?.includes(this.#o.brokerId) ?? false;
  }

  async load(): Promise<TopicRecord[]> {
    const zk = this.#o.zk;
    const out: TopicRecord[] = [];
    const names = await zk.topicNames();
    const replicas = new Map<string, number[][]>();
    for (const name of names) {
      const a = await zk.assignment(name);
      if (!a) continue;
      replicas.set(name, a.replicas);
      out.push({
        name, topicId: parseTopicId(a.topicId) ?? a.topicId, partitions: a.replicas.length,
        replicationFactor: a.replicas[0]?.length ?? 1, configs: await zk.topicConfig(name),
      });
    }
    for (const name of await zk.deletedTopicNames()) {
      if (!names.includes(name)) out.push({ name, topicId: '', partitions: 0, replicationFactor: 1, configs: {}, deleting: true });
    }
    this.#known = new Map(out.filter((r) => !r.deleting).map((r) => [r.name, structuredClone(r)]));
    this.#replicas = replicas;
    return out;
  }

  async save(records: readonly TopicRecord[]): Promise<void> {
    const zk = this.#o.zk;
    const names = new Set<string>();
    for (const r of records) {
      names.add(r.name);
      const old = this.#known.get(r.name);
      if (r.deleting) {
        if (old) await zk.deleteTopic(r.name);
        this.#known.delete(r.name);
        this.#replicas.delete(r.name);
        continue;
      }
      if (!old) {
        if (await zk.assignment(r.name)) {
          throw new KafkaError(ErrorCode.TOPIC_ALREADY_EXISTS!, `topic '${r.name}' already exists (created through another broker)`);
        }
        {
          const replicas = assignReplicas(this.#o.liveBrokers(), r.partitions, r.replicationFactor);
          try {
            await zk.createTopic(r.name, { topicId: toKafkaBase64(r.topicId), replicas }, r.configs, this.#o.controllerEpoch());
            this.#replicas.set(r.name, replicas);
          } catch (e) {
            if ((e as ZkError).code === 'ZK_NODE_EXISTS') throw new KafkaError(ErrorCode.TOPIC_ALREADY_EXISTS!, `topic '${r.name}' already exists (created through another broker)`);
            throw e;
          }
        }
      } else {
        if (r.partitions > old.partitions) {
          const a = await zk.assignment(r.name);
          if (a && a.replicas.length < r.partitions) {
            const more = assignReplicas(this.#o.liveBrokers(), r.partitions - a.replicas.length, a.replicas[0]?.length ?? r.replicationFactor,
              { firstPartition: a.replicas.length });
            await zk.addPartitions(r.name, { ...a, replicas: [...a.replicas, ...more] }, a.replicas.length, this.#o.controllerEpoch());
            this.#replicas.set(r.name, [...a.replicas, ...more]);
          }
        }
        if (JSON.stringify(r.configs) !== JSON.stringify(old.configs)) await zk.setTopicConfig(r.name, r.configs);
      }
      this.#known.set(r.name, structuredClone(r));
    }
    for (const name of [...this.#known.keys()]) {
      if (!names.has(name)) { await zk.deleteTopic(name); this.#known.delete(name); this.#replicas.delete(name); }
    }
  }
}
