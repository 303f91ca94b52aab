// Replication in one process: two real Logs, two Partitions, a ReplicaFetcher over the
// InProcessEndpoint. Covers follow + HW, acks=all completion, and the KIP-101 divergent tail.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { FdCache } from '../storage/fd-cache.js';
import { Log } from '../storage/log.js';
import { parseLogConfig } from '../storage/log-config.js';
import { makeBatch, removeDir, tempDir, bruteForce } from '../storage/test-helpers.js';
import { InProcessEndpoint } from './in-process-endpoint.js';
import { Partition } from './partition.js';
import { ReplicaFetcher, wholeBatches } from './replica-fetcher.js';
import type { PartitionState } from './zk-data.js';
import { until } from '../testing/until.js';


function segmentBytes(dir: string): Buffer {
  return Buffer.concat(readdirSync(dir).filter((n) => n.endsWith('.log')).sort().map((n) => readFileSync(join(dir, n))));
}

async function replica(id: number, dirs: string[]) {
  const dir = tempDir();
  dirs.push(dir);
  const log = await Log.open({ dir, topic: 't', partition: 0, config: parseLogConfig({}), fdCache: new FdCache(16) });
  let zk = 0;
  const p = new Partition({
    topic: 't', partition: 0, brokerId: id, log, replicaLagTimeMaxMs: 30_000, minInsyncReplicas: () => 1,
    alterIsr: async (isr, cur) => ({ ...cur, isr, partitionEpoch: ++zk + cur.partitionEpoch }),
  });
  return { id, dir, log, p };
}

const state = (leader: number, epoch: number, isr: number[]): PartitionState => ({ leader, leaderEpoch: epoch, isr, controllerEpoch: 1, partitionEpoch: 0 });
const opts = { replicaMaxBytes: 1 << 20, maxWaitMs: 20, backoffMs: 20 };

test('wholeBatches drops a partial tail and batches before the fetch offset', () => {
  const a = makeBatch(3, 'a'), b = makeBatch(2, 'b');
  b.writeInt32BE(0, 0); b.writeInt32BE(3, 4); // base offset 3
  const both = Buffer.concat([a, b]);
  assert.is(wholeBatches(both, 0).length, both.length);
  assert.is(wholeBatches(both.subarray(0, both.length - 1), 0).length, a.length);
  assert.is(wholeBatches(both, 3).length, b.length);
});

test('follower replicates, HW advances, divergent tail is truncated after failover (KIP-101)', async () => {
  const dirs: string[] = [];
  const A = await replica(1, dirs), B = await replica(2, dirs);
  const byId = new Map([[1, A], [2, B]]);
  let leaderId = 1;
  const lookup = () => { const r = byId.get(leaderId)!; return { partition: r.p, log: r.log }; };
  const fetchers: ReplicaFetcher[] = [];
  try {
    // epoch 1: A leads, B follows
    A.p.makeLeader(state(1, 1, [1, 2]), [1, 2]);
    B.p.makeFollower(state(1, 1, [1, 2]), [1, 2]);
    const toA = new InProcessEndpoint(2, lookup);
    const fB = new ReplicaFetcher(1, toA, opts);
    fetchers.push(fB);
    fB.add(B.p, B.log);
    fB.start();
    const acked: number[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await A.log.append(makeBatch(10, `e1-${i}`), { origin: 'client', leaderEpoch: 1 });
      A.p.onLocalAppend();
      await A.p.waitForIsr(res.lastOffset + 1, 10_000);
      acked.push(res.lastOffset);
    }
    assert.equal(acked, [9, 19, 29]);
    assert.is(A.p.highWatermark, 30);
    await until(() => B.p.highWatermark === 30, 'follower HW 30', 10_000, 10);

    // partition A away; A keeps appending at epoch 1: offsets [30, 50) exist only on A
    toA.down = true;
    await A.log.append(makeBatch(10, 'lost-0'), { origin: 'client', leaderEpoch: 1 });
    await A.log.append(makeBatch(10, 'lost-1'), { origin: 'client', leaderEpoch: 1 });
    await fB.stop();
    assert.is(A.log.logEndOffset, 50);
    assert.is(A.p.highWatermark, 30, 'not committed: B never fetched them');

    // epoch 2: B leads with ISR [2] and appends [30, 45)
    leaderId = 2;
    B.p.makeLeader(state(2, 2, [2]), [1, 2]);
    const r2 = await B.log.append(makeBatch(15, 'e2'), { origin: 'client', leaderEpoch: 2 });
    assert.is(r2.baseOffset, 30);
    B.p.onLocalAppend();
    assert.is(B.p.highWatermark, 45);

    // DivergingEpoch inline (Fetch v12): A asks from 50 with last epoch 1; B's epoch 1 ended at 30
    const probe = await new InProcessEndpoint(1, lookup).fetch([{ topic: 't', partition: 0, fetchOffset: 50, currentLeaderEpoch: 2, lastFetchedEpoch: 1, maxBytes: 1 << 20 }], { maxWaitMs: 0 });
    assert.equal(probe.get('t-0')!.divergingEpoch, { epoch: 1, endOffset: 30 });
    assert.is(probe.get('t-0')!.records.length, 0);

    // A returns as follower: OffsetForLeaderEpoch(1) → 30, truncate [30, 50), fetch [30, 45)
    A.p.makeFollower(state(2, 2, [2]), [1, 2]);
    const fA = new ReplicaFetcher(2, new InProcessEndpoint(1, lookup), opts);
    fetchers.push(fA);
    fA.add(A.p, A.log);
    fA.start();
    await until(() => B.p.isr.includes(1), 'A back in the ISR', 10_000, 10);
    await until(() => A.log.logEndOffset === 45 && A.p.highWatermark === 45, 'A caught up', 10_000, 10);
    await A.log.flush(); await B.log.flush();
    assert.equal(A.log.epochCache.entries, [{ epoch: 1, startOffset: 0 }, { epoch: 2, startOffset: 30 }]);
    assert.equal(B.log.epochCache.entries, A.log.epochCache.entries);
    assert.ok(segmentBytes(A.dir).equals(segmentBytes(B.dir)), 'replicas byte-identical');
    const keys = bruteForce(A.dir).map((r) => r.key);
    assert.is(keys.length, 45);
    assert.ok(!keys.some((k) => k!.startsWith('lost')), 'unreplicated tail is gone');
    assert.equal(keys.slice(28, 32), ['e1-2-8', 'e1-2-9', 'e2-0', 'e2-1']);
  } finally {
    for (const f of fetchers) await f.stop();
    await A.log.close(); await B.log.close();
    for (const d of dirs) removeDir(d);
  }
});

test.run();
