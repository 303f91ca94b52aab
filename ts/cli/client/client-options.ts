// Options every client command takes: --bootstrap-server HOST:PORT[,HOST:PORT...] (default
// localhost:9092) and --command-config FILE (client properties, see command-config.ts), turned
// into @platformatic/kafka's BaseOptions. Retries are few and timeouts short: a CLI should fail
// fast with one clear line rather than retry for a minute against a broker that is not there.
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import type { BaseOptions } from '@platformatic/kafka';
import { readCommandConfig } from './command-config.js';

export interface ClientCliOptions {
  bootstrapServer: string;
  commandConfig?: string;
}

export const DEFAULT_BOOTSTRAP = 'localhost:9092';

/** `host:port`, `[v6]:port` or a comma-separated list of them → host/port pairs. */
export function parseBootstrap(value: string): Array<{ host: string; port: number }> {
  const out: Array<{ host: string; port: number }> = [];
  for (const part of value.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(part);
    const port = m ? Number(m[3]) : NaN;
    if (!m || port < 1 || port > 65535) {
      throw new InvalidArgumentError(`'${part}' is not HOST:PORT (e.g. localhost:9092 or [::1]:9092).`);
    }
    out.push({ host: m[1] ?? m[2], port });
  }
  if (out.length === 0) throw new InvalidArgumentError('give at least one HOST:PORT.');
  return out;
}

export function addClientOptions(cmd: Command): Command {
  return cmd
    .option('--bootstrap-server <host:port>', 'broker(s) to connect to, comma-separated', (v: string) => { parseBootstrap(v); return v; }, DEFAULT_BOOTSTRAP)
    .option('--command-config <file>', 'client properties file (client.id, security.protocol, sasl.*, ssl.*, request.timeout.ms)');
}

/** BaseOptions for @platformatic/kafka from the parsed CLI options. */
export function clientOptions(opts: ClientCliOptions, clientId: string): BaseOptions {
  const fromFile = opts.commandConfig === undefined ? {} : readCommandConfig(opts.commandConfig);
  return {
    clientId,
    bootstrapBrokers: parseBootstrap(opts.bootstrapServer),
    retries: 1,
    retryDelay: 200,
    connectTimeout: 5_000,
    timeout: 15_000,
    ...fromFile,
  };
}
