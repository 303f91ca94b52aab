// Builds and runs the native fuzz targets (fuzz/native) from TS:
// - replay binaries: g++ (always present) + replay_main.cc, no libFuzzer, with ASan/UBSan when
//   the toolchain links them; cached in build-fuzz/replay/ and rebuilt when a source changes.
// - libFuzzer binaries: cmake -DSAMSA_FUZZ=ON with clang++ into build-fuzz/ (on demand only).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { FUZZ_DIR, type CorpusName } from './corpus.js';

const ROOT = join(FUZZ_DIR, '..');
export const BUILD_DIR = join(ROOT, 'build-fuzz');
const NATIVE = join(FUZZ_DIR, 'native');
const CORE = join(ROOT, 'native/src/core');

export interface NativeTarget { name: string; source: string; corpus: CorpusName }
export const NATIVE_TARGETS: NativeTarget[] = [
  { name: 'batch_scan_fuzzer', source: 'batch_scan_fuzzer.cc', corpus: 'batch-scan' },
  { name: 'segment_recover_fuzzer', source: 'segment_recover_fuzzer.cc', corpus: 'segment-recover' },
  { name: 'index_lookup_fuzzer', source: 'index_lookup_fuzzer.cc', corpus: 'index-lookup' },
  { name: 'crc32c_fuzzer', source: 'crc32c_fuzzer.cc', corpus: 'crc32c' },
];

function coreSources(): string[] {
  return readFileSync(join(ROOT, 'native/sources.txt'), 'utf8').split('\n').map((l) => l.trim())
    .filter((l) => l.startsWith('native/src/core/')).map((l) => join(ROOT, l));
}

function sanitizersLink(): boolean {
  const r = spawnSync('g++', ['-fsanitize=address,undefined', '-x', 'c++', '-', '-o', '/dev/null'], { input: 'int main(){}' });
  return r.status === 0;
}

/**
 * Builds (or reuses) the g++ replay binary of every target; returns name → path. Each source is
 * compiled once to an object named by the hash of its text, the headers and the flags, two
 * compilers at a time; an unchanged tree rebuilds nothing.
 */
export async function buildReplayBinaries(): Promise<Map<string, string>> {
  const dir = join(BUILD_DIR, 'replay');
  mkdirSync(dir, { recursive: true });
  const headers = [...readdirSync(CORE).filter((f) => f.endsWith('.h')).map((f) => join(CORE, f)),
    ...readdirSync(NATIVE).filter((f) => f.endsWith('.h')).map((f) => join(NATIVE, f))];
  const headerHash = createHash('sha1');
  for (const h of headers) headerHash.update(h).update(readFileSync(h));
  const san = sanitizersLink() ? ['-fsanitize=address,undefined', '-fno-sanitize-recover=undefined'] : [];
  const flags = ['-std=c++17', '-O1', ...san, `-I${CORE}`, `-I${NATIVE}`];
  const objectOf = new Map<string, string>();
  const jobs: string[][] = [];
  const sources = [...coreSources(), join(NATIVE, 'replay_main.cc'), ...NATIVE_TARGETS.map((t) => join(NATIVE, t.source))];
  for (const src of sources) {
    const extra = src.endsWith('crc32c_sse42.cc') && process.arch === 'x64' ? ['-msse4.2'] : [];
    const h = createHash('sha1').update(readFileSync(src)).update(headerHash.copy().digest()).update([...flags, ...extra].join(' '));
    const obj = join(dir, `${basename(src, '.cc')}-${h.digest('hex').slice(0, 12)}.o`);
    objectOf.set(src, obj);
    if (!existsSync(obj)) jobs.push([...flags, ...extra, '-c', src, '-o', obj]);
  }
  await runPool(jobs, 2);
  const core = coreSources().map((s) => objectOf.get(s)!);
  const out = new Map<string, string>();
  const links: string[][] = [];
  const linkStamps: [string, string][] = [];
  for (const t of NATIVE_TARGETS) {
    const bin = join(dir, t.name.replace('_fuzzer', '_replay'));
    out.set(t.name, bin);
    const args = [...san, objectOf.get(join(NATIVE, t.source))!, objectOf.get(join(NATIVE, 'replay_main.cc'))!, ...core, '-o', bin];
    const stamp = `${bin}.inputs`;
    if (existsSync(bin) && existsSync(stamp) && readFileSync(stamp, 'utf8') === args.join('\n')) continue;
    links.push(args);
    linkStamps.push([stamp, args.join('\n')]);
  }
  await runPool(links, 2);
  for (const [stamp, text] of linkStamps) writeFileSync(stamp, text);
  return out;
}

