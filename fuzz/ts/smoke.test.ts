// CI smoke: each TS fuzz target for a few seconds with a fixed seed (about 40 s in all); any
// failure fails the test with the target's message. Longer runs: `npm run fuzz -- --time 600`.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { TS_TARGETS } from './targets.js';

const SECONDS: Record<string, number> = { 'batch-scan-diff': 6, 'crc32c-diff': 4, protocol: 8, 'log-ops': 10, network: 10 };

for (const target of TS_TARGETS) {
  test(`${target.name} runs clean for ${SECONDS[target.name] ?? 5} s`, async () => {
    const r = await target.run({ timeMs: (SECONDS[target.name] ?? 5) * 1000, seed: 20261124 });
    assert.ok(r.execs > 0, `${target.name} ran no executions`);
    assert.equal(r.failures.map((f) => f.message), [], `${target.name} found failures`);
  });
}

test.run();
