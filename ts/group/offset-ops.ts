// Offset operations on one Group (OffsetCommit, OffsetFetch, OffsetDelete, DeleteGroups, offset
// expiry): pure functions that validate against the group's live state and return the records
// to append. Committed offsets change only when the coordinator replays those records.
//
// OffsetCommit checks, in Kafka's order (GroupCoordinator.handleCommitOffsets):
//   Dead → COORDINATOR_NOT_AVAILABLE; static member fenced → FENCED_INSTANCE_ID;
//   generation < 0 and group Empty → simple commit (assign-mode consumers, kcat, kafkajs admin);
//   unknown member → UNKNOWN_MEMBER_ID; generation ≠ current → ILLEGAL_GENERATION;
//   CompletingRebalance → REBALANCE_IN_PROGRESS (the member has no assignment yet);
//   Stable / PreparingRebalance → commit (members commit while revoking).
// Per partition: unknown topic-partition → UNKNOWN_TOPIC_OR_PARTITION; metadata longer than
// offset.metadata.max.bytes → OFFSET_METADATA_TOO_LARGE.
import { CONSUMER_PROTOCOL_TYPE, decodeSubscription } from './consumer-protocol.js';
import type { Group } from './group.js';
import { E } from './group-types.js';
import type { GroupRecord, OffsetRecord } from './records.js';

export interface CommitPartition {
  partitionIndex: number;
  committedOffset: number;
  committedLeaderEpoch: number;
  /** OffsetCommit v1 only; -1 = now. */
  commitTimestamp: number;
  committedMetadata: string | null;
}

export interface CommitRequest {
  memberId: string;
  groupInstanceId: string | null;
  generationId: number;
  /** OffsetCommit v2-4; -1 = broker retention. */
  retentionTimeMs: number;
  topics: Array<{ name: string; partitions: CommitPartition[] }>;
}

export interface PartitionResult { partitionIndex: number; errorCode: number }
export interface TopicResult { name: string; partitions: PartitionResult[] }

export interface OffsetLimits {
  offsetMetadataMaxBytes: number;
  partitionExists(topic: string, partition: number): boolean;
}

function allWith(req: { topics: Array<{ name: string; partitions: Array<{ partitionIndex: number }> }> }, errorCode: number): TopicResult[] {
  return req.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode })) }));
}

export function commitCheck(g: Group, req: CommitRequest): number {
  if (g.state === 'Dead') return E.COORDINATOR_NOT_AVAILABLE;
  if (g.isStaticMemberFenced(req.memberId, req.groupInstanceId)) return E.FENCED_INSTANCE_ID;
  if (req.generationId < 0 && g.state === 'Empty') return E.NONE;
  if (!g.members.has(req.memberId)) return E.UNKNOWN_MEMBER_ID;
  if (req.generationId !== g.generationId) return E.ILLEGAL_GENERATION;
  if (g.state === 'CompletingRebalance') return E.REBALANCE_IN_PROGRESS;
  return E.NONE;
}

/** Validates a commit; the records carry the accepted partitions, marked pending in the group. */
export function commitOffsets(g: Group, req: CommitRequest, now: number, limits: OffsetLimits): { topics: TopicResult[]; records: OffsetRecord[] } {
  const code = commitCheck(g, req);
  if (code !== E.NONE) return { topics: allWith(req, code), records: [] };
  const member = g.members.get(req.memberId);
  if (member) member.heartbeatDeadline = now + member.sessionTimeoutMs;
  const records: OffsetRecord[] = [];
  const topics = req.topics.map((t) => ({
    name: t.name,
    partitions: t.partitions.map((p): PartitionResult => {
      if (!limits.partitionExists(t.name, p.partitionIndex)) return { partitionIndex: p.partitionIndex, errorCode: E.UNKNOWN_TOPIC_OR_PARTITION };
      const metadata = p.committedMetadata ?? '';
      if (Buffer.byteLength(metadata, 'utf8') > limits.offsetMetadataMaxBytes) {
        return { partitionIndex: p.partitionIndex, errorCode: E.OFFSET_METADATA_TOO_LARGE };
      }
      const commitTimestamp = p.commitTimestamp >= 0 ? p.commitTimestamp : now;
      // KafkaApis: the expire timestamp comes only from retentionTimeMs (v2-4), counted from now.
      const expireTimestamp = req.retentionTimeMs >= 0 ? now + req.retentionTimeMs : -1;
      records.push({
        type: 'offset', group: g.groupId, topic: t.name, partition: p.partitionIndex,
        value: { offset: p.committedOffset, leaderEpoch: p.committedLeaderEpoch, metadata, commitTimestamp, expireTimestamp },
      });
      g.offsets.beginCommit(t.name, p.partitionIndex);
      return { partitionIndex: p.partitionIndex, errorCode: E.NONE };
    }),
  }));
  return { topics, records };
}

export interface FetchedPartition { partitionIndex: number; committedOffset: number; committedLeaderEpoch: number; metadata: string; errorCode: number }
export interface FetchedTopic { name: string; partitions: FetchedPartition[] }

