// Admin APIs end to end: a real broker on port 0, driven by the kafkajs admin client.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { withBroker } from '../../testing/with-broker.js';
import { ConfigResourceTypes, createKafkajs } from '../../testing/kafkajs-client.js';

const sorted = <T>(xs: T[], key: (x: T) => string | number) => [...xs].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));

test('createTopics, metadata, createPartitions, describe/alter configs, deleteRecords, deleteTopics', () => withBroker(async (b) => {
  const kafka = createKafkajs(b.bootstrap);
  const admin = kafka.admin();
  await admin.connect();
  try {
    assert.is(await admin.createTopics({
      topics: [
        { topic: 'orders', numPartitions: 3, configEntries: [{ name: 'retention.ms', value: '3600000' }] },
        { topic: 'events' },
      ],
    }), true);
    assert.is(await admin.createTopics({ topics: [{ topic: 'dry', numPartitions: 2 }], validateOnly: true, waitForLeaders: false }), true);
    assert.is(b.broker.topics.get('dry'), undefined);
    assert.equal((await admin.listTopics()).sort(), ['events', 'orders']);
    // Creating an existing topic: kafkajs reports false (TOPIC_ALREADY_EXISTS is not an error to it).
    assert.is(await admin.createTopics({ topics: [{ topic: 'orders' }] }), false);
    try {
      await admin.createTopics({ topics: [{ topic: 'bad name' }] });
      assert.unreachable('invalid name accepted');
    } catch (e: any) { assert.match(String(e.errors?.[0]?.type ?? e.type ?? e.message), /INVALID_TOPIC_EXCEPTION/); }
    try {
      await admin.createTopics({ topics: [{ topic: 'rf3', replicationFactor: 3 }] });
      assert.unreachable('replication factor 3 accepted');
    } catch (e: any) { assert.match(String(e.errors?.[0]?.type ?? e.type), /INVALID_REPLICATION_FACTOR/); }

    const meta = await admin.fetchTopicMetadata({ topics: ['orders', 'events'] });
    const byName = Object.fromEntries(meta.topics.map((t) => [t.name, t]));
    assert.equal(sorted(byName.orders!.partitions, (p) => p.partitionId).map((p) => [p.partitionId, p.leader, p.replicas]), [[0, 0, [0]], [1, 0, [0]], [2, 0, [0]]]);
    assert.is(byName.events!.partitions.length, 1);

    await admin.createPartitions({ topicPartitions: [{ topic: 'orders', count: 5 }] });
    const grown = await admin.fetchTopicMetadata({ topics: ['orders'] });
    assert.is(grown.topics[0]!.partitions.length, 5);
    try {
      await admin.createPartitions({ topicPartitions: [{ topic: 'orders', count: 2 }] });
      assert.unreachable('shrink accepted');
    } catch (e: any) { assert.match(String(e.errors?.[0]?.type ?? e.type ?? e.message), /INVALID_PARTITIONS/); }

    const described = await admin.describeConfigs({
      resources: [{ type: ConfigResourceTypes.TOPIC, name: 'orders', configNames: ['retention.ms', 'cleanup.policy'] }],
      includeSynonyms: false,
    });
    const entries = Object.fromEntries(described.resources[0]!.configEntries.map((c) => [c.configName, c]));
    assert.equal(Object.keys(entries).sort(), ['cleanup.policy', 'retention.ms']);
    assert.is(entries['retention.ms']!.configValue, '3600000');
    assert.is(entries['retention.ms']!.isDefault, false);
    assert.is(entries['cleanup.policy']!.configValue, 'delete');

    await admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: 'orders', configEntries: [{ name: 'retention.ms', value: '7200000' }] }] });
    const after = await admin.describeConfigs({ resources: [{ type: ConfigResourceTypes.TOPIC, name: 'orders', configNames: ['retention.ms'] }], includeSynonyms: false });
    assert.is(after.resources[0]!.configEntries[0]!.configValue, '7200000');
    assert.is(b.broker.topics.log('orders', 4)!.config.retentionMs, 7200000);
    try {
      await admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: 'orders', configEntries: [{ name: 'retention.ms', value: 'never' }] }] });
      assert.unreachable('bad value accepted');
    } catch (e: any) { assert.match(String(e.type ?? e.message), /INVALID_CONFIG/); }
    const missing = await admin.describeConfigs({ resources: [{ type: ConfigResourceTypes.TOPIC, name: 'nope' }], includeSynonyms: false })
      .then(() => null, (e: any) => String(e.type ?? e.message));
    assert.match(missing ?? '', /UNKNOWN_TOPIC_OR_PARTITION/);

    // DeleteRecords: produce 10 records to events-0, delete before offset 4, low watermark moves.
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: 'events', messages: Array.from({ length: 10 }, (_, i) => ({ value: `v${i}` })) });
    await producer.disconnect();
    await admin.deleteTopicRecords({ topic: 'events', partitions: [{ partition: 0, offset: '4' }] });
    const offsets = await admin.fetchTopicOffsets('events');
    assert.equal(offsets.map((o) => [o.partition, o.low, o.high]), [[0, '4', '10']]);
    try {
      await admin.deleteTopicRecords({ topic: 'events', partitions: [{ partition: 0, offset: '11' }] });
      assert.unreachable('offset beyond the high watermark accepted');
    } catch (e: any) { assert.match(JSON.stringify(e.cause?.partitions ?? e.partitions ?? e.message), /OFFSET_OUT_OF_RANGE|out of range/i); }

    await admin.deleteTopics({ topics: ['events'] });
    assert.equal(await admin.listTopics(), ['orders']);
    assert.is(b.broker.topics.get('events'), undefined);
  } finally {
    await admin.disconnect();
  }
}));

test('describeCluster and broker configs', () => withBroker(async (b) => {
  const admin = createKafkajs(b.bootstrap).admin();
  await admin.connect();
  try {
    const cluster = await admin.describeCluster();
    assert.is(cluster.controller, 0);
    assert.equal(cluster.brokers.map((x) => [x.nodeId, x.host, x.port]), [[0, 'localhost', b.port]]);
    assert.is(cluster.clusterId, b.broker.clusterId);
    const cfg = await admin.describeConfigs({ resources: [{ type: ConfigResourceTypes.BROKER, name: '0', configNames: ['num.partitions', 'log.retention.hours'] }], includeSynonyms: false });
    const entries = Object.fromEntries(cfg.resources[0]!.configEntries.map((c) => [c.configName, c.configValue]));
    assert.equal(entries, { 'num.partitions': '1', 'log.retention.hours': '168' });
  } finally {
    await admin.disconnect();
  }
}));

test('idempotent kafkajs producer: InitProducerId, ordered sends, every record once', () => withBroker(async (b) => {
  const kafka = createKafkajs(b.bootstrap);
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: 'idem', numPartitions: 1 }] });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  for (let i = 0; i < 5; i++) await producer.send({ topic: 'idem', acks: -1, messages: [{ value: `m${i}a` }, { value: `m${i}b` }] });
  await producer.disconnect();
  const offsets = await admin.fetchTopicOffsets('idem');
  assert.equal(offsets.map((o) => [o.low, o.high]), [['0', '10']]);
  await admin.disconnect();
}));

test.run();
