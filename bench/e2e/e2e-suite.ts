// The end-to-end suite: Samsa's produce and consume against the machine's own limits and the
// librdkafka mock cluster, all in the same run, `runs` times each (the runner takes medians).
//
// One run measures, with 1 KiB records (config.recordSize) and config.batchSize-byte batches:
//   produce.limit     bench/limits/produce_limit: loopback TCP → append to a file, chunk = batch
//   produce.samsa.ts  `samsa perf produce` (TS codec, raw sockets), acks=1, unlimited rate
//   produce.samsa.rdk bench/loadgen (librdkafka) → the Samsa broker, same options
//   produce.samsa.raw bench/loadgen/rawload (plain C: one pre-encoded Produce v7 sent over and
//                     over, 5 in flight), same records and batch size; latency per request
//   produce.mock.rdk  bench/loadgen → librdkafka's mock cluster (in-memory C broker)
//   fetch.limit       bench/limits/fetch_limit: sendfile() from page cache, chunk = partition max
//   consume.samsa.ts / .rdk / .raw  the records just produced, read back from page cache
//                     (raw: Fetch v11, one in flight, partition max = config.partitionMaxBytes)
//   latency.half      samsa-rawload --throughput <half the best produce rate of ts/rdk/raw>:
//                     send→ack per request, p50..max (the issue-7 latency target)
//   latency.half.ts   `samsa perf produce --throughput <half the best of ts/rdk>`: per record,
//                     so it includes the TS client's own batching (linger, batch fill)
//   size.<bytes>      `samsa perf produce` MB/s per record size (the throughput-vs-size plot)
// The broker runs in its own process (`samsa start`), restarted and warmed up for every run.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadgen, native, NATIVE_BUILD, perfCli, rawload, startBrokerProcess } from './processes.js';

export interface E2eConfig {
  numRecords: number;
  recordSize: number;
  batchSize: number;
  partitionMaxBytes: number;
  sizes: number[];
  sizeBytes: number;
  seed: number;
}

export type Sample = Record<string, number>;

const num = (v: unknown) => (typeof v === 'number' ? v : NaN);

function perfArgs(c: E2eConfig, bootstrap: string, topic: string, extra: string[] = []): string[] {
  return ['produce', '--bootstrap-server', bootstrap, '--topic', topic, '--num-records', String(c.numRecords), '--record-size',
    String(c.recordSize), '--acks', '1', '--batch-size', String(c.batchSize), '--linger-ms', '5', '--partitions', '1', '--seed', String(c.seed), ...extra];
}

function loadgenArgs(c: E2eConfig, topic: string, n = c.numRecords): string[] {
  return ['--topic', topic, '--num-records', String(n), '--record-size', String(c.recordSize), '--acks', '1',
    '--batch-size', String(c.batchSize), '--linger-ms', '5', '--partitions', '1'];
}

function rawArgs(c: E2eConfig, bootstrap: string, topic: string, extra: string[] = []): string[] {
  return ['--mode', 'produce', '--bootstrap-server', bootstrap, '--topic', topic, '--num-records', String(c.numRecords), '--record-size',
    String(c.recordSize), '--acks', '1', '--batch-size', String(c.batchSize), '--partitions', '1', ...extra];
}

function latency(prefix: string, r: Record<string, unknown>, out: Sample): void {
  const l = r.latencyMs as Record<string, number>;
  for (const k of ['avg', 'p50', 'p95', 'p99', 'p999', 'max']) out[`${prefix}.${k}`] = l[k]!;
}

