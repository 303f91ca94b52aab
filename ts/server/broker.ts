// Broker: one Samsa broker process-part: config, logs, topics, handlers, listeners, connections.
//
// Owns (and closes, in this order on stop): the listeners (stop accepting), the FetchPurgatory
// (parked fetches answered at once), the connections (in-flight requests finish and are answered,
// then each socket ends), the TopicRegistry, and the LogManager (flush, checkpoints, the
// `.kafka_cleanshutdown` marker, so the next start rescans nothing).
//
// cluster.id: taken from the first log dir's meta.properties when it exists (generated once,
// then kept), else from the `cluster.id` setting, else a fresh Kafka-style id (22-char URL-safe
// base64 of a random UUID).
//
// Start must stay fast (DESIGN: `npx samsa start` ready well under a second): `startupMs` is
// measured from start() to listening and logged with the recovery summary.
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import { ErrorCode, KafkaError, errorCodeOf } from '../protocol/error-codes.js';
import { parseLogConfig } from '../storage/log-config.js';
import type { Log } from '../storage/log.js';
import { LogManager } from '../storage/log-manager.js';
import type { BrokerConfig } from './config/broker-config.js';
import { ApiRegistry } from './api-registry.js';
import { Connection, type ConnectionLimits } from './connection.js';
import { FetchPurgatory, tpKey } from './fetch-purgatory.js';
import { bindListener, type BoundListener } from './listener.js';
import { storedTopicLogConfigs, TopicRegistry, type TopicInfo } from './topic-registry.js';
import { FileTopicStore } from './topic-store.js';
import { GroupCoordinator } from '../group/group-coordinator.js';
import { brokerCoordinatorHost, coordinatorConfigOf } from '../group/broker-host.js';
import { nativeZeroCopySender } from './zero-copy.js';
import type { ZeroCopySender } from './response-writer.js';
import { Cluster } from '../cluster/cluster.js';

export type { TopicInfo };

export interface BrokerOptions {
  config: BrokerConfig;
  logger: Logger;
  /** Use the native writev+sendfile path for Fetch responses (default true). */
  zeroCopy?: boolean;
  /** Response bytes buffered per connection before it stops reading (default 16 MiB). */
  maxBufferedResponseBytes?: number;
  /** Request bytes being handled per connection before it stops reading (default 64 MiB). */
  maxInFlightRequestBytes?: number;
  /** How long stop() waits for in-flight requests (default 10 s). */
  drainTimeoutMs?: number;
}

export interface Endpoint {
  host: string;
  port: number;
}

function kafkaClusterId(): string {
  return Buffer.from(randomUUID().replaceAll('-', ''), 'hex').toString('base64url');
}

function clusterIdFromMeta(logDir: string): string | null {
  const path = join(logDir, 'meta.properties');
  if (!existsSync(path)) return null;
  const m = /^\s*cluster\.id\s*=\s*(\S+)\s*$/m.exec(readFileSync(path, 'utf8'));
  return m ? m[1]! : null;
}

export class Broker {
  readonly config: BrokerConfig;
  readonly logger: Logger;
  readonly apis = new ApiRegistry();
  readonly purgatory = new FetchPurgatory();
  readonly brokerId: number;
  readonly rack: string | null;
  readonly connections = new Set<Connection>();
  clusterId = '';
  logManager!: LogManager;
  topics!: TopicRegistry;
  /** Consumer groups and committed offsets (ts/group). */
  groups!: GroupCoordinator;
  /** Cluster mode (zookeeper.connect set; ts/cluster): replication hooks. Undefined on a single broker. */
  cluster?: Cluster;
  listeners: BoundListener[] = [];
  /** Milliseconds from start() to listening. */
  startupMs = 0;
  /** Recovery events reported while loading logs (empty after a clean shutdown). */
  recoveryEvents: Array<{ tp: string; reason: string; bytesDropped: number }> = [];
  #opts: BrokerOptions;
  #state: 'new' | 'starting' | 'running' | 'stopping' | 'stopped' = 'new';
  #autoCreates = new Map<string, Promise<TopicInfo>>();
  #zeroCopy: ZeroCopySender | null = null;
  #limits!: ConnectionLimits;

