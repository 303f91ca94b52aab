// Index lookups over in-memory .index / .timeindex bytes (big-endian, as on disk), backed by the
// native addon. `count` is the number of valid entries (the buffer may be larger, e.g. a
// preallocated index). Formats and rules: native/src/core/index_file.h. Reference twin:
// index-lookup.ref.ts.
import { native } from './load.js';

const timeOut = new Float64Array(2); // reused: lookups are synchronous

/** Slot of the largest relative offset <= targetRelOffset, or -1 if none. */
export function indexLookup(entries: Uint8Array, count: number, targetRelOffset: number): number {
  return native.indexLookup(entries, count, targetRelOffset);
}

/** Slot of the largest timestamp <= targetTimestamp, or -1 if none. */
export function timeIndexLookup(entries: Uint8Array, count: number, targetTimestamp: number): number {
  return native.timeIndexLookup(entries, count, targetTimestamp, timeOut);
}

/** Slot of the first timestamp >= targetTimestamp, or -1 if none. */
export function timeIndexCeiling(entries: Uint8Array, count: number, targetTimestamp: number): number {
  native.timeIndexLookup(entries, count, targetTimestamp, timeOut);
  return timeOut[1];
}

/**
 * First bad slot of an offset index, -1 if sane: relative offsets >= 0 and strictly increasing,
 * positions >= 0, strictly increasing and < logSize.
 */
export function indexSanity(entries: Uint8Array, count: number, logSize: number): number {
  return native.indexSanity(entries, count, logSize);
}

/**
 * First bad slot of a time index, -1 if sane: timestamps strictly increasing, relative offsets
 * >= 0, non-decreasing and <= maxRelOffset.
 */
export function timeIndexSanity(entries: Uint8Array, count: number, maxRelOffset: number): number {
  return native.timeIndexSanity(entries, count, maxRelOffset);
}
