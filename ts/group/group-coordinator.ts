// GroupCoordinator: every classic group of this broker, persisted in __consumer_offsets.
//
// Routing: a group lives in partition abs(javaHash(groupId)) % offsets.topic.num.partitions
// (offsets-partition.ts). On a single broker every partition is ours; the partition still
// decides where the group's records go and which load gates it.
// Lifecycle: start() begins loading every existing __consumer_offsets partition in the
// background (requests for groups of a partition still loading get COORDINATOR_LOAD_IN_PROGRESS)
// and starts the timers; the topic is created on first use (FindCoordinator, or any group
// request), compacted, with 100 MiB segments as Kafka creates it. shutdown() answers every
// parked JoinGroup/SyncGroup with NOT_COORDINATOR so that connections can drain.
// Cluster mode (host.leads set): this broker coordinates only the groups of the partitions it
// leads. start() loads nothing; the cluster calls loadPartition(p) when this broker becomes the
// leader of __consumer_offsets-p (COORDINATOR_LOAD_IN_PROGRESS until replayed) and
// unloadPartition(p) when it stops being the leader (its groups dropped, parked joins/syncs
// answered NOT_COORDINATOR); requests for a partition we do not lead get NOT_COORDINATOR.
// Write path: a Group operation returns records and responses; the records of one operation
// are appended as one uncompressed v2 batch to the group's partition, then replayed (offsets,
// tombstones), then the responses are sent. If the append fails, commits answer the append's
// error and a stored generation is rebalanced (Group.storeFailed).
// Concurrency: Group operations are synchronous; appends to one partition keep their call order
// (Log assigns offsets at call time), so replay order = log order.
import { buildBatch } from '../protocol/record/batch-builder.js';
import { readBatches } from '../protocol/record/batch-reader.js';
import { errorCodeOf } from '../protocol/error-codes.js';
import { Group, type GroupConfig, type GroupState } from './group.js';
import { E, joinError, type Completion, type GroupResult, type JoinRequest, type JoinResponse, type LeaveResponse, type MemberRef, type SyncRequest, type SyncResponse, type HeartbeatRequest } from './group-types.js';
import type { Token } from './member.js';
import { offsetsPartitionFor } from './offsets-partition.js';
import {
  commitOffsets, deleteGroup, deleteOffsets, expireOffsets, fetchOffsets,
  type CommitRequest, type FetchedTopic, type OffsetLimits, type TopicResult,
} from './offset-ops.js';
import { decodeRecord, encodeRecordKey, encodeRecordValue, type GroupRecord } from './records.js';

/** What the coordinator needs of the broker (broker-host.ts adapts a Broker). */
export interface CoordinatorHost {
  /** Partition count of __consumer_offsets, or null when it does not exist. */
  offsetsTopicPartitions(): number | null;
  createOffsetsTopic(partitions: number): Promise<void>;
  /** The log of one __consumer_offsets partition. */
  offsetsLog(partition: number): OffsetsLog | undefined;
  partitionExists(topic: string, partition: number): boolean;
  notifyAppend?(partition: number, bytes: number): void;
  warn?(obj: object, msg: string): void;
  /** Cluster mode: does this broker lead __consumer_offsets-`partition`? Absent: a single broker leads all. */
  leads?(partition: number): boolean;
}

/** The part of storage's Log used here. */
export interface OffsetsLog {
  readonly logStartOffset: number;
  readonly writtenEndOffset: number;
  append(buf: Buffer): Promise<unknown>;
  readBuffers(offset: number, opts: { maxBytes?: number }): Promise<{ buffer: Buffer }>;
}

export interface CoordinatorConfig extends GroupConfig {
  numPartitions: number;
  minSessionTimeoutMs: number;
  maxSessionTimeoutMs: number;
  offsetMetadataMaxBytes: number;
  offsetsRetentionMs: number;
  retentionCheckIntervalMs: number;
  /** Timer resolution for session/rebalance deadlines (default 100 ms). */
  tickMs?: number;
  clock?: () => number;
}

/**
 * What a client is told when an append to __consumer_offsets failed, as Kafka's
 * GroupMetadataManager maps it: partition unavailable → COORDINATOR_NOT_AVAILABLE, not the leader
 * or a storage error → NOT_COORDINATOR, a record too large → INVALID_COMMIT_OFFSET_SIZE for commits
 * and UNKNOWN_SERVER_ERROR for group metadata.
 */
