import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync } from 'node:fs';
import { FdCache } from './fd-cache.js';
import { logConfigOf, type LogConfig } from './log-config.js';
import { Log, type LogOptions } from './log.js';
import { buildBatch } from '../protocol/record/batch-builder.js';
import { bruteForce, makeBatch, recordsOf, removeDir, tempDir } from './test-helpers.js';

const dirs: string[] = [];
function dir(): string { const d = tempDir(); dirs.push(d); return d; }

async function open(d: string, config: Partial<LogConfig> = {}, extra: Partial<LogOptions> = {}): Promise<Log> {
  return Log.open({ dir: d, topic: 't', partition: 0, config: logConfigOf(config), fdCache: new FdCache(16), ...extra });
}

async function readAll(log: Log, from = log.logStartOffset): Promise<ReturnType<typeof recordsOf>> {
  const out: ReturnType<typeof recordsOf> = [];
  let o = from;
  while (o < log.highWatermark) {
    const { buffer } = await log.readBuffers(o, { maxBytes: 64 * 1024 });
    const rs = recordsOf(buffer).filter((r) => r.offset >= o);
    if (rs.length === 0) throw new Error(`no progress at ${o}`);
    out.push(...rs);
    o = rs[rs.length - 1].offset + 1;
  }
  return out;
}

test('round trips of many sizes: consecutive offsets, byte-exact values', async () => {
  const d = dir();
  const log = await open(d, { segmentBytes: 256 * 1024, indexIntervalBytes: 1024 });
  const expected: { key: string; value: Buffer }[] = [];
  const shapes: [number, number][] = [[1, 1], [10, 100], [1000, 10], [10_000, 1], [1, 1024 * 1024 - 200], [3, 70_000]];
  let n = 0;
  for (const [count, size] of shapes) {
    const tag = `s${n++}`;
    const batch = makeBatch(count, tag, 1_700_000_000_000 + n * 100_000, size);
    const res = await log.append(batch);
    assert.is(res.baseOffset, expected.length);
    assert.is(res.lastOffset, expected.length + count - 1);
    for (let i = 0; i < count; i++) expected.push({ key: `${tag}-${i}`, value: Buffer.alloc(size, i & 0xff) });
  }
  assert.is(log.logEndOffset, expected.length);
  const got = await readAll(log);
  assert.is(got.length, expected.length);
  for (let i = 0; i < got.length; i++) {
    assert.is(got[i].offset, i);
    assert.is(got[i].key, expected[i].key);
    assert.ok(got[i].value!.equals(expected[i].value), `value ${i}`);
  }
  await log.close();
});

test('read from every offset returns batches containing it; maxOffset and maxBytes bound the region', async () => {
  const d = dir();
  const log = await open(d, { segmentBytes: 8 * 1024, indexIntervalBytes: 300 });
  for (let i = 0; i < 120; i++) await log.append(makeBatch(1 + (i % 4), `b${i}`, 1_700_000_000_000, 40));
  const all = bruteForce(d);
  assert.is(all.length, log.logEndOffset);
  assert.ok(log.segments.length > 2, 'rolled');
  for (let o = 0; o < log.logEndOffset; o++) {
    const { buffer } = await log.readBuffers(o, { maxBytes: 500 });
    const rs = recordsOf(buffer);
    assert.ok(rs.length > 0, `records at ${o}`);
    assert.ok(rs[0].offset <= o && rs.some((r) => r.offset === o), `batch holds ${o}`);
    assert.ok(buffer.length <= 500 || recordsOf(buffer).length === all.find((r) => r.offset === o)!.batchLast - all.find((r) => r.offset === o)!.batchBase + 1);
  }
  const bounded = await log.readBuffers(10, { maxOffset: 30, maxBytes: 1 << 20 });
  const rs = recordsOf(bounded.buffer);
  assert.ok(rs[rs.length - 1].offset < 30);
  const empty = await log.readBuffers(log.logEndOffset);
  assert.is(empty.buffer.length, 0);
  try { await log.read(log.logEndOffset + 1); assert.unreachable(); } catch (e) {
    assert.is((e as { code: string }).code, 'OFFSET_OUT_OF_RANGE');
    assert.is((e as { errorCode: number }).errorCode, 1);
    assert.match((e as Error).message, `[0, ${log.logEndOffset}]`);
  }
  await log.close();
});

