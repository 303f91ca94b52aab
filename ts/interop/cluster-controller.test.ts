// Cluster mode, the controller and leader-only reads: ZooKeeper + 3 brokers.
// 1. Replica placement and ListOffsets: a topic with RF=2 over 3 brokers has a local partition
//    directory only on its two replicas; ListOffsets answers on the leader (latest = high
//    watermark for a consumer) and NOT_LEADER_OR_FOLLOWER on the follower and on the broker that
//    is not a replica.
// 2. The controller (/controller, read through ZkStore) is SIGKILLed: another broker takes over
//    with a higher /controller_epoch, elects new leaders (leader epoch + 1) for the partitions the
//    dead broker led, and topic creation still works (produce and read back on the new topic).
// 3. CreateTopics answers only once the receiving broker knows every new partition's leader, and
//    a broker that has not seen a new topic yet re-reads ZooKeeper before answering (Metadata,
//    Produce): kafkajs createTopics({ waitForLeaders: true }) then an immediate acks=all produce
//    to every partition, with a client that never retries, through each broker in turn.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Kafka } from 'kafkajs';
import { KafkaConnection } from '../client/kafka-connection.js';
import { ApiKey } from '../protocol/generated/api-keys.js';
import { BrokerProcess } from '../testing/broker-process.js';
import { until, clusterKafka, startThreeBrokers, stopCluster } from '../testing/cluster-harness.js';
import { fetchWithKafkajs } from '../testing/kafkajs-fetch.js';
import { createKafkajs } from '../testing/kafkajs-client.js';
import { startZooKeeper, zooKeeperMissing, type ZooKeeperHandle } from '../testing/zookeeper.js';
import { ZkStore } from '../cluster/zk-store.js';
import { PATHS } from '../cluster/zk-data.js';

const skip = zooKeeperMissing();
let zk: ZooKeeperHandle;
let store: ZkStore;
const brokers = new Map<number, BrokerProcess>();
const kafka = (): Kafka => clusterKafka(brokers, 20);

/** kafkajs' internal Broker for `nodeId` (to send a request to a chosen broker). */
async function brokerNode(k: Kafka, nodeId: number, topic: string): Promise<{ listOffsets(a: unknown): Promise<any>; cluster: any }> {
  const sym = Object.getOwnPropertySymbols(k).find((s) => s.description === 'private:Kafka:createCluster')!;
  const cluster = (k as any)[sym]({ allowAutoTopicCreation: false });
  await cluster.connect();
  await cluster.addTargetTopic(topic);
  return Object.assign(await cluster.findBroker({ nodeId: String(nodeId) }), { cluster });
}

async function listLatest(k: Kafka, nodeId: number, topic: string, partition: number): Promise<{ offset?: number; errorType?: string; errorCode?: number }> {
  const b = await brokerNode(k, nodeId, topic);
  try {
    const r = await b.listOffsets({ replicaId: -1, isolationLevel: 0, topics: [{ topic, partitions: [{ partition, timestamp: -1 }] }] });
    return { offset: Number(r.responses[0].partitions[0].offset) };
  } catch (e) {
    return { errorType: (e as { type?: string }).type, errorCode: (e as { code?: number }).code };
  } finally { await b.cluster.disconnect(); }
}

test.before(async () => {
  if (skip) return;
  zk = await startZooKeeper();
  store = await ZkStore.connect({ connect: zk.connect, sessionTimeoutMs: 10_000, connectTimeoutMs: 10_000 });
  await startThreeBrokers(zk, brokers);
});

test.after(async () => {
  if (skip) return;
  store?.close();
  await stopCluster(brokers, zk);
});

