// `samsa perf produce|consume|compare`: throughput and latency against a running broker, on the
// model of Kafka's kafka-producer-perf-test / kafka-consumer-perf-test (option names as theirs
// where they exist). The client is the project's own codec over raw sockets (ts/cli/perf/), so
// it costs little per record; bench/loadgen is the librdkafka twin with the same options.
// Output: the one-line summary on stdout, the JSON report (perf-stats.ts) with --json FILE,
// progress once a second on stderr when it is a TTY or with --progress.
import { readFileSync, writeFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { CliUsageError } from '../cli-error.js';
import type { PerfReport } from '../perf/perf-stats.js';

function int(name: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) throw new CliUsageError(`${name} must be an integer in [${min}, ${max}], got '${v}'`);
    return n;
  };
}

/** A payload of `size` uppercase letters from a seeded generator (Kafka's perf tool uses random letters too). */
export function seededPayload(size: number, seed: number): Buffer {
  const buf = Buffer.allocUnsafe(size);
  let x = (seed >>> 0) || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    buf[i] = 65 + (x % 26);
  }
  return buf;
}

/** KafkaConnection failures: the broker is down, went away or stopped answering. */
const BROKER_ERRORS = new Set(['SAMSA_CONNECT_FAILED', 'SAMSA_CONNECTION_CLOSED', 'SAMSA_REQUEST_TIMEOUT', 'SAMSA_BAD_ADDRESS']);

/**
 * A broker that is not there or refuses the topic is an environment problem, not a bug: print the
 * message alone and exit 1 (cli-error.ts prints a stack for codes it does not know).
 */
async function reportingBrokerErrors(fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code !== 'SAMSA_PERF_TOPIC' && !BROKER_ERRORS.has(code as string)) throw err;
    process.stderr.write(`samsa: ${(err as Error).message}\n`);
    process.exitCode = 1;
  }
}

function finish(report: PerfReport, json: string | undefined, summary: string): void {
  process.stdout.write(`${summary}\n`);
  if (json) writeFileSync(json, JSON.stringify(report, null, 2) + '\n');
}

interface ProduceFlags {
  bootstrapServer: string; topic: string; numRecords: number; recordSize?: number; payloadFile?: string;
  throughput: number; acks: string; batchSize: number; lingerMs: number; compression: string;
  partitions?: number; producers: number; maxInFlight: number; seed: number; json?: string; progress?: boolean;
}

interface ConsumeFlags {
  bootstrapServer: string; topic: string; numRecords: number; fetchMaxBytes: number; partitionMaxBytes: number;
  timeout: number; fromLatest?: boolean; json?: string; progress?: boolean;
}

