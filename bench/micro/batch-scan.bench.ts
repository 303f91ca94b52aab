// Question: what does validating a 1 MiB produce request of 1 KiB-record batches cost, native
// scanBatches vs the TS reference? (produce mode: CRC + header checks + record framing walk; and
// produce + offset assignment). Writes bench/results/batch-scan-<date>.json with the machine.
// Run: node --import tsx bench/micro/batch-scan.bench.ts  (about 5 s)
import fs from 'node:fs';
import os from 'node:os';
import { Bench } from 'tinybench';
import { scanBatches } from '../../ts/native/batch-scan.js';
import { scanBatches as scanRef } from '../../ts/native/batch-scan.ref.js';
import { buildFixtureBatch } from '../../ts/native/batch-fixtures.js';

function machine() {
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length,
    memGiB: +(os.totalmem() / 2 ** 30).toFixed(1), kernel: `${os.type()} ${os.release()}`,
    node: process.version, arch: process.arch,
  };
}

// 16 records of 1 KiB per batch (~16.5 KiB batches), up to 1 MiB.
const batch = buildFixtureBatch({ values: Array.from({ length: 16 }, () => 1024) });
const parts: Buffer[] = [];
for (let size = 0; size + batch.length <= 1024 * 1024; size += batch.length) parts.push(batch);
const buf = Buffer.concat(parts);
const batches = parts.length;
const records = batches * 16;
if (!scanBatches(buf, { mode: 'produce' }).ok || !scanRef(buf, { mode: 'produce' }).ok) {
  throw new Error('fixture does not validate');
}

const bench = new Bench({ time: 800, warmupTime: 100 });
bench
  .add('native produce', () => { scanBatches(buf, { mode: 'produce' }); })
  .add('native produce + assign', () => { scanBatches(buf, { mode: 'produce', assignBaseOffset: 1, leaderEpoch: 3 }); })
  .add('native replica', () => { scanBatches(buf, { mode: 'replica' }); })
  .add('ts ref produce', () => { scanRef(buf, { mode: 'produce' }); });
await bench.run();

const rows = bench.tasks.map((task) => {
  const periodMs = (task.result as { period?: number }).period ?? NaN;
  return { impl: task.name, bytes: buf.length, batches, records, usPerScan: +(periodMs * 1000).toFixed(1),
    gbPerSec: +(buf.length / (periodMs / 1000) / 1e9).toFixed(3) };
});
console.table(rows);
const out = { bench: 'batch-scan', date: new Date().toISOString(), machine: machine(), rows };
const file = new URL(`../results/batch-scan-${out.date.slice(0, 10)}.json`, import.meta.url);
fs.writeFileSync(file, JSON.stringify(out, null, 2) + '\n');
console.log(`wrote ${file.pathname}`);
