import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { destroyWorkerPool } from '../../pool/pool.js';
import { buildBatch } from '../../protocol/record/batch-builder.js';
import { FdCache } from '../fd-cache.js';
import { Log } from '../log.js';
import { logConfigOf, type LogConfig } from '../log-config.js';
import { bruteForce, removeDir, tempDir } from '../test-helpers.js';
import { cleanLog } from './clean-log.js';
import { LogCleaner } from './log-cleaner.js';

const T0 = 1_700_000_000_000;

async function openLog(dir: string, config: Partial<LogConfig> = {}) {
  return Log.open({
    dir: `${dir}/t-0`, topic: 't', partition: 0, fdCache: new FdCache(50),
    config: logConfigOf({ cleanupPolicy: 'compact', segmentBytes: 4096, minCleanableDirtyRatio: 0.01, ...config }),
  });
}

/** Writes `rounds` updates of keys 0..keys-1 in batches of `perBatch`; returns the expected table. */
async function fill(log: Log, keys: number, rounds: number, perBatch: number, opts: { compression?: 'none' | 'zstd' | 'gzip'; tombstoneEvery?: number } = {}) {
  const latest = new Map<string, { offset: number; value: string | null }>();
  let pending: { key: string; value: string | null; timestamp: number }[] = [];
  const flush = async () => {
    if (pending.length === 0) return;
    const res = await log.append(buildBatch(pending, { compression: opts.compression ?? 'none', now: T0 }));
    pending.forEach((r, i) => latest.set(r.key, { offset: res.baseOffset + i, value: r.value }));
    pending = [];
  };
  let n = 0;
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < keys; k++) {
      const tomb = opts.tombstoneEvery !== undefined && r === rounds - 1 && k % opts.tombstoneEvery === 0;
      pending.push({ key: `key-${k}`, value: tomb ? null : `v${r}-${k}`, timestamp: T0 + n++ });
      if (pending.length === perBatch) await flush();
    }
  }
  await flush();
  return latest;
}

test('compaction keeps exactly the latest value per key, offsets unchanged, active segment untouched', async () => {
  const dir = tempDir();
  try {
    const log = await openLog(dir);
    const latest = await fill(log, 1000, 6, 50, { compression: 'zstd' });
    log.roll();
    await log.append(buildBatch([{ key: 'key-1', value: 'active', timestamp: T0 }], { now: T0 }));
    latest.set('key-1', { offset: log.logEndOffset - 1, value: 'active' });
    await log.drain();
    const activeBefore = readFileSync(log.activeSegment.logPath);
    const before = bruteForce(log.dir).length;
    const leo = log.logEndOffset;
    const cleaner = new LogCleaner();
    const stats = await cleaner.cleanLog(log);
    assert.ok(stats !== null);
    assert.is(stats!.recordsBefore, 6000);
    assert.ok(stats!.groupsInstalled >= 1);
    assert.ok(readFileSync(log.activeSegment.logPath).equals(activeBefore), 'active segment untouched');
    const after = bruteForce(log.dir);
    assert.ok(after.length < before);
    // Every key once in the cleaned part, except key-1 which also has its newer value in the active segment.
    const table = new Map<string, { offset: number; value: string | null }>();
    let prev = -1;
    for (const r of after) {
      assert.ok(r.offset > prev, 'offsets strictly increase');
      prev = r.offset;
      table.set(r.key!, { offset: r.offset, value: r.value === null ? null : r.value.toString() });
    }
    assert.is(after.length, 1001);
    assert.equal(table, latest);
    assert.is(log.logEndOffset, leo);
    // Reads through the live log see the same table.
    const read = await log.readBuffers(0, { maxBytes: 10_000_000 });
    assert.ok(read.buffer.length > 0);
    // The checkpoint moved to the end of the cleaned range.
    const cp = readFileSync(`${dir}/cleaner-offset-checkpoint`, 'latin1').trim().split('\n');
    assert.is(cp[0], '0');
    assert.is(cp[2], `t 0 ${stats!.endOffset}`);
    // Nothing dirty any more: the next pass does nothing.
    assert.is(await cleaner.cleanLog(log), null);
    await log.close();
    // Reopen: the cleaned segments load and read back identically.
    const again = await openLog(dir);
    assert.equal(bruteForce(again.dir).map((r) => r.offset), after.map((r) => r.offset));
    assert.is(again.logEndOffset, leo);
    await again.close();
    assert.not.ok(readdirSync(`${dir}/t-0`).some((n) => n.endsWith('.cleaned') || n.endsWith('.swap')));
  } finally { removeDir(dir); }
});