test('64 concurrent appends get consecutive offsets in call order (fsync group commit)', async () => {
  const d = dir();
  const log = await open(d, { segmentBytes: 64 * 1024 }, { durability: 'fsync' });
  const results = await Promise.all(Array.from({ length: 64 }, (_, i) => log.append(makeBatch(2, `c${i}`))));
  results.forEach((r, i) => { assert.is(r.baseOffset, i * 2); assert.is(r.lastOffset, i * 2 + 1); });
  const got = await readAll(log);
  assert.equal(got.map((r) => r.key), results.flatMap((_, i) => [`c${i}-0`, `c${i}-1`]));
  assert.is(log.recoveryPoint, 128);
  await log.close();
});

test('roll by segment.bytes and segment.ms', async () => {
  const d = dir();
  let now = 1_000_000;
  const log = await open(d, { segmentBytes: 2000, segmentMs: 60_000 }, { clock: () => now });
  for (let i = 0; i < 10; i++) await log.append(makeBatch(5, `r${i}`, 1_700_000_000_000, 100));
  const bySize = log.segments.length;
  assert.ok(bySize >= 3, `rolled by bytes: ${bySize}`);
  for (const s of log.segments.slice(0, -1)) assert.ok(s.size <= 2000);
  const before = log.segments.length;
  await log.append(makeBatch(1, 'x'));
  now += 60_001;
  await log.append(makeBatch(1, 'y'));
  assert.is(log.segments.length, before + 1, 'rolled by ms');
  assert.is(log.activeSegment.baseOffset, log.logEndOffset - 1);
  const names = readdirSync(d).filter((n) => n.endsWith('.log')).sort();
  assert.is(names.length, log.segments.length);
  assert.is(names[names.length - 1], `${String(log.activeSegment.baseOffset).padStart(20, '0')}.log`);
  await log.close();
});

test('a roll whose segment files cannot be created takes the log offline with KAFKA_STORAGE_ERROR', async () => {
  const d = dir();
  const log = await open(d, { segmentBytes: 2000 });
  await log.append(makeBatch(5, 'a', 1_700_000_000_000, 100));
  await log.drain();
  removeDir(d); // the data directory disappears under the broker
  const codes: unknown[] = [];
  for (let i = 0; i < 4; i++) {
    try { await log.append(makeBatch(5, `b${i}`, 1_700_000_000_000, 600)); codes.push('ok'); } catch (e) { codes.push((e as { errorCode?: number }).errorCode); }
  }
  assert.ok(codes.includes(56), `KAFKA_STORAGE_ERROR among ${codes.join(',')}`);
  assert.is(codes[codes.length - 1], 56, 'and from then on');
  assert.ok(codes.every((c) => c === 'ok' || c === 56), `no other failure: ${codes.join(',')}`);
  await log.close().catch(() => {});
});

test('retention by bytes and by ms deletes oldest whole segments, never the active one', async () => {
  const d = dir();
  let now = 10_000_000;
  const log = await open(d, { segmentBytes: 1500, retentionBytes: 3000, retentionMs: -1 }, { clock: () => now });
  for (let i = 0; i < 20; i++) await log.append(makeBatch(4, `q${i}`, now, 100));
  const segs = log.segments.length;
  const deleted = await log.deleteOldSegments();
  assert.ok(deleted > 0);
  assert.is(log.segments.length, segs - deleted);
  assert.ok(log.size - log.activeSegment.size <= 3000 + 1500);
  assert.is(log.logStartOffset, log.segments[0].baseOffset);
  assert.is(bruteForce(d)[0].offset, log.logStartOffset);
  assert.is((await readAll(log)).length, log.logEndOffset - log.logStartOffset);
  log.config = { ...log.config, retentionBytes: -1, retentionMs: 1000 };
  now += 10_000;
  await log.deleteOldSegments();
  assert.is(log.segments.length, 1, 'only the active segment is left');
  assert.is(log.logStartOffset, log.activeSegment.baseOffset);
  await log.close();
});