export function appendErrorCode(code: number, commit: boolean): number {
  switch (code) {
    case 3: case 7: case 19: return E.COORDINATOR_NOT_AVAILABLE; // UNKNOWN_TOPIC_OR_PARTITION, REQUEST_TIMED_OUT, NOT_ENOUGH_REPLICAS
    case 6: case 56: return E.NOT_COORDINATOR; // NOT_LEADER_OR_FOLLOWER, KAFKA_STORAGE_ERROR
    case 4: case 10: case 18: return commit ? E.INVALID_COMMIT_OFFSET_SIZE : E.UNKNOWN_SERVER_ERROR; // INVALID_FETCH_SIZE, MESSAGE_TOO_LARGE, RECORD_LIST_TOO_LARGE
    default: return code > 0 ? code : E.COORDINATOR_NOT_AVAILABLE;
  }
}

/** Created by a request that failed before anything was stored (no generation, members or offsets). */
function isUnused(g: Group): boolean {
  return g.state === 'Empty' && g.generationId === 0 && g.members.size === 0 && g.pendingMembers.size === 0
    && g.offsets.size === 0 && !g.offsets.hasPending;
}

export interface GroupOverview { groupId: string; protocolType: string; groupState: GroupState }

export class GroupCoordinator {
  readonly groups = new Map<string, Group>();
  readonly #host: CoordinatorHost;
  readonly #cfg: CoordinatorConfig;
  readonly #clock: () => number;
  readonly #loading = new Set<number>();
  /** Bumped by each load/unload of a partition (cluster mode): a load that was overtaken stops. */
  readonly #loadEpoch = new Map<number, number>();
  readonly #pending = new Map<Token, (c: Completion) => void>();
  #nextToken = 1;
  #state: 'new' | 'running' | 'stopped' = 'new';
  #topicReady: Promise<void> | null = null;
  #timers: NodeJS.Timeout[] = [];
  /** Resolves when the initial load finished (tests, CLI). */
  loaded: Promise<void> = Promise.resolve();

  constructor(host: CoordinatorHost, cfg: CoordinatorConfig) {
    this.#host = host;
    this.#cfg = cfg;
    this.#clock = cfg.clock ?? Date.now;
  }

