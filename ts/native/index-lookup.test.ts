import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as N from './index-lookup.js';
import * as R from './index-lookup.ref.js';
import { rng } from './batch-fixtures.js';

function offsetIndex(rels: number[], positions: number[]): Buffer {
  const b = Buffer.alloc(rels.length * 8 + 16); // extra preallocated tail
  rels.forEach((r, i) => { b.writeInt32BE(r, i * 8); b.writeInt32BE(positions[i], i * 8 + 4); });
  return b;
}

function timeIndex(ts: number[], rels: number[]): Buffer {
  const b = Buffer.alloc(ts.length * 12);
  ts.forEach((t, i) => { b.writeBigInt64BE(BigInt(t), i * 12); b.writeInt32BE(rels[i], i * 12 + 8); });
  return b;
}

test('offset lookup: native == linear reference, hand-checked cases', () => {
  const idx = offsetIndex([0, 5, 9, 20], [0, 4096, 8192, 12288]);
  assert.is(N.indexLookup(idx, 4, -1), -1);
  assert.is(N.indexLookup(idx, 4, 0), 0);
  assert.is(N.indexLookup(idx, 4, 8), 1);
  assert.is(N.indexLookup(idx, 4, 9), 2);
  assert.is(N.indexLookup(idx, 4, 1000), 3);
  assert.is(N.indexLookup(idx, 2, 1000), 1, 'count limits the search');
  assert.is(N.indexLookup(idx, 0, 5), -1);
  const rand = rng(4);
  for (let round = 0; round < 50; round++) {
    const n = Math.floor(rand() * 200);
    const rels: number[] = [], pos: number[] = [];
    let r = Math.floor(rand() * 3), p = 0;
    for (let i = 0; i < n; i++) { rels.push(r); pos.push(p); r += 1 + Math.floor(rand() * 50); p += 1 + Math.floor(rand() * 5000); }
    const b = offsetIndex(rels, pos);
    for (let k = 0; k < 30; k++) {
      const t = Math.floor(rand() * (r + 10)) - 5;
      assert.is(N.indexLookup(b, n, t), R.indexLookup(b, n, t), `n=${n} t=${t}`);
    }
    assert.is(N.indexSanity(b, n, p + 1), -1);
    assert.is(R.indexSanity(b, n, p + 1), -1);
  }
});

test('time lookup: floor and ceiling vs reference', () => {
  const idx = timeIndex([100, 200, 300], [0, 10, 20]);
  assert.is(N.timeIndexLookup(idx, 3, 99), -1);
  assert.is(N.timeIndexCeiling(idx, 3, 99), 0);
  assert.is(N.timeIndexLookup(idx, 3, 200), 1);
  assert.is(N.timeIndexCeiling(idx, 3, 200), 1);
  assert.is(N.timeIndexLookup(idx, 3, 250), 1);
  assert.is(N.timeIndexCeiling(idx, 3, 250), 2);
  assert.is(N.timeIndexCeiling(idx, 3, 301), -1);
  const rand = rng(8);
  for (let round = 0; round < 50; round++) {
    const n = Math.floor(rand() * 100);
    const ts: number[] = [], rels: number[] = [];
    let t = 1_700_000_000_000 + Math.floor(rand() * 1000), r = 0;
    for (let i = 0; i < n; i++) { ts.push(t); rels.push(r); t += 1 + Math.floor(rand() * 100); r += Math.floor(rand() * 3); }
    const b = timeIndex(ts, rels);
    for (let k = 0; k < 30; k++) {
      const q = 1_700_000_000_000 + Math.floor(rand() * (t - 1_700_000_000_000 + 200)) - 100;
      assert.is(N.timeIndexLookup(b, n, q), R.timeIndexLookup(b, n, q));
      assert.is(N.timeIndexCeiling(b, n, q), R.timeIndexCeiling(b, n, q));
    }
    assert.is(N.timeIndexSanity(b, n, r), -1);
  }
});

test('sanity checks report the first bad slot', () => {
  const cases: Array<[Buffer, number, number, number]> = [
    [offsetIndex([0, 5, 5], [0, 10, 20]), 3, 100, 2], // offset not increasing
    [offsetIndex([0, 5, 6], [0, 10, 10]), 3, 100, 2], // position not increasing
    [offsetIndex([0, 5, 6], [0, 10, 100]), 3, 100, 2], // position past log end
    [offsetIndex([-1, 5], [0, 10]), 2, 100, 0],
    [offsetIndex([1, 5], [0, 10]), 2, 100, -1],
  ];
  for (const [b, n, size, want] of cases) {
    assert.is(N.indexSanity(b, n, size), want);
    assert.is(R.indexSanity(b, n, size), want);
  }
  const t = timeIndex([5, 5, 9], [0, 1, 2]);
  assert.is(N.timeIndexSanity(t, 3, 10), 1);
  assert.is(R.timeIndexSanity(t, 3, 10), 1);
  const t2 = timeIndex([5, 6, 9], [0, 3, 2]);
  assert.is(N.timeIndexSanity(t2, 3, 10), 2);
  assert.is(N.timeIndexSanity(t2, 2, 2), 1, 'relOffset above maxRelOffset');
});

test('count beyond the buffer is a RangeError', () => {
  assert.throws(() => N.indexLookup(Buffer.alloc(16), 3, 0), RangeError);
});

test.run();
