// Child process for cleaner-crash.test.ts: opens the compacted log at argv[2] (topic t, partition
// 0) and runs one forced cleaning pass on the worker pool, so that the test can SIGKILL it at a
// chosen point. argv[3] is where to stop:
//   run       no stop: prints `START` before the pass and `DONE <ms> <stats>` after it;
//   cleaned   after the pool wrote every `.cleaned` group, before any swap: prints `CLEANED`, hangs;
//   swap      right after the first `<base>.log.swap` rename (the commit point): prints `SWAP`, hangs;
//   mid-swap  inside the synchronous swap, after the first `.swap` → final rename (old segments
//             already deleted): prints `MIDSWAP` and blocks the thread.
// The stops patch node:fs (syncBuiltinESMExports makes segment-swap.ts's named imports see it);
// this is test scaffolding, never loaded by the broker.
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { runPoolTask } from '../../pool/pool.js';
import { FdCache } from '../fd-cache.js';
import { Log } from '../log.js';
import { logConfigOf } from '../log-config.js';
import type { CleanLogInput, CleanLogResult } from './clean-log.js';
import { LogCleaner } from './log-cleaner.js';

export const CRASH_LOG_CONFIG = { cleanupPolicy: 'compact', segmentBytes: 16 * 1024, minCleanableDirtyRatio: 0.01, deleteRetentionMs: 86_400_000 } as const;

const say = (line: string) => fs.writeSync(1, line + '\n');
const hang = () => new Promise<never>(() => { setInterval(() => {}, 1 << 30); });

async function main(): Promise<void> {
  const [dir, stop] = [process.argv[2]!, process.argv[3] ?? 'run'];
  if (stop === 'swap') {
    const rename = fs.promises.rename;
    fs.promises.rename = async (from, to) => {
      await rename(from, to);
      if (String(to).endsWith('.log.swap')) { say('SWAP'); await hang(); }
    };
  }
  if (stop === 'mid-swap') {
    const renameSync = fs.renameSync;
    fs.renameSync = (from, to) => {
      renameSync(from, to);
      if (String(from).endsWith('.swap')) { say('MIDSWAP'); Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); }
    };
    syncBuiltinESMExports();
  }
  const log = await Log.open({ dir: `${dir}/t-0`, topic: 't', partition: 0, fdCache: new FdCache(50), config: logConfigOf(CRASH_LOG_CONFIG) });
  const runClean = async (input: CleanLogInput): Promise<CleanLogResult> => {
    const result = (await runPoolTask('cleanLog', null, input)).value as CleanLogResult;
    if (stop === 'cleaned') { say(`CLEANED ${result.groups.length}`); await hang(); }
    return result;
  };
  say('START');
  const t0 = performance.now();
  const stats = await new LogCleaner({ runClean }).cleanLog(log, { force: true });
  say(`DONE ${Math.round(performance.now() - t0)} ${JSON.stringify(stats)}`);
  process.exit(0);
}

if (process.argv[1]?.endsWith('cleaner-crash.child.ts')) await main();
