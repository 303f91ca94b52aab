// `samsa start [server.properties] [--override key=value ...] [--port N] [--data-dir DIR]
// [--log-level L]`: builds the BrokerConfig (file, then overrides in order, then shortcuts),
// prints the one warning about Kafka settings Samsa ignores, and runs the broker.
import { readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { BrokerConfig, parseOverride } from '../../server/config/broker-config.js';
import { ConfigError } from '../../server/config/config-error.js';
import { formatListeners } from '../../server/config/listeners.js';
import { createLogger, LOG_LEVELS, type Logger, type LogLevel } from '../../server/logger.js';

interface StartOptions {
  override: string[];
  port?: string;
  dataDir?: string;
  logLevel: LogLevel;
}

/**
 * Runs the broker until it stops. PLACEHOLDER until the server engineer replaces this body:
 * for now it reports the effective listeners and data dirs, self-checks the native addon
 * (which CRC32C path is active), and returns.
 */
export async function runBroker(config: BrokerConfig, logger: Logger): Promise<void> {
  logger.info({ brokerId: config.brokerId, listeners: formatListeners(config.listeners) }, 'effective listeners');
  logger.info({ advertised: formatListeners(config.advertisedListeners) }, 'advertised listeners');
  logger.info({ logDirs: config.logDirs.join(','), durability: config.durability }, 'data directories');
  // Imported here, not at the top, so that `samsa --help` works even when the addon is not built.
  const { crc32cImplementation } = await import('../../native/crc32c.js');
  logger.info({ crc32c: crc32cImplementation() }, 'native addon loaded');
  logger.warn('broker not implemented yet; exiting');
}

function readProperties(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
    throw new ConfigError(`cannot read properties file '${file}': ${reason}`);
  }
}

export function register(program: Command): void {
  program
    .command('start')
    .description('start a broker')
    .argument('[properties]', 'a Kafka server.properties file')
    .option('--override <key=value>', 'set a broker setting, after the file (repeatable)', (v: string, prev: string[]) => [...prev, v], [])
    .option('--port <port>', 'port of the first listener (rewrites listeners)')
    .option('--data-dir <dir>', 'data directory (sets log.dirs)')
    .addOption(new Option('--log-level <level>', 'log level').choices(LOG_LEVELS).default('info'))
    .action(async (file: string | undefined, opts: StartOptions) => {
      const config = BrokerConfig.from({
        properties: file === undefined ? undefined : readProperties(file),
        propertiesName: file,
        overrides: opts.override.map(parseOverride),
        port: opts.port,
        dataDir: opts.dataDir,
      });
      const logger = createLogger({ level: opts.logLevel });
      for (const w of config.warnings) logger.warn(w);
      await runBroker(config, logger);
    });
}
