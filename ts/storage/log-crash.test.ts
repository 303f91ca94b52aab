// Crash test: a child appends in fsync mode and is SIGKILLed at random moments; every
// acknowledged record must survive byte-exact and in order, nothing invalid may be served, and
// appends must continue after reopening.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { openLog } from './embedded-log.js';
import { crashValue } from './log-crash.child.js';
import { removeDir, tempDir } from './test-helpers.js';

const child = fileURLToPath(new URL('./log-crash.child.ts', import.meta.url));

function seeded(seed: number): () => number {
  return () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed / 0x7fffffff; };
}

function runAndKill(dir: string, afterMs: number): Promise<{ maxAcked: number; startLeo: number }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', child, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let buf = '', maxAcked = -1, startLeo = -1, err = '';
    p.stderr.on('data', (d) => (err += d));
    p.stdout.on('data', (d) => {
      buf += d;
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line.startsWith('ready ')) {
          startLeo = Number(line.slice(6));
          setTimeout(() => p.kill('SIGKILL'), afterMs);
        } else maxAcked = Math.max(maxAcked, Number(line));
      }
    });
    p.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`child exited ${code}: ${err}`));
      else resolve({ maxAcked, startLeo });
    });
  });
}

test('SIGKILL during fsync appends loses no acknowledged record', async () => {
  const dir = tempDir();
  const rnd = seeded(42);
  const started = Date.now();
  let kills = 0, lastAcked = -1;
  try {
    for (let round = 0; round < 15 && Date.now() - started < 40_000; round++) {
      const { maxAcked, startLeo } = await runAndKill(dir, 100 + Math.floor(rnd() * 500));
      kills++;
      assert.ok(startLeo >= lastAcked + 1, `child started at ${startLeo}, after acked ${lastAcked}`);
      const log = await openLog(dir, { segmentBytes: 48 * 1024, indexIntervalBytes: 512 });
      assert.ok(log.logEndOffset > maxAcked, `LEO ${log.logEndOffset} covers acked ${maxAcked}`);
      let next = 0;
      while (next < log.logEndOffset) {
        const recs = await log.read(next, { maxBytes: 256 * 1024 });
        assert.ok(recs.length > 0, `records at ${next}`);
        for (const r of recs) {
          assert.is(r.offset, next, 'consecutive offsets');
          assert.ok(r.value!.equals(crashValue(r.offset)), `value at ${r.offset}`);
          assert.is(r.key!.toString(), `k${r.offset}`);
          next++;
        }
      }
      const res = await log.append({ key: `k${next}`, value: crashValue(next), timestamp: 1_700_000_000_000 + next });
      assert.is(res.baseOffset, next, 'appends continue at the log end');
      lastAcked = Math.max(maxAcked, res.lastOffset);
      await log.close();
    }
    assert.ok(kills >= 5, `${kills} kills`);
    assert.ok(lastAcked > 50, `appended ${lastAcked} records`);
  } finally { removeDir(dir); }
});

test.run();