test('tombstones: kept on the first pass, removed once clean and older than delete.retention.ms', async () => {
  const dir = tempDir();
  try {
    const log = await openLog(dir, { deleteRetentionMs: 1000 });
    await fill(log, 100, 3, 20, { tombstoneEvery: 10 });
    log.roll();
    await log.append(buildBatch([{ key: 'x', value: 'y' }]));
    await log.drain();
    let now = T0 + 500;
    const cleaner = new LogCleaner({ clock: () => now });
    await cleaner.cleanLog(log, { force: true });
    let recs = bruteForce(log.dir).filter((r) => r.key !== 'x');
    assert.is(recs.length, 100);
    assert.is(recs.filter((r) => r.value === null).length, 10);
    // More updates make the log dirty again; the tombstones are now in the clean section.
    for (let k = 0; k < 100; k++) if (k % 10 !== 0) await log.append(buildBatch([{ key: `key-${k}`, value: 'late', timestamp: T0 + 10_000 }], { now: T0 }));
    log.roll();
    await log.append(buildBatch([{ key: 'x', value: 'z' }]));
    await log.drain();
    now = T0 + 1000 + 400; // past the first segments' timestamps + retention
    await cleaner.cleanLog(log, { force: true });
    recs = bruteForce(log.dir).filter((r) => r.key !== 'x');
    assert.is(recs.filter((r) => r.value === null).length, 0, 'tombstones gone');
    assert.is(recs.length, 90);
    assert.ok(recs.every((r) => r.value!.toString() === 'late'));
    await log.close();
  } finally { removeDir(dir); }
});

test('min.compaction.lag.ms and min.cleanable.dirty.ratio hold cleaning back', async () => {
  const dir = tempDir();
  try {
    const log = await openLog(dir, { minCompactionLagMs: 60_000, minCleanableDirtyRatio: 0.5 });
    await fill(log, 50, 4, 10);
    log.roll();
    await log.drain();
    const lagged = new LogCleaner({ clock: () => T0 + 1000 });
    assert.is(await lagged.cleanLog(log), null, 'records newer than the lag are not cleaned');
    const later = new LogCleaner({ clock: () => T0 + 120_000 });
    assert.ok(await later.cleanLog(log) !== null);
    assert.is(later.dirtyRatio(log), 0);
    await log.close();
  } finally { removeDir(dir); }
});

test('a producer\'s last batch is kept empty; control batches are kept', async () => {
  const dir = tempDir();
  try {
    const log = await openLog(dir);
    await log.append(buildBatch([{ key: 'a', value: '1' }, { key: 'b', value: '1' }], { producerId: 7, producerEpoch: 0, baseSequence: 0, now: T0 }));
    await log.append(buildBatch([{ key: 'a', value: '2' }, { key: 'b', value: '2' }], { now: T0 }));
    log.roll();
    await log.append(buildBatch([{ key: 'c', value: '1' }], { now: T0 }));
    await log.drain();
    await new LogCleaner().cleanLog(log, { force: true });
    const file = readFileSync(log.segments[0]!.logPath);
    const { readBatches } = await import('../../protocol/record/batch-reader.js');
    const batches = [...readBatches(file)];
    assert.is(batches.length, 2);
    assert.is(batches[0]!.producerId, 7);
    assert.is(batches[0]!.recordsCount, 0);
    assert.is(batches[0]!.baseOffset, 0);
    assert.is(batches[0]!.lastOffsetDelta, 1);
    assert.is(batches[0]!.baseSequence, 0);
    assert.ok(batches[0]!.crcValid());
    assert.is(batches[1]!.records().length, 2);
    await log.close();
  } finally { removeDir(dir); }
});

test('cleanLog (pool-side pass) leaves an unchanged single segment alone', () => {
  const dir = tempDir();
  try {
    const r = cleanLog({ dir, segments: [], endOffset: 0, firstDirtyOffset: 0, now: T0, deleteRetentionMs: 0, segmentBytes: 1 << 20, indexIntervalBytes: 4096, maxIndexSize: 1 << 20 });
    assert.equal(r.groups, []);
  } finally { removeDir(dir); }
});

test.after(async () => { await destroyWorkerPool(); });
test.run();
