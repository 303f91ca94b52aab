import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Partition, type ReplicaLog } from './partition.js';
import type { PartitionState } from './zk-data.js';

const flush = () => new Promise((r) => setImmediate(r));

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

/** A leader (broker 1) of t-0 with replicas [1,2,3]. `manual`: ISR writes stay in flight until commit(). */
function setup(opts: { isr?: number[]; minIsr?: number; leo?: number; manual?: boolean; live?: number[] } = {}) {
  let now = 1000;
  const writes: number[][] = [];
  let zkVersion = 0;
  const inFlight: Array<() => void> = [];
  const log = fakeLog(opts.leo ?? 0);
  const p = new Partition({
    topic: 't', partition: 0, brokerId: 1, log, clock: () => now, replicaLagTimeMaxMs: 10_000,
    minInsyncReplicas: () => opts.minIsr ?? 2,
    isLive: (id) => opts.live?.includes(id) ?? true,
    alterIsr: async (isr, cur) => {
      writes.push(isr);
      if (opts.manual) await new Promise<void>((r) => inFlight.push(r));
      zkVersion = cur.partitionEpoch + 1;
      return { ...cur, isr, partitionEpoch: zkVersion };
    },
  });
  const state: PartitionState = { leader: 1, leaderEpoch: 3, isr: opts.isr ?? [1, 2, 3], controllerEpoch: 1, partitionEpoch: 0 };
  p.makeLeader(state, [1, 2, 3]);
  const commit = async () => { inFlight.shift()!(); await flush(); };
  return { p, log, writes, commit, tick: (ms: number) => { now += ms; } };
}

const codeOf = (f: () => void): string => { try { f(); return 'ok'; } catch (e) { return (e as { code: string }).code; } };


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

test('acks=all: NOT_ENOUGH_REPLICAS before append; waits for the ISR; a shrink under min ISR stops the HW (no early failure)', async () => {
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
  const results: string[] = [];
  const pending = p.waitForIsr(20, 60_000).then(() => results.push('ok'), (e) => results.push(e.code));
  tick(10_001); // follower 2 last caught up at fetch(10) time: now lagging
  assert.equal(p.outOfSyncReplicas(), [2]);
  assert.ok(await p.maybeShrinkIsr());
  assert.equal(writes, [[1]]);
  assert.equal([...p.isr], [1]);
  await flush();
  assert.equal(results, [], 'the waiting produce is not failed by the shrink (Kafka ≥ 3.7): it waits');
  assert.is(codeOf(() => p.checkProduce(-1)), 'NOT_ENOUGH_REPLICAS');
  assert.is(codeOf(() => p.checkProduce(1)), 'ok', 'acks=1 is still accepted');
  assert.is(p.highWatermark, 10, 'HW does not advance under min ISR');
  // follower 2 catches up: it rejoins (ISR {1,2}) and the HW reaches 20: the produce succeeds
  p.onFollowerFetch(2, 20);
  await flush();
  assert.equal(writes, [[1], [1, 2]]);
  await pending;
  assert.equal(results, ['ok']);
  assert.is(p.highWatermark, 20);
  // and a produce under min ISR that nobody replicates times out
  tick(10_001);
  assert.ok(await p.maybeShrinkIsr());
  log.leo = 30;
  assert.is(await p.waitForIsr(30, 20).then(() => 'ok', (e) => e.code), 'REQUEST_TIMED_OUT');
});

test('NOT_ENOUGH_REPLICAS_AFTER_APPEND: the HW reached the offset but the maximal ISR is now under min ISR', async () => {
  const { p, log, tick } = setup({ leo: 0, isr: [1, 2], minIsr: 2 });
  log.leo = 10;
  p.onFollowerFetch(2, 10); // replicated before the producer's wait starts
  assert.is(p.highWatermark, 10);
  tick(10_001);
  assert.ok(await p.maybeShrinkIsr());
  assert.equal([...p.maximalIsr], [1]);
  assert.is(await p.waitForIsr(10, 60_000).then(() => 'ok', (e) => e.code), 'NOT_ENOUGH_REPLICAS_AFTER_APPEND');
  // with min ISR 1 the same state acknowledges
  const one = setup({ leo: 0, isr: [1, 2], minIsr: 1 });
  one.log.leo = 10;
  one.p.onFollowerFetch(2, 10);
  assert.is(await one.p.waitForIsr(10, 60_000).then(() => 'ok', (e) => e.code), 'ok');
});

