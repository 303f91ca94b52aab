// Latency recording and the report every `samsa perf` mode and the C load generator share.
//
// Report shape (JSON, MB = 1e6 bytes of record values, as Kafka's perf tools count):
//   { tool, mode, records, bytes, seconds, recordsPerSec, mbPerSec, errors,
//     latencyMs: { avg, p50, p95, p99, p999, max }, config }
// Percentiles are nearest-rank over every recorded sample (no histogram bucketing): the sample
// array holds one float64 per record, 8 MB per million records.

export interface LatencySummary { avg: number; p50: number; p95: number; p99: number; p999: number; max: number }

export interface PerfReport {
  tool: string;
  mode: 'produce' | 'consume';
  records: number;
  bytes: number;
  seconds: number;
  recordsPerSec: number;
  mbPerSec: number;
  errors: number;
  latencyMs: LatencySummary;
  config?: Record<string, unknown>;
}

export class LatencyRecorder {
  #samples: Float64Array;
  #count = 0;
  constructor(capacity: number) { this.#samples = new Float64Array(Math.max(1, capacity)); }

  get count(): number { return this.#count; }

  record(ms: number): void {
    if (this.#count === this.#samples.length) {
      const bigger = new Float64Array(this.#samples.length * 2);
      bigger.set(this.#samples);
      this.#samples = bigger;
    }
    this.#samples[this.#count++] = ms;
  }

  /** Running mean of the last `n` samples (for the progress line). */
  recentAvg(n: number): number {
    const from = Math.max(0, this.#count - n);
    let s = 0;
    for (let i = from; i < this.#count; i++) s += this.#samples[i]!;
    return this.#count > from ? s / (this.#count - from) : 0;
  }

  summary(): LatencySummary {
    const n = this.#count;
    if (n === 0) return { avg: 0, p50: 0, p95: 0, p99: 0, p999: 0, max: 0 };
    const s = this.#samples.slice(0, n).sort();
    let sum = 0;
    for (let i = 0; i < n; i++) sum += s[i]!;
    const at = (p: number) => round3(s[Math.min(n - 1, Math.round(p * (n - 1)))]!);
    return { avg: round3(sum / n), p50: at(0.5), p95: at(0.95), p99: at(0.99), p999: at(0.999), max: round3(s[n - 1]!) };
  }
}

export function round3(x: number): number { return Math.round(x * 1000) / 1000; }

export function makeReport(mode: PerfReport['mode'], records: number, bytes: number, seconds: number, errors: number,
  latency: LatencyRecorder, config: Record<string, unknown>): PerfReport {
  const secs = Math.max(seconds, 1e-9);
  return {
    tool: 'samsa-perf', mode, records, bytes, seconds: round3(seconds),
    recordsPerSec: Math.round((records / secs) * 10) / 10, mbPerSec: round3(bytes / secs / 1e6),
    errors, latencyMs: latency.summary(), config,
  };
}

/** Kafka-perf-style one-line summary. */
export function formatReport(r: PerfReport): string {
  const l = r.latencyMs;
  const what = r.mode === 'produce' ? 'send→ack' : 'produce→consume';
  return `${r.records} records ${r.mode === 'produce' ? 'sent' : 'consumed'}, ${r.recordsPerSec.toFixed(1)} records/sec ` +
    `(${r.mbPerSec.toFixed(2)} MB/sec), ${l.avg.toFixed(2)} ms avg latency, ${l.max.toFixed(2)} ms max latency, ` +
    `${l.p50.toFixed(2)} ms 50th, ${l.p95.toFixed(2)} ms 95th, ${l.p99.toFixed(2)} ms 99th, ${l.p999.toFixed(2)} ms 99.9th ` +
    `(${what})${r.errors ? `, ${r.errors} errors` : ''}`;
}

/**
 * Live progress on stderr, once a second: records so far, the rate over the last interval and
 * the recent average latency. `enabled` is false unless stderr is a TTY or --progress was given.
 */
export class ProgressLine {
  #timer: NodeJS.Timeout | null = null;
  #lastCount = 0;
  #lastTime = performance.now();
  constructor(enabled: boolean, private readonly total: number, private readonly recordSize: number,
    private readonly sample: () => { count: number; latencyMs: number }) {
    if (!enabled) return;
    this.#timer = setInterval(() => this.#tick(), 1000);
    this.#timer.unref();
  }

  #tick(): void {
    const now = performance.now();
    const { count, latencyMs } = this.sample();
    const rate = (count - this.#lastCount) / ((now - this.#lastTime) / 1000);
    this.#lastCount = count;
    this.#lastTime = now;
    const pct = this.total > 0 ? Math.min(100, (100 * count) / this.total) : 0;
    const bar = '#'.repeat(Math.round(pct / 5)).padEnd(20, '.');
    const tty = process.stderr.isTTY;
    process.stderr.write(`${tty ? '\r' : ''}[${bar}] ${pct.toFixed(0).padStart(3)}% ${count} records, ` +
      `${rate.toFixed(0)} records/s (${((rate * this.recordSize) / 1e6).toFixed(1)} MB/s), ${latencyMs.toFixed(2)} ms avg latency${tty ? '   ' : '\n'}`);
  }

  stop(): void {
    if (this.#timer === null) return;
    clearInterval(this.#timer);
    this.#timer = null;
    if (process.stderr.isTTY) process.stderr.write('\n');
  }
}
