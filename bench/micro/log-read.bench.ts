// Question: how fast does Log.read serve a partition sequentially, (a) as file regions only (what
// a zero-copy fetch needs: offset -> position translation, no bytes read), and (b) read into
// Buffers (readBuffers, what TLS or the embedded API does)? Machine limit in the same run: raw
// 1 MiB preads of the same segment files. ~64 MiB log, 1 MiB fetches. Writes
// bench/results/log-read-<date>.json. Run: node --import tsx bench/micro/log-read.bench.ts
import fs from 'node:fs';
import os from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { buildBatch } from '../../ts/protocol/record/batch-builder.js';
import { FdCache } from '../../ts/storage/fd-cache.js';
import { logConfigOf } from '../../ts/storage/log-config.js';
import { Log } from '../../ts/storage/log.js';

function machine() {
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length,
    memGiB: +(os.totalmem() / 2 ** 30).toFixed(1), kernel: `${os.type()} ${os.release()}`,
    node: process.version, arch: process.arch, loadavg: os.loadavg().map((x) => +x.toFixed(2)),
  };
}

const TOTAL = Number(process.env.BENCH_MB ?? 64) * 1024 * 1024;
const template = buildBatch(Array.from({ length: 100 }, (_, i) => ({ key: `key-${i}`, value: Buffer.alloc(100, i) })), { now: Date.now() });
const dir = fs.mkdtempSync(os.tmpdir() + '/samsa-bench-');
const log = await Log.open({ dir, topic: 'bench', partition: 0, config: logConfigOf({ segmentBytes: 16 * 1024 * 1024 }), fdCache: new FdCache(16) });
const pending: Promise<unknown>[] = [];
for (let written = 0; written < TOTAL; written += template.length) {
  pending.push(log.append(Buffer.from(template)));
  if (pending.length >= 64) await Promise.all(pending.splice(0));
}
await Promise.all(pending);

interface Row { scenario: string; fetches: number; mbPerSec: number; fetchesPerSec: number; loopDelayP99Ms: number }

async function pass(name: string, fn: (offset: number) => Promise<{ bytes: number; next: number }>): Promise<Row> {
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  const t0 = performance.now();
  let offset = 0, bytes = 0, fetches = 0;
  while (offset < log.highWatermark) {
    const r = await fn(offset);
    bytes += r.bytes; offset = r.next; fetches++;
  }
  const secs = (performance.now() - t0) / 1000;
  h.disable();
  return { scenario: name, fetches, mbPerSec: +(bytes / secs / 1e6).toFixed(1), fetchesPerSec: Math.round(fetches / secs), loopDelayP99Ms: +(h.percentile(99) / 1e6).toFixed(2) };
}

const nextOffsetAfter = (buf: Buffer, regionEnd: number): number => {
  // last batch header in buf: walk batches
  let pos = 0, last = -1;
  while (pos < regionEnd) { last = buf.readInt32BE(pos) * 4294967296 + buf.readUInt32BE(pos + 4) + buf.readInt32BE(pos + 23); pos += buf.readInt32BE(pos + 8) + 12; }
  return last + 1;
};

const rows: Row[] = [];
rows.push(await pass('readBuffers (1 MiB fetches)', async (o) => {
  const r = await log.readBuffers(o, { maxBytes: 1024 * 1024 });
  return { bytes: r.buffer.length, next: nextOffsetAfter(r.buffer, r.buffer.length) };
}));
const perBatch = 100;
rows.push(await pass('read regions only (zero-copy plan)', async (o) => {
  const r = await log.read(o, { maxBytes: 1024 * 1024 });
  const region = r.records[0];
  region.release();
  return { bytes: region.length, next: o + Math.round(region.length / template.length) * perBatch };
}));
{
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.log')).sort();
  const buf = Buffer.allocUnsafe(1024 * 1024);
  const t0 = performance.now();
  let bytes = 0, n = 0;
  for (const f of files) {
    const fd = fs.openSync(`${dir}/${f}`, 'r');
    for (;;) { const k = await new Promise<number>((res, rej) => fs.read(fd, buf, 0, buf.length, bytes === 0 ? 0 : null, (e, c) => (e ? rej(e) : res(c)))); if (k === 0) break; bytes += k; n++; }
    fs.closeSync(fd);
  }
  const secs = (performance.now() - t0) / 1000;
  rows.unshift({ scenario: 'machine: 1 MiB preads', fetches: n, mbPerSec: +(bytes / secs / 1e6).toFixed(1), fetchesPerSec: Math.round(n / secs), loopDelayP99Ms: NaN });
}
await log.close();
fs.rmSync(dir, { recursive: true, force: true });
console.table(rows);
console.log(`readBuffers vs raw preads: ${(rows[1].mbPerSec / rows[0].mbPerSec).toFixed(2)}`);
const out = { bench: 'log-read', date: new Date().toISOString(), machine: machine(), logBytes: TOTAL, rows };
const file = new URL(`../results/log-read-${out.date.slice(0, 10)}.json`, import.meta.url);
fs.writeFileSync(file, JSON.stringify(out, null, 2) + '\n');
console.log(`wrote ${file.pathname}`);
