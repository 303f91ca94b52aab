// `samsa start` as a child process: prints where it listens and the startup time, serves, stops
// gracefully on SIGTERM/SIGINT with exit 0, and the next start rescans nothing.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiKey } from '../../protocol/generated/api-keys.js';
import { RawClient } from '../../server/testing/raw-client.js';

const main = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'main.ts');

function startCli(dataDir: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', main, 'start', '--port', '0', '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { err += d; });
  const listening = new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no listening line within 20 s; stderr: ${err}`)), 20_000);
    child.stdout.on('data', () => {
      const m = /listening on PLAINTEXT:\/\/localhost:(\d+) \(cluster \S+, started in [\d.]+ ms\)/.exec(out);
      if (m) { clearTimeout(timer); resolve(Number(m[1])); }
    });
    child.on('exit', (code) => reject(new Error(`exited ${code} before listening; stderr: ${err}`)));
  });
  // An exit by signal (a crash during shutdown) reads as the signal's name, so the failure says which.
  const exited = new Promise<number | string | null>((resolve) => child.on('exit', (code, sig) => resolve(code ?? sig)));
  return { child, listening, exited, stderr: () => err };
}

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  test(`samsa start serves, then ${signal} stops it gracefully with exit 0`, async () => {
    const dir = fs.mkdtempSync(os.tmpdir() + '/samsa-');
    try {
      const run = startCli(dir);
      const port = await run.listening;
      const c = await RawClient.connect(port);
      const res = await c.request<{ errorCode: number }>(ApiKey.ApiVersions, 0, {});
      assert.is(res.errorCode, 0);
      c.close();
      run.child.kill(signal);
      assert.is(await run.exited, 0, run.stderr());
      assert.ok(fs.existsSync(path.join(dir, '.kafka_cleanshutdown')));
      assert.match(run.stderr(), 'broker stopped');

      const again = startCli(dir);
      await again.listening;
      again.child.kill('SIGTERM');
      assert.is(await again.exited, 0, again.stderr());
      assert.match(again.stderr(), 'recoveryEvents=0');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}

test.run();
