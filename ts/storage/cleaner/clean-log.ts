// The cleaning pass over one log's cleanable segments; runs on the pool (task `cleanLog`), reads
// the segment files itself and writes `.cleaned` files beside them, so no log bytes cross threads.
//
// Rules (Kafka's LogCleaner, simplified where noted):
// - Offset map: for every record with offset in [firstDirtyOffset, endOffset) and a key, the
//   key's latest offset. Control batches are not put in the map.
// - A record is kept when its key is not in the map, or its offset >= the map's offset for it.
//   Records without a key are kept (produce refuses them on compacted topics).
// - Tombstones (key, null value) are removed when they are in the already-clean section
//   (segment ends at or before firstDirtyOffset, so they survived one pass with their key's older
//   values gone) and the segment's largest batch maxTimestamp is older than now − delete.retention.ms
//   (Kafka's pre-KIP-534 rule, without the batch delete-horizon bit).
// - Control batches (transaction markers) are kept as they are. Samsa has no transaction index
//   yet, so records of aborted transactions are treated like committed ones (NOT removed).
// - A batch whose records all go is dropped, except the last batch of each producer id seen in
//   the cleaned range, kept empty (header only) to preserve its sequence state.
// - Offsets never change: kept batches keep baseOffset and lastOffsetDelta (gaps are allowed).
// - Groups: consecutive segments whose cleaned bytes fit segment.bytes (and offsets an int32
//   delta) are written as one segment named after the group's first base offset:
//   `<base>.log.cleaned` + `.index.cleaned` + `.timeindex.cleaned`, fsynced. A one-segment group
//   whose bytes did not change is not rewritten. The caller swaps them in (segment-swap.ts).
import { closeSync, fsyncSync, openSync, readSync, writeSync } from 'node:fs';
import { readBatches } from '../../protocol/record/batch-reader.js';
import { LogSegment } from '../log-segment.js';
import { decodeBatch, filterBatch } from './batch-filter.js';

export interface CleanSegmentInput { base: number; size: number; largestTimestamp: number }

export interface CleanLogInput {
  dir: string;
  /** Consecutive inactive segments, in offset order; the last one ends at endOffset. */
  segments: CleanSegmentInput[];
  endOffset: number;
  firstDirtyOffset: number;
  now: number;
  deleteRetentionMs: number;
  segmentBytes: number;
  indexIntervalBytes: number;
  maxIndexSize: number;
}

export interface CleanedGroup { base: number; replaced: number[]; size: number; maxTimestamp: number; offsetOfMaxTimestamp: number }

export interface CleanLogResult {
  groups: CleanedGroup[];
  recordsBefore: number;
  recordsAfter: number;
  bytesBefore: number;
  bytesAfter: number;
  keys: number;
}

const INT32_MAX = 0x7fffffff;

export function segmentPath(dir: string, base: number, suffix: string): string {
  return `${dir}/${String(base).padStart(20, '0')}.${suffix}`;
}

function readSegment(dir: string, s: CleanSegmentInput): Buffer {
  const buf = Buffer.allocUnsafe(s.size);
  const fd = openSync(segmentPath(dir, s.base, 'log'), 'r');
  try {
    let got = 0;
    while (got < s.size) {
      const n = readSync(fd, buf, got, s.size - got, got);
      if (n === 0) throw Object.assign(new Error(`segment ${s.base} is shorter than ${s.size} bytes`), { code: 'CLEANER_SEGMENT_CHANGED' });
      got += n;
    }
  } finally { closeSync(fd); }
  return buf;
}

function writeFileSynced(path: string, parts: Buffer[]): void {
  const fd = openSync(path, 'w');
  try {
    for (const p of parts) { let off = 0; while (off < p.length) off += writeSync(fd, p, off); }
    fsyncSync(fd);
  } finally { closeSync(fd); }
}

