// Samsa's logger: pino. For the CLI, one human-readable line per event on stderr
// (`12:03:04.567 INFO  listening listener=PLAINTEXT port=9092`), written synchronously so that
// nothing is lost when the process exits right after; JSON lines (pino's own format) when
// SAMSA_LOG_FORMAT=json or format 'json'. silentLogger() is for tests and embedded use.
// The human formatter is a few lines here rather than pino-pretty: one more dependency and a
// worker thread for what is a string join.
import { pino, type Logger, type DestinationStream } from 'pino';

export type { Logger };
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface LoggerOptions {
  level?: LogLevel;
  /** 'human' (default) or 'json'; the SAMSA_LOG_FORMAT environment variable wins when set to json. */
  format?: 'human' | 'json';
  /** Where lines go; default stderr. */
  write?: (line: string) => void;
  /** Bound fields added to every line (e.g. { component: 'storage' }). */
  bindings?: Record<string, unknown>;
}

const LEVEL_NAMES: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const HIDDEN = new Set(['level', 'time', 'msg', 'pid', 'hostname']);

function formatValue(v: unknown): string {
  if (typeof v === 'string') return /^[^\s"=]+$/.test(v) ? v : JSON.stringify(v);
  if (v !== null && typeof v === 'object' && 'message' in v && 'type' in v) return JSON.stringify((v as { message: string }).message);
  return JSON.stringify(v);
}

/** One human-readable line from one pino JSON record. */
export function formatLogLine(record: Record<string, unknown>): string {
  const t = new Date(typeof record.time === 'number' ? record.time : Date.now());
  const time = t.toISOString().slice(11, 23);
  const level = (LEVEL_NAMES[record.level as number] ?? String(record.level)).padEnd(5);
  const fields = Object.entries(record).filter(([k]) => !HIDDEN.has(k)).map(([k, v]) => `${k}=${formatValue(v)}`);
  return [time, level, String(record.msg ?? ''), ...fields].filter((s) => s !== '').join(' ') + '\n';
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  const level = opts.level ?? 'info';
  const json = process.env.SAMSA_LOG_FORMAT === 'json' || opts.format === 'json';
  const write = opts.write ?? ((line: string) => { process.stderr.write(line); });
  const dest: DestinationStream = json
    ? (opts.write ? { write } : pino.destination({ dest: 2, sync: true }))
    : { write: (line: string) => write(formatLogLine(JSON.parse(line) as Record<string, unknown>)) };
  const logger = pino({ level, base: undefined }, dest);
  return opts.bindings ? logger.child(opts.bindings) : logger;
}

/** A logger that writes nothing. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
