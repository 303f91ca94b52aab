// OffsetCommit v0-9 served; v2-9 advertised (Kafka 4.0.1's range; librdkafka's group consumer
// needs v2 in range). v0 has no generation/member (a simple commit); v1 generationId, memberId
// and a per-partition commitTimestamp; v2-4 retentionTimeMs (-1 = offsets.retention.minutes),
// stored as the record's expire timestamp; v3 throttleTimeMs; v5 drops retention; v6
// committedLeaderEpoch; v7 groupInstanceId; v8 flexible; v9 (KIP-848 member epoch) is read as the
// classic generation id. Generation -1 from a non-member is accepted only while the group is
// Empty or unknown (assign-mode consumers: kafkajs, kcat). Checks: ts/group/offset-ops.ts.
import { ApiKey } from '../../protocol/generated/api-keys.js';
import type { OffsetCommitRequest, OffsetCommitResponse } from '../../protocol/generated/messages.js';
import { defineHandler } from '../handler.js';

export const offsetCommit = defineHandler<OffsetCommitRequest, OffsetCommitResponse>({
  apiKey: ApiKey.OffsetCommit,
  minVersion: 0,
  advertisedMinVersion: 2,
  maxVersion: 9,
  async handle(req, ctx) {
    const v = ctx.apiVersion;
    const topics = await ctx.broker.groups.commit(req.groupId, {
      memberId: v >= 1 ? req.memberId ?? '' : '',
      groupInstanceId: v >= 7 ? req.groupInstanceId ?? null : null,
      generationId: v >= 1 ? req.generationIdOrMemberEpoch ?? -1 : -1,
      retentionTimeMs: v >= 2 && v <= 4 ? req.retentionTimeMs ?? -1 : -1,
      topics: req.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => ({
          partitionIndex: p.partitionIndex,
          committedOffset: p.committedOffset,
          committedLeaderEpoch: v >= 6 ? p.committedLeaderEpoch ?? -1 : -1,
          commitTimestamp: v === 1 ? p.commitTimestamp ?? -1 : -1,
          committedMetadata: p.committedMetadata,
        })),
      })),
    });
    return { throttleTimeMs: 0, topics } as OffsetCommitResponse;
  },
});
