// Shared pieces of the cluster tests (ts/interop/cluster-*.test.ts): a broker process in cluster
// mode, polling with a deadline, `samsa check` on a data dir, segment digests, and a librdkafka
// producer under continuous load whose delivery reports are read while it runs.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Kafka } from 'kafkajs';
import { BrokerProcess } from './broker-process.js';
import { createKafkajs } from './kafkajs-client.js';
import { PYTHON, PYTHON_DIR } from './run-python.js';
import { until } from './until.js';
import type { ZooKeeperHandle } from './zookeeper.js';

export { until };

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A broker child process in cluster mode (RF 3 and min ISR 2 by default; `config` overrides). */
export function startClusterBroker(zk: ZooKeeperHandle, id: number, config: Record<string, string | number | boolean> = {}): Promise<BrokerProcess> {
  return BrokerProcess.start({
    logLevel: 'info', startTimeout: 60_000,
    config: {
      'zookeeper.connect': zk.connect, 'broker.id': id, 'zookeeper.session.timeout.ms': 4000,
      'default.replication.factor': 3, 'min.insync.replicas': 2, 'replica.lag.time.max.ms': 10_000,
      'num.partitions': 1, 'offsets.topic.num.partitions': 1, // offsets.topic.replication.factor left unset: 3 in cluster mode
      ...config,
    },
  });
}

/**
 * Starts brokers 1, 2 and 3 into `brokers` (filled as they start, so the caller's cleanup sees
 * every started process even if a later one fails) and waits until all three are registered.
 */
export async function startThreeBrokers(zk: ZooKeeperHandle, brokers: Map<number, BrokerProcess>,
  config: Record<string, string | number | boolean> = {}): Promise<void> {
  for (const id of [1, 2, 3]) brokers.set(id, await startClusterBroker(zk, id, config));
  const admin = clusterKafka(brokers, 10).admin();
  await admin.connect();
  try { await until(async () => (await admin.describeCluster()).brokers.length === 3, '3 brokers registered'); } finally { await admin.disconnect(); }
}

/** Removes every broker process (and its data dir), then stops ZooKeeper. */
export async function stopCluster(brokers: Map<number, BrokerProcess>, zk: ZooKeeperHandle | undefined): Promise<void> {
  for (const b of brokers.values()) await b.remove();
  await zk?.stop();
}

/** A kafkajs client bootstrapped from the brokers still running (so it survives the kills). */
export function clusterKafka(brokers: Map<number, BrokerProcess>, retries: number): Kafka {
  const list = [...brokers.values()].filter((b) => b.running).map((b) => b.bootstrap);
  return createKafkajs(list[0]!, { brokers: list, retry: { retries, initialRetryTime: 100, maxRetryTime: 1000 } });
}

/** sha256 over the concatenated .log segments of a partition dir (replicas must be byte-identical). */
export function segmentDigest(dir: string): string {
  const h = createHash('sha256');
  for (const n of readdirSync(dir).filter((f) => f.endsWith('.log')).sort()) h.update(readFileSync(join(dir, n)));
  return h.digest('hex');
}

/** Runs the real CLI `samsa check <dir>`: exit code and output. */
export function samsaCheck(dir: string): { code: number | null; output: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'ts/cli/main.ts', 'check', dir], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, output: `${r.stdout}${r.stderr}` };
}

export interface Delivery { i: number; value: string; partition: number; offset: number; error: string | null }

/**
 * ts/interop/python/cluster_producer.py as a child: librdkafka producing `<prefix><i>` until
 * stop() (a stop file) and flushing. `delivered` are the successful delivery reports so far.
 */
export class LibrdkafkaLoad {
  readonly deliveries: Delivery[] = [];
  readonly #child: ChildProcess;
  readonly #dir: string;
  readonly #exit: Promise<number | null>;
  #stderr = '';
  #flushed: { produced: number; remaining: number } | null = null;

  constructor(bootstrap: string, topic: string, prefix: string, config: Record<string, string | number | boolean> = {}) {
    this.#dir = mkdtempSync(join(tmpdir(), 'samsa-rdk-'));
    const spec = { bootstrap, topic, prefix, stop_file: join(this.#dir, 'stop'), config, interval_ms: 20, max_seconds: 100, flush_seconds: 60 };
    const env: NodeJS.ProcessEnv = { ...process.env, PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1' };
    delete env.PYTHONPATH; delete env.PYTHONHOME;
    this.#child = spawn(PYTHON, ['-s', PYTHON_DIR + 'cluster_producer.py', JSON.stringify(spec)], { stdio: ['ignore', 'pipe', 'pipe'], env });
    let buf = '';
    this.#child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString('utf8');
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl); buf = buf.slice(nl + 1);
        if (!line.trim()) continue;
        const ev = JSON.parse(line) as { event: string } & Delivery & { produced: number; remaining: number };
        if (ev.event === 'delivered' && ev.error === null) this.deliveries.push(ev);
        else if (ev.event === 'flushed') this.#flushed = { produced: ev.produced, remaining: ev.remaining };
      }
    });
    this.#child.stderr!.on('data', (d: Buffer) => (this.#stderr += d.toString('utf8')));
    this.#exit = new Promise((r) => this.#child.on('exit', (code) => r(code)));
  }

  get stderr(): string { return this.#stderr; }

  get acked(): string[] { return this.deliveries.map((d) => d.value); }

  /** Stops producing, waits for the flush; returns what was produced and left undelivered. */
  async stop(): Promise<{ produced: number; remaining: number }> {
    writeFileSync(join(this.#dir, 'stop'), '');
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), 90_000);
    const code = await this.#exit;
    clearTimeout(timer);
    rmSync(this.#dir, { recursive: true, force: true });
    if (code !== 0 || !this.#flushed) throw new Error(`cluster_producer.py exited with ${code}; stderr:\n${this.#stderr.slice(-3000)}`);
    return this.#flushed;
  }

  kill(): void {
    this.#child.kill('SIGKILL');
    if (existsSync(this.#dir)) rmSync(this.#dir, { recursive: true, force: true });
  }
}
