// Read-only access to a partition's segment files for the `dump-log` and `check` commands.
//
//   <20-digit base offset>.log        concatenated v2 batches (streamed here in chunks)
//   <20-digit base offset>.index      8-byte entries: relative offset int32 + position int32
//   <20-digit base offset>.timeindex  12-byte entries: timestamp int64 + relative offset int32
//
// Index files may be preallocated (zero-filled tail): as Kafka's dump tool does, entries stop at
// the first all-zero entry after the first one. Files are opened read-only and never written.
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { readBatches, type RecordBatchView } from '../protocol/record/batch-reader.js';
import { readInt64BE } from '../protocol/record/int64.js';

export type SegmentFileKind = 'log' | 'index' | 'timeindex';

export interface SegmentFileName { baseOffset: number; kind: SegmentFileKind }

/** Base offset and kind from `00000000000000000042.log`-style names; null if the name is not one. */
export function parseSegmentFileName(path: string): SegmentFileName | null {
  const m = /^(\d{20})\.(log|index|timeindex)$/.exec(basename(path));
  if (m === null) return null;
  const baseOffset = Number(m[1]);
  if (!Number.isSafeInteger(baseOffset)) return null;
  return { baseOffset, kind: m[2] as SegmentFileKind };
}

export interface OffsetIndexEntry { offset: number; position: number; relativeOffset: number }
export interface TimeIndexEntry { timestamp: number; offset: number; relativeOffset: number }
export interface IndexRead<E> { entries: E[]; /** Bytes after the last whole entry (file size not a multiple of the entry size). */ trailingBytes: number }

export const OFFSET_INDEX_ENTRY_BYTES = 8;
export const TIME_INDEX_ENTRY_BYTES = 12;

export function parseOffsetIndex(buf: Buffer, baseOffset: number): IndexRead<OffsetIndexEntry> {
  const n = Math.floor(buf.length / OFFSET_INDEX_ENTRY_BYTES);
  const entries: OffsetIndexEntry[] = [];
  for (let i = 0; i < n; i++) {
    const relativeOffset = buf.readInt32BE(i * OFFSET_INDEX_ENTRY_BYTES);
    const position = buf.readInt32BE(i * OFFSET_INDEX_ENTRY_BYTES + 4);
    if (i > 0 && relativeOffset === 0 && position === 0) break;
    entries.push({ offset: baseOffset + relativeOffset, position, relativeOffset });
  }
  return { entries, trailingBytes: buf.length % OFFSET_INDEX_ENTRY_BYTES };
}

export function parseTimeIndex(buf: Buffer, baseOffset: number): IndexRead<TimeIndexEntry> {
  const n = Math.floor(buf.length / TIME_INDEX_ENTRY_BYTES);
  const entries: TimeIndexEntry[] = [];
  for (let i = 0; i < n; i++) {
    const timestamp = readInt64BE(buf, i * TIME_INDEX_ENTRY_BYTES);
    const relativeOffset = buf.readInt32BE(i * TIME_INDEX_ENTRY_BYTES + 8);
    if (i > 0 && timestamp === 0 && relativeOffset === 0) break;
    entries.push({ timestamp, offset: baseOffset + relativeOffset, relativeOffset });
  }
  return { entries, trailingBytes: buf.length % TIME_INDEX_ENTRY_BYTES };
}

export interface LogTail {
  /** File position of the first byte that is not part of a whole, well-framed batch. */
  position: number;
  kind: 'partial' | 'corrupt';
  reason: string;
}

export interface LogScan {
  fileSize: number;
  /** Batches framed (and passed to onBatch). */
  batches: number;
  /** File position just past the last whole batch framed (where onRun stopped, if it did). */
  validBytes: number;
  tail: LogTail | null;
  stopped: boolean;
}

export const DEFAULT_CHUNK_BYTES = 4 * 1024 * 1024;

export interface LogScanHandlers {
  /** Each whole batch and its file position; the view's bytes are only valid during the call. */
  onBatch?: (batch: RecordBatchView, filePosition: number) => void | Promise<void>;
  /**
   * Each run of whole batches buf[start, end) framed from one chunk, before its onBatch calls;
   * `bufFilePosition` is the file position of buf[0]. Return false to stop the scan there.
   */
  onRun?: (buf: Buffer, start: number, end: number, bufFilePosition: number) => boolean | void | Promise<boolean | void>;
}

/**
 * Streams the batches of a .log file in chunks of about `chunkBytes` (a batch larger than a
 * chunk is read whole, but never more than the file holds). Stops at the first batch that
 * cannot be framed and reports it as the tail; `stopped` is true when onRun asked to stop.
 */
export async function scanLogFile(path: string, handlers: LogScanHandlers, chunkBytes = DEFAULT_CHUNK_BYTES): Promise<LogScan> {
  const { onBatch, onRun } = handlers;
  const fh = await open(path, 'r');
  try {
    const fileSize = (await fh.stat()).size;
    let buf = Buffer.allocUnsafe(Math.max(64, Math.min(chunkBytes, fileSize)));
    let bufStart = 0; // file position of buf[0]
    let bufLen = 0;
    let batches = 0;
    for (;;) {
      // Fill the buffer from the file.
      while (bufLen < buf.length && bufStart + bufLen < fileSize) {
        const { bytesRead } = await fh.read(buf, bufLen, buf.length - bufLen, bufStart + bufLen);
        if (bytesRead === 0) break;
        bufLen += bytesRead;
      }
      const it = readBatches(buf, 0, bufLen);
      const views = [...it]; // framing only: cheap header reads, no copies
      const consumed = it.stoppedAt;
      if (onRun !== undefined && consumed > 0 && (await onRun(buf, 0, consumed, bufStart)) === false) {
        return { fileSize, batches, validBytes: bufStart, tail: null, stopped: true };
      }
      for (const view of views) {
        batches++;
        if (onBatch !== undefined) await onBatch(view, bufStart + view.position);
      }
      const atEof = bufStart + bufLen >= fileSize;
      if (it.stopKind === 'end' && atEof) return { fileSize, batches, validBytes: bufStart + consumed, tail: null, stopped: false };
      const remainingInFile = fileSize - (bufStart + consumed);
      const needed = it.needed ?? 0;
      if (it.stopKind === 'corrupt' || (atEof && it.stopKind === 'partial') || needed > remainingInFile) {
        const reason = it.stopReason ?? 'unexpected end of data';
        return { fileSize, batches, validBytes: bufStart + consumed, tail: { position: bufStart + consumed, kind: it.stopKind === 'corrupt' ? 'corrupt' : 'partial', reason }, stopped: false };
      }
      // Keep the unconsumed bytes, grow the buffer if one batch needs more than a chunk.
      const rest = bufLen - consumed;
      const want = Math.max(chunkBytes, needed, 64);
      if (want > buf.length) {
        const bigger = Buffer.allocUnsafe(want);
        buf.copy(bigger, 0, consumed, bufLen);
        buf = bigger;
      } else {
        buf.copy(buf, 0, consumed, bufLen);
      }
      bufStart += consumed;
      bufLen = rest;
    }
  } finally {
    await fh.close();
  }
}
