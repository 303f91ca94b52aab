// Produce v0-11 advertised (Kafka 4.0: v3+ served, v0-2 advertised only so librdkafka ≤ 2.11 keeps
// gzip/snappy/lz4, KAFKA-18659; those versions get UNSUPPORTED_VERSION error responses).
// v3 transactionalId + magic v2 only; v5 logStartOffset; v7 zstd allowed; v8 recordErrors and
// errorMessage; v9 flexible; v10 currentLeader/nodeEndpoints (tagged, only on NOT_LEADER); v11
// no change for a broker.
// Rules (Kafka ProduceRequest.validateRecords / ReplicaManager.appendRecords):
// - acks must be 0, 1 or -1 (INVALID_REQUIRED_ACKS); single broker: -1 = 1 with ISR = {self}.
// - each partition carries EXACTLY ONE magic-v2 batch: bytes beyond the first batch or another
//   magic → INVALID_RECORD; a batch that does not fit its own length → CORRUPT_MESSAGE. Bad CRC
//   or record framing → CORRUPT_MESSAGE from the log's scan, with nothing of that partition
//   appended; other partitions of the request are unaffected.
// - zstd needs Produce ≥ v7 (UNSUPPORTED_COMPRESSION_TYPE).
// - a batch over the topic's max.message.bytes → MESSAGE_TOO_LARGE (checked by Log.append).
// - unknown topic → auto-created when allowed (auto.create.topics.enable), else
//   UNKNOWN_TOPIC_OR_PARTITION; a partition beyond the count → UNKNOWN_TOPIC_OR_PARTITION.
// - acks=0: appended, nothing is sent back (errors are logged).
// Partitions append concurrently; the log assigns offsets synchronously in call order.
// Idempotent/transactional producer state: see the PRODUCER-STATE HOOK mark in Log.append's
// caller below; the ProducerStateManager (storage) plugs in between scan and append.
import { ApiKey } from '../../protocol/generated/api-keys.js';
import type {
  ProduceRequest, ProduceResponse, ProduceResponseTopicProduceResponse, ProduceResponsePartitionProduceResponse,
} from '../../protocol/generated/messages.js';
import { ErrorCode, KafkaError, errorCodeOf } from '../../protocol/error-codes.js';
import * as L from '../../protocol/record/layout.js';
import { prepareProduceBatches } from '../../pool/produce-validation.js';
import { defineHandler, type RequestContext } from '../handler.js';
import { AppendOrder } from '../append-order.js';

/** Per broker: appends to a partition run in request arrival order (see append-order.ts). */
const appendOrders = new WeakMap<object, AppendOrder>();

const ZSTD = 4;

/** Framing checks the log's scan does not do: one batch, magic 2, codec allowed at this version. */
export function checkProduceBatch(records: Buffer | null, apiVersion: number): void {
  if (records === null || records.length === 0) {
    throw new KafkaError(ErrorCode.INVALID_RECORD!, 'produce request partition has no record batch');
  }
  if (records.length < L.RECORD_BATCH_OVERHEAD) {
    throw new KafkaError(ErrorCode.CORRUPT_MESSAGE!, `record batch of ${records.length} bytes is shorter than a batch header (${L.RECORD_BATCH_OVERHEAD})`);
  }
  const magic = records.readInt8(L.MAGIC_OFFSET);
  if (magic !== 2) {
    throw new KafkaError(ErrorCode.INVALID_RECORD!, `record batch magic ${magic}: produce v3+ requires magic v2`);
  }
  const size = records.readInt32BE(L.BATCH_LENGTH_OFFSET) + L.LOG_OVERHEAD;
  if (size > records.length || size < L.RECORD_BATCH_OVERHEAD) {
    throw new KafkaError(ErrorCode.CORRUPT_MESSAGE!, `record batch declares ${size} bytes but ${records.length} were sent`);
  }
  if (size < records.length) {
    throw new KafkaError(ErrorCode.INVALID_RECORD!, 'produce requests must carry exactly one record batch per partition');
  }
  const codec = records.readInt16BE(L.ATTRIBUTES_OFFSET) & L.COMPRESSION_CODEC_MASK;
  if (codec === ZSTD && apiVersion < 7) {
    throw new KafkaError(ErrorCode.UNSUPPORTED_COMPRESSION_TYPE!, 'zstd-compressed batches need Produce v7 or later');
  }
}

