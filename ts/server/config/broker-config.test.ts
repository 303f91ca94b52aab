import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BrokerConfig, parseOverride } from './broker-config.js';
import { closestName, editDistance } from '../../storage/closest-name.js';
import type { ConfigError } from './config-error.js';
import { parsePropertiesText } from './properties-text.js';

function problemsOf(fn: () => unknown): string[] {
  try { fn(); } catch (err) {
    assert.is((err as ConfigError).code, 'SAMSA_CONFIG');
    return (err as ConfigError).message.split('\n');
  }
  throw new Error('expected a ConfigError');
}

// A full Kafka 3.x ZooKeeper-mode server.properties, as shipped (comments trimmed).
const KAFKA_SERVER_PROPERTIES = `
# Licensed to the Apache Software Foundation (ASF)
############################# Server Basics #############################
broker.id=0
############################# Socket Server Settings #############################
#listeners=PLAINTEXT://:9092
#advertised.listeners=PLAINTEXT://your.host.name:9092
#listener.security.protocol.map=PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL
num.network.threads=3
num.io.threads=8
socket.send.buffer.bytes=102400
socket.receive.buffer.bytes=102400
socket.request.max.bytes=104857600
############################# Log Basics #############################
log.dirs=/tmp/kafka-logs
num.partitions=1
num.recovery.threads.per.data.dir=1
############################# Internal Topic Settings  #############################
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
#log.flush.interval.messages=10000
#log.flush.interval.ms=1000
############################# Log Retention Policy #############################
log.retention.hours=168
#log.retention.bytes=1073741824
log.segment.bytes=1073741824
log.retention.check.interval.ms=300000
############################# Zookeeper #############################
zookeeper.connect=localhost:2181
zookeeper.connection.timeout.ms=18000
############################# Group Coordinator Settings #############################
group.initial.rebalance.delay.ms=0
auto.leader.rebalance.enable=true
ssl.keystore.location=/var/private/ssl/kafka.server.keystore.jks
ssl.keystore.password=secret
listener.name.internal.ssl.keystore.location=/x
`;

test('java .properties edge cases: separators, comments, continuations, escapes', () => {
  const entries = parsePropertiesText('# c\n! c\na=1\nb : 2\nc 3\n  d = x\\\n     y\ne=\\u0041\\tz\nk\\ e\\=y=v\nempty=\n');
  assert.equal(entries.map((e) => [e.key, e.value, e.line]), [
    ['a', '1', 3], ['b', '2', 4], ['c', '3', 5], ['d', 'xy', 6], ['e', 'A\tz', 8], ['k e=y', 'v', 9], ['empty', '', 10],
  ]);
});

test('defaults are Samsa\'s documented defaults', () => {
  const c = BrokerConfig.from();
  assert.is(c.brokerId, 0);
  assert.equal(c.listeners.map((l) => [l.name, l.protocol, l.host, l.port, l.allInterfaces, l.bindHosts]),
    [['PLAINTEXT', 'PLAINTEXT', 'localhost', 9092, false, ['127.0.0.1', '::1']]]);
  assert.equal(c.advertisedListeners.map((l) => `${l.host}:${l.port}`), ['localhost:9092']);
  assert.equal(c.logDirs, ['./data']);
  assert.is(c.int('num.partitions'), 1);
  assert.is(c.int('message.max.bytes'), 1048588);
  assert.is(c.int('offsets.topic.num.partitions'), 50);
  assert.is(c.int('group.initial.rebalance.delay.ms'), 3000);
  assert.is(c.int('log.flush.interval.messages'), Number.MAX_SAFE_INTEGER);
  assert.is(c.bool('auto.create.topics.enable'), true);
  assert.is(c.durability, 'pagecache');
  assert.equal(c.warnings, []);
});

test('full Kafka server.properties: values applied, ONE warning listing every ignored Kafka key', () => {
  const c = BrokerConfig.from({ properties: KAFKA_SERVER_PROPERTIES });
  assert.equal(c.logDirs, ['/tmp/kafka-logs']);
  assert.is(c.int('group.initial.rebalance.delay.ms'), 0);
  assert.is(c.string('zookeeper.connect'), 'localhost:2181');
  assert.is(c.warnings.length, 1);
  assert.is(c.warnings[0], 'ignoring Kafka settings that Samsa does not use: num.recovery.threads.per.data.dir, ' +
    'auto.leader.rebalance.enable, ssl.keystore.location, ssl.keystore.password, listener.name.internal.ssl.keystore.location');
  const entry = c.describe().find((e) => e.name === 'log.dirs')!;
  assert.equal([entry.value, entry.source], ['/tmp/kafka-logs', 'file']);
});

