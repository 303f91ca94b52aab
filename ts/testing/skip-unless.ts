// Tests that need a Debian tool (kcat, /usr/bin/python3 with confluent_kafka or kafka-python)
// are skipped on a dev machine without it, with the reason printed once and each test counted
// as skipped by uvu (so the runner's summary shows it). CI installs the tools (.ci/run), so
// there they run. Set SAMSA_REQUIRE_INTEROP=1 to turn a missing tool into a failure instead.
import { spawnSync } from 'node:child_process';
import { test as uvuTest, type Test } from 'uvu';
import { PYTHON } from './run-python.js';

export type Requirement = string | { python: string };

const cache = new Map<string, string | null>();

/** null when available, else the reason it is not. */
export function missing(req: Requirement): string | null {
  const key = typeof req === 'string' ? `cmd:${req}` : `py:${req.python}`;
  if (cache.has(key)) return cache.get(key)!;
  let reason: string | null = null;
  if (typeof req === 'string') {
    const r = spawnSync('sh', ['-c', `command -v ${JSON.stringify(req)}`], { encoding: 'utf8' });
    if (r.status !== 0) reason = `command '${req}' not found (Debian: apt-get install ${req})`;
  } else {
    const r = spawnSync(PYTHON, ['-s', '-c', `import ${req.python}`], { encoding: 'utf8', timeout: 20_000 });
    if (r.error || r.status !== 0) {
      const pkg = req.python === 'kafka' ? 'python3-kafka' : `python3-${req.python.replace(/_/g, '-')}`;
      reason = `${PYTHON} cannot import ${req.python} (Debian: apt-get install ${pkg})`;
    }
  }
  cache.set(key, reason);
  return reason;
}

/**
 * The uvu `test` to use when every requirement is met; otherwise a stand-in whose tests are
 * registered as skipped, after printing why.
 */
export function skipUnless(requirements: Requirement | Requirement[], suite: Test = uvuTest): Test {
  const reasons = ([] as Requirement[]).concat(requirements).map(missing).filter((r): r is string => r !== null);
  if (reasons.length === 0) return suite;
  if (process.env.SAMSA_REQUIRE_INTEROP === '1') throw new Error(`interop requirement missing: ${reasons.join('; ')}`);
  console.log(`[skip] ${reasons.join('; ')}`);
  const skipping = ((name: string) => { console.log(`[skip] ${name}`); suite.skip(name, () => {}); }) as unknown as Test;
  return Object.assign(skipping, suite, { only: skipping, skip: skipping });
}