export function cleanLog(input: CleanLogInput): CleanLogResult {
  const segs = input.segments.map((s) => ({ ...s, bytes: readSegment(input.dir, s) }));
  // Pass 1: offset map over the dirty section; last batch of each producer.
  const map = new Map<string, number>();
  const producerLast = new Map<number, number>();
  for (const s of segs) {
    for (const b of readBatches(s.bytes)) {
      if (b.producerId >= 0) producerLast.set(b.producerId, b.lastOffset);
      if (b.isControl || b.lastOffset < input.firstDirtyOffset || b.recordsCount === 0) continue;
      for (const r of b.records()) {
        if (r.key !== null && r.offset >= input.firstDirtyOffset && r.offset < input.endOffset) map.set(r.key.toString('latin1'), r.offset);
      }
    }
  }
  // Pass 2: filter each segment.
  const horizon = input.now - input.deleteRetentionMs;
  let recordsBefore = 0, recordsAfter = 0, bytesBefore = 0;
  const cleaned = segs.map((s, i) => {
    const segEnd = segs[i + 1]?.base ?? input.endOffset;
    let largest = -1;
    for (const b of readBatches(s.bytes)) largest = Math.max(largest, b.maxTimestamp);
    if (largest < 0) largest = s.largestTimestamp;
    const dropTombstones = segEnd <= input.firstDirtyOffset && largest < horizon;
    const out: Buffer[] = [];
    let changed = false;
    bytesBefore += s.bytes.length;
    for (const b of readBatches(s.bytes)) {
      recordsBefore += b.recordsCount;
      if (b.isControl || b.recordsCount === 0) { out.push(b.bytes); recordsAfter += b.recordsCount; continue; }
      const decoded = decodeBatch(b);
      const keep = decoded.records.map((r) => {
        if (r.key === null) return true;
        const latest = map.get(r.key.toString('latin1'));
        if (latest !== undefined && r.offset < latest) return false;
        return !(r.value === null && dropTombstones);
      });
      const keepEmpty = b.producerId >= 0 && producerLast.get(b.producerId) === b.lastOffset;
      const nb = filterBatch(b, decoded, keep, keepEmpty);
      if (nb !== b.bytes) changed = true;
      if (nb !== null) { out.push(nb); recordsAfter += keep.filter(Boolean).length; }
    }
    return { base: s.base, end: segEnd, parts: out, size: out.reduce((n, p) => n + p.length, 0), changed };
  });
  // Group and write.
  const groups: CleanedGroup[] = [];
  let bytesAfter = 0;
  for (let i = 0; i < cleaned.length;) {
    let j = i + 1, size = cleaned[i]!.size;
    while (j < cleaned.length && size + cleaned[j]!.size <= input.segmentBytes && cleaned[j]!.end - 1 - cleaned[i]!.base <= INT32_MAX) { size += cleaned[j]!.size; j++; }
    const members = cleaned.slice(i, j);
    bytesAfter += size;
    if (members.length > 1 || members[0]!.changed) {
      const seg = writeGroup(input, members[0]!.base, members.flatMap((m) => m.parts));
      groups.push({ base: members[0]!.base, replaced: members.map((m) => m.base), size,
        maxTimestamp: seg.maxTimestampSoFar, offsetOfMaxTimestamp: seg.offsetOfMaxTimestampSoFar });
    }
    i = j;
  }
  return { groups, recordsBefore, recordsAfter, bytesBefore, bytesAfter, keys: map.size };
}

/** Writes the group's log and both indexes as `.cleaned` files (index policy as LogSegment.append). */
function writeGroup(input: CleanLogInput, base: number, batches: Buffer[]): LogSegment {
  const seg = LogSegment.create(input.dir, base, input.indexIntervalBytes, input.maxIndexSize, input.now);
  let pos = 0;
  for (const b of batches) {
    const view = [...readBatches(b)][0]!;
    const summary = { count: 1, position: () => 0, size: () => b.length, lastOffset: () => view.lastOffset, maxTimestamp: () => view.maxTimestamp };
    seg.append(summary, 0, b.length, input.now);
    pos += b.length;
  }
  writeFileSynced(segmentPath(input.dir, base, 'index.cleaned'), [seg.offsetIndex.entryBuffer.subarray(0, seg.offsetIndex.sizeInBytes)]);
  writeFileSynced(segmentPath(input.dir, base, 'timeindex.cleaned'), [seg.timeIndex.entryBuffer.subarray(0, seg.timeIndex.sizeInBytes)]);
  writeFileSynced(segmentPath(input.dir, base, 'log.cleaned'), batches);
  if (pos !== seg.size) throw new Error(`cleaner bookkeeping: wrote ${pos} bytes, segment counted ${seg.size}`);
  return seg;
}
