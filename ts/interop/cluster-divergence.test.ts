// Cluster mode, a divergent replica (KIP-101/KIP-279) with real processes: ZooKeeper + 3 brokers,
// RF=3, min.insync.replicas=1, unclean.leader.election.enable=true on the topic.
//
//   1. acks=all records A reach all three replicas (leader L, followers F1, F2; leader epoch e).
//   2. F1 and F2 are SIGSTOPped: their ZooKeeper sessions expire, the controller (or L's own
//      replica.lag.time.max.ms check) shrinks the ISR to [L].
//   3. acks=1 records B go to L only: its unreplicated tail.
//   4. L is SIGSTOPped, F1 and F2 are SIGCONTed (new sessions, re-registered). When L's session
//      expires the controller finds no live ISR member and, unclean election being allowed,
//      makes F1 or F2 leader N with epoch e+1 (ISR [N]); the other follower follows N.
//   5. acks=all records C are produced to N.
//   6. L is SIGCONTed: it learns from ZooKeeper that it is a follower of N, asks
//      OffsetForLeaderEpoch(e), is told epoch e ended at |A|, truncates B, fetches C and rejoins
//      the ISR.
// Asserted after a clean stop of all brokers: `samsa check` passes on every data dir; the
// partition's .log files are byte-identical on the three replicas (sha256); each replica holds
// exactly A then C, in order, and nothing of B; the batches of C carry N's leader epoch.
//
// Why SIGSTOP rather than cutting links with a proxy: the brokers advertise their own ports
// and find each other through ZooKeeper, so a proxy would have to sit between every pair and
// between each broker and ZooKeeper; a stopped process loses all of its links at once, exactly
// like a partitioned host, and its ZooKeeper session expires as it would in production. The test
// reads the partition state straight from ZooKeeper (a ZkStore of its own), so it does not
// depend on the metadata a stopped broker might still be listed with.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { BrokerProcess } from '../testing/broker-process.js';
import { samsaCheck, segmentDigest, until, startThreeBrokers, stopCluster } from '../testing/cluster-harness.js';
import { createKafkajs } from '../testing/kafkajs-client.js';
import { startZooKeeper, zooKeeperMissing } from '../testing/zookeeper.js';
import { bruteForce } from '../storage/test-helpers.js';
import { readBatches } from '../protocol/record/batch-reader.js';
import { readFileSync, readdirSync } from 'node:fs';
import { ZkStore } from '../cluster/zk-store.js';
import type { PartitionState } from '../cluster/zk-data.js';

const TOPIC = 'divergent';
const SESSION_MS = 4000;
const range = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

/** Sends each value as its own batch through `bootstrap` only (the other brokers may be stopped). */
async function produce(bootstrap: string, values: string[], acks: -1 | 1): Promise<void> {
  const kafka = createKafkajs(bootstrap, { retry: { retries: 10, initialRetryTime: 100, maxRetryTime: 1000 } });
  const producer = kafka.producer({ allowAutoTopicCreation: false, retry: { retries: 10, initialRetryTime: 100, maxRetryTime: 1000 } });
  await producer.connect();
  try {
    for (const value of values) await producer.send({ topic: TOPIC, acks, timeout: 10_000, messages: [{ value }] });
  } finally { await producer.disconnect(); }
}

/** Leader epochs stamped on the batches of a partition dir, one per batch. */
function batchEpochs(dir: string): number[] {
  const out: number[] = [];
  for (const n of readdirSync(dir).filter((f) => f.endsWith('.log')).sort()) {
    for (const b of readBatches(readFileSync(join(dir, n)))) out.push(b.partitionLeaderEpoch);
  }
  return out;
}