export function register(program: Command): void {
  const perf = program.command('perf').description('measure produce/consume throughput and latency against a broker');

  perf.command('produce')
    .description('send records as fast as allowed and report records/s, MB/s and send→ack latency')
    .option('--bootstrap-server <host:port>', 'broker to connect to', 'localhost:9092')
    .requiredOption('--topic <name>', 'topic to produce to (created when missing)')
    .requiredOption('--num-records <n>', 'records to send', int('--num-records', 1))
    .option('--record-size <bytes>', 'size of each record value (default 1024)', int('--record-size', 0, 100 * 1024 * 1024))
    .option('--payload-file <file>', 'use this file as every record value instead of --record-size random letters')
    .option('--throughput <records/s>', 'target rate; -1 = unlimited', int('--throughput', -1), -1)
    .addOption(new Option('--acks <acks>', 'acks required from the broker').choices(['-1', 'all', '0', '1']).default('1'))
    .option('--batch-size <bytes>', 'maximum bytes per batch (one batch per request)', int('--batch-size', 1), 16384)
    .option('--linger-ms <ms>', 'how long a partial batch waits for more records (with --throughput)', int('--linger-ms', 0), 5)
    .addOption(new Option('--compression <codec>', 'batch compression').choices(['none', 'gzip', 'snappy', 'lz4', 'zstd']).default('none'))
    .option('--partitions <n>', 'partitions when creating the topic (default 1)', int('--partitions', 1))
    .option('--producers <n>', 'concurrent producer connections', int('--producers', 1, 256), 1)
    .option('--max-in-flight <n>', 'pipelined requests per connection', int('--max-in-flight', 1, 1000), 5)
    .option('--seed <n>', 'seed of the random payload', int('--seed', 0), 42)
    .option('--json <file>', 'write the report as JSON to this file')
    .option('--progress', 'print progress even when stderr is not a terminal')
    .action(async (f: ProduceFlags) => {
      if (f.recordSize !== undefined && f.payloadFile !== undefined) throw new CliUsageError('give --record-size or --payload-file, not both');
      let payload: Buffer;
      if (f.payloadFile !== undefined) {
        try { payload = readFileSync(f.payloadFile); } catch (err) {
          throw new CliUsageError(`cannot read --payload-file '${f.payloadFile}': ${(err as Error).message}`);
        }
      } else payload = seededPayload(f.recordSize ?? 1024, f.seed);
      const { runPerfProduce } = await import('../perf/perf-produce.js');
      const { formatReport } = await import('../perf/perf-stats.js');
      await reportingBrokerErrors(async () => {
        const report = await runPerfProduce({
          bootstrap: f.bootstrapServer, topic: f.topic, numRecords: f.numRecords, payload, throughput: f.throughput,
          acks: f.acks === 'all' || f.acks === '-1' ? -1 : f.acks === '0' ? 0 : 1, batchSize: f.batchSize, lingerMs: f.lingerMs,
          compression: f.compression as 'none', ...(f.partitions !== undefined ? { partitions: f.partitions } : {}),
          producers: f.producers, maxInFlight: f.maxInFlight, progress: f.progress === true || process.stderr.isTTY === true,
        });
        report.config = { ...report.config, seed: f.seed, payloadFile: f.payloadFile ?? null };
        finish(report, f.json, formatReport(report));
        if (report.errors > 0 || report.records < f.numRecords) process.exitCode = 1;
      });
    });

  perf.command('consume')
    .description('fetch records and report records/s, MB/s and produce→consume latency')
    .option('--bootstrap-server <host:port>', 'broker to connect to', 'localhost:9092')
    .requiredOption('--topic <name>', 'topic to consume')
    .requiredOption('--num-records <n>', 'records to consume', int('--num-records', 1))
    .option('--fetch-max-bytes <bytes>', 'Fetch maxBytes', int('--fetch-max-bytes', 1), 52_428_800)
    .option('--partition-max-bytes <bytes>', 'Fetch partitionMaxBytes', int('--partition-max-bytes', 1), 1_048_576)
    .option('--timeout <ms>', 'stop when nothing arrives for this long', int('--timeout', 1), 10_000)
    .option('--from-latest', 'start at the end of each partition (for end-to-end latency with a concurrent producer)')
    .option('--json <file>', 'write the report as JSON to this file')
    .option('--progress', 'print progress even when stderr is not a terminal')
    .action(async (f: ConsumeFlags) => {
      const { runPerfConsume } = await import('../perf/perf-consume.js');
      const { formatReport } = await import('../perf/perf-stats.js');
      await reportingBrokerErrors(async () => {
        const report = await runPerfConsume({
          bootstrap: f.bootstrapServer, topic: f.topic, numRecords: f.numRecords, fetchMaxBytes: f.fetchMaxBytes,
          partitionMaxBytes: f.partitionMaxBytes, timeoutMs: f.timeout, fromLatest: f.fromLatest === true,
          progress: f.progress === true || process.stderr.isTTY === true,
        });
        finish(report, f.json, formatReport(report));
        if (report.records < f.numRecords) {
          process.stderr.write(`samsa perf: only ${report.records} of ${f.numRecords} records arrived within --timeout ${f.timeout} ms\n`);
          process.exitCode = 1;
        }
      });
    });

  perf.command('compare')
    .description('print the differences between two perf reports or bench result files')
    .argument('<a>', 'baseline JSON')
    .argument('<b>', 'JSON to compare with the baseline')
    .option('--noise <percent>', 'changes within this are shown as ~', int('--noise', 0, 100), 5)
    .action(async (a: string, b: string, f: { noise: number }) => {
      const { readResults, compareText } = await import('../perf/perf-compare.js');
      process.stdout.write(compareText(readResults(a), readResults(b), ['A', 'B'], f.noise));
    });
}
