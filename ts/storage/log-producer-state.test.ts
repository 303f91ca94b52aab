// Log + ProducerStateManager: idempotent dedup through Log.append, errors 45/47, pipelined
// appends, and state kept across close/reopen, an unclean stop (snapshot + replay) and truncation.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync } from 'node:fs';
import { buildBatch } from '../protocol/record/batch-builder.js';
import { FdCache } from './fd-cache.js';
import { logConfigOf, type LogConfig } from './log-config.js';
import { Log } from './log.js';
import { recordsOf, removeDir, tempDir } from './test-helpers.js';

const dirs: string[] = [];
function dir(): string { const d = tempDir(); dirs.push(d); return d; }
const open = (d: string, config: Partial<LogConfig> = {}, hadCleanShutdown = false): Promise<Log> =>
  Log.open({ dir: d, topic: 't', partition: 0, config: logConfigOf(config), fdCache: new FdCache(16), hadCleanShutdown });

const NOW = Date.now(); // recent: producer.id.expiration.ms drops idle producers at load

/** A fresh buffer each call (Log.append assigns offsets in place). */
function idem(pid: number, epoch: number, seq: number, count: number, tag = `s${seq}`): Buffer {
  const recs = Array.from({ length: count }, (_, i) => ({ key: `${tag}-${i}`, value: `v${seq + i}`, timestamp: NOW + i }));
  return buildBatch(recs, { producerId: pid, producerEpoch: epoch, baseSequence: seq, now: NOW });
}

async function values(log: Log): Promise<string[]> {
  const out: string[] = [];
  let o = log.logStartOffset;
  while (o < log.highWatermark) {
    const { buffer } = await log.readBuffers(o);
    const rs = recordsOf(buffer).filter((r) => r.offset >= o);
    out.push(...rs.map((r) => `${r.offset}:${r.value!.toString()}`));
    o = rs[rs.length - 1]!.offset + 1;
  }
  return out;
}

const rejectsWith = async (p: Promise<unknown>, code: string, errorCode: number): Promise<void> => {
  try { await p; } catch (e) {
    assert.is((e as { code: string }).code, code);
    assert.is((e as { errorCode: number }).errorCode, errorCode);
    return;
  }
  assert.unreachable(`expected ${code}`);
};

test('a retried batch returns the original offsets and appends nothing; gaps and old epochs are refused', async () => {
  const log = await open(dir());
  await log.append(buildBatch([{ key: 'plain', value: 'x' }]));
  const a = await log.append(idem(7, 0, 0, 3));
  const b = await log.append(idem(7, 0, 3, 2));
  assert.equal([a.baseOffset, a.lastOffset, b.baseOffset, b.lastOffset], [1, 3, 4, 5]);
  const retryA = await log.append(idem(7, 0, 0, 3));
  const retryB = await log.append(idem(7, 0, 3, 2));
  assert.equal([retryA.baseOffset, retryA.lastOffset, retryA.count], [1, 3, 0]);
  assert.equal([retryB.baseOffset, retryB.lastOffset], [4, 5]);
  assert.is(log.logEndOffset, 6);
  await rejectsWith(log.append(idem(7, 0, 9, 1)), 'OUT_OF_ORDER_SEQUENCE_NUMBER', 45);
  await log.append(idem(7, 1, 0, 1)); // new epoch starts at 0
  await rejectsWith(log.append(idem(7, 0, 5, 1)), 'INVALID_PRODUCER_EPOCH', 47);
  await rejectsWith(log.append(idem(7, 2, 4, 1)), 'OUT_OF_ORDER_SEQUENCE_NUMBER', 45);
  assert.is(log.logEndOffset, 7);
  assert.equal(await values(log), ['0:x', '1:v0', '2:v1', '3:v2', '4:v3', '5:v4', '6:v0']);
  await log.close();
});

test('pipelined appends are checked against state that includes the earlier, unwritten one', async () => {
  const log = await open(dir(), {}, true);
  const inFlight = [0, 2, 4, 6, 8].map((seq) => log.append(idem(9, 0, seq, 2)));
  const retryFirst = log.append(idem(9, 0, 0, 2)); // duplicate of a batch possibly still queued
  const res = await Promise.all(inFlight);
  assert.equal(res.map((r) => r.baseOffset), [0, 2, 4, 6, 8]);
  const dup = await retryFirst;
  assert.equal([dup.baseOffset, dup.lastOffset], [0, 1]);
  assert.ok(log.writtenEndOffset >= 2, 'a duplicate resolves only once its original is written');
  assert.is(log.logEndOffset, 10);
  // Six batches later the first one left the 5-batch window: its retry is out of order.
  await log.append(idem(9, 0, 10, 1));
  await rejectsWith(log.append(idem(9, 0, 0, 2)), 'OUT_OF_ORDER_SEQUENCE_NUMBER', 45);
  await log.close();
});