async function appendPartition(
  ctx: RequestContext, topic: string, index: number, records: Buffer | null, acks = 1, timeoutMs = 30_000,
): Promise<ProduceResponsePartitionProduceResponse> {
  const { broker } = ctx;
  let order = appendOrders.get(broker);
  if (!order) appendOrders.set(broker, order = new AppendOrder());
  const turn = order.take(`${topic}-${index}`); // taken synchronously, in arrival order
  try {
    checkProduceBatch(records, ctx.apiVersion);
    // CLUSTER HOOK: a partition with no local role yet (topic created through another broker a
    // moment ago): one ZooKeeper re-read before answering UNKNOWN_TOPIC/NOT_LEADER (rate-limited)
    if (broker.cluster && !broker.cluster.partition(topic, index)) await broker.cluster.catchUp(topic);
    let info = broker.topics.get(topic);
    if (!info && broker.autoCreateEnabled) info = await broker.autoCreateTopic(topic);
    if (!info || index < 0 || index >= info.partitions) {
      throw new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION!, `topic-partition ${topic}-${index} does not exist`);
    }
    const log = await broker.partitionLog(topic, index);
    // PRODUCER-STATE HOOK: idempotent/transactional batches (producerId >= 0) are checked by the
    // partition's ProducerStateManager inside Log.append (storage): a retried batch resolves to
    // its ORIGINAL offsets (res.count 0, errorCode 0); out-of-order / fenced epochs reject with
    // errorCode 45 / 47. Appends keep arrival order (AppendOrder) so pipelined sequences hold.
    // COMPRESSION HOOK (ts/pool/produce-validation.ts, engineer I): validates compressed batches
    // (CORRUPT_MESSAGE, nothing appended) and recompresses to the topic's compression.type.
    // CLUSTER HOOK (ts/cluster, brief L): leader check, NOT_ENOUGH_REPLICAS before append, epoch to stamp.
    const leaderEpoch = broker.cluster ? broker.cluster.checkProduce(topic, index, acks) : 0;
    const prepared = await prepareProduceBatches(records!, log.config);
    await turn.ready;
    const appended = log.append(prepared, { origin: 'client', leaderEpoch });
    turn.done();
    const res = await appended;
    broker.notifyAppend(topic, index, prepared.length);
    // CLUSTER HOOK: advance the HW; acks=all waits for the ISR (NOT_ENOUGH_REPLICAS_AFTER_APPEND).
    if (broker.cluster) await broker.cluster.afterAppend(topic, index, res.lastOffset + 1, acks, timeoutMs);
    return {
      index, errorCode: 0, baseOffset: res.baseOffset, logAppendTimeMs: res.logAppendTime,
      logStartOffset: log.logStartOffset, recordErrors: [], errorMessage: null,
    };
  } catch (err) {
    turn.done();
    const code = errorCodeOf(err);
    if (code === -1) ctx.logger.error({ err, topic, partition: index }, 'produce failed');
    return {
      index, errorCode: code, baseOffset: -1, logAppendTimeMs: -1, logStartOffset: -1,
      recordErrors: [], errorMessage: err instanceof Error ? err.message : String(err),
    };
  }
}

export const produce = defineHandler<ProduceRequest, ProduceResponse>({
  apiKey: ApiKey.Produce,
  minVersion: 3,
  advertisedMinVersion: 0,
  maxVersion: 11,
  async handle(req, ctx) {
    const acks = req.acks;
    const validAcks = acks === 0 || acks === 1 || acks === -1;
    const topics = req.topicData.map(async (t): Promise<ProduceResponseTopicProduceResponse> => ({
      name: t.name,
      partitionResponses: await Promise.all(t.partitionData.map((p) =>
        validAcks
          ? appendPartition(ctx, t.name, p.index, p.records as Buffer | null, acks, req.timeoutMs)
          : Promise.resolve({
            index: p.index, errorCode: ErrorCode.INVALID_REQUIRED_ACKS!, baseOffset: -1, logAppendTimeMs: -1,
            logStartOffset: -1, recordErrors: [], errorMessage: `acks=${acks} is invalid: use 0, 1 or -1`,
          }))),
    }));
    if (acks === 0) {
      void Promise.all(topics).then((res) => {
        for (const t of res) for (const p of t.partitionResponses) {
          if (p.errorCode !== 0) ctx.logger.warn({ topic: t.name, partition: p.index, errorCode: p.errorCode }, `acks=0 produce failed: ${p.errorMessage}`);
        }
      });
      return null;
    }
    return { responses: await Promise.all(topics), throttleTimeMs: 0 };
  },
});
