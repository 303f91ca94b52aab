// The names of every broker setting that some Apache Kafka release (0.8 to 4.x) accepts in
// server.properties: the ZooKeeper-era, KRaft-era, security, quota, tiered-storage, group and
// share-group settings, including ones later removed (host.name, port, log.message.format.version).
// Names only: gathered as facts from Kafka's broker-config documentation and KafkaConfig/*Configs
// constants. Used by BrokerConfig to tell "a Kafka setting Samsa ignores" (one warning) from "a
// setting no Kafka release knows" (refused as a likely typo, with the closest name suggested).
//
// Prefix families are matched separately (KAFKA_CONFIG_PREFIXES): per-listener overrides
// (`listener.name.<listener>.<setting>`) and vendor extensions that Kafka itself passes through.

const GENERAL = [
  'broker.id', 'broker.id.generation.enable', 'reserved.broker.max.id', 'node.id', 'process.roles',
  'message.max.bytes', 'num.network.threads', 'num.io.threads', 'background.threads',
  'num.replica.alter.log.dirs.threads', 'queued.max.requests', 'queued.max.request.bytes',
  'request.timeout.ms', 'socket.connection.setup.timeout.ms', 'socket.connection.setup.timeout.max.ms',
  'broker.rack', 'auto.create.topics.enable', 'delete.topic.enable', 'compression.type',
  'compression.gzip.level', 'compression.lz4.level', 'compression.zstd.level',
  'unstable.api.versions.enable', 'unstable.feature.versions.enable', 'unstable.metadata.versions.enable',
  'early.start.listeners', 'inter.broker.protocol.version', 'config.providers', 'host.name', 'port',
  'advertised.host.name', 'advertised.port', 'broker.heartbeat.interval.ms', 'broker.session.timeout.ms',
  'initial.broker.registration.timeout.ms', 'server.max.startup.time.ms', 'max.incremental.fetch.session.cache.slots',
  'fetch.max.bytes', 'fetch.purgatory.purge.interval.requests', 'producer.purgatory.purge.interval.requests',
  'delete.records.purgatory.purge.interval.requests', 'telemetry.max.bytes', 'eligible.leader.replicas.enable',
  'auto.include.jmx.reporter', 'create.topic.policy.class.name', 'alter.config.policy.class.name',
  'client.quota.callback.class', 'replica.selector.class', 'authorizer.class.name', 'super.users',
  'allow.everyone.if.no.acl.found', 'principal.builder.class', 'security.providers',
  'connections.max.reauth.ms', 'connections.max.idle.ms', 'connection.failed.authentication.delay.ms',
  'max.connections', 'max.connections.per.ip', 'max.connections.per.ip.overrides',
  'max.connection.creation.rate', 'log4j.root.loglevel', 'min.insync.replicas', 'max.request.partition.size.limit',
];

const SOCKET = [
  'listeners', 'advertised.listeners', 'listener.security.protocol.map', 'control.plane.listener.name',
  'inter.broker.listener.name', 'security.inter.broker.protocol', 'socket.send.buffer.bytes',
  'socket.receive.buffer.bytes', 'socket.request.max.bytes', 'socket.listen.backlog.size',
];

const LOG = [
  'num.partitions', 'log.dir', 'log.dirs', 'log.segment.bytes', 'log.roll.ms', 'log.roll.hours',
  'log.roll.jitter.ms', 'log.roll.jitter.hours', 'log.retention.ms', 'log.retention.minutes',
  'log.retention.hours', 'log.retention.bytes', 'log.retention.check.interval.ms', 'log.cleanup.policy',
  'log.cleanup.interval.mins', 'log.index.size.max.bytes', 'log.index.interval.bytes',
  'log.flush.interval.messages', 'log.flush.interval.ms', 'log.flush.scheduler.interval.ms',
  'log.flush.offset.checkpoint.interval.ms', 'log.flush.start.offset.checkpoint.interval.ms',
  'log.segment.delete.delay.ms', 'log.preallocate', 'log.message.format.version',
  'log.message.timestamp.type', 'log.message.timestamp.difference.max.ms',
  'log.message.timestamp.before.max.ms', 'log.message.timestamp.after.max.ms',
  'log.message.downconversion.enable', 'log.max.id.map.snapshots', 'log.initial.task.delay.ms',
  'log.dir.failure.timeout.ms', 'log.local.retention.ms', 'log.local.retention.bytes',
  'num.recovery.threads.per.data.dir', 'log.cleaner.enable', 'log.cleaner.threads',
  'log.cleaner.io.max.bytes.per.second', 'log.cleaner.dedupe.buffer.size', 'log.cleaner.io.buffer.size',
  'log.cleaner.io.buffer.load.factor', 'log.cleaner.backoff.ms', 'log.cleaner.min.cleanable.ratio',
  'log.cleaner.delete.retention.ms', 'log.cleaner.min.compaction.lag.ms',
  'log.cleaner.max.compaction.lag.ms', 'log.cleaner.dedupe.buffer.load.factor',
];

