// Question: how does Samsa's CRC-32C, called as a Node user calls it (crc32c(buffer) from
// ts/native/crc32c.ts, Node-API crossing included), compare with the npm peers and with the crc32
// instruction's own peak (bench/limits/crc32c_peak, a tight native loop on the same size)?
// Every implementation is first checked against the CRC-32C check value ("123456789" →
// 0xE3069283); one that disagrees is reported as wrong and not timed.
// Measured like the C peak (bench/limits/crc32c_peak.h) so the ratio compares like with like:
// one Buffer.alloc'd buffer per size filled (i * 31) & 0xff, short trials of whole calls (~256
// KiB each), implementations interleaved trial by trial, each figure the median trial (GB = 1e9
// bytes). On a shared machine a trial that loses the CPU is an outlier, not a shift of the mean.
// Pure-JS peers are timed in a phase of their own, after the others: interleaved, their
// allocation wakes V8's background GC threads, which halved the next native trial (measured:
// samsa 43 → 19 GB/s at 64 KiB right after an @aws-crypto/crc32c trial, on 2 vCPUs).
// Run alone: node --import tsx bench/peers/crc32c.bench.ts
import { crc32c } from '../../ts/native/crc32c.js';
import { loadPeer } from './embedded-stores.js';

export interface CrcRow { impl: string; bytes: number; gbPerSec: number; error?: string }

type Fn = (b: Buffer) => number;

const PURE_JS = new Set(['@aws-crypto/crc32c']);

export const SAMSA_ROW = 'samsa (addon)';

function peers(): Array<[string, Fn | string]> {
  const out: Array<[string, Fn | string]> = [[SAMSA_ROW, (b) => crc32c(b)]];
  const sse = loadPeer<{ calculate(b: Buffer, init?: number): number }>('sse4_crc32');
  out.push(['sse4_crc32', sse ? (b) => sse.calculate(b) : 'not installed']);
  const fast = loadPeer<{ calculate(b: Buffer, init?: number): number }>('fast-crc32c');
  out.push(['fast-crc32c', fast ? (b) => fast.calculate(b) : 'not installed']);
  const noders = loadPeer<{ crc32c(b: Buffer, init?: number): number }>('@node-rs/crc32');
  out.push(['@node-rs/crc32', noders ? (b) => noders.crc32c(b) : 'not installed']);
  const aws = loadPeer<{ crc32c(b: Uint8Array): number }>('@aws-crypto/crc32c');
  out.push(['@aws-crypto/crc32c', aws ? (b) => aws.crc32c(b) : 'not installed']);
  return out;
}

/** GB/s of one trial: as many whole calls as make ~256 KiB (at least one). */
function trial(fn: Fn, buf: Buffer, passes: number): number {
  const t0 = process.hrtime.bigint();
  let sink = 0;
  for (let i = 0; i < passes; i++) sink ^= fn(buf);
  const ns = Number(process.hrtime.bigint() - t0);
  if (sink === 0.5) throw new Error('unreachable'); // keeps the calls observable
  return (buf.length * passes) / ns;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * Times `fns` on `buf` trial by trial, round-robin, for about `timeMs` each (at least 21 trials)
 * and returns each one's median trial in GB/s with the trial count. Used by bench/micro too.
 */
export function timeInterleaved(fns: Fn[], buf: Buffer, timeMs: number): Array<{ gbPerSec: number; trials: number }> {
  const passes = Math.max(1, Math.floor(262_144 / Math.max(buf.length, 1)));
  for (const fn of fns) for (let i = 0; i < 3; i++) trial(fn, buf, passes); // warm up the JIT and caches
  const runs = fns.map(() => [] as number[]);
  const deadline = performance.now() + timeMs * fns.length;
  while (runs[0]!.length < 21 || performance.now() < deadline) {
    for (let i = 0; i < fns.length; i++) runs[i]!.push(trial(fns[i]!, buf, passes));
  }
  return runs.map((r) => ({ gbPerSec: median(r), trials: r.length }));
}

/** Times every implementation at every size for about `timeMs` each; one row per (impl, size). */
export async function runCrc(sizes: number[], timeMs: number): Promise<CrcRow[]> {
  const check = Buffer.from('123456789');
  const rows: CrcRow[] = [];
  const impls = peers();
  for (const size of sizes) {
    const buf = Buffer.alloc(size);
    for (let i = 0; i < size; i++) buf[i] = (i * 31) & 0xff;
    const timed: Array<[string, Fn]> = [];
    for (const [name, fn] of impls) {
      if (typeof fn === 'string') { rows.push({ impl: name, bytes: size, gbPerSec: NaN, error: fn }); continue; }
      const v = fn(check) >>> 0;
      if (v !== 0xe3069283) { rows.push({ impl: name, bytes: size, gbPerSec: NaN, error: `wrong check value 0x${v.toString(16)}` }); continue; }
      timed.push([name, fn]);
    }
    for (const group of [timed.filter(([n]) => !PURE_JS.has(n)), timed.filter(([n]) => PURE_JS.has(n))]) {
      if (group.length === 0) continue;
      const medians = timeInterleaved(group.map(([, fn]) => fn), buf, timeMs);
      group.forEach(([name], i) => rows.push({ impl: name, bytes: size, gbPerSec: medians[i]!.gbPerSec }));
    }
    await new Promise((r) => setImmediate(r));
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.table((await runCrc([1024, 65536, 1 << 20], 300)).map((r) => ({ ...r, gbPerSec: +r.gbPerSec.toFixed(3) })));
}
