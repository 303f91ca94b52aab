// The whole tree type-checks (tsconfig.typecheck.json: product sources, tests, interop, fuzz,
// bench). tsx runs tests without checking types, so this is where a wrong call in a test shows.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSC = createRequire(import.meta.url).resolve('typescript/bin/tsc');

test('tsc -p tsconfig.typecheck.json reports no errors', () => {
  const r = spawnSync(process.execPath, [TSC, '-p', 'tsconfig.typecheck.json', '--pretty', 'false'], { cwd: ROOT, encoding: 'utf8', timeout: 240_000 });
  const errors = r.stdout.split('\n').filter((l) => l.includes('error TS'));
  assert.equal(errors, [], `${errors.length} type errors:\n${errors.join('\n')}`);
  assert.is(r.status, 0, r.stderr);
});

test.run();
