// Storage wired into a running broker: the scheduled LogCleaner compacts a topic (a kafkajs
// consumer from the beginning sees exactly the latest value per key at its original offset),
// and topic overrides are in force from the first moment after a restart (DescribeConfigs,
// LogManager's config at load, retention.bytes acting on the first retention tick).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createKafkajs, ConfigResourceTypes } from '../testing/kafkajs-client.js';
import { fetchWithKafkajs } from '../testing/kafkajs-fetch.js';
import { startTestBroker } from '../testing/with-broker.js';
import { until } from '../testing/until.js';

const KEYS = 1000;
const ROUNDS = 4;


test('scheduled cleaner: latest value per key, offsets unchanged', async () => {
  const broker = await startTestBroker({ config: { 'log.cleaner.backoff.ms': 100 } });
  const kafka = createKafkajs(broker.bootstrap);
  const admin = kafka.admin();
  const producer = kafka.producer({ idempotent: true });
  try {
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'compacted', numPartitions: 1, configEntries: [
      { name: 'cleanup.policy', value: 'compact' }, { name: 'segment.bytes', value: '16384' },
      { name: 'min.cleanable.dirty.ratio', value: '0.01' },
    ] }] });
    await producer.connect();
    const latest = new Map<string, { value: string; offset: number }>();
    let written = 0;
    for (let round = 0; round < ROUNDS; round++) {
      for (let from = 0; from < KEYS; from += 250) {
        const msgs = Array.from({ length: 250 }, (_, i) => ({ key: `k${from + i}`, value: `k${from + i}-r${round}` }));
        const [res] = await producer.send({ topic: 'compacted', acks: -1, messages: msgs });
        msgs.forEach((m, i) => latest.set(m.key, { value: m.value, offset: Number(res!.baseOffset) + i }));
        written += msgs.length;
      }
    }
    const log = broker.broker.logManager.getLog('compacted', 0)!;
    assert.is(log.logEndOffset, written);
    log.roll(); // everything written becomes cleanable (the active segment never is)
    const cleaner = broker.broker.logManager.cleaner;
    await until(() => cleaner.checkpointFor(log).get('compacted-0') === written, 'the cleaner to reach the log end', 30_000);
    assert.ok(log.size < 16384 * 3, `compacted to ${log.size} bytes`);

    const got = (await fetchWithKafkajs(kafka, 'compacted', { partitions: [0], untilOffsets: new Map([[0, written]]) })).get(0)!;
    assert.is(got.length, KEYS, 'one record per key');
    const seen = new Set<string>();
    let prev = -1;
    for (const m of got) {
      const key = m.key!.toString();
      assert.ok(!seen.has(key), `key ${key} once`);
      seen.add(key);
      assert.ok(m.offset > prev, 'offsets ascend');
      prev = m.offset;
      assert.equal({ value: m.value!.toString(), offset: m.offset }, latest.get(key), `latest value of ${key} at its original offset`);
    }
    assert.is(log.logEndOffset, written, 'the log end does not move');
  } finally {
    await producer.disconnect().catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
    await broker.close();
  }
});

test('topic overrides are in force right after a restart (configs at load, first retention tick)', async () => {
  const dir = mkdtempSync(tmpdir() + '/samsa-overrides-');
  try {
    let broker = await startTestBroker({ dataDir: dir });
    let kafka = createKafkajs(broker.bootstrap);
    let admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [
      { topic: 'bounded', numPartitions: 1, configEntries: [{ name: 'retention.bytes', value: '3000' }, { name: 'segment.bytes', value: '1000' }] },
      { topic: 'keyed', numPartitions: 1, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] },
    ] });
    const producer = kafka.producer();
    await producer.connect();
    for (let i = 0; i < 40; i++) await producer.send({ topic: 'bounded', acks: -1, messages: [{ key: `b${i}`, value: 'x'.repeat(200) }] });
    await producer.disconnect();
    await admin.disconnect();
    const before = broker.broker.logManager.getLog('bounded', 0)!;
    assert.is(before.logStartOffset, 0, 'no retention ran yet (default check interval 5 min)');
    await broker.close();

    broker = await startTestBroker({ dataDir: dir, port: broker.port, config: { 'log.retention.check.interval.ms': 100 } });
    try {
      const lm = broker.broker.logManager;
      const bounded = lm.getLog('bounded', 0)!;
      assert.is(lm.getLog('keyed', 0)!.config.cleanupPolicy, 'compact');
      assert.is(bounded.config.retentionBytes, 3000);
      // A retention pass deletes segment after segment: wait for the pass to reach the bound.
      await until(() => bounded.size <= 3000 + 1000, 'retention.bytes to act', 30_000);
      assert.ok(bounded.logStartOffset > 0 && bounded.logStartOffset < 40, `log start ${bounded.logStartOffset}`);
      kafka = createKafkajs(broker.bootstrap);
      admin = kafka.admin();
      await admin.connect();
      const cfg = await admin.describeConfigs({ includeSynonyms: false, resources: [
        { type: ConfigResourceTypes.TOPIC, name: 'bounded', configNames: ['retention.bytes'] },
        { type: ConfigResourceTypes.TOPIC, name: 'keyed', configNames: ['cleanup.policy'] },
      ] });
      const entries = cfg.resources.map((r) => r.configEntries.map((e) => [r.resourceName, e.configName, e.configValue, e.isDefault])).flat();
      assert.equal(entries.sort(), [['bounded', 'retention.bytes', '3000', false], ['keyed', 'cleanup.policy', 'compact', false]]);
      const offsets = await admin.fetchTopicOffsets('bounded');
      assert.equal([Number(offsets[0]!.low) > 0, Number(offsets[0]!.high)], [true, 40]);
      await admin.disconnect();
    } finally {
      await broker.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