/** Committed offsets; `topics` null = every committed partition. Unknown group → offsets -1. */
export function fetchOffsets(g: Group | undefined, topics: Array<{ name: string; partitionIndexes: number[] }> | null, requireStable: boolean): FetchedTopic[] {
  const one = (topic: string, partition: number): FetchedPartition => {
    if (requireStable && g?.offsets.isPending(topic, partition)) {
      return { partitionIndex: partition, committedOffset: -1, committedLeaderEpoch: -1, metadata: '', errorCode: E.UNSTABLE_OFFSET_COMMIT };
    }
    const o = g?.offsets.get(topic, partition);
    return o
      ? { partitionIndex: partition, committedOffset: o.offset, committedLeaderEpoch: o.leaderEpoch, metadata: o.metadata, errorCode: E.NONE }
      : { partitionIndex: partition, committedOffset: -1, committedLeaderEpoch: -1, metadata: '', errorCode: E.NONE };
  };
  if (topics === null) {
    if (!g || g.state === 'Dead') return [];
    return g.offsets.topics().map((name) => ({ name, partitions: g.offsets.partitions(name).map((p) => one(name, p)) }));
  }
  return topics.map((t) => ({ name: t.name, partitions: t.partitionIndexes.map((p) => one(t.name, p)) }));
}

/** Topics the group's members subscribe to ("consumer" groups), or null when unknown. */
export function subscribedTopics(g: Group): Set<string> | null {
  if (g.protocolType !== CONSUMER_PROTOCOL_TYPE || g.members.size === 0) return null;
  const out = new Set<string>();
  for (const m of g.members.values()) {
    const meta = g.protocolName !== null ? m.metadataFor(g.protocolName) : m.protocols[0]?.metadata;
    const sub = meta ? decodeSubscription(meta) : null;
    if (!sub) return null;
    for (const t of sub.topics) out.add(t);
  }
  return out;
}

const tombstone = (g: Group, topic: string, partition: number): OffsetRecord => ({ type: 'offset', group: g.groupId, topic, partition, value: null });

/** OffsetDelete: top-level error, per-partition results and tombstones. */
export function deleteOffsets(g: Group | undefined, topics: Array<{ name: string; partitions: Array<{ partitionIndex: number }> }>, limits: OffsetLimits):
  { errorCode: number; topics: TopicResult[]; records: OffsetRecord[] } {
  if (!g || g.state === 'Dead') return { errorCode: E.GROUP_ID_NOT_FOUND, topics: [], records: [] };
  let subscribed: Set<string> | null = null;
  if (g.state !== 'Empty') {
    if (g.protocolType !== CONSUMER_PROTOCOL_TYPE) return { errorCode: E.NON_EMPTY_GROUP, topics: [], records: [] };
    subscribed = subscribedTopics(g) ?? new Set();
  }
  const records: OffsetRecord[] = [];
  const results = topics.map((t) => ({
    name: t.name,
    partitions: t.partitions.map(({ partitionIndex }): PartitionResult => {
      if (!limits.partitionExists(t.name, partitionIndex)) return { partitionIndex, errorCode: E.UNKNOWN_TOPIC_OR_PARTITION };
      if (subscribed?.has(t.name)) return { partitionIndex, errorCode: E.GROUP_SUBSCRIBED_TO_TOPIC };
      if (g.offsets.get(t.name, partitionIndex)) records.push(tombstone(g, t.name, partitionIndex));
      return { partitionIndex, errorCode: E.NONE };
    }),
  }));
  return { errorCode: E.NONE, topics: results, records };
}

/** DeleteGroups for one group: error code and the tombstones (offsets, then the group). */
export function deleteGroup(g: Group | undefined, now: number): { errorCode: number; records: GroupRecord[] } {
  if (!g || g.state === 'Dead') return { errorCode: E.GROUP_ID_NOT_FOUND, records: [] };
  if (g.state !== 'Empty') return { errorCode: E.NON_EMPTY_GROUP, records: [] };
  const records: GroupRecord[] = [];
  for (const [tp] of g.offsets.entries()) records.push(tombstone(g, tp.topic, tp.partition));
  records.push({ type: 'group', group: g.groupId, value: null });
  g.markDead(now);
  return { errorCode: E.NONE, records };
}

/** Offset expiry (see group-offsets.ts); an Empty group left without offsets is deleted too. */
export function expireOffsets(g: Group, now: number, retentionMs: number): GroupRecord[] {
  if (g.state === 'Dead') return [];
  const mode = g.protocolType === null ? 'simple' : g.state === 'Empty' ? 'empty-consumer' : 'active';
  const subscribed = mode === 'active' ? subscribedTopics(g) : null;
  const expired = g.offsets.expired(now, retentionMs, mode, g.currentStateTimestamp, subscribed);
  const records: GroupRecord[] = expired.map((tp) => tombstone(g, tp.topic, tp.partition));
  if (g.state === 'Empty' && !g.offsets.hasPending && g.offsets.size === expired.length) {
    records.push({ type: 'group', group: g.groupId, value: null });
    g.markDead(now);
  }
  return records;
}
