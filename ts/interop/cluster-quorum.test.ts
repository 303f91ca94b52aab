// Cluster mode, losing the quorum: ZooKeeper + 3 brokers, RF=3, min.insync.replicas=2. Two of the
// three brokers (the leader and a follower) are SIGKILLed: the survivor is elected from the ISR
// and, with an ISR of one, refuses acks=all produces with NOT_ENOUGH_REPLICAS (kafkajs error type
// and code asserted) without appending them. Nothing acknowledged before is lost. One broker
// returns: it catches up, the ISR grows back to two, acks=all produces succeed again, and a
// Fetch from the leader reads every acknowledged message exactly once, in order.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { BrokerProcess } from '../testing/broker-process.js';
import { samsaCheck, until, clusterKafka, startThreeBrokers, stopCluster } from '../testing/cluster-harness.js';
import { fetchWithKafkajs } from '../testing/kafkajs-fetch.js';
import { startZooKeeper, zooKeeperMissing } from '../testing/zookeeper.js';
import { bruteForce } from '../storage/test-helpers.js';

const TOPIC = 'quorum';

/** The KafkaJSProtocolError inside kafkajs' retry wrappers. */
function protocolError(e: unknown): { type?: string; code?: number } {
  let cur = e as { type?: string; code?: number; cause?: unknown; originalError?: unknown } | undefined;
  for (let i = 0; cur && i < 10; i++) {
    if (typeof cur.type === 'string' && typeof cur.code === 'number') return cur;
    cur = (cur.cause ?? cur.originalError) as typeof cur;
  }
  return {};
}

test('RF=3 min ISR 2: two brokers killed → NOT_ENOUGH_REPLICAS; one returns → service resumes, nothing acknowledged lost', async () => {
  if (zooKeeperMissing()) { console.log(`skipped: ${zooKeeperMissing()}`); return; }
  const zk = await startZooKeeper();
  const brokers = new Map<number, BrokerProcess>();
  const kafka = () => clusterKafka(brokers, 10);
  try {
    await startThreeBrokers(zk, brokers);
    let admin = kafka().admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 1, replicationFactor: 3, configEntries: [{ name: 'min.insync.replicas', value: '2' }] }], waitForLeaders: true });
    const partition = async () => (await admin.fetchTopicMetadata({ topics: [TOPIC] })).topics[0]!.partitions[0]!;
    const first = await partition();
    assert.ok(first.leader > 0 && first.isr.length === 3, 'leader with full ISR once created');

    const acked: string[] = [];
    const send = async (value: string, retries = 10) => {
      const producer = kafka().producer({ allowAutoTopicCreation: false, retry: { retries, initialRetryTime: 100, maxRetryTime: 500 } });
      await producer.connect();
      try { await producer.send({ topic: TOPIC, acks: -1, timeout: 5000, messages: [{ value }] }); acked.push(value); } finally { await producer.disconnect(); }
    };
    for (let i = 0; i < 20; i++) await send(`before-${i}`);

    // kill the leader and one follower; the third survives
    const [follower, survivor] = [1, 2, 3].filter((id) => id !== first.leader);
    await brokers.get(first.leader)!.kill('SIGKILL');
    await brokers.get(follower!)!.kill('SIGKILL');
    await admin.disconnect();
    admin = kafka().admin();
    await admin.connect();
    const alone = await until(async () => { const p = await partition(); return p.leader === survivor && p.isr.length === 1 ? p : null; },
      `broker ${survivor} leads alone`, 60_000);
    assert.equal(alone.isr, [survivor]);
    assert.equal([...alone.offlineReplicas ?? []].sort(), [first.leader, follower!].sort(), 'the dead brokers are offline replicas');

    let refused: unknown = null;
    try { await send('during-outage', 0); } catch (e) { refused = e; }
    assert.ok(refused, 'acks=all produce with an ISR of one is refused');
    const pe = protocolError(refused);
    assert.is(pe.type, 'NOT_ENOUGH_REPLICAS');
    assert.is(pe.code, 19);

    // acks=1 still works: the partition is available, only the durability promise is not
    const p1 = kafka().producer({ allowAutoTopicCreation: false });
    await p1.connect();
    await p1.send({ topic: TOPIC, acks: 1, messages: [{ value: 'acks1-during-outage' }] });
    acked.push('acks1-during-outage');
    await p1.disconnect();

    // one broker returns: it catches up and rejoins the ISR; acks=all works again
    brokers.set(follower!, await brokers.get(follower!)!.restart());
    await until(async () => (await partition()).isr.length === 2, 'ISR back to two', 60_000);
    for (let i = 0; i < 20; i++) await send(`after-${i}`);

    // read back from the leader, up to the high watermark (no group: __consumer_offsets would need
    // offsets.topic.replication.factor = 3 live brokers to be created, as in Kafka)
    const fetched = await fetchWithKafkajs(kafka(), TOPIC, { partitions: [0] });
    const seen = (fetched.get(0) ?? []).map((m) => m.value!.toString());
    await admin.disconnect();
    assert.equal(seen, acked, 'every acknowledged message once, in order, and nothing refused');

    for (const b of brokers.values()) if (b.running) await b.stop();
    for (const id of [survivor!, follower!]) {
      const b = brokers.get(id)!;
      assert.equal(bruteForce(join(b.dataDir, `${TOPIC}-0`)).map((r) => r.value!.toString()), acked, `replica on broker ${id}`);
      const check = samsaCheck(b.dataDir);
      assert.is(check.code, 0, `samsa check ${b.dataDir}:\n${check.output}`);
    }
  } finally {
    await stopCluster(brokers, zk);
  }
});

test.run();
