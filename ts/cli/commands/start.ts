// `samsa start [server.properties] [--override key=value ...] [--port N] [--data-dir DIR]
// [--log-level L]`: builds the BrokerConfig (file, then overrides in order, then shortcuts),
// prints the one warning about Kafka settings Samsa ignores, and runs the broker.
import { readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { BrokerConfig, parseOverride } from '../../server/config/broker-config.js';
import { ConfigError } from '../../server/config/config-error.js';
import { createLogger, LOG_LEVELS, type Logger, type LogLevel } from '../../server/logger.js';

interface StartOptions {
  override: string[];
  port?: string;
  dataDir?: string;
  logLevel: LogLevel;
}

/**
 * Runs the broker until SIGINT/SIGTERM: then stops gracefully (in-flight requests answered, logs
 * flushed, checkpoints and the clean-shutdown marker written, so the next start scans nothing)
 * and exits 0. A second signal while stopping exits at once with code 1.
 */
export async function runBroker(config: BrokerConfig, logger: Logger): Promise<void> {
  // Imported here, not at the top, so that `samsa --help` works even when the addon is not built.
  const { Broker } = await import('../../server/broker.js');
  const broker = new Broker({ config, logger });
  // The handlers go in before the listening line is printed: whoever reads that line may signal
  // at once, and a signal that arrives before a handler exists kills the process uncleanly.
  let stopRequested: (signal: NodeJS.Signals) => void = () => {};
  const stopSignal = new Promise<NodeJS.Signals>((resolve) => { stopRequested = resolve; });
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting without finishing the shutdown');
      process.exit(1);
    }
    stopping = true;
    stopRequested(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  await broker.start();
  const where = broker.listeners.map((l) => `${l.name}://${l.host || '0.0.0.0'}:${l.port}`).join(', ');
  process.stdout.write(`samsa: broker ${broker.brokerId} listening on ${where} (cluster ${broker.clusterId}, started in ${broker.startupMs.toFixed(1)} ms)\n`);
  const signal = await stopSignal;
  logger.info({ signal }, 'stopping broker');
  try {
    await broker.stop();
  } catch (err) {
    logger.error({ err }, 'broker stop failed');
    process.exitCode = 1;
  }
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
