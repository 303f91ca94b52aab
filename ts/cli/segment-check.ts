// The per-segment checks behind `samsa check` (see commands/check.ts for the list). Read-only.
// Batch validation is the native scanner's (replica mode); this file adds what one scan call
// cannot see: offsets across chunks and segments, the file-name base offset, the indexes.
import { readFile } from 'node:fs/promises';
import type { ScanResult } from '../native/scan-result.js';
import { parseOffsetIndex, parseTimeIndex, scanLogFile, DEFAULT_CHUNK_BYTES, OFFSET_INDEX_ENTRY_BYTES, TIME_INDEX_ENTRY_BYTES } from './segment-files.js';

export interface Problem { file: string; position: number | null; message: string }

export interface BatchExtent { position: number; size: number; baseOffset: number; lastOffset: number }

export interface SegmentSummary {
  /** Valid batches in file order. */
  batches: BatchExtent[];
  lastOffset: number | null;
  /** File position just past the last valid batch. */
  validBytes: number;
  fileSize: number;
}

type ScanBatches = (buf: Uint8Array, opts: { mode: 'produce' | 'replica' | 'recover' }, start?: number, end?: number) =>
  Pick<ScanResult, 'ok' | 'count' | 'errorPosition' | 'message' | 'batch'>;

let scanBatchesFn: ScanBatches | null = null;
async function loadScanBatches(): Promise<ScanBatches> {
  // Loaded on first use, so the other CLI commands start even when the addon is missing.
  const path = '../native/batch-scan.js';
  if (scanBatchesFn === null) scanBatchesFn = ((await import(path)) as { scanBatches: ScanBatches }).scanBatches;
  return scanBatchesFn;
}

const INT32_MAX = 0x7fffffff;

/** Validates every batch of a .log file; pushes problems; returns the valid batches. */
export async function checkSegmentLog(file: string, baseOffset: number, previousLastOffset: number | null, problems: Problem[],
  chunkBytes = DEFAULT_CHUNK_BYTES): Promise<SegmentSummary> {
  const scanBatches = await loadScanBatches();
  const batches: BatchExtent[] = [];
  let last = previousLastOffset;
  let stop = false;
  const accept = (b: BatchExtent): boolean => {
    if (batches.length === 0 && b.baseOffset < baseOffset) {
      problems.push({ file, position: b.position, message: `first batch baseOffset ${b.baseOffset} is below the segment's base offset ${baseOffset} (from the file name)` });
      return false;
    }
    if (last !== null && b.baseOffset <= last) {
      problems.push({ file, position: b.position, message: `batch baseOffset ${b.baseOffset} does not follow the previous last offset ${last}` });
      return false;
    }
    if (b.lastOffset - baseOffset > INT32_MAX) {
      problems.push({ file, position: b.position, message: `batch last offset ${b.lastOffset} is more than 2^31-1 above the segment base offset ${baseOffset}` });
      return false;
    }
    batches.push(b);
    last = b.lastOffset;
    return true;
  };
  const scan = await scanLogFile(file, {
    onRun: (buf, start, end, bufFilePosition) => {
      const r = scanBatches(buf, { mode: 'replica' }, start, end);
      for (let i = 0; i < r.count; i++) {
        const b = r.batch(i);
        if (!accept({ position: bufFilePosition + b.position, size: b.size, baseOffset: b.baseOffset, lastOffset: b.lastOffset })) { stop = true; return false; }
      }
      if (!r.ok) {
        problems.push({ file, position: bufFilePosition + r.errorPosition, message: `invalid batch: ${r.message}` });
        stop = true;
        return false;
      }
      return true;
    },
  }, chunkBytes);
  const lastBatch = batches[batches.length - 1];
  const validBytes = lastBatch !== undefined ? lastBatch.position + lastBatch.size : 0;
  if (!stop && scan.tail !== null) {
    problems.push({ file, position: scan.tail.position, message: `${scan.tail.kind === 'partial' ? 'torn tail' : 'corrupt batch framing'}: ${scan.tail.reason} (${scan.fileSize - scan.tail.position} bytes unreadable)` });
  }
  return { batches, lastOffset: batches.length > 0 ? last : null, validBytes: stop ? validBytes : scan.validBytes, fileSize: scan.fileSize };
}

