// Crash safety of compaction: a child process (cleaner-crash.child.ts) runs a forced cleaning
// pass over a compacted log of 1,000 keys × 10 updates in ~30 segments and is SIGKILLed
//   - at 50% and 90% of the time an uninterrupted pass takes (measured first on a copy):
//     wherever it is then (worker start-up and the offset map take most of a pass, so these
//     usually land before any file is written; the three stops below hit the file stages),
//   - after the .cleaned files are written and before any swap,
//   - right after a .log.swap rename (the commit point),
//   - in the middle of the synchronous swap (old segments deleted, one file renamed).
// Each time, reopening the log (recovery finishes or rolls back the swap) must lose and duplicate
// nothing: no .cleaned/.swap file left, offsets strictly increasing, every surviving record equal
// to the original record at its offset, every key's latest value at its original offset, the log
// end offset unchanged, and `samsa check` clean. A full clean afterwards leaves exactly the
// latest value per key.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { destroyWorkerPool } from '../../pool/pool.js';
import { buildBatch } from '../../protocol/record/batch-builder.js';
import { FdCache } from '../fd-cache.js';
import { Log } from '../log.js';
import { logConfigOf } from '../log-config.js';
import { bruteForce, removeDir, tempDir } from '../test-helpers.js';
import { CRASH_LOG_CONFIG } from './cleaner-crash.child.js';
import { LogCleaner } from './log-cleaner.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const CHILD = fileURLToPath(new URL('./cleaner-crash.child.ts', import.meta.url));
const KEYS = 1000, ROUNDS = 10, PER_BATCH = 100;
const T0 = Date.now() - 3_600_000;

const openLog = (dir: string) => Log.open({ dir: `${dir}/t-0`, topic: 't', partition: 0, fdCache: new FdCache(50), config: logConfigOf(CRASH_LOG_CONFIG) });

// The pristine log, built once and copied for each crash.
const pristine = tempDir();
const original = new Map<number, { key: string; value: string }>();
const latest = new Map<string, number>();
let leo = 0;
{
  const log = await openLog(pristine);
  for (let r = 0, n = 0; r < ROUNDS; r++) {
    for (let k = 0; k < KEYS; k += PER_BATCH) {
      const recs = Array.from({ length: PER_BATCH }, (_, i) => ({ key: `key-${k + i}`, value: `round ${r} key ${k + i} ${'x'.repeat((k + i) % 40)}`, timestamp: T0 + n++ }));
      const res = await log.append(buildBatch(recs, { compression: r % 2 === 0 ? 'gzip' : 'none' }));
      recs.forEach((rec, i) => { original.set(res.baseOffset + i, rec); latest.set(rec.key, res.baseOffset + i); });
    }
  }
  log.roll();
  leo = log.logEndOffset;
  assert.ok(log.segments.length >= 20, `${log.segments.length} segments`);
  await log.close();
}
test.after(async () => { removeDir(pristine); await destroyWorkerPool(); });

/** Runs the child until it prints `marker` (then waits `delayMs`) and SIGKILLs it. */
async function crashAt(dir: string, stop: string, marker: string, delayMs = 0): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir, stop], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`child never printed ${marker}: ${out}`)), 60_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes(marker)) { clearTimeout(timer); resolve(); }
    });
    child.on('exit', () => { clearTimeout(timer); if (!out.includes(marker)) reject(new Error(`child exited before ${marker}: ${out}`)); });
  });
  if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
  child.kill('SIGKILL');
  await exited;
  return out;
}

function samsaCheck(dir: string): void {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'ts/cli/main.ts', 'check', dir], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  assert.is(r.status, 0, `samsa check ${dir}:\n${r.stdout}\n${r.stderr}`);
}

