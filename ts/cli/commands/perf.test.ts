import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBroker, type BrokerHandle } from '../../server/start-broker.js';
import { KafkaConnection } from '../../client/kafka-connection.js';
import { runPerfProduce } from '../perf/perf-produce.js';
import { runPerfConsume } from '../perf/perf-consume.js';
import { ensureTopic, listOffsets } from '../perf/perf-topic.js';
import type { PerfReport } from '../perf/perf-stats.js';
import { seededPayload } from './perf.js';

const mainTs = fileURLToPath(new URL('../main.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'samsa-'));
let broker: BrokerHandle;

/** Runs a program to completion (killed after 25 s) and collects its output. */
function run(bin: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 25_000);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
  });
}

const cli = (args: string[]) => run(process.execPath, ['--import', 'tsx', mainTs, ...args]);

async function endOffsets(topic: string): Promise<number[]> {
  const conn = await KafkaConnection.connect(broker.bootstrap);
  try {
    const n = await ensureTopic(conn, topic, undefined);
    return await listOffsets(conn, topic, n, -1);
  } finally {
    conn.close();
  }
}

function assertShape(r: PerfReport, mode: string, records: number, bytes: number): void {
  assert.is(r.tool, 'samsa-perf');
  assert.is(r.mode, mode);
  assert.is(r.records, records);
  assert.is(r.bytes, bytes);
  assert.is(r.errors, 0);
  assert.ok(r.seconds > 0 && r.recordsPerSec > 0 && r.mbPerSec > 0, JSON.stringify(r));
  assert.equal(Object.keys(r.latencyMs), ['avg', 'p50', 'p95', 'p99', 'p999', 'max']);
  const l = r.latencyMs;
  assert.ok(l.p50 >= 0 && l.p50 <= l.p95 && l.p95 <= l.p99 && l.p99 <= l.p999 && l.p999 <= l.max, JSON.stringify(l));
}

test.before(async () => { broker = await startBroker(); });
test.after(async () => { await broker.close(); rmSync(dir, { recursive: true, force: true }); });

test('perf produce (CLI): creates the topic, sends every record, writes the JSON report', async () => {
  const json = join(dir, 'produce.json');
  const r = await cli(['perf', 'produce', '--bootstrap-server', broker.bootstrap, '--topic', 'perf-a', '--num-records', '3000',
    '--record-size', '100', '--partitions', '3', '--batch-size', '2048', '--json', json]);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /^3000 records sent, [\d.]+ records\/sec \([\d.]+ MB\/sec\), .* 99\.9th \(send→ack\)\n$/);
  const report = JSON.parse(readFileSync(json, 'utf8')) as PerfReport;
  assertShape(report, 'produce', 3000, 300_000);
  assert.is(report.config!.partitions, 3);
  assert.is(report.config!.seed, 42);
  const ends = await endOffsets('perf-a');
  assert.is(ends.length, 3);
  assert.is(ends.reduce((a, b) => a + b, 0), 3000);
  assert.ok(ends.every((e) => e > 0), `batches go round-robin: ${ends}`);
});

test('perf consume (CLI): reads them back with end-to-end latency from the payload', async () => {
  const json = join(dir, 'consume.json');
  const r = await cli(['perf', 'consume', '--bootstrap-server', broker.bootstrap, '--topic', 'perf-a', '--num-records', '3000', '--json', json]);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /^3000 records consumed, .*\(produce→consume\)\n$/);
  const report = JSON.parse(readFileSync(json, 'utf8')) as PerfReport;
  assertShape(report, 'consume', 3000, 300_000);
  assert.ok(report.latencyMs.avg > 0, 'every 100-byte value carries its send time');
});

test('perf produce (API): producers share the records; throttled, acks=all, lz4; payload stamped with the send time', async () => {
  const payload = seededPayload(64, 7);
  const before = Date.now();
  const report = await runPerfProduce({
    bootstrap: broker.bootstrap, topic: 'perf-b', numRecords: 1001, payload, throughput: 5000, acks: -1, batchSize: 1024,
    lingerMs: 2, compression: 'lz4', partitions: 2, producers: 2, maxInFlight: 3, progress: false,
  });
  assertShape(report, 'produce', 1001, 1001 * 64);
  assert.ok(report.seconds >= 0.15, `1001 records at 5000/s take about 0.2 s, took ${report.seconds}`);
  assert.is((await endOffsets('perf-b')).reduce((a, b) => a + b, 0), 1001);
  const consumed = await runPerfConsume({ bootstrap: broker.bootstrap, topic: 'perf-b', numRecords: 1001, fetchMaxBytes: 1 << 20,
    partitionMaxBytes: 1 << 16, timeoutMs: 5000, fromLatest: false, progress: false });
  assertShape(consumed, 'consume', 1001, 1001 * 64);
  // End-to-end latency is receive time minus the stamp: bounded by the time since the test began.
  assert.ok(consumed.latencyMs.max <= Date.now() - before + 50, JSON.stringify(consumed.latencyMs));
});

