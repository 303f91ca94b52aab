// `npm run fuzz -- [options]`: runs the fuzz targets under one time budget and prints, per
// target, executions, executions/s, coverage (libFuzzer's cov/ft for native targets) and failures.
//
//   --time S         total seconds, split evenly across the selected targets (default 60)
//   --target NAME    one target (repeatable): native batch_scan_fuzzer, segment_recover_fuzzer,
//                    index_lookup_fuzzer, crc32c_fuzzer; TS batch-scan-diff, crc32c-diff,
//                    protocol, log-ops, network
//   --smoke          about a minute in all, TS targets and native replays only (what CI runs)
//   --no-native      skip the libFuzzer targets (they need clang + libclang-rt; see the message)
//   --seed N         fast-check / RNG seed (default: time-based, printed)
//   --promote FILE --target NAME   copy a crash input into fuzz/corpus/<corpus>/regressions/
// Failures of TS targets are saved to fuzz/corpus/<corpus>/regressions/ when the target has a
// corpus; libFuzzer crashes land in build-fuzz/crashes/<corpus>/ (promote them by hand).
import { copyFileSync, mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { corpusDir, writeCorpusFile } from './ts/corpus.js';
import { buildLibFuzzer, buildReplayBinaries, libFuzzerAvailable, NATIVE_TARGETS, runLibFuzzer, runReplay } from './ts/native-build.js';
import { TS_TARGETS } from './ts/targets.js';

const argv = process.argv.slice(2);
const opt = (name: string) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : undefined; };
const all = (name: string) => argv.flatMap((a, i) => (a === name && argv[i + 1] ? [argv[i + 1]] : []));
const smoke = argv.includes('--smoke');
const totalS = Number(opt('--time') ?? (smoke ? 60 : 60));
const seed = Number(opt('--seed') ?? (Date.now() % 1_000_000));
const names = all('--target');
const known = [...NATIVE_TARGETS.map((t) => t.name), ...TS_TARGETS.map((t) => t.name)];
for (const n of names) if (!known.includes(n)) { console.error(`unknown target ${n}; one of: ${known.join(', ')}`); process.exit(2); }

const promote = opt('--promote');
if (promote) {
  const name = names[0];
  const corpus = NATIVE_TARGETS.find((t) => t.name === name)?.corpus ?? TS_TARGETS.find((t) => t.name === name)?.corpus;
  if (!corpus) { console.error('--promote needs --target NAME of a target with a corpus'); process.exit(2); }
  const dir = join(corpusDir(corpus), 'regressions');
  mkdirSync(dir, { recursive: true });
  copyFileSync(promote, join(dir, basename(promote)));
  console.log(`saved ${join(dir, basename(promote))}; npm test -- fuzz/ts/regressions replays it`);
  process.exit(0);
}

const pick = <T extends { name: string }>(list: T[]) => (names.length ? list.filter((t) => names.includes(t.name)) : list);
let native = smoke || argv.includes('--no-native') ? [] : pick(NATIVE_TARGETS);
const ts = pick(TS_TARGETS);
let binDir = '';
if (native.length) {
  const ok = libFuzzerAvailable();
  if (ok !== true) { console.error(`native targets skipped: ${ok}`); native = []; }
  else binDir = buildLibFuzzer((s) => console.error(s));
}
const count = native.length + ts.length;
if (count === 0) { console.error('no targets to run'); process.exit(2); }
const perTargetS = totalS / count;
console.log(`seed ${seed}; ${count} targets, ${perTargetS.toFixed(1)} s each`);

const rows: string[][] = [['target', 'execs', 'execs/s', 'coverage', 'failures']];
let failed = 0;
for (const t of native) {
  const s = await runLibFuzzer(binDir, t, perTargetS, corpusDir(t.corpus));
  rows.push([t.name, String(s.execs), String(Math.round(s.execs / perTargetS)), `cov ${s.cov} ft ${s.ft}`, s.crashes.length ? s.crashes.join(' ') : '0']);
  failed += s.crashes.length;
  if (s.crashes.length) console.error(s.output.split('\n').filter((l) => /ERROR|FUZZ_CHECK|SUMMARY|input:/.test(l)).join('\n'));
}
if (smoke) {
  const bins = await buildReplayBinaries();
  for (const t of pick(NATIVE_TARGETS)) {
    const r = runReplay(bins.get(t.name)!, [corpusDir(t.corpus)]);
    rows.push([`${t.name} (replay)`, String(r.replayed), '-', '-', r.status === 0 ? '0' : 'FAILED']);
    if (r.status !== 0) { failed++; console.error(r.output); }
  }
}
for (const t of ts) {
  const t0 = Date.now();
  const r = await t.run({ timeMs: perTargetS * 1000, seed });
  const secs = (Date.now() - t0) / 1000;
  rows.push([t.name, String(r.execs), String(Math.round(r.execs / secs)), r.detail ?? '-', String(r.failures.length)]);
  for (const f of r.failures) {
    failed++;
    console.error(`${t.name}: ${f.message}`);
    if (f.input && t.corpus) console.error(`  input saved as ${writeCorpusFile(t.corpus, 'crash', f.input, 'regressions')}`);
  }
}
const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i])).join('  '));
process.exit(failed ? 1 : 0);
