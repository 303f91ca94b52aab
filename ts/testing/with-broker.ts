// Starts an in-process broker (the public `startBroker` API) on a free port for one test and
// always closes it, even when the test throws. Test defaults: no initial rebalance delay, quiet
// logs; `config` entries override them.
import { startBroker } from '../index.js';
import type { LogLevel } from '../server/logger.js';

export type BrokerHandle = Awaited<ReturnType<typeof startBroker>>;

export interface WithBrokerOptions {
  dataDir?: string;
  port?: number;
  config?: Record<string, string | number | boolean>;
  logLevel?: LogLevel;
}

export const TEST_BROKER_CONFIG: Record<string, string | number | boolean> = {
  'group.initial.rebalance.delay.ms': 0,
};

export async function startTestBroker(options: WithBrokerOptions = {}): Promise<BrokerHandle> {
  const logLevel = options.logLevel ?? (process.env.SAMSA_TEST_LOG_LEVEL as LogLevel | undefined) ?? 'warn';
  return startBroker({
    port: options.port ?? 0,
    dataDir: options.dataDir,
    config: { ...TEST_BROKER_CONFIG, ...options.config },
    logLevel,
  } as Parameters<typeof startBroker>[0]);
}

export async function withBroker<T>(fn: (broker: BrokerHandle) => Promise<T>, options: WithBrokerOptions = {}): Promise<T> {
  const broker = await startTestBroker(options);
  try {
    return await fn(broker);
  } finally {
    await broker.close();
  }
}