function runPool(jobs: string[][], width: number): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const args = jobs[next++];
      await new Promise<void>((resolve, reject) => {
        const child = spawn('g++', args, { stdio: ['ignore', 'ignore', 'pipe'] });
        let err = '';
        child.stderr.on('data', (d) => (err += d));
        child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`g++ ${args.join(' ')} failed:\n${err}`))));
      });
    }
  };
  return Promise.all(Array.from({ length: width }, worker)).then(() => undefined);
}

/** Runs a replay binary over paths; returns its exit status and output. */
export function runReplay(bin: string, paths: string[]): { status: number | null; output: string; replayed: number } {
  const r = spawnSync(bin, paths, { encoding: 'utf8', env: { ...process.env, ASAN_OPTIONS: 'detect_leaks=0' } });
  const output = `${r.stdout}${r.stderr}`;
  const m = /replayed (\d+) inputs/.exec(output);
  return { status: r.status, output, replayed: m ? Number(m[1]) : 0 };
}

/** True when clang++ and libFuzzer are installed; otherwise a message naming what to install. */
export function libFuzzerAvailable(): true | string {
  const r = spawnSync('clang++', ['-fsanitize=fuzzer,address,undefined', '-x', 'c++', '-', '-o', '/dev/null'],
    { input: '#include <cstdint>\n#include <cstddef>\nextern "C" int LLVMFuzzerTestOneInput(const uint8_t*, size_t){return 0;}' });
  if (r.error) return 'clang++ not found: apt-get install clang libclang-rt-14-dev (or any clang >= 11 with its compiler-rt)';
  if (r.status !== 0) return 'clang++ cannot link libFuzzer: apt-get install libclang-rt-14-dev (the version matching clang --version)';
  return true;
}

/** cmake -DSAMSA_FUZZ=ON with clang++ into build-fuzz/, then builds the libFuzzer targets. */
export function buildLibFuzzer(log: (s: string) => void = () => undefined): string {
  const ok = libFuzzerAvailable();
  if (ok !== true) throw new Error(ok);
  if (!existsSync(join(BUILD_DIR, 'CMakeCache.txt'))) {
    log('configuring build-fuzz/ (cmake -DSAMSA_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++)');
    execFileSync('cmake', ['-S', ROOT, '-B', BUILD_DIR, '-DSAMSA_FUZZ=ON', '-DCMAKE_CXX_COMPILER=clang++',
      '-DCMAKE_BUILD_TYPE=RelWithDebInfo'], { stdio: 'inherit' });
  }
  execFileSync('cmake', ['--build', BUILD_DIR, '-j2', '--target', ...NATIVE_TARGETS.map((t) => t.name)], { stdio: ['ignore', 'ignore', 'inherit'] });
  return join(BUILD_DIR, 'fuzz/native');
}

export interface LibFuzzerStats { execs: number; execsPerSec: number; cov: number; ft: number; crashes: string[]; output: string }

/**
 * Runs one libFuzzer binary for `seconds` over a scratch copy of its corpus (the committed corpus
 * only changes by hand: new finds stay in build-fuzz/work/<target>/ unless promoted).
 */
export function runLibFuzzer(binDir: string, t: NativeTarget, seconds: number, corpus: string): Promise<LibFuzzerStats> {
  const work = join(BUILD_DIR, 'work', t.corpus);
  const crashDir = join(BUILD_DIR, 'crashes', t.corpus);
  mkdirSync(work, { recursive: true });
  mkdirSync(crashDir, { recursive: true });
  const args = [`-max_total_time=${Math.max(1, Math.round(seconds))}`, '-print_final_stats=1', '-timeout=10',
    `-artifact_prefix=${crashDir}/`, '-jobs=1', work, corpus];
  return new Promise((resolve) => {
    const child = spawn(join(binDir, t.name), args, { env: { ...process.env, ASAN_OPTIONS: 'detect_leaks=1:abort_on_error=0' } });
    let output = '';
    child.stderr.on('data', (d) => (output += d));
    child.stdout.on('data', (d) => (output += d));
    child.on('close', () => {
      const num = (re: RegExp) => { const all = [...output.matchAll(re)]; return all.length ? Number(all[all.length - 1][1]) : 0; };
      const crashes = [...output.matchAll(/Test unit written to (\S+)/g)].map((m) => m[1]);
      resolve({
        execs: num(/stat::number_of_executed_units:\s+(\d+)/g), execsPerSec: num(/exec\/s:\s+(\d+)/g),
        cov: num(/cov:\s+(\d+)/g), ft: num(/ft:\s+(\d+)/g), crashes, output,
      });
    });
  });
}