function batchAt(batches: BatchExtent[], position: number): number {
  let lo = 0, hi = batches.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const p = batches[mid]!.position;
    if (p === position) return mid;
    if (p < position) lo = mid + 1; else hi = mid - 1;
  }
  return -1;
}

async function readIfExists(path: string): Promise<Buffer | null> {
  try { return await readFile(path); } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** Checks the .index and .timeindex of a segment against its scanned batches; returns the entry count. */
export async function checkSegmentIndexes(indexFile: string, timeIndexFile: string, baseOffset: number, seg: SegmentSummary,
  problems: Problem[]): Promise<number> {
  let entries = 0;
  const idx = await readIfExists(indexFile);
  if (idx !== null) {
    const parsed = parseOffsetIndex(idx, baseOffset);
    entries += parsed.entries.length;
    if (parsed.trailingBytes !== 0) problems.push({ file: indexFile, position: idx.length - parsed.trailingBytes, message: `${parsed.trailingBytes} trailing bytes are not a whole 8-byte entry` });
    parsed.entries.forEach((e, i) => {
      const at = i * OFFSET_INDEX_ENTRY_BYTES;
      const bad = (message: string) => problems.push({ file: indexFile, position: at, message: `entry ${i} (offset ${e.offset}, position ${e.position}): ${message}` });
      const prev = i > 0 ? parsed.entries[i - 1]! : null;
      if (prev !== null && e.offset <= prev.offset) return bad(`offset is not above the previous entry's ${prev.offset}`);
      if (prev !== null && e.position <= prev.position) return bad(`position is not above the previous entry's ${prev.position}`);
      if (e.relativeOffset < 0 || e.position < 0) return bad('negative relative offset or position');
      if (e.position >= seg.validBytes) return bad(`position is beyond the valid data of the .log (${seg.validBytes} of ${seg.fileSize} bytes)`);
      const k = batchAt(seg.batches, e.position);
      if (k < 0) return bad('position is not the start of a batch in the .log');
      const b = seg.batches[k]!;
      if (e.offset > b.lastOffset) return bad(`offset is above the last offset ${b.lastOffset} of the batch at that position`);
      if (k > 0 && e.offset <= seg.batches[k - 1]!.lastOffset) return bad(`offset is not above the last offset ${seg.batches[k - 1]!.lastOffset} of the batch before that position`);
      return undefined;
    });
  }
  const tidx = await readIfExists(timeIndexFile);
  if (tidx !== null) {
    const parsed = parseTimeIndex(tidx, baseOffset);
    entries += parsed.entries.length;
    if (parsed.trailingBytes !== 0) problems.push({ file: timeIndexFile, position: tidx.length - parsed.trailingBytes, message: `${parsed.trailingBytes} trailing bytes are not a whole 12-byte entry` });
    parsed.entries.forEach((e, i) => {
      const at = i * TIME_INDEX_ENTRY_BYTES;
      const bad = (message: string) => problems.push({ file: timeIndexFile, position: at, message: `entry ${i} (timestamp ${e.timestamp}, offset ${e.offset}): ${message}` });
      const prev = i > 0 ? parsed.entries[i - 1]! : null;
      if (prev !== null && e.timestamp < prev.timestamp) return bad(`timestamp is below the previous entry's ${prev.timestamp}`);
      if (prev !== null && e.offset < prev.offset) return bad(`offset is below the previous entry's ${prev.offset}`);
      if (e.offset < baseOffset) return bad(`offset is below the segment base offset ${baseOffset}`);
      if (seg.lastOffset === null || e.offset > seg.lastOffset) return bad(`offset is beyond the segment's last valid offset ${seg.lastOffset ?? '(none)'}`);
      return undefined;
    });
  }
  return entries;
}
