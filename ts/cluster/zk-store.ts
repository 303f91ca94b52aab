// ZkStore: this broker's ZooKeeper session and every read/write of Kafka's znode layout
// (zk-data.ts has the paths and JSON). Nothing else in Samsa talks to ZooKeeper.
//
// Watches: every read can set a watch; all watches call one function (`onChange` listeners),
// which the metadata loader debounces into a re-read. ZooKeeper watches are one-shot; the
// re-read sets them again.
// Writes that decide something are conditional:
// - controller election is a multi-op: create /controller (EPHEMERAL) + setData /controller_epoch
//   expecting the version just read; NODE_EXISTS or BAD_VERSION means another broker won.
// - a partition state is replaced only by setData expecting its zkVersion (partitionEpoch); the
//   controller also adds check(/controller_epoch, its epoch's zkVersion) so a zombie controller
//   whose epoch was superseded loses. A lost write returns null (re-read and decide again).
// Session expiry (the ephemerals are gone): a new session is opened and `onSession` listeners
// run (re-register the broker, re-run the election). Connection loss inside a session is retried
// by the client library; operations fail with a ZkError the caller may retry.
import zookeeper, { type Client, type Watcher } from 'node-zookeeper-client';
import {
  PATHS, PERSISTENT_PATHS, decodeAssignment, decodeBroker, decodeClusterId, decodeController, decodePartitionState,
  decodeTopicConfig, encodeAssignment, encodeBroker, encodeClusterId, encodeController, encodePartitionState, encodeTopicConfig,
  type BrokerRegistration, type PartitionState, type TopicAssignment,
} from './zk-data.js';

const { CreateMode, Exception } = zookeeper;

export class ZkError extends Error {
  readonly code: string;
  readonly zkCode: number;
  constructor(zkCode: number, message: string) {
    super(message);
    this.name = 'ZkError';
    this.zkCode = zkCode;
    this.code = zkCode === Exception.NODE_EXISTS ? 'ZK_NODE_EXISTS' : zkCode === Exception.NO_NODE ? 'ZK_NO_NODE'
      : zkCode === Exception.BAD_VERSION ? 'ZK_BAD_VERSION' : 'ZK_ERROR';
  }
}

function wrap(e: unknown, what: string): Error {
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'number') return new ZkError(code, `ZooKeeper ${what} failed: ${(e as Error).message}`);
  return e as Error;
}

export type ZkOp =
  | { op: 'create'; path: string; data: Buffer | null; ephemeral?: boolean }
  | { op: 'check'; path: string; version: number }
  | { op: 'set'; path: string; data: Buffer; version: number };

export interface ZkStoreOptions {
  connect: string;
  sessionTimeoutMs: number;
  connectTimeoutMs: number;
}

export class ZkStore {
  readonly opts: ZkStoreOptions;
  #client!: Client;
  #closed = false;
  readonly #changeListeners = new Set<() => void>();
  readonly #sessionListeners = new Set<() => void>();
  readonly #watcher: Watcher = () => { for (const fn of this.#changeListeners) fn(); };

  private constructor(opts: ZkStoreOptions) { this.opts = opts; }

  /** Opens a session (ZK_CONNECT_TIMEOUT when no server answers) and creates the persistent paths. */
  static async connect(opts: ZkStoreOptions): Promise<ZkStore> {
    const s = new ZkStore(opts);
    await s.#open();
    for (const p of PERSISTENT_PATHS) await s.mkdirp(p);
    return s;
  }

