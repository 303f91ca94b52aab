// startBroker(): the embedded entry point: a real broker on a free port, for tests and apps.
//
//   const b = await startBroker();            // PLAINTEXT://localhost:<free port>, temp data dir
//   new Kafka({ brokers: [b.bootstrap] });    // 'localhost:PORT'
//   await b.close();                          // graceful stop; the temp dir is removed
//
// Defaults differ from `samsa start` where tests want them to: port 0 (a free port), a temp data
// dir removed on close, and group.initial.rebalance.delay.ms = 0 (Kafka's 3 s delay only slows
// tests). Anything in `config` (Kafka's setting names) wins over these defaults.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrokerConfig } from './config/broker-config.js';
import { createLogger, silentLogger, type Logger, type LogLevel } from './logger.js';
import { Broker } from './broker.js';

export interface StartBrokerOptions {
  /** Port of the PLAINTEXT listener; 0 (default) picks a free one. */
  port?: number;
  /** Listener host (default 'localhost': binds 127.0.0.1 and ::1). */
  host?: string;
  /** Log dir; default a temp dir that close() removes. */
  dataDir?: string;
  /** Broker settings by Kafka name, e.g. { 'num.partitions': 3 }. */
  config?: Record<string, string | number | boolean>;
  /** Default 'silent' (set 'info' to see startup and recovery lines on stderr). */
  logLevel?: LogLevel;
  /** Use the native zero-copy send path for fetches (default true). */
  zeroCopy?: boolean;
  /** A pino logger to use instead of one built from logLevel. */
  logger?: Logger;
}

export interface BrokerHandle {
  readonly host: string;
  readonly port: number;
  /** 'host:port' for client bootstrap lists. */
  readonly bootstrap: string;
  readonly dataDir: string;
  readonly broker: Broker;
  /** Graceful stop (idempotent); removes the data dir when it was a temp dir. */
  close(): Promise<void>;
}

export async function startBroker(options: StartBrokerOptions = {}): Promise<BrokerHandle> {
  const host = options.host ?? 'localhost';
  const tempDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'samsa-'));
  const overrides: Record<string, string> = {
    'listeners': `PLAINTEXT://${host.includes(':') ? `[${host}]` : host}:${options.port ?? 0}`,
    'log.dirs': dataDir,
    'group.initial.rebalance.delay.ms': '0',
  };
  for (const [k, v] of Object.entries(options.config ?? {})) overrides[k] = String(v);
  const level = options.logLevel ?? 'silent';
  const logger = options.logger ?? (level === 'silent' ? silentLogger() : createLogger({ level }));
  let broker: Broker;
  try {
    const config = BrokerConfig.from({ overrides });
    broker = new Broker({ config, logger, ...(options.zeroCopy !== undefined ? { zeroCopy: options.zeroCopy } : {}) });
    await broker.start();
  } catch (err) {
    if (tempDir) rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  const endpoint = broker.advertisedEndpoint(broker.listeners[0]?.name ?? 'PLAINTEXT');
  let closing: Promise<void> | null = null;
  return {
    host: endpoint.host,
    port: endpoint.port,
    bootstrap: `${endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host}:${endpoint.port}`,
    dataDir,
    broker,
    close: () => {
      closing ??= (async () => {
        await broker.stop();
        if (tempDir) rmSync(dataDir, { recursive: true, force: true });
      })();
      return closing;
    },
  };
}
