// Runs the `samsa` command as a child process and checks stdout, stderr and the exit code.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));
const tmp = fs.mkdtempSync(os.tmpdir() + '/samsa-');

function samsa(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'ts/cli/main.ts', ...args], {
    cwd: root, encoding: 'utf8', env: { ...process.env, SAMSA_LOG_FORMAT: '', NO_COLOR: '1' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('--help lists the commands; --version prints the package version', () => {
  const h = samsa('--help');
  assert.is(h.code, 0);
  for (const cmd of ['start', 'dump-log', 'check']) assert.match(h.stdout, new RegExp(`^  ${cmd} `, 'm'));
  const v = samsa('--version');
  assert.is(v.code, 0);
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
  assert.is(v.stdout.trim(), pkg.version);
});

test('typo in an option or command: one line with a suggestion, exit 2', () => {
  const o = samsa('start', '--prot', '9093');
  assert.is(o.code, 2);
  assert.is(o.stderr, "samsa: unknown option '--prot' (did you mean --port?)\n");
  const c = samsa('strat');
  assert.is(c.code, 2);
  assert.is(c.stderr, "samsa: unknown command 'strat' (did you mean start?)\n");
  const l = samsa('start', '--log-level', 'loud');
  assert.is(l.code, 2);
  assert.match(l.stderr, /^samsa: option '--log-level <level>' argument 'loud' is invalid\. Allowed choices are trace, debug, info, warn, error, fatal, silent\.\n$/);
});

test('bad config value: key, value and reason, no stack, exit 2', () => {
  const r = samsa('start', '--override', 'listeners=PLAINTEXT://localhost:abc', '--override', 'num.partitions=0');
  assert.is(r.code, 2);
  assert.is(r.stderr, "samsa: --override: num.partitions: '0': must be at least 1\n" +
    "samsa: --override: listeners: 'PLAINTEXT://localhost:abc': port must be a number 0-65535\n");
  const p = samsa('start', '--port', 'abc');
  assert.is(p.code, 2);
  assert.is(p.stderr, "samsa: --port: 'abc': port must be a number 0-65535\n");
});

test('unknown key in a properties file suggests the closest name', () => {
  const file = path.join(tmp, 'typo.properties');
  fs.writeFileSync(file, '# a comment\nlog.retention.hour=24\n');
  const r = samsa('start', file);
  assert.is(r.code, 2);
  assert.is(r.stderr, `samsa: ${file}:2: log.retention.hour: unknown setting, not known to any Kafka release or to Samsa; did you mean 'log.retention.hours'?\n`);
  const missing = samsa('start', path.join(tmp, 'nope.properties'));
  assert.is(missing.code, 2);
  assert.is(missing.stderr, `samsa: cannot read properties file '${path.join(tmp, 'nope.properties')}': no such file\n`);
});

test('properties file + overrides + shortcuts: the broker starts with the effective settings, one warning', async () => {
  const file = path.join(tmp, 'server.properties');
  const dataDir = path.join(tmp, 'data');
  fs.writeFileSync(file, 'listeners=PLAINTEXT://localhost:9092\nlog.dirs=/from/file\nnum.partitions=2\nnum.recovery.threads.per.data.dir=1\nzookeeper.set.acl=false\n');
  const child = spawn(process.execPath, ['--import', 'tsx', 'ts/cli/main.ts', 'start', file,
    '--override', `log.dirs=${path.join(tmp, 'unused')}`, '--port', '0', '--data-dir', dataDir, '--override', 'num.partitions=5'], {
    cwd: root, env: { ...process.env, SAMSA_LOG_FORMAT: '', NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d) => { stdout += d; if (stdout.includes('\n')) resolve(); });
    child.on('close', () => reject(new Error(`samsa start exited early:\n${stderr}`)));
  });
  child.kill('SIGTERM');
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.is(code, 0, stderr);
  // --port rewrote the listener (port 0: the OS picked one), the file's host is kept.
  assert.match(stdout, /^samsa: broker 0 listening on PLAINTEXT:\/\/localhost:[1-9][0-9]*/);
  const warnings = stderr.split('\n').filter((l) => l.includes('ignoring Kafka settings'));
  assert.equal(warnings.map((l) => l.replace(/^\S+ /, '')),
    ['WARN  ignoring Kafka settings that Samsa does not use: num.recovery.threads.per.data.dir, zookeeper.set.acl']);
  // --data-dir wins over both the file and the --override of log.dirs.
  assert.ok(fs.existsSync(dataDir), 'data dir from --data-dir was used');
  assert.not.ok(fs.existsSync(path.join(tmp, 'unused')), 'log.dirs from --override was replaced by --data-dir');
});

test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));
test.run();
