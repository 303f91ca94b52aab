// Runs Debian's `kcat` (librdkafka 2.0.2 in Debian 12) with a timeout. `-q` is not added:
// callers choose; errors print on stderr and a non-zero exit rejects unless `allowFailure`.
import { runProcess, type RunOptions, type RunResult } from './child-process.js';

export const KCAT = process.env.SAMSA_KCAT ?? 'kcat';

export interface KcatOptions extends RunOptions {
  /** Resolve instead of rejecting when kcat exits non-zero. */
  allowFailure?: boolean;
}

export class KcatError extends Error {
  readonly code = 'SAMSA_TEST_KCAT_FAILED';
  constructor(readonly args: readonly string[], readonly result: RunResult) {
    super(`kcat ${args.join(' ')} exited with ${result.code ?? result.signal}; stderr:\n${result.stderr.slice(-4000)}`);
  }
}

export async function runKcat(args: readonly string[], options: KcatOptions = {}): Promise<RunResult> {
  const result = await runProcess(KCAT, args, { timeout: 30_000, ...options });
  if (result.code !== 0 && !options.allowFailure) throw new KcatError(args, result);
  return result;
}
