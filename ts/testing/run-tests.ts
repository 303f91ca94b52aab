// Runs every uvu test file in its own Node process (a leaked socket or a crash in one file
// cannot hang or poison the others), two at a time on this 2-core machine, and ends with the
// line `N passed, N failed` that CI reads.
//
//   npm test                      every *.test.ts under ts/ and fuzz/ts/
//   npm test -- storage log       only files whose path contains one of the words
//   SAMSA_TEST_JOBS=1 npm test    one file at a time
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const filters = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const jobs = Number(process.env.SAMSA_TEST_JOBS ?? 2);
const fileTimeoutMs = Number(process.env.SAMSA_TEST_FILE_TIMEOUT_MS ?? 300_000);

function findTests(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) findTests(path, out);
    else if (name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

interface FileResult { file: string; passed: number; failed: number; skipped: number; crashed: string | null; output: string; ms: number }

// uvu prints `Total: N`, `Passed: N`, `Skipped: N` for each file it runs.
function count(output: string, label: string): number {
  let sum = 0;
  for (const m of output.matchAll(new RegExp(`^\\s*${label}:\\s+(\\d+)`, 'gm'))) sum += Number(m[1]);
  return sum;
}

function runFile(file: string): Promise<FileResult> {
  const started = Date.now();
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', file], {
      cwd: root, env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => { output += `\n[runner] timed out after ${fileTimeoutMs} ms\n`; child.kill('SIGKILL'); }, fileTimeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const total = count(output, 'Total');
      const passed = count(output, 'Passed');
      const skipped = count(output, 'Skipped');
      // uvu's Total counts the tests that ran; skipped ones are reported apart and are not in it.
      let failed = Math.max(0, total - passed);
      let crashed: string | null = null;
      // A file whose tests were all skipped (a Debian client missing on a dev machine) ran fine.
      const allSkipped = code === 0 && total === 0 && skipped > 0;
      if (code !== 0 || (total === 0 && !allSkipped)) {
        crashed = signal ? `killed by ${signal}` : total === 0 ? `exit ${code}, no uvu summary` : null;
        if (crashed && failed === 0) failed = 1;
        if (code !== 0 && failed === 0) { crashed = `exit ${code}`; failed = 1; }
      }
      done({ file: relative(root, file), passed, failed, skipped, crashed, output, ms: Date.now() - started });
    });
  });
}

const files = [...findTests(join(root, 'ts')), ...findTests(join(root, 'fuzz', 'ts'))]
  .filter((f) => filters.length === 0 || filters.some((w) => relative(root, f).includes(w)))
  .sort();
const queue = [...files];
const results: FileResult[] = [];
await Promise.all(Array.from({ length: Math.max(1, jobs) }, async () => {
  for (let f = queue.shift(); f; f = queue.shift()) {
    const r = await runFile(f);
    results.push(r);
    const status = r.failed ? 'FAIL' : 'ok  ';
    console.log(`${status} ${r.file}  (${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped, ${(r.ms / 1000).toFixed(1)} s)${r.crashed ? ' ' + r.crashed : ''}`);
    if (r.failed) console.log(r.output.split('\n').map((l) => '     | ' + l).join('\n'));
  }
}));
const passed = results.reduce((s, r) => s + r.passed, 0);
const failed = results.reduce((s, r) => s + r.failed, 0);
const skipped = results.reduce((s, r) => s + r.skipped, 0);
console.log(`\n${files.length} test files`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exitCode = failed > 0 || files.length === 0 ? 1 : 0;
