// WorkerPool: the one piscina pool of the process, shared by codec work, produce validation and
// the log cleaner. Sized to the machine (availableParallelism(), at least 1), created on first
// use, destroyed by destroyWorkerPool() (the broker's stop). Tasks carry at most one buffer, which
// is MOVED (transferred) into the worker and a result buffer moved back: no copies either way,
// except one copy in when the caller's buffer shares its ArrayBuffer (owned-buffer.ts).
// Concurrency: any number of tasks may be queued; piscina runs one per worker thread. Errors
// come back as { code, message } and are rehydrated (task-error.ts).
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { fromWireError } from './task-error.js';
import { ownedBuffer } from './owned-buffer.js';
import type { TaskMessage, TaskResult } from './task-registry.js';

export interface PoolTaskOutput { value: unknown; buffer: Buffer | null }

let pool: Piscina | null = null;
let configuredThreads: number | null = null;

const fromSource = import.meta.url.endsWith('.ts');

function workerFile(): string {
  return new URL(fromSource ? './worker.ts' : './worker.js', import.meta.url).href;
}

/** Loader flags a worker needs to run TypeScript sources (tests, `node --import tsx`). */
function workerExecArgv(): string[] {
  const argv = [...process.execArgv];
  if (fromSource && !argv.some((a) => a.includes('tsx'))) argv.push('--import', import.meta.resolve('tsx'));
  return argv;
}

/** Threads the pool has (or will have). */
export function workerPoolSize(): number {
  return configuredThreads ?? Math.max(1, availableParallelism());
}

/** Sets the thread count before first use (broker config `samsa.pool.threads`; tests). */
export function configureWorkerPool(opts: { threads?: number }): void {
  if (pool !== null) throw Object.assign(new Error('the worker pool is already running; configure it before the first task'), { code: 'POOL_ALREADY_STARTED' });
  if (opts.threads !== undefined) configuredThreads = Math.max(1, Math.floor(opts.threads));
}

function getPool(): Piscina {
  if (pool === null) {
    const threads = workerPoolSize();
    pool = new Piscina({
      filename: workerFile(),
      minThreads: 1,
      maxThreads: threads,
      idleTimeout: 30_000,
      execArgv: workerExecArgv(),
    });
  }
  return pool;
}

/**
 * Runs `task` on the pool. `buffer` is moved to the worker (the caller must not use it after);
 * a buffer that shares its ArrayBuffer is copied first. Throws the task's rehydrated error.
 */
export async function runPoolTask(task: string, buffer: Uint8Array | null, args: unknown = null): Promise<PoolTaskOutput> {
  const owned = buffer === null ? null : ownedBuffer(buffer);
  const ab = owned === null ? null : (owned.buffer as ArrayBuffer);
  const msg: TaskMessage = { task, buffer: ab, args };
  const res = await getPool().run(msg, ab === null ? {} : { transferList: [ab] }) as TaskResult;
  if (!res.ok) throw fromWireError(res.error);
  return { value: res.value, buffer: res.buffer === null ? null : Buffer.from(res.buffer) };
}

/** Tasks queued or running (for the cleaner's back-off and the benches). */
export function workerPoolLoad(): { queued: number; utilization: number } {
  return pool === null ? { queued: 0, utilization: 0 } : { queued: pool.queueSize, utilization: pool.utilization };
}

/** Stops the workers; the next task starts a new pool. */
export async function destroyWorkerPool(): Promise<void> {
  const p = pool;
  pool = null;
  if (p !== null) await p.destroy();
}
