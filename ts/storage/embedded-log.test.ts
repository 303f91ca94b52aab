import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { openLog } from '../index.js';
import { removeDir, tempDir } from './test-helpers.js';

test('openLog: append records and batches, read decoded and raw, reopen', async () => {
  const dir = tempDir();
  try {
    const log = await openLog(dir, { segmentBytes: 4096, indexIntervalBytes: 512 });
    const r1 = await log.append({ key: 'a', value: 'one', headers: [{ key: 'h', value: Buffer.from('x') }, { key: 'h', value: null }], timestamp: 1000 });
    assert.equal(r1, { baseOffset: 0, lastOffset: 0 });
    const r2 = await log.append([{ value: Buffer.from('two'), timestamp: 2000 }, { key: null, value: null, timestamp: 3000 }]);
    assert.equal(r2, { baseOffset: 1, lastOffset: 2 });
    const recs = await log.read(0);
    assert.equal(recs.map((r) => [r.offset, r.timestamp, r.key?.toString() ?? null, r.value?.toString() ?? null]), [[0, 1000, 'a', 'one'], [1, 2000, null, 'two'], [2, 3000, null, null]]);
    assert.equal(recs[0].headers.map((h) => [h.key, h.value?.toString() ?? null]), [['h', 'x'], ['h', null]]);
    assert.equal((await log.read(2)).map((r) => r.offset), [2]);
    const raw = await log.readBatches(1);
    assert.is(raw.length, 1);
    const r3 = await log.append(raw[0]);
    assert.equal(r3, { baseOffset: 3, lastOffset: 4 });
    assert.equal(await log.offsetForTimestamp(2500), { offset: 2, timestamp: 3000, leaderEpoch: -1 });
    for (let i = 0; i < 100; i++) await log.append({ value: `v${i}`.repeat(20), timestamp: 10_000 + i });
    assert.is(log.logEndOffset, 105);
    assert.ok(readdirSync(dir).filter((f) => f.endsWith('.log')).length > 1);
    assert.is(await log.deleteRecordsBefore(50), 50);
    await log.close();
    assert.ok(existsSync(join(dir, '.kafka_cleanshutdown')));
    const again = await openLog(dir, { segmentBytes: 4096, indexIntervalBytes: 512 });
    assert.ok(!existsSync(join(dir, '.kafka_cleanshutdown')));
    assert.is(again.logStartOffset, 50);
    assert.is(again.logEndOffset, 105);
    assert.equal(again.recoveryReport, []);
    assert.is((await again.read(104))[0].value!.toString(), 'v99'.repeat(20));
    try { await again.read(10); assert.unreachable(); } catch (e) { assert.is((e as { code: string }).code, 'OFFSET_OUT_OF_RANGE'); }
    await again.truncateTo(60);
    assert.is(again.logEndOffset, 60);
    await again.close();
    try { await again.append({ value: 'x' }); assert.unreachable(); } catch (e) { assert.is((e as { code: string }).code, 'LOG_CLOSED'); }
  } finally { removeDir(dir); }
});

test('retention runs on its schedule and moves the log start offset', async () => {
  const dir = tempDir();
  try {
    const log = await openLog(dir, { segmentBytes: 1024, retentionBytes: 2048, retentionCheckIntervalMs: 20 });
    for (let i = 0; i < 60; i++) await log.append({ value: 'x'.repeat(100) });
    const start = log.logStartOffset;
    for (let i = 0; i < 50 && log.logStartOffset === start; i++) await new Promise((r) => setTimeout(r, 20));
    assert.ok(log.logStartOffset > 0, 'retention deleted old segments');
    // Retention keeps running during the read. A read either starts exactly at the offset asked
    // for, or (the segment went meanwhile) fails with OFFSET_OUT_OF_RANGE because the log start
    // moved first: it never silently skips to a later segment.
    for (let i = 0; i < 20; i++) {
      const from = log.logStartOffset;
      try {
        const first = (await log.read(from))[0].offset;
        assert.is(first, from, `read(${from}) starts at ${first}`);
      } catch (e) {
        assert.is((e as { code: string }).code, 'OFFSET_OUT_OF_RANGE');
        assert.ok(log.logStartOffset > from, 'only because retention moved the log start');
      }
      await log.append({ value: 'x'.repeat(100) });
    }
    await log.close();
  } finally { removeDir(dir); }
});

test.run();
