// Errors crossing the pool boundary. A structured clone keeps neither the class nor own
// properties such as `code`, so a task never throws across: the worker answers
// { ok: false, error: { code, message, errorCode } } and the caller rehydrates it here.
// Test `err.code` (a stable string), never `instanceof`.
import { KafkaError } from '../protocol/error-codes.js';

export interface WireError { code: string; message: string; errorCode?: number }

/** A pool failure that is not a Kafka error (a bug, a codec package that failed to load...). */
export class PoolTaskError extends Error {
  override readonly name = 'PoolTaskError';
  constructor(readonly code: string, message: string) { super(message); }
}

export function toWireError(err: unknown): WireError {
  const e = err as { code?: unknown; message?: unknown; errorCode?: unknown };
  const out: WireError = {
    code: typeof e?.code === 'string' ? e.code : 'POOL_TASK_FAILED',
    message: typeof e?.message === 'string' ? e.message : String(err),
  };
  if (typeof e?.errorCode === 'number') out.errorCode = e.errorCode;
  return out;
}

/** KafkaError when the wire error carries a Kafka error code, PoolTaskError otherwise. */
export function fromWireError(w: WireError): Error & { code: string } {
  if (w.errorCode !== undefined) {
    const err = new KafkaError(w.errorCode, w.message);
    if (err.code === w.code) return err;
    return Object.assign(err, { code: w.code }) as KafkaError;
  }
  return new PoolTaskError(w.code, w.message);
}