const REPLICATION = [
  'default.replication.factor', 'replica.lag.time.max.ms', 'replica.lag.max.messages',
  'replica.socket.timeout.ms', 'replica.socket.receive.buffer.bytes', 'replica.fetch.max.bytes',
  'replica.fetch.wait.max.ms', 'replica.fetch.min.bytes', 'replica.fetch.response.max.bytes',
  'replica.fetch.backoff.ms', 'num.replica.fetchers', 'replica.high.watermark.checkpoint.interval.ms',
  'auto.leader.rebalance.enable', 'leader.imbalance.per.broker.percentage',
  'leader.imbalance.check.interval.seconds', 'unclean.leader.election.enable',
  'unclean.leader.election.interval.ms', 'controller.socket.timeout.ms', 'controller.message.queue.size',
  'controlled.shutdown.enable', 'controlled.shutdown.max.retries', 'controlled.shutdown.retry.backoff.ms',
  'follower.fetch.last.tiered.offset.enable',
];

const ZOOKEEPER = [
  'zookeeper.connect', 'zookeeper.session.timeout.ms', 'zookeeper.connection.timeout.ms',
  'zookeeper.sync.time.ms', 'zookeeper.set.acl', 'zookeeper.max.in.flight.requests',
  'zookeeper.metadata.migration.enable', 'zookeeper.metadata.migration.min.batch.size',
  'zookeeper.ssl.client.enable', 'zookeeper.clientCnxnSocket', 'zookeeper.ssl.keystore.location',
  'zookeeper.ssl.keystore.password', 'zookeeper.ssl.keystore.type', 'zookeeper.ssl.truststore.location',
  'zookeeper.ssl.truststore.password', 'zookeeper.ssl.truststore.type', 'zookeeper.ssl.protocol',
  'zookeeper.ssl.enabled.protocols', 'zookeeper.ssl.cipher.suites',
  'zookeeper.ssl.endpoint.identification.algorithm', 'zookeeper.ssl.crl.enable', 'zookeeper.ssl.ocsp.enable',
];

const KRAFT = [
  'controller.listener.names', 'controller.quorum.voters', 'controller.quorum.bootstrap.servers',
  'controller.quorum.election.timeout.ms', 'controller.quorum.fetch.timeout.ms',
  'controller.quorum.election.backoff.max.ms', 'controller.quorum.append.linger.ms',
  'controller.quorum.request.timeout.ms', 'controller.quorum.retry.backoff.ms',
  'controller.quorum.auto.join.enable', 'controller.quota.window.num', 'controller.quota.window.size.seconds',
  'controller.performance.sample.period.ms', 'controller.performance.always.log.threshold.ms',
  'metadata.log.dir', 'metadata.log.max.record.bytes.between.snapshots', 'metadata.log.max.snapshot.interval.ms',
  'metadata.log.segment.bytes', 'metadata.log.segment.min.bytes', 'metadata.log.segment.ms',
  'metadata.max.retention.bytes', 'metadata.max.retention.ms', 'metadata.max.idle.interval.ms',
  'sasl.mechanism.controller.protocol', 'migration.metadata.min.batch.size',
];