  #open(): Promise<void> {
    const client = zookeeper.createClient(this.opts.connect, { sessionTimeout: this.opts.sessionTimeoutMs, spinDelay: 200, retries: 2 });
    this.#client = client;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        client.close();
        const err = new Error(`could not connect to ZooKeeper at ${this.opts.connect} within ${this.opts.connectTimeoutMs} ms: ` +
          'start ZooKeeper or fix zookeeper.connect');
        (err as Error & { code: string }).code = 'ZK_CONNECT_TIMEOUT';
        reject(err);
      }, this.opts.connectTimeoutMs);
      client.once('connected', () => { clearTimeout(timer); resolve(); });
      client.on('expired', () => { if (client === this.#client) void this.#renew(); });
      client.connect();
    });
  }

  async #renew(): Promise<void> {
    if (this.#closed) return;
    this.#client.close();
    for (;;) {
      try { await this.#open(); break; } catch { if (this.#closed) return; }
    }
    for (const fn of this.#sessionListeners) fn();
    this.#watcher({} as never);
  }

  onChange(fn: () => void): void { this.#changeListeners.add(fn); }
  /** Runs after a new session replaced an expired one. */
  onSession(fn: () => void): void { this.#sessionListeners.add(fn); }

  close(): void {
    this.#closed = true;
    this.#client.close();
  }

  // ------------------------------------------------------------------ primitives
  #call<T>(what: string, fn: (cb: (e: unknown, r?: T) => void) => void): Promise<T> {
    return new Promise((resolve, reject) => fn((e, r) => (e ? reject(wrap(e, what)) : resolve(r as T))));
  }

  getData(path: string, watch = false): Promise<{ data: Buffer; version: number } | null> {
    return new Promise((resolve, reject) => this.#client.getData(path, watch ? this.#watcher : undefined, (e, data, stat) => {
      if (e && (e as { code?: number }).code === Exception.NO_NODE) {
        // watch for creation instead; if it was created between the two calls (the watch is then
        // a data watch and no creation event comes), fire the watcher now so the caller re-reads
        if (watch) this.#client.exists(path, this.#watcher, (e2, stat) => { if (!e2 && stat) this.#watcher({} as never); });
        resolve(null);
      } else if (e) reject(wrap(e, `getData ${path}`));
      else resolve({ data: data ?? Buffer.alloc(0), version: stat.version });
    }));
  }

  getChildren(path: string, watch = false): Promise<string[]> {
    return new Promise((resolve, reject) => this.#client.getChildren(path, watch ? this.#watcher : undefined, (e, children) => {
      if (e && (e as { code?: number }).code === Exception.NO_NODE) resolve([]);
      else if (e) reject(wrap(e, `getChildren ${path}`));
      else resolve(children);
    }));
  }

  mkdirp(path: string): Promise<void> {
    return this.#call<string>(`mkdirp ${path}`, (cb) => this.#client.mkdirp(path, null, CreateMode.PERSISTENT, cb)).then(() => undefined);
  }

  create(path: string, data: Buffer | null, ephemeral = false): Promise<void> {
    return this.#call<string>(`create ${path}`, (cb) => this.#client.create(path, data, ephemeral ? CreateMode.EPHEMERAL : CreateMode.PERSISTENT, cb))
      .then(() => undefined);
  }

  setData(path: string, data: Buffer, version = -1): Promise<number> {
    return this.#call<{ version: number }>(`setData ${path}`, (cb) => this.#client.setData(path, data, version, cb)).then((s) => s.version);
  }

  async removeRecursive(path: string): Promise<void> {
    try {
      await this.#call<void>(`remove ${path}`, (cb) => this.#client.removeRecursive(path, -1, cb));
    } catch (e) { if ((e as ZkError).code !== 'ZK_NO_NODE') throw e; }
  }

  /**
   * Atomic multi-op. node-zookeeper-client's Transaction turns an expected version of 0 into -1
   * ("any version") with `version || -1`, which would make the first conditional write on a
   * fresh znode unconditional, so the version is written into the queued op directly.
   */
  multi(ops: ZkOp[]): Promise<void> {
    const tx = this.#client.transaction() as ReturnType<Client['transaction']> & { ops: Array<{ version?: number }> };
    for (const op of ops) {
      if (op.op === 'create') tx.create(op.path, op.data, op.ephemeral ? CreateMode.EPHEMERAL : CreateMode.PERSISTENT);
      else if (op.op === 'check') { tx.check(op.path, op.version); tx.ops[tx.ops.length - 1]!.version = op.version; }
      else { tx.setData(op.path, op.data, op.version); tx.ops[tx.ops.length - 1]!.version = op.version; }
    }
    return this.#call<unknown[]>('multi', (cb) => tx.commit(cb)).then(() => undefined);
  }

  // ------------------------------------------------------------------ brokers
  /**
   * Creates /brokers/ids/<id>. A registration left by this id's previous (killed) process lives
   * until its session times out, so NODE_EXISTS is retried for up to two session timeouts.
   */
  async registerBroker(reg: BrokerRegistration): Promise<void> {
    const deadline = Date.now() + 2 * this.opts.sessionTimeoutMs + 2000;
    for (;;) {
      try { return await this.create(PATHS.broker(reg.id), encodeBroker(reg), true); } catch (e) {
        if ((e as ZkError).code !== 'ZK_NODE_EXISTS' || Date.now() > deadline) {
          if ((e as ZkError).code === 'ZK_NODE_EXISTS') {
            throw new ZkError((e as ZkError).zkCode, `broker.id ${reg.id} is already registered in ZooKeeper by a live broker: give each broker its own broker.id`);
          }
          throw e;
        }
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  async brokers(watch = false): Promise<BrokerRegistration[]> {
    const ids = (await this.getChildren(PATHS.brokerIds, watch)).map(Number).filter(Number.isInteger).sort((a, b) => a - b);
    const out: BrokerRegistration[] = [];
    for (const id of ids) {
      const d = await this.getData(PATHS.broker(id));
      if (d) out.push(decodeBroker(id, d.data));
    }
    return out;
  }

  // ------------------------------------------------------------------ controller
  async controllerId(watch = false): Promise<number> {
    const d = await this.getData(PATHS.controller, watch);
    return d ? decodeController(d.data) : -1;
  }

  /** One election attempt. Returns the new controller epoch and its zkVersion, or null if another broker is controller. */
  async tryElectController(brokerId: number): Promise<{ epoch: number; epochZkVersion: number } | null> {
    let cur = await this.getData(PATHS.controllerEpoch);
    if (!cur) {
      try { await this.create(PATHS.controllerEpoch, Buffer.from('0')); } catch (e) { if ((e as ZkError).code !== 'ZK_NODE_EXISTS') throw e; }
      cur = await this.getData(PATHS.controllerEpoch);
      if (!cur) return null;
    }
    const epoch = Number(cur.data.toString('utf8') || '0') + 1;
    try {
      await this.multi([
        { op: 'create', path: PATHS.controller, data: encodeController(brokerId), ephemeral: true },
        { op: 'set', path: PATHS.controllerEpoch, data: Buffer.from(String(epoch)), version: cur.version },
      ]);
    } catch (e) {
      if (e instanceof ZkError || typeof (e as { code?: unknown }).code === 'number') return null;
      throw e;
    }
    return { epoch, epochZkVersion: cur.version + 1 };
  }

  // ------------------------------------------------------------------ cluster id
  /** The cluster id in ZooKeeper; `proposed` is written when there is none yet (first broker wins). */
  async clusterId(proposed: string): Promise<string> {
    const d = await this.getData(PATHS.clusterId);
    if (d) return decodeClusterId(d.data);
    try { await this.create(PATHS.clusterId, encodeClusterId(proposed)); } catch (e) { if ((e as ZkError).code !== 'ZK_NODE_EXISTS') throw e; }
    const again = await this.getData(PATHS.clusterId);
    return again ? decodeClusterId(again.data) : proposed;
  }

  // ------------------------------------------------------------------ topics
  topicNames(watch = false): Promise<string[]> { return this.getChildren(PATHS.brokerTopics, watch); }
  deletedTopicNames(): Promise<string[]> { return this.getChildren(PATHS.deleteTopics); }

  async assignment(topic: string, watch = false): Promise<TopicAssignment | null> {
    const d = await this.getData(PATHS.topic(topic), watch);
    return d ? decodeAssignment(d.data) : null;
  }

  async topicConfig(topic: string, watch = false): Promise<Record<string, string>> {
    const d = await this.getData(PATHS.topicConfig(topic), watch);
    return decodeTopicConfig(d?.data ?? null);
  }

  async partitionState(topic: string, partition: number, watch = false): Promise<PartitionState | null> {
    const d = await this.getData(PATHS.partitionState(topic, partition), watch);
    return d ? decodePartitionState(d.data, d.version) : null;
  }

  /**
   * Creates a topic in one multi-op: assignment, config, and each partition's initial state
   * (leader = first replica, ISR = all replicas, epoch 0). NODE_EXISTS → ZkError ZK_NODE_EXISTS.
   */
  async createTopic(topic: string, a: TopicAssignment, configs: Record<string, string>, controllerEpoch: number): Promise<void> {
    await this.removeRecursive(PATHS.deleteTopic(topic));
    const ops: ZkOp[] = [
      { op: 'create', path: PATHS.topic(topic), data: encodeAssignment(a) },
      { op: 'create', path: PATHS.partitions(topic), data: null },
    ];
    a.replicas.forEach((r, p) => ops.push(...newPartitionOps(topic, p, r, controllerEpoch)));
    await this.multi(ops);
    await this.setTopicConfig(topic, configs);
  }

  /** Adds partitions (CreatePartitions): rewrites the assignment, creates the new partitions' states. */
  async addPartitions(topic: string, a: TopicAssignment, from: number, controllerEpoch: number): Promise<void> {
    const ops: ZkOp[] = [{ op: 'set', path: PATHS.topic(topic), data: encodeAssignment(a), version: -1 }];
    for (let p = from; p < a.replicas.length; p++) ops.push(...newPartitionOps(topic, p, a.replicas[p]!, controllerEpoch));
    await this.multi(ops);
  }

  async setTopicConfig(topic: string, configs: Record<string, string>): Promise<void> {
    const data = encodeTopicConfig(configs);
    try { await this.setData(PATHS.topicConfig(topic), data); } catch (e) {
      if ((e as ZkError).code !== 'ZK_NO_NODE') throw e;
      await this.create(PATHS.topicConfig(topic), data);
    }
  }

  /** Marks `topic` deleted (/admin/delete_topics/<t>) and removes its znodes. */
  async deleteTopic(topic: string): Promise<void> {
    try { await this.create(PATHS.deleteTopic(topic), null); } catch (e) { if ((e as ZkError).code !== 'ZK_NODE_EXISTS') throw e; }
    await this.removeRecursive(PATHS.topic(topic));
    await this.removeRecursive(PATHS.topicConfig(topic));
  }

  /**
   * Conditional partition-state write. Returns the new zkVersion, or null when the znode moved
   * on (BAD_VERSION) or `fence` (controller epoch zkVersion) no longer matches.
   */
  async setPartitionState(topic: string, partition: number, s: Omit<PartitionState, 'partitionEpoch'>, expectedVersion: number,
    fence?: number): Promise<number | null> {
    const path = PATHS.partitionState(topic, partition);
    try {
      if (fence === undefined) return await this.setData(path, encodePartitionState(s), expectedVersion);
      await this.multi([
        { op: 'check', path: PATHS.controllerEpoch, version: fence },
        { op: 'set', path, data: encodePartitionState(s), version: expectedVersion },
      ]);
      return expectedVersion + 1;
    } catch (e) {
      const code = (e as ZkError).code;
      if (code === 'ZK_BAD_VERSION' || code === 'ZK_NO_NODE') return null;
      throw e;
    }
  }
}

function newPartitionOps(topic: string, p: number, replicas: number[], controllerEpoch: number): ZkOp[] {
  return [
    { op: 'create', path: PATHS.partition(topic, p), data: null },
    { op: 'create', path: PATHS.partitionState(topic, p),
      data: encodePartitionState({ leader: replicas[0]!, leaderEpoch: 0, isr: replicas, controllerEpoch }) },
  ];
}