test('a partitioned-away leader with an unreplicated tail truncates it after an unclean election; replicas end byte-identical', async () => {
  if (zooKeeperMissing()) { console.log(`skipped: ${zooKeeperMissing()}`); return; }
  const zk = await startZooKeeper();
  const brokers = new Map<number, BrokerProcess>();
  let store: ZkStore | null = null;
  try {
    const config = { 'zookeeper.session.timeout.ms': SESSION_MS, 'replica.lag.time.max.ms': 4000, 'min.insync.replicas': 1 };
    await startThreeBrokers(zk, brokers, config);
    store = await ZkStore.connect({ connect: zk.connect, sessionTimeoutMs: 10_000, connectTimeoutMs: 10_000 });
    const zkStore = store;
    const state = async (): Promise<PartitionState | null> => zkStore.partitionState(TOPIC, 0);
    const sorted = (xs: readonly number[]) => [...xs].sort((a, b) => a - b);

    const admin = createKafkajs(brokers.get(1)!.bootstrap).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 1, replicationFactor: 3, configEntries: [
      { name: 'min.insync.replicas', value: '1' }, { name: 'unclean.leader.election.enable', value: 'true' }] }], waitForLeaders: false });
    await admin.disconnect();
    const first = await until(async () => { const s = await state(); return s && s.leader > 0 && s.isr.length === 3 ? s : null; }, 'leader with full ISR');
    const L = first.leader;
    const [F1, F2] = [1, 2, 3].filter((id) => id !== L) as [number, number];
    const bootstrapOf = (id: number) => brokers.get(id)!.bootstrap;

    // 1. A: replicated to all three (acks=all with an ISR of three)
    const A = range('acked', 20);
    await produce(bootstrapOf(L), A, -1);

    // 2. the followers vanish: ISR → [L]
    for (const id of [F1, F2]) process.kill(brokers.get(id)!.pid, 'SIGSTOP');
    const alone = await until(async () => { const s = await state(); return s && s.leader === L && s.isr.length === 1 ? s : null; },
      `ISR shrunk to [${L}]`, 60_000);
    assert.equal(alone.isr, [L]);

    // 3. B: the unreplicated tail on L
    const B = range('tail', 10);
    await produce(bootstrapOf(L), B, 1);

    // 4. L vanishes, the followers return; unclean election of F1 or F2 with epoch e+1
    process.kill(brokers.get(L)!.pid, 'SIGSTOP');
    for (const id of [F1, F2]) process.kill(brokers.get(id)!.pid, 'SIGCONT');
    const elected = await until(async () => {
      const s = await state();
      return s && (s.leader === F1 || s.leader === F2) && s.leaderEpoch > alone.leaderEpoch ? s : null;
    }, 'a follower elected (unclean) after the leader stopped', 90_000);
    const N = elected.leader;
    const other = N === F1 ? F2 : F1;

    // 5. C: produced to the new leader
    const C = range('new', 20);
    await produce(bootstrapOf(N), C, -1);
    await until(async () => { const s = await state(); return s && s.leader === N && sorted(s.isr).join() === sorted([N, other]).join() ? s : null; },
      `broker ${other} in the new leader's ISR`, 60_000);

    // the divergence is real: L's log (read while it is stopped) ends with B after A
    const onL = bruteForce(join(brokers.get(L)!.dataDir, `${TOPIC}-0`)).map((r) => r.value!.toString());
    assert.equal(onL, [...A, ...B], `broker ${L} holds A then its unreplicated tail B`);

    // 6. L returns: it must truncate B and catch up with C
    process.kill(brokers.get(L)!.pid, 'SIGCONT');
    const healed = await until(async () => { const s = await state(); return s && s.leader === N && s.isr.length === 3 ? s : null; },
      `broker ${L} back in the ISR`, 90_000);
    assert.equal(sorted(healed.isr), [1, 2, 3]);
    assert.ok(healed.leaderEpoch > first.leaderEpoch, 'a newer leader epoch');
    const output = brokers.get(L)!.output;
    assert.match(output, /became follower/, `broker ${L} logs that it became a follower`);
    const cuts = output.split('\n').filter((l) => l.includes('follower truncated its divergent tail'))
      .map((l) => ['topic', 'from', 'to', 'leader', 'leaderEpoch'].map((k) => new RegExp(` ${k}=(\\S+)`).exec(l)?.[1] ?? '?').join(' '));
    assert.equal(cuts, [`${TOPIC} ${A.length + B.length} ${A.length} ${N} ${elected.leaderEpoch}`],
      `broker ${L} cut B once, back to the end of epoch ${first.leaderEpoch} (OffsetForLeaderEpoch)`);

    for (const b of brokers.values()) await b.stop();
    const expected = [...A, ...C];
    const digests = new Map<number, string>();
    for (const [id, b] of brokers) {
      const dir = join(b.dataDir, `${TOPIC}-0`);
      const records = bruteForce(dir);
      assert.equal(records.map((r) => r.value!.toString()), expected, `replica on broker ${id}: A then C, none of B`);
      assert.equal(records.map((r) => r.offset), expected.map((_, i) => i), `replica on broker ${id}: offsets 0..${expected.length - 1}`);
      const epochs = batchEpochs(dir);
      assert.is(epochs.length, expected.length, `replica on broker ${id}: one batch per send`);
      assert.ok(epochs.slice(0, A.length).every((e) => e === first.leaderEpoch), `A carries epoch ${first.leaderEpoch} on broker ${id}`);
      assert.ok(epochs.slice(A.length).every((e) => e === elected.leaderEpoch), `C carries the new epoch ${elected.leaderEpoch} on broker ${id}`);
      digests.set(id, segmentDigest(dir));
      const check = samsaCheck(b.dataDir);
      assert.is(check.code, 0, `samsa check ${b.dataDir}:\n${check.output}`);
    }
    assert.is(new Set(digests.values()).size, 1, `the .log files are byte-identical: ${JSON.stringify([...digests])}`);
  } finally {
    store?.close();
    await stopCluster(brokers, zk);
  }
});

test.run();
