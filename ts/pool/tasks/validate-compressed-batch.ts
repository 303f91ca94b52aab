// Kafka's LogValidator rules for one compressed magic-v2 batch, run on the pool or inline:
//   - the CRC-32C matches (the batch is not trusted before this);
//   - the records section decompresses with the batch's codec;
//   - exactly recordsCount records decode, each record's framing ends where its length says,
//     and the last record ends exactly at the end of the decompressed section;
//   - offset deltas are 0, 1, ..., n-1 (a producer never writes gaps; only the cleaner does) and
//     lastOffsetDelta is n-1; a produced batch has at least one record.
// Any failure is CORRUPT_MESSAGE naming the rule: nothing of the partition is appended.
// The summary also tells whether a record has a null key (compacted topics refuse those).
import { ErrorCode, KafkaError } from '../../protocol/error-codes.js';
import { RecordBatchView } from '../../protocol/record/batch-reader.js';
import * as L from '../../protocol/record/layout.js';
import { decodeRecords, type Record } from '../../protocol/record/records.js';

export interface BatchValidation {
  recordsCount: number;
  hasNullKey: boolean;
  /** The uncompressed records section (reused by recompression). */
  section: Buffer;
  records: Record[];
}

function corruptMessage(view: RecordBatchView, why: string): KafkaError {
  return new KafkaError(ErrorCode.CORRUPT_MESSAGE!, `${view.compressionName} batch (${view.recordsCount} records, ${view.size} bytes): ${why}`);
}

/** Validates the single batch `batch` (exactly one batch, framing already checked). */
export function validateCompressedBatch(batch: Buffer): BatchValidation {
  const view = new RecordBatchView(batch, 0);
  if (!view.crcValid()) throw corruptMessage(view, `CRC-32C mismatch (stored ${view.crc}, computed ${view.computeCrc()})`);
  const count = view.recordsCount;
  if (count <= 0) throw corruptMessage(view, `recordsCount ${count}: a produced batch holds at least one record`);
  if (view.lastOffsetDelta !== count - 1) {
    throw corruptMessage(view, `lastOffsetDelta ${view.lastOffsetDelta} does not match recordsCount ${count} (expected ${count - 1})`);
  }
  let section: Buffer;
  try {
    section = view.recordsSection();
  } catch (err) {
    if ((err as { code?: string }).code === 'UNSUPPORTED_COMPRESSION') {
      throw new KafkaError(ErrorCode.UNSUPPORTED_COMPRESSION_TYPE!, (err as Error).message);
    }
    throw corruptMessage(view, `records do not decompress: ${(err as Error).message}`);
  }
  let records: Record[];
  try {
    records = decodeRecords(section, 0, section.length, count, 0, view.baseTimestamp);
  } catch (err) {
    throw corruptMessage(view, `inner records do not match the header: ${(err as Error).message}`);
  }
  let hasNullKey = false;
  for (let i = 0; i < records.length; i++) {
    if (records[i]!.offset !== i) throw corruptMessage(view, `record ${i} has offset delta ${records[i]!.offset}, expected ${i}`);
    if (records[i]!.key === null) hasNullKey = true;
  }
  return { recordsCount: count, hasNullKey, section, records };
}

/** Null-key check for an uncompressed batch (compacted topics), with the same framing rules. */
export function uncompressedHasNullKey(batch: Buffer): boolean {
  const view = new RecordBatchView(batch, 0);
  const records = decodeRecords(batch, L.RECORDS_OFFSET, batch.length, view.recordsCount, 0, view.baseTimestamp);
  return records.some((r) => r.key === null);
}