test('deleteRecordsBefore moves logStartOffset and deletes whole segments below it', async () => {
  const d = dir();
  const log = await open(d, { segmentBytes: 1500 });
  for (let i = 0; i < 20; i++) await log.append(makeBatch(4, `d${i}`, 1_700_000_000_000, 100));
  const segs = log.segments.length;
  const target = log.segments[2].baseOffset + 1;
  assert.is(await log.deleteRecordsBefore(target), target);
  assert.is(log.logStartOffset, target);
  assert.is(log.segments.length, segs - 2);
  try { await log.read(target - 1); assert.unreachable(); } catch (e) { assert.is((e as { code: string }).code, 'OFFSET_OUT_OF_RANGE'); }
  const first = await log.readBuffers(target);
  assert.ok(recordsOf(first.buffer).some((r) => r.offset === target));
  try { await log.deleteRecordsBefore(log.logEndOffset + 5); assert.unreachable(); } catch (e) { assert.is((e as { code: string }).code, 'OFFSET_OUT_OF_RANGE'); }
  await log.close();
  const again = await open(d, { segmentBytes: 1500 }, { logStartOffset: target, hadCleanShutdown: true, recoveryPoint: 80 });
  assert.is(again.logStartOffset, target);
  await again.close();
});

test('truncateTo across a segment boundary, then appends continue at the right offset', async () => {
  const d = dir();
  const log = await open(d, { segmentBytes: 1500 });
  for (let i = 0; i < 20; i++) await log.append(makeBatch(4, `t${i}`, 1_700_000_000_000, 100));
  const secondBase = log.segments[1].baseOffset;
  await log.truncateTo(secondBase - 2); // inside the last batch of segment 0: cut at that batch
  assert.is(log.segments.length, 1);
  assert.is(log.logEndOffset, secondBase - 4);
  assert.is(bruteForce(d).length, secondBase - 4);
  const r = await log.append(makeBatch(3, 'after'));
  assert.is(r.baseOffset, secondBase - 4);
  const got = await readAll(log);
  assert.is(got.length, secondBase - 1);
  assert.equal(got.slice(-3).map((x) => x.key), ['after-0', 'after-1', 'after-2']);
  await log.truncateTo(0);
  assert.is(log.logEndOffset, 0);
  assert.is((await log.append(makeBatch(1, 'z'))).baseOffset, 0);
  await log.truncateFullyAndStartAt(500);
  assert.is(log.logStartOffset, 500);
  assert.is((await log.append(makeBatch(1, 'w'))).baseOffset, 500);
  await log.close();
});

test('reopen after close: same state, no recovery scan', async () => {
  const d = dir();
  const log = await open(d, { segmentBytes: 3000, indexIntervalBytes: 200 });
  for (let i = 0; i < 30; i++) await log.append(makeBatch(3, `o${i}`));
  const leo = log.logEndOffset, segs = log.segments.map((s) => s.baseOffset), max = log.activeSegment.maxTimestampSoFar;
  const rp = log.recoveryPoint;
  await log.close();
  assert.is(rp <= leo, true);
  const again = await open(d, { segmentBytes: 3000, indexIntervalBytes: 200 }, { hadCleanShutdown: true, recoveryPoint: leo });
  assert.is(again.recoveredSegments, 0);
  assert.is(again.recoveryEvents.length, 0);
  assert.is(again.logEndOffset, leo);
  assert.equal(again.segments.map((s) => s.baseOffset), segs);
  assert.is(again.activeSegment.maxTimestampSoFar, max);
  assert.is((await readAll(again)).length, leo);
  assert.is((await again.append(makeBatch(1, 'n'))).baseOffset, leo);
  await again.close();
  const unclean = await open(d, { segmentBytes: 3000, indexIntervalBytes: 200 }, { hadCleanShutdown: false, recoveryPoint: 0 });
  assert.is(unclean.recoveredSegments, segs.length);
  assert.is(unclean.recoveryEvents.length, 0, 'nothing dropped');
  assert.is(unclean.logEndOffset, leo + 1);
  await unclean.close();
});

