// ProducerStateManager: per-partition state of idempotent/transactional producers (Kafka's
// ProducerStateManager + ProducerStateEntry + ProducerAppendInfo, storage/.../internals/log).
//
// For each producer id it keeps the epoch, the last 5 batches written (first/last sequence,
// first/last offset, max timestamp), the coordinator epoch of the last transaction marker, and
// the first offset of the open transaction. Rules, as Kafka 3.x/4.0 applies them to a batch:
//
//  - duplicate (client appends only): same epoch and exactly the (firstSeq, lastSeq) of one of
//    the 5 retained batches → nothing is appended; the original offsets are returned.
//  - epoch lower than the current one → INVALID_PRODUCER_EPOCH (47) (since 2.7 also for
//    transactional producers; PRODUCER_FENCED is the coordinator's answer, not the log's).
//    Replication appends only warn.
//  - new (higher) epoch → sequence must be 0, else OUT_OF_ORDER_SEQUENCE_NUMBER (45); the 5-batch
//    window is cleared.
//  - same epoch → firstSeq must be lastSeq + 1 (wrapping Int32 max → 0), else 45. A batch older
//    than the window (the 6th-oldest retried) is therefore 45, not a duplicate.
//  - unknown producer (no state: never seen, expired, or its batches deleted) → any sequence is
//    accepted. Kafka ≥ 2.5 (KIP-360) no longer answers UNKNOWN_PRODUCER_ID from the log.
//  - a non-transactional batch while the producer has an open transaction → INVALID_TXN_STATE (48).
//  - an end-transaction marker with a lower coordinator epoch → TRANSACTION_COORDINATOR_FENCED (52).
//
// Expiry: a producer with no open transaction whose last batch timestamp is at least
// `producer.id.expiration.ms` (default 1 day) in the past is forgotten (removeExpiredProducers).
// State survives DeleteRecords/retention (KIP-360): only expiry forgets a producer.
//
// Snapshots (format in producer-state-snapshot.ts) are taken by the Log on segment roll and clean
// close (`takeSnapshot`); on load, `loadSnapshot(logStart, logEnd)` restores the newest valid
// snapshot ≤ logEnd and returns the offset from which the Log must replay its batches through
// `update()`. Example: snapshots 0 and 500, log end 740 after recovery → state of 500 loaded,
// batches at offsets 500..739 replayed. Snapshots above logEnd (log truncated) are deleted.
//
// Concurrency: the Log calls `check()` after scanning a client batch and `update()` right after
// assigning its offsets, in the same synchronous section, one append at a time per partition.
// `takeSnapshot()` copies the state synchronously, then writes the file asynchronously.
import { promises as fsp } from 'node:fs';
import { RecordBatchView } from '../protocol/record/batch-reader.js';
import { parseControlRecordKey, parseEndTransactionMarker } from '../protocol/record/control-records.js';
import { StorageError } from './errors.js';
import {
  listSnapshotFiles, readSnapshotFile, writeSnapshotFile, CorruptSnapshotError, type ProducerSnapshotEntry,
} from './producer-state-snapshot.js';

export const NUM_BATCHES_TO_RETAIN = 5;
export const DEFAULT_PRODUCER_ID_EXPIRATION_MS = 86_400_000;
const INT32_MAX = 2 ** 31 - 1;
const NO_PRODUCER_ID = -1;
const NO_PRODUCER_EPOCH = -1;
const NO_SEQUENCE = -1;

/** Where an append comes from: decides how much is validated (Kafka's AppendOrigin). */
export type AppendOrigin = 'client' | 'replication' | 'coordinator';

/** The producer fields of one batch; scanBatches' BatchInfo satisfies it. */
export interface ProducerBatch {
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  lastOffsetDelta: number;
  maxTimestamp: number;
  isTransactional: boolean;
  isControl: boolean;
}

/** Decoded end-transaction marker of a control batch (EndTransactionMarker: version, coordinatorEpoch). */
export interface EndTxnMarker { commit: boolean; coordinatorEpoch: number }

export interface BatchMetadata { firstSeq: number; lastSeq: number; firstOffset: number; lastOffset: number; timestamp: number }

export interface ProducerStateEntry {
  producerId: number;
  producerEpoch: number;
  coordinatorEpoch: number;
  lastTimestamp: number;
  /** -1 when no transaction is open. */
  currentTxnFirstOffset: number;
  /** Oldest first, at most NUM_BATCHES_TO_RETAIN. */
  batches: BatchMetadata[];
}

export type CheckResult =
  | { kind: 'append' }
  | { kind: 'duplicate'; baseOffset: number; lastOffset: number; timestamp: number };

export interface CompletedTxn { producerId: number; firstOffset: number; lastOffset: number; isAborted: boolean }

