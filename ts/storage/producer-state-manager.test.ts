import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { buildBatch } from '../protocol/record/batch-builder.js';
import { readBatches } from '../protocol/record/batch-reader.js';
import { buildEndTxnMarkerBatch } from '../protocol/record/control-records.js';
import {
  ProducerStateManager, decrementSequence, incrementSequence, readEndTxnMarker, type ProducerBatch,
} from './producer-state-manager.js';
import { listSnapshotFiles } from './producer-state-snapshot.js';

const INT32_MAX = 2 ** 31 - 1;

function batch(producerId: number, producerEpoch: number, baseSequence: number, count = 1, extra: Partial<ProducerBatch> = {}): ProducerBatch {
  return { producerId, producerEpoch, baseSequence, lastOffsetDelta: count - 1, maxTimestamp: 1000, isTransactional: false, isControl: false, ...extra };
}

/** Test log: check + update in the way Log.append does, offsets assigned from `next`. */
class Harness {
  next = 0;
  constructor(readonly psm: ProducerStateManager) {}
  append(b: ProducerBatch): { baseOffset: number; lastOffset: number; duplicate: boolean } {
    const r = this.psm.check(b, 'client');
    if (r.kind === 'duplicate') return { baseOffset: r.baseOffset, lastOffset: r.lastOffset, duplicate: true };
    const baseOffset = this.next;
    this.next += b.lastOffsetDelta + 1;
    this.psm.update(b, baseOffset);
    return { baseOffset, lastOffset: baseOffset + b.lastOffsetDelta, duplicate: false };
  }
}

function tmp(): string { return fs.mkdtempSync(os.tmpdir() + '/samsa-'); }
const code = (c: string) => (e: any) => e.code === c;

test('sequence arithmetic wraps at Int32 max', () => {
  assert.is(incrementSequence(5, 3), 8);
  assert.is(incrementSequence(INT32_MAX, 1), 0);
  assert.is(incrementSequence(INT32_MAX - 1, 3), 1);
  assert.is(decrementSequence(1, 3), INT32_MAX - 1);
  assert.is(decrementSequence(8, 3), 5);
});

test('in-order appends get consecutive offsets; no producer id is always appended', () => {
  const h = new Harness(new ProducerStateManager('/nonexistent'));
  assert.equal(h.append(batch(7, 0, 0, 3)), { baseOffset: 0, lastOffset: 2, duplicate: false });
  assert.equal(h.append(batch(7, 0, 3, 2)), { baseOffset: 3, lastOffset: 4, duplicate: false });
  assert.equal(h.append(batch(-1, -1, -1, 4)), { baseOffset: 5, lastOffset: 8, duplicate: false });
  const e = h.psm.lastEntry(7)!;
  assert.equal(e.batches.map((b) => [b.firstSeq, b.lastSeq, b.firstOffset, b.lastOffset]), [[0, 2, 0, 2], [3, 4, 3, 4]]);
  assert.is(h.psm.mapEndOffset, 9);
  assert.is(h.psm.producerCount, 1);
});

test('a retry of each of the last 5 batches returns its original offsets; the 6th-oldest is out of order', () => {
  const h = new Harness(new ProducerStateManager('/nonexistent'));
  const sent: { seq: number; base: number }[] = [];
  for (let i = 0; i < 6; i++) {
    const r = h.append(batch(1, 0, i * 2, 2));
    sent.push({ seq: i * 2, base: r.baseOffset });
  }
  for (const s of sent.slice(1)) {
    assert.equal(h.append(batch(1, 0, s.seq, 2)), { baseOffset: s.base, lastOffset: s.base + 1, duplicate: true });
  }
  assert.is(h.next, 12, 'duplicates appended nothing');
  assert.throws(() => h.append(batch(1, 0, sent[0]!.seq, 2)), code('OUT_OF_ORDER_SEQUENCE_NUMBER'));
  // Same first sequence but a different range is not a duplicate either.
  assert.throws(() => h.append(batch(1, 0, 8, 1)), code('OUT_OF_ORDER_SEQUENCE_NUMBER'));
});