test('precedence: file < overrides (in order) < shortcuts', () => {
  const c = BrokerConfig.from({
    properties: 'num.partitions=2\nlisteners=PLAINTEXT://0.0.0.0:9092,INTERNAL://localhost:9093\nlistener.security.protocol.map=PLAINTEXT:PLAINTEXT,INTERNAL:PLAINTEXT\nlog.dirs=/a\n',
    overrides: [['num.partitions', '3'], ['num.partitions', '4'], ['log.dirs', '/b']],
    port: 19092, dataDir: '/c',
  });
  assert.is(c.int('num.partitions'), 4);
  assert.equal(c.logDirs, ['/c']);
  assert.equal(c.listeners.map((l) => [l.name, l.host, l.port, l.allInterfaces]), [['PLAINTEXT', '0.0.0.0', 19092, true], ['INTERNAL', 'localhost', 9093, false]]);
  // An all-interfaces listener is advertised under this machine's name, never 0.0.0.0.
  assert.ok(c.advertisedListeners[0]!.host !== '0.0.0.0' && c.advertisedListeners[0]!.host !== '');
  const src = Object.fromEntries(c.describe().map((e) => [e.name, e.source]));
  assert.equal([src['num.partitions'], src['listeners'], src['log.dirs'], src['num.io.threads']], ['override', 'override', 'override', 'default']);
  assert.equal(c.int('node.id'), -1);
});

test('override parsing', () => {
  assert.equal(parseOverride('a.b= x=y '), ['a.b', 'x=y']);
  assert.equal(problemsOf(() => parseOverride('nokey')), ["--override: 'nokey': expected key=value, e.g. --override num.partitions=3"]);
});

test('each validator names key, value and reason', () => {
  assert.equal(problemsOf(() => BrokerConfig.from({ properties: [
    'listeners=PLAINTEXT://localhost:abc', 'num.partitions=0', 'auto.create.topics.enable=yes', 'log.message.timestamp.type=Now',
    'log.cleanup.policy=delete,shred', 'message.max.bytes=12x', 'offsets.topic.replication.factor=40000', 'log.retention.ms=99999999999999999999',
    'samsa.durability=sometimes', 'cluster.id=a b',
  ].join('\n') })), [
    "server.properties:2: num.partitions: '0': must be at least 1",
    "server.properties:3: auto.create.topics.enable: 'yes': must be true or false",
    "server.properties:7: offsets.topic.replication.factor: '40000': must be between -32768 and 32767 (short)",
    "server.properties:5: log.cleanup.policy: 'delete,shred': 'shred' is not one of compact, delete",
    "server.properties:4: log.message.timestamp.type: 'Now': must be one of CreateTime, LogAppendTime",
    "server.properties:6: message.max.bytes: '12x': must be an integer (int)",
    "server.properties:8: log.retention.ms: '99999999999999999999': must fit in a 64-bit signed integer",
    "server.properties:9: samsa.durability: 'sometimes': must be one of pagecache, fsync",
    "server.properties:10: cluster.id: 'a b': must be letters, digits, - or _ (Kafka cluster ids are base64url UUIDs)",
    "server.properties:1: listeners: 'PLAINTEXT://localhost:abc': port must be a number 0-65535",
  ].sort((a, b) => order(a) - order(b)));
});
// Problems come in definition order; the expected list above is sorted the same way.
const DEF_ORDER = ['cluster.id', 'num.partitions', 'auto.create.topics.enable', 'message.max.bytes', 'log.retention.ms', 'log.cleanup.policy',
  'log.message.timestamp.type', 'offsets.topic.replication.factor', 'samsa.durability', 'listeners'];
function order(line: string): number { return DEF_ORDER.findIndex((k) => line.includes(` ${k}:`)); }

test('listener errors', () => {
  const bad = (listeners: string, extra = ''): string[] => problemsOf(() => BrokerConfig.from({ overrides: { listeners, ...(extra ? { 'advertised.listeners': extra } : {}) } }));
  assert.equal(bad('localhost:9092'), ["--override: listeners: 'localhost:9092': expected NAME://HOST:PORT, e.g. PLAINTEXT://localhost:9092 (IPv6 hosts in brackets)"]);
  assert.equal(bad('PLAINTEXT://h:70000'), ["--override: listeners: 'PLAINTEXT://h:70000': port must be a number 0-65535"]);
  assert.equal(bad('CLIENT://h:1'), ["--override: listeners: 'CLIENT://h:1': listener name 'CLIENT' has no security protocol; add 'CLIENT:PLAINTEXT' (or SSL, SASL_PLAINTEXT, SASL_SSL) to listener.security.protocol.map"]);
  assert.equal(bad('PLAINTEXT://a:1,SSL://b:1'), ["--override: listeners: 'SSL://b:1': port 1 is already used by another listener; ports must be unique"]);
  assert.equal(bad('PLAINTEXT://a:1,PLAINTEXT://b:2'), ["--override: listeners: 'PLAINTEXT://b:2': listener name 'PLAINTEXT' appears twice; names must be unique"]);
  assert.equal(bad('PLAINTEXT://:1', 'PLAINTEXT://0.0.0.0:1'), ["--override: advertised.listeners: 'PLAINTEXT://0.0.0.0:1': 0.0.0.0 cannot be advertised; give a host name or address that clients can reach"]);
  const v6 = BrokerConfig.from({ overrides: { listeners: 'PLAINTEXT://[::1]:0' } });
  assert.equal(v6.listeners.map((l) => [l.host, l.port, l.bindHosts]), [['::1', 0, ['::1']]]);
});