test('index lookups and offsetForTimestamp agree with a brute-force scan', async () => {
  const d = dir();
  const log = await open(d, { segmentBytes: 6000, indexIntervalBytes: 150 });
  const base = 1_800_000_000_000;
  for (let i = 0; i < 60; i++) await log.append(makeBatch(1 + (i % 3), `x${i}`, base + i * 1000 + (i % 7 === 0 ? -500 : 0)));
  const all = bruteForce(d);
  for (const seg of log.segments) {
    for (let o = seg.baseOffset; o < seg.nextOffset; o++) {
      const e = seg.offsetIndex.lookup(o);
      let want = { offset: seg.baseOffset, position: 0 };
      for (let k = 0; k < seg.offsetIndex.entries; k++) if (seg.offsetIndex.entry(k).offset <= o) want = seg.offsetIndex.entry(k);
      assert.equal(e, want);
    }
    assert.ok(seg.offsetIndex.entries > 0, 'index has entries');
  }
  for (const t of [base - 1, base, base + 999, base + 1500, base + 30_000, base + 59_000, base + 59_002, base + 70_000]) {
    const want = all.find((r) => r.timestamp >= t);
    const got = await log.offsetForTimestamp(t);
    if (!want) assert.is(got, null);
    else { assert.is(got!.offset, want.offset, `ts ${t}`); assert.is(got!.timestamp, want.timestamp); }
  }
  const maxTs = Math.max(...all.map((r) => r.timestamp));
  const m = await log.offsetForTimestamp(-3);
  assert.is(m!.timestamp, maxTs);
  assert.is(m!.offset, all.find((r) => r.timestamp === maxTs)!.offset);
  assert.is((await log.offsetForTimestamp(-2))!.offset, 0);
  assert.is((await log.offsetForTimestamp(-1))!.offset, log.logEndOffset);
  await log.close();
});

test('corrupt and oversized client batches are refused with typed errors; nothing is appended', async () => {
  const d = dir();
  const log = await open(d, { maxMessageBytes: 2000 });
  const bad = makeBatch(3, 'bad');
  bad[bad.length - 1] ^= 0xff;
  try { await log.append(bad); assert.unreachable(); } catch (e) { assert.is((e as { code: string }).code, 'CORRUPT_MESSAGE'); }
  try { await log.append(makeBatch(1, 'big', 0, 5000)); assert.unreachable(); } catch (e) { assert.is((e as { code: string }).code, 'MESSAGE_TOO_LARGE'); }
  assert.is(log.logEndOffset, 0);
  assert.is((await log.append(makeBatch(1, 'ok'))).baseOffset, 0);
  await log.close();
});

test('leader epochs: client appends stamp and record them; truncation drops later epochs', async () => {
  const d = dir();
  const log = await open(d);
  await log.append(makeBatch(2, 'a'), { leaderEpoch: 0 });
  await log.append(makeBatch(2, 'b'), { leaderEpoch: 3 });
  await log.append(makeBatch(2, 'c'), { leaderEpoch: 3 });
  assert.equal(log.epochCache.entries, [{ epoch: 0, startOffset: 0 }, { epoch: 3, startOffset: 2 }]);
  assert.is((await log.offsetForTimestamp(-1))!.leaderEpoch, 3);
  await log.truncateTo(2);
  assert.equal(log.epochCache.entries, [{ epoch: 0, startOffset: 0 }]);
  await log.close();
});

test('replica appends keep the leader offsets and epochs; backwards offsets are refused; high watermark', async () => {
  const d = dir();
  const log = await open(d);
  const mk = (base: number, n: number, epoch: number): Buffer => buildBatch(Array.from({ length: n }, (_, i) => ({ value: `r${base + i}`, timestamp: 1000 + i })), { baseOffset: base, partitionLeaderEpoch: epoch, now: 1000 });
  const r = await log.append(Buffer.concat([mk(10, 3, 4), mk(13, 2, 5)]), { origin: 'replica' });
  assert.equal([r.baseOffset, r.lastOffset, r.count], [10, 14, 2]);
  assert.is(log.logEndOffset, 15);
  assert.equal(log.epochCache.entries, [{ epoch: 4, startOffset: 10 }, { epoch: 5, startOffset: 13 }]);
  try { await log.append(mk(12, 1, 5), { origin: 'replica' }); assert.unreachable(); } catch (e) { assert.is((e as { code: string }).code, 'INVALID_OFFSET'); }
  assert.is(log.logEndOffset, 15);
  log.highWatermark = 13;
  assert.is(log.highWatermark, 13);
  const res = await log.readBuffers(10, { maxOffset: log.highWatermark });
  assert.equal(recordsOf(res.buffer).map((x) => x.offset), [10, 11, 12]);
  assert.is(res.highWatermark, 13);
  assert.is(res.logEndOffset, 15);
  log.highWatermark = 99;
  assert.is(log.highWatermark, 15, 'clamped to the log end');
  await log.close();
});

test.after(() => { for (const d of dirs) removeDir(d); });
test.run();
