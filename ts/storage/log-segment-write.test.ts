// LogSegment write paths: page-cache jobs up to SYNC_WRITE_MAX_BYTES are written on the event
// loop, larger ones (and fsync jobs) on the libuv pool. Both must leave byte-identical files. The
// Log's page-cache group commit keeps jobs under the limit (only a single larger batch exceeds it).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FdCache } from './fd-cache.js';
import { logConfigOf } from './log-config.js';
import { Log, type Durability } from './log.js';
import { setSyncWriteMaxBytes, SYNC_WRITE_MAX_BYTES } from './log-segment.js';
import { bruteForce, makeBatch, removeDir, tempDir } from './test-helpers.js';

const dirs: string[] = [];
const TS = 1_700_000_000_000;

/** Appends the same mixed workload (concurrent small appends, one large batch) and closes. */
async function workload(limit: number, durability: Durability = 'pagecache'): Promise<string> {
  const dir = tempDir();
  dirs.push(dir);
  const prev = setSyncWriteMaxBytes(limit);
  try {
    const log = await Log.open({ dir, topic: 't', partition: 0, durability, fdCache: new FdCache(8),
      config: logConfigOf({ segmentBytes: 64 * 1024, indexIntervalBytes: 512 }), clock: () => TS });
    const pending = [];
    for (let i = 0; i < 40; i++) pending.push(log.append(makeBatch(1 + (i % 5), `b${i}`, TS + i * 10, 300)));
    const results = await Promise.all(pending);
    let next = 0;
    for (const r of results) { assert.is(r.baseOffset, next); next = r.lastOffset + 1; }
    const big = await log.append(makeBatch(3, 'big', TS + 1000, 40_000));
    assert.is(big.baseOffset, next);
    assert.is(log.writtenEndOffset, next + 3);
    await log.close();
  } finally {
    setSyncWriteMaxBytes(prev);
  }
  return dir;
}

function files(dir: string): Map<string, Buffer> {
  return new Map(readdirSync(dir).filter((n) => /\.(log|index|timeindex)$/.test(n)).sort().map((n) => [n, readFileSync(join(dir, n))]));
}

test('the event-loop path and the pool path write byte-identical segments and indexes', async () => {
  const onLoop = await workload(SYNC_WRITE_MAX_BYTES);
  const onPool = await workload(0);
  const a = files(onLoop), b = files(onPool);
  assert.equal([...a.keys()], [...b.keys()]);
  assert.ok(a.size >= 6, `several segments rolled (${[...a.keys()].join(', ')})`);
  for (const [name, bytes] of a) assert.ok(bytes.equals(b.get(name)!), `${name} differs`);
  const records = bruteForce(onLoop);
  assert.is(records.length, 8 * 15 + 3); // 40 batches of 1..5 records (8 rounds of 1+2+3+4+5), then 3
  records.forEach((r, i) => assert.is(r.offset, i));
  assert.is(records.at(-1)!.key, 'big-2');
});

test('fsync durability never takes the event-loop path and still writes everything', async () => {
  const dir = await workload(Number.MAX_SAFE_INTEGER, 'fsync');
  const records = bruteForce(dir);
  assert.is(records.length, 123);
  assert.is(records[40].offset, 40);
});

test('page-cache group commit stops at the inline limit, so every job is written on the loop', async () => {
  const dir = tempDir();
  dirs.push(dir);
  const prev = setSyncWriteMaxBytes(4000);
  try {
    const log = await Log.open({ dir, topic: 't', partition: 0, fdCache: new FdCache(8),
      config: logConfigOf({ segmentBytes: 1 << 20 }), clock: () => TS });
    const seg = log.activeSegment as unknown as { writeJob: (b: Buffer[], total: number, sync: boolean) => Promise<void> };
    const write = seg.writeJob.bind(seg);
    const jobs: number[][] = [];
    seg.writeJob = (b, total, sync) => { jobs.push(b.map((x) => x.length)); return write(b, total, sync); };
    const pending = [];
    for (let i = 0; i < 30; i++) pending.push(log.append(makeBatch(2, `g${i}`, TS + i, 600)));
    pending.push(log.append(makeBatch(1, 'huge', TS + 99, 9000)));
    await Promise.all(pending);
    assert.is(jobs.flat().length, 31, 'every batch written exactly once');
    for (const j of jobs) {
      const total = j.reduce((a, b) => a + b, 0);
      assert.ok(j.length === 1 || total <= 4000, `job of ${j.length} batches, ${total} bytes, exceeds the limit`);
    }
    assert.ok(jobs.some((j) => j.length > 1), 'concurrent appends are still grouped');
    assert.ok(jobs.some((j) => j.length === 1 && j[0]! > 9000), 'a batch above the limit is a job alone');
    const records = bruteForce(dir);
    assert.is(records.length, 61);
    records.forEach((r, i) => assert.is(r.offset, i));
    await log.close();
  } finally {
    setSyncWriteMaxBytes(prev);
  }
});

test('setSyncWriteMaxBytes rejects a negative or non-numeric limit', () => {
  assert.throws(() => setSyncWriteMaxBytes(-1), /must be a number >= 0/);
  assert.throws(() => setSyncWriteMaxBytes(Number.NaN), /must be a number >= 0/);
});

test.after(() => { for (const d of dirs) removeDir(d); });
test.run();
