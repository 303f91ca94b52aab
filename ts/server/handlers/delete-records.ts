// DeleteRecords v0-2 (Kafka 4.0: 0-2; v2 flexible). Moves a partition's log start offset to
// `offset` (-1 = the high watermark) and deletes whole segments below it; answers the new low
// watermark (log start offset). Offset beyond the high watermark (or < -1) → OFFSET_OUT_OF_RANGE;
// below the current start → nothing changes, the current start is returned. Refused, as in Kafka:
// internal topics (INVALID_TOPIC_EXCEPTION) and compact-only topics (POLICY_VIOLATION).
import { ApiKey } from '../../protocol/generated/api-keys.js';
import type { DeleteRecordsRequest, DeleteRecordsResponse } from '../../protocol/generated/messages.js';
import { KafkaError, errorCodeOf } from '../../protocol/error-codes.js';
import type { Log } from '../../storage/log.js';
import { defineHandler } from '../handler.js';
import type { Broker } from '../broker.js';

async function deleteOne(broker: Broker, topic: string, partition: number, offset: number): Promise<number> {
  const info = broker.topics.get(topic);
  if (!info) throw new KafkaError(3, `topic '${topic}' does not exist`);
  if (info.internal) throw new KafkaError(17, `records of internal topic '${topic}' cannot be deleted`);
  const log = broker.topics.log(topic, partition) as Log | undefined;
  if (!log) throw new KafkaError(3, `partition ${topic}-${partition} does not exist`);
  if (!log.config.cleanupPolicy.includes('delete')) {
    throw new KafkaError(44, `records of ${topic}-${partition} cannot be deleted while cleanup.policy is ${log.config.cleanupPolicy}`);
  }
  const hw = log.highWatermark;
  const target = offset === -1 ? hw : offset;
  if (target < 0 || target > hw) {
    throw new KafkaError(1, `delete offset ${offset} is out of range: it must be -1 (high watermark) or in [0, ${hw}]`);
  }
  if (target <= log.logStartOffset) return log.logStartOffset;
  return log.deleteRecordsBefore(target);
}

export const deleteRecords = defineHandler<DeleteRecordsRequest, DeleteRecordsResponse>({
  apiKey: ApiKey.DeleteRecords,
  minVersion: 0,
  maxVersion: 2,
  async handle(req, ctx) {
    const topics = [];
    for (const t of req.topics) {
      const partitions = [];
      for (const p of t.partitions) {
        try {
          partitions.push({ partitionIndex: p.partitionIndex, lowWatermark: await deleteOne(ctx.broker, t.name, p.partitionIndex, p.offset), errorCode: 0 });
        } catch (err) {
          partitions.push({ partitionIndex: p.partitionIndex, lowWatermark: -1, errorCode: errorCodeOf(err) });
        }
      }
      topics.push({ name: t.name, partitions });
    }
    return { throttleTimeMs: 0, topics };
  },
});
