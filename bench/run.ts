// `npm run bench` (short, a few minutes on 2 cores) / `npm run bench -- --full` (long).
//
// 1. builds the native bench programs (bench/CMakeLists.txt → bench/build/);
// 2. runs every micro benchmark in bench/micro/*.bench.ts (each writes its own results file);
// 3. runs the end-to-end suite (e2e/e2e-suite.ts), the CRC-32C peers and the embedded-log peers
//    `runs` times, interleaved so slow drift on a shared machine hits every subject alike;
// 4. writes bench/results/<date>-<commit>.json (machine, config, seed, per-run figures, medians,
//    spreads, ratios, targets) and the SVG plot beside it, and prints the summary.
// Options: --full, --runs N, --skip-micro, --skip-e2e, --skip-peers, --out DIR.
// Peers: `cd bench && npm install` first; a missing peer is reported as skipped.
import { execSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { runE2eOnce, type E2eConfig, type Sample } from './e2e/e2e-suite.js';
import { native, ROOT, run } from './e2e/processes.js';
import { runCrc, SAMSA_ROW } from './peers/crc32c.bench.js';
import { defaultScenarios, runEmbedded, type EmbeddedRow } from './peers/embedded-log.bench.js';
import { renderSvg } from './report/svg.js';
import { fmtRow, median, ratioRuns, row, type ResultRow, type Target } from './report/stats.js';

const argv = process.argv.slice(2);
const flag = (f: string) => argv.includes(f);
const opt = (f: string) => { const i = argv.indexOf(f); return i >= 0 ? argv[i + 1] : undefined; };
const full = flag('--full');
const runs = Number(opt('--runs') ?? (full ? 5 : 3));
const outDir = opt('--out') ?? join(ROOT, 'bench/results');
const SEED = 42;
const log = (s: string) => process.stderr.write(`[bench] ${s}\n`);

const e2eConfig: E2eConfig = full
  ? { numRecords: 1_000_000, recordSize: 1024, batchSize: 262_144, partitionMaxBytes: 8 << 20, sizes: [100, 512, 1024, 4096, 16384, 102400], sizeBytes: 256e6, seed: SEED }
  : { numRecords: 100_000, recordSize: 1024, batchSize: 262_144, partitionMaxBytes: 8 << 20, sizes: [100, 1024, 10240, 102400], sizeBytes: 32e6, seed: SEED };
const embeddedRecords = full ? 400_000 : 40_000;
const crcSizes = [1024, 16384, 65536, 1 << 20];
const crcTrials = full ? '2001' : '501';
const crcTimeMs = full ? 1000 : 250;

function sh(cmd: string): string {
  try { return execSync(cmd, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim(); } catch { return ''; }
}

function machine() {
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length, memGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
    kernel: `${os.type()} ${os.release()}`, node: process.version, arch: process.arch,
    disk: sh(`df -PT ${os.tmpdir()} | tail -1`).split(/\s+/).slice(0, 2).join(' '),
    loadAvgAtStart: os.loadavg().map((x) => +x.toFixed(2)),
  };
}

async function buildNative(): Promise<void> {
  await run('cmake', ['-S', join(ROOT, 'bench'), '-B', join(ROOT, 'bench/build'), '-DCMAKE_BUILD_TYPE=Release']);
  await run('cmake', ['--build', join(ROOT, 'bench/build'), '-j2']);
}

async function micro(): Promise<Array<{ file: string; ok: boolean; seconds: number; error?: string }>> {
  const files = readdirSync(join(ROOT, 'bench/micro')).filter((f) => f.endsWith('.bench.ts')).sort();
  const out = [];
  for (const f of files) {
    const t0 = performance.now();
    try {
      const { stdout } = await run(process.execPath, ['--import', 'tsx', join(ROOT, 'bench/micro', f)], 600_000);
      process.stdout.write(stdout);
      out.push({ file: `bench/micro/${f}`, ok: true, seconds: +((performance.now() - t0) / 1000).toFixed(1) });
    } catch (err) {
      out.push({ file: `bench/micro/${f}`, ok: false, seconds: +((performance.now() - t0) / 1000).toFixed(1), error: (err as Error).message.slice(0, 500) });
    }
    log(`micro ${f} done`);
  }
  return out;
}

const results: ResultRow[] = [];
const targets: Target[] = [];
const notes: string[] = [];

function addRatio(name: string, num: number[], den: number[], want?: { min: number }, label?: string): void {
  const r = row(name, 'ratio', ratioRuns(num, den));
  results.push(r);
  if (want) targets.push({ name: label ?? name, ratio: name, want: `>= ${want.min}`, value: r.median, met: r.median >= want.min });
}

const pick = (samples: Sample[], key: string) => samples.map((s) => s[key] ?? NaN);
/** Per run, the best finite figure of several clients. */
const best = (...cs: number[][]) => cs[0]!.map((_, i) => Math.max(...cs.map((c) => (Number.isFinite(c[i]!) ? c[i]! : -Infinity))));

function e2eResults(samples: Sample[], c: E2eConfig): void {
  const keys = [...new Set(samples.flatMap((s) => Object.keys(s)))].sort();
  for (const k of keys) {
    const unit = k.endsWith('mbPerSec') ? 'MB/s' : /recordsPerSec|rate$/i.test(k) ? 'records/s' : k.includes('.ms.') || k.includes('latencyMs') ? 'ms' : '';
    results.push(row(`e2e ${k}`, unit, pick(samples, k), unit === 'ms' ? 'lower' : 'higher'));
  }
  const limit = pick(samples, 'produce.limit.mbPerSec');
  const ts = pick(samples, 'produce.samsa.ts.mbPerSec');
  const rdk = pick(samples, 'produce.samsa.rdk.mbPerSec');
  const raw = pick(samples, 'produce.samsa.raw.mbPerSec');
  addRatio('produce TS client ÷ produce limit', ts, limit);
  addRatio('produce librdkafka ÷ produce limit', rdk, limit);
  addRatio('produce raw client ÷ produce limit', raw, limit);
  addRatio('produce best client ÷ produce limit', best(ts, rdk, raw), limit, { min: 0.8 }, `produce 1 KiB acks=1 ≥ 80% of loopback+append limit`);
  addRatio('produce samsa ÷ librdkafka mock cluster (both via loadgen)', rdk, pick(samples, 'produce.mock.rdk.mbPerSec'));
  const flimit = pick(samples, 'fetch.limit.mbPerSec');
  const cts = pick(samples, 'consume.samsa.ts.mbPerSec');
  const crdk = pick(samples, 'consume.samsa.rdk.mbPerSec');
  const craw = pick(samples, 'consume.samsa.raw.mbPerSec');
  addRatio('consume TS client ÷ fetch limit', cts, flimit);
  addRatio('consume librdkafka ÷ fetch limit', crdk, flimit);
  addRatio('consume raw client ÷ fetch limit', craw, flimit);
  addRatio('consume best client ÷ fetch limit', best(cts, crdk, craw), flimit, { min: 0.9 }, 'consume from page cache ≥ 90% of sendfile limit');
  const p99 = row('x', 'ms', pick(samples, 'latency.half.ms.p99'), 'lower').median;
  targets.push({ name: 'produce p99 < 5 ms at half of peak throughput (raw client, per request)', ratio: 'e2e latency.half.ms.p99', want: '< 5 ms', value: p99, met: p99 < 5 });
  notes.push(`e2e: ${c.numRecords} records of ${c.recordSize} B, acks=1, batch ${c.batchSize} B, 1 partition, linger 5 ms; limits move the same bytes in batch-size (produce) / partition-max-bytes (fetch) chunks`);
  notes.push('e2e clients: ts = `samsa perf` (TS codec), rdk = samsa-loadgen (librdkafka), raw = samsa-rawload (plain C, pre-encoded requests, 5 in flight); '
    + 'latency.half = raw client at half the best produce rate, send→ack per request; latency.half.ts = TS client at half the best ts/rdk rate, per record');
}

type CrcRuns = Array<Array<{ impl: string; bytes: number; gbPerSec: number; error?: string }>>;
const crcTag = (size: number) => (size >= 1 << 20 ? `${size >> 20}MiB` : `${size >> 10}KiB`);

// peaks[run][size]: crc32c_peak at that size (best stream count, median trial); nativeRows[run]:
// bench/micro/crc32c_native (samsa::crc32c and the same peak kernel in one process, no Node).
function crcResults(rows: CrcRuns, peaks: Array<Record<number, number>>, nativeRows: CrcRuns): void {
  const impls = [...new Set(rows.flat().map((r) => r.impl))];
  for (const size of crcSizes) {
    const tag = crcTag(size);
    const peak = peaks.map((p) => p[size] ?? NaN);
    results.push(row(`crc32c ${tag} instruction peak (C, best of 1-12 streams, ± prefetch)`, 'GB/s', peak));
    for (const impl of impls) {
      const runsFor = rows.map((rs) => rs.find((r) => r.impl === impl && r.bytes === size)?.gbPerSec ?? NaN);
      if (runsFor.every((x) => !Number.isFinite(x))) {
        const err = rows[0]!.find((r) => r.impl === impl && r.bytes === size)?.error;
        if (err && size === crcSizes[0]) notes.push(`crc32c ${impl}: skipped (${err})`);
        continue;
      }
      results.push(row(`crc32c ${tag} ${impl}`, 'GB/s', runsFor));
    }
    const samsa = rows.map((rs) => rs.find((r) => r.impl === SAMSA_ROW && r.bytes === size)?.gbPerSec ?? NaN);
    addRatio(`crc32c ${tag} samsa ÷ instruction peak`, samsa, peak, size === 65536 ? { min: 0.9 } : undefined, 'CRC32C ≥ 90% of the instruction peak (64 KiB, Node call)');
    const nat = (pred: (impl: string) => boolean) => nativeRows.map((rs) => rs.find((r) => pred(r.impl) && r.bytes === size)?.gbPerSec ?? NaN);
    const natSamsa = nat((i) => i === 'samsa crc32c (native)');
    if (natSamsa.some(Number.isFinite)) {
      results.push(row(`crc32c ${tag} samsa native (C++, no Node-API)`, 'GB/s', natSamsa));
      addRatio(`crc32c ${tag} samsa native ÷ instruction peak (same process)`, natSamsa, nat((i) => i.startsWith('crc32 instruction peak')));
    }
    const peerBest = rows.map((rs) => Math.max(...rs.filter((r) => r.bytes === size && r.impl !== SAMSA_ROW && Number.isFinite(r.gbPerSec)).map((r) => r.gbPerSec)));
    addRatio(`crc32c ${tag} samsa ÷ fastest npm peer`, samsa, peerBest);
  }
}

function embeddedResults(rowsByRun: EmbeddedRow[][]): void {
  const first = rowsByRun[0]!;
  for (const e of first.filter((r) => r.error)) notes.push(`embedded ${e.scenario} ${e.store}: skipped (${e.error})`);
  const scenarios = [...new Set(first.map((r) => r.scenario))];
  for (const sc of scenarios) {
    for (const op of ['append', 'read'] as const) {
      const stores = [...new Set(first.filter((r) => r.scenario === sc && r.op === op).map((r) => r.store))];
      const byStore = new Map(stores.map((st) => [st, rowsByRun.map((rs) => rs.find((r) => r.scenario === sc && r.op === op && r.store === st)?.recordsPerSec ?? NaN)]));
      for (const [st, v] of byStore) results.push(row(`embedded ${op} ${sc} ${st}`, 'records/s', v));
      const samsa = byStore.get('samsa openLog');
      const peers = [...byStore.entries()].filter(([st]) => st !== 'samsa openLog').map(([, v]) => v);
      if (!samsa || peers.length === 0) continue;
      const fastest = samsa.map((_, i) => Math.max(...peers.map((p) => p[i]!).filter(Number.isFinite)));
      addRatio(`embedded ${op} ${sc} samsa ÷ fastest peer`, samsa, fastest,
        op === 'append' ? { min: 10 } : undefined, `embedded append ${sc} ≥ 10× the fastest peer`);
    }
  }
}

const started = Date.now();
const commit = sh('git rev-parse --short HEAD') + (sh('git status --porcelain -- ts native bench') ? '-dirty' : '');
log(`commit ${commit}, ${full ? 'full' : 'short'} suite, ${runs} runs`);
await buildNative();
const microRuns = flag('--skip-micro') ? [] : await micro();
const e2eSamples: Sample[] = [];
const crcRows: Array<Awaited<ReturnType<typeof runCrc>>> = [];
const peaks: Array<Record<number, number>> = [];
const crcNative: CrcRuns = [];
const embedded: EmbeddedRow[][] = [];
for (let i = 0; i < runs; i++) {
  log(`run ${i + 1}/${runs}`);
  if (!flag('--skip-e2e')) e2eSamples.push(await runE2eOnce(e2eConfig, i, log));
  if (!flag('--skip-peers')) {
    const peak: Record<number, number> = {};
    for (const size of crcSizes) peak[size] = Number((await native('crc32c_peak', ['--bytes', String(size), '--trials', crcTrials])).gbPerSec);
    peaks.push(peak);
    crcRows.push(await runCrc(crcSizes, crcTimeMs));
    crcNative.push((await native('crc32c_native', ['--sizes', crcSizes.join(','), '--trials', crcTrials])).rows as CrcRuns[number]);
    log(`crc32c: peak ${JSON.stringify(peak)} GB/s`);
    embedded.push(await runEmbedded(defaultScenarios(embeddedRecords), SEED));
    log('embedded peers done');
  }
}
if (e2eSamples.length) e2eResults(e2eSamples, e2eConfig);
if (crcRows.length) crcResults(crcRows, peaks, crcNative);
if (embedded.length) embeddedResults(embedded);

const date = new Date().toISOString();
const doc = {
  bench: 'samsa', version: 1, date, commit, suite: full ? 'full' : 'short', runs, seed: SEED, seconds: Math.round((Date.now() - started) / 1000),
  command: `npm run bench${full ? ' -- --full' : ''}`, machine: machine(),
  config: { e2e: e2eConfig, embeddedRecords, embeddedScenarios: defaultScenarios(embeddedRecords), crcSizes, crcTimeMs },
  targets, results, micro: microRuns, notes,
};
mkdirSync(outDir, { recursive: true });
const base = join(outDir, `${date.slice(0, 10)}-${commit}`);
writeFileSync(`${base}.json`, JSON.stringify(doc, null, 2) + '\n');
const sizes = e2eConfig.sizes.map((size) => ({ size, mbPerSec: median(pick(e2eSamples, `size.${size}.mbPerSec`)) }));
const lat = (prefix: string) => Object.fromEntries(['p50', 'p95', 'p99', 'p999', 'max'].map((k) => [k, median(pick(e2eSamples, `${prefix}.${k}`))]));
writeFileSync(`${base}.svg`, renderSvg(`samsa ${commit} · ${doc.machine.cpu} × ${doc.machine.cores} · node ${process.version} · ${date.slice(0, 10)}`,
  sizes, [{ name: 'unlimited rate (TS client, per record)', ms: lat('produce.samsa.ts.latencyMs') },
    { name: 'half of peak rate (raw client, per request)', ms: lat('latency.half.ms') },
    { name: 'half of ts/rdk peak (TS client, per record)', ms: lat('latency.half.ts.ms') }]));

console.log(`\nsamsa bench (${doc.suite}, ${runs} runs, median [min .. max]) on ${doc.machine.cpu} × ${doc.machine.cores}, ${doc.machine.memGiB} GiB, node ${process.version}`);
for (const r of results) console.log(fmtRow(r));
console.log('\ntargets:');
for (const t of targets) console.log(`  ${t.met ? 'MET    ' : 'MISSED '} ${t.name}: ${Number.isFinite(t.value) ? +t.value.toFixed(3) : t.value} (want ${t.want})`);
for (const n of notes) console.log(`note: ${n}`);
console.log(`\nwrote ${base}.json and ${base}.svg`);
