import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { BrokerConfig } from './config/broker-config.js';
import type { LogConfig } from '../storage/log-config.js';
import { readPartitionMetadata, writePartitionMetadata } from '../storage/partition-metadata.js';
import { ConfigSource } from './topic-config.js';
import { toKafkaBase64 } from './topic-id.js';
import { TopicRegistry, type PartitionLog, type RegistryLogManager, type TopicChange } from './topic-registry.js';
import { FileTopicStore, TOPICS_FILE } from './topic-store.js';

/** Stand-in for storage's LogManager: one directory per partition with partition.metadata. */
class DirLogManager implements RegistryLogManager {
  readonly logs = new Map<string, PartitionLog>();
  constructor(readonly root: string) {
    for (const name of fs.readdirSync(root)) {
      const m = /^(.+)-(\d+)$/.exec(name);
      if (m && fs.statSync(join(root, name)).isDirectory()) {
        this.logs.set(name, { topic: m[1]!, partition: Number(m[2]), dir: join(root, name), config: {} as LogConfig });
      }
    }
  }
  async getOrCreateLog(topic: string, partition: number, config: LogConfig, topicId?: string): Promise<PartitionLog> {
    const key = `${topic}-${partition}`;
    let log = this.logs.get(key);
    if (!log) {
      const dir = join(this.root, key);
      fs.mkdirSync(dir, { recursive: true });
      if (topicId) await writePartitionMetadata(dir, topicId);
      log = { topic, partition, dir, config };
      this.logs.set(key, log);
    }
    return log;
  }
  getLog(topic: string, partition: number) { return this.logs.get(`${topic}-${partition}`); }
  async deleteLog(topic: string, partition: number) {
    const log = this.logs.get(`${topic}-${partition}`);
    if (log) { fs.rmSync(log.dir, { recursive: true, force: true }); this.logs.delete(`${topic}-${partition}`); }
  }
  allLogs() { return this.logs.values(); }
}

function setup(dir: string, overrides: Record<string, string> = {}) {
  const lm = new DirLogManager(dir);
  const config = BrokerConfig.from({ overrides: { 'log.dirs': dir, ...overrides } });
  const registry = new TopicRegistry({ logManager: lm, config, store: new FileTopicStore(dir) });
  return { lm, registry, config };
}

function withDir(fn: (dir: string) => Promise<void>) {
  return async () => {
    const dir = fs.mkdtempSync(os.tmpdir() + '/samsa-');
    try { await fn(dir); } finally { fs.rmSync(dir, { recursive: true, force: true }); }
  };
}

const rejects = async (p: Promise<unknown>, errorCode: number, re?: RegExp) => {
  try { await p; } catch (e: any) {
    assert.is(e.errorCode, errorCode, e.message);
    if (re) assert.match(e.message, re);
    return;
  }
  assert.unreachable(`expected error ${errorCode}`);
};

test('create: defaults, partition dirs with the topic id, events; duplicate refused', withDir(async (dir) => {
  const { lm, registry } = setup(dir, { 'num.partitions': '3' });
  await registry.load();
  const events: TopicChange[] = [];
  registry.onChange((c) => events.push(c));
  const t = await registry.create('orders', { configs: { 'retention.ms': '60000' } });
  assert.is(t.partitions, 3);
  assert.is(t.replicationFactor, 1);
  assert.equal(t.configs, { 'retention.ms': '60000' });
  assert.is(t.internal, false);
  assert.equal([...lm.logs.keys()].sort(), ['orders-0', 'orders-1', 'orders-2']);
  assert.is(readPartitionMetadata(join(dir, 'orders-1')), toKafkaBase64(t.topicId));
  assert.is(lm.getLog('orders', 0)!.config.retentionMs, 60000);
  assert.is(registry.getById(t.topicId), t);
  assert.equal(events.map((e) => e.type), ['created']);
  await rejects(registry.create('orders'), 36);
}));

