// OffsetForLeaderEpoch v0-4 (Kafka 4.0 serves 2-4; we keep 0-1 since the schema has them).
// v1 leaderEpoch in the response; v2 currentLeaderEpoch (KIP-320, fencing) and throttleTimeMs;
// v3 replicaId (-1 consumer, -2 debug, ≥ 0 follower); v4 flexible.
// Per partition: the end offset of the requested epoch (cluster/replica-read.ts endOffsetForEpoch:
// start of the next epoch, or the LEO for the latest; (-1, -1) for an epoch newer than ours).
// Only the leader answers (NOT_LEADER_OR_FOLLOWER elsewhere; FENCED/UNKNOWN_LEADER_EPOCH on a
// currentLeaderEpoch mismatch). A single broker leads everything.
import { ApiKey } from '../../protocol/generated/api-keys.js';
import type { OffsetForLeaderEpochRequest, OffsetForLeaderEpochResponse } from '../../protocol/generated/messages.js';
import { ErrorCode, KafkaError, errorCodeOf } from '../../protocol/error-codes.js';
import { checkLeaderEpoch, endOffsetForEpoch } from '../../cluster/replica-read.js';
import { defineHandler } from '../handler.js';

export const offsetForLeaderEpoch = defineHandler<OffsetForLeaderEpochRequest, OffsetForLeaderEpochResponse>({
  apiKey: ApiKey.OffsetForLeaderEpoch,
  minVersion: 0,
  maxVersion: 4,
  async handle(req, ctx) {
    const { broker } = ctx;
    return {
      throttleTimeMs: 0,
      topics: req.topics.map((t) => ({
        topic: t.topic,
        partitions: t.partitions.map((p) => {
          try {
            const info = broker.topics.get(t.topic);
            const log = info && p.partition >= 0 && p.partition < info.partitions ? broker.topics.log(t.topic, p.partition) as unknown as
              { logEndOffset: number; epochCache: { entries: Array<{ epoch: number; startOffset: number }> } } | undefined : undefined;
            if (!log) throw new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION!, `topic-partition ${t.topic}-${p.partition} does not exist`);
            if (broker.cluster) {
              const part = broker.cluster.partition(t.topic, p.partition);
              if (!part) throw new KafkaError(ErrorCode.NOT_LEADER_OR_FOLLOWER!, `broker ${broker.brokerId} does not host ${t.topic}-${p.partition}`);
              checkLeaderEpoch(part, p.currentLeaderEpoch ?? -1);
            }
            const e = endOffsetForEpoch(log.epochCache.entries, p.leaderEpoch, log.logEndOffset);
            return { errorCode: 0, partition: p.partition, leaderEpoch: e.epoch, endOffset: e.endOffset };
          } catch (err) {
            return { errorCode: errorCodeOf(err), partition: p.partition, leaderEpoch: -1, endOffset: -1 };
          }
        }),
      })),
    };
  },
});
