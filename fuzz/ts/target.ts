// The shape of a TS fuzz target and the timed fast-check loop they share. Every target runs
// within a time budget (undici style) and reports executions and failures; a failure carries the
// input bytes (when the target has a corpus) so run.ts can save it under regressions/.
import fc from 'fast-check';
import type { CorpusName } from './corpus.js';

export interface FuzzBudget { timeMs: number; seed: number }
export interface FuzzFailure { message: string; input?: Uint8Array }
export interface FuzzReport { execs: number; failures: FuzzFailure[]; detail?: string }

export interface TsFuzzTarget {
  name: string;
  /** Corpus replayed by replay() (regressions.test.ts) and saved into on failure. */
  corpus?: CorpusName;
  run(budget: FuzzBudget): Promise<FuzzReport>;
  /** Throws when `input` (a corpus file) breaks the target's property. */
  replay?(input: Buffer): void | Promise<void>;
}

/**
 * Runs `property` on values of `arb` until the budget is spent; the first failure is shrunk by
 * fast-check and reported with toInput(counterexample).
 */
export function timedProperty<T>(arb: fc.Arbitrary<T>, property: (v: T) => void, budget: FuzzBudget,
  toInput?: (v: T) => Uint8Array): FuzzReport {
  let execs = 0;
  const failures: FuzzFailure[] = [];
  const result = fc.check(fc.property(arb, (v) => { execs++; property(v); }), {
    seed: budget.seed, numRuns: Number.MAX_SAFE_INTEGER, interruptAfterTimeLimit: budget.timeMs,
    markInterruptAsFailure: false, endOnFailure: false,
  });
  if (result.failed && !result.interrupted && result.counterexample) {
    const v = result.counterexample[0];
    const err = result.errorInstance as Error | undefined;
    failures.push({ message: `${err?.message ?? 'property failed'} (seed ${budget.seed}, path ${result.counterexamplePath})`, ...(toInput ? { input: toInput(v) } : {}) });
  } else if (result.failed && result.counterexample) {
    const err = result.errorInstance as Error | undefined;
    failures.push({ message: err?.message ?? 'property failed', ...(toInput ? { input: toInput(result.counterexample[0]) } : {}) });
  }
  return { execs, failures };
}