test('RF=2 over 3 brokers: logs only on replicas; ListOffsets on the leader only, latest = high watermark', async () => {
  if (skip) { console.log(`skipped: ${skip}`); return; }
  const topic = 'placed';
  const k = kafka();
  const admin = k.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 3, replicationFactor: 2 }], waitForLeaders: true });
  const parts = (await admin.fetchTopicMetadata({ topics: [topic] })).topics[0]!.partitions;
  assert.is(parts.length, 3);
  assert.ok(parts.every((p) => p.leader >= 0 && p.isr.length === 2), 'leaders and full ISRs at once');
  for (const p of parts) {
    assert.is(p.replicas.length, 2);
    for (const [id, b] of brokers) {
      const dir = join(b.dataDir, `${topic}-${p.partitionId}`);
      await until(async () => existsSync(dir) === p.replicas.includes(id), `${dir} present only on a replica (replicas ${p.replicas})`, 10_000);
    }
  }
  const producer = k.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  await producer.send({ topic, acks: -1, messages: Array.from({ length: 7 }, (_, i) => ({ partition: 0, value: `v${i}` })) });
  await producer.disconnect();
  const p0 = parts.find((p) => p.partitionId === 0)!;
  const follower = p0.replicas.find((r) => r !== p0.leader)!;
  const outsider = [1, 2, 3].find((r) => !p0.replicas.includes(r))!;
  assert.equal(await listLatest(k, p0.leader, topic, 0), { offset: 7 }, 'latest on the leader = high watermark');
  assert.equal(await listLatest(k, follower, topic, 0), { errorType: 'NOT_LEADER_FOR_PARTITION', errorCode: 6 }, 'follower refuses');
  assert.equal(await listLatest(k, outsider, topic, 0), { errorType: 'NOT_LEADER_FOR_PARTITION', errorCode: 6 }, 'non-replica refuses');
  await admin.disconnect();
});

test('CreateTopics waits for the leaders: an immediate produce through the same broker succeeds without retries', async () => {
  if (skip) return;
  for (const id of [1, 2, 3]) {
    const topic = `fresh-${id}`;
    const k = createKafkajs(brokers.get(id)!.bootstrap, { retry: { retries: 0 } });
    const admin = k.admin({ retry: { retries: 0 } });
    await admin.connect();
    const created = await admin.createTopics({ topics: [{ topic, numPartitions: 3, replicationFactor: 2 }], waitForLeaders: true });
    assert.is(created, true, `${topic} created through broker ${id}`);
    const parts = (await admin.fetchTopicMetadata({ topics: [topic] })).topics[0]!.partitions.sort((a, b) => a.partitionId - b.partitionId);
    assert.equal(parts.map((p) => p.partitionId), [0, 1, 2]);
    assert.ok(parts.every((p) => p.leader > 0 && p.replicas.length === 2 && p.replicas.includes(p.leader) && p.isr.length === 2),
      `Metadata lists a leader and full ISR for every partition: ${JSON.stringify(parts)}`);
    await admin.disconnect();
    const producer = k.producer({ allowAutoTopicCreation: false, retry: { retries: 0 } });
    await producer.connect();
    const res = await producer.send({ topic, acks: -1, messages: [0, 1, 2].map((partition) => ({ partition, value: `${topic}-p${partition}` })) });
    await producer.disconnect();
    assert.equal(res.map((r) => [r.partition, r.errorCode, r.baseOffset]).sort(), [[0, 0, '0'], [1, 0, '0'], [2, 0, '0']], `produce through broker ${id}`);
  }
  const k = kafka();
  for (const id of [1, 2, 3]) {
    const got = await fetchWithKafkajs(k, `fresh-${id}`, { partitions: [0, 1, 2] });
    assert.equal([0, 1, 2].map((p) => got.get(p)!.map((m) => m.value!.toString())), [0, 1, 2].map((p) => [`fresh-${id}-p${p}`]));
  }
});

/** The controllerId a broker puts in its Metadata answer (what kafkajs' admin trusts). */
async function metadataControllerOf(bootstrap: string): Promise<number> {
  const c = await KafkaConnection.connect(bootstrap);
  try { return (await c.request<{ controllerId: number }>(ApiKey.Metadata, 1, { topics: [] })).controllerId; } finally { c.close(); }
}

