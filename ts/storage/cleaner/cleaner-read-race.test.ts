// A read racing the cleaner's segment swap: the read picks segment 0, its fd is still opening
// when the cleaned file is swapped in under the same path. The read must notice that its segment
// object was replaced and read the new segment, not the new file at the old positions.
import { readFileSync, statSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { destroyWorkerPool } from '../../pool/pool.js';
import { buildBatch } from '../../protocol/record/batch-builder.js';
import { FdCache, type FdLease } from '../fd-cache.js';
import { Log } from '../log.js';
import { logConfigOf } from '../log-config.js';
import { removeDir, tempDir } from '../test-helpers.js';
import { LogCleaner } from './log-cleaner.js';

/** An FdCache whose next acquire waits until the test opens the gate. */
class GatedFdCache extends FdCache {
  gate: Promise<void> | null = null;
  waiting: (() => void) | null = null;
  override async acquire(path: string): Promise<FdLease> {
    const gate = this.gate;
    if (gate) {
      this.gate = null;
      this.waiting?.();
      await gate;
    }
    return super.acquire(path);
  }
}

test('a read whose segment is swapped by the cleaner while its fd opens reads the cleaned segment', async () => {
  const dir = tempDir();
  try {
    const fdCache = new GatedFdCache(50);
    const log = await Log.open({
      dir: `${dir}/t-0`, topic: 't', partition: 0, fdCache,
      config: logConfigOf({ cleanupPolicy: 'compact', segmentBytes: 64 * 1024, minCleanableDirtyRatio: 0.01 }),
    });
    for (let round = 0; round < 20; round++) {
      await log.append(buildBatch(Array.from({ length: 50 }, (_, k) => ({ key: `key-${k}`, value: `round ${round} of key ${k}` }))));
    }
    log.roll();
    await log.append(buildBatch([{ key: 'active', value: 'x' }]));
    await log.drain();
    fdCache.clear();
    const segment0 = `${log.dir}/00000000000000000000.log`;
    const sizeBefore = statSync(segment0).size;

    let open!: () => void;
    fdCache.gate = new Promise<void>((r) => (open = r));
    const reached = new Promise<void>((r) => (fdCache.waiting = r));
    const reading = log.readBuffers(0, { maxBytes: 10_000_000 });
    await reached; // the read has chosen segment 0 and waits for its fd
    const stats = await new LogCleaner().cleanLog(log);
    assert.ok(stats !== null && stats.groupsInstalled >= 1, 'the cleaner swapped segment 0');
    const sizeAfter = statSync(segment0).size;
    assert.ok(sizeAfter < sizeBefore, `cleaned segment 0 is smaller (${sizeAfter} < ${sizeBefore})`);
    open();

    const read = await reading;
    assert.is(read.buffer.length, sizeAfter, 'the whole cleaned segment, nothing beyond it');
    assert.ok(read.buffer.equals(readFileSync(segment0)), 'the bytes of the cleaned file');
    await log.close();
  } finally {
    removeDir(dir);
    await destroyWorkerPool();
  }
});

test.run();