test('gaps are OUT_OF_ORDER_SEQUENCE_NUMBER (45) with a message naming the expected sequence', () => {
  const h = new Harness(new ProducerStateManager('/x', { topicPartition: 'orders-0' }));
  h.append(batch(3, 0, 0, 5));
  assert.throws(() => h.append(batch(3, 0, 6)), (e: any) =>
    e.code === 'OUT_OF_ORDER_SEQUENCE_NUMBER' && e.errorCode === 45 && /expected is 5/.test(e.message) && /orders-0/.test(e.message));
  assert.equal(h.append(batch(3, 0, 5)).baseOffset, 5);
});

test('unknown producer: any first sequence is accepted (KIP-360), then sequences must follow', () => {
  const h = new Harness(new ProducerStateManager('/x'));
  assert.is(h.append(batch(9, 4, 1234, 2)).baseOffset, 0);
  assert.is(h.append(batch(9, 4, 1236)).baseOffset, 2);
  assert.throws(() => h.append(batch(9, 4, 1238)), code('OUT_OF_ORDER_SEQUENCE_NUMBER'));
});

test('epoch bump must start at sequence 0 and resets the window; older epoch is INVALID_PRODUCER_EPOCH (47)', () => {
  const h = new Harness(new ProducerStateManager('/x'));
  h.append(batch(5, 0, 0, 3));
  h.append(batch(5, 0, 3, 1));
  assert.throws(() => h.append(batch(5, 1, 4)), code('OUT_OF_ORDER_SEQUENCE_NUMBER'));
  assert.equal(h.append(batch(5, 1, 0, 2)), { baseOffset: 4, lastOffset: 5, duplicate: false });
  assert.is(h.psm.lastEntry(5)!.batches.length, 1, 'window cleared on new epoch');
  assert.is(h.psm.lastEntry(5)!.producerEpoch, 1);
  // A retry from the old epoch is fenced, even one that matches an old batch exactly.
  assert.throws(() => h.append(batch(5, 0, 0, 3)), (e: any) => e.code === 'INVALID_PRODUCER_EPOCH' && e.errorCode === 47);
  assert.throws(() => h.append(batch(5, 0, 4)), code('INVALID_PRODUCER_EPOCH'));
  // Replication does not fence.
  assert.equal(h.psm.check(batch(5, 0, 4), 'replication'), { kind: 'append' });
});

test('sequence wraps from Int32 max to 0', () => {
  const h = new Harness(new ProducerStateManager('/x'));
  h.append(batch(2, 0, INT32_MAX - 1, 2));
  assert.is(h.psm.lastEntry(2)!.batches[0]!.lastSeq, INT32_MAX);
  assert.equal(h.append(batch(2, 0, 0, 1)).duplicate, false);
  // a batch that itself wraps
  const h2 = new Harness(new ProducerStateManager('/x'));
  h2.append(batch(2, 0, INT32_MAX - 1, 4));
  assert.is(h2.psm.lastEntry(2)!.batches[0]!.lastSeq, 1);
  assert.equal(h2.append(batch(2, 0, INT32_MAX - 1, 4)).duplicate, true);
  assert.is(h2.append(batch(2, 0, 2)).baseOffset, 4);
});

