// Topic-level log configuration with Kafka's names and defaults (LogConfig.java /
// ServerLogConfigs.java). `parseLogConfig` takes the string map a client sends in CreateTopics /
// AlterConfigs and returns typed values, or throws InvalidConfigError naming the key and reason.
// Unknown keys are rejected (Kafka answers INVALID_CONFIG for them too).
import { InvalidConfigError } from './errors.js';
import { closestName } from './closest-name.js';

export type CleanupPolicy = 'delete' | 'compact' | 'compact,delete';
export type TimestampType = 'CreateTime' | 'LogAppendTime';

export interface LogConfig {
  segmentBytes: number;          // segment.bytes
  segmentMs: number;             // segment.ms
  segmentIndexBytes: number;     // segment.index.bytes
  indexIntervalBytes: number;    // index.interval.bytes
  retentionMs: number;           // retention.ms (-1 = forever)
  retentionBytes: number;        // retention.bytes (-1 = unlimited)
  flushMessages: number;         // flush.messages (MAX_SAFE_INTEGER = never)
  flushMs: number;               // flush.ms
  cleanupPolicy: CleanupPolicy;  // cleanup.policy
  maxMessageBytes: number;       // max.message.bytes
  messageTimestampType: TimestampType; // message.timestamp.type
  minInsyncReplicas: number;     // min.insync.replicas
  uncleanLeaderElectionEnable: boolean;
  compressionType: string;       // compression.type
  deleteRetentionMs: number;     // delete.retention.ms
  fileDeleteDelayMs: number;     // file.delete.delay.ms
  minCleanableDirtyRatio: number; // min.cleanable.dirty.ratio
  preallocate: boolean;          // accepted, ignored (see offset-index.ts: no preallocation)
  minCompactionLagMs: number;    // min.compaction.lag.ms (cleaner, engineer I)
  compressionGzipLevel: number;  // compression.gzip.level (KIP-390; -1 = zlib default)
  compressionLz4Level: number;   // compression.lz4.level
  compressionZstdLevel: number;  // compression.zstd.level
}

const DAY = 24 * 60 * 60 * 1000;
const NEVER = Number.MAX_SAFE_INTEGER; // Kafka's Long.MAX_VALUE, kept a safe integer

export const DEFAULT_LOG_CONFIG: Readonly<LogConfig> = Object.freeze({
  segmentBytes: 1024 * 1024 * 1024,
  segmentMs: 7 * DAY,
  segmentIndexBytes: 10 * 1024 * 1024,
  indexIntervalBytes: 4096,
  retentionMs: 7 * DAY,
  retentionBytes: -1,
  flushMessages: NEVER,
  flushMs: NEVER,
  cleanupPolicy: 'delete',
  maxMessageBytes: 1024 * 1024 + 12,
  messageTimestampType: 'CreateTime',
  minInsyncReplicas: 1,
  uncleanLeaderElectionEnable: false,
  compressionType: 'producer',
  deleteRetentionMs: DAY,
  fileDeleteDelayMs: 60_000,
  minCleanableDirtyRatio: 0.5,
  preallocate: false,
  minCompactionLagMs: 0,
  compressionGzipLevel: -1,
  compressionLz4Level: 9,
  compressionZstdLevel: 3,
});

type Kind = { t: 'int'; min: number; max?: number } | { t: 'enum'; values: readonly string[] } | { t: 'bool' } | { t: 'ratio' };
const INT_MAX = 2 ** 31 - 1;

const KEYS: Record<string, [keyof LogConfig, Kind]> = {
  'segment.bytes': ['segmentBytes', { t: 'int', min: 14, max: INT_MAX }],
  'segment.ms': ['segmentMs', { t: 'int', min: 1 }],
  'segment.index.bytes': ['segmentIndexBytes', { t: 'int', min: 8, max: INT_MAX }],
  'index.interval.bytes': ['indexIntervalBytes', { t: 'int', min: 0, max: INT_MAX }],
  'retention.ms': ['retentionMs', { t: 'int', min: -1 }],
  'retention.bytes': ['retentionBytes', { t: 'int', min: -1 }],
  'flush.messages': ['flushMessages', { t: 'int', min: 1 }],
  'flush.ms': ['flushMs', { t: 'int', min: 0 }],
  'cleanup.policy': ['cleanupPolicy', { t: 'enum', values: ['delete', 'compact', 'compact,delete'] }],
  'max.message.bytes': ['maxMessageBytes', { t: 'int', min: 0, max: INT_MAX }],
  'message.timestamp.type': ['messageTimestampType', { t: 'enum', values: ['CreateTime', 'LogAppendTime'] }],
  'min.insync.replicas': ['minInsyncReplicas', { t: 'int', min: 1, max: INT_MAX }],
  'unclean.leader.election.enable': ['uncleanLeaderElectionEnable', { t: 'bool' }],
  'compression.type': ['compressionType', { t: 'enum', values: ['uncompressed', 'zstd', 'lz4', 'snappy', 'gzip', 'producer'] }],
  'delete.retention.ms': ['deleteRetentionMs', { t: 'int', min: 0 }],
  'file.delete.delay.ms': ['fileDeleteDelayMs', { t: 'int', min: 0 }],
  'min.cleanable.dirty.ratio': ['minCleanableDirtyRatio', { t: 'ratio' }],
  'preallocate': ['preallocate', { t: 'bool' }],
  'min.compaction.lag.ms': ['minCompactionLagMs', { t: 'int', min: 0 }],
  'compression.gzip.level': ['compressionGzipLevel', { t: 'int', min: -1, max: 9 }],
  'compression.lz4.level': ['compressionLz4Level', { t: 'int', min: 1, max: 17 }],
  'compression.zstd.level': ['compressionZstdLevel', { t: 'int', min: -131072, max: 22 }],
};

