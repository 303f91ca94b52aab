// Child processes for the end-to-end suite: the broker under test (its own process, so the
// load generator and the broker do not share an event loop), the C programs and the perf CLI.
// Every child is killed if the suite throws; outputs are the one-line JSON the tools print.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const NATIVE_BUILD = join(ROOT, 'bench/build');
const MAIN_TS = join(ROOT, 'ts/cli/main.ts');

export class BenchProcessError extends Error {
  readonly code = 'SAMSA_BENCH_PROCESS' as const;
}

export function run(cmd: string, args: string[], timeoutMs = 300_000): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve({ stdout, stderr });
      else reject(new BenchProcessError(`${cmd} ${args.join(' ')} failed (${signal ?? `exit ${code}`}): ${stderr.slice(-1500)}`));
    });
  });
}

/** Last JSON object line of a tool's stdout (the C programs print one per mode). */
export function jsonLines(stdout: string): Array<Record<string, unknown>> {
  return stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
}

export async function native(name: string, args: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await run(join(NATIVE_BUILD, name), args);
  return jsonLines(stdout).at(-1)!;
}

export async function loadgen(args: string[]): Promise<Array<Record<string, unknown>>> {
  const { stdout } = await run(join(NATIVE_BUILD, 'samsa-loadgen'), args);
  return jsonLines(stdout);
}

/** bench/build/samsa-rawload (plain C, pre-encoded requests); returns its one JSON line. */
export async function rawload(args: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await run(join(NATIVE_BUILD, 'samsa-rawload'), args);
  return jsonLines(stdout).at(-1)!;
}

/** `samsa perf ...` through the CLI; returns the JSON report. */
export async function perfCli(args: string[]): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'samsa-perf-'));
  try {
    const file = join(dir, 'report.json');
    await run(process.execPath, ['--import', 'tsx', MAIN_TS, 'perf', ...args, '--json', file]);
    const { readFileSync } = await import('node:fs');
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface BrokerProcess { bootstrap: string; dataDir: string; stop(): Promise<void> }

/** `samsa start` on a free port with a temp data dir (removed on stop). */
export function startBrokerProcess(overrides: string[] = []): Promise<BrokerProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'samsa-bench-broker-'));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', MAIN_TS, 'start', '--port', '0', '--data-dir', dataDir,
    '--log-level', 'warn', ...overrides.flatMap((o) => ['--override', o])], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('close', r));
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /listening on PLAINTEXT:\/\/([^,\s]+):(\d+)/.exec(out);
      if (m) resolve({ bootstrap: `localhost:${m[2]}`, dataDir, stop });
    });
    child.once('close', (code) => reject(new BenchProcessError(`broker exited (${code}) before listening: ${err.slice(-1500)}`)));
  });
}
