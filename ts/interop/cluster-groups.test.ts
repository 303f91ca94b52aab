// Cluster mode, consumer group coordinator failover: ZooKeeper + 3 brokers, __consumer_offsets
// with 1 partition and RF=3. A kafkajs consumer group reads a topic and commits after every
// message. The coordinator (the leader of __consumer_offsets-0, which FindCoordinator answers)
// is SIGKILLed: another broker becomes the partition's leader, loads the group's offsets, and the
// consumer carries on. Nothing committed is lost: no message below the last offset committed
// before the kill is delivered again, and every message is consumed; the final committed offset
// read through the new coordinator is the end of the topic.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BrokerProcess } from '../testing/broker-process.js';
import { until, clusterKafka, startThreeBrokers, stopCluster } from '../testing/cluster-harness.js';
import { startZooKeeper, zooKeeperMissing } from '../testing/zookeeper.js';

const TOPIC = 'work';
const GROUP = 'movers';

test('consumer group keeps consuming across a coordinator failover without losing committed offsets', async () => {
  if (zooKeeperMissing()) { console.log(`skipped: ${zooKeeperMissing()}`); return; }
  const zk = await startZooKeeper();
  const brokers = new Map<number, BrokerProcess>();
  const kafka = () => clusterKafka(brokers, 30);
  try {
    await startThreeBrokers(zk, brokers);
    const admin = kafka().admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 1, replicationFactor: 3 }], waitForLeaders: true });
    const producer = kafka().producer({ allowAutoTopicCreation: false });
    await producer.connect();
    const send = (from: number, n: number) => producer.send({ topic: TOPIC, acks: -1, messages: Array.from({ length: n }, (_, i) => ({ value: `v${from + i}` })) });
    await send(0, 30);

    const seen: Array<{ offset: number; value: string }> = [];
    let committed = 0;
    const errors: string[] = [];
    const consumer = kafka().consumer({ groupId: GROUP, sessionTimeout: 10_000, heartbeatInterval: 500,
      // kafkajs keeps talking to the coordinator it joined through; a dead one is left only when the
      // runner gives up and restarts (restartOnFailure), rejoining through FindCoordinator: keep that short
      retry: { retries: 3, initialRetryTime: 200, maxRetryTime: 1000 } });
    await consumer.connect();
    await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
    // the runner commits after every message (autoCommitThreshold 1) and handles coordinator errors
    await consumer.run({
      autoCommitThreshold: 1,
      eachMessage: async ({ message }) => { seen.push({ offset: Number(message.offset), value: message.value!.toString() }); },
    });
    const committedOffset = async () => Number((await admin.fetchOffsets({ groupId: GROUP, topics: [TOPIC] }))[0]!.partitions[0]!.offset);
    await until(async () => (committed = await committedOffset()) >= 30, 'first 30 consumed and committed');

    // the coordinator is the leader of __consumer_offsets-0
    const offsetsLeader = async () => (await admin.fetchTopicMetadata({ topics: ['__consumer_offsets'] })).topics[0]!.partitions[0]!;
    const before = await until(async () => { const p = await offsetsLeader(); return p.leader > 0 && p.isr.length === 3 ? p : null; }, '__consumer_offsets-0 with full ISR');
    const victim = before.leader;
    const committedBeforeKill = committed;
    const seenBeforeKill = seen.length;
    await brokers.get(victim)!.kill('SIGKILL');
    const moved = await until(async () => { const p = await offsetsLeader(); return p.leader > 0 && p.leader !== victim ? p : null; }, 'new __consumer_offsets-0 leader', 30_000);
    assert.not.equal(moved.leader, victim);

    await send(30, 30);
    await until(async () => new Set(seen.map((s) => s.value)).size >= 60 && (committed = await committedOffset()) >= 60, 'all 60 consumed and committed after the failover', 90_000)
      .catch(async (e: Error) => {
        const k = kafka() as any;
        const sym = Object.getOwnPropertySymbols(k).find((x) => x.description === 'private:Kafka:createCluster')!;
        const c = k[sym]({ allowAutoTopicCreation: false });
        await c.connect();
        const answers: string[] = [];
        for (const id of [1, 2, 3]) {
          if (!brokers.get(id)!.running) continue;
          try { const b = await c.findBroker({ nodeId: String(id) }); answers.push(`${id}→${JSON.stringify((await b.findGroupCoordinator({ groupId: GROUP, coordinatorType: 0 })).coordinator)}`); } catch (x) { answers.push(`${id}: ${(x as Error).message}`); }
        }
        errors.push(`FindCoordinator answers: ${answers.join('; ')}`);
        const logs = [...brokers.values()].map((b) => b.output.split('\n').filter((l) => /consumer_offsets|group|coordinator|warn|error/i.test(l)).slice(-15).join('\n'));
        throw new Error(`${e.message} (seen ${seen.length}, committed ${committed}, errors ${[...new Set(errors)].join(' | ')}, killed ${victim}, new leader ${moved.leader})\n${logs.join('\n----\n')}`);
      });
    const after = seen.slice(seenBeforeKill);
    const rewound = after.filter((s) => s.offset < committedBeforeKill);
    assert.equal(rewound, [], `nothing below the committed offset ${committedBeforeKill} is delivered again`);
    assert.equal([...new Set(seen.map((s) => s.value))].sort(), Array.from({ length: 60 }, (_, i) => `v${i}`).sort(), 'every message consumed');

    await consumer.disconnect();
    await producer.disconnect();
    const offsets = await admin.fetchOffsets({ groupId: GROUP, topics: [TOPIC] });
    assert.equal(offsets[0]!.partitions.map((p) => [p.partition, p.offset]), [[0, '60']], 'committed offset read through the new coordinator');
    await admin.disconnect();
  } finally {
    await stopCluster(brokers, zk);
  }
});

test.run();
