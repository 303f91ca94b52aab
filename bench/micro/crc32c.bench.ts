// Question: how fast is CRC-32C through the addon (SSE4.2, portable table) vs the TS reference,
// at 1 KiB / 64 KiB / 1 MiB? Prints GB/s and writes bench/results/crc32c-<date>.json with the
// machine description. Run: node --import tsx bench/micro/crc32c.bench.ts  (about 10 s)
import fs from 'node:fs';
import os from 'node:os';
import { Bench } from 'tinybench';
import { crc32c, crc32cImplementation, crc32cPortable } from '../../ts/native/crc32c.js';
import { crc32c as crc32cRef } from '../../ts/native/crc32c.ref.js';

function machine() {
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length,
    memGiB: +(os.totalmem() / 2 ** 30).toFixed(1), kernel: `${os.type()} ${os.release()}`,
    node: process.version, arch: process.arch,
  };
}

const sizes = [1024, 64 * 1024, 1024 * 1024];
const impls: Array<[string, (b: Uint8Array) => number]> = [
  [`native (${crc32cImplementation()})`, (b) => crc32c(b)],
  ['native portable', (b) => crc32cPortable(b)],
  ['ts reference', (b) => crc32cRef(b)],
];

const rows: Array<{ impl: string; bytes: number; gbPerSec: number; nsPerOp: number; samples: number }> = [];
for (const size of sizes) {
  const buf = Buffer.alloc(size);
  for (let i = 0; i < size; i++) buf[i] = (i * 31) & 0xff;
  const bench = new Bench({ time: size >= 1024 * 1024 ? 700 : 400, warmupTime: 100 });
  for (const [name, fn] of impls) bench.add(name, () => { fn(buf); });
  await bench.run();
  for (const task of bench.tasks) {
    const r = task.result as { period?: number; latency?: { samplesCount?: number; samples?: number[] } };
    const periodMs = r.period ?? NaN;
    rows.push({ impl: task.name, bytes: size, gbPerSec: +(size / (periodMs / 1000) / 1e9).toFixed(3),
      nsPerOp: Math.round(periodMs * 1e6), samples: r.latency?.samplesCount ?? r.latency?.samples?.length ?? 0 });
  }
}

console.table(rows);
const out = { bench: 'crc32c', date: new Date().toISOString(), machine: machine(), rows };
const file = new URL(`../results/crc32c-${out.date.slice(0, 10)}.json`, import.meta.url);
fs.writeFileSync(file, JSON.stringify(out, null, 2) + '\n');
console.log(`wrote ${file.pathname}`);