/** Reopens after the crash and checks that nothing was lost, duplicated or moved. */
async function verifyAfterCrash(dir: string, check = true): Promise<number> {
  const log = await openLog(dir);
  assert.is(log.logEndOffset, leo, 'log end offset unchanged');
  await log.close();
  const left = readdirSync(`${dir}/t-0`).filter((n) => n.endsWith('.cleaned') || n.endsWith('.swap'));
  assert.equal(left, [], 'no .cleaned/.swap file left after recovery');
  const recs = bruteForce(`${dir}/t-0`);
  let prev = -1;
  for (const r of recs) {
    assert.ok(r.offset > prev, `offset ${r.offset} after ${prev}: strictly increasing, no duplicate`);
    prev = r.offset;
    const o = original.get(r.offset);
    assert.ok(o !== undefined && o.key === r.key && o.value === r.value!.toString(), `record at offset ${r.offset} is the original one`);
  }
  const present = new Set(recs.map((r) => r.offset));
  for (const [key, off] of latest) assert.ok(present.has(off), `latest value of ${key} (offset ${off}) kept`);
  if (check) samsaCheck(dir);
  return recs.length;
}

async function fullCleanIsExact(dir: string): Promise<void> {
  const log = await openLog(dir);
  await new LogCleaner().cleanLog(log, { force: true });
  await log.close();
  const recs = bruteForce(`${dir}/t-0`);
  assert.is(recs.length, KEYS);
  assert.equal(new Map(recs.map((r) => [r.key!, r.offset])), latest);
}

/** Milliseconds from START to DONE of an uninterrupted pass in a child, on a copy. */
async function passMs(): Promise<number> {
  const dir = tempDir();
  try {
    cpSync(pristine, dir, { recursive: true });
    const out = await crashAt(dir, 'run', 'DONE');
    const ms = Number(/DONE (\d+)/.exec(out)![1]);
    await verifyAfterCrash(dir, false);
    return ms;
  } finally { removeDir(dir); }
}
let fullPassMs = 0;
test('an uninterrupted pass in the child cleans and verifies (and is timed for the kills below)', async () => {
  fullPassMs = await passMs();
  assert.ok(fullPassMs > 0);
});

const stops: Array<[string, string, string, number]> = [
  ['after .cleaned written, before any swap', 'cleaned', 'CLEANED', 0],
  ['right after the first .log.swap rename (commit point)', 'swap', 'SWAP', 0],
  ['inside the synchronous swap (old files deleted, one renamed)', 'mid-swap', 'MIDSWAP', 0],
  ...[0.5, 0.9].map((f): [string, string, string, number] => [`at ${f * 100}% of a pass`, 'run', 'START', f]),
];
for (const [label, stop, marker, fraction] of stops) {
  test(`SIGKILL ${label}: restart loses and duplicates nothing, offsets unchanged, samsa check clean`, async () => {
    const dir = tempDir();
    try {
      cpSync(pristine, dir, { recursive: true });
      const out = await crashAt(dir, stop, marker, Math.round(fraction * fullPassMs));
      if (stop === 'run') console.log(`  [${label}] killed after ${Math.round(fraction * fullPassMs)} ms ${out.includes('DONE') ? 'after the pass had finished' : 'during the pass'}; files: ${readdirSync(`${dir}/t-0`).filter((n) => /\.(cleaned|swap)$/.test(n)).join(' ') || 'no .cleaned/.swap'}`);
      const before = readdirSync(`${dir}/t-0`);
      if (stop === 'cleaned') assert.ok(before.some((n) => n.endsWith('.log.cleaned')), `.cleaned files present at the kill: ${out}`);
      if (stop === 'swap' || stop === 'mid-swap') assert.ok(before.some((n) => n.endsWith('.log.swap')), `.log.swap present at the kill: ${before.join(' ')}`);
      const n = await verifyAfterCrash(dir);
      if (stop === 'cleaned') assert.is(n, KEYS * ROUNDS, 'rolled back: every record still there');
      if (stop === 'swap' || stop === 'mid-swap') assert.ok(n < KEYS * ROUNDS, 'the committed swap was completed');
      await fullCleanIsExact(dir);
    } finally { removeDir(dir); }
  });
}

test.run();
