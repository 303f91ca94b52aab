// The pool's worker entry: one default export that piscina calls with a task message. Tasks are
// synchronous functions (tasks/); the answer is an envelope so that errors keep their code
// (task-error.ts) and a result buffer moves back (piscina's transferable protocol) instead of
// being copied.
import { Piscina } from 'piscina';
import { toWireError } from './task-error.js';
import { TASKS, type TaskMessage, type TaskResult } from './task-registry.js';

export default async function runTask(msg: TaskMessage): Promise<unknown> {
  let result: TaskResult;
  try {
    const run = TASKS[msg.task];
    if (run === undefined) throw Object.assign(new Error(`unknown pool task "${msg.task}"`), { code: 'UNKNOWN_POOL_TASK' });
    const { value, buffer } = await run(msg.buffer === null ? null : Buffer.from(msg.buffer), msg.args);
    result = { ok: true, value, buffer: buffer === null ? null : (buffer.buffer as ArrayBuffer) };
  } catch (err) {
    return { ok: false, error: toWireError(err) } satisfies TaskResult;
  }
  if (result.buffer === null) return result;
  const transfer = [result.buffer];
  return Piscina.move({ [Piscina.transferableSymbol]: transfer, [Piscina.valueSymbol]: result } as never);
}
