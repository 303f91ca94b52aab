// The broker settings Samsa reads, by Kafka's names, with Kafka's types, defaults, validators,
// importance and update modes. Where Samsa's default differs from Kafka's, `kafkaDefault` keeps
// Kafka's and the doc says why. Settings marked `used: false` are accepted for compatibility with
// Kafka's server.properties and have no effect. Samsa's own settings use the `samsa.` prefix.
//
// Precedence facts kept from Kafka: log.retention.ms > log.retention.minutes > log.retention.hours;
// log.roll.ms > log.roll.hours; log.dirs > log.dir; log.flush.interval.ms falls back to
// log.flush.scheduler.interval.ms; zookeeper.connection.timeout.ms falls back to the session timeout.
import type { ConfigDef, ConfigType, Importance, UpdateMode } from './config-def.js';

const LONG_MAX = '9223372036854775807';
const INT_MAX = 2147483647;
const COMPRESSION = ['uncompressed', 'zstd', 'lz4', 'snappy', 'gzip', 'producer'];

type Extra = Partial<Pick<ConfigDef, 'min' | 'max' | 'oneOf' | 'check' | 'kafkaDefault' | 'used'>>;

function d(name: string, type: ConfigType, dflt: string | null, importance: Importance,
  updateMode: UpdateMode, doc: string, extra: Extra = {}): ConfigDef {
  return { name, type, default: dflt, importance, updateMode, used: true, doc, ...extra };
}

const compat = { used: false } as const;
const checkClusterId = (t: string): string | null =>
  /^[A-Za-z0-9_-]+$/.test(t) ? null : 'must be letters, digits, - or _ (Kafka cluster ids are base64url UUIDs)';

