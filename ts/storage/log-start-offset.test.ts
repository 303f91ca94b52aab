// logStartOffset <= logEndOffset across unclean restarts and truncation (bugs.md [J]).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { FdCache } from './fd-cache.js';
import { logConfigOf, type LogConfig } from './log-config.js';
import { Log, type LogOptions } from './log.js';
import { makeBatch, recordsOf, removeDir, tempDir } from './test-helpers.js';

const dirs: string[] = [];
function dir(): string { const d = tempDir(); dirs.push(d); return d; }

async function open(d: string, config: Partial<LogConfig> = {}, extra: Partial<LogOptions> = {}): Promise<Log> {
  return Log.open({ dir: d, topic: 't', partition: 0, config: logConfigOf(config), fdCache: new FdCache(16), ...extra });
}

const logFiles = (d: string): string[] => readdirSync(d).filter((n) => n.endsWith('.log')).sort();

test('unclean reopen with the recovered end below the log start checkpoint starts empty at the checkpoint', async () => {
  const d = dir();
  const log = await open(d, { segmentBytes: 1 << 20 });
  await log.append(makeBatch(10, 'a'));
  await log.append(makeBatch(10, 'b'));
  await log.append(makeBatch(10, 'c')); // [20..29], the tail the crash tears
  assert.is(await log.deleteRecordsBefore(30), 30);
  await log.close();
  const seg = join(d, logFiles(d)[0]);
  truncateSync(seg, statSync(seg).size - 7);

  const re = await open(d, { segmentBytes: 1 << 20 }, { hadCleanShutdown: false, recoveryPoint: 0, logStartOffset: 30 });
  assert.is(re.logStartOffset, 30);
  assert.is(re.logEndOffset, 30);
  assert.equal(logFiles(d).filter((n) => n < '00000000000000000030'), [], 'segments below the start are gone');
  assert.ok(re.recoveryEvents.some((e) => /below the checkpointed log start offset 30/.test(e.reason)), 'reported');
  const res = await re.append(makeBatch(2, 'd'));
  assert.is(res.baseOffset, 30, 'offsets below the checkpoint are not reused');
  const { buffer } = await re.readBuffers(30);
  assert.equal(recordsOf(buffer).map((r) => [r.offset, r.key]), [[30, 'd-0'], [31, 'd-1']]);
  await re.close();
});

test('unclean reopen with the recovered end at or above the checkpoint keeps the recovered data', async () => {
  const d = dir();
  const log = await open(d, { segmentBytes: 1 << 20 });
  await log.append(makeBatch(10, 'a'));
  await log.append(makeBatch(10, 'b'));
  await log.deleteRecordsBefore(5);
  await log.close();
  const seg = join(d, logFiles(d)[0]);
  truncateSync(seg, statSync(seg).size - 7); // tears [10..19]
  const re = await open(d, { segmentBytes: 1 << 20 }, { hadCleanShutdown: false, recoveryPoint: 0, logStartOffset: 5 });
  assert.is(re.logStartOffset, 5);
  assert.is(re.logEndOffset, 10);
  const { buffer } = await re.readBuffers(5);
  assert.equal(recordsOf(buffer).filter((r) => r.offset >= 5).map((r) => r.offset), [5, 6, 7, 8, 9]);
  await re.close();
});

test('truncateTo inside a batch that straddles logStartOffset starts empty at the target', async () => {
  const d = dir();
  const log = await open(d, { segmentBytes: 1 << 20 });
  for (const tag of ['a', 'b', 'c', 'd']) await log.append(makeBatch(5, tag)); // [0..4] [5..9] [10..14] [15..19]
  await log.deleteRecordsBefore(12);
  await log.truncateTo(17); // cut at 15: the start is untouched
  assert.is(log.logStartOffset, 12);
  assert.is(log.logEndOffset, 15);
  let { buffer } = await log.readBuffers(12);
  assert.equal(recordsOf(buffer).filter((r) => r.offset >= 12).map((r) => r.offset), [12, 13, 14]);
  await log.truncateTo(13); // the batch holding 13 starts at 10 < 12
  assert.is(log.logStartOffset, 13);
  assert.is(log.logEndOffset, 13);
  assert.equal((await log.readBuffers(13)).records.length, 0);
  const res = await log.append(makeBatch(2, 'e'));
  assert.is(res.baseOffset, 13);
  ({ buffer } = await log.readBuffers(13));
  assert.equal(recordsOf(buffer).map((r) => [r.offset, r.key]), [[13, 'e-0'], [14, 'e-1']]);
  await log.close();
  const re = await open(d, { segmentBytes: 1 << 20 }, { hadCleanShutdown: true, recoveryPoint: 15, logStartOffset: 13 });
  assert.is(re.logStartOffset, 13);
  assert.is(re.logEndOffset, 15);
  await re.close();
});

test.after(() => { for (const d of dirs) removeDir(d); });
test.run();
