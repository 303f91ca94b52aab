// A topic's effective configuration as DescribeConfigs reports it: each topic-level key with its
// value, where that value comes from, its type and its synonyms (Kafka's DescribeConfigs facts).
//
// Precedence (highest first): the topic's override (TOPIC_CONFIG) → the broker setting it falls
// back to, when set dynamically (DYNAMIC_DEFAULT_BROKER_CONFIG) or in server.properties/--override
// (STATIC_BROKER_CONFIG) → the default (DEFAULT_CONFIG). Broker fallbacks are Kafka's synonyms,
// e.g. retention.ms ← log.retention.ms ← log.retention.minutes ← log.retention.hours.
import type { ConfigEntry } from './config/broker-config.js';
import type { ConfigType as BrokerConfigType } from './config/config-def.js';
import { TOPIC_SYNONYMS } from './config/topic-defaults.js';
import { DEFAULT_LOG_CONFIG, LOG_CONFIG_KEYS, logConfigToProps } from '../storage/log-config.js';

/** DescribeConfigs ConfigSource values. */
export const ConfigSource = {
  UNKNOWN: 0, TOPIC_CONFIG: 1, DYNAMIC_BROKER_CONFIG: 2, DYNAMIC_DEFAULT_BROKER_CONFIG: 3,
  STATIC_BROKER_CONFIG: 4, DEFAULT_CONFIG: 5, DYNAMIC_BROKER_LOGGER_CONFIG: 6,
} as const;

/** DescribeConfigs ConfigType values (v3+). */
export const ConfigType = {
  UNKNOWN: 0, BOOLEAN: 1, STRING: 2, INT: 3, SHORT: 4, LONG: 5, DOUBLE: 6, LIST: 7, CLASS: 8, PASSWORD: 9,
} as const;

export function configTypeCode(t: BrokerConfigType): number {
  return ConfigType[t.toUpperCase() as keyof typeof ConfigType] ?? ConfigType.UNKNOWN;
}

/** What the registry needs from BrokerConfig. */
export interface BrokerConfigView {
  topicDefaults(): Record<string, string>;
  describe(): ConfigEntry[];
}

export interface ConfigSynonym { name: string; value: string | null; source: number }

export interface DescribedConfig {
  name: string;
  value: string | null;
  source: number;
  readOnly: boolean;
  sensitive: boolean;
  type: number;
  documentation: string;
  /** Effective first, then the lower-precedence ones (include_synonyms). */
  synonyms: ConfigSynonym[];
}

const T = ConfigType;
const TOPIC_KEYS: Record<string, [type: number, doc: string]> = {
  'segment.bytes': [T.INT, 'Segment file size at which a new segment is rolled.'],
  'segment.ms': [T.LONG, 'Age after which the active segment is rolled even if not full.'],
  'segment.index.bytes': [T.INT, 'Maximum size of a segment\'s offset and time index.'],
  'index.interval.bytes': [T.INT, 'Bytes of log between two offset index entries.'],
  'retention.ms': [T.LONG, 'How long old segments are kept before deletion; -1 keeps them forever.'],
  'retention.bytes': [T.LONG, 'Partition size above which the oldest segments are deleted; -1 means no limit.'],
  'flush.messages': [T.LONG, 'Messages appended between two forced fsyncs of the log.'],
  'flush.ms': [T.LONG, 'Time between two forced fsyncs of the log.'],
  'cleanup.policy': [T.LIST, 'delete (by retention), compact (keep the latest value per key), or both.'],
  'max.message.bytes': [T.INT, 'Largest record batch the topic accepts.'],
  'message.timestamp.type': [T.STRING, 'CreateTime (producer time) or LogAppendTime (broker time).'],
  'min.insync.replicas': [T.INT, 'In-sync replicas needed for an acks=all write to succeed.'],
  'unclean.leader.election.enable': [T.BOOLEAN, 'Allow an out-of-sync replica to become leader (may lose data).'],
  'compression.type': [T.STRING, 'Codec of stored batches; producer keeps what the producer sent.'],
  'delete.retention.ms': [T.LONG, 'How long tombstones are kept in compacted topics.'],
  'file.delete.delay.ms': [T.LONG, 'Delay before a deleted segment file is removed from disk.'],
  'min.cleanable.dirty.ratio': [T.DOUBLE, 'Dirty-to-total ratio at which a compacted log is cleaned.'],
  'preallocate': [T.BOOLEAN, 'Preallocate segment files (accepted, no effect in Samsa).'],
  'min.compaction.lag.ms': [T.LONG, 'Minimum age of a record before it may be compacted.'],
  'compression.gzip.level': [T.INT, 'gzip level used when compression.type is gzip.'],
  'compression.lz4.level': [T.INT, 'lz4 level used when compression.type is lz4.'],
  'compression.zstd.level': [T.INT, 'zstd level used when compression.type is zstd.'],
};

/** Broker settings each topic key falls back to, highest precedence first. */
const BROKER_SYNONYMS: Record<string, string[]> = {
  'retention.ms': ['log.retention.ms', 'log.retention.minutes', 'log.retention.hours'],
  'segment.ms': ['log.roll.ms', 'log.roll.hours'],
  'flush.ms': ['log.flush.interval.ms', 'log.flush.scheduler.interval.ms'],
};
for (const [broker, topic] of Object.entries(TOPIC_SYNONYMS)) (BROKER_SYNONYMS[topic] ??= []).push(broker);

export function brokerSynonymsOf(topicKey: string): readonly string[] {
  return BROKER_SYNONYMS[topicKey] ?? [];
}

export function isTopicConfigKey(key: string): boolean {
  return LOG_CONFIG_KEYS.includes(key);
}

/** Effective topic config as a string map: defaults ← broker topic defaults ← overrides. */
export function effectiveTopicProps(overrides: Record<string, string>, broker: BrokerConfigView): Record<string, string> {
  return { ...logConfigToProps(DEFAULT_LOG_CONFIG), ...broker.topicDefaults(), ...overrides };
}

function brokerSource(s: ConfigEntry['source']): number {
  return s === 'dynamic' ? ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG : s === 'default' ? ConfigSource.DEFAULT_CONFIG : ConfigSource.STATIC_BROKER_CONFIG;
}

/** Every topic-level config of a topic, with value, source and synonyms. */
export function describeTopicConfig(overrides: Record<string, string>, broker: BrokerConfigView): DescribedConfig[] {
  const effective = effectiveTopicProps(overrides, broker);
  const brokerEntries = new Map(broker.describe().map((e) => [e.name, e]));
  const out: DescribedConfig[] = [];
  for (const name of LOG_CONFIG_KEYS) {
    const synonyms: ConfigSynonym[] = [];
    if (name in overrides) synonyms.push({ name, value: overrides[name]!, source: ConfigSource.TOPIC_CONFIG });
    for (const b of brokerSynonymsOf(name)) {
      const e = brokerEntries.get(b);
      if (e && e.value !== null) synonyms.push({ name: b, value: e.value, source: brokerSource(e.source) });
    }
    // Kafka lists explicitly set synonyms before defaults.
    synonyms.sort((a, b) => rank(a.source) - rank(b.source));
    const [type, documentation] = TOPIC_KEYS[name] ?? [T.STRING, ''];
    const source = synonyms[0]?.source ?? ConfigSource.DEFAULT_CONFIG;
    out.push({ name, value: effective[name] ?? null, source, readOnly: false, sensitive: false, type, documentation, synonyms });
  }
  return out;
}

function rank(source: number): number {
  return source === ConfigSource.DEFAULT_CONFIG ? 9 : source;
}