test('transactions: open txn tracked, non-transactional write rejected, marker completes it', () => {
  const psm = new ProducerStateManager('/x');
  const h = new Harness(psm);
  h.append(batch(8, 0, 0, 2, { isTransactional: true }));
  h.append(batch(8, 0, 2, 1, { isTransactional: true }));
  assert.is(psm.lastEntry(8)!.currentTxnFirstOffset, 0);
  assert.is(psm.firstUndecidedOffset(), 0);
  assert.throws(() => psm.check(batch(8, 0, 3)), (e: any) => e.code === 'INVALID_TXN_STATE' && e.errorCode === 48);
  const marker = batch(8, 0, -1, 1, { isControl: true, isTransactional: true });
  assert.equal(psm.check(marker, 'coordinator', { commit: true, coordinatorEpoch: 3 }), { kind: 'append' });
  assert.equal(psm.update(marker, 3, { commit: true, coordinatorEpoch: 3 }), { producerId: 8, firstOffset: 0, lastOffset: 3, isAborted: false });
  assert.is(psm.firstUndecidedOffset(), -1);
  assert.is(psm.lastEntry(8)!.coordinatorEpoch, 3);
  assert.throws(() => psm.check(marker, 'coordinator', { commit: false, coordinatorEpoch: 2 }), (e: any) => e.errorCode === 52);
});

test('producers expire after producer.id.expiration.ms unless a transaction is open', () => {
  const psm = new ProducerStateManager('/x', { producerIdExpirationMs: 1000 });
  psm.update(batch(1, 0, 0, 1, { maxTimestamp: 5000 }), 0);
  psm.update(batch(2, 0, 0, 1, { maxTimestamp: 5500 }), 1);
  psm.update(batch(3, 0, 0, 1, { maxTimestamp: 1, isTransactional: true }), 2);
  assert.is(psm.removeExpiredProducers(5999), 0);
  assert.is(psm.removeExpiredProducers(6000), 1);
  assert.equal([...psm.activeProducers().keys()].sort(), [2, 3]);
  assert.is(psm.removeExpiredProducers(6500), 1);
  assert.equal([...psm.activeProducers().keys()], [3]);
});

test('snapshot round trip: only the last batch of each producer survives; retry of it is a duplicate', async () => {
  const dir = tmp();
  try {
    const h = new Harness(new ProducerStateManager(dir));
    h.append(batch(1, 0, 0, 2)); h.append(batch(1, 0, 2, 3)); h.append(batch(2, 3, 10, 1));
    const path = await h.psm.takeSnapshot();
    assert.is(path, join(dir, '00000000000000000006.snapshot'));
    assert.is(await h.psm.takeSnapshot(), null, 'no new offsets: no second snapshot');
    const reloaded = new ProducerStateManager(dir);
    assert.is(await reloaded.loadSnapshot(0, 6, 2000), 6);
    assert.is(reloaded.mapEndOffset, 6);
    assert.equal(reloaded.lastEntry(1)!.batches, [{ firstSeq: 2, lastSeq: 4, firstOffset: 2, lastOffset: 4, timestamp: 1000 }]);
    const h2 = new Harness(reloaded); h2.next = 6;
    assert.equal(h2.append(batch(1, 0, 2, 3)), { baseOffset: 2, lastOffset: 4, duplicate: true });
    assert.is(h2.append(batch(1, 0, 5)).baseOffset, 6);
    assert.is(h2.append(batch(2, 3, 11)).baseOffset, 7);
  } finally { fs.rmSync(dir, { recursive: true, force: true }); }
});

