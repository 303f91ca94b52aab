// Question: how fast is CRC-32C through the addon (SSE4.2, portable table) vs the TS reference,
// at 1 KiB / 16 KiB / 64 KiB / 1 MiB, and what share of the crc32 instruction's peak is that?
// Node rows are timed as a Node user calls them (bench/peers/crc32c.bench.ts timeInterleaved:
// median of short interleaved trials, the same statistic as the C peak). When bench/build has
// them (cmake -S bench -B bench/build && cmake --build bench/build), also records the peak
// (limits/crc32c_peak, per size) and the native-only rows (micro/crc32c_native: samsa::crc32c
// and the peak kernel in one process), with ratios. `--before PATH.node` adds the rows of an
// older addon build (e.g. one built from a previous commit) in the same interleaved run.
// Writes bench/results/crc32c-<date>.json with the machine description and load averages.
// Run: node --import tsx bench/micro/crc32c.bench.ts [--before old/samsa.node] [--note TEXT]
// (about 20 s; --note is stored in the JSON, e.g. how the --before build was made).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { crc32c, crc32cImplementation, crc32cPortable } from '../../ts/native/crc32c.js';
import { crc32c as crc32cRef } from '../../ts/native/crc32c.ref.js';
import { timeInterleaved } from '../peers/crc32c.bench.js';

function machine() {
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length,
    memGiB: +(os.totalmem() / 2 ** 30).toFixed(1), kernel: `${os.type()} ${os.release()}`,
    node: process.version, arch: process.arch, loadAvgAtStart: os.loadavg().map((x) => +x.toFixed(2)),
  };
}

const argv = process.argv.slice(2);
const beforeArg = argv.indexOf('--before');
const beforePath = beforeArg >= 0 ? argv[beforeArg + 1] : undefined;
const noteArg = argv.indexOf('--note');
const note = noteArg >= 0 ? argv[noteArg + 1] : undefined;
const sizes = [1024, 16 * 1024, 64 * 1024, 1024 * 1024];
const buildDir = new URL('../build/', import.meta.url).pathname;
const mach = machine();

type Fn = (b: Uint8Array) => number;
const impls: Array<[string, Fn]> = [[`native (${crc32cImplementation()})`, (b) => crc32c(b)]];
if (beforePath) {
  const old = createRequire(import.meta.url)(fs.realpathSync(beforePath)) as { crc32c(b: Uint8Array, init?: number): number };
  impls.push([`before (${beforePath.split('/').slice(-2).join('/')})`, (b) => old.crc32c(b, 0)]);
}
impls.push(['native portable', (b) => crc32cPortable(b)], ['ts reference', (b) => crc32cRef(b)]);

interface Row { impl: string; bytes: number; gbPerSec: number; nsPerOp: number; samples: number; ofPeak?: number }
const rows: Row[] = [];
const add = (impl: string, bytes: number, gbPerSec: number, samples: number, peak?: number) =>
  rows.push({ impl, bytes, gbPerSec: +gbPerSec.toFixed(3), nsPerOp: Math.round(bytes / gbPerSec), samples,
    ...(peak ? { ofPeak: +(gbPerSec / peak).toFixed(3) } : {}) });

function runJson(name: string, args: string[]): Record<string, unknown> | undefined {
  if (!fs.existsSync(buildDir + name)) return undefined;
  return JSON.parse(execFileSync(buildDir + name, args, { encoding: 'utf8' }).trim().split('\n').at(-1)!);
}

for (const size of sizes) {
  const peak = runJson('crc32c_peak', ['--bytes', String(size), '--trials', '501']);
  const peakGbs = peak ? Number(peak.gbPerSec) : undefined;
  if (peak) add(`crc32 instruction peak (C, ${String(peak.streams)} streams${peak.prefetch ? ', prefetch' : ''})`, size, peakGbs!, 501);
  const buf = Buffer.alloc(size);
  for (let i = 0; i < size; i++) buf[i] = (i * 31) & 0xff;
  const fast = impls.filter(([n]) => n !== 'ts reference' && n !== 'native portable');
  const slow = impls.filter(([n]) => n === 'ts reference' || n === 'native portable');
  const budget = size >= 1 << 20 ? 700 : 400;
  for (const group of [fast, slow]) {
    const res = timeInterleaved(group.map(([, fn]) => fn as (b: Buffer) => number), buf, group === fast ? budget : 150);
    group.forEach(([name], i) => add(name, size, res[i]!.gbPerSec, res[i]!.trials, peakGbs));
  }
}
const nat = runJson('crc32c_native', ['--sizes', sizes.join(','), '--trials', '501']);
for (const r of (nat?.rows ?? []) as Array<{ impl: string; bytes: number; gbPerSec: number; ofPeak?: number }>) {
  rows.push({ impl: `C++ ${r.impl}`, bytes: r.bytes, gbPerSec: r.gbPerSec, nsPerOp: Math.round(r.bytes / r.gbPerSec), samples: 501,
    ...(r.ofPeak ? { ofPeak: r.ofPeak } : {}) });
}

console.table(rows);
const out = { bench: 'crc32c', date: new Date().toISOString(), machine: { ...mach, loadAvgAtEnd: os.loadavg().map((x) => +x.toFixed(2)) },
  ...(note ? { note } : {}), rows };
const file = new URL(`../results/crc32c-${out.date.slice(0, 10)}.json`, import.meta.url);
fs.writeFileSync(file, JSON.stringify(out, null, 2) + '\n');
console.log(`wrote ${file.pathname}`);
