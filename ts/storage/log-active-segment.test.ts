// A log always has its active segment on disk (Kafka creates it with the log, on roll and on
// truncateFullyAndStartAt), so a partition created and never written passes `samsa check`.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { checkDir, formatProblem } from '../cli/commands/check.js';
import { FdCache } from './fd-cache.js';
import { logConfigOf } from './log-config.js';
import { LogManager } from './log-manager.js';
import { Log } from './log.js';
import { makeBatch, removeDir, tempDir } from './test-helpers.js';

const dirs: string[] = [];
function dir(): string { const d = tempDir(); dirs.push(d); return d; }
const segFiles = (d: string): string[] => readdirSync(d).filter((n) => /^\d{20}\.(log|index|timeindex)$/.test(n)).sort();
const stem = (o: number): string => String(o).padStart(20, '0');
const files = (...bases: number[]): string[] => bases.flatMap((b) => [`${stem(b)}.index`, `${stem(b)}.log`, `${stem(b)}.timeindex`]).sort();

test('open creates the empty active segment files; roll and truncateFullyAndStartAt create theirs', async () => {
  const d = dir();
  const log = await Log.open({ dir: d, topic: 't', partition: 0, config: logConfigOf({}), fdCache: new FdCache(4), logStartOffset: 7 });
  assert.equal(segFiles(d), files(7));
  for (const f of segFiles(d)) assert.is(statSync(join(d, f)).size, 0, f);
  assert.is(log.activeSegment.hasWriteFds, false, 'no write fd held before the first write');
  await log.append(makeBatch(3, 'a'));
  log.roll();
  assert.equal(segFiles(d), files(7, 10));
  await log.truncateFullyAndStartAt(42);
  assert.equal(segFiles(d), files(42));
  await log.close();
  const re = await Log.open({ dir: d, topic: 't', partition: 0, config: logConfigOf({}), fdCache: new FdCache(4), hadCleanShutdown: true, recoveryPoint: 42, logStartOffset: 42 });
  assert.is(re.logStartOffset, 42);
  assert.is(re.logEndOffset, 42);
  await re.close();
});

test('a partition created and never written passes samsa check', async () => {
  const d = dir();
  const m = await LogManager.open({ logDirs: [d], brokerId: 1, clusterId: 'abc' });
  await m.getOrCreateLog('empty-topic', 0, undefined, '5a3c7e7e-0000-4000-8000-000000000002');
  await m.getOrCreateLog('empty-topic', 1);
  await m.close();
  assert.equal(segFiles(join(d, 'empty-topic-0')), files(0));
  const report = await checkDir(d);
  assert.equal(report.problems.map(formatProblem), []);
  assert.is(report.partitions, 2);
  assert.is(report.segments, 2);
});

test.after(() => { for (const d of dirs) removeDir(d); });
test.run();
