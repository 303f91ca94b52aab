// openLog(dir): the embedded API — one durable append-only log in `dir`, in Kafka's on-disk
// format (kafka-dump-log reads the segments), without a broker.
//
// Files in `dir`: the segments (`<base>.log/.index/.timeindex`), `leader-epoch-checkpoint`,
// `recovery-point-offset-checkpoint` and `log-start-offset-checkpoint` (one entry, topic
// `embedded`, partition 0) and `.kafka_cleanshutdown` while closed cleanly. The marker is removed
// as soon as the log is open, so a crash leaves no marker and the next open recovers the
// segments past the recovery point.
//
// Concurrency: any number of appends/reads may be in flight; appends get offsets in call order.
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { readBatches } from '../protocol/record/batch-reader.js';
import type { Record } from '../protocol/record/records.js';
import { EmbeddedBatchWriter, type EncodedBatch } from './embedded-batch.js';
import { OffsetCheckpointFile, writeFileAtomic } from './checkpoint-file.js';
import { FdCache } from './fd-cache.js';
import { logConfigOf, type LogConfig } from './log-config.js';
import { Log, type Durability, type TimestampOffsetEpoch } from './log.js';
import type { RecoveryEvent } from './recovery.js';

export const CLEAN_SHUTDOWN_FILE = '.kafka_cleanshutdown';
const KEY = 'embedded-0';

export interface OpenLogOptions {
  segmentBytes?: number;
  segmentMs?: number;
  indexIntervalBytes?: number;
  retentionMs?: number;
  retentionBytes?: number;
  maxMessageBytes?: number;
  durability?: Durability;
  flushMessages?: number;
  flushMs?: number;
  /** How often retention runs (Kafka's log.retention.check.interval.ms, default 300000). */
  retentionCheckIntervalMs?: number;
  /** Open read fds kept (default 64). */
  maxOpenFiles?: number;
  clock?: () => number;
}

export interface AppendRecord {
  key?: Buffer | string | null;
  value: Buffer | string | null;
  headers?: { key: string; value: Buffer | null }[];
  timestamp?: number;
}

export type ReadRecord = Record;

export class EmbeddedLog {
  #timers: NodeJS.Timeout[] = [];
  #closed = false;
  #checkpoints: Promise<void> = Promise.resolve();
  readonly #batches = new EmbeddedBatchWriter();

