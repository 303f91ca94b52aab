// Does heavy compressed produce keep the broker's event loop responsive? An in-process broker
// (startBroker) takes a stream of large compressed Produce requests while
// perf_hooks.monitorEventLoopDelay samples the broker process's event loop. Two workloads:
//   validate    zstd batches to a compression.type=producer topic (decompress + check records);
//   recompress  gzip batches to a compression.type=zstd topic (decompress, check, compress zstd);
//   baseline    uncompressed batches of the same records (no codec work at all: what the loop
//               delay is on this machine from the rest of the produce path and other load);
// the two codec workloads each with the produce work on the worker pool (batches > INLINE_MAX_BYTES, the default) and
// forced inline (setProduceInlineMaxBytes(Infinity)). The load comes from a worker thread that
// replays pre-encoded Produce frames on 4 connections (at most 8 in flight each), so the client
// costs the broker's event loop nothing: first at a FIXED offered rate every mode sustains (the
// fair comparison of loop delay: same work per second), then saturated (as fast as acks come). Reports event-loop delay p50/p99/max (ms), produce throughput,
// and checks that every acknowledged record is in the log. Node's histogram samples whole timer
// intervals, so every figure includes the 1 ms sampling resolution (an idle loop reads ~1 ms).
// On a shared machine the figures are noisy: compare modes within one run, and the baseline. Writes
// bench/results/compressed-produce-loop-<date>.json with the machine description.
// Run: node --import tsx bench/e2e/compressed-produce-loop.bench.ts [seconds per run, default 2]
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem, arch, platform, release } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { startBroker } from '../../ts/index.js';
import { destroyWorkerPool, workerPoolSize } from '../../ts/pool/pool.js';
import { INLINE_MAX_BYTES, setProduceInlineMaxBytes } from '../../ts/pool/produce-validation.js';
import { ApiKey } from '../../ts/protocol/generated/api-keys.js';
import { encodeRequest } from '../../ts/protocol/messages-io.js';
import { buildBatch } from '../../ts/protocol/record/batch-builder.js';

const SECONDS = Number(process.argv[2] ?? 2);
const CONNECTIONS = 4, IN_FLIGHT = 8, RECORDS = 400, DISTINCT_FRAMES = 24;
/** Offered load for the fixed-rate runs: 120 requests/s = 48,000 records/s (every mode keeps up). */
const FIXED_FRAMES_PER_SEC = 120;

// Replays frames round robin on each connection, keeping IN_FLIGHT requests outstanding, until
// told to stop; counts responses. Plain JS: it runs in a worker thread without a TS loader.
const LOADER = `
const net = require('node:net');
const { parentPort, workerData } = require('node:worker_threads');
const { port, frames, connections, inFlight, framesPerSec } = workerData;
let stop = false, responses = 0, open = connections;
const finishers = [];
parentPort.on('message', () => { stop = true; for (const f of finishers) f(); });
for (let c = 0; c < connections; c++) {
  const s = net.connect(port, '127.0.0.1');
  let pending = 0, next = c, buf = Buffer.alloc(0), budget = 0, ready = false;
  const send = () => {
    while (!stop && ready && pending < inFlight && budget >= 1) { s.write(frames[next++ % frames.length]); pending++; budget--; }
  };
  // Open loop at framesPerSec over all connections (0 = as fast as responses allow).
  const tick = setInterval(() => {
    budget = framesPerSec > 0 ? Math.min(inFlight, budget + framesPerSec / connections / 100) : inFlight;
    send();
  }, 10);
  s.on('connect', () => { ready = true; send(); });
  s.on('data', (d) => {
    buf = buf.length ? Buffer.concat([buf, d]) : d;
    while (buf.length >= 4 && buf.length >= 4 + buf.readInt32BE(0)) { buf = buf.subarray(4 + buf.readInt32BE(0)); pending--; responses++; }
    if (framesPerSec === 0) budget = inFlight;
    if (stop && pending === 0) { clearInterval(tick); s.end(); } else send();
  });
  // An idle connection (nothing in flight) ends at once on stop; a busy one after its last response.
  finishers.push(() => { if (pending === 0) { clearInterval(tick); s.end(); } });
  s.on('close', () => { clearInterval(tick); if (--open === 0) parentPort.postMessage({ responses }); });
}`;

function words(seed: number, n: number): string {
  const vocab = ['order', 'shipped', 'customer', 'invoice', 'amount', 'currency', 'EUR', 'USD', 'warehouse', 'berlin', 'paris', 'status', 'pending', 'ok'];
  let x = seed, out = '';
  for (let i = 0; i < n; i++) { x = (x * 1103515245 + 12345) & 0x7fffffff; out += vocab[x % vocab.length] + (x % 97) + ' '; }
  return out;
}

function frames(topic: string, codec: 'zstd' | 'gzip' | 'none'): { frames: Buffer[]; batchBytes: number } {
  const out: Buffer[] = [];
  let batchBytes = 0;
  for (let f = 0; f < DISTINCT_FRAMES; f++) {
    const batch = buildBatch(Array.from({ length: RECORDS }, (_, i) => ({ key: `k-${f}-${i}`, value: words(f * RECORDS + i, 30) })), { compression: codec });
    batchBytes += batch.length;
    out.push(encodeRequest(ApiKey.Produce, 9, f, 'bench', { transactionalId: null, acks: 1, timeoutMs: 30000,
      topicData: [{ name: topic, partitionData: [{ index: 0, records: batch }] }] }));
  }
  return { frames: out, batchBytes: Math.round(batchBytes / DISTINCT_FRAMES) };
}

