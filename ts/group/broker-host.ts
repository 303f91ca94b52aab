// The GroupCoordinator's view of a Broker: __consumer_offsets through the TopicRegistry, and the
// group settings from the broker config (Kafka's names). __consumer_offsets is created as Kafka
// creates it: offsets.topic.num.partitions partitions, offsets.topic.replication.factor,
// cleanup.policy=compact, segment.bytes=104857600 (offsets.topic.segment.bytes' default).
// In cluster mode the coordinator serves only the __consumer_offsets partitions this broker leads
// (`leads`), and its appends go through the replication path (replicatedOffsetsLog).
import type { Broker } from '../server/broker.js';
import type { CoordinatorConfig, CoordinatorHost, OffsetsLog } from './group-coordinator.js';
import { OFFSETS_TOPIC } from './offsets-partition.js';

const TOPIC_ALREADY_EXISTS = 36;

/** A setting by name, or `fallback` when this broker's config does not define it. */
function intOr(broker: Broker, name: string, fallback: number): number {
  try { return broker.config.int(name); } catch { return fallback; }
}

/**
 * Replication factor of __consumer_offsets: the configured one; unset, 1 on a single broker and
 * Kafka's 3 (capped at the live brokers) in cluster mode, so that groups and committed offsets
 * survive the death of their coordinator without the operator knowing to ask for it.
 */
function offsetsReplicationFactor(broker: Broker): number {
  if (broker.config.isSet('offsets.topic.replication.factor') || !broker.cluster) return intOr(broker, 'offsets.topic.replication.factor', 1);
  return Math.min(3, broker.cluster.liveBrokerCount);
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

type LeaderLog = OffsetsLog & { append(buf: Buffer, opts: { leaderEpoch: number }): Promise<{ lastOffset: number }> };

/**
 * CLUSTER HOOK (ts/cluster): group records are written as the partition's leader would write a
 * produce with acks=all (Kafka's offsets.commit.required.acks = -1): stamped with the leader
 * epoch, then acknowledged once the ISR has them. Off the leader → NOT_LEADER_OR_FOLLOWER (the
 * coordinator answers NOT_COORDINATOR); under min ISR → NOT_ENOUGH_REPLICAS (COORDINATOR_NOT_AVAILABLE).
 */
function replicatedOffsetsLog(broker: Broker, partition: number, log: LeaderLog): OffsetsLog {
  const cluster = broker.cluster!;
  return {
    get logStartOffset() { return log.logStartOffset; },
    get writtenEndOffset() { return log.writtenEndOffset; },
    readBuffers: (offset, opts) => log.readBuffers(offset, opts),
    async append(buf) {
      const leaderEpoch = cluster.checkProduce(OFFSETS_TOPIC, partition, -1);
      const res = await log.append(buf, { leaderEpoch });
      await cluster.afterAppend(OFFSETS_TOPIC, partition, res.lastOffset + 1, -1, intOr(broker, 'offsets.commit.timeout.ms', 5000));
      return res;
    },
  };
}

export function brokerCoordinatorHost(broker: Broker): CoordinatorHost {
  return {
    offsetsTopicPartitions: () => broker.topics.get(OFFSETS_TOPIC)?.partitions ?? null,
    async createOffsetsTopic(partitions) {
      try {
        await broker.topics.create(OFFSETS_TOPIC, {
          partitions,
          replicationFactor: offsetsReplicationFactor(broker),
          configs: { 'cleanup.policy': 'compact', 'segment.bytes': '104857600' },
        });
      } catch (err) {
        if ((err as { errorCode?: number }).errorCode !== TOPIC_ALREADY_EXISTS) throw err;
      }
    },
    offsetsLog: (partition) => {
      const log = broker.topics.log(OFFSETS_TOPIC, partition) as unknown as LeaderLog | undefined;
      return log && broker.cluster ? replicatedOffsetsLog(broker, partition, log) : log;
    },
    ...(broker.cluster ? { leads: (p: number) => broker.cluster?.partition(OFFSETS_TOPIC, p)?.role === 'leader' } : {}),
    partitionExists(topic, partition) {
      const t = broker.topics.get(topic);
      return t !== undefined && Number.isInteger(partition) && partition >= 0 && partition < t.partitions;
    },
    notifyAppend: (partition, bytes) => broker.notifyAppend(OFFSETS_TOPIC, partition, bytes),
    warn: (obj, msg) => broker.logger.warn(obj, msg),
  };
}