export class ProducerStateError extends StorageError {
  constructor(code: 'OUT_OF_ORDER_SEQUENCE_NUMBER' | 'INVALID_PRODUCER_EPOCH' | 'INVALID_TXN_STATE' | 'TRANSACTION_COORDINATOR_FENCED',
    message: string) {
    const numeric = { OUT_OF_ORDER_SEQUENCE_NUMBER: 45, INVALID_PRODUCER_EPOCH: 47, INVALID_TXN_STATE: 48, TRANSACTION_COORDINATOR_FENCED: 52 }[code];
    super(code, numeric, message);
  }
}

/** Sequence `seq + delta` with Kafka's wrap past Int32 max back to 0. */
export function incrementSequence(seq: number, delta: number): number {
  return seq > INT32_MAX - delta ? delta - (INT32_MAX - seq) - 1 : seq + delta;
}

/** Sequence `seq - delta`, the inverse of incrementSequence. */
export function decrementSequence(seq: number, delta: number): number {
  return seq < delta ? INT32_MAX - (delta - seq) + 1 : seq - delta;
}

function inSequence(lastSeq: number, nextSeq: number): boolean {
  return nextSeq === lastSeq + 1 || (nextSeq === 0 && lastSeq === INT32_MAX);
}

function emptyEntry(producerId: number): ProducerStateEntry {
  return { producerId, producerEpoch: NO_PRODUCER_EPOCH, coordinatorEpoch: -1, lastTimestamp: -1, currentTxnFirstOffset: -1, batches: [] };
}

export interface ProducerStateManagerOptions {
  /** producer.id.expiration.ms */
  producerIdExpirationMs?: number;
  /** Label used in error messages, e.g. `orders-3`. */
  topicPartition?: string;
}

export class ProducerStateManager {
  readonly dir: string;
  readonly producerIdExpirationMs: number;
  readonly #tp: string;
  readonly #producers = new Map<number, ProducerStateEntry>();
  #mapEndOffset = 0;
  #lastSnapOffset = 0;

  constructor(dir: string, options: ProducerStateManagerOptions = {}) {
    this.dir = dir;
    this.producerIdExpirationMs = options.producerIdExpirationMs ?? DEFAULT_PRODUCER_ID_EXPIRATION_MS;
    this.#tp = options.topicPartition ?? dir;
  }