test('perf consume stops at --timeout with fewer records and exits 1; usage errors exit 2', async () => {
  const r = await cli(['perf', 'consume', '--bootstrap-server', broker.bootstrap, '--topic', 'perf-b', '--num-records', '5000', '--timeout', '500']);
  assert.is(r.code, 1);
  assert.match(r.stdout, /^1001 records consumed/);
  assert.match(r.stderr, /only 1001 of 5000 records arrived within --timeout 500 ms/);
  const file = join(dir, 'payload.bin');
  writeFileSync(file, 'x');
  const both = await cli(['perf', 'produce', '--topic', 't', '--num-records', '1', '--record-size', '10', '--payload-file', file]);
  assert.is(both.code, 2);
  assert.match(both.stderr, /give --record-size or --payload-file, not both/);
  const bad = await cli(['perf', 'produce', '--topic', 't', '--num-records', '0']);
  assert.is(bad.code, 2);
  assert.match(bad.stderr, /--num-records must be an integer in \[1, /);
});

// bench/loadgen/rawload.c (samsa-rawload, the raw C load generator of the bench suite) builds in
// under a second: a smoke test that what it produces is what a Kafka client reads back.

test('samsa-rawload (bench): produces records a client reads back with the right sizes; consume walks them; bad args exit 2', async () => {
  const src = ['rawload.c', 'rawload_produce.c', 'rawload_consume.c'].map((f) => fileURLToPath(new URL(`../../../bench/loadgen/${f}`, import.meta.url)));
  const bin = join(dir, 'samsa-rawload');
  const cc = await run('cc', ['-O1', '-o', bin, ...src]).catch(() => undefined);
  if (!cc || cc.code !== 0) { console.log(`skipped: cannot build bench/loadgen/rawload*.c with cc: ${cc?.stderr ?? 'no cc'}`); return; }
  const p = await run(bin, ['--mode', 'produce', '--bootstrap-server', broker.bootstrap, '--topic', 'perf-raw', '--num-records', '2001',
    '--record-size', '100', '--batch-size', '2048', '--partitions', '3', '--connections', '2', '--max-in-flight', '3', '--acks', '-1']);
  assert.is(p.code, 0, p.stderr);
  const pr = JSON.parse(p.stdout) as PerfReport & { tool: string; requests: number };
  assert.is(pr.tool, 'rawload');
  assert.is(pr.records, 2001);
  assert.is(pr.bytes, 200_100);
  assert.is(pr.requests, Math.ceil(2001 / 18), '18 records of 100 B fit a 2048-byte batch');
  assert.equal(Object.keys(pr.latencyMs), ['avg', 'p50', 'p95', 'p99', 'p999', 'max']);
  const ends = await endOffsets('perf-raw');
  assert.is(ends.length, 3);
  assert.is(ends.reduce((a, b) => a + b, 0), 2001);
  assert.ok(ends.every((e) => e > 0), `requests go round-robin: ${ends}`);
  const consumed = await runPerfConsume({ bootstrap: broker.bootstrap, topic: 'perf-raw', numRecords: 2001, fetchMaxBytes: 1 << 20,
    partitionMaxBytes: 1 << 16, timeoutMs: 5000, fromLatest: false, progress: false });
  assert.is(consumed.records, 2001);
  assert.is(consumed.bytes, 2001 * 100);
  const c = await run(bin, ['--mode', 'consume', '--bootstrap-server', broker.bootstrap, '--topic', 'perf-raw', '--partition', '1',
    '--num-records', String(ends[1]), '--record-size', '100', '--partition-max-bytes', '4096']);
  assert.is(c.code, 0, c.stderr);
  const cr = JSON.parse(c.stdout) as PerfReport & { wireBytes: number };
  assert.is(cr.records, ends[1]);
  assert.ok(cr.wireBytes > cr.records * 100, JSON.stringify(cr));
  const bad = await run(bin, ['--mode', 'produce', '--acks', '2']);
  assert.is(bad.code, 2);
  assert.match(bad.stderr, /--acks 2: want an integer in \[-1, 1\]/);
  const unknown = await run(bin, ['--mode', 'produce', '--linger', '5']);
  assert.is(unknown.code, 2);
  assert.match(unknown.stderr, /unknown option --linger/);
});

test('perf produce reports a broker that is not there', async () => {
  const r = await cli(['perf', 'produce', '--bootstrap-server', 'localhost:1', '--topic', 't', '--num-records', '1']);
  assert.is(r.code, 1);
  assert.match(r.stderr, /^samsa: cannot connect to localhost:1: .*is a broker running there\?\n$/);
});

test.run();
