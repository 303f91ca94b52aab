// LogManager: every partition log in one or more log dirs (Kafka's LogManager).
//
// Per log dir: `meta.properties` (v0: version=0, broker.id, cluster.id; created, then checked on
// every start), `.kafka_cleanshutdown` (present only while stopped cleanly: then no segment is
// rescanned), `recovery-point-offset-checkpoint` and `log-start-offset-checkpoint` (written every
// `checkpointIntervalMs` and on close). Partition dirs are `<topic>-<partition>`; a deleted log is
// renamed to `<topic>-<partition>.<uuid>-delete` and removed in the background (a leftover one is
// removed on the next start).
//
// Owns the shared FdCache (read fds) and WriteFdLru (segments holding write fds), and schedules
// retention (`retentionCheckIntervalMs`, which also expires idle producer ids), flush.ms /
// flush.messages, checkpoints, and the LogCleaner (`cleanerBackoffMs`, Kafka's
// log.cleaner.backoff.ms, over the logs whose cleanup.policy includes compact; off with
// `cleanerEnable: false`). Timers are unref'd; close() stops them, closes every log, writes
// checkpoints and the markers.
//
// Configs at load: `configFor(topic)` gives a topic's effective LogConfig (broker defaults +
// overrides, from the topic registry's store) so each log is recovered and scheduled with its own
// settings from the start; topics it does not know get `defaultConfig`.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { OffsetCheckpointFile, writeFileAtomic, writeFileAtomicSync } from './checkpoint-file.js';
import { LogCleaner } from './cleaner/log-cleaner.js';
import { InconsistentBrokerMetadataError, LogClosedError } from './errors.js';
import { FdCache } from './fd-cache.js';
import { DEFAULT_LOG_CONFIG, type LogConfig } from './log-config.js';
import { Log, type Durability } from './log.js';
import type { RecoveryEvent } from './recovery.js';
import { WriteFdLru } from './write-fd-lru.js';

export const CLEAN_SHUTDOWN_FILE = '.kafka_cleanshutdown';
const RECOVERY_POINT_FILE = 'recovery-point-offset-checkpoint';
const LOG_START_FILE = 'log-start-offset-checkpoint';

export interface LogManagerOptions {
  logDirs: string[];
  brokerId?: number;
  clusterId?: string;
  defaultConfig?: LogConfig;
  durability?: Durability;
  maxOpenReadFiles?: number;
  maxWritableSegments?: number;
  checkpointIntervalMs?: number;
  retentionCheckIntervalMs?: number;
  flushCheckIntervalMs?: number;
  /** How many logs load at once on start. */
  loadConcurrency?: number;
  clock?: () => number;
  /** Receives recovery events as logs load (default: kept in `recoveryEvents`). */
  onRecoveryEvent?: (tp: string, e: RecoveryEvent) => void;
  /** Effective config of an existing topic's logs at load; undefined → defaultConfig. */
  configFor?: (topic: string) => LogConfig | undefined;
  /** log.cleaner.enable (default true). */
  cleanerEnable?: boolean;
  /** log.cleaner.backoff.ms: pause between cleaner passes (default 15 000). */
  cleanerBackoffMs?: number;
  /** The cleaner (default: a LogCleaner running its passes on the worker pool). */
  cleaner?: LogCleaner;
  /** Receives cleaner failures (default: ignored; the log is retried next pass). */
  onCleanerError?: (tp: string, err: unknown) => void;
  /** producer.id.expiration.ms for every log (default 1 day). */
  producerIdExpirationMs?: number;
}

interface DirState { dir: string; hadCleanShutdown: boolean; recoveryPoints: Map<string, number>; logStarts: Map<string, number> }

export function parseLogDirName(name: string): { topic: string; partition: number } | null {
  const dash = name.lastIndexOf('-');
  if (dash <= 0) return null;
  const p = name.slice(dash + 1);
  if (!/^\d+$/.test(p)) return null;
  return { topic: name.slice(0, dash), partition: Number(p) };
}