  constructor(opts: BrokerOptions) {
    this.#opts = opts;
    this.config = opts.config;
    this.logger = opts.logger;
    this.brokerId = opts.config.brokerId;
    this.rack = opts.config.string('broker.rack') || null;
  }

  get state(): string {
    return this.#state;
  }

  get autoCreateEnabled(): boolean {
    return this.config.bool('auto.create.topics.enable');
  }

  async start(): Promise<void> {
    if (this.#state !== 'new') throw new Error(`broker already ${this.#state}: create a new Broker to start again`);
    this.#state = 'starting';
    const t0 = performance.now();
    const cfg = this.config;
    const logDirs = cfg.logDirs;
    this.clusterId = clusterIdFromMeta(logDirs[0]!) ?? cfg.clusterId ?? kafkaClusterId();
    this.#limits = {
      maxRequestBytes: cfg.int('socket.request.max.bytes'),
      queuedMaxRequests: cfg.int('queued.max.requests'),
      maxBufferedResponseBytes: this.#opts.maxBufferedResponseBytes ?? 16 * 1024 * 1024,
      maxInFlightRequestBytes: this.#opts.maxInFlightRequestBytes ?? 64 * 1024 * 1024,
    };
    this.#zeroCopy = this.#opts.zeroCopy === false ? null : nativeZeroCopySender();
    try {
      // --- cluster hook (ts/cluster, brief L): ZooKeeper session and the cluster's id first
      if (cfg.string('zookeeper.connect')) {
        const { cluster, clusterId } = await Cluster.connect(this, this.clusterId);
        this.cluster = cluster;
        this.clusterId = clusterId;
      }
      // Topic overrides are known before any log opens: recovery, retention and the cleaner never
      // run a topic with the broker defaults (the registry re-applies them on load()).
      const topicStore = this.cluster?.topicStore ?? new FileTopicStore(logDirs[0]!);
      const topicConfigs = await storedTopicLogConfigs(topicStore, cfg);
      this.logManager = await LogManager.open({
        logDirs,
        configFor: (topic) => topicConfigs.get(topic),
        cleanerEnable: cfg.bool('log.cleaner.enable'),
        cleanerBackoffMs: cfg.int('log.cleaner.backoff.ms'),
        retentionCheckIntervalMs: cfg.int('log.retention.check.interval.ms'),
        producerIdExpirationMs: cfg.int('producer.id.expiration.ms'),
        onCleanerError: (tp, err) => this.logger.warn({ tp, err }, 'log cleaner failed; retried on the next pass'),
        brokerId: this.brokerId,
        clusterId: this.clusterId,
        defaultConfig: parseLogConfig(cfg.topicDefaults()),
        durability: cfg.durability,
        onRecoveryEvent: (tp, e) => {
          this.recoveryEvents.push({ tp, reason: e.reason, bytesDropped: e.bytesDropped });
          this.logger.warn({ tp, segment: e.segment, position: e.position, bytesDropped: e.bytesDropped }, `log recovery: ${e.reason}`);
        },
      });
      this.topics = new TopicRegistry({
        config: cfg, logManager: this.logManager,
        store: topicStore,
        // CLUSTER HOOK: live broker count; local logs only for partitions whose replicas include this broker
        ...(this.cluster ? { brokerCount: () => this.cluster!.liveBrokerCount, hosts: (t: string, p: number) => this.cluster!.hosts(t, p) } : {}),
      });
      await this.topics.load();
      // --- group coordinator hook (ts/group, brief H): loads __consumer_offsets in the background
      this.groups = new GroupCoordinator(brokerCoordinatorHost(this), coordinatorConfigOf(this));
      this.groups.start();
      for (const l of cfg.listeners) {
        this.listeners.push(await bindListener(
          { name: l.name, host: l.allInterfaces ? '' : l.host, port: l.port },
          (socket, name) => this.#accept(socket, name),
        ));
      }
      this.#state = 'running';
      await this.cluster?.start(); // cluster hook: register in ZooKeeper, load metadata, take roles
    } catch (err) {
      await this.#closeAll();
      this.#state = 'stopped';
      throw err;
    }
    this.startupMs = performance.now() - t0;
    this.#state = 'running';
    this.logger.info({
      listeners: this.listeners.map((l) => `${l.name}://${l.host || '*'}:${l.port}`).join(','),
      clusterId: this.clusterId, brokerId: this.brokerId, logDirs: logDirs.join(','),
      topics: this.topics.list().length, recoveryEvents: this.recoveryEvents.length,
      zeroCopy: this.#zeroCopy !== null, startupMs: Math.round(this.startupMs * 10) / 10,
    }, 'broker started');
  }

