// Question: how does Samsa's CRC-32C (the addon's SSE4.2 path) compare with the npm peers and
// with the crc32 instruction's own peak (bench/limits/crc32c_peak, a tight native loop)?
// Every implementation is first checked against the CRC-32C check value ("123456789" →
// 0xE3069283); one that disagrees is reported as wrong and not timed.
// Run alone: node --import tsx bench/peers/crc32c.bench.ts
import { Bench } from 'tinybench';
import { crc32c } from '../../ts/native/crc32c.js';
import { loadPeer } from './embedded-stores.js';

export interface CrcRow { impl: string; bytes: number; gbPerSec: number; error?: string }

type Fn = (b: Buffer) => number;

function peers(): Array<[string, Fn | string]> {
  const out: Array<[string, Fn | string]> = [['samsa (addon)', (b) => crc32c(b)]];
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

export async function runCrc(sizes: number[], timeMs: number): Promise<CrcRow[]> {
  const check = Buffer.from('123456789');
  const rows: CrcRow[] = [];
  const impls = peers();
  for (const size of sizes) {
    const buf = Buffer.alloc(size);
    for (let i = 0; i < size; i++) buf[i] = (i * 31) & 0xff;
    const bench = new Bench({ time: timeMs, warmupTime: 50 });
    for (const [name, fn] of impls) {
      if (typeof fn === 'string') { rows.push({ impl: name, bytes: size, gbPerSec: NaN, error: fn }); continue; }
      const v = fn(check) >>> 0;
      if (v !== 0xe3069283) { rows.push({ impl: name, bytes: size, gbPerSec: NaN, error: `wrong check value 0x${v.toString(16)}` }); continue; }
      bench.add(name, () => { fn(buf); });
    }
    await bench.run();
    for (const task of bench.tasks) {
      const period = (task.result as { period?: number }).period ?? NaN;
      rows.push({ impl: task.name, bytes: size, gbPerSec: size / (period / 1000) / 1e9 });
    }
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.table((await runCrc([1024, 65536, 1 << 20], 300)).map((r) => ({ ...r, gbPerSec: +r.gbPerSec.toFixed(3) })));
}
