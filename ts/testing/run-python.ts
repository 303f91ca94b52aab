// Runs a script from ts/interop/python/ with Debian's /usr/bin/python3 (the one that has the
// confluent_kafka and kafka packages; a `python3` earlier on PATH may not). Scripts print one JSON
// object per line on stdout; diagnostics go to stderr. A non-zero exit rejects with stderr.
import { fileURLToPath } from 'node:url';
import { runProcess, type RunOptions } from './child-process.js';

export const PYTHON = process.env.SAMSA_PYTHON ?? '/usr/bin/python3';
export const PYTHON_DIR = fileURLToPath(new URL('../interop/python/', import.meta.url));

export interface PythonResult<T> {
  lines: T[];
  stderr: string;
}

export class PythonScriptError extends Error {
  readonly code = 'SAMSA_TEST_PYTHON_FAILED';
  constructor(readonly script: string, readonly exitCode: number | null, readonly stderr: string, readonly stdout: string) {
    super(`python script ${script} exited with ${exitCode}; stderr:\n${stderr.slice(-4000)}\nstdout:\n${stdout.slice(-2000)}`);
  }
}

export async function runPython<T = Record<string, unknown>>(
  script: string, args: readonly string[] = [], options: RunOptions = {},
): Promise<PythonResult<T>> {
  const env: NodeJS.ProcessEnv = { ...process.env, PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1', ...options.env };
  // Keep a virtualenv or a user site from shadowing Debian's packages.
  delete env.PYTHONPATH;
  delete env.PYTHONHOME;
  const result = await runProcess(PYTHON, ['-s', PYTHON_DIR + script, ...args], { timeout: 60_000, ...options, env });
  const stdout = result.stdout.toString('utf8');
  if (result.code !== 0) throw new PythonScriptError(script, result.code, result.stderr, stdout);
  const lines = stdout.split('\n').filter((l) => l.trim() !== '').map((l, i) => {
    try { return JSON.parse(l) as T; } catch { throw new PythonScriptError(script, result.code, result.stderr, `line ${i} is not JSON: ${l}`); }
  });
  return { lines, stderr: result.stderr };
}