export const LOG_CONFIG_KEYS: readonly string[] = Object.keys(KEYS);

function parseValue(key: string, raw: string, kind: Kind): number | string | boolean {
  const s = raw.trim();
  switch (kind.t) {
    case 'int': {
      if (!/^-?\d+$/.test(s)) throw new InvalidConfigError(key, `"${raw}" is not an integer`);
      // Kafka accepts Long.MAX_VALUE for "never"; clamp anything beyond a safe integer to NEVER.
      const n = Number(s);
      const v = n > NEVER ? NEVER : n;
      if (v < kind.min) throw new InvalidConfigError(key, `${s} is below the minimum ${kind.min}`);
      if (kind.max !== undefined && v > kind.max) throw new InvalidConfigError(key, `${s} is above the maximum ${kind.max}`);
      return v;
    }
    case 'enum': {
      const norm = key === 'cleanup.policy' ? s.split(',').map((p) => p.trim()).sort().join(',') : s;
      if (!kind.values.includes(norm)) throw new InvalidConfigError(key, `"${raw}" is not one of ${kind.values.join(' | ')}`);
      return norm;
    }
    case 'bool': {
      const l = s.toLowerCase();
      if (l !== 'true' && l !== 'false') throw new InvalidConfigError(key, `"${raw}" is not true or false`);
      return l === 'true';
    }
    case 'ratio': {
      const n = Number(s);
      if (s === '' || !Number.isFinite(n) || n < 0 || n > 1) throw new InvalidConfigError(key, `"${raw}" is not a number in [0, 1]`);
      return n;
    }
  }
}

/** Why `key` is refused, with the nearest topic config name when it looks like a typo. */
function unknownKeyReason(key: string): string {
  const near = closestName(key, LOG_CONFIG_KEYS);
  return near ? `unknown topic config; did you mean '${near}'?`
    : `unknown topic config; topic configs are Kafka's topic-level names such as 'retention.ms', 'cleanup.policy', 'segment.bytes'`;
}

/** Parses Kafka topic configs (string map) over `base` (defaults when omitted). */
export function parseLogConfig(props: Record<string, string> | Map<string, string>, base: Readonly<LogConfig> = DEFAULT_LOG_CONFIG): LogConfig {
  const out: LogConfig = { ...base };
  const entries = props instanceof Map ? [...props] : Object.entries(props);
  for (const [key, raw] of entries) {
    const spec = KEYS[key];
    if (!spec) throw new InvalidConfigError(key, unknownKeyReason(key));
    if (typeof raw !== 'string') throw new InvalidConfigError(key, 'value must be a string');
    (out as unknown as Record<string, unknown>)[spec[0]] = parseValue(key, raw, spec[1]);
  }
  return out;
}

/** Validates a LogConfig built in code (the embedded API) and fills defaults. */
export function logConfigOf(partial: Partial<LogConfig> = {}): LogConfig {
  const out: LogConfig = { ...DEFAULT_LOG_CONFIG, ...partial };
  for (const [key, [field, kind]] of Object.entries(KEYS)) {
    const v = out[field];
    if (kind.t === 'int') {
      if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw new InvalidConfigError(key, `${String(v)} is not an integer`);
      if (v < kind.min || (kind.max !== undefined && v > kind.max)) throw new InvalidConfigError(key, `${v} is outside [${kind.min}, ${kind.max ?? NEVER}]`);
    }
  }
  return out;
}

/** The string map form (DescribeConfigs). */
export function logConfigToProps(config: LogConfig): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, [field]] of Object.entries(KEYS)) out[key] = String(config[field]);
  return out;
}