/** One run of the suite; `log` gets a line per step. */
export async function runE2eOnce(c: E2eConfig, runIndex: number, log: (s: string) => void): Promise<Sample> {
  const s: Sample = {};
  const bytes = c.numRecords * c.recordSize;
  const hasLoadgen = existsSync(join(NATIVE_BUILD, 'samsa-loadgen'));
  const hasRaw = existsSync(join(NATIVE_BUILD, 'samsa-rawload'));

  s['produce.limit.mbPerSec'] = num((await native('produce_limit', ['--bytes', String(bytes), '--chunk', String(c.batchSize)])).mbPerSec);
  log(`produce limit ${s['produce.limit.mbPerSec']} MB/s`);
  s['fetch.limit.mbPerSec'] = num((await native('fetch_limit', ['--bytes', String(bytes), '--chunk', String(c.partitionMaxBytes)])).mbPerSec);
  log(`fetch limit ${s['fetch.limit.mbPerSec']} MB/s`);

  const broker = await startBrokerProcess();
  try {
    // Warm-up: a fresh broker process runs its produce and fetch paths unoptimised at first;
    // whichever client went first would pay for that. 20k records through both paths, unmeasured.
    const warm = ['--bootstrap-server', broker.bootstrap, '--topic', `e2e-warmup-${runIndex}`, '--num-records', '20000'];
    await perfCli(['produce', ...warm, '--record-size', String(c.recordSize), '--batch-size', String(c.batchSize), '--partitions', '1']);
    await perfCli(['consume', ...warm, '--partition-max-bytes', String(c.partitionMaxBytes)]);
    const ts = await perfCli(perfArgs(c, broker.bootstrap, `e2e-ts-${runIndex}`));
    s['produce.samsa.ts.mbPerSec'] = num(ts.mbPerSec);
    s['produce.samsa.ts.recordsPerSec'] = num(ts.recordsPerSec);
    latency('produce.samsa.ts.latencyMs', ts, s);
    log(`samsa produce (TS client) ${ts.mbPerSec} MB/s`);
    const cts = await perfCli(['consume', '--bootstrap-server', broker.bootstrap, '--topic', `e2e-ts-${runIndex}`, '--num-records',
      String(c.numRecords), '--partition-max-bytes', String(c.partitionMaxBytes)]);
    s['consume.samsa.ts.mbPerSec'] = num(cts.mbPerSec);
    log(`samsa consume (TS client) ${cts.mbPerSec} MB/s`);

    if (hasLoadgen) {
      const [p] = await loadgen(['--bootstrap-server', broker.bootstrap, '--mode', 'produce', ...loadgenArgs(c, `e2e-rdk-${runIndex}`)]);
      s['produce.samsa.rdk.mbPerSec'] = num(p!.mbPerSec);
      s['produce.samsa.rdk.recordsPerSec'] = num(p!.recordsPerSec);
      log(`samsa produce (librdkafka) ${p!.mbPerSec} MB/s`);
      const [cr] = await loadgen(['--bootstrap-server', broker.bootstrap, '--mode', 'consume', '--topic', `e2e-rdk-${runIndex}`, '--num-records', String(c.numRecords)]);
      s['consume.samsa.rdk.mbPerSec'] = num(cr!.mbPerSec);
      log(`samsa consume (librdkafka) ${cr!.mbPerSec} MB/s`);
    }

    if (hasRaw) {
      const p = await rawload(rawArgs(c, broker.bootstrap, `e2e-raw-${runIndex}`));
      s['produce.samsa.raw.mbPerSec'] = num(p.mbPerSec);
      s['produce.samsa.raw.recordsPerSec'] = num(p.recordsPerSec);
      latency('produce.samsa.raw.latencyMs', p, s);
      log(`samsa produce (raw C client) ${p.mbPerSec} MB/s`);
      const cr = await rawload(['--mode', 'consume', '--bootstrap-server', broker.bootstrap, '--topic', `e2e-raw-${runIndex}`, '--num-records',
        String(c.numRecords), '--record-size', String(c.recordSize), '--partition-max-bytes', String(c.partitionMaxBytes)]);
      s['consume.samsa.raw.mbPerSec'] = num(cr.mbPerSec);
      log(`samsa consume (raw C client) ${cr.mbPerSec} MB/s`);
    }

    // The TS client's latency row keeps its old rate (half of what the TS/librdkafka clients
    // reach): at half of the raw client's rate the TS client could not keep up.
    const bestTs = Math.max(s['produce.samsa.ts.recordsPerSec'], s['produce.samsa.rdk.recordsPerSec'] ?? 0);
    const halfTs = Math.max(1, Math.round(bestTs / 2));
    const latTs = await perfCli(perfArgs(c, broker.bootstrap, `e2e-half-ts-${runIndex}`, ['--throughput', String(halfTs)]));
    s['latency.half.ts.rate'] = halfTs;
    s['latency.half.ts.achievedRecordsPerSec'] = num(latTs.recordsPerSec);
    latency('latency.half.ts.ms', latTs, s);
    log(`produce at half peak, TS client (${halfTs} records/s): p99 ${(latTs.latencyMs as Record<string, number>).p99} ms`);
    if (hasRaw) {
      const half = Math.max(1, Math.round(Math.max(bestTs, s['produce.samsa.raw.recordsPerSec'] ?? 0) / 2));
      const lat = await rawload(rawArgs(c, broker.bootstrap, `e2e-half-${runIndex}`, ['--throughput', String(half)]));
      s['latency.half.rate'] = half;
      s['latency.half.achievedRecordsPerSec'] = num(lat.recordsPerSec);
      latency('latency.half.ms', lat, s);
      log(`produce at half peak, raw client (${half} records/s): p99 ${(lat.latencyMs as Record<string, number>).p99} ms`);
    }

    for (const size of c.sizes) {
      const n = Math.max(1000, Math.floor(c.sizeBytes / size));
      const r = await perfCli(['produce', '--bootstrap-server', broker.bootstrap, '--topic', `e2e-size-${size}-${runIndex}`, '--num-records', String(n),
        '--record-size', String(size), '--batch-size', String(Math.max(c.batchSize, size + 128)), '--partitions', '1', '--seed', String(c.seed)]);
      s[`size.${size}.mbPerSec`] = num(r.mbPerSec);
      s[`size.${size}.recordsPerSec`] = num(r.recordsPerSec);
    }
    log(`throughput by record size: ${c.sizes.map((z) => `${z} B ${s[`size.${z}.mbPerSec`]} MB/s`).join(', ')}`);
  } finally {
    await broker.stop();
  }

  if (hasLoadgen) {
    const [m] = await loadgen(['--mock', '1', '--mode', 'produce', ...loadgenArgs(c, 'e2e-mock')]);
    s['produce.mock.rdk.mbPerSec'] = num(m!.mbPerSec);
    log(`mock cluster produce (librdkafka) ${m!.mbPerSec} MB/s`);
  }
  return s;
}
