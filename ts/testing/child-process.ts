// Runs an external program for a test with a hard timeout. The child is always killed (SIGKILL)
// in `finally`, so a hung tool cannot outlive the test file.
import { spawn, type SpawnOptions } from 'node:child_process';

export interface RunOptions {
  /** Bytes or text written to stdin, which is then closed. */
  input?: string | Buffer;
  /** Milliseconds before the child is killed and the promise rejects. Default 30 s. */
  timeout?: number;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: string;
}

export class ChildTimeoutError extends Error {
  readonly code = 'SAMSA_TEST_CHILD_TIMEOUT';
  constructor(readonly command: string, readonly timeoutMs: number, readonly stderr: string) {
    super(`${command} did not finish within ${timeoutMs} ms (killed); raise the timeout or check the broker. stderr: ${stderr.slice(-2000)}`);
  }
}

export async function runProcess(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const timeoutMs = options.timeout ?? 30_000;
  const spawnOptions: SpawnOptions = { stdio: ['pipe', 'pipe', 'pipe'], env: options.env ?? process.env, cwd: options.cwd };
  const child = spawn(command, [...args], spawnOptions);
  const stdout: Buffer[] = [];
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => stdout.push(d));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  child.stdin!.on('error', () => { /* the child may exit before reading all input */ });
  let timer: NodeJS.Timeout | undefined;
  try {
    const done = new Promise<RunResult>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code, signal) => resolve({ code, signal, stdout: Buffer.concat(stdout), stderr }));
    });
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new ChildTimeoutError(`${command} ${args.join(' ')}`, timeoutMs, stderr)), timeoutMs);
    });
    if (options.input !== undefined) child.stdin!.end(options.input);
    else child.stdin!.end();
    return await Promise.race([done, timedOut]);
  } finally {
    clearTimeout(timer);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}
