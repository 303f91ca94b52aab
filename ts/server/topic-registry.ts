// TopicRegistry: the broker's topics (name, topic id, partition count, replication factor, config
// overrides, internal flag) and the only place that creates, deletes, grows or reconfigures one.
//
// Persistence is split as Kafka splits it: each partition directory holds its topic id
// (`partition.metadata`, written by the Log, in Kafka's base64 form), and the TopicStore
// (topic-store.ts: `samsa-topics.json` in the first log dir now, ZooKeeper later) holds the
// partition count, replication factor and overrides. `load()` reconciles the two: a partition
// directory with no registry entry is adopted with its topic id (configs default), a registry
// topic with missing directories gets them recreated empty, a topic marked `deleting` has its
// deletion finished.
//
// Validation follows Kafka's CreateTopics/CreatePartitions/AlterConfigs answers: names (see
// topic-name.ts), '.'/'_' collisions → INVALID_TOPIC_EXCEPTION, partitions ≥ 1 → INVALID_PARTITIONS,
// replication factor 1 (or -1 = default.replication.factor) on this single broker →
// INVALID_REPLICATION_FACTOR, configs through LogConfig → INVALID_CONFIG naming the key, existing
// name → TOPIC_ALREADY_EXISTS. Internal topics may be deleted by clients, as Kafka's broker allows
// (only Kafka's CLI tools refuse); DeleteRecords on them is refused by the handler, as Kafka does.
//
// Concurrency: mutations run one at a time (a promise chain); reads are synchronous snapshots.
// Listeners registered with onChange() run synchronously after each committed change.
import { KafkaError } from '../protocol/error-codes.js';
import { InvalidConfigError } from '../storage/errors.js';
import { parseLogConfig, type LogConfig } from '../storage/log-config.js';
import { readPartitionMetadata } from '../storage/partition-metadata.js';
import { describeTopicConfig, effectiveTopicProps, isTopicConfigKey, type BrokerConfigView, type DescribedConfig } from './topic-config.js';
import { newTopicId, parseTopicId, toKafkaBase64 } from './topic-id.js';
import { findCollision, isInternalTopic, validateTopicName } from './topic-name.js';
import type { TopicRecord, TopicStore } from './topic-store.js';

const E = {
  UNKNOWN_TOPIC_OR_PARTITION: 3, INVALID_TOPIC_EXCEPTION: 17, TOPIC_ALREADY_EXISTS: 36, INVALID_PARTITIONS: 37,
  INVALID_REPLICATION_FACTOR: 38, INVALID_CONFIG: 40, TOPIC_DELETION_DISABLED: 73,
} as const;

/** The part of a Log the registry uses (storage's Log satisfies it). */
export interface PartitionLog {
  readonly topic: string;
  readonly partition: number;
  readonly dir: string;
  config: LogConfig;
}

/** The part of LogManager the registry uses. */
export interface RegistryLogManager {
  getOrCreateLog(topic: string, partition: number, config: LogConfig, topicId?: string): Promise<PartitionLog>;
  getLog(topic: string, partition: number): PartitionLog | undefined;
  deleteLog(topic: string, partition: number): Promise<unknown>;
  allLogs(): Iterable<PartitionLog>;
}

export interface TopicInfo {
  readonly name: string;
  /** Dashed lowercase UUID (the wire's text form). */
  readonly topicId: string;
  readonly partitions: number;
  readonly replicationFactor: number;
  /** Overrides only; effectiveConfig() adds the broker defaults. */
  readonly configs: Readonly<Record<string, string>>;
  readonly internal: boolean;
}

export type TopicChange =
  | { type: 'created'; topic: TopicInfo }
  | { type: 'deleted'; topic: TopicInfo }
  | { type: 'partitions'; topic: TopicInfo; previous: number }
  | { type: 'configs'; topic: TopicInfo };

export interface CreateTopicOptions {
  /** -1 or omitted: num.partitions. */
  partitions?: number;
  /** -1 or omitted: default.replication.factor. */
  replicationFactor?: number;
  configs?: Record<string, string | null>;
  validateOnly?: boolean;
}

