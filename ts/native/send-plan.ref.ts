// Reference twin of send-plan.ts, written for clarity, for differential tests (never used in
// production). Same contract and results: pieces go out in order on a NON-BLOCKING socket fd;
// the call writes what the socket takes now (`completed` when that is everything); the rest is
// retried until done, cancelled (ECANCELED), stalled for stallTimeoutMs (ETIMEDOUT) or failed
// (EPIPE, ENODATA when a file is shorter than its region, ...), with `bytesSent` on the error.
// Differences that do not show in the bytes: spans are written one per syscall (no writev),
// regions are read into a buffer and written (no sendfile), and the wait for a full socket is a
// 1 ms timer loop, because Node offers no poll on a bare fd.
import { readSync, writeSync } from 'node:fs';
import { DEFAULT_STALL_TIMEOUT_MS, type SendPiece, type SendPlanHandle } from './send-plan.js';

const CHUNK = 64 * 1024;
/** As native kInlineSendBudget: the most the first (in-call) step sends. */
const INLINE_BUDGET = 4 * 1024 * 1024;

type PlanError = Error & { code: string; bytesSent: number };

function planError(code: string, bytesSent: number, detail: string): PlanError {
  return Object.assign(new Error(`${code}: ${detail}, sendPlan`), { code, bytesSent });
}

class RefPlan {
  piece = 0;
  done = 0; // bytes of pieces[piece] already sent
  sent = 0;
  readonly #fd: number;
  readonly #pieces: readonly SendPiece[];
  readonly #scratch = Buffer.allocUnsafe(CHUNK);

  constructor(fd: number, pieces: readonly SendPiece[]) {
    this.#fd = fd;
    this.#pieces = pieces;
  }

  /** Writes without waiting: null = complete, 'EAGAIN' = socket full or budget spent, else
   *  the error. */
  step(budget = Infinity): PlanError | 'EAGAIN' | null {
    const stopAt = this.sent + budget;
    while (this.piece < this.#pieces.length) {
      if (this.sent >= stopAt) return 'EAGAIN';
      const p = this.#pieces[this.piece]!;
      if (this.done >= p.length) {
        this.piece++;
        this.done = 0;
        continue;
      }
      let chunk: Uint8Array;
      if (p instanceof Uint8Array) {
        chunk = p.subarray(this.done);
      } else {
        const want = Math.min(CHUNK, p.length - this.done, stopAt - this.sent);
        const got = readSync(p.fd, this.#scratch, 0, want, p.offset + this.done);
        if (got === 0) return planError('ENODATA', this.sent, `file ended ${p.length - this.done} bytes before its region`);
        chunk = this.#scratch.subarray(0, got);
      }
      let n: number;
      try {
        n = writeSync(this.#fd, chunk);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code ?? 'EIO';
        if (code === 'EAGAIN' || code === 'EWOULDBLOCK') return 'EAGAIN';
        return planError(code, this.sent, (e as Error).message);
      }
      this.sent += n;
      this.done += n;
    }
    return null;
  }
}

export function sendPlanRef(socketFd: number, pieces: readonly SendPiece[],
  stallTimeoutMs = DEFAULT_STALL_TIMEOUT_MS): SendPlanHandle {
  const plan = new RefPlan(socketFd, pieces);
  const first = plan.step(INLINE_BUDGET);
  if (first === null) return { promise: Promise.resolve(plan.sent), cancel: () => {}, completed: true };
  if (first !== 'EAGAIN') return { promise: Promise.reject(first), cancel: () => {}, completed: false };
  let cancelled = false;
  const promise = new Promise<number>((resolve, reject) => {
    let lastProgress = Date.now();
    const retry = (): void => {
      if (cancelled) return reject(planError('ECANCELED', plan.sent, 'cancelled'));
      const before = plan.sent;
      const r = plan.step();
      if (r === null) return resolve(plan.sent);
      if (r !== 'EAGAIN') return reject(r);
      if (plan.sent !== before) lastProgress = Date.now();
      else if (Date.now() - lastProgress >= stallTimeoutMs) return reject(planError('ETIMEDOUT', plan.sent, 'peer accepted no byte'));
      setTimeout(retry, 1);
    };
    setTimeout(retry, 1);
  });
  return { promise, cancel: () => { cancelled = true; }, completed: false };
}