  /** Stop accepting, answer in-flight requests, flush and checkpoint, write the clean-shutdown marker. */
  async stop(): Promise<void> {
    if (this.#state === 'stopped' || this.#state === 'stopping') return;
    this.#state = 'stopping';
    const t0 = performance.now();
    await this.#closeAll();
    this.#state = 'stopped';
    this.logger.info({ ms: Math.round(performance.now() - t0) }, 'broker stopped');
  }

  async #closeAll(): Promise<void> {
    await this.cluster?.stop().catch((err) => this.logger.warn({ err }, 'cluster stop failed')); // cluster hook: controlled shutdown
    await Promise.all(this.listeners.map((l) => l.stopAccepting()));
    this.purgatory.completeAll();
    this.groups?.shutdown(); // group coordinator hook: answers parked JoinGroup/SyncGroup
    const timeout = this.#opts.drainTimeoutMs ?? 10_000;
    await Promise.all([...this.connections].map((c) => c.drain(timeout)));
    await this.logManager?.close();
  }

  #accept(socket: Socket, listenerName: string): void {
    if (this.#state !== 'running') {
      socket.destroy();
      return;
    }
    const conn = new Connection(socket, listenerName, {
      broker: this,
      apis: this.apis,
      logger: this.logger,
      limits: this.#limits,
      zeroCopy: this.#zeroCopy,
      errorCodeOf,
      onClose: (c) => this.connections.delete(c),
    });
    this.connections.add(conn);
  }

  /** The host/port clients should use for `listenerName` (advertised.listeners, else listeners). */
  advertisedEndpoint(listenerName: string): Endpoint {
    const adv = this.config.advertisedListeners;
    const a = adv.find((l) => l.name === listenerName) ?? adv[0];
    const bound = this.listeners.find((l) => l.name === (a?.name ?? listenerName)) ?? this.listeners[0];
    const host = a && a.host !== '' && a.host !== '0.0.0.0' ? a.host : 'localhost';
    const port = a && a.port !== 0 ? a.port : bound?.port ?? 0;
    return { host, port };
  }

  /** Creates `name` with the broker defaults (auto.create.topics.enable); concurrent calls share one creation. */
  autoCreateTopic(name: string): Promise<TopicInfo> {
    let p = this.#autoCreates.get(name);
    if (!p) {
      p = (async () => {
        try {
          return await this.topics.create(name, { partitions: this.config.int('num.partitions'), replicationFactor: -1, configs: {} });
        } catch (err) {
          const existing = this.topics.get(name);
          if (existing && errorCodeOf(err) === ErrorCode.TOPIC_ALREADY_EXISTS) return existing;
          throw err;
        }
      })().finally(() => this.#autoCreates.delete(name));
      this.#autoCreates.set(name, p);
    }
    return p;
  }

  /** The log of an existing partition, or UNKNOWN_TOPIC_OR_PARTITION. */
  async partitionLog(topic: string, partition: number): Promise<Log> {
    const log = this.topics.log(topic, partition) as Log | undefined;
    if (!log && this.cluster) { // CLUSTER HOOK: an existing partition this broker is not a replica of
      const info = this.topics.get(topic);
      if (info && partition >= 0 && partition < info.partitions) {
        throw new KafkaError(ErrorCode.NOT_LEADER_OR_FOLLOWER!, `broker ${this.brokerId} is not a replica of ${topic}-${partition}: refresh metadata`);
      }
    }
    if (!log) throw new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION!, `topic-partition ${topic}-${partition} does not exist`);
    return log;
  }

  /** Called after `bytes` were appended to a partition (or it became readable): wakes parked fetches. */
  notifyAppend(topic: string, partition: number, bytes: number): void {
    this.purgatory.notify(tpKey(topic, partition), bytes);
  }
}