test('rebuild from the log: newest snapshot ≤ log end, then replay real batches', async () => {
  const dir = tmp();
  try {
    // A "log" of real v2 batches built with the record builder.
    const batches: Buffer[] = [];
    let offset = 0;
    const add = (b: Buffer) => { b.writeBigInt64BE(BigInt(offset), 0); batches.push(b); offset += b.readInt32BE(23) + 1; };
    add(buildBatch([{ value: 'a' }, { value: 'b' }], { producerId: 11, producerEpoch: 0, baseSequence: 0, now: 10 }));
    add(buildBatch([{ value: 'c' }], { producerId: 12, producerEpoch: 2, baseSequence: 0, now: 10 }));
    const live = new ProducerStateManager(dir);
    const replayAll = (psm: ProducerStateManager, from: number) => {
      for (const view of readBatches(Buffer.concat(batches))) {
        if (view.baseOffset < from) continue;
        psm.update(view, view.baseOffset, view.isControl ? readEndTxnMarker(view.bytes) : undefined);
      }
    };
    replayAll(live, 0);
    await live.takeSnapshot(); // at 3 (a "roll")
    add(buildBatch([{ value: 'd' }, { value: 'e' }, { value: 'f' }], { producerId: 11, producerEpoch: 0, baseSequence: 2, now: 20 }));
    add(buildBatch([{ value: 'g' }], { producerId: 13, producerEpoch: 0, baseSequence: 0, isTransactional: true, now: 20 }));
    add(buildEndTxnMarkerBatch({ commit: false, producerId: 13, producerEpoch: 0, coordinatorEpoch: 4, now: 30 }));
    replayAll(live, 3);
    // A stale snapshot above the (truncated) log end must be deleted.
    fs.writeFileSync(join(dir, '00000000000000009999.snapshot'), 'junk');

    const rebuilt = new ProducerStateManager(dir);
    const from = await rebuilt.loadSnapshot(0, offset, 100);
    assert.is(from, 3);
    replayAll(rebuilt, from);
    assert.equal((await listSnapshotFiles(dir)).map((f) => f.offset), [3]);
    assert.is(rebuilt.mapEndOffset, 8);
    assert.equal(rebuilt.lastEntry(11)!.batches.map((b) => [b.firstSeq, b.lastSeq, b.firstOffset, b.lastOffset]), [[0, 1, 0, 1], [2, 4, 3, 5]]);
    assert.equal(rebuilt.lastEntry(12)!.producerEpoch, 2);
    assert.is(rebuilt.lastEntry(13)!.currentTxnFirstOffset, -1);
    assert.is(rebuilt.lastEntry(13)!.coordinatorEpoch, 4);
    assert.equal(rebuilt.snapshotEntries().sort((a, b) => a.producerId - b.producerId), live.snapshotEntries().sort((a, b) => a.producerId - b.producerId));
  } finally { fs.rmSync(dir, { recursive: true, force: true }); }
});

test('corrupt newest snapshot is deleted and the older one used; none at all → replay from log start', async () => {
  const dir = tmp();
  try {
    const psm = new ProducerStateManager(dir);
    psm.update(batch(1, 0, 0, 5), 0);
    await psm.takeSnapshot();
    psm.update(batch(1, 0, 5, 5), 5);
    await psm.takeSnapshot();
    const p10 = join(dir, '00000000000000000010.snapshot');
    const bytes = fs.readFileSync(p10); bytes[bytes.length - 1] ^= 0xff; fs.writeFileSync(p10, bytes);
    const re = new ProducerStateManager(dir);
    assert.is(await re.loadSnapshot(0, 10, 0), 5);
    assert.is(fs.existsSync(p10), false);
    assert.is(re.lastEntry(1)!.batches[0]!.lastSeq, 4);
    await re.truncateFullyAndStartAt(0);
    assert.equal(await listSnapshotFiles(dir), []);
    assert.is(await new ProducerStateManager(dir).loadSnapshot(4, 10, 0), 4);
  } finally { fs.rmSync(dir, { recursive: true, force: true }); }
});

test('expired producers are not loaded from a snapshot', async () => {
  const dir = tmp();
  try {
    const psm = new ProducerStateManager(dir, { producerIdExpirationMs: 100 });
    psm.update(batch(1, 0, 0, 1, { maxTimestamp: 0 }), 0);
    psm.update(batch(2, 0, 0, 1, { maxTimestamp: 950 }), 1);
    await psm.takeSnapshot();
    const re = new ProducerStateManager(dir, { producerIdExpirationMs: 100 });
    await re.loadSnapshot(0, 2, 1000);
    assert.equal([...re.activeProducers().keys()], [2]);
  } finally { fs.rmSync(dir, { recursive: true, force: true }); }
});

test.run();