interface RunResult {
  workload: string; mode: 'pool' | 'inline'; load: 'saturated' | 'fixed'; offeredRecordsPerSec: number | null; seconds: number; requests: number; records: number; recordsPerSec: number;
  compressedMBps: number; batchBytes: number; loopDelayMs: { p50: number; p99: number; max: number; mean: number };
}

type Workload = 'baseline' | 'validate' | 'recompress';
async function run(workload: Workload, mode: 'pool' | 'inline', framesPerSec: number): Promise<RunResult> {
  setProduceInlineMaxBytes(mode === 'inline' ? Infinity : INLINE_MAX_BYTES);
  const broker = await startBroker({ config: { 'num.partitions': 1 } });
  try {
    const topic = `bench-${workload}`;
    const codec = workload === 'validate' ? 'zstd' : workload === 'recompress' ? 'gzip' : 'none';
    const { createKafkajs } = await import('../../ts/testing/kafkajs-client.js');
    const admin = createKafkajs(broker.bootstrap).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1, configEntries: [{ name: 'compression.type', value: workload === 'recompress' ? 'zstd' : 'producer' }] }] });
    await admin.disconnect();
    const f = frames(topic, codec);
    const h = monitorEventLoopDelay({ resolution: 1 });
    const worker = new Worker(LOADER, { eval: true, workerData: { port: broker.port, frames: f.frames, connections: CONNECTIONS, inFlight: IN_FLIGHT, framesPerSec } });
    const done = new Promise<{ responses: number }>((resolve, reject) => { worker.once('message', resolve); worker.once('error', reject); });
    // Warm-up: connections open, pool threads started (each loads its modules), first acks back.
    const logOf = () => broker.broker.logManager.getLog(topic, 0)!;
    for (const t = Date.now(); logOf().logEndOffset < CONNECTIONS * IN_FLIGHT * RECORDS; ) {
      if (Date.now() - t > 60_000) throw new Error(`${workload}/${mode}: no produce acknowledged within 60 s`);
      await new Promise((r) => setTimeout(r, 50));
    }
    await new Promise((r) => setTimeout(r, 300));
    h.enable();
    const t0 = performance.now();
    const leo0 = broker.broker.logManager.getLog(topic, 0)!.logEndOffset;
    await new Promise((r) => setTimeout(r, SECONDS * 1000));
    const leo1 = broker.broker.logManager.getLog(topic, 0)!.logEndOffset;
    const secs = (performance.now() - t0) / 1000;
    h.disable();
    worker.postMessage('stop');
    const { responses } = await done;
    await worker.terminate();
    const log = broker.broker.logManager.getLog(topic, 0)!;
    if (log.logEndOffset !== responses * RECORDS) throw new Error(`${workload}/${mode}: ${responses} acks × ${RECORDS} records but log end offset ${log.logEndOffset} (a produce failed)`);
    const records = leo1 - leo0;
    const ms = (ns: number) => Math.round(ns / 1e4) / 100;
    return {
      workload, mode, load: framesPerSec === 0 ? 'saturated' : 'fixed', offeredRecordsPerSec: framesPerSec === 0 ? null : framesPerSec * RECORDS, seconds: Math.round(secs * 100) / 100, requests: responses, records, recordsPerSec: Math.round(records / secs),
      compressedMBps: Math.round(((records / RECORDS) * f.batchBytes) / secs / 1e4) / 100, batchBytes: f.batchBytes,
      loopDelayMs: { p50: ms(h.percentile(50)), p99: ms(h.percentile(99)), max: ms(h.max), mean: ms(h.mean) },
    };
  } finally {
    await broker.close();
  }
}

const results: RunResult[] = [];
for (const rate of [FIXED_FRAMES_PER_SEC, 0]) {
  for (const workload of ['baseline', 'validate', 'recompress'] as const) {
    for (const mode of workload === 'baseline' ? ['pool'] as const : ['pool', 'inline'] as const) {
      const r = await run(workload, mode, rate);
      results.push(r);
      console.log(`${r.load.padEnd(9)} ${workload.padEnd(10)} ${mode.padEnd(6)} loop delay p50 ${r.loopDelayMs.p50} ms  p99 ${r.loopDelayMs.p99} ms  max ${r.loopDelayMs.max} ms | ${r.recordsPerSec} rec/s, ${r.compressedMBps} MB/s compressed (batch ${r.batchBytes} B)`);
    }
  }
}
setProduceInlineMaxBytes(INLINE_MAX_BYTES);
await destroyWorkerPool();

const c = cpus();
const doc = {
  bench: 'compressed-produce-loop', date: new Date().toISOString(),
  machine: { cpu: c[0]?.model, cores: c.length, poolThreads: workerPoolSize(), memGB: Math.round(totalmem() / 2 ** 30), os: `${platform()} ${release()} ${arch()}`, node: process.version, loadavgAtEnd: loadavg().map((x) => Math.round(x * 100) / 100) },
  config: { secondsPerRun: SECONDS, fixedRecordsPerSec: FIXED_FRAMES_PER_SEC * RECORDS, connections: CONNECTIONS, inFlightPerConnection: IN_FLIGHT, recordsPerBatch: RECORDS, inlineMaxBytes: INLINE_MAX_BYTES },
  results,
};
mkdirSync(new URL('../results/', import.meta.url), { recursive: true });
const out = new URL(`../results/compressed-produce-loop-${doc.date.slice(0, 10)}.json`, import.meta.url);
writeFileSync(out, JSON.stringify(doc, null, 2) + '\n');
console.log(`wrote ${out.pathname}`);
