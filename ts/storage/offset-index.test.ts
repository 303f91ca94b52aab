import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OffsetIndex } from './offset-index.js';
import { TimeIndex } from './time-index.js';
import { removeDir, tempDir } from './test-helpers.js';

function seeded(seed: number): () => number {
  return () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed / 0x7fffffff; };
}

test('offset index: Kafka layout, lookups vs brute force, truncation, sanity', async () => {
  const dir = tempDir();
  try {
    const path = join(dir, '00000000000000001000.index');
    const idx = new OffsetIndex(path, 1000, 1024 * 8);
    const rnd = seeded(3);
    const entries: [number, number][] = [];
    let off = 1000, pos = 0;
    for (let i = 0; i < 500; i++) { off += 1 + Math.floor(rnd() * 20); pos += 61 + Math.floor(rnd() * 4000); idx.append(off, pos); entries.push([off, pos]); }
    assert.is(idx.entries, 500);
    const raw = idx.pendingChunk();
    assert.is(raw.position, 0);
    assert.is(raw.bytes!.readInt32BE(0), entries[0][0] - 1000, 'relative offset');
    assert.is(raw.bytes!.readInt32BE(4), entries[0][1], 'position');
    for (let t = 990; t < off + 30; t += 1 + Math.floor(rnd() * 5)) {
      let want = { offset: 1000, position: 0 };
      for (const [o, p] of entries) if (o <= t) want = { offset: o, position: p };
      assert.equal(idx.lookup(t), want, `target ${t}`);
    }
    for (const target of [0, entries[10][1], entries[10][1] + 1, pos + 1]) {
      let want = { offset: 1000, position: 0 };
      for (const [o, p] of entries) if (p <= target) want = { offset: o, position: p };
      assert.equal(idx.lookupByPosition(target), want);
    }
    assert.throws(() => idx.append(off, pos + 10), /not after/);
    writeFileSync(path, raw.bytes!);
    idx.markWritten(raw.upTo);
    await idx.truncateTo(entries[100][0]);
    assert.is(idx.entries, 100);
    assert.is(readFileSync(path).length, 800);
    const loaded = await OffsetIndex.load(path, 1000, 8192);
    assert.is(loaded.entries, 100);
    assert.is(loaded.sanityCheck(pos + 1), null);
    assert.match(loaded.sanityCheck(entries[50][1]) ?? '', 'outside the log');
    writeFileSync(path, Buffer.concat([readFileSync(path), Buffer.alloc(3)]));
    assert.match((await OffsetIndex.load(path, 1000, 8192)).sanityCheck(pos + 1) ?? '', 'after the last whole entry');
    assert.ok(new OffsetIndex(path, 0, 16).isFull === false);
  } finally { removeDir(dir); }
});

test('time index: only increasing timestamps are appended; lookups vs brute force', async () => {
  const dir = tempDir();
  try {
    const idx = new TimeIndex(join(dir, 'x.timeindex'), 500, 12 * 1000);
    const rnd = seeded(9);
    const kept: [number, number][] = [];
    let ts = 1_700_000_000_000, off = 500;
    for (let i = 0; i < 400; i++) {
      ts += Math.floor(rnd() * 100) - 20;
      off += 1 + Math.floor(rnd() * 10);
      const before = idx.entries;
      idx.maybeAppend(ts, off);
      if (kept.length === 0 || ts > kept[kept.length - 1][0]) kept.push([ts, off]);
      assert.is(idx.entries, kept.length, `entry ${i} (${before})`);
    }
    for (let i = 0; i < 300; i++) {
      const t = kept[0][0] - 50 + Math.floor(rnd() * (ts - kept[0][0] + 100));
      let want = { timestamp: -1, offset: 500 };
      for (const [k, o] of kept) if (k <= t) want = { timestamp: k, offset: o };
      assert.equal(idx.lookup(t), want, `ts ${t}`);
    }
    assert.equal(idx.lastEntry(), { timestamp: kept[kept.length - 1][0], offset: kept[kept.length - 1][1] });
    await idx.truncateTo(kept[10][1]);
    assert.is(idx.entries, 10);
    assert.is(idx.sanityCheck(0, kept[9][1]), null);
    assert.match(idx.sanityCheck(0, kept[9][1] - 1) ?? '', 'past the last offset');
  } finally { removeDir(dir); }
});

test.run();
