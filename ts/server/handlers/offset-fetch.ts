// OffsetFetch v0-9 served; v1-9 advertised (Kafka 4.0.1). v2 top-level errorCode and `topics`
// null = every committed partition; v3 throttleTimeMs; v5 committedLeaderEpoch; v6 flexible; v7
// requireStable (a partition whose commit is still being written answers UNSTABLE_OFFSET_COMMIT);
// v8 several groups at once (`groups[]`, per-group errorCode); v9 memberId/memberEpoch (KIP-848;
// not checked for classic groups). A group-level error (COORDINATOR_LOAD_IN_PROGRESS...) goes in
// the top-level/per-group errorCode, and in every partition for v0-1, which have no such field.
// Unknown groups and partitions without a commit answer offset -1 with no error.
import { ApiKey } from '../../protocol/generated/api-keys.js';
import type { OffsetFetchRequest, OffsetFetchResponse } from '../../protocol/generated/messages.js';
import { defineHandler } from '../handler.js';

type Topics = Array<{ name: string; partitionIndexes: number[] }> | null;

export const offsetFetch = defineHandler<OffsetFetchRequest, OffsetFetchResponse>({
  apiKey: ApiKey.OffsetFetch,
  minVersion: 0,
  advertisedMinVersion: 1,
  maxVersion: 9,
  handle(req, ctx) {
    const v = ctx.apiVersion;
    const groups = ctx.broker.groups;
    const requireStable = v >= 7 && req.requireStable === true;
    if (v >= 8) {
      return {
        throttleTimeMs: 0,
        groups: (req.groups ?? []).map((g) => {
          const r = groups.fetch(g.groupId ?? '', (g.topics ?? null) as Topics, requireStable);
          return { groupId: g.groupId, errorCode: r.errorCode, topics: r.topics };
        }),
      } as OffsetFetchResponse;
    }
    const topics = (req.topics ?? null) as Topics;
    const r = groups.fetch(req.groupId ?? '', topics, requireStable);
    if (r.errorCode !== 0 && v < 2) {
      return {
        throttleTimeMs: 0,
        topics: (topics ?? []).map((t) => ({
          name: t.name,
          partitions: t.partitionIndexes.map((p) => ({ partitionIndex: p, committedOffset: -1, committedLeaderEpoch: -1, metadata: '', errorCode: r.errorCode })),
        })),
      } as OffsetFetchResponse;
    }
    return { throttleTimeMs: 0, errorCode: r.errorCode, topics: r.topics } as OffsetFetchResponse;
  },
});