test('create validation: names, collisions, partitions, replication factor, configs', withDir(async (dir) => {
  const { registry, lm } = setup(dir);
  await registry.load();
  await registry.create('a.b', { partitions: 1 });
  await rejects(registry.create('a_b'), 17, /collides with existing topic 'a.b'/);
  await rejects(registry.create('bad name'), 17);
  await rejects(registry.create('..'), 17);
  await rejects(registry.create('x'.repeat(250)), 17);
  await rejects(registry.create('p0', { partitions: 0 }), 37);
  await rejects(registry.create('p2', { partitions: -2 }), 37);
  await rejects(registry.create('r3', { replicationFactor: 3 }), 38, /available brokers \(1\)/);
  await rejects(registry.create('r0', { replicationFactor: 0 }), 38);
  await rejects(registry.create('c1', { configs: { 'retention.ms': 'soon' } }), 40, /retention\.ms/);
  await rejects(registry.create('c2', { configs: { 'no.such.key': '1' } }), 40, /no\.such\.key/);
  await rejects(registry.create('c3', { configs: { 'cleanup.policy': null } }), 40, /cleanup\.policy/);
  const v = await registry.create('dry', { partitions: 4, validateOnly: true });
  assert.is(v.partitions, 4);
  assert.is(registry.get('dry'), undefined);
  assert.equal(registry.list().map((t) => t.name), ['a.b']);
  assert.equal([...lm.logs.keys()], ['a.b-0']);
}));

test('delete then recreate gives a new topic id; deletion removes the dirs', withDir(async (dir) => {
  const { registry, lm } = setup(dir);
  await registry.load();
  const first = await registry.create('t', { partitions: 2 });
  const events: string[] = [];
  registry.onChange((c) => events.push(`${c.type}:${c.topic.name}`));
  await registry.delete('t');
  assert.is(registry.get('t'), undefined);
  assert.is(registry.getById(first.topicId), undefined);
  assert.equal([...lm.logs.keys()], []);
  assert.not.ok(fs.existsSync(join(dir, 't-0')));
  await rejects(registry.delete('t'), 3);
  const second = await registry.create('t', { partitions: 1 });
  assert.is.not(second.topicId, first.topicId);
  assert.equal(events, ['deleted:t', 'created:t']);
}));

test('internal topics can be deleted (as Kafka brokers allow); delete.topic.enable=false refuses', withDir(async (dir) => {
  const { registry } = setup(dir);
  await registry.load();
  const t = await registry.create('__consumer_offsets', { partitions: 2 });
  assert.is(t.internal, true);
  await registry.delete('__consumer_offsets');
  const d2 = fs.mkdtempSync(os.tmpdir() + '/samsa-');
  try {
    const { registry: r2 } = setup(d2, { 'delete.topic.enable': 'false' });
    await r2.load();
    await r2.create('keep');
    await rejects(r2.delete('keep'), 73);
  } finally { fs.rmSync(d2, { recursive: true, force: true }); }
}));

test('createPartitions grows only; validate_only changes nothing', withDir(async (dir) => {
  const { registry, lm } = setup(dir);
  await registry.load();
  await registry.create('g', { partitions: 2 });
  await rejects(registry.createPartitions('g', 2), 37, /already has 2/);
  await rejects(registry.createPartitions('g', 1), 37, /can only grow/);
  await rejects(registry.createPartitions('nope', 3), 3);
  assert.is((await registry.createPartitions('g', 5, true)).partitions, 5);
  assert.is(registry.get('g')!.partitions, 2);
  const grown = await registry.createPartitions('g', 4);
  assert.is(grown.partitions, 4);
  assert.equal([...lm.logs.keys()].sort(), ['g-0', 'g-1', 'g-2', 'g-3']);
  assert.is(readPartitionMetadata(join(dir, 'g-3')), toKafkaBase64(grown.topicId));
}));