test('maximal ISR (KIP-497): a pending shrink keeps the leaving member in the HW until ZooKeeper has it', async () => {
  const { p, log, tick, writes, commit } = setup({ leo: 0, isr: [1, 2, 3], minIsr: 1, manual: true });
  log.leo = 10;
  p.onFollowerFetch(2, 10);
  p.onFollowerFetch(3, 4);
  assert.is(p.highWatermark, 4);
  tick(10_001);
  p.onFollowerFetch(2, 10); // 2 stays caught up; 3 lags
  const shrink = p.maybeShrinkIsr();
  await flush();
  assert.equal(writes, [[1, 2]]);
  assert.equal([...p.isr], [1, 2, 3], 'committed ISR unchanged while the write is in flight');
  assert.equal([...p.maximalIsr], [1, 2, 3]);
  p.onLocalAppend();
  assert.is(p.highWatermark, 4, 'broker 3 still holds the HW back');
  await commit();
  assert.ok(await shrink);
  assert.equal([...p.isr], [1, 2]);
  assert.is(p.highWatermark, 10, 'HW advances once the shrink is committed');
});

test('maximal ISR (KIP-497): a pending expansion counts at once; NOT_ENOUGH_REPLICAS uses the committed ISR', async () => {
  const { p, log, writes, commit } = setup({ leo: 0, isr: [1], minIsr: 2, manual: true });
  log.leo = 10;
  p.onLocalAppend();
  assert.is(p.highWatermark, 0, 'no HW advance under min ISR');
  p.onFollowerFetch(2, 0); // at the HW: expansion to {1,2} starts
  await flush();
  assert.equal(writes, [[1, 2]]);
  assert.equal([...p.isr], [1]);
  assert.equal([...p.maximalIsr], [1, 2]);
  assert.is(codeOf(() => p.checkProduce(-1)), 'NOT_ENOUGH_REPLICAS', 'the committed ISR decides before append');
  p.onFollowerFetch(2, 10);
  assert.is(p.highWatermark, 0, 'the committed ISR is still under min ISR: HW stays');
  await commit();
  assert.equal([...p.isr], [1, 2]);
  assert.is(codeOf(() => p.checkProduce(-1)), 'ok');
  assert.is(p.highWatermark, 10);

  // min ISR 1: while 3's expansion is in flight, its LEO bounds the HW
  const b = setup({ leo: 0, isr: [1, 2], minIsr: 1, manual: true });
  b.log.leo = 10;
  b.p.onFollowerFetch(2, 10);
  assert.is(b.p.highWatermark, 10);
  b.p.onFollowerFetch(3, 10); // joins
  await flush();
  assert.equal([...b.p.maximalIsr], [1, 2, 3]);
  b.log.leo = 20;
  b.p.onFollowerFetch(2, 20);
  assert.is(b.p.highWatermark, 10, 'pending member 3 (LEO 10) bounds the HW');
  b.p.onFollowerFetch(3, 15);
  assert.is(b.p.highWatermark, 15);
});

test('a caught-up live replica outside the ISR holds the HW back until it joins; a dead one does not', async () => {
  const { p, log, writes, commit } = setup({ leo: 0, isr: [1, 2], minIsr: 1, manual: true, live: [1, 2, 3] });
  log.leo = 10;
  p.onFollowerFetch(3, 10); // caught up with the leader's end → joins (write in flight)
  p.onFollowerFetch(2, 10);
  await flush();
  assert.equal(writes, [[1, 2, 3]]);
  await commit();
  assert.equal([...p.isr], [1, 2, 3]);
  // not live: never added to the ISR, and it does not hold the HW
  const d = setup({ leo: 0, isr: [1, 2], minIsr: 1, live: [1, 2] });
  d.log.leo = 10;
  d.p.onFollowerFetch(3, 10);
  d.log.leo = 20;
  d.p.onFollowerFetch(2, 20);
  await flush();
  assert.equal(d.writes, [], 'a broker not registered is not added to the ISR');
  assert.is(d.p.highWatermark, 20);
  // live and caught up (fetched the leader's end at its previous fetch) but not yet in the ISR
  // because an ISR write is in flight: its LEO bounds the HW
  const c = setup({ leo: 0, isr: [1, 2], minIsr: 1, manual: true, live: [1, 2, 3] });
  c.log.leo = 10;
  c.p.onFollowerFetch(2, 5); // HW 5
  c.tick(10_001);
  const shrink = c.p.maybeShrinkIsr(); // 2 lags: shrink to {1} in flight
  await flush();
  c.p.onFollowerFetch(3, 10); // 3 caught up, but an ISR write is in flight: not added yet
  c.log.leo = 20;
  c.p.onFollowerFetch(2, 20);
  assert.is(c.p.highWatermark, 10, 'caught-up replica 3 (LEO 10) holds the HW back');
  await c.commit();
  await shrink;
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
