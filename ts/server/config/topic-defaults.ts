// Broker-level log settings → the topic-level names a topic falls back to (Kafka's
// LogConfig "synonyms"). Values stay in text form, as topic configs are strings on the wire.
// Precedence: retention.ms = log.retention.ms, else minutes × 60 000, else hours × 3 600 000
// (any negative result means "forever", -1); segment.ms = log.roll.ms, else hours × 3 600 000;
// flush.ms = log.flush.interval.ms, else log.flush.scheduler.interval.ms.

type TextOf = (brokerKey: string) => string | null;

/** Direct renames, broker name → topic name. */
export const TOPIC_SYNONYMS: Readonly<Record<string, string>> = {
  'log.segment.bytes': 'segment.bytes',
  'log.retention.bytes': 'retention.bytes',
  'log.index.interval.bytes': 'index.interval.bytes',
  'log.index.size.max.bytes': 'segment.index.bytes',
  'log.flush.interval.messages': 'flush.messages',
  'log.cleanup.policy': 'cleanup.policy',
  'message.max.bytes': 'max.message.bytes',
  'log.message.timestamp.type': 'message.timestamp.type',
  'compression.type': 'compression.type',
  'compression.gzip.level': 'compression.gzip.level',
  'compression.lz4.level': 'compression.lz4.level',
  'compression.zstd.level': 'compression.zstd.level',
  'log.cleaner.min.compaction.lag.ms': 'min.compaction.lag.ms',
  'log.cleaner.delete.retention.ms': 'delete.retention.ms',
  'log.cleaner.min.cleanable.ratio': 'min.cleanable.dirty.ratio',
  'min.insync.replicas': 'min.insync.replicas',
  'unclean.leader.election.enable': 'unclean.leader.election.enable',
};

function firstOf(textOf: TextOf, ...steps: Array<[string, number]>): string {
  for (const [key, factor] of steps) {
    const t = textOf(key);
    if (t === null) continue;
    const n = Number(t) * factor;
    return factor === 1 ? t : String(n < 0 ? -1 : n);
  }
  return '-1';
}

export function topicDefaultsOf(textOf: TextOf): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [broker, topic] of Object.entries(TOPIC_SYNONYMS)) {
    const t = textOf(broker);
    if (t !== null) out[topic] = broker === 'log.cleanup.policy' ? t.split(',').map((s) => s.trim()).filter(Boolean).join(',') : t;
  }
  const retention = firstOf(textOf, ['log.retention.ms', 1], ['log.retention.minutes', 60_000], ['log.retention.hours', 3_600_000]);
  out['retention.ms'] = Number(retention) < 0 ? '-1' : retention;
  out['segment.ms'] = firstOf(textOf, ['log.roll.ms', 1], ['log.roll.hours', 3_600_000]);
  out['flush.ms'] = firstOf(textOf, ['log.flush.interval.ms', 1], ['log.flush.scheduler.interval.ms', 1]);
  return out;
}
