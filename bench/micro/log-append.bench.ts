// Question: how fast does Log.append go (page cache, and fsync with group commit), and how long
// does it block the event loop? Scenarios run ~2.5 s each: 1 and 64 concurrent appenders of
// 100-record batches (100-byte values, ~12 KiB per batch), durability 'pagecache' and 'fsync'.
// The machine's own limit is measured in the same run: raw sequential writes (fs.write of the
// same buffers) and raw write+fdatasync rounds. Prints a table and writes
// bench/results/log-append-<date>.json. Run: node --import tsx bench/micro/log-append.bench.ts
import fs from 'node:fs';
import os from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { buildBatch } from '../../ts/protocol/record/batch-builder.js';
import { FdCache } from '../../ts/storage/fd-cache.js';
import { logConfigOf } from '../../ts/storage/log-config.js';
import { Log, type Durability } from '../../ts/storage/log.js';

function machine() {
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length,
    memGiB: +(os.totalmem() / 2 ** 30).toFixed(1), kernel: `${os.type()} ${os.release()}`,
    node: process.version, arch: process.arch, loadavg: os.loadavg().map((x) => +x.toFixed(2)),
  };
}

const RECORDS = 100, VALUE = 100, SECONDS = Number(process.env.BENCH_SECONDS ?? 2.5);
const template = buildBatch(Array.from({ length: RECORDS }, (_, i) => ({ key: `key-${i}`, value: Buffer.alloc(VALUE, i) })), { now: Date.now() });

interface Row { scenario: string; appenders: number; appendsPerSec: number; recordsPerSec: number; mbPerSec: number; p50LatencyMs: number; p99LatencyMs: number; loopDelayP99Ms: number; segments: number }

async function scenario(durability: Durability, appenders: number): Promise<Row> {
  const dir = fs.mkdtempSync(os.tmpdir() + '/samsa-bench-');
  const log = await Log.open({ dir, topic: 'bench', partition: 0, config: logConfigOf({ segmentBytes: 64 * 1024 * 1024 }), fdCache: new FdCache(16), durability });
  const h = monitorEventLoopDelay({ resolution: 1 });
  const lat: number[] = [];
  let appends = 0;
  const end = performance.now() + SECONDS * 1000;
  h.enable();
  const started = performance.now();
  await Promise.all(Array.from({ length: appenders }, async () => {
    while (performance.now() < end) {
      const t0 = performance.now();
      await log.append(Buffer.from(template)); // a copy: append stamps offsets into its buffer
      lat.push(performance.now() - t0);
      appends++;
    }
  }));
  const secs = (performance.now() - started) / 1000;
  h.disable();
  lat.sort((a, b) => a - b);
  const segments = log.segments.length;
  await log.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return {
    scenario: `append ${durability}`, appenders, appendsPerSec: Math.round(appends / secs), recordsPerSec: Math.round(appends * RECORDS / secs),
    mbPerSec: +(appends * template.length / secs / 1e6).toFixed(1), p50LatencyMs: +lat[Math.floor(lat.length * 0.5)].toFixed(3),
    p99LatencyMs: +lat[Math.floor(lat.length * 0.99)].toFixed(3), loopDelayP99Ms: +(h.percentile(99) / 1e6).toFixed(2), segments,
  };
}

async function rawLimit(sync: boolean): Promise<Row> {
  const dir = fs.mkdtempSync(os.tmpdir() + '/samsa-bench-');
  const fh = await fs.promises.open(`${dir}/raw`, 'w');
  const end = performance.now() + Math.min(SECONDS, 1.5) * 1000;
  const started = performance.now();
  let n = 0, pos = 0;
  while (performance.now() < end) {
    await fh.write(template, 0, template.length, pos);
    pos += template.length;
    if (sync) await fh.datasync();
    n++;
  }
  const secs = (performance.now() - started) / 1000;
  await fh.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return { scenario: sync ? 'machine: write+fdatasync' : 'machine: sequential write', appenders: 1, appendsPerSec: Math.round(n / secs),
    recordsPerSec: Math.round(n * RECORDS / secs), mbPerSec: +(n * template.length / secs / 1e6).toFixed(1), p50LatencyMs: NaN, p99LatencyMs: NaN, loopDelayP99Ms: NaN, segments: 0 };
}

const rows: Row[] = [];
rows.push(await rawLimit(false));
rows.push(await scenario('pagecache', 1));
rows.push(await scenario('pagecache', 64));
rows.push(await rawLimit(true));
rows.push(await scenario('fsync', 1));
rows.push(await scenario('fsync', 64));
console.table(rows);
const pc = rows[2].mbPerSec / rows[0].mbPerSec, fs64 = rows[5].appendsPerSec / rows[3].appendsPerSec;
console.log(`pagecache x64 vs raw writes: ${pc.toFixed(2)}; fsync x64 appends/s vs raw fdatasync rounds/s: ${fs64.toFixed(2)} (group commit)`);
const out = { bench: 'log-append', date: new Date().toISOString(), machine: machine(), batchBytes: template.length, recordsPerBatch: RECORDS, rows };
const file = new URL(`../results/log-append-${out.date.slice(0, 10)}.json`, import.meta.url);
fs.writeFileSync(file, JSON.stringify(out, null, 2) + '\n');
console.log(`wrote ${file.pathname}`);
