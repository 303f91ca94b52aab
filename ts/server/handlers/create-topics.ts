// CreateTopics v2-7 (Kafka 4.0: 2-7). v1 errorMessage + validateOnly; v4 numPartitions /
// replicationFactor -1 = broker defaults (num.partitions, default.replication.factor); v5 flexible,
// the result carries numPartitions, replicationFactor and the topic's configs; v7 topicId.
// Manual assignments: numPartitions and replicationFactor must then be -1, partitions 0..n-1, and
// every replica list must be exactly [this broker] (INVALID_REPLICA_ASSIGNMENT otherwise).
// A name listed twice → INVALID_REQUEST for it. Topics succeed or fail one by one.
// Cluster mode (CLUSTER HOOK, ts/cluster/metadata-catch-up.ts): a created topic is answered only
// once this broker's metadata cache has a leader for each of its partitions (Kafka's
// DelayedCreatePartitions), so a Metadata request or produce right after succeeds; beyond the
// request's timeoutMs it is answered REQUEST_TIMED_OUT (the topic is still being created).
// timeoutMs <= 0 or validateOnly: answered at once, as in Kafka.
import { ApiKey } from '../../protocol/generated/api-keys.js';
import type { CreateTopicsRequest, CreateTopicsResponse, CreateTopicsRequestCreatableTopic } from '../../protocol/generated/messages.js';
import { ErrorCode, KafkaError, errorCodeOf } from '../../protocol/error-codes.js';
import { defineHandler } from '../handler.js';
import type { Broker } from '../broker.js';
import { ZERO_TOPIC_ID } from '../topic-id.js';

const INVALID_REQUEST = 42, INVALID_REPLICA_ASSIGNMENT = 39;

function shape(t: CreateTopicsRequestCreatableTopic, brokerId: number): { partitions: number; replicationFactor: number } {
  if (t.assignments.length === 0) return { partitions: t.numPartitions, replicationFactor: t.replicationFactor };
  if (t.numPartitions !== -1 || t.replicationFactor !== -1) {
    throw new KafkaError(INVALID_REQUEST, 'both numPartitions or replicationFactor and manual assignments were set: use one or the other');
  }
  const sorted = [...t.assignments].sort((a, b) => a.partitionIndex - b.partitionIndex);
  sorted.forEach((a, i) => {
    if (a.partitionIndex !== i) throw new KafkaError(INVALID_REPLICA_ASSIGNMENT, `partition indexes must be 0..${sorted.length - 1} without gaps`);
    if (a.brokerIds.length !== 1 || a.brokerIds[0] !== brokerId) {
      throw new KafkaError(INVALID_REPLICA_ASSIGNMENT, `partition ${a.partitionIndex} is assigned to brokers [${a.brokerIds.join(', ')}]; this cluster has only broker ${brokerId}`);
    }
  });
  return { partitions: sorted.length, replicationFactor: 1 };
}

async function createOne(broker: Broker, t: CreateTopicsRequestCreatableTopic, validateOnly: boolean) {
  const { partitions, replicationFactor } = shape(t, broker.brokerId);
  const configs: Record<string, string | null> = {};
  for (const c of t.configs) configs[c.name] = c.value;
  const info = await broker.topics.create(t.name, { partitions, replicationFactor, configs, validateOnly });
  const described = validateOnly ? [] : broker.topics.effectiveConfig(t.name);
  return {
    name: t.name, topicId: validateOnly ? ZERO_TOPIC_ID : info.topicId, errorCode: 0, errorMessage: null,
    numPartitions: info.partitions, replicationFactor: info.replicationFactor,
    configs: described.map((c) => ({ name: c.name, value: c.value, readOnly: c.readOnly, configSource: c.source, isSensitive: c.sensitive })),
  };
}

export const createTopics = defineHandler<CreateTopicsRequest, CreateTopicsResponse>({
  apiKey: ApiKey.CreateTopics,
  minVersion: 2,
  maxVersion: 7,
  async handle(req, ctx) {
    const counts = new Map<string, number>();
    for (const t of req.topics) counts.set(t.name, (counts.get(t.name) ?? 0) + 1);
    const topics = [];
    for (const t of req.topics) {
      try {
        if (counts.get(t.name)! > 1) throw new KafkaError(INVALID_REQUEST, `topic '${t.name}' is listed more than once in the request`);
        topics.push(await createOne(ctx.broker, t, req.validateOnly ?? false));
      } catch (err) {
        topics.push({
          name: t.name, topicId: ZERO_TOPIC_ID, errorCode: errorCodeOf(err), errorMessage: (err as Error).message,
          numPartitions: -1, replicationFactor: -1, configs: [],
        });
      }
    }
    // CLUSTER HOOK: wait until this broker's cache has every new partition's leader (bounded by timeoutMs)
    const cluster = ctx.broker.cluster;
    if (cluster && !req.validateOnly && req.timeoutMs > 0) {
      await Promise.all(topics.map(async (t) => {
        if (t.errorCode !== 0 || await cluster.awaitTopicLeaders(t.name, t.numPartitions, req.timeoutMs)) return;
        t.errorCode = ErrorCode.REQUEST_TIMED_OUT!;
        t.errorMessage = `topic '${t.name}' was created but its partition leaders were not known to broker ${ctx.broker.brokerId} ` +
          `within the request's timeoutMs ${req.timeoutMs}: it is still being created; retry Metadata later`;
      }));
    }
    return { throttleTimeMs: 0, topics };
  },
});