const GROUP = [
  'group.min.session.timeout.ms', 'group.max.session.timeout.ms', 'group.initial.rebalance.delay.ms',
  'group.max.size', 'group.coordinator.rebalance.protocols', 'group.coordinator.threads',
  'group.coordinator.new.enable', 'group.coordinator.append.linger.ms', 'group.share.enable',
  'group.consumer.session.timeout.ms', 'group.consumer.min.session.timeout.ms',
  'group.consumer.max.session.timeout.ms', 'group.consumer.heartbeat.interval.ms',
  'group.consumer.min.heartbeat.interval.ms', 'group.consumer.max.heartbeat.interval.ms',
  'group.consumer.max.size', 'group.consumer.assignors', 'group.consumer.migration.policy',
  'group.consumer.regex.refresh.interval.ms', 'group.share.session.timeout.ms',
  'group.share.min.session.timeout.ms', 'group.share.max.session.timeout.ms',
  'group.share.heartbeat.interval.ms', 'group.share.min.heartbeat.interval.ms',
  'group.share.max.heartbeat.interval.ms', 'group.share.max.groups', 'group.share.max.size',
  'group.share.record.lock.duration.ms', 'group.share.min.record.lock.duration.ms',
  'group.share.max.record.lock.duration.ms', 'group.share.delivery.count.limit',
  'group.share.partition.max.record.locks', 'group.share.assignors', 'group.consumer.max.groups',
  'group.streams.session.timeout.ms', 'group.streams.heartbeat.interval.ms', 'group.streams.max.size',
  'share.coordinator.state.topic.num.partitions', 'share.coordinator.state.topic.replication.factor',
  'share.coordinator.state.topic.segment.bytes', 'share.coordinator.state.topic.min.isr',
  'share.coordinator.threads', 'share.coordinator.append.linger.ms', 'share.coordinator.write.timeout.ms',
  'share.coordinator.load.buffer.size', 'share.coordinator.snapshot.update.records.per.snapshot',
  'share.fetch.purgatory.purge.interval.requests',
  'offset.metadata.max.bytes', 'offsets.load.buffer.size', 'offsets.topic.replication.factor',
  'offsets.topic.num.partitions', 'offsets.topic.segment.bytes', 'offsets.topic.compression.codec',
  'offsets.retention.minutes', 'offsets.retention.check.interval.ms', 'offsets.commit.timeout.ms',
  'offsets.commit.required.acks',
];

const TRANSACTIONS = [
  'transactional.id.expiration.ms', 'transaction.max.timeout.ms', 'transaction.state.log.min.isr',
  'transaction.state.log.load.buffer.size', 'transaction.state.log.num.partitions',
  'transaction.state.log.segment.bytes', 'transaction.state.log.replication.factor',
  'transaction.abort.timed.out.transaction.cleanup.interval.ms',
  'transaction.remove.expired.transaction.cleanup.interval.ms',
  'transaction.partition.verification.enable', 'producer.id.expiration.ms',
  'producer.id.expiration.check.interval.ms', 'add.partitions.to.txn.retry.backoff.max.ms',
  'add.partitions.to.txn.retry.backoff.ms', 'transaction.two.phase.commit.enable',
];

const QUOTAS_METRICS = [
  'quota.window.num', 'quota.window.size.seconds', 'replication.quota.window.num',
  'replication.quota.window.size.seconds', 'alter.log.dirs.replication.quota.window.num',
  'alter.log.dirs.replication.quota.window.size.seconds', 'quota.consumer.default', 'quota.producer.default',
  'metric.reporters', 'metrics.num.samples', 'metrics.sample.window.ms', 'metrics.recording.level',
  'kafka.metrics.reporters', 'kafka.metrics.polling.interval.secs', 'client.telemetry.max.bytes',
];

const SSL = [
  'ssl.protocol', 'ssl.provider', 'ssl.cipher.suites', 'ssl.enabled.protocols', 'ssl.keystore.type',
  'ssl.keystore.location', 'ssl.keystore.password', 'ssl.key.password', 'ssl.keystore.key',
  'ssl.keystore.certificate.chain', 'ssl.truststore.type', 'ssl.truststore.location',
  'ssl.truststore.password', 'ssl.truststore.certificates', 'ssl.keymanager.algorithm',
  'ssl.trustmanager.algorithm', 'ssl.endpoint.identification.algorithm',
  'ssl.secure.random.implementation', 'ssl.client.auth', 'ssl.principal.mapping.rules',
  'ssl.engine.factory.class', 'ssl.allow.dn.changes', 'ssl.allow.san.changes',
];