test('producer state survives a clean restart and an unclean one (snapshot at roll + replay)', async () => {
  const d = dir();
  let log = await open(d, { segmentBytes: 300 });
  for (let seq = 0; seq < 20; seq += 2) await log.append(idem(3, 0, seq, 2, 'k'));
  assert.ok(log.segments.length > 2, 'rolled');
  await log.close();
  assert.ok(readdirSync(d).includes('00000000000000000020.snapshot'), 'snapshot at the log end on close');
  log = await open(d, { segmentBytes: 300 }, true);
  const again = await log.append(idem(3, 0, 18, 2, 'k'));
  assert.equal([again.baseOffset, again.count], [18, 0]);
  await log.append(idem(3, 0, 20, 2, 'k'));
  await log.append(idem(3, 0, 22, 2, 'k'));
  await log.drain();
  // Crash: a second Log opens the directory without the first having closed (no snapshot at 24).
  const crashed = await open(d, { segmentBytes: 300 }, false);
  assert.ok(!readdirSync(d).includes('00000000000000000024.snapshot'));
  const retry = await crashed.append(idem(3, 0, 22, 2, 'k'));
  assert.equal([retry.baseOffset, retry.lastOffset, retry.count], [22, 23, 0]);
  const next = await crashed.append(idem(3, 0, 24, 1, 'k'));
  assert.is(next.baseOffset, 24);
  assert.is(crashed.logEndOffset, 25);
  await crashed.close();
  await log.close();
});

test('truncation reloads producer state: the truncated batch can be appended again', async () => {
  const log = await open(dir(), { segmentBytes: 250 });
  for (let seq = 0; seq < 12; seq += 3) await log.append(idem(5, 0, seq, 3));
  assert.is(log.logEndOffset, 12);
  await log.truncateTo(6);
  const r = await log.append(idem(5, 0, 6, 3));
  assert.equal([r.baseOffset, r.count], [6, 1], 'not a duplicate after truncation');
  await rejectsWith(log.append(idem(5, 0, 12, 1)), 'OUT_OF_ORDER_SEQUENCE_NUMBER', 45);
  await log.truncateFullyAndStartAt(100);
  const fresh = await log.append(idem(5, 0, 40, 1)); // state forgotten: any sequence accepted
  assert.is(fresh.baseOffset, 100);
  await log.close();
});

test('ListOffsets latest (-1) is the high watermark', async () => {
  const log = await open(dir());
  for (let i = 0; i < 3; i++) await log.append(idem(1, 0, i * 2, 2));
  log.highWatermark = 4;
  assert.is((await log.offsetForTimestamp(-1))!.offset, 4);
  assert.is(log.logEndOffset, 6);
  await log.close();
});

test.after(() => { for (const d of dirs) removeDir(d); });
test('a roll snapshot is on disk before any byte of the new segment (crash ordering)', async () => {
  const d = dir();
  const log = await open(d);
  await log.append(idem(7, 0, 0, 5));
  // The roll snapshot's write is reported done only 150 ms later: the new segment's first write
  // must wait for it (else a crash could leave new-segment data without its roll snapshot, and
  // recovery, which replays only the active segment on top of it, would forget producer 7).
  const events: string[] = [];
  const psm = log.producerState as unknown as { takeSnapshot: () => Promise<unknown> };
  const real = psm.takeSnapshot.bind(psm);
  psm.takeSnapshot = () => real().then(() => new Promise((r) => setTimeout(r, 150))).then(() => { events.push('snapshot'); });
  log.roll();
  const seg = log.activeSegment as unknown as { writeJob: (...a: unknown[]) => Promise<unknown> };
  const write = seg.writeJob.bind(seg);
  seg.writeJob = (...a: unknown[]) => { events.push('write'); return write(...a); };
  await log.append(idem(8, 0, 0, 3));
  assert.equal(events, ['snapshot', 'write']);
  assert.ok(readdirSync(d).includes('00000000000000000005.snapshot'));
  await log.close();
});

test.run();
