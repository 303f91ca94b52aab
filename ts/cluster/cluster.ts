// Cluster: the hook object a Broker holds in cluster mode (`zookeeper.connect` set); absent in
// single-broker mode, where nothing here runs and no ZooKeeper is needed.
//
// Broker lifecycle calls: Cluster.connect (ZooKeeper session, cluster id) before the logs open;
// `topicStore` for the TopicRegistry; start() once listening (register /brokers/ids/<id> with the
// advertised port, first metadata load, controller election, roles); stop() on a clean stop
// (controlled shutdown: leaderships handed over, then the session closed).
// Request-path hooks (produce/fetch/metadata handlers): checkProduce/afterAppend, fetchPlan,
// partitionView, brokers, controllerId, hosts, checkLeader; catchUp (a topic or partition not
// known here yet: one ZooKeeper re-read first) and awaitTopicLeaders (CreateTopics answers once
// this broker's cache has a leader for every new partition), both in metadata-catch-up.ts. Group coordination follows the
// leadership of __consumer_offsets partitions (ReplicaManager onRoleChange → GroupCoordinator
// loadPartition/unloadPartition); FindCoordinator answers the partition's leader.
import type { Logger } from 'pino';
import { ErrorCode, KafkaError } from '../protocol/error-codes.js';
import type { Broker } from '../server/broker.js';
import { Controller } from './controller.js';
import { MetadataCache, type PartitionView } from './metadata-cache.js';
import { MetadataCatchUp } from './metadata-catch-up.js';
import type { Partition } from './partition.js';
import { ReplicaManager, type LocalLog } from './replica-manager.js';
import { checkLeaderEpoch, planReplicaRead, type ReplicaReadPlan } from './replica-read.js';
import { ZkStore } from './zk-store.js';
import { ZkTopicStore } from './zk-topic-store.js';
import { OFFSETS_TOPIC } from '../group/offsets-partition.js';
import type { BrokerRegistration } from './zk-data.js';

export class Cluster {
  readonly zk: ZkStore;
  readonly cache: MetadataCache;
  readonly controller: Controller;
  readonly topicStore: ZkTopicStore;
  replicas!: ReplicaManager;
  readonly #catchUp: MetadataCatchUp;
  readonly #broker: Broker;
  readonly #logger: Logger;
  #topicNames = '';
  #started = false;

  private constructor(broker: Broker, zk: ZkStore) {
    this.#broker = broker;
    this.#logger = broker.logger.child({ component: 'cluster' });
    this.zk = zk;
    this.cache = new MetadataCache(zk);
    this.cache.onError = (e) => this.#logger.warn({ err: e }, 'metadata refresh from ZooKeeper failed; retrying');
    this.controller = new Controller({
      brokerId: broker.brokerId, zk, cache: this.cache, logger: this.#logger,
      unclean: (t) => this.#topicConfig(t)?.uncleanLeaderElectionEnable ?? broker.config.bool('unclean.leader.election.enable'),
    });
    this.#catchUp = new MetadataCatchUp({ zk, cache: this.cache, known: (t) => broker.topics.get(t) !== undefined });
    this.topicStore = new ZkTopicStore({ zk, brokerId: broker.brokerId, liveBrokers: () => [...this.cache.brokers.keys()], controllerEpoch: () => Math.max(0, this.controller.epoch) });
  }

  /** Connects to ZooKeeper (zookeeper.connect) and agrees on the cluster id (first broker's wins). */
  static async connect(broker: Broker, proposedClusterId: string): Promise<{ cluster: Cluster; clusterId: string }> {
    const cfg = broker.config;
    const sessionTimeoutMs = cfg.int('zookeeper.session.timeout.ms');
    let connectTimeoutMs = sessionTimeoutMs;
    try { connectTimeoutMs = cfg.int('zookeeper.connection.timeout.ms'); } catch { /* unset: the session timeout */ }
    const zk = await ZkStore.connect({ connect: cfg.string('zookeeper.connect')!, sessionTimeoutMs, connectTimeoutMs: connectTimeoutMs || sessionTimeoutMs });
    const cluster = new Cluster(broker, zk);
    return { cluster, clusterId: await zk.clusterId(proposedClusterId) };
  }

  /** Live broker count for the registry's replication-factor check. */
  get liveBrokerCount(): number { return Math.max(1, this.cache.brokers.size); }

  #topicConfig(topic: string) {
    try { return this.#broker.topics.logConfig(topic); } catch { return undefined; }
  }

