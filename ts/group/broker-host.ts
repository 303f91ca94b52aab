// The GroupCoordinator's view of a Broker: __consumer_offsets through the TopicRegistry, and the
// group settings from the broker config (Kafka's names). __consumer_offsets is created as Kafka
// creates it: offsets.topic.num.partitions partitions, offsets.topic.replication.factor,
// cleanup.policy=compact, segment.bytes=104857600 (offsets.topic.segment.bytes' default).
import type { Broker } from '../server/broker.js';
import type { CoordinatorConfig, CoordinatorHost, OffsetsLog } from './group-coordinator.js';
import { OFFSETS_TOPIC } from './offsets-partition.js';

const TOPIC_ALREADY_EXISTS = 36;

/** A setting by name, or `fallback` when this broker's config does not define it. */
function intOr(broker: Broker, name: string, fallback: number): number {
  try { return broker.config.int(name); } catch { return fallback; }
}

export function coordinatorConfigOf(broker: Broker): CoordinatorConfig {
  return {
    numPartitions: intOr(broker, 'offsets.topic.num.partitions', 50),
    initialRebalanceDelayMs: intOr(broker, 'group.initial.rebalance.delay.ms', 3000),
    minSessionTimeoutMs: intOr(broker, 'group.min.session.timeout.ms', 6000),
    maxSessionTimeoutMs: intOr(broker, 'group.max.session.timeout.ms', 1_800_000),
    maxSize: intOr(broker, 'group.max.size', 0x7fffffff),
    offsetMetadataMaxBytes: intOr(broker, 'offset.metadata.max.bytes', 4096),
    offsetsRetentionMs: intOr(broker, 'offsets.retention.minutes', 10080) * 60_000,
    retentionCheckIntervalMs: intOr(broker, 'offsets.retention.check.interval.ms', 600_000),
  };
}

export function brokerCoordinatorHost(broker: Broker): CoordinatorHost {
  return {
    offsetsTopicPartitions: () => broker.topics.get(OFFSETS_TOPIC)?.partitions ?? null,
    async createOffsetsTopic(partitions) {
      try {
        await broker.topics.create(OFFSETS_TOPIC, {
          partitions,
          replicationFactor: intOr(broker, 'offsets.topic.replication.factor', 1),
          configs: { 'cleanup.policy': 'compact', 'segment.bytes': '104857600' },
        });
      } catch (err) {
        if ((err as { errorCode?: number }).errorCode !== TOPIC_ALREADY_EXISTS) throw err;
      }
    },
    offsetsLog: (partition) => broker.topics.log(OFFSETS_TOPIC, partition) as unknown as OffsetsLog | undefined,
    partitionExists(topic, partition) {
      const t = broker.topics.get(topic);
      return t !== undefined && Number.isInteger(partition) && partition >= 0 && partition < t.partitions;
    },
    notifyAppend: (partition, bytes) => broker.notifyAppend(OFFSETS_TOPIC, partition, bytes),
    warn: (obj, msg) => broker.logger.warn(obj, msg),
  };
}