export interface TopicRegistryOptions {
  logManager: RegistryLogManager;
  config: BrokerConfigView & { int(name: string): number; bool(name: string): boolean };
  store: TopicStore;
  /** Number of live brokers (replication factor bound). */
  brokerCount?: number | (() => number);
  /** CLUSTER HOOK (ts/cluster): is this broker a replica of the partition? Only those get a local log. Default: all. */
  hosts?: (topic: string, partition: number) => boolean;
}

/**
 * Effective LogConfig of every stored topic, read straight from the store: the broker passes it
 * to LogManager.open (configFor) so that each log is recovered and scheduled (retention, cleaner)
 * with its overrides from the first moment, before load() runs. Unparseable entries are skipped
 * (their logs start with the broker defaults; load() reports them).
 */
export async function storedTopicLogConfigs(store: TopicStore, config: BrokerConfigView): Promise<Map<string, LogConfig>> {
  const out = new Map<string, LogConfig>();
  for (const r of await store.load()) {
    if (r.deleting) continue;
    try { out.set(r.name, parseLogConfig(effectiveTopicProps({ ...r.configs }, config))); } catch { /* defaults */ }
  }
  return out;
}

export class TopicRegistry {
  readonly #lm: RegistryLogManager;
  readonly #config: TopicRegistryOptions['config'];
  readonly #store: TopicStore;
  readonly #brokerCountOf: () => number;
  readonly #hosts: (topic: string, partition: number) => boolean;
  readonly #byName = new Map<string, TopicInfo>();
  readonly #byId = new Map<string, TopicInfo>();
  readonly #listeners = new Set<(c: TopicChange) => void>();
  #chain: Promise<unknown> = Promise.resolve();

  constructor(opts: TopicRegistryOptions) {
    this.#lm = opts.logManager;
    this.#config = opts.config;
    this.#store = opts.store;
    const bc = opts.brokerCount ?? 1;
    this.#brokerCountOf = typeof bc === 'function' ? bc : () => bc; // cluster mode: live brokers (ts/cluster)
    this.#hosts = opts.hosts ?? (() => true);
  }

