// A broker run through the CLI (`node --import tsx ts/cli/main.ts start ...`) as a child
// process, for tests that kill it (SIGKILL = crash, SIGTERM = graceful stop) and restart it on
// the same data dir and port. The listening port is parsed from the CLI's output. Every child
// is registered so that it is SIGKILLed when the test process exits, whatever happened.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const live = new Set<ChildProcess>();
process.on('exit', () => { for (const c of live) c.kill('SIGKILL'); });

export interface BrokerProcessOptions {
  /** Data dir (log.dirs). A temp dir is created when absent; `remove()` deletes it. */
  dataDir?: string;
  /** 0 = any free port. */
  port?: number;
  /** Extra `--override key=value` settings. */
  config?: Record<string, string | number | boolean>;
  /** More CLI arguments after `start`. */
  args?: string[];
  /** Milliseconds to wait for the listening line. Default 20 s. */
  startTimeout?: number;
  logLevel?: string;
}

export interface Exit { code: number | null; signal: NodeJS.Signals | null }

export class BrokerStartError extends Error {
  readonly code = 'SAMSA_TEST_BROKER_START';
  constructor(message: string, readonly output: string) { super(`${message}; broker output:\n${output.slice(-4000)}`); }
}

// Lines such as `listening on PLAINTEXT://localhost:40123` or `localhost:40123`.
const LISTEN_RE = /(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1?\]|::1?):(\d{1,5})\b/g;

export class BrokerProcess {
  readonly exited: Promise<Exit>;
  #output = '';
  #exit: Exit | null = null;

  private constructor(readonly child: ChildProcess, readonly dataDir: string, public ownsDataDir: boolean,
    readonly options: BrokerProcessOptions, public port = 0) {
    live.add(child);
    child.stdout!.on('data', (d: Buffer) => (this.#output += d.toString('utf8')));
    child.stderr!.on('data', (d: Buffer) => (this.#output += d.toString('utf8')));
    this.exited = new Promise((resolve) => child.on('exit', (code, signal) => {
      live.delete(child);
      this.#exit = { code, signal };
      resolve(this.#exit);
    }));
  }

  get pid(): number { return this.child.pid!; }
  get bootstrap(): string { return `localhost:${this.port}`; }
  get output(): string { return this.#output; }
  get running(): boolean { return this.#exit === null; }

  static async start(options: BrokerProcessOptions = {}): Promise<BrokerProcess> {
    const ownsDataDir = options.dataDir === undefined;
    const dataDir = options.dataDir ?? mkdtempSync(tmpdir() + '/samsa-proc-');
    const args = ['--import', 'tsx', 'ts/cli/main.ts', 'start', '--port', String(options.port ?? 0), '--data-dir', dataDir,
      '--log-level', options.logLevel ?? 'info'];
    const config = { 'group.initial.rebalance.delay.ms': 0, ...options.config };
    for (const [k, v] of Object.entries(config)) args.push('--override', `${k}=${v}`);
    args.push(...(options.args ?? []));
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' } });
    const proc = new BrokerProcess(child, dataDir, ownsDataDir, options);
    try {
      proc.port = await proc.#waitForPort(options.startTimeout ?? 20_000);
    } catch (err) {
      child.kill('SIGKILL');
      await proc.exited;
      throw err;
    }
    return proc;
  }

  async #waitForPort(timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      for (const m of this.#output.matchAll(LISTEN_RE)) if (Number(m[1]) > 0) return Number(m[1]);
      if (this.#exit) throw new BrokerStartError(`broker exited (${this.#exit.code ?? this.#exit.signal}) before listening`, this.#output);
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new BrokerStartError(`broker printed no listening address within ${timeoutMs} ms`, this.#output);
  }

  /** Sends `signal` and waits for the exit (SIGKILL after `timeoutMs` if it ignores it). */
  async kill(signal: NodeJS.Signals = 'SIGKILL', timeoutMs = 15_000): Promise<Exit> {
    if (this.#exit) return this.#exit;
    this.child.kill(signal);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    try { return await this.exited; } finally { clearTimeout(timer); }
  }

  /** Graceful stop (SIGTERM). */
  stop(): Promise<Exit> { return this.kill('SIGTERM'); }

  /** A new broker process on the same data dir and port (this one must have exited). */
  async restart(overrides: Partial<BrokerProcessOptions> = {}): Promise<BrokerProcess> {
    if (this.running) await this.stop();
    const next = await BrokerProcess.start({ ...this.options, ...overrides, dataDir: this.dataDir, port: this.port });
    next.ownsDataDir = this.ownsDataDir;
    this.ownsDataDir = false;
    return next;
  }

  /** Kill (if running) and delete the data dir if this helper created it. */
  async remove(): Promise<void> {
    await this.kill('SIGKILL');
    if (this.ownsDataDir) rmSync(this.dataDir, { recursive: true, force: true });
  }
}

export const startBrokerProcess = (options?: BrokerProcessOptions): Promise<BrokerProcess> => BrokerProcess.start(options);
