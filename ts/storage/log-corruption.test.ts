// Corruption test: seeded random truncations and byte flips in .log/.index/.timeindex and the
// checkpoint files. Reopening must not throw, must keep every batch before the first damaged
// byte, must serve only CRC-valid batches whose records match what was written, must report what
// it dropped, and must accept new appends.
//
// Log/index damage is applied as after a crash (no clean-shutdown marker, no recovery point), so
// recovery rescans every segment. Index truncations are also tried with the marker present (the
// clean-load sanity check must catch a torn entry). A cleanly closed log trusts its flushed
// segments beyond a structural check, as Kafka does.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { copyFileSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readBatches } from '../protocol/record/batch-reader.js';
import { openLog } from './embedded-log.js';
import { removeDir, tempDir } from './test-helpers.js';

const OPTS = { segmentBytes: 6 * 1024, indexIntervalBytes: 300 };
interface BatchLoc { file: string; position: number; size: number; base: number; last: number }

function seeded(seed: number): () => number {
  return () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed / 0x7fffffff; };
}

const pristine = tempDir();
const oracle = new Map<number, { key: string; value: string }>();
const batches: BatchLoc[] = [];

test.before(async () => {
  const log = await openLog(pristine, OPTS);
  for (let i = 0; i < 120; i++) {
    const n = 1 + (i % 6);
    await log.append(Array.from({ length: n }, (_, j) => ({ key: `k${i}-${j}`, value: `value-${i}-${j}-${'x'.repeat((i * 13) % 90)}` })));
  }
  await log.close();
  for (const name of readdirSync(pristine).filter((n) => n.endsWith('.log')).sort()) {
    for (const b of readBatches(readFileSync(join(pristine, name)))) {
      batches.push({ file: name, position: b.position, size: b.size, base: b.baseOffset, last: b.lastOffset });
      for (const r of b.records()) oracle.set(r.offset, { key: r.key!.toString(), value: r.value!.toString() });
    }
  }
});

test('seeded corruption cases recover to the last valid batch', async () => {
  const rnd = seeded(7);
  const files = readdirSync(pristine);
  const logs = files.filter((f) => f.endsWith('.log'));
  const indexes = files.filter((f) => f.endsWith('.index') || f.endsWith('.timeindex'));
  const checkpoints = ['recovery-point-offset-checkpoint', 'log-start-offset-checkpoint', 'leader-epoch-checkpoint'].filter((f) => files.includes(f));
  assert.ok(logs.length >= 3, `${logs.length} segments`);
  let dropped = 0;
  for (let c = 0; c < 100; c++) {
    const dir = tempDir();
    try {
      for (const f of files) copyFileSync(join(pristine, f), join(dir, f));
      const kind = c % 10 < 6 ? 'log' : c % 10 < 8 ? 'index' : c % 10 < 9 ? 'index-clean' : 'checkpoint';
      const pool = kind === 'log' ? logs : kind === 'checkpoint' ? checkpoints : indexes;
      const file = pool[Math.floor(rnd() * pool.length)];
      const path = join(dir, file);
      const size = statSync(path).size;
      const truncate = kind === 'index-clean' || rnd() < 0.4;
      let firstBad = Number.MAX_SAFE_INTEGER; // file position of the first damaged byte
      let offsetFieldHit = false;
      if (truncate) {
        firstBad = Math.floor(rnd() * size);
        truncateSync(path, firstBad);
      } else if (size > 0) {
        const buf = readFileSync(path);
        const flips = 1 + Math.floor(rnd() * 3);
        for (let k = 0; k < flips; k++) {
          const at = Math.floor(rnd() * size);
          buf[at] ^= 1 + Math.floor(rnd() * 255);
          firstBad = Math.min(firstBad, at);
          if (kind === 'log') {
            const b = batches.find((x) => x.file === file && at >= x.position && at < x.position + x.size)!;
            // baseOffset and partitionLeaderEpoch lie outside the CRC: a flip there is undetectable.
            if (at - b.position < 8 || (at - b.position >= 12 && at - b.position < 16)) offsetFieldHit = true;
          }
        }
        writeFileSync(path, buf);
      }
      if (kind !== 'index-clean' && kind !== 'checkpoint') {
        rmSync(join(dir, '.kafka_cleanshutdown'), { force: true });
        rmSync(join(dir, 'recovery-point-offset-checkpoint'), { force: true });
      }
      // Every record in a batch that ends before the damage (in file order) must survive.
      const mustKeep = new Set<number>();
      for (const b of batches) {
        const before = kind !== 'log' || b.file < file || (b.file === file && b.position + b.size <= firstBad);
        if (before) for (let o = b.base; o <= b.last; o++) mustKeep.add(o);
      }
      let log;
      try { log = await openLog(dir, OPTS); } catch (e) { assert.unreachable(`case ${c} (${kind} ${file}): open threw ${(e as Error).stack}`); return; }
      const served: number[] = [];
      let next = log.logStartOffset;
      while (next < log.logEndOffset) {
        const raw = await log.readBatches(next, { maxBytes: 64 * 1024 });
        if (raw.length === 0) break;
        for (const b of raw) {
          const v = [...readBatches(b)][0];
          assert.ok(v.crcValid(), `case ${c}: served a batch with a bad CRC`);
          for (const r of v.records()) {
            if (r.offset < next) continue;
            served.push(r.offset);
            if (!offsetFieldHit) {
              assert.equal({ key: r.key!.toString(), value: r.value!.toString() }, oracle.get(r.offset), `case ${c} (${kind} ${file}): record ${r.offset}`);
            }
            next = r.offset + 1;
          }
        }
      }
      for (let i = 1; i < served.length; i++) assert.ok(served[i] > served[i - 1], 'offsets increase');
      const servedSet = new Set(served);
      for (const o of mustKeep) assert.ok(servedSet.has(o), `case ${c} (${kind} ${file} @${firstBad}): valid record ${o} was dropped`);
      if (served.length < oracle.size) {
        if (kind === 'log' && !offsetFieldHit) assert.ok(log.recoveryReport.some((e) => e.bytesDropped > 0), `case ${c}: drop reported`);
        dropped++;
      }
      const res = await log.append({ key: 'after', value: 'crash' });
      assert.is(res.baseOffset, log.logEndOffset - 1);
      const back = await log.read(res.baseOffset);
      assert.is(back[0].value!.toString(), 'crash');
      await log.close();
    } finally { removeDir(dir); }
  }
  assert.ok(dropped > 10, `${dropped} cases dropped data`);
});

test.after(() => removeDir(pristine));
test.run();