test('KRaft controller listeners are not opened', () => {
  const c = BrokerConfig.from({ properties: 'process.roles=broker,controller\nnode.id=1\ncontroller.quorum.voters=1@localhost:9093\n' +
    'listeners=PLAINTEXT://:9092,CONTROLLER://:9093\ncontroller.listener.names=CONTROLLER\nlistener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT\n' });
  assert.equal(c.listeners.map((l) => l.name), ['PLAINTEXT']);
  assert.is(c.brokerId, 1);
  assert.is(c.warnings.length, 1);
  assert.equal(problemsOf(() => BrokerConfig.from({ properties: 'broker.id=1\nnode.id=2\n' })),
    ["server.properties:2: node.id: '2': must equal broker.id (1) when both are set; keep one of them"]);
});

test('unknown keys are refused with the closest known name', () => {
  assert.equal(problemsOf(() => BrokerConfig.from({ properties: 'log.retention.hour=1\nlistners=PLAINTEXT://:1\nsamsa.durabilty=fsync\nzzzz.qqqq.wwww=1\n' })), [
    "server.properties:1: log.retention.hour: unknown setting, not known to any Kafka release or to Samsa; did you mean 'log.retention.hours'?",
    "server.properties:2: listners: unknown setting, not known to any Kafka release or to Samsa; did you mean 'listeners'?",
    "server.properties:3: samsa.durabilty: unknown setting, not known to any Kafka release or to Samsa; did you mean 'samsa.durability'?",
    "server.properties:4: zzzz.qqqq.wwww: unknown setting, not known to any Kafka release or to Samsa; check the spelling against Kafka's broker configs",
  ]);
});

test('edit distance and closest name', () => {
  assert.is(editDistance('listners', 'listeners'), 1);
  assert.is(editDistance('ab', 'ba'), 1);
  assert.is(editDistance('', 'abc'), 3);
  assert.is(editDistance('kitten', 'sitting'), 3);
  assert.is(closestName('num.partition', ['num.partitions', 'num.io.threads']), 'num.partitions');
  assert.is(closestName('completely.different', ['num.partitions']), undefined);
});

test('topicDefaults maps broker names and applies retention/roll/flush precedence', () => {
  const d = BrokerConfig.from({ properties: 'log.retention.hours=1\nlog.retention.minutes=2\nlog.roll.hours=3\nlog.cleanup.policy=compact, delete\nlog.flush.scheduler.interval.ms=500\n' }).topicDefaults();
  assert.equal(d, {
    'segment.bytes': '1073741824', 'retention.bytes': '-1', 'index.interval.bytes': '4096', 'segment.index.bytes': '10485760',
    'flush.messages': '9223372036854775807', 'cleanup.policy': 'compact,delete', 'max.message.bytes': '1048588',
    'message.timestamp.type': 'CreateTime', 'compression.type': 'producer', 'min.insync.replicas': '1',
    'unclean.leader.election.enable': 'false', 'retention.ms': '120000', 'segment.ms': '10800000', 'flush.ms': '500',
    'compression.gzip.level': '-1', 'compression.lz4.level': '9', 'compression.zstd.level': '3',
    'min.compaction.lag.ms': '0', 'delete.retention.ms': '86400000', 'min.cleanable.dirty.ratio': '0.5',
  });
  const d2 = BrokerConfig.from({ overrides: { 'log.retention.ms': '-1', 'log.retention.minutes': '5', 'log.roll.ms': '42', 'log.flush.interval.ms': '7' } }).topicDefaults();
  assert.equal([d2['retention.ms'], d2['segment.ms'], d2['flush.ms']], ['-1', '42', '7']);
});

test('set(): dynamic updates are validated; read-only settings refused', () => {
  const c = BrokerConfig.from();
  c.set('log.retention.ms', '1000');
  assert.is(c.topicDefaults()['retention.ms'], '1000');
  assert.is(c.describe().find((e) => e.name === 'log.retention.ms')!.source, 'dynamic');
  assert.equal(problemsOf(() => c.set('min.insync.replicas', '0')), ["set(): min.insync.replicas: '0': must be at least 1"]);
  assert.is(c.int('min.insync.replicas'), 1);
  assert.equal(problemsOf(() => c.set('num.partitions', '3')), ["set(): num.partitions: '3': is read-only: restart the broker with --override num.partitions=3"]);
  assert.equal(problemsOf(() => c.set('log.retention.msx', '3')), ["set(): log.retention.msx: '3': not a setting Samsa can change (did you mean 'log.retention.ms'?)"]);
});

test('describe() lists every setting once with source and sensitivity', () => {
  const entries = BrokerConfig.from().describe();
  const names = entries.map((e) => e.name);
  assert.is(new Set(names).size, names.length);
  for (const n of ['broker.id', 'listeners', 'log.dirs', 'samsa.durability', 'num.io.threads']) assert.ok(names.includes(n), n);
  assert.ok(entries.every((e) => e.source === 'default' && e.sensitive === false));
  assert.is(entries.find((e) => e.name === 'num.io.threads')!.used, false);
});

test.run();