  async start(): Promise<void> {
    const b = this.#broker;
    const listener = b.listeners[0]?.name ?? 'PLAINTEXT';
    const ep = b.advertisedEndpoint(listener);
    const reg: BrokerRegistration = { id: b.brokerId, host: ep.host, port: ep.port, rack: b.rack, listener };
    await this.zk.registerBroker(reg);
    this.zk.onSession(() => void this.zk.registerBroker(reg).catch((e) => this.#logger.error({ err: e }, 're-registration after session expiry failed')));
    this.replicas = new ReplicaManager({
      brokerId: b.brokerId, zk: this.zk, cache: this.cache, logger: this.#logger,
      log: (t, p) => b.topics.log(t, p) as unknown as LocalLog | undefined,
      minInsyncReplicas: (t) => this.#topicConfig(t)?.minInsyncReplicas ?? b.config.int('min.insync.replicas'),
      replicaLagTimeMaxMs: b.config.int('replica.lag.time.max.ms'),
      replicaFetchMaxBytes: b.config.int('replica.fetch.max.bytes'),
      notify: (t, p, bytes) => b.notifyAppend(t, p, bytes),
      // group coordinators move with the leadership of __consumer_offsets partitions
      onRoleChange: (t, p, role) => {
        if (t !== OFFSETS_TOPIC) return;
        if (role === 'leader') void b.groups.loadPartition(p);
        else b.groups.unloadPartition(p);
      },
    });
    this.cache.onRefresh(() => this.controller.onRefresh().catch((e) => this.#logger.warn({ err: e }, 'controller step failed')));
    let knownController = -2;
    this.cache.onRefresh(() => { // operators (and flaky tests) want to see controller moves as this broker sees them
      if (this.cache.controllerId === knownController) return;
      this.#logger.info({ from: knownController, to: this.cache.controllerId }, 'controller changed (as seen by this broker)');
      knownController = this.cache.controllerId;
    });
    this.cache.onRefresh(() => this.#syncTopics());
    this.cache.onRefresh(() => this.replicas.apply());
    this.replicas.start();
    await this.cache.refresh();
    this.cache.start();
    this.#started = true;
    this.#logger.info({ brokers: [...this.cache.brokers.keys()], controller: this.cache.controllerId }, 'joined the cluster');
  }

  /** Topics created/deleted through other brokers: the registry re-reads the store. */
  async #syncTopics(): Promise<void> {
    const names = [...this.cache.topics.keys()].sort().map((n) => `${n}:${this.cache.topics.get(n)!.assignment.replicas.length}`).join(',');
    if (names === this.#topicNames) return;
    this.#topicNames = names;
    await this.#broker.topics.load();
  }

  async stop(): Promise<void> {
    if (!this.#started) { this.zk.close(); return; }
    this.#started = false;
    try {
      const moved = await this.replicas.handOver();
      if (moved > 0) this.#logger.info({ partitions: moved }, 'controlled shutdown: leaderships handed over');
    } catch (e) { this.#logger.warn({ err: e }, 'controlled shutdown failed; the controller will move leaderships'); }
    this.cache.stop();
    await this.replicas.stop();
    this.zk.close();
  }

  // ------------------------------------------------------------------ request-path hooks
  partition(topic: string, partition: number): Partition | undefined { return this.replicas?.get(topic, partition); }

  #require(topic: string, partition: number): Partition {
    const p = this.partition(topic, partition);
    if (!p) throw new KafkaError(ErrorCode.NOT_LEADER_OR_FOLLOWER!, `broker ${this.#broker.brokerId} does not host ${topic}-${partition}: refresh metadata`);
    return p;
  }

  /** Produce, before append: leadership and min ISR. Returns the leader epoch to stamp. */
  checkProduce(topic: string, partition: number, acks: number): number {
    const p = this.#require(topic, partition);
    p.checkProduce(acks);
    return p.leaderEpoch;
  }

  /** Produce, after the local append of offsets < endOffset: HW, and the ISR wait for acks=all. */
  async afterAppend(topic: string, partition: number, endOffset: number, acks: number, timeoutMs: number): Promise<void> {
    const p = this.#require(topic, partition);
    p.onLocalAppend();
    if (acks === -1) await p.waitForIsr(endOffset, Math.max(1, timeoutMs));
  }

  /**
   * Fetch, per partition: replicas (replicaId ≥ 0) read to the leader's end and may get a
   * DivergingEpoch; consumers must fetch from the leader (NOT_LEADER_OR_FOLLOWER otherwise).
   */
  fetchPlan(replicaId: number, topic: string, partition: number, fetchOffset: number, currentLeaderEpoch: number,
    lastFetchedEpoch: number, log: LocalLog): ReplicaReadPlan | null {
    const p = this.#require(topic, partition);
    if (replicaId >= 0) return planReplicaRead(p, log, replicaId, fetchOffset, currentLeaderEpoch, lastFetchedEpoch);
    checkLeaderEpoch(p, currentLeaderEpoch);
    return null;
  }

  /** Is this broker a replica of the partition (the registry opens local logs only for those). */
  hosts(topic: string, partition: number): boolean { return this.topicStore.hosts(topic, partition); }

  /**
   * ListOffsets (and other leader-only reads): NOT_LEADER_OR_FOLLOWER off the leader,
   * FENCED/UNKNOWN_LEADER_EPOCH for a stale or future currentLeaderEpoch (-1 = unchecked).
   * Returns the partition's leader epoch.
   */
  checkLeader(topic: string, partition: number, currentLeaderEpoch = -1): number {
    const p = this.#require(topic, partition);
    checkLeaderEpoch(p, currentLeaderEpoch);
    return p.leaderEpoch;
  }

  /**
   * A request names `topic` (or a partition of it) that this broker has no state for yet: when
   * ZooKeeper has the topic, re-read the metadata (registry and roles follow) before answering.
   * Resolves true when it re-read. Rate-limited per topic (metadata-catch-up.ts).
   */
  catchUp(topic: string): Promise<boolean> { return this.#started ? this.#catchUp.topic(topic) : Promise.resolve(false); }

  /** CreateTopics: true once this broker's cache has a leader for each of the topic's partitions, false after `timeoutMs`. */
  awaitTopicLeaders(topic: string, partitions: number, timeoutMs: number): Promise<boolean> {
    return this.#catchUp.awaitLeaders(topic, partitions, timeoutMs);
  }

  partitionView(topic: string, partition: number): PartitionView | null { return this.cache.partition(topic, partition); }
  brokers(): BrokerRegistration[] { return [...this.cache.brokers.values()]; }
  get controllerId(): number { return this.cache.controllerId; }
}