export const BROKER_CONFIG_DEFS: readonly ConfigDef[] = [
  // --- identity
  d('broker.id', 'int', '0', 'high', 'read-only',
    'Id of this broker, unique in the cluster. Kafka defaults to -1 (generate an id via ZooKeeper, above reserved.broker.max.id); Samsa defaults to 0 so that a single node needs no setting. -1 is accepted and resolves to node.id if set, else 0.',
    { kafkaDefault: '-1', min: -1 }),
  d('node.id', 'int', '-1', 'high', 'read-only',
    "KRaft's name for the broker id; an alias of broker.id (if both are set they must be equal). -1 means unset.", { min: -1 }),
  d('broker.rack', 'string', null, 'medium', 'read-only', 'Rack of this broker, reported in Metadata for rack-aware clients.'),
  d('cluster.id', 'string', null, 'medium', 'read-only',
    "Samsa: the cluster id. Unset means: read it from meta.properties, or generate one on first start and keep it there. Kafka has no such broker setting (it reads meta.properties only).",
    { check: checkClusterId }),
  // --- network
  d('listeners', 'string', 'PLAINTEXT://localhost:9092', 'high', 'per-broker',
    "Comma-separated NAME://HOST:PORT endpoints to listen on. Host '' or 0.0.0.0 binds every interface; localhost binds 127.0.0.1 and ::1. Kafka's default is PLAINTEXT://:9092 (all interfaces); Samsa binds only localhost unless told otherwise.",
    { kafkaDefault: 'PLAINTEXT://:9092' }),
  d('advertised.listeners', 'string', null, 'high', 'per-broker',
    'Endpoints given to clients in Metadata, if different from listeners (unset: the listeners, with an all-interfaces host replaced by this machine\'s host name).'),
  d('listener.security.protocol.map', 'string', 'PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL', 'low', 'per-broker',
    'LISTENER_NAME:PROTOCOL pairs giving the security protocol of each listener name.'),
  d('socket.request.max.bytes', 'int', '104857600', 'high', 'read-only',
    'Largest request frame accepted; a larger frame is refused and its connection closed.', { min: 1 }),
  d('socket.send.buffer.bytes', 'int', '102400', 'high', 'read-only', 'SO_SNDBUF of client connections; -1 keeps the OS default.', { min: -1 }),
  d('socket.receive.buffer.bytes', 'int', '102400', 'high', 'read-only', 'SO_RCVBUF of client connections; -1 keeps the OS default.', { min: -1 }),
  d('queued.max.requests', 'int', '500', 'high', 'read-only',
    'Requests that may wait for processing before the broker stops reading from connections.', { min: 1 }),
  d('connections.max.idle.ms', 'long', '600000', 'medium', 'read-only', 'Idle connections are closed after this many milliseconds.'),
  d('num.network.threads', 'int', '3', 'high', 'cluster-wide',
    'Accepted for compatibility: Samsa serves the network from the Node event loop.', { min: 1, ...compat }),
  d('num.io.threads', 'int', '8', 'high', 'cluster-wide',
    'Accepted for compatibility: Samsa does disk I/O through libuv and its worker pool.', { min: 1, ...compat }),
  // --- topics
  d('num.partitions', 'int', '1', 'medium', 'read-only', 'Partitions of an automatically created topic.', { min: 1 }),
  d('default.replication.factor', 'int', '1', 'medium', 'read-only', 'Replication factor of an automatically created topic.', { min: 1 }),
  d('auto.create.topics.enable', 'boolean', 'true', 'high', 'read-only', 'Create a topic when a client asks for metadata of, or produces to, an unknown topic.'),
  d('delete.topic.enable', 'boolean', 'true', 'high', 'read-only', 'Allow DeleteTopics; when false, deletion requests are refused.'),
  d('message.max.bytes', 'int', '1048588', 'high', 'cluster-wide',
    'Largest record batch accepted (topic-level max.message.bytes).', { min: 0 }),
  // --- log storage
  d('log.dirs', 'list', null, 'high', 'read-only', 'Comma-separated data directories; unset means log.dir.'),
  d('log.dir', 'string', './data', 'high', 'read-only',
    "Data directory used when log.dirs is unset. Kafka's default is /tmp/kafka-logs, which the OS may wipe; Samsa keeps data in ./data under the working directory.",
    { kafkaDefault: '/tmp/kafka-logs' }),
  d('log.segment.bytes', 'int', '1073741824', 'high', 'cluster-wide', 'Size at which a segment is rolled (topic-level segment.bytes).', { min: 14 }),
  d('log.roll.ms', 'long', null, 'high', 'cluster-wide', 'Age at which a segment is rolled; overrides log.roll.hours (topic-level segment.ms).', { min: 1 }),
  d('log.roll.hours', 'int', '168', 'high', 'read-only', 'Age in hours at which a segment is rolled, when log.roll.ms is unset.', { min: 1 }),
  d('log.retention.ms', 'long', null, 'high', 'cluster-wide',
    'Time to keep a segment after its last record; -1 keeps forever. Overrides minutes and hours (topic-level retention.ms).', { min: -1 }),
  d('log.retention.minutes', 'int', null, 'high', 'read-only', 'Retention in minutes, when log.retention.ms is unset; overrides hours.', { min: -1 }),
  d('log.retention.hours', 'int', '168', 'high', 'read-only', 'Retention in hours, when ms and minutes are unset.', { min: -1 }),
  d('log.retention.bytes', 'long', '-1', 'high', 'cluster-wide', 'Partition size above which old segments are deleted; -1 means no limit (topic-level retention.bytes).', { min: -1 }),
  d('log.retention.check.interval.ms', 'long', '300000', 'medium', 'read-only', 'How often retention is checked.', { min: 1 }),
  d('log.index.interval.bytes', 'int', '4096', 'medium', 'cluster-wide', 'Bytes of log between two offset-index entries (topic-level index.interval.bytes).', { min: 0 }),
  d('log.index.size.max.bytes', 'int', '10485760', 'medium', 'cluster-wide', 'Maximum size of an offset or time index file (topic-level segment.index.bytes).', { min: 4 }),
  d('log.flush.interval.messages', 'long', LONG_MAX, 'high', 'cluster-wide',
    'Records appended to a partition before it is fsynced (topic-level flush.messages). The default means never: durability comes from replication and the page cache.', { min: 1 }),
  d('log.flush.interval.ms', 'long', null, 'high', 'cluster-wide',
    'Maximum time a record stays unflushed (topic-level flush.ms); unset means log.flush.scheduler.interval.ms.'),
  d('log.flush.scheduler.interval.ms', 'long', LONG_MAX, 'high', 'read-only', 'How often the flusher checks whether a log needs flushing.'),
  d('log.flush.offset.checkpoint.interval.ms', 'int', '60000', 'high', 'read-only',
    'How often recovery-point-offset-checkpoint is written.', { min: 0 }),
  d('log.flush.start.offset.checkpoint.interval.ms', 'int', '60000', 'high', 'read-only',
    'How often log-start-offset-checkpoint is written.', { min: 0 }),
  d('log.segment.delete.delay.ms', 'long', '60000', 'high', 'cluster-wide', 'Delay before a deleted segment file is removed from disk.', { min: 0 }),
  d('log.cleanup.policy', 'list', 'delete', 'medium', 'cluster-wide', 'delete and/or compact (topic-level cleanup.policy).', { oneOf: ['compact', 'delete'] }),
  d('log.cleaner.enable', 'boolean', 'true', 'medium', 'read-only', 'Run the log cleaner for compacted topics.'),
  d('log.cleaner.backoff.ms', 'long', '15000', 'medium', 'read-only', 'Pause between two log cleaner passes over the compacted logs.', { min: 0 }),
  d('log.cleaner.min.cleanable.ratio', 'double', '0.5', 'medium', 'cluster-wide',
    'Dirty-to-total ratio at which a compacted log is cleaned (topic-level min.cleanable.dirty.ratio).', { min: 0, max: 1 }),
  d('log.cleaner.delete.retention.ms', 'long', '86400000', 'medium', 'cluster-wide',
    'How long tombstones are kept in compacted logs (topic-level delete.retention.ms).', { min: 0 }),
  d('log.cleaner.min.compaction.lag.ms', 'long', '0', 'medium', 'cluster-wide',
    'Minimum age of a record before it may be compacted (topic-level min.compaction.lag.ms).', { min: 0 }),
  d('log.message.timestamp.type', 'string', 'CreateTime', 'medium', 'cluster-wide',
    'CreateTime keeps the producer timestamp; LogAppendTime stamps the broker time (topic-level message.timestamp.type).',
    { oneOf: ['CreateTime', 'LogAppendTime'] }),
  d('compression.type', 'string', 'producer', 'high', 'cluster-wide',
    "Compression of stored batches; 'producer' keeps what the producer sent.", { oneOf: COMPRESSION }),
  d('compression.gzip.level', 'int', '-1', 'medium', 'cluster-wide', 'gzip level for compression.type=gzip (KIP-390); -1 is the codec default.', { min: -1, max: 9 }),
  d('compression.lz4.level', 'int', '9', 'medium', 'cluster-wide', 'lz4 level for compression.type=lz4 (KIP-390).', { min: 1, max: 17 }),
  d('compression.zstd.level', 'int', '3', 'medium', 'cluster-wide', 'zstd level for compression.type=zstd (KIP-390).', { min: -131072, max: 22 }),
  d('replica.high.watermark.checkpoint.interval.ms', 'long', '5000', 'high', 'read-only', 'How often replication-offset-checkpoint (high watermarks) is written.'),
  // --- replication
  d('min.insync.replicas', 'int', '1', 'high', 'cluster-wide', 'In-sync replicas needed to accept an acks=all produce.', { min: 1 }),
  d('unclean.leader.election.enable', 'boolean', 'false', 'high', 'cluster-wide', 'Allow an out-of-sync replica to become leader (may lose acknowledged data).'),
  d('replica.lag.time.max.ms', 'long', '30000', 'high', 'read-only', 'A follower that has not caught up for this long leaves the ISR.'),
  d('replica.fetch.max.bytes', 'int', '1048576', 'medium', 'read-only', 'Bytes a follower asks for per partition in one fetch.', { min: 0 }),
  d('zookeeper.connect', 'string', null, 'high', 'read-only', 'host:port[,host:port...][/chroot] of the ZooKeeper ensemble; unset runs a single node without ZooKeeper.'),
  d('zookeeper.session.timeout.ms', 'int', '18000', 'high', 'read-only', 'ZooKeeper session timeout; a broker whose session expires leaves the cluster.'),
  d('zookeeper.connection.timeout.ms', 'int', null, 'high', 'read-only', 'Time to wait for a ZooKeeper connection; unset means the session timeout.'),
  // --- groups and transactions
  d('offsets.topic.num.partitions', 'int', '50', 'high', 'read-only', 'Partitions of __consumer_offsets (must not change once created).', { min: 1 }),
  d('offsets.topic.replication.factor', 'short', '1', 'high', 'read-only',
    "Replication factor of __consumer_offsets. Kafka's default is 3, which a single broker cannot satisfy (its sample server.properties sets 1); Samsa defaults to 1 on a single broker and, when unset in cluster mode, to 3 capped at the live brokers.",
    { kafkaDefault: '3', min: 1 }),
  d('offsets.retention.minutes', 'int', '10080', 'high', 'read-only', 'Committed offsets of an empty group are kept this long.', { min: 1 }),
  d('offsets.retention.check.interval.ms', 'long', '600000', 'high', 'read-only', 'How often the group coordinator looks for expired committed offsets.', { min: 1 }),
  d('offset.metadata.max.bytes', 'int', '4096', 'high', 'read-only', 'Largest metadata string stored with a committed offset.'),
  d('group.initial.rebalance.delay.ms', 'int', '3000', 'medium', 'read-only', 'Wait for more members before the first rebalance of an empty group.'),
  d('group.min.session.timeout.ms', 'int', '6000', 'medium', 'read-only', 'Smallest session timeout a member may ask for.'),
  d('group.max.session.timeout.ms', 'int', '1800000', 'medium', 'read-only', 'Largest session timeout a member may ask for.'),
  d('group.max.size', 'int', String(INT_MAX), 'medium', 'read-only', 'Largest number of members in one classic group.', { min: 1 }),
  d('transactional.id.expiration.ms', 'int', '604800000', 'high', 'read-only', 'A transactional id unused this long is expired.', { min: 1 }),
  d('transaction.max.timeout.ms', 'int', '900000', 'high', 'read-only', 'Largest transaction timeout a producer may ask for.', { min: 1 }),
  d('transaction.state.log.replication.factor', 'short', '1', 'high', 'read-only',
    "Replication factor of __transaction_state. Kafka's default is 3; Samsa defaults to 1 (as offsets.topic.replication.factor).",
    { kafkaDefault: '3', min: 1 }),
  d('transaction.state.log.min.isr', 'int', '1', 'high', 'read-only',
    "min.insync.replicas of __transaction_state. Kafka's default is 2; Samsa defaults to 1.", { kafkaDefault: '2', min: 1 }),
  d('transaction.state.log.num.partitions', 'int', '50', 'high', 'read-only', 'Partitions of __transaction_state.', { min: 1 }),
  d('producer.id.expiration.ms', 'int', '86400000', 'low', 'cluster-wide', 'Producer state of a producer id unused this long is dropped.', { min: 1 }),
  // --- Samsa's own
  d('samsa.durability', 'string', 'pagecache', 'high', 'read-only',
    "pagecache: acknowledge once written to the OS (Kafka's model, flush by interval); fsync: fsync before acknowledging, with group commit.",
    { oneOf: ['pagecache', 'fsync'] }),
];

export const BROKER_CONFIG_DEF_MAP: ReadonlyMap<string, ConfigDef> = new Map(BROKER_CONFIG_DEFS.map((x) => [x.name, x]));