test('controller SIGKILLed: another broker takes over (higher epoch), elects leaders, creates topics', async () => {
  if (skip) return;
  const topic = 'ctl';
  let admin = kafka().admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 3, replicationFactor: 3 }], waitForLeaders: false });
  await admin.disconnect();
  const controller = await until(async () => { const c = await store.controllerId(); return c > 0 ? c : null; }, 'a controller');
  const epochOf = async () => Number((await store.getData(PATHS.controllerEpoch))!.data.toString());
  const epoch = await epochOf();
  // partitions led by the controller (round robin gives each broker one leadership)
  const before = await until(async () => {
    const s = await Promise.all([0, 1, 2].map((p) => store.partitionState(topic, p)));
    return s.every((x) => x && x.isr.length === 3) ? s.map((x) => x!) : null;
  }, 'partition states with full ISR');
  const led = before.map((s, p) => ({ p, s })).filter((x) => x.s.leader === controller);
  assert.ok(led.length >= 1, `broker ${controller} leads a partition of ${topic}`);

  await brokers.get(controller)!.kill('SIGKILL');
  const next = await until(async () => { const c = await store.controllerId(); return c > 0 && c !== controller ? c : null; }, 'a new controller', 30_000);
  assert.ok(brokers.get(next)!.running);
  assert.ok(await epochOf() > epoch, 'controller epoch increased');
  for (const { p, s } of led) {
    const now = await until(async () => { const x = await store.partitionState(topic, p); return x && x.leader !== controller && x.leader > 0 ? x : null; }, `new leader for ${topic}-${p}`, 30_000);
    assert.is(now.leaderEpoch, s.leaderEpoch + 1, 'leader epoch + 1');
    assert.ok(!now.isr.includes(controller), 'dead broker left the ISR');
  }

  // topic creation through the surviving brokers, then produce and read back
  // every broker learns the new controller through its own ZooKeeper watch, a moment after
  // ZooKeeper has it (kafkajs' createTopics does not retry a Metadata answer with controller -1)
  // Asked of each broker directly (a kafkajs admin may send its Metadata to any broker it knows).
  for (const b of brokers.values()) {
    if (!b.running) continue;
    await until(async () => (await metadataControllerOf(b.bootstrap)) === next, `broker on ${b.bootstrap} sees controller ${next}`, 10_000);
  }
  admin = kafka().admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: 'after-failover', numPartitions: 2, replicationFactor: 2 }], waitForLeaders: true });
  const md = (await admin.fetchTopicMetadata({ topics: ['after-failover'] })).topics[0]!.partitions;
  assert.is(md.length, 2);
  assert.ok(md.every((p) => p.leader >= 0 && p.leader !== controller && p.isr.length === 2), 'after-failover led by live brokers');
  assert.ok(md.every((p) => !p.replicas.includes(controller)), 'replicas assigned over live brokers only');
  const k = kafka();
  const producer = k.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  await producer.send({ topic: 'after-failover', acks: -1, messages: [0, 1, 0, 1].map((partition, i) => ({ partition, value: `a${i}` })) });
  await producer.disconnect();
  const got = await fetchWithKafkajs(k, 'after-failover', { partitions: [0, 1] });
  assert.equal(got.get(0)!.map((m) => m.value!.toString()), ['a0', 'a2']);
  assert.equal(got.get(1)!.map((m) => m.value!.toString()), ['a1', 'a3']);

  // the old controller returns as an ordinary broker
  brokers.set(controller, await brokers.get(controller)!.restart());
  await until(async () => (await admin.describeCluster()).brokers.length === 3, 'old controller registered again');
  assert.is(await store.controllerId(), next, 'the controller stays where it is');
  await admin.disconnect();
});

test.run();