test('alterConfigs: set, remove, replace, validation; logs get the new config; sources', withDir(async (dir) => {
  const { registry, lm } = setup(dir, { 'log.retention.hours': '24' });
  await registry.load();
  await registry.create('c', { partitions: 1, configs: { 'segment.bytes': '1048576' } });
  const byName = () => Object.fromEntries(registry.effectiveConfig('c').map((e) => [e.name, e]));
  assert.is(byName()['retention.ms']!.value, '86400000');
  assert.is(byName()['retention.ms']!.source, ConfigSource.STATIC_BROKER_CONFIG);
  assert.equal(byName()['retention.ms']!.synonyms.map((s) => s.name), ['log.retention.hours']);
  assert.is(byName()['segment.bytes']!.source, ConfigSource.TOPIC_CONFIG);
  assert.is(byName()['max.message.bytes']!.source, ConfigSource.DEFAULT_CONFIG);
  await registry.alterConfigs('c', { set: { 'retention.ms': '1000' } });
  assert.equal(registry.get('c')!.configs, { 'segment.bytes': '1048576', 'retention.ms': '1000' });
  assert.is(lm.getLog('c', 0)!.config.retentionMs, 1000);
  assert.equal(byName()['retention.ms']!.synonyms.map((s) => [s.name, s.source]), [['retention.ms', 1], ['log.retention.hours', 4]]);
  await registry.alterConfigs('c', { remove: ['segment.bytes'] });
  assert.equal(registry.get('c')!.configs, { 'retention.ms': '1000' });
  await rejects(registry.alterConfigs('c', { set: { 'min.insync.replicas': '0' } }), 40, /min\.insync\.replicas/);
  await rejects(registry.alterConfigs('c', { remove: ['bogus.key'] }), 40);
  await registry.alterConfigs('c', { set: { 'cleanup.policy': 'compact' } }, true);
  assert.equal(registry.get('c')!.configs, { 'retention.ms': '1000' });
  await registry.alterConfigs('c', { set: { 'cleanup.policy': 'compact' }, replace: true });
  assert.equal(registry.get('c')!.configs, { 'cleanup.policy': 'compact' });
  assert.is(lm.getLog('c', 0)!.config.retentionMs, 86400000);
}));

test('persistence: reopen keeps ids, counts and configs; orphan dirs are adopted; deleting is finished', withDir(async (dir) => {
  const { registry } = setup(dir);
  await registry.load();
  const a = await registry.create('a', { partitions: 2, configs: { 'retention.ms': '5000' } });
  const b = await registry.create('b', { partitions: 1 });
  // A partition dir the registry does not know (e.g. copied from Kafka), with a base64 topic id.
  fs.mkdirSync(join(dir, 'orphan-0')); fs.mkdirSync(join(dir, 'orphan-2'));
  await writePartitionMetadata(join(dir, 'orphan-2'), 'AAAAAAAAAAAAAAAAAAAAAQ');
  // A deletion that crashed half way.
  const file = join(dir, TOPICS_FILE);
  const j = JSON.parse(fs.readFileSync(file, 'utf8'));
  j.topics.find((t: any) => t.name === 'b').deleting = true;
  fs.writeFileSync(file, JSON.stringify(j));

  const { registry: re, lm } = setup(dir);
  await re.load();
  assert.equal(re.list().map((t) => t.name), ['a', 'orphan']);
  assert.is(re.get('a')!.topicId, a.topicId);
  assert.equal(re.get('a')!.configs, { 'retention.ms': '5000' });
  assert.is(re.get('a')!.partitions, 2);
  assert.is(lm.getLog('a', 1)!.config.retentionMs, 5000);
  assert.is(re.get('orphan')!.topicId, '00000000-0000-0000-0000-000000000001');
  assert.is(re.get('orphan')!.partitions, 3);
  assert.ok(lm.getLog('orphan', 1), 'missing partition dir recreated');
  assert.is(re.getById(b.topicId), undefined);
  assert.not.ok(fs.existsSync(join(dir, 'b-0')));
  const saved = JSON.parse(fs.readFileSync(file, 'utf8'));
  assert.equal(saved.topics.map((t: any) => [t.name, t.partitions]), [['a', 2], ['orphan', 3]]);
}));

test('concurrent creates of one name: exactly one wins', withDir(async (dir) => {
  const { registry } = setup(dir);
  await registry.load();
  const results = await Promise.allSettled([registry.create('x'), registry.create('x'), registry.create('x')]);
  assert.is(results.filter((r) => r.status === 'fulfilled').length, 1);
  assert.equal(results.filter((r) => r.status === 'rejected').map((r: any) => r.reason.errorCode), [36, 36]);
}));

test.run();
