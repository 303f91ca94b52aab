// ListOffsets v0-10 (Kafka 4.0 serves 1-10; v0 is kept because the schema has it and old tools,
// e.g. Burrow, still send it). v0 answers in `oldStyleOffsets` (an array, up to maxNumOffsets);
// v1 single timestamp/offset; v2 isolationLevel; v4 leaderEpoch; v6 flexible; v7 timestamp -3
// (max timestamp, KIP-734); v8 -4 earliest-local (KIP-405; = earliest here, no tiered storage);
// v9 -5 latest-tiered (= earliest-1 when nothing is tiered: we answer -1 offset); v10 timeoutMs.
// Timestamps: -2 earliest → log start offset; -1 latest → high watermark (read_uncommitted) or last
// stable offset (read_committed; equals the HW until transactions exist), or the log end offset
// for a replica (replicaId ≥ 0); in cluster mode only the partition's leader answers
// (NOT_LEADER_OR_FOLLOWER elsewhere; v4+ currentLeaderEpoch checked: FENCED/UNKNOWN_LEADER_EPOCH); -3 → offset and timestamp of the record with the largest
// timestamp; t ≥ 0 → first offset whose timestamp ≥ t, or offset -1 / timestamp -1 when none.
import { ApiKey } from '../../protocol/generated/api-keys.js';
import type {
  ListOffsetsRequest, ListOffsetsResponse, ListOffsetsResponseListOffsetsPartitionResponse,
} from '../../protocol/generated/messages.js';
import { ErrorCode, KafkaError, errorCodeOf } from '../../protocol/error-codes.js';
import { defineHandler, type RequestContext } from '../handler.js';

const LATEST = -1;
const EARLIEST = -2;
const MAX_TIMESTAMP = -3;
const EARLIEST_LOCAL = -4;
const LATEST_TIERED = -5;

async function listOffset(
  ctx: RequestContext, req: ListOffsetsRequest, topic: string, partition: number, timestamp: number, maxNumOffsets: number,
  currentLeaderEpoch = -1,
): Promise<ListOffsetsResponseListOffsetsPartitionResponse> {
  const { broker, apiVersion } = ctx;
  const res: ListOffsetsResponseListOffsetsPartitionResponse = {
    partitionIndex: partition, errorCode: 0, oldStyleOffsets: [], timestamp: -1, offset: -1, leaderEpoch: -1,
  };
  try {
    const info = broker.topics.get(topic);
    if (!info || partition < 0 || partition >= info.partitions) {
      throw new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION!, `topic-partition ${topic}-${partition} does not exist`);
    }
    if ((timestamp === MAX_TIMESTAMP && apiVersion < 7) || (timestamp === EARLIEST_LOCAL && apiVersion < 8)
      || (timestamp === LATEST_TIERED && apiVersion < 9) || timestamp < LATEST_TIERED) {
      throw new KafkaError(ErrorCode.INVALID_REQUEST!, `timestamp ${timestamp} is not valid at ListOffsets v${apiVersion}`);
    }
    const log = await broker.partitionLog(topic, partition);
    // CLUSTER HOOK (ts/cluster): only the leader answers (NOT_LEADER_OR_FOLLOWER, fenced epochs).
    const epoch = broker.cluster ? broker.cluster.checkLeader(topic, partition, currentLeaderEpoch) : 0;
    if (timestamp === LATEST) {
      res.offset = req.replicaId >= 0 ? log.logEndOffset : log.highWatermark; // LSO = HW for now
      res.leaderEpoch = epoch;
    } else if (timestamp === EARLIEST || timestamp === EARLIEST_LOCAL) {
      res.offset = log.logStartOffset;
      res.leaderEpoch = 0;
    } else if (timestamp === LATEST_TIERED) {
      res.offset = -1;
    } else {
      const hit = await log.offsetForTimestamp(timestamp);
      if (hit && hit.offset < log.highWatermark) {
        res.offset = hit.offset;
        res.timestamp = hit.timestamp;
        res.leaderEpoch = hit.leaderEpoch;
      }
    }
    if (apiVersion === 0) {
      res.oldStyleOffsets = res.offset! >= 0 && maxNumOffsets > 0 ? [res.offset!] : [];
    }
  } catch (err) {
    res.errorCode = errorCodeOf(err);
    if (res.errorCode === -1) ctx.logger.error({ err, topic, partition }, 'list offsets failed');
  }
  return res;
}

export const listOffsets = defineHandler<ListOffsetsRequest, ListOffsetsResponse>({
  apiKey: ApiKey.ListOffsets,
  minVersion: 0,
  maxVersion: 10,
  async handle(req, ctx) {
    return {
      throttleTimeMs: 0,
      topics: await Promise.all(req.topics.map(async (t) => ({
        name: t.name,
        partitions: await Promise.all(t.partitions.map((p) => listOffset(ctx, req, t.name, p.partitionIndex, p.timestamp, p.maxNumOffsets ?? 1, p.currentLeaderEpoch ?? -1))),
      }))),
    };
  },
});