  /** The offset up to which (exclusive) batches have been applied. */
  get mapEndOffset(): number { return this.#mapEndOffset; }
  get producerCount(): number { return this.#producers.size; }
  lastEntry(producerId: number): ProducerStateEntry | undefined { return this.#producers.get(producerId); }
  activeProducers(): ReadonlyMap<number, ProducerStateEntry> { return this.#producers; }

  /**
   * Validates one batch before offsets are assigned. Throws ProducerStateError (45/47/48/52);
   * returns `duplicate` with the original offsets when a client retried a batch already written.
   */
  check(batch: ProducerBatch, origin: AppendOrigin = 'client', marker?: EndTxnMarker): CheckResult {
    if (batch.producerId === NO_PRODUCER_ID) return { kind: 'append' };
    const entry = this.#producers.get(batch.producerId) ?? emptyEntry(batch.producerId);
    const where = `producer ${batch.producerId} in ${this.#tp}`;
    if (origin === 'client' && !batch.isControl && batch.producerEpoch === entry.producerEpoch) {
      const lastSeq = incrementSequence(batch.baseSequence, batch.lastOffsetDelta);
      const dup = entry.batches.find((b) => b.firstSeq === batch.baseSequence && b.lastSeq === lastSeq);
      if (dup) return { kind: 'duplicate', baseOffset: dup.firstOffset, lastOffset: dup.lastOffset, timestamp: dup.timestamp };
    }
    if (batch.producerEpoch < entry.producerEpoch && origin !== 'replication') {
      throw new ProducerStateError('INVALID_PRODUCER_EPOCH',
        `epoch ${batch.producerEpoch} of ${where} is older than the last seen epoch ${entry.producerEpoch}: ` +
        'this producer was superseded; re-initialise it (InitProducerId) to get a new epoch');
    }
    if (batch.isControl) {
      if (marker && entry.coordinatorEpoch > marker.coordinatorEpoch && origin !== 'replication') {
        throw new ProducerStateError('TRANSACTION_COORDINATOR_FENCED',
          `end-transaction marker for ${where} has coordinator epoch ${marker.coordinatorEpoch}, older than ${entry.coordinatorEpoch}`);
      }
      return { kind: 'append' };
    }
    if (origin === 'client') this.#checkSequence(entry, batch, where);
    if (entry.currentTxnFirstOffset >= 0 && !batch.isTransactional) {
      throw new ProducerStateError('INVALID_TXN_STATE',
        `non-transactional batch from ${where} while its transaction started at offset ${entry.currentTxnFirstOffset} is open: ` +
        'commit or abort the transaction first');
    }
    return { kind: 'append' };
  }

  #checkSequence(entry: ProducerStateEntry, batch: ProducerBatch, where: string): void {
    const seq = batch.baseSequence;
    if (batch.producerEpoch !== entry.producerEpoch) {
      if (seq !== 0 && entry.producerEpoch !== NO_PRODUCER_EPOCH) {
        throw new ProducerStateError('OUT_OF_ORDER_SEQUENCE_NUMBER',
          `${where} starts new epoch ${batch.producerEpoch} (current ${entry.producerEpoch}) at sequence ${seq}: ` +
          'a new epoch must start at sequence 0');
      }
      return;
    }
    const lastSeq = entry.batches.length > 0 ? entry.batches[entry.batches.length - 1]!.lastSeq : NO_SEQUENCE;
    if (!inSequence(lastSeq, seq)) {
      throw new ProducerStateError('OUT_OF_ORDER_SEQUENCE_NUMBER',
        `${where} sent sequence ${seq} but the next expected is ${lastSeq === NO_SEQUENCE ? 0 : incrementSequence(lastSeq, 1)} ` +
        `(epoch ${entry.producerEpoch}): earlier batches were lost; the producer must retry them in order or reset`);
    }
  }

  /**
   * Applies a batch written at `baseOffset` (never throws: call check() first for client
   * appends). Returns the completed transaction when the batch is an end-transaction marker.
   */
  update(batch: ProducerBatch, baseOffset: number, marker?: EndTxnMarker): CompletedTxn | null {
    const lastOffset = baseOffset + batch.lastOffsetDelta;
    if (lastOffset + 1 > this.#mapEndOffset) this.#mapEndOffset = lastOffset + 1;
    if (batch.producerId === NO_PRODUCER_ID) return null;
    let entry = this.#producers.get(batch.producerId);
    if (!entry) { entry = emptyEntry(batch.producerId); this.#producers.set(batch.producerId, entry); }
    if (entry.producerEpoch !== batch.producerEpoch) { entry.producerEpoch = batch.producerEpoch; entry.batches = []; }
    entry.lastTimestamp = batch.maxTimestamp;
    if (batch.isControl) {
      const first = entry.currentTxnFirstOffset;
      entry.currentTxnFirstOffset = -1;
      if (marker) entry.coordinatorEpoch = marker.coordinatorEpoch;
      if (first < 0) return null;
      return { producerId: batch.producerId, firstOffset: first, lastOffset: baseOffset, isAborted: marker ? !marker.commit : true };
    }
    if (entry.batches.length === NUM_BATCHES_TO_RETAIN) entry.batches.shift();
    entry.batches.push({
      firstSeq: batch.baseSequence, lastSeq: incrementSequence(batch.baseSequence, batch.lastOffsetDelta),
      firstOffset: baseOffset, lastOffset, timestamp: batch.maxTimestamp,
    });
    if (batch.isTransactional && entry.currentTxnFirstOffset < 0) entry.currentTxnFirstOffset = baseOffset;
    return null;
  }

  /** Lowest first offset of an open transaction, or -1 (feeds the last stable offset later). */
  firstUndecidedOffset(): number {
    let min = -1;
    for (const e of this.#producers.values()) {
      if (e.currentTxnFirstOffset >= 0 && (min < 0 || e.currentTxnFirstOffset < min)) min = e.currentTxnFirstOffset;
    }
    return min;
  }

  #isExpired(nowMs: number, e: { currentTxnFirstOffset: number; lastTimestamp: number }): boolean {
    return e.currentTxnFirstOffset < 0 && nowMs - e.lastTimestamp >= this.producerIdExpirationMs;
  }

  /** Forgets producers idle for producer.id.expiration.ms. Returns how many were removed. */
  removeExpiredProducers(nowMs: number): number {
    let n = 0;
    for (const [id, e] of this.#producers) if (this.#isExpired(nowMs, e)) { this.#producers.delete(id); n++; }
    return n;
  }

  /** The state in snapshot form: one entry per producer, last batch only. */
  snapshotEntries(): ProducerSnapshotEntry[] {
    const out: ProducerSnapshotEntry[] = [];
    for (const e of this.#producers.values()) {
      const last = e.batches[e.batches.length - 1];
      out.push({
        producerId: e.producerId, producerEpoch: e.producerEpoch,
        lastSequence: last ? last.lastSeq : NO_SEQUENCE, lastOffset: last ? last.lastOffset : -1,
        offsetDelta: last ? last.lastOffset - last.firstOffset : 0, timestamp: e.lastTimestamp,
        coordinatorEpoch: e.coordinatorEpoch, currentTxnFirstOffset: e.currentTxnFirstOffset,
      });
    }
    return out;
  }

  /** Writes `<mapEndOffset>.snapshot` unless one at that offset exists. Returns its path or null. */
  async takeSnapshot(): Promise<string | null> {
    if (this.#mapEndOffset <= this.#lastSnapOffset) return null;
    const offset = this.#mapEndOffset;
    const entries = this.snapshotEntries();
    this.#lastSnapOffset = offset;
    return writeSnapshotFile(this.dir, offset, entries);
  }

  #loadEntry(s: ProducerSnapshotEntry): void {
    const batches: BatchMetadata[] = s.lastOffset >= 0 ? [{
      firstSeq: decrementSequence(s.lastSequence, s.offsetDelta), lastSeq: s.lastSequence,
      firstOffset: s.lastOffset - s.offsetDelta, lastOffset: s.lastOffset, timestamp: s.timestamp,
    }] : [];
    this.#producers.set(s.producerId, {
      producerId: s.producerId, producerEpoch: s.producerEpoch, coordinatorEpoch: s.coordinatorEpoch,
      lastTimestamp: s.timestamp, currentTxnFirstOffset: s.currentTxnFirstOffset, batches,
    });
  }

  /**
   * Clears the state and loads the newest readable snapshot with an offset in
   * [logStartOffset, logEndOffset]; deletes snapshots above logEndOffset and corrupt ones.
   * Returns the offset from which the caller must replay batches through update().
   */
  async loadSnapshot(logStartOffset: number, logEndOffset: number, nowMs = Date.now()): Promise<number> {
    this.#producers.clear();
    const files = await listSnapshotFiles(this.dir);
    for (const f of files) if (f.offset > logEndOffset) await fsp.rm(f.path, { force: true });
    const usable = files.filter((f) => f.offset <= logEndOffset && f.offset >= logStartOffset).reverse();
    for (const f of usable) {
      try {
        const entries = await readSnapshotFile(f.path);
        for (const e of entries) if (!this.#isExpired(nowMs, { currentTxnFirstOffset: e.currentTxnFirstOffset, lastTimestamp: e.timestamp })) this.#loadEntry(e);
        this.#mapEndOffset = this.#lastSnapOffset = f.offset;
        return f.offset;
      } catch (err) {
        if (!(err instanceof CorruptSnapshotError)) throw err;
        await fsp.rm(f.path, { force: true });
      }
    }
    this.#mapEndOffset = this.#lastSnapOffset = logStartOffset;
    return logStartOffset;
  }

  /**
   * After the log was truncated to `logEndOffset`: drops snapshots above it and reloads. Returns
   * the offset to replay from, or null when the state already matches the log end.
   */
  async truncateAndReload(logStartOffset: number, logEndOffset: number, nowMs = Date.now()): Promise<number | null> {
    if (logEndOffset === this.#mapEndOffset) {
      await this.deleteSnapshotsBefore(logStartOffset);
      return null;
    }
    return this.loadSnapshot(logStartOffset, logEndOffset, nowMs);
  }

  /** Forgets everything and deletes every snapshot (log truncated fully / recreated at `offset`). */
  async truncateFullyAndStartAt(offset: number): Promise<void> {
    this.#producers.clear();
    for (const f of await listSnapshotFiles(this.dir)) await fsp.rm(f.path, { force: true });
    this.#mapEndOffset = offset;
    this.#lastSnapOffset = 0;
  }

  /** Deletes snapshot files with an offset below `offset` (segments deleted by retention/DeleteRecords). */
  async deleteSnapshotsBefore(offset: number): Promise<void> {
    for (const f of await listSnapshotFiles(this.dir)) if (f.offset < offset) await fsp.rm(f.path, { force: true });
  }

  /** The log start moved (DeleteRecords, retention): state is kept (KIP-360), the map end follows. */
  onLogStartOffsetIncremented(logStartOffset: number): void {
    if (this.#mapEndOffset < logStartOffset) this.#mapEndOffset = logStartOffset;
  }
}

/** The end-transaction marker carried by a control batch (whole batch bytes), or undefined. */
export function readEndTxnMarker(batchBytes: Buffer): EndTxnMarker | undefined {
  const view = new RecordBatchView(batchBytes, 0);
  if (!view.isControl) return undefined;
  const rec = view.records()[0];
  if (!rec) return undefined;
  const key = parseControlRecordKey(rec.key);
  if (key.typeName !== 'COMMIT' && key.typeName !== 'ABORT') return undefined;
  return { commit: key.typeName === 'COMMIT', coordinatorEpoch: parseEndTransactionMarker(rec.value).coordinatorEpoch };
}