  constructor(readonly dir: string, readonly log: Log, readonly options: OpenLogOptions, private readonly fdCache: FdCache) {
    const flushMs = log.config.flushMs;
    if (flushMs < Number.MAX_SAFE_INTEGER) this.#every(Math.max(10, flushMs), () => this.log.flush());
    this.#every(options.retentionCheckIntervalMs ?? 300_000, async () => {
      if (await this.log.deleteOldSegments()) await this.#writeCheckpoints();
    });
  }

  #every(ms: number, fn: () => Promise<unknown>): void {
    const t = setInterval(() => { fn().catch(() => undefined); }, ms);
    t.unref();
    this.#timers.push(t);
  }

  /** What recovery did when the log was opened (empty after a clean shutdown). */
  get recoveryReport(): readonly RecoveryEvent[] { return this.log.recoveryEvents; }
  get logStartOffset(): number { return this.log.logStartOffset; }
  get logEndOffset(): number { return this.log.logEndOffset; }

  /**
   * Appends records (one batch) or ready-made v2 batches. Records are encoded into a reused slab
   * (embedded-batch.ts) that is released once the Log has written or refused the batch.
   */
  append(records: AppendRecord | AppendRecord[] | Buffer): Promise<{ baseOffset: number; lastOffset: number }> {
    if (Buffer.isBuffer(records)) return this.appendBatches(records);
    let batch;
    try {
      batch = this.#batches.encode(Array.isArray(records) ? records : [records], (this.options.clock ?? Date.now)());
    } catch (e) { return Promise.reject(e); }
    return this.#appendEncoded(batch);
  }

  async #appendEncoded(batch: EncodedBatch): Promise<{ baseOffset: number; lastOffset: number }> {
    try { return await this.appendBatches(batch.bytes); } finally { batch.release(); }
  }

  async appendBatches(buf: Buffer): Promise<{ baseOffset: number; lastOffset: number }> {
    const res = await this.log.append(buf);
    if (this.log.unflushedMessages >= this.log.config.flushMessages) await this.log.flush();
    return { baseOffset: res.baseOffset, lastOffset: res.lastOffset };
  }

  /** Raw batches (each a Buffer) starting with the batch that holds `offset`. */
  async readBatches(offset: number, opts: { maxBytes?: number } = {}): Promise<Buffer[]> {
    const { buffer } = await this.log.readBuffers(offset, { maxBytes: opts.maxBytes ?? 1024 * 1024 });
    return [...readBatches(buffer)].map((b) => b.bytes);
  }

  /** Decoded records with offset >= `offset`, up to about maxBytes of batches. */
  async read(offset: number, opts: { maxBytes?: number } = {}): Promise<ReadRecord[]> {
    const out: ReadRecord[] = [];
    for (const b of await this.readBatches(offset, opts)) {
      for (const batch of readBatches(b)) {
        if (batch.isControl) continue;
        for (const r of batch.records()) if (r.offset >= offset) out.push(r);
      }
    }
    return out;
  }

  offsetForTimestamp(ts: number): Promise<TimestampOffsetEpoch | null> { return this.log.offsetForTimestamp(ts); }

  async deleteRecordsBefore(offset: number): Promise<number> {
    const start = await this.log.deleteRecordsBefore(offset);
    await this.#writeCheckpoints();
    return start;
  }

  truncateTo(offset: number): Promise<void> { return this.log.truncateTo(offset); }
  flush(): Promise<void> { return this.log.flush(); }

  /** Serialised: the retention tick and close() may both write (same .tmp file, then rename). */
  #writeCheckpoints(): Promise<void> {
    const next = this.#checkpoints.catch(() => undefined).then(() => this.#writeCheckpointsNow());
    this.#checkpoints = next;
    return next;
  }

  async #writeCheckpointsNow(): Promise<void> {
    await new OffsetCheckpointFile(join(this.dir, 'recovery-point-offset-checkpoint')).write(new Map([[KEY, this.log.recoveryPoint]]));
    await new OffsetCheckpointFile(join(this.dir, 'log-start-offset-checkpoint')).write(new Map([[KEY, this.log.logStartOffset]]));
  }

  /** Flushes, writes checkpoints and the clean-shutdown marker. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const t of this.#timers) clearInterval(t);
    await this.log.close();
    await this.#writeCheckpoints();
    await writeFileAtomic(join(this.dir, CLEAN_SHUTDOWN_FILE), '');
    this.fdCache.clear();
  }
}

function readCheckpoint(path: string, events: RecoveryEvent[]): number | undefined {
  try {
    return new OffsetCheckpointFile(path).read().get(KEY);
  } catch (e) {
    events.push({ segment: path, position: 0, reason: (e as Error).message, bytesDropped: 0 });
    return undefined;
  }
}

export async function openLog(dir: string, options: OpenLogOptions = {}): Promise<EmbeddedLog> {
  const partial: Partial<LogConfig> = {};
  if (options.segmentBytes !== undefined) partial.segmentBytes = options.segmentBytes;
  if (options.segmentMs !== undefined) partial.segmentMs = options.segmentMs;
  if (options.indexIntervalBytes !== undefined) partial.indexIntervalBytes = options.indexIntervalBytes;
  if (options.retentionMs !== undefined) partial.retentionMs = options.retentionMs;
  if (options.retentionBytes !== undefined) partial.retentionBytes = options.retentionBytes;
  if (options.maxMessageBytes !== undefined) partial.maxMessageBytes = options.maxMessageBytes;
  if (options.flushMessages !== undefined) partial.flushMessages = options.flushMessages;
  if (options.flushMs !== undefined) partial.flushMs = options.flushMs;
  const config = logConfigOf(partial);
  const marker = join(dir, CLEAN_SHUTDOWN_FILE);
  const hadCleanShutdown = existsSync(marker);
  const events: RecoveryEvent[] = [];
  const recoveryPoint = readCheckpoint(join(dir, 'recovery-point-offset-checkpoint'), events);
  const logStartOffset = readCheckpoint(join(dir, 'log-start-offset-checkpoint'), events);
  const fdCache = new FdCache(options.maxOpenFiles ?? 64);
  const log = await Log.open({
    dir, topic: 'embedded', partition: 0, config, fdCache, durability: options.durability ?? 'pagecache',
    hadCleanShutdown: hadCleanShutdown && recoveryPoint !== undefined, recoveryPoint: recoveryPoint ?? 0,
    ...(logStartOffset !== undefined ? { logStartOffset } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  log.recoveryEvents.unshift(...events);
  rmSync(marker, { force: true });
  return new EmbeddedLog(dir, log, options, fdCache);
}
