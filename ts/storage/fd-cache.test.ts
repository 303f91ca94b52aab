import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readlinkSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FdCache } from './fd-cache.js';
import { removeDir, tempDir } from './test-helpers.js';

/** The fds of this process open on files under `dir` (other fds come and go with the runtime). */
const openFdsUnder = (dir: string): string[] => readdirSync('/proc/self/fd').flatMap((fd) => {
  try { const target = readlinkSync(`/proc/self/fd/${fd}`); return target.startsWith(dir) ? [target] : []; } catch { return []; }
});

test('LRU bound, shared opens, leases survive eviction and deletion', async () => {
  const dir = tempDir();
  try {
    const paths = Array.from({ length: 20 }, (_, i) => { const p = join(dir, `f${i}`); writeFileSync(p, `file ${i}`); return p; });
    assert.equal(openFdsUnder(dir), []);
    const cache = new FdCache(5);
    const [a, b] = await Promise.all([cache.acquire(paths[0]), cache.acquire(paths[0])]);
    assert.is(a.fd, b.fd);
    assert.is(cache.openCount, 1);
    for (const p of paths.slice(1)) (await cache.acquire(p)).release();
    assert.is(cache.size, 5);
    assert.is(cache.openCount, 6, 'evicted but leased fd stays open');
    rmSync(paths[0]);
    cache.invalidate(paths[0]);
    const buf = Buffer.alloc(6);
    readSync(a.fd, buf, 0, 6, 0);
    assert.is(buf.toString(), 'file 0');
    a.release(); a.release();
    assert.is(cache.openCount, 6);
    b.release();
    assert.is(cache.openCount, 5);
    cache.clear();
    assert.is(cache.openCount, 0);
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(openFdsUnder(dir), [], 'every fd the cache opened is closed');
    try { await cache.acquire(join(dir, 'missing')); assert.unreachable(); } catch (e) { assert.is((e as { code: string }).code, 'ENOENT'); }
    assert.is(cache.size, 0);
  } finally { removeDir(dir); }
});

test.run();