const SASL = [
  'sasl.mechanism.inter.broker.protocol', 'sasl.jaas.config', 'sasl.enabled.mechanisms',
  'sasl.server.callback.handler.class', 'sasl.client.callback.handler.class', 'sasl.login.class',
  'sasl.login.callback.handler.class', 'sasl.kerberos.service.name', 'sasl.kerberos.kinit.cmd',
  'sasl.kerberos.ticket.renew.window.factor', 'sasl.kerberos.ticket.renew.jitter',
  'sasl.kerberos.min.time.before.relogin', 'sasl.kerberos.principal.to.local.rules',
  'sasl.login.refresh.window.factor', 'sasl.login.refresh.window.jitter',
  'sasl.login.refresh.min.period.seconds', 'sasl.login.refresh.buffer.seconds',
  'sasl.login.connect.timeout.ms', 'sasl.login.read.timeout.ms', 'sasl.login.retry.backoff.ms',
  'sasl.login.retry.backoff.max.ms', 'sasl.server.max.receive.size',
  'sasl.oauthbearer.jwks.endpoint.url', 'sasl.oauthbearer.jwks.endpoint.refresh.ms',
  'sasl.oauthbearer.jwks.endpoint.retry.backoff.ms', 'sasl.oauthbearer.jwks.endpoint.retry.backoff.max.ms',
  'sasl.oauthbearer.token.endpoint.url', 'sasl.oauthbearer.scope.claim.name',
  'sasl.oauthbearer.sub.claim.name', 'sasl.oauthbearer.expected.audience',
  'sasl.oauthbearer.expected.issuer', 'sasl.oauthbearer.clock.skew.seconds',
  'sasl.oauthbearer.jwt.retriever.class', 'sasl.oauthbearer.jwt.validator.class',
  'sasl.oauthbearer.header.urlencode', 'sasl.oauthbearer.assertion.algorithm',
  'sasl.oauthbearer.assertion.file', 'sasl.oauthbearer.assertion.private.key.file',
  'sasl.oauthbearer.assertion.private.key.passphrase', 'sasl.oauthbearer.assertion.template.file',
  'sasl.oauthbearer.client.credentials.client.id', 'sasl.oauthbearer.client.credentials.client.secret',
  'sasl.oauthbearer.assertion.claim.aud', 'sasl.oauthbearer.assertion.claim.exp.seconds',
  'sasl.oauthbearer.assertion.claim.iss', 'sasl.oauthbearer.assertion.claim.jti.include',
  'sasl.oauthbearer.assertion.claim.nbf.seconds', 'sasl.oauthbearer.assertion.claim.sub',
  'delegation.token.master.key', 'delegation.token.secret.key', 'delegation.token.max.lifetime.ms',
  'delegation.token.expiry.time.ms', 'delegation.token.expiry.check.interval.ms',
  'password.encoder.secret', 'password.encoder.old.secret', 'password.encoder.keyfactory.algorithm',
  'password.encoder.cipher.algorithm', 'password.encoder.key.length', 'password.encoder.iterations',
];

const TIERED_STORAGE = [
  'remote.log.storage.system.enable', 'remote.log.storage.manager.class.name',
  'remote.log.storage.manager.class.path', 'remote.log.storage.manager.impl.prefix',
  'remote.log.metadata.manager.class.name', 'remote.log.metadata.manager.class.path',
  'remote.log.metadata.manager.impl.prefix', 'remote.log.metadata.manager.listener.name',
  'remote.log.metadata.custom.metadata.max.bytes', 'remote.log.index.file.cache.total.size.bytes',
  'remote.log.manager.thread.pool.size', 'remote.log.manager.copier.thread.pool.size',
  'remote.log.manager.expiration.thread.pool.size', 'remote.log.manager.follower.thread.pool.size',
  'remote.log.manager.task.interval.ms', 'remote.log.manager.task.retry.backoff.ms',
  'remote.log.manager.task.retry.backoff.max.ms', 'remote.log.manager.task.retry.jitter',
  'remote.log.manager.copy.max.bytes.per.second', 'remote.log.manager.copy.quota.window.num',
  'remote.log.manager.copy.quota.window.size.seconds', 'remote.log.manager.fetch.max.bytes.per.second',
  'remote.log.manager.fetch.quota.window.num', 'remote.log.manager.fetch.quota.window.size.seconds',
  'remote.log.reader.threads', 'remote.log.reader.max.pending.tasks', 'remote.fetch.max.wait.ms',
  'remote.list.offsets.request.timeout.ms', 'log.remote.storage.system.enable',
];

/** Every broker setting name some Kafka release knows. */
export const KAFKA_BROKER_CONFIG_NAMES: ReadonlySet<string> = new Set([
  ...GENERAL, ...SOCKET, ...LOG, ...REPLICATION, ...ZOOKEEPER, ...KRAFT, ...GROUP, ...TRANSACTIONS,
  ...QUOTAS_METRICS, ...SSL, ...SASL, ...TIERED_STORAGE,
]);

/**
 * Key prefixes Kafka accepts with any suffix: per-listener security overrides
 * (`listener.name.internal.ssl.keystore.location`), pluggable-implementation settings of tiered
 * storage, and the keys that Confluent's and other distributions add to server.properties.
 */
export const KAFKA_CONFIG_PREFIXES: readonly string[] = [
  'listener.name.', 'rlmm.config.', 'rsm.config.', 'remote.log.metadata.', 'confluent.',
  'config.providers.',
];

/** True if some Kafka release accepts `key` in server.properties. */
export function isKafkaBrokerConfig(key: string): boolean {
  return KAFKA_BROKER_CONFIG_NAMES.has(key) || KAFKA_CONFIG_PREFIXES.some((p) => key.startsWith(p));
}
