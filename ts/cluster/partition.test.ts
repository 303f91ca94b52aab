import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Partition, type ReplicaLog } from './partition.js';
import type { PartitionState } from './zk-data.js';

function fakeLog(leo: number): ReplicaLog & { leo: number; epochs: Array<[number, number]> } {
  let hw = 0;
  const epochs: Array<[number, number]> = [];
  return {
    leo, epochs,
    get logEndOffset() { return this.leo; },
    get writtenEndOffset() { return this.leo; },
    logStartOffset: 0,
    get highWatermark() { return hw; },
    set highWatermark(v: number) { hw = Math.min(v, this.leo); },
    epochCache: { assign: (e, o) => { epochs.push([e, o]); return true; }, flush: async () => undefined },
  };
}

function setup(opts: { isr?: number[]; minIsr?: number; leo?: number } = {}) {
  let now = 1000;
  const writes: number[][] = [];
  let zkVersion = 0;
  const log = fakeLog(opts.leo ?? 0);
  const p = new Partition({
    topic: 't', partition: 0, brokerId: 1, log, clock: () => now, replicaLagTimeMaxMs: 10_000,
    minInsyncReplicas: () => opts.minIsr ?? 2,
    alterIsr: async (isr, cur) => { writes.push(isr); zkVersion = cur.partitionEpoch + 1; return { ...cur, isr, partitionEpoch: zkVersion }; },
  });
  const state: PartitionState = { leader: 1, leaderEpoch: 3, isr: opts.isr ?? [1, 2, 3], controllerEpoch: 1, partitionEpoch: 0 };
  p.makeLeader(state, [1, 2, 3]);
  return { p, log, writes, tick: (ms: number) => { now += ms; } };
}

const flush = () => new Promise((r) => setImmediate(r));

test('HW is the minimum LEO over the ISR and never moves back', () => {
  const { p, log } = setup({ leo: 0 });
  log.leo = 120;
  p.onLocalAppend();
  assert.is(p.highWatermark, 0, 'followers have not fetched yet');
  p.onFollowerFetch(2, 110);
  assert.is(p.highWatermark, 0);
  p.onFollowerFetch(3, 100);
  assert.is(p.highWatermark, 100); // min(120, 110, 100)
  p.onFollowerFetch(3, 120);
  assert.is(p.highWatermark, 110); // min(120, 110, 120)
  p.onFollowerFetch(2, 90); // a lower fetch offset cannot lower the HW
  assert.is(p.highWatermark, 110);
  assert.equal(log.epochs, [[3, 0]], 'leader epoch start recorded at makeLeader');
});

test('acks=all: NOT_ENOUGH_REPLICAS before append; waits for the ISR; AFTER_APPEND on shrink', async () => {
  const { p, log, tick, writes } = setup({ leo: 0, isr: [1, 2], minIsr: 2 });
  p.checkProduce(-1);
  log.leo = 10;
  const order: string[] = [];
  const w = p.waitForIsr(10, 60_000).then(() => order.push('acked'));
  p.onFollowerFetch(2, 5);
  await flush();
  assert.equal(order, []);
  p.onFollowerFetch(2, 10);
  await w;
  assert.equal(order, ['acked']);
  assert.is(p.highWatermark, 10);

  log.leo = 20;
  const pending = p.waitForIsr(20, 60_000).then(() => 'ok', (e) => e.code);
  tick(10_001); // follower 2 last caught up at fetch(10) time: now lagging
  assert.equal(p.outOfSyncReplicas(), [2]);
  assert.ok(await p.maybeShrinkIsr());
  assert.equal(writes, [[1]]);
  assert.is(await pending, 'NOT_ENOUGH_REPLICAS_AFTER_APPEND');
  try { p.checkProduce(-1); assert.unreachable(); } catch (e) { assert.is((e as { code: string }).code, 'NOT_ENOUGH_REPLICAS'); }
  p.checkProduce(1); // acks=1 is still accepted
  assert.is(p.highWatermark, 10, 'HW does not advance under min ISR');
});

test('ISR expands when a follower reaches the HW; caught-up time uses the previous fetch', async () => {
  const { p, log, tick, writes } = setup({ leo: 50, isr: [1, 2], minIsr: 1 });
  p.onFollowerFetch(2, 50);
  assert.is(p.highWatermark, 50);
  p.onFollowerFetch(3, 20); // below HW: not added
  await flush();
  assert.equal(writes, []);
  p.onFollowerFetch(3, 50);
  await flush();
  assert.equal(writes, [[1, 2, 3]]);
  assert.equal([...p.isr], [1, 2, 3]);
  // follower 2 fetches at the leader's LEO as of its last fetch: caught up as of that fetch
  tick(6000); log.leo = 60; p.onFollowerFetch(2, 50);
  tick(6000); p.onFollowerFetch(2, 60);
  assert.equal(p.outOfSyncReplicas(), [3]);
});

test('leadership moves: waiting produces fail NOT_LEADER_OR_FOLLOWER; follower HW from leader', async () => {
  const { p, log } = setup({ leo: 10, isr: [1, 2, 3], minIsr: 1 });
  const w = p.waitForIsr(10, 60_000).then(() => 'ok', (e) => e.code);
  p.makeFollower({ leader: 2, leaderEpoch: 4, isr: [2, 3], controllerEpoch: 1, partitionEpoch: 5 }, [1, 2, 3]);
  assert.is(await w, 'NOT_LEADER_OR_FOLLOWER');
  assert.is(p.role, 'follower');
  try { p.checkProduce(1); assert.unreachable(); } catch (e) { assert.is((e as { code: string }).code, 'NOT_LEADER_OR_FOLLOWER'); }
  p.updateFollowerHighWatermark(7);
  assert.is(p.highWatermark, 7);
  p.updateFollowerHighWatermark(25); // capped by own LEO
  assert.is(p.highWatermark, log.leo);
});

test.run();