  get config(): Readonly<CoordinatorConfig> { return this.#cfg; }

  partitionFor(groupId: string): number {
    return offsetsPartitionFor(groupId, this.#host.offsetsTopicPartitions() ?? this.#cfg.numPartitions);
  }

  start(): void {
    if (this.#state !== 'new') return;
    this.#state = 'running';
    const n = this.#host.offsetsTopicPartitions();
    if (n !== null && !this.#host.leads) {
      for (let p = 0; p < n; p++) this.#loading.add(p);
      this.loaded = this.#loadAll(n);
    }
    const tick = setInterval(() => this.tick(), this.#cfg.tickMs ?? 100);
    const expire = setInterval(() => void this.expireOffsets(), this.#cfg.retentionCheckIntervalMs);
    tick.unref(); expire.unref();
    this.#timers.push(tick, expire);
  }

  /** Answers every parked request with NOT_COORDINATOR and stops the timers. */
  shutdown(): void {
    this.#state = 'stopped';
    for (const t of this.#timers) clearInterval(t);
    this.#timers = [];
    for (const [token, resolve] of this.#pending) {
      // The parked request may be a join or a sync: one object that serves as either.
      const response = { ...joinError(E.NOT_COORDINATOR, ''), assignment: Buffer.alloc(0) };
      resolve({ token, kind: 'join', response });
    }
    this.#pending.clear();
  }

  /** Creates __consumer_offsets when missing (FindCoordinator does this first, as Kafka). */
  ensureOffsetsTopic(): Promise<void> {
    if (this.#host.offsetsTopicPartitions() !== null) return Promise.resolve();
    // Shared while in flight only: if a client deletes the topic later, the next use recreates it.
    this.#topicReady ??= this.#host.createOffsetsTopic(this.#cfg.numPartitions).finally(() => { this.#topicReady = null; });
    return this.#topicReady;
  }

  async #topicAvailable(): Promise<boolean> {
    try {
      await this.ensureOffsetsTopic();
      return true;
    } catch (err) {
      this.#host.warn?.({ err }, 'creating __consumer_offsets failed');
      return false;
    }
  }

  /** 0 when requests for `groupId` can be served now, else the Kafka error code. */
  availability(groupId: string): number {
    if (this.#state !== 'running') return E.NOT_COORDINATOR;
    const p = this.partitionFor(groupId);
    if (this.#loading.has(p)) return E.COORDINATOR_LOAD_IN_PROGRESS;
    if (this.#host.leads && !this.#host.leads(p)) return E.NOT_COORDINATOR;
    return E.NONE;
  }

  // ------------------------------------------------------------------ cluster: coordinator moves

  /** This broker became the leader of __consumer_offsets-`partition`: load its groups. */
  loadPartition(partition: number): Promise<void> {
    this.unloadPartition(partition);
    const epoch = this.#loadEpoch.get(partition)!;
    this.#loading.add(partition);
    return (async () => {
      try {
        await this.#loadPartition(partition, () => this.#loadEpoch.get(partition) === epoch);
      } catch (err) {
        this.#host.warn?.({ err, partition }, '__consumer_offsets partition failed to load; its groups start empty');
      } finally {
        if (this.#loadEpoch.get(partition) === epoch) this.#loading.delete(partition);
      }
    })();
  }

  /** This broker no longer leads __consumer_offsets-`partition`: drop its groups (parked requests → NOT_COORDINATOR). */
  unloadPartition(partition: number): void {
    this.#loadEpoch.set(partition, (this.#loadEpoch.get(partition) ?? 0) + 1);
    this.#loading.delete(partition);
    const response = { ...joinError(E.NOT_COORDINATOR, ''), assignment: Buffer.alloc(0) };
    for (const [id, g] of [...this.groups]) {
      if (this.partitionFor(id) !== partition) continue;
      for (const m of g.members.values()) {
        for (const token of [m.awaitingJoin, m.awaitingSync]) {
          const resolve = token === null ? undefined : this.#pending.get(token);
          if (resolve) { this.#pending.delete(token!); resolve({ token: token!, kind: 'join', response }); }
        }
      }
      this.groups.delete(id);
    }
  }

  // ------------------------------------------------------------------ loading

  async #loadAll(partitions: number): Promise<void> {
    for (let p = 0; p < partitions; p++) {
      try {
        await this.#loadPartition(p);
      } catch (err) {
        this.#host.warn?.({ err, partition: p }, '__consumer_offsets partition failed to load; its groups start empty');
      } finally {
        this.#loading.delete(p);
      }
    }
  }

  async #loadPartition(partition: number, current: () => boolean = () => true): Promise<void> {
    const log = this.#host.offsetsLog(partition);
    if (!log) return;
    const now = this.#clock();
    let offset = log.logStartOffset;
    const end = log.writtenEndOffset;
    while (offset < end && this.#state === 'running') {
      const { buffer } = await log.readBuffers(offset, { maxBytes: 4 * 1024 * 1024 });
      if (!current()) return; // unloaded (or reloaded) meanwhile
      let last = -1;
      for (const batch of readBatches(buffer)) {
        last = batch.lastOffset;
        if (batch.isControl || batch.baseOffset + batch.lastOffsetDelta < offset) continue;
        for (const rec of batch.records()) {
          if (rec.offset < offset) continue;
          let r: GroupRecord | null;
          try {
            r = decodeRecord(rec.key, rec.value);
          } catch (err) {
            this.#host.warn?.({ err, partition, offset: rec.offset }, 'skipping an unreadable __consumer_offsets record');
            continue;
          }
          if (r) this.#replayLoaded(r, now);
        }
      }
      if (last < offset) break;
      offset = last + 1;
    }
    for (const [id, g] of this.groups) if (g.state === 'Dead' && this.partitionFor(id) === partition) this.groups.delete(id);
  }

  #replayLoaded(r: GroupRecord, now: number): void {
    let g = this.groups.get(r.group);
    if (!g || g.state === 'Dead') {
      if (r.value === null) return;
      g = this.#newGroup(r.group, now);
    }
    g.replay(r, now);
  }

  #newGroup(groupId: string, now: number): Group {
    const g = new Group(groupId, this.#cfg, now);
    this.groups.set(groupId, g);
    return g;
  }

  // ------------------------------------------------------------------ write path

  #token(): { token: Token; response: Promise<Completion> } {
    const token = this.#nextToken++;
    return { token, response: new Promise<Completion>((resolve) => this.#pending.set(token, resolve)) };
  }

  async #append(groupId: string, records: GroupRecord[]): Promise<void> {
    await this.ensureOffsetsTopic();
    const partition = this.partitionFor(groupId);
    const log = this.#host.offsetsLog(partition);
    if (!log) throw Object.assign(new Error(`__consumer_offsets-${partition} has no log`), { errorCode: E.COORDINATOR_NOT_AVAILABLE });
    const batch = buildBatch(records.map((r) => ({ key: encodeRecordKey(r), value: encodeRecordValue(r) })), { now: this.#clock() });
    await log.append(batch);
    this.#host.notifyAppend?.(partition, batch.length);
  }

  /** Appends, replays, then delivers; returns the append's error code (0 when none). */
  async #apply(g: Group, res: GroupResult, commits = false): Promise<number> {
    let errorCode: number = E.NONE;
    if (res.records.length > 0) {
      try {
        await this.#append(g.groupId, res.records);
        for (const r of res.records) {
          if (r.type === 'offset') {
            if (commits) g.offsets.endCommit(r.topic, r.partition);
            g.replay(r, this.#clock());
          }
        }
      } catch (err) {
        errorCode = appendErrorCode(errorCodeOf(err), commits);
        this.#host.warn?.({ err, group: g.groupId }, 'append to __consumer_offsets failed');
        for (const r of res.records) if (r.type === 'offset' && commits) g.offsets.endCommit(r.topic, r.partition);
        if (res.records.some((r) => r.type === 'group' && r.value !== null)) {
          const again = g.storeFailed(g.generationId, this.#clock());
          this.#deliver(again.completions, E.NONE);
        }
      }
    }
    if (this.groups.get(g.groupId) === g && (g.state === 'Dead' || isUnused(g))) this.groups.delete(g.groupId);
    this.#deliver(res.completions, errorCode);
    return errorCode;
  }

  #deliver(completions: Completion[], appendError: number): void {
    for (const c of completions) {
      const resolve = this.#pending.get(c.token);
      if (!resolve) continue;
      this.#pending.delete(c.token);
      if (appendError !== E.NONE && c.kind === 'sync') resolve({ ...c, response: { ...c.response, errorCode: appendError } });
      else resolve(c);
    }
  }

  #group(groupId: string): Group | undefined {
    const g = this.groups.get(groupId);
    return g && g.state !== 'Dead' ? g : undefined;
  }

  // ------------------------------------------------------------------ membership APIs

  async join(groupId: string, req: JoinRequest): Promise<JoinResponse> {
    const fail = (errorCode: number): JoinResponse => ({ errorCode, generationId: -1, protocolType: null, protocolName: null, leader: '', memberId: req.memberId, skipAssignment: false, members: [] });
    if (groupId === '') return fail(E.INVALID_GROUP_ID);
    const avail = this.availability(groupId);
    if (avail !== E.NONE) return fail(avail);
    if (req.sessionTimeoutMs < this.#cfg.minSessionTimeoutMs || req.sessionTimeoutMs > this.#cfg.maxSessionTimeoutMs) return fail(E.INVALID_SESSION_TIMEOUT);
    if (!(await this.#topicAvailable())) return fail(E.COORDINATOR_NOT_AVAILABLE);
    const now = this.#clock();
    let g = this.#group(groupId);
    if (!g) {
      if (req.memberId !== '') return fail(E.UNKNOWN_MEMBER_ID);
      g = this.#newGroup(groupId, now);
    }
    const { token, response } = this.#token();
    await this.#apply(g, g.join(token, req, now));
    return (await response).response as JoinResponse;
  }

  async sync(groupId: string, req: SyncRequest): Promise<SyncResponse> {
    const fail = (errorCode: number): SyncResponse => ({ errorCode, protocolType: null, protocolName: null, assignment: Buffer.alloc(0) });
    if (groupId === '') return fail(E.INVALID_GROUP_ID);
    const avail = this.availability(groupId);
    if (avail !== E.NONE) return fail(avail);
    const g = this.#group(groupId);
    if (!g) return fail(E.UNKNOWN_MEMBER_ID);
    const { token, response } = this.#token();
    await this.#apply(g, g.sync(token, req, this.#clock()));
    return (await response).response as SyncResponse;
  }

  heartbeat(groupId: string, req: HeartbeatRequest): number {
    if (groupId === '') return E.INVALID_GROUP_ID;
    const avail = this.availability(groupId);
    if (avail !== E.NONE) return avail;
    const g = this.#group(groupId);
    return g ? g.heartbeat(req, this.#clock()) : E.UNKNOWN_MEMBER_ID;
  }

  async leave(groupId: string, members: MemberRef[]): Promise<LeaveResponse> {
    if (groupId === '') return { errorCode: E.INVALID_GROUP_ID, members: [] };
    const avail = this.availability(groupId);
    if (avail !== E.NONE) return { errorCode: avail, members: [] };
    const g = this.#group(groupId);
    if (!g) return { errorCode: E.NONE, members: members.map((m) => ({ ...m, errorCode: E.UNKNOWN_MEMBER_ID })) };
    const res = g.leave(members, this.#clock());
    await this.#apply(g, res);
    return res.response;
  }

  /** Runs every group's timers (called by the interval; tests call it with a fake clock). */
  tick(): void {
    if (this.#state !== 'running') return;
    const now = this.#clock();
    for (const g of this.groups.values()) {
      const d = g.nextDeadline();
      if (d === null || d > now) continue;
      const res = g.tick(now);
      if (res.records.length > 0 || res.completions.length > 0) void this.#apply(g, res);
    }
  }

  // ------------------------------------------------------------------ offsets

  #limits(): OffsetLimits {
    return { offsetMetadataMaxBytes: this.#cfg.offsetMetadataMaxBytes, partitionExists: (t, p) => this.#host.partitionExists(t, p) };
  }

  async commit(groupId: string, req: CommitRequest): Promise<TopicResult[]> {
    const all = (errorCode: number): TopicResult[] => req.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode })) }));
    const avail = this.availability(groupId);
    if (avail !== E.NONE) return all(avail);
    if (!(await this.#topicAvailable())) return all(E.COORDINATOR_NOT_AVAILABLE);
    const now = this.#clock();
    let g = this.#group(groupId);
    if (!g) {
      if (req.generationId >= 0 || req.memberId !== '') return all(E.ILLEGAL_GENERATION);
      g = this.#newGroup(groupId, now);
    }
    const { topics, records } = commitOffsets(g, req, now, this.#limits());
    const err = await this.#apply(g, { completions: [], records }, true);
    if (err === E.NONE) return topics;
    return topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => (p.errorCode === E.NONE ? { ...p, errorCode: err } : p)) }));
  }

  /** OffsetFetch for one group: top-level error (load/availability) and the offsets. */
  fetch(groupId: string, topics: Array<{ name: string; partitionIndexes: number[] }> | null, requireStable: boolean): { errorCode: number; topics: FetchedTopic[] } {
    const avail = this.availability(groupId);
    if (avail !== E.NONE) return { errorCode: avail, topics: [] };
    return { errorCode: E.NONE, topics: fetchOffsets(this.#group(groupId), topics, requireStable) };
  }

  async deleteOffsets(groupId: string, topics: Array<{ name: string; partitions: Array<{ partitionIndex: number }> }>): Promise<{ errorCode: number; topics: TopicResult[] }> {
    const avail = groupId === '' ? E.INVALID_GROUP_ID : this.availability(groupId);
    if (avail !== E.NONE) return { errorCode: avail, topics: [] };
    const g = this.#group(groupId);
    const res = deleteOffsets(g, topics, this.#limits());
    if (g && res.records.length > 0) {
      const err = await this.#apply(g, { completions: [], records: res.records });
      if (err !== E.NONE) return { errorCode: err, topics: [] };
    }
    return { errorCode: res.errorCode, topics: res.topics };
  }

  async deleteGroups(groupIds: string[]): Promise<Array<{ groupId: string; errorCode: number }>> {
    return Promise.all(groupIds.map(async (groupId) => {
      const avail = this.availability(groupId); // '' is a legal (legacy) group id here, as in Kafka
      if (avail !== E.NONE) return { groupId, errorCode: avail };
      const g = this.#group(groupId);
      const res = deleteGroup(g, this.#clock());
      if (g && res.records.length > 0) {
        const err = await this.#apply(g, { completions: [], records: res.records });
        if (err !== E.NONE) return { groupId, errorCode: err };
      }
      return { groupId, errorCode: res.errorCode };
    }));
  }

  /** Expires offsets (offsets.retention.minutes) and deletes Empty groups left with none. */
  async expireOffsets(): Promise<number> {
    if (this.#state !== 'running') return 0;
    const now = this.#clock();
    let n = 0;
    for (const g of [...this.groups.values()]) {
      if (this.#loading.has(this.partitionFor(g.groupId))) continue;
      const records = expireOffsets(g, now, this.#cfg.offsetsRetentionMs);
      if (records.length === 0) continue;
      n += records.filter((r) => r.type === 'offset').length;
      await this.#apply(g, { completions: [], records });
    }
    return n;
  }

  // ------------------------------------------------------------------ listing

  listGroups(): GroupOverview[] {
    const out: GroupOverview[] = [];
    for (const g of this.groups.values()) {
      if (g.state === 'Dead' || this.#loading.has(this.partitionFor(g.groupId))) continue;
      out.push({ groupId: g.groupId, protocolType: g.protocolType ?? '', groupState: g.state });
    }
    return out.sort((a, b) => (a.groupId < b.groupId ? -1 : a.groupId > b.groupId ? 1 : 0));
  }

  /** The live group, or undefined (unknown or Dead). */
  group(groupId: string): Group | undefined {
    return this.#group(groupId);
  }

  get loadingPartitions(): number { return this.#loading.size; }
}
