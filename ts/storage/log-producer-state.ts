// Glue between a Log and its ProducerStateManager (Kafka's UnifiedLog.analyzeAndValidateProducerState
// + updateProducers + LogLoader's producer-state rebuild), kept out of log.ts.
//
// Client appends: `checkClientBatches` runs after the scan and before offsets become visible. A
// batch from a producer already seen earlier in the same buffer is checked against that earlier
// batch (the manager does not hold it yet); any other batch against the manager. A duplicate
// (any batch) makes the whole append a duplicate, as Kafka does: nothing is written and the
// original offsets are returned. `applyBatches` then feeds every batch, with its assigned offset,
// to `update` in the same synchronous section, so a later pipelined append of the same producer
// is checked against state that already includes this one even before its bytes are written.
//
// Rebuild: `replayBatches` reads whole batches from `from` (chunks of REPLAY_CHUNK_BYTES) and
// applies those with lastOffset >= from, until the log end.
import { scanBatches, type ScanResult } from '../native/batch-scan.js';
import {
  incrementSequence, readEndTxnMarker, ProducerStateError, type CheckResult, type EndTxnMarker, type ProducerStateManager,
} from './producer-state-manager.js';

export const REPLAY_CHUNK_BYTES = 1024 * 1024;

const int64 = (b: Buffer, at: number): number => b.readInt32BE(at) * 4294967296 + b.readUInt32BE(at + 4);
const CONTROL_BIT = 0x20;

function markerOf(scan: ScanResult, buf: Buffer, i: number): EndTxnMarker | undefined {
  if ((scan.attributes(i) & CONTROL_BIT) === 0) return undefined;
  const at = scan.position(i);
  return readEndTxnMarker(buf.subarray(at, at + scan.size(i)));
}

/** True when some batch carries a producer id (fast path: plain producers skip the manager). */
export function hasProducerIds(scan: ScanResult): boolean {
  for (let i = 0; i < scan.count; i++) if (scan.producerId(i) >= 0) return true;
  return false;
}

/**
 * Validates a client append's batches. Returns the duplicate (original offsets) or null to
 * append; throws ProducerStateError (OUT_OF_ORDER_SEQUENCE_NUMBER 45, INVALID_PRODUCER_EPOCH 47, ...).
 */
export function checkClientBatches(psm: ProducerStateManager, scan: ScanResult, buf: Buffer): Extract<CheckResult, { kind: 'duplicate' }> | null {
  const seen = new Map<number, { epoch: number; lastSeq: number }>();
  for (let i = 0; i < scan.count; i++) {
    const pid = scan.producerId(i);
    if (pid < 0) continue;
    const b = scan.batch(i);
    const prev = seen.get(pid);
    if (prev && !b.isControl) {
      const ok = b.producerEpoch === prev.epoch ? b.baseSequence === incrementSequence(prev.lastSeq, 1)
        : b.producerEpoch > prev.epoch && b.baseSequence === 0;
      if (!ok) {
        throw new ProducerStateError('OUT_OF_ORDER_SEQUENCE_NUMBER',
          `producer ${pid}: batch ${i} of one append has epoch ${b.producerEpoch} sequence ${b.baseSequence} ` +
          `but the batch before it ended at epoch ${prev.epoch} sequence ${prev.lastSeq}: send batches in sequence order`);
      }
    } else if (!prev) {
      const r = psm.check(b, 'client', markerOf(scan, buf, i));
      if (r.kind === 'duplicate') return r;
    }
    if (!b.isControl) seen.set(pid, { epoch: b.producerEpoch, lastSeq: incrementSequence(b.baseSequence, b.lastOffsetDelta) });
  }
  return null;
}

/** Applies every batch of `buf` (offsets already assigned in place) whose last offset is >= `from`. */
export function applyBatches(psm: ProducerStateManager, scan: ScanResult, buf: Buffer, from = 0): void {
  for (let i = 0; i < scan.count; i++) {
    const at = scan.position(i);
    const base = int64(buf, at);
    if (base + scan.lastOffsetDelta(i) < from) continue;
    if (scan.producerId(i) < 0) {
      psm.update(scan.batch(i), base); // advances the map end offset only
      continue;
    }
    psm.update(scan.batch(i), base, markerOf(scan, buf, i));
  }
}

/**
 * Replays the log's batches in [from, end) into `psm`. `read(offset)` returns whole batches
 * starting at the batch holding `offset` (empty when nothing is left).
 */
export async function replayBatches(psm: ProducerStateManager, from: number, end: number, read: (offset: number) => Promise<Buffer>): Promise<number> {
  let offset = from, batches = 0;
  while (offset < end) {
    const buf = await read(offset);
    if (buf.length === 0) break;
    const scan = scanBatches(buf, { mode: 'recover' });
    if (scan.count === 0) break;
    applyBatches(psm, scan, buf, offset);
    batches += scan.count;
    const next = int64(buf, scan.position(scan.count - 1)) + scan.lastOffsetDelta(scan.count - 1) + 1;
    if (next <= offset) break;
    offset = next;
  }
  return batches;
}
