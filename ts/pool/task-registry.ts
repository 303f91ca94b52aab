// Pool tasks by name. Each takes the task's one buffer (moved in, may be null) and structured
// arguments, and returns a value plus at most one buffer that owns its ArrayBuffer (moved out).
// The same functions run inline on the event loop when a task is too small for a crossing.
import type { WireError } from './task-error.js';
import { ownedBuffer } from './owned-buffer.js';
import { cleanLog, type CleanLogInput } from '../storage/cleaner/clean-log.js';
import { prepareProduceBatch, type ProducePlan } from './tasks/prepare-produce-batch.js';
import { recompressBatch } from './tasks/recompress-batch.js';
import { validateCompressedBatch } from './tasks/validate-compressed-batch.js';

export interface TaskMessage { task: string; buffer: ArrayBuffer | null; args: unknown }
export type TaskResult = { ok: true; value: unknown; buffer: ArrayBuffer | null } | { ok: false; error: WireError };

export type TaskFn = (buffer: Buffer | null, args: any) => { value: unknown; buffer: Buffer | null } | Promise<{ value: unknown; buffer: Buffer | null }>;

function need(b: Buffer | null, task: string): Buffer {
  if (b === null) throw Object.assign(new Error(`pool task ${task} needs a buffer`), { code: 'POOL_TASK_FAILED' });
  return b;
}

export const TASKS: Record<string, TaskFn> = {
  validateCompressedBatch(b) {
    const v = validateCompressedBatch(need(b, 'validateCompressedBatch'));
    return { value: { recordsCount: v.recordsCount, hasNullKey: v.hasNullKey }, buffer: null };
  },
  recompressBatch(b, args: { codec: number; level?: number }) {
    return { value: null, buffer: recompressBatch(need(b, 'recompressBatch'), args.codec, args.level) };
  },
  /** Returns the input buffer (moved back) when unchanged, else the new batch. */
  prepareProduceBatch(b, args: ProducePlan) {
    const out = prepareProduceBatch(need(b, 'prepareProduceBatch'), args);
    return { value: out === b ? 'unchanged' : 'rewritten', buffer: ownedBuffer(out) };
  },
  /** Log compaction pass: reads and writes the segment files itself; no buffer crosses. */
  cleanLog(_b, args: CleanLogInput) {
    return { value: cleanLog(args), buffer: null };
  },
};