export class LogManager {
  readonly fdCache: FdCache;
  readonly writeLru: WriteFdLru;
  readonly recoveryEvents: { tp: string; event: RecoveryEvent }[] = [];
  readonly cleaner: LogCleaner;
  readonly #logs = new Map<string, Log>();
  readonly #logDir = new Map<string, string>();
  readonly #dirCounts = new Map<string, number>();
  readonly #creating = new Map<string, Promise<Log>>();
  readonly #opts: LogManagerOptions;
  #timers: NodeJS.Timeout[] = [];
  #closed = false;
  #cleaning: Promise<unknown> = Promise.resolve();
  #dirs: DirState[] = [];

  private constructor(opts: LogManagerOptions) {
    this.#opts = opts;
    this.fdCache = new FdCache(opts.maxOpenReadFiles ?? 1000);
    this.writeLru = new WriteFdLru(opts.maxWritableSegments ?? 1000);
    this.cleaner = opts.cleaner ?? new LogCleaner(opts.clock ? { clock: opts.clock } : {});
  }

  static async open(opts: LogManagerOptions): Promise<LogManager> {
    const m = new LogManager(opts);
    for (const dir of opts.logDirs) m.#dirs.push(m.#openDir(dir));
    await m.#loadLogs();
    for (const d of m.#dirs) rmSync(join(d.dir, CLEAN_SHUTDOWN_FILE), { force: true });
    m.#schedule();
    return m;
  }

  #openDir(dir: string): DirState {
    mkdirSync(dir, { recursive: true });
    const metaPath = join(dir, 'meta.properties');
    if (existsSync(metaPath)) {
      const props = new Map<string, string>();
      for (const line of readFileSync(metaPath, 'utf8').split('\n')) {
        const t = line.trim();
        if (!t || t.startsWith('#')) continue;
        const eq = t.indexOf('=');
        if (eq > 0) props.set(t.slice(0, eq).trim(), t.slice(eq + 1).trim());
      }
      const { brokerId, clusterId } = this.#opts;
      if (brokerId !== undefined && props.has('broker.id') && props.get('broker.id') !== String(brokerId)) {
        throw new InconsistentBrokerMetadataError(`${metaPath} has broker.id=${props.get('broker.id')} but this broker is ${brokerId}: use the right log.dirs or broker.id`);
      }
      if (clusterId !== undefined && props.has('cluster.id') && props.get('cluster.id') !== clusterId) {
        throw new InconsistentBrokerMetadataError(`${metaPath} has cluster.id=${props.get('cluster.id')} but the cluster is ${clusterId}: this log dir belongs to another cluster`);
      }
    } else {
      const lines = ['#', `#${new Date(0).toUTCString()}`, 'version=0'];
      if (this.#opts.brokerId !== undefined) lines.push(`broker.id=${this.#opts.brokerId}`);
      if (this.#opts.clusterId !== undefined) lines.push(`cluster.id=${this.#opts.clusterId}`);
      writeFileAtomicSync(metaPath, lines.join('\n') + '\n');
    }
    const state: DirState = { dir, hadCleanShutdown: existsSync(join(dir, CLEAN_SHUTDOWN_FILE)), recoveryPoints: new Map(), logStarts: new Map() };
    for (const [file, into] of [[RECOVERY_POINT_FILE, state.recoveryPoints], [LOG_START_FILE, state.logStarts]] as const) {
      try {
        for (const [k, v] of new OffsetCheckpointFile(join(dir, file)).read()) into.set(k, v);
      } catch (e) {
        // A malformed checkpoint is treated as absent: every log in this dir is recovered fully.
        this.#report(file, { segment: join(dir, file), position: 0, reason: (e as Error).message, bytesDropped: 0 });
        state.hadCleanShutdown = false;
      }
    }
    return state;
  }

  #report(tp: string, event: RecoveryEvent): void {
    if (this.#opts.onRecoveryEvent) this.#opts.onRecoveryEvent(tp, event);
    else this.recoveryEvents.push({ tp, event });
  }

  async #loadLogs(): Promise<void> {
    const jobs: (() => Promise<void>)[] = [];
    for (const d of this.#dirs) {
      for (const name of readdirSync(d.dir)) {
        if (name.endsWith('-delete')) { jobs.push(() => fsp.rm(join(d.dir, name), { recursive: true, force: true })); continue; }
        const tp = parseLogDirName(name);
        if (!tp) continue; // also skips `<tp>.<uuid>-future` / `-stray`; topic names may contain '.'
        jobs.push(async () => {
          const config = this.#opts.configFor?.(tp.topic) ?? this.#opts.defaultConfig ?? DEFAULT_LOG_CONFIG;
          const log = await this.#openLog(d, tp.topic, tp.partition, config);
          for (const e of log.recoveryEvents) this.#report(name, e);
        });
      }
    }
    const n = this.#opts.loadConcurrency ?? 16;
    let next = 0;
    await Promise.all(Array.from({ length: Math.min(n, jobs.length) }, async () => { while (next < jobs.length) await jobs[next++](); }));
  }

  async #openLog(d: DirState, topic: string, partition: number, config: LogConfig, topicId?: string): Promise<Log> {
    const key = `${topic}-${partition}`;
    const log = await Log.open({
      dir: join(d.dir, key), topic, partition, config, fdCache: this.fdCache, writeLru: this.writeLru,
      durability: this.#opts.durability ?? 'pagecache',
      hadCleanShutdown: d.hadCleanShutdown && d.recoveryPoints.has(key),
      recoveryPoint: d.recoveryPoints.get(key) ?? 0,
      ...(d.logStarts.has(key) ? { logStartOffset: d.logStarts.get(key)! } : {}),
      ...(topicId ? { topicId } : {}),
      ...(this.#opts.clock ? { clock: this.#opts.clock } : {}),
      ...(this.#opts.producerIdExpirationMs !== undefined ? { producerIdExpirationMs: this.#opts.producerIdExpirationMs } : {}),
    });
    this.#logs.set(key, log);
    this.#logDir.set(key, d.dir);
    this.#dirCounts.set(d.dir, (this.#dirCounts.get(d.dir) ?? 0) + 1);
    return log;
  }

  getLog(topic: string, partition: number): Log | undefined {
    return this.#logs.get(`${topic}-${partition}`);
  }

  /** The log, created in the log dir holding the fewest logs when it does not exist. */
  async getOrCreateLog(topic: string, partition: number, config?: LogConfig, topicId?: string): Promise<Log> {
    if (this.#closed) throw new LogClosedError('log manager');
    const existing = this.getLog(topic, partition);
    if (existing) { if (config) existing.config = config; return existing; }
    const key = `${topic}-${partition}`;
    const pending = this.#creating.get(key);
    if (pending) return pending;
    const created = this.#create(topic, partition, config, topicId).finally(() => this.#creating.delete(key));
    this.#creating.set(key, created);
    return created;
  }

  #create(topic: string, partition: number, config?: LogConfig, topicId?: string): Promise<Log> {
    let d = this.#dirs[0];
    for (const x of this.#dirs) if ((this.#dirCounts.get(x.dir) ?? 0) < (this.#dirCounts.get(d.dir) ?? 0)) d = x;
    return this.#openLog({ ...d, hadCleanShutdown: true, recoveryPoints: new Map(), logStarts: new Map() }, topic, partition, config ?? this.#opts.defaultConfig ?? DEFAULT_LOG_CONFIG, topicId);
  }

  allLogs(): Log[] { return [...this.#logs.values()]; }

  /** Closes the log, renames its dir to `<tp>.<uuid>-delete` and removes it in the background. */
  async deleteLog(topic: string, partition: number): Promise<boolean> {
    const key = `${topic}-${partition}`;
    const log = this.#logs.get(key);
    if (!log) return false;
    this.#logs.delete(key);
    const dir = this.#logDir.get(key)!;
    this.#logDir.delete(key);
    this.#dirCounts.set(dir, (this.#dirCounts.get(dir) ?? 1) - 1);
    await log.close();
    const renamed = join(dir, `${key}.${randomUUID().replace(/-/g, '')}-delete`);
    await fsp.rename(log.dir, renamed);
    this.fdCache.invalidatePrefix(log.dir + '/');
    void fsp.rm(renamed, { recursive: true, force: true }).catch(() => undefined);
    return true;
  }

  /** Retention pass over every log (and producer-id expiry); returns the segments deleted. */
  async runRetention(now?: number): Promise<number> {
    let n = 0;
    for (const log of this.#logs.values()) {
      if (log.isClosed) continue;
      n += await log.deleteOldSegments(now).catch(() => 0);
      log.removeExpiredProducers(now);
    }
    return n;
  }

  /** One cleaner pass over the compacted logs (dirtiest first, each when its dirty ratio is due). */
  runCleaner(): ReturnType<LogCleaner['runOnce']> {
    const logs = [...this.#logs.values()].filter((l) => !l.isClosed && l.config.cleanupPolicy.includes('compact'));
    const run = this.cleaner.runOnce(logs, (log, err) => this.#opts.onCleanerError?.(`${log.topic}-${log.partition}`, err));
    this.#cleaning = run.catch(() => undefined);
    return run;
  }

  /** Flushes the logs whose flush.ms or flush.messages is due. */
  async runFlushes(now = (this.#opts.clock ?? Date.now)()): Promise<void> {
    for (const log of this.#logs.values()) {
      if (log.isClosed || log.unflushedMessages === 0) continue;
      if (log.unflushedMessages >= log.config.flushMessages || now - log.lastFlushMs >= log.config.flushMs) await log.flush().catch(() => undefined);
    }
  }

  async writeCheckpoints(): Promise<void> {
    for (const d of this.#dirs) {
      const rp = new Map<string, number>(), ls = new Map<string, number>();
      for (const [key, log] of this.#logs) {
        if (this.#logDir.get(key) !== d.dir) continue;
        rp.set(key, log.recoveryPoint);
        ls.set(key, log.logStartOffset);
      }
      await new OffsetCheckpointFile(join(d.dir, RECOVERY_POINT_FILE)).write(rp);
      await new OffsetCheckpointFile(join(d.dir, LOG_START_FILE)).write(ls);
    }
  }

  #schedule(): void {
    const every = (ms: number, fn: () => Promise<unknown>): void => {
      let running = false;
      const t = setInterval(() => {
        if (running) return;
        running = true;
        fn().catch(() => undefined).finally(() => { running = false; });
      }, ms);
      t.unref();
      this.#timers.push(t);
    };
    every(this.#opts.checkpointIntervalMs ?? 60_000, () => this.writeCheckpoints());
    every(this.#opts.retentionCheckIntervalMs ?? 300_000, () => this.runRetention());
    every(this.#opts.flushCheckIntervalMs ?? 1_000, () => this.runFlushes());
    if (this.#opts.cleanerEnable ?? true) every(this.#opts.cleanerBackoffMs ?? 15_000, () => this.runCleaner());
  }

  /** Flushes and closes every log, writes checkpoints and the clean-shutdown markers. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const t of this.#timers) clearInterval(t);
    await this.#cleaning; // a pass in flight finishes its swap (or stops at the first closed log)
    const logs = [...this.#logs.values()];
    let next = 0;
    await Promise.all(Array.from({ length: Math.min(16, logs.length) }, async () => { while (next < logs.length) await logs[next++].close(); }));
    await this.writeCheckpoints();
    for (const d of this.#dirs) await writeFileAtomic(join(d.dir, CLEAN_SHUTDOWN_FILE), '');
    this.fdCache.clear();
  }
}
