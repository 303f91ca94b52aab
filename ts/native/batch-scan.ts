// Batch scan backed by the native addon: one crossing per buffer of concatenated v2 batches.
// Validates (rules per mode in native/src/core/batch_scan.h), summarises every batch and, only
// when the whole range is valid, assigns baseOffsets / leader epoch / LogAppendTime in place.
// Reference twin: batch-scan.ref.ts (same results, tested differentially).
//
// Memory: the native side writes into one module-level scratch Float64Array (the call is
// synchronous, so it is never shared between calls in flight); the result gets a copy sized to
// the batches found: one allocation per call, none per batch. Without maxBatches the scratch
// starts at up to 4096 batches and grows x4 with a rescan when a buffer holds more (nothing is
// assigned until a scan covers the whole range), so the result is never SummaryTooSmall.
import { native } from './load.js';
import { HEADER_SLOTS, SCAN_MODE_CODES, ScanResult, STRIDE, type ScanOptions } from './scan-result.js';
import { Status } from './status.js';

export { ScanResult } from './scan-result.js';
export type { BatchInfo, ScanMode, ScanOptions } from './scan-result.js';

const MIN_BATCH_SIZE = 61;
const INITIAL_CAPACITY = 4096;
let scratch = new Float64Array(HEADER_SLOTS + 256 * STRIDE);

function ensureCapacity(batches: number): Float64Array {
  const need = HEADER_SLOTS + batches * STRIDE;
  if (scratch.length < need) scratch = new Float64Array(need);
  return scratch;
}

function checkOption(name: string, v: number | undefined, max: number): number {
  if (v === undefined) return -1;
  if (!Number.isSafeInteger(v) || v < 0 || v > max) {
    throw new RangeError(`scanBatches: ${name} must be an integer in [0, ${max}], got ${v}`);
  }
  return v;
}

/**
 * Scans the batches in buf[start, end) (default: the whole buffer).
 * Returns a ScanResult; check `ok` (or `error()`) before trusting the summaries.
 */
export function scanBatches(buf: Uint8Array, opts: ScanOptions, start = 0, end = buf.length): ScanResult {
  const mode = SCAN_MODE_CODES[opts.mode];
  if (mode === undefined) throw new TypeError(`scanBatches: unknown mode ${String(opts.mode)}`);
  const base = checkOption('assignBaseOffset', opts.assignBaseOffset, Number.MAX_SAFE_INTEGER);
  const epoch = checkOption('leaderEpoch', opts.leaderEpoch, 0x7fffffff);
  const time = checkOption('logAppendTime', opts.logAppendTime, Number.MAX_SAFE_INTEGER);
  if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start <= end && end <= buf.length)) {
    throw new RangeError(`scanBatches: need 0 <= start <= end <= ${buf.length}, got [${start}, ${end})`);
  }
  const bound = Math.floor((end - start) / MIN_BATCH_SIZE) + 1; // more batches cannot fit
  if (opts.maxBatches !== undefined) {
    const cap = checkOption('maxBatches', opts.maxBatches, 0x7fffffff);
    const out = ensureCapacity(cap);
    const status = native.scanBatches(buf, start, end, mode, out.subarray(0, HEADER_SLOTS + cap * STRIDE),
      base, epoch, time);
    return finish(status, out);
  }
  let cap = Math.min(bound, INITIAL_CAPACITY);
  for (;;) {
    const out = ensureCapacity(cap);
    const status = native.scanBatches(buf, start, end, mode, out.subarray(0, HEADER_SLOTS + cap * STRIDE),
      base, epoch, time);
    if (status !== Status.SummaryTooSmall || cap >= bound) return finish(status, out);
    cap = Math.min(bound, cap * 4);
  }
}

function finish(status: number, out: Float64Array): ScanResult {
  const count = out[1];
  return new ScanResult(status < 0 ? status : Status.Ok, out.slice(0, HEADER_SLOTS + count * STRIDE));
}