  get(name: string): TopicInfo | undefined { return this.#byName.get(name); }
  getById(topicId: string): TopicInfo | undefined { return this.#byId.get(topicId); }
  /** All topics sorted by name. */
  list(): TopicInfo[] { return [...this.#byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)); }
  log(topic: string, partition: number): PartitionLog | undefined {
    return this.#byName.has(topic) ? this.#lm.getLog(topic, partition) : undefined;
  }

  /** Registers a listener; returns the function that removes it. */
  onChange(fn: (c: TopicChange) => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  /** Effective typed LogConfig of a topic (broker defaults + overrides). */
  logConfig(name: string): LogConfig {
    return parseLogConfig(effectiveTopicProps({ ...this.#require(name).configs }, this.#config));
  }

  /** Every topic-level config with value, source and synonyms (DescribeConfigs). */
  effectiveConfig(name: string): DescribedConfig[] {
    return describeTopicConfig({ ...this.#require(name).configs }, this.#config);
  }

  #require(name: string): TopicInfo {
    const t = this.#byName.get(name);
    if (!t) throw new KafkaError(E.UNKNOWN_TOPIC_OR_PARTITION, `topic '${name}' does not exist: create it first (or enable auto.create.topics.enable)`);
    return t;
  }

  #exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#chain.then(fn, fn);
    this.#chain = run.catch(() => undefined);
    return run;
  }

  #emit(c: TopicChange): void {
    for (const fn of this.#listeners) fn(c);
  }

  #put(t: TopicInfo): void {
    const old = this.#byName.get(t.name);
    if (old) this.#byId.delete(old.topicId);
    this.#byName.set(t.name, t);
    this.#byId.set(t.topicId, t);
  }

  #records(extra?: TopicRecord): TopicRecord[] {
    const out: TopicRecord[] = this.list().map((t) => ({
      name: t.name, topicId: t.topicId, partitions: t.partitions, replicationFactor: t.replicationFactor, configs: { ...t.configs },
    }));
    if (extra) out.push(extra);
    return out;
  }

  /** Checks overrides through LogConfig; null values are refused. Returns the clean map. */
  #validateConfigs(configs: Record<string, string | null>, base: Record<string, string> = {}): Record<string, string> {
    const out: Record<string, string> = { ...base };
    for (const [k, v] of Object.entries(configs)) {
      if (v === null) throw new KafkaError(E.INVALID_CONFIG, `config ${k}: a null value is not allowed; omit the key to use the default`);
      out[k] = v;
    }
    try {
      parseLogConfig(effectiveTopicProps(out, this.#config));
    } catch (e) {
      if (e instanceof InvalidConfigError) throw new KafkaError(E.INVALID_CONFIG, e.message);
      throw e;
    }
    return out;
  }

  get #brokerCount(): number { return this.#brokerCountOf(); }

  #replicationFactor(rf: number | undefined): number {
    const value = rf === undefined || rf === -1 ? this.#config.int('default.replication.factor') : rf;
    if (value <= 0) throw new KafkaError(E.INVALID_REPLICATION_FACTOR, `replication factor must be larger than 0, or -1 for the default (got ${value})`);
    if (value > this.#brokerCount) { // INVALID_REPLICATION_FACTOR when too few live brokers
      throw new KafkaError(E.INVALID_REPLICATION_FACTOR,
        `replication factor ${value} is larger than the number of available brokers (${this.#brokerCount}): use 1 or -1`);
    }
    return value;
  }

  create(name: string, opts: CreateTopicOptions = {}): Promise<TopicInfo> {
    return this.#exclusive(async () => {
      validateTopicName(name);
      if (this.#byName.has(name)) throw new KafkaError(E.TOPIC_ALREADY_EXISTS, `topic '${name}' already exists`);
      const collision = findCollision(name, this.#byName.keys());
      if (collision) {
        throw new KafkaError(E.INVALID_TOPIC_EXCEPTION,
          `topic '${name}' collides with existing topic '${collision}' ('.' and '_' are equivalent in metric names): choose another name`);
      }
      const partitions = opts.partitions === undefined || opts.partitions === -1 ? this.#config.int('num.partitions') : opts.partitions;
      if (!Number.isInteger(partitions) || partitions < 1) {
        throw new KafkaError(E.INVALID_PARTITIONS, `number of partitions must be at least 1, or -1 for num.partitions (got ${partitions})`);
      }
      const replicationFactor = this.#replicationFactor(opts.replicationFactor);
      const configs = this.#validateConfigs(opts.configs ?? {});
      const topic: TopicInfo = { name, topicId: newTopicId(), partitions, replicationFactor, configs, internal: isInternalTopic(name) };
      if (opts.validateOnly) return topic;
      await this.#store.save(this.#records({ ...topic, configs: { ...configs } }));
      this.#put(topic);
      const logConfig = this.logConfig(name);
      for (let p = 0; p < partitions; p++) if (this.#hosts(name, p)) await this.#lm.getOrCreateLog(name, p, logConfig, toKafkaBase64(topic.topicId));
      this.#emit({ type: 'created', topic });
      return topic;
    });
  }

  delete(name: string): Promise<TopicInfo> {
    return this.#exclusive(async () => {
      const topic = this.#require(name);
      if (!this.#config.bool('delete.topic.enable')) {
        throw new KafkaError(E.TOPIC_DELETION_DISABLED, 'topic deletion is disabled on this broker (delete.topic.enable=false)');
      }
      await this.#store.save(this.#records().map((r) => (r.name === name ? { ...r, deleting: true } : r)));
      for (let p = 0; p < topic.partitions; p++) if (this.#lm.getLog(name, p)) await this.#lm.deleteLog(name, p);
      this.#byName.delete(name);
      this.#byId.delete(topic.topicId);
      await this.#store.save(this.#records());
      this.#emit({ type: 'deleted', topic });
      return topic;
    });
  }

  createPartitions(name: string, totalCount: number, validateOnly = false): Promise<TopicInfo> {
    return this.#exclusive(async () => {
      const topic = this.#require(name);
      if (!Number.isInteger(totalCount) || totalCount <= topic.partitions) {
        throw new KafkaError(E.INVALID_PARTITIONS, totalCount === topic.partitions
          ? `topic '${name}' already has ${totalCount} partitions`
          : `topic '${name}' has ${topic.partitions} partitions; the count can only grow (requested ${totalCount})`);
      }
      const grown: TopicInfo = { ...topic, partitions: totalCount };
      if (validateOnly) return grown;
      await this.#store.save(this.#records().map((r) => (r.name === name ? { ...r, partitions: totalCount } : r)));
      this.#put(grown);
      const logConfig = this.logConfig(name);
      for (let p = topic.partitions; p < totalCount; p++) if (this.#hosts(name, p)) await this.#lm.getOrCreateLog(name, p, logConfig, toKafkaBase64(topic.topicId));
      this.#emit({ type: 'partitions', topic: grown, previous: topic.partitions });
      return grown;
    });
  }

  /**
   * Changes overrides: `set` adds/replaces keys, `remove` drops them (back to the default).
   * With `replace`, the overrides become exactly `set` (legacy AlterConfigs semantics).
   */
  alterConfigs(name: string, change: { set?: Record<string, string | null>; remove?: string[]; replace?: boolean }, validateOnly = false): Promise<TopicInfo> {
    return this.#exclusive(async () => {
      const topic = this.#require(name);
      const base: Record<string, string> = change.replace ? {} : { ...topic.configs };
      for (const k of change.remove ?? []) {
        if (!(k in base) && !isTopicConfigKey(k)) throw new KafkaError(E.INVALID_CONFIG, `config ${k}: unknown topic config`);
        delete base[k];
      }
      const configs = this.#validateConfigs(change.set ?? {}, base);
      const updated: TopicInfo = { ...topic, configs };
      if (validateOnly) return updated;
      await this.#store.save(this.#records().map((r) => (r.name === name ? { ...r, configs: { ...configs } } : r)));
      this.#put(updated);
      const logConfig = this.logConfig(name);
      for (let p = 0; p < topic.partitions; p++) {
        const log = this.#lm.getLog(name, p);
        if (log) log.config = logConfig;
      }
      this.#emit({ type: 'configs', topic: updated });
      return updated;
    });
  }

  /** Re-applies broker defaults to every log (after a dynamic broker config change). */
  refreshLogConfigs(): void {
    for (const t of this.#byName.values()) {
      const cfg = this.logConfig(t.name);
      for (let p = 0; p < t.partitions; p++) { const log = this.#lm.getLog(t.name, p); if (log) log.config = cfg; }
    }
  }

  /** Loads the store and reconciles it with the partition directories the LogManager opened. */
  load(): Promise<void> {
    return this.#exclusive(async () => {
      this.#byName.clear(); this.#byId.clear();
      const records = await this.#store.load();
      const logsByTopic = new Map<string, PartitionLog[]>();
      for (const log of this.#lm.allLogs()) {
        const list = logsByTopic.get(log.topic) ?? [];
        list.push(log);
        logsByTopic.set(log.topic, list);
      }
      let dirty = false;
      for (const r of records) {
        const logs = logsByTopic.get(r.name) ?? [];
        logsByTopic.delete(r.name);
        if (r.deleting) {
          for (const log of logs) await this.#lm.deleteLog(r.name, log.partition);
          dirty = true;
          continue;
        }
        const partitions = Math.max(r.partitions, ...logs.map((l) => l.partition + 1));
        if (partitions !== r.partitions) dirty = true;
        this.#put({ name: r.name, topicId: parseTopicId(r.topicId) ?? newTopicId(), partitions, replicationFactor: r.replicationFactor,
          configs: { ...r.configs }, internal: isInternalTopic(r.name) });
      }
      for (const [name, logs] of logsByTopic) {
        let topicId: string | null = null;
        for (const log of logs) topicId ??= parseTopicId(readPartitionMetadata(log.dir) ?? '');
        this.#put({ name, topicId: topicId ?? newTopicId(), partitions: Math.max(...logs.map((l) => l.partition + 1)),
          replicationFactor: 1, configs: {}, internal: isInternalTopic(name) });
        dirty = true;
      }
      if (dirty) await this.#store.save(this.#records());
      for (const t of this.#byName.values()) {
        const cfg = this.logConfig(t.name);
        for (let p = 0; p < t.partitions; p++) {
          const log = this.#lm.getLog(t.name, p) ?? (this.#hosts(t.name, p) ? await this.#lm.getOrCreateLog(t.name, p, cfg, toKafkaBase64(t.topicId)) : undefined);
          if (log) log.config = cfg;
        }
      }
    });
  }
}
