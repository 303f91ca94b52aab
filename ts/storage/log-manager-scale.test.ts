// 10,000 partitions through one LogManager with bounded read fds (FdCache) and write fds
// (WriteFdLru), counted through /proc/self/fd. The main thread is idle almost all the time: the
// cost is ~100k file creations/opens/fsyncs on the libuv pool (about 30 s of CPU on 2 cores,
// much longer in wall time when the machine is shared).
//
// The directory is on tmpfs (/dev/shm) when it has room: what is tested is fds, file counts and
// the log contents, which any file system gives the same; on a shared disk the journal work
// (fdatasync of 20,000 rolled and closed segments, creating then unlinking ~70,000 files) made
// the run 2-3x longer (37 s vs 15 s on the 2-core machine, 150 s in the full parallel test run).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, readdirSync, statfsSync } from 'node:fs';
import { join } from 'node:path';
import { logConfigOf } from './log-config.js';
import { LogManager } from './log-manager.js';
import { makeBatch, recordsOf, removeDir, tempDir } from './test-helpers.js';

/** A temp dir on /dev/shm if it has >= 1 GiB free (the test writes ~200 MB there), else tempDir(). */
function scaleDir(): string {
  try {
    const shm = '/dev/shm';
    if (existsSync(shm)) {
      const fs = statfsSync(shm);
      if (fs.bavail * fs.bsize >= 2 ** 30) return mkdtempSync(join(shm, 'samsa-'));
    }
  } catch { /* not writable or no statfs: use the default temp dir */ }
  return tempDir();
}

const openFds = (): number => readdirSync('/proc/self/fd').length;

test('10,000 partitions with 2 segments each under a bounded fd cache', async () => {
  const dir = scaleDir();
  try {
    const fdsBefore = openFds();
    const config = logConfigOf({ segmentBytes: 200, indexIntervalBytes: 100 });
    const m = await LogManager.open({ logDirs: [dir], maxOpenReadFiles: 1000, maxWritableSegments: 500, defaultConfig: config });
    const N = 10_000;
    let maxFds = 0;
    for (let p = 0; p < N; p += 100) {
      await Promise.all(Array.from({ length: 100 }, async (_, k) => {
        const log = await m.getOrCreateLog('big', p + k, config);
        for (let i = 0; i < 2; i++) await log.append(makeBatch(2, `p${p + k}-${i}`, 1_700_000_000_000, 20));
      }));
      if (p % 1000 === 0) maxFds = Math.max(maxFds, openFds() - fdsBefore);
    }
    assert.is(m.allLogs().length, N);
    const segs = m.allLogs().reduce((n, l) => n + l.segments.length, 0);
    assert.ok(segs >= 2 * N, `${segs} segments`);
    for (let p = 0; p < N; p += 37) {
      const log = m.getLog('big', p)!;
      const { buffer } = await log.readBuffers(2, { maxBytes: 1000 });
      assert.equal(recordsOf(buffer).map((r) => r.key), [`p${p}-1-0`, `p${p}-1-1`]);
      maxFds = Math.max(maxFds, openFds() - fdsBefore);
    }
    assert.ok(m.fdCache.openCount <= 1000, `read fds ${m.fdCache.openCount}`);
    assert.ok(maxFds <= 1000 + 3 * 500 + 50, `open fds peaked at ${maxFds}`);
    await m.close();
    assert.ok(openFds() - fdsBefore < 20, 'fds released on close');
    const m2 = await LogManager.open({ logDirs: [dir], maxOpenReadFiles: 1000, maxWritableSegments: 500, defaultConfig: config, loadConcurrency: 32 });
    assert.is(m2.allLogs().length, N);
    assert.is(m2.getLog('big', 9999)!.logEndOffset, 4);
    assert.ok(openFds() - fdsBefore < 1100, 'reopen keeps fds bounded');
    await m2.close();
  } finally { removeDir(dir); }
});

test.run();
