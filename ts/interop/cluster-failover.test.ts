// Cluster mode end to end: real ZooKeeper + 3 brokers as child processes (CLI). RF=3,
// min.insync.replicas=2, two idempotent acks=all producers under continuous load (kafkajs, and
// librdkafka through confluent-kafka) while the partition leader is SIGKILLed: a new leader takes
// over, both producers carry on, and after the dead broker returns and catches up every
// acknowledged message is on every replica exactly once, in order per producer; the replicas'
// segment files are byte-identical and `samsa check` finds nothing wrong in any data dir.
//
// Why idempotent: a leader killed after replicating a batch but before answering makes a plain
// producer resend it, and Kafka then stores it twice; "exactly once" needs producer ids.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { BrokerProcess } from '../testing/broker-process.js';
import { LibrdkafkaLoad, samsaCheck, segmentDigest, until, clusterKafka, startThreeBrokers, stopCluster } from '../testing/cluster-harness.js';
import { missing } from '../testing/skip-unless.js';
import { startZooKeeper, zooKeeperMissing } from '../testing/zookeeper.js';
import { bruteForce } from '../storage/test-helpers.js';

const TOPIC = 'replicated';

/** Positions of `acked` in `values`: all present, strictly increasing. */
function assertInOrder(values: string[], acked: string[], where: string): void {
  const at = new Map(values.map((v, i) => [v, i]));
  const positions = acked.map((m) => at.get(m) ?? -1);
  const lost = acked.filter((_, i) => positions[i]! < 0);
  assert.equal(lost.slice(0, 5), [], `acknowledged messages missing on ${where} (${lost.length} in all)`);
  assert.ok(positions.every((p, i) => i === 0 || p > positions[i - 1]!), `acknowledged messages out of order on ${where}`);
}

test('RF=3 acks=all: leader SIGKILLed under kafkajs + librdkafka load; no acknowledged message lost or duplicated', async () => {
  if (zooKeeperMissing()) { console.log(`skipped: ${zooKeeperMissing()}`); return; }
  const noRdkafka = missing({ python: 'confluent_kafka' });
  if (noRdkafka) console.log(`librdkafka part skipped: ${noRdkafka}`);
  const zk = await startZooKeeper();
  const brokers = new Map<number, BrokerProcess>();
  let rdk: LibrdkafkaLoad | null = null;
  const kafka = () => clusterKafka(brokers, 30);
  try {
    await startThreeBrokers(zk, brokers);
    const admin = kafka().admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 1, replicationFactor: 3 }], waitForLeaders: true });
    const partition = async () => (await admin.fetchTopicMetadata({ topics: [TOPIC] })).topics[0]!.partitions[0]!;
    const first = await partition();
    assert.ok(first.leader > 0 && first.isr.length === 3, 'leader with full ISR once created');
    assert.equal([...first.replicas].sort(), [1, 2, 3]);

    const producer = kafka().producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false,
      retry: { retries: 30, initialRetryTime: 100, maxRetryTime: 1000 } });
    await producer.connect();
    const acked: string[] = [];
    let stop = false, failures = 0;
    const load = (async () => {
      for (let i = 0; !stop; i++) {
        try {
          await producer.send({ topic: TOPIC, acks: -1, messages: [{ key: `k${i}`, value: `m${i}` }] });
          acked.push(`m${i}`);
        } catch { failures++; i = 1e9; stop = true; } // an idempotent producer that gave up must not go on
      }
    })();
    if (!noRdkafka) {
      rdk = new LibrdkafkaLoad([...brokers.values()].map((b) => b.bootstrap).join(','), TOPIC, 'r', { 'enable.idempotence': true, acks: 'all' });
      await until(async () => rdk!.deliveries.length > 0, "librdkafka's first delivery")
        .catch((e: Error) => { throw new Error(`${e.message}; librdkafka stderr:\n${rdk!.stderr.slice(-2000)}`); });
    }
    await until(async () => acked.length >= 50 && (!rdk || rdk.deliveries.length >= 20), 'messages acked before the kill');
    const victim = first.leader;
    await brokers.get(victim)!.kill('SIGKILL');
    const before = acked.length, rdkBefore = rdk?.deliveries.length ?? 0;
    await until(async () => acked.length >= before + 50 && (!rdk || rdk.deliveries.length >= rdkBefore + 20), 'more acked after the kill', 90_000);
    const moved = await until(async () => { const p = await partition(); return p.leader !== victim && p.leader >= 0 ? p : null; }, 'new leader');
    assert.not.equal(moved.leader, victim);

    // the dead broker returns on its data dir and port, and catches up
    brokers.set(victim, await brokers.get(victim)!.restart());
    const rdkBack = rdk?.deliveries.length ?? 0;
    await until(async () => acked.length >= before + 100 && (!rdk || rdk.deliveries.length >= rdkBack + 20), 'load continues with the broker back', 90_000);
    stop = true;
    await load;
    await producer.disconnect();
    const flushed = rdk ? await rdk.stop() : null;
    assert.is(failures, 0, 'the kafkajs producer never gave up');
    if (flushed) assert.is(flushed.remaining, 0, 'librdkafka delivered everything it produced');
    await until(async () => (await partition()).isr.length === 3, 'ISR back to 3', 90_000);
    await admin.disconnect();
    // stop cleanly so segment files are complete; compare every replica
    for (const b of brokers.values()) await b.stop();
    const digests = new Set<string>();
    for (const b of brokers.values()) {
      const dir = join(b.dataDir, `${TOPIC}-0`);
      const values = bruteForce(dir).map((r) => r.value!.toString());
      assert.is(new Set(values).size, values.length, `broker data dir ${b.dataDir}: a message is stored twice`);
      assertInOrder(values, acked, dir);
      if (rdk) assertInOrder(values, rdk.acked, `${dir} (librdkafka)`);
      digests.add(segmentDigest(dir));
      const check = samsaCheck(b.dataDir);
      assert.is(check.code, 0, `samsa check ${b.dataDir}:\n${check.output}`);
    }
    assert.is(digests.size, 1, 'replicas are byte-identical');
    console.log(`kafkajs acked ${acked.length}, librdkafka acked ${rdk?.deliveries.length ?? 'n/a'}`);
  } finally {
    rdk?.kill();
    await stopCluster(brokers, zk);
  }
});

test.run();
