// Cluster mode end to end: real ZooKeeper + 3 brokers as child processes (CLI), kafkajs with
// acks=all. RF=3, min.insync.replicas=2: the partition leader is SIGKILLed under load; a new
// leader takes over, the producer carries on, and after the dead broker returns and catches up
// every acknowledged message is on every replica exactly once, in order, and the replicas'
// segment files are byte-identical.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BrokerProcess } from '../testing/broker-process.js';
import { createKafkajs } from '../testing/kafkajs-client.js';
import { startZooKeeper, zooKeeperMissing, type ZooKeeperHandle } from '../testing/zookeeper.js';
import { bruteForce } from '../storage/test-helpers.js';

const TOPIC = 'replicated';

async function until<T>(fn: () => Promise<T | null | undefined | false>, what: string, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try { const v = await fn(); if (v) return v; } catch (e) { last = e; }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function startBroker(zk: ZooKeeperHandle, id: number, dataDir?: string, port?: number): Promise<BrokerProcess> {
  return BrokerProcess.start({
    ...(dataDir ? { dataDir } : {}), ...(port ? { port } : {}), logLevel: 'info', startTimeout: 60_000,
    config: {
      'zookeeper.connect': zk.connect, 'broker.id': id, 'zookeeper.session.timeout.ms': 4000,
      'default.replication.factor': 3, 'min.insync.replicas': 2, 'replica.lag.time.max.ms': 10_000,
      'num.partitions': 1, 'offsets.topic.num.partitions': 1,
    },
  });
}

function segmentDigest(dir: string): string {
  const h = createHash('sha256');
  for (const n of readdirSync(dir).filter((f) => f.endsWith('.log')).sort()) h.update(readFileSync(join(dir, n)));
  return h.digest('hex');
}

test('RF=3 acks=all: leader SIGKILLed under load; no acknowledged message lost or duplicated', async () => {
  if (zooKeeperMissing()) { console.log(`skipped: ${zooKeeperMissing()}`); return; }
  const zk = await startZooKeeper();
  const brokers = new Map<number, BrokerProcess>();
  const kafka = () => {
    const list = [...brokers.values()].filter((b) => b.running).map((b) => b.bootstrap);
    return createKafkajs(list[0]!, { brokers: list, retry: { retries: 30, initialRetryTime: 100, maxRetryTime: 1000 } });
  };
  try {
    for (const id of [1, 2, 3]) brokers.set(id, await startBroker(zk, id));
    const admin = kafka().admin();
    await admin.connect();
    await until(async () => (await admin.describeCluster()).brokers.length === 3, '3 brokers registered');
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 1, replicationFactor: 3 }], waitForLeaders: true });
    const leaderOf = async () => {
      const md = await admin.fetchTopicMetadata({ topics: [TOPIC] });
      const p = md.topics[0]!.partitions[0]!;
      return p.leader >= 0 && p.isr.length === 3 ? p : null;
    };
    const first = await until(leaderOf, 'leader with full ISR');
    assert.equal([...first.replicas].sort(), [1, 2, 3]);

    const producer = kafka().producer({ allowAutoTopicCreation: false, retry: { retries: 30, initialRetryTime: 100, maxRetryTime: 1000 } });
    await producer.connect();
    const acked: string[] = [];
    let stop = false, failures = 0;
    const load = (async () => {
      for (let i = 0; !stop; i++) {
        try {
          await producer.send({ topic: TOPIC, acks: -1, messages: [{ key: `k${i}`, value: `m${i}` }] });
          acked.push(`m${i}`);
        } catch { failures++; }
      }
    })();
    await until(async () => acked.length >= 50, '50 acked before the kill');
    const victim = first.leader;
    await brokers.get(victim)!.kill('SIGKILL');
    const before = acked.length;
    await until(async () => acked.length >= before + 50, '50 more acked after the kill', 90_000);
    const moved = await until(async () => { const md = await admin.fetchTopicMetadata({ topics: [TOPIC] }); const p = md.topics[0]!.partitions[0]!; return p.leader !== victim && p.leader >= 0 ? p : null; }, 'new leader');
    assert.not.equal(moved.leader, victim);

    // the dead broker returns on its data dir and port, and catches up
    brokers.set(victim, await brokers.get(victim)!.restart());
    await until(async () => acked.length >= before + 100, 'load continues with the broker back', 90_000);
    stop = true;
    await load;
    await producer.disconnect();
    await until(async () => { const p = (await admin.fetchTopicMetadata({ topics: [TOPIC] })).topics[0]!.partitions[0]!; return p.isr.length === 3; }, 'ISR back to 3', 90_000);
    await admin.disconnect();
    // stop cleanly so segment files are complete; compare every replica
    for (const b of brokers.values()) await b.stop();
    const digests = new Set<string>();
    for (const b of brokers.values()) {
      const dir = join(b.dataDir, `${TOPIC}-0`);
      const values = bruteForce(dir).map((r) => r.value!.toString());
      const seen = new Set(values);
      assert.is(seen.size, values.length, `broker data dir ${b.dataDir}: a message is stored twice`);
      const positions = acked.map((m) => values.indexOf(m));
      assert.ok(positions.every((p) => p >= 0), `every acknowledged message is on the replica in ${dir}`);
      assert.ok(positions.every((p, i) => i === 0 || p > positions[i - 1]!), 'acknowledged messages are in order');
      digests.add(segmentDigest(dir));
    }
    assert.is(digests.size, 1, 'replicas are byte-identical');
    console.log(`acked ${acked.length}, failed sends ${failures}`);
  } finally {
    for (const b of brokers.values()) await b.remove();
    await zk.stop();
  }
});

test.run();
