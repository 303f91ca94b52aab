// `samsa perf produce`: Kafka's producer-perf-test on Samsa's own codec over raw sockets.
//
// Each of --producers connections sends its share of --num-records as Produce v9 requests, one
// batch (built with buildBatch, up to --batch-size bytes) per request, partitions round-robin,
// at most --max-in-flight requests pipelined per connection (Kafka's
// max.in.flight.requests.per.connection, default 5). With --throughput R the records "arrive"
// on a schedule (record i at i/R seconds) and a batch leaves when full or --linger-ms after its
// first record arrived, so latency includes lingering exactly as a real producer's does.
// Latency per record: arrival (the send() call) → acknowledgement (acks=0: → written).
// Payload bytes 0..7: arrival time, int64 big-endian microseconds since the epoch, for
// `perf consume`'s end-to-end latency (the same layout as bench/loadgen).
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiKey } from '../../protocol/generated/api-keys.js';
import type { ProduceResponse } from '../../protocol/generated/messages.js';
import { errorName } from '../../protocol/error-codes.js';
import { buildBatch, type RecordInput } from '../../protocol/record/batch-builder.js';
import type { CompressionName } from '../../protocol/record/layout.js';
import { KafkaConnection } from '../../client/kafka-connection.js';
import { LatencyRecorder, makeReport, ProgressLine, type PerfReport } from './perf-stats.js';
import { ensureTopic, PERF_CONNECTION } from './perf-topic.js';

export interface PerfProduceOptions {
  bootstrap: string;
  topic: string;
  numRecords: number;
  /** Record value; its first 8 bytes are overwritten with the arrival time when it has 8+. */
  payload: Buffer;
  throughput: number;
  acks: -1 | 0 | 1;
  batchSize: number;
  lingerMs: number;
  compression: CompressionName;
  partitions?: number;
  producers: number;
  maxInFlight: number;
  progress: boolean;
}

/** Records per batch so that one batch stays within batchSize (v2 header 61 bytes, ~10 bytes per record). */
export function recordsPerBatch(batchSize: number, recordSize: number): number {
  return Math.max(1, Math.floor((batchSize - 61) / (recordSize + 10)));
}

class Slots {
  #free: number;
  #waiters: Array<() => void> = [];
  constructor(n: number) { this.#free = n; }
  async take(): Promise<void> {
    if (this.#free > 0) { this.#free--; return; }
    await new Promise<void>((resolve) => this.#waiters.push(resolve));
  }
  give(): void {
    const w = this.#waiters.shift();
    if (w) w(); else this.#free++;
  }
}

interface Shared { latency: LatencyRecorder; acked: number; errors: number; firstError: string | null }

async function runProducer(o: PerfProduceOptions, share: number, rate: number, partitions: number, firstPartition: number, s: Shared): Promise<void> {
  const conn = await KafkaConnection.connect(o.bootstrap, PERF_CONNECTION);
  const slots = new Slots(o.maxInFlight);
  const size = o.payload.length;
  const perBatch = recordsPerBatch(o.batchSize, size);
  const t0 = performance.now();
  const wallOrigin = performance.timeOrigin;
  let next = 0;
  let rr = firstPartition;
  const pending: Promise<void>[] = [];
  try {
    while (next < share) {
      let k = Math.min(perBatch, share - next);
      if (rate > 0) {
        const now = performance.now() - t0;
        const arrived = Math.min(share, Math.floor((now * rate) / 1000) + 1) - next;
        if (arrived <= 0) { await sleep(Math.max(0, (next * 1000) / rate - now)); continue; }
        if (arrived < k) {
          const deadline = Math.min(((next + k - 1) * 1000) / rate, (next * 1000) / rate + o.lingerMs);
          if (now < deadline) { await sleep(Math.max(1, deadline - now)); continue; }
          k = arrived;
        }
      }
      await slots.take();
      const arrival = new Float64Array(k);
      const values = Buffer.allocUnsafe(k * size);
      const inputs: RecordInput[] = new Array(k);
      const nowRel = performance.now() - t0;
      for (let j = 0; j < k; j++) {
        const at = rate > 0 ? Math.min(nowRel, ((next + j) * 1000) / rate) : nowRel;
        arrival[j] = at;
        const v = values.subarray(j * size, (j + 1) * size);
        o.payload.copy(v);
        if (size >= 8) v.writeBigInt64BE(BigInt(Math.round((wallOrigin + t0 + at) * 1000)), 0);
        inputs[j] = { value: v };
      }
      next += k;
      const partition = rr++ % partitions;
      const batch = buildBatch(inputs, { compression: o.compression });
      const body = { transactionalId: null, acks: o.acks, timeoutMs: 30_000, topicData: [{ name: o.topic, partitionData: [{ index: partition, records: batch }] }] };
      const done = (err: string | null) => {
        const ackAt = performance.now() - t0;
        if (err !== null) { s.errors += k; s.firstError ??= err; } else {
          s.acked += k;
          for (let j = 0; j < k; j++) s.latency.record(ackAt - arrival[j]!);
        }
        slots.give();
      };
      const p = conn.request<ProduceResponse>(ApiKey.Produce, 9, body, { expectResponse: o.acks !== 0 }).then((res) => {
        const code = o.acks === 0 ? 0 : res.responses[0]?.partitionResponses[0]?.errorCode ?? -1;
        done(code === 0 ? null : `${o.topic}-${partition}: ${errorName(code)}`);
      }, (err: Error) => done(err.message));
      pending.push(p);
      if (pending.length > 4 * o.maxInFlight) pending.splice(0, pending.length - o.maxInFlight);
    }
    await Promise.all(pending);
  } finally {
    conn.close();
  }
}

export async function runPerfProduce(o: PerfProduceOptions): Promise<PerfReport> {
  const admin = await KafkaConnection.connect(o.bootstrap, PERF_CONNECTION);
  let partitions: number;
  try {
    partitions = await ensureTopic(admin, o.topic, o.partitions);
  } finally {
    admin.close();
  }
  const s: Shared = { latency: new LatencyRecorder(o.numRecords), acked: 0, errors: 0, firstError: null };
  const progress = new ProgressLine(o.progress, o.numRecords, o.payload.length, () => ({ count: s.acked, latencyMs: s.latency.recentAvg(1000) }));
  const started = performance.now();
  try {
    const base = Math.floor(o.numRecords / o.producers);
    await Promise.all(Array.from({ length: o.producers }, (_, i) => {
      const share = base + (i < o.numRecords % o.producers ? 1 : 0);
      const rate = o.throughput > 0 ? o.throughput / o.producers : -1;
      return runProducer(o, share, rate, partitions, i, s);
    }));
  } finally {
    progress.stop();
  }
  const seconds = (performance.now() - started) / 1000;
  if (s.firstError) process.stderr.write(`samsa perf: ${s.errors} records failed; first error: ${s.firstError}\n`);
  return makeReport('produce', s.acked, s.acked * o.payload.length, seconds, s.errors, s.latency, {
    topic: o.topic, numRecords: o.numRecords, recordSize: o.payload.length, throughput: o.throughput, acks: o.acks,
    batchSize: o.batchSize, lingerMs: o.lingerMs, compression: o.compression, partitions, producers: o.producers,
    maxInFlight: o.maxInFlight, recordsPerBatch: recordsPerBatch(o.batchSize, o.payload.length),
  });
}
