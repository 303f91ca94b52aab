// Rewrites one batch keeping only some of its records (Kafka's MemoryRecords.filterTo as the
// cleaner uses it). Records are kept byte for byte (their raw encoding is sliced out of the
// uncompressed section, not re-encoded), so offsets and timestamps stay exactly as produced.
// The rewritten batch keeps baseOffset, lastOffsetDelta, baseSequence, producer id/epoch,
// timestamps and attributes (codec included: a compressed batch is recompressed with its own
// codec); recordsCount becomes the kept count and the CRC is recomputed. A batch whose records
// are all kept is returned as is. An empty batch (header only, no codec) is what the cleaner
// writes when it must keep a producer's last batch for its sequence state.
import { assembleBatch } from '../../protocol/record/batch-builder.js';
import type { RecordBatchView } from '../../protocol/record/batch-reader.js';
import { getCodec } from '../../protocol/record/compression.js';
import { corrupt } from '../../protocol/record/errors.js';
import * as L from '../../protocol/record/layout.js';
import { decodeRecords, type Record } from '../../protocol/record/records.js';
import { readVarint } from '../../protocol/record/varint.js';

export interface DecodedBatch { section: Buffer; records: Record[]; spans: Array<[number, number]> }

/** The batch's records with the byte span of each inside the uncompressed section. */
export function decodeBatch(view: RecordBatchView): DecodedBatch {
  const section = view.recordsSection();
  const records = view.records();
  const spans: Array<[number, number]> = [];
  const cur = { pos: 0 };
  for (let i = 0; i < records.length; i++) {
    const start = cur.pos;
    const len = readVarint(section, cur, section.length);
    cur.pos += len;
    spans.push([start, cur.pos]);
  }
  if (cur.pos !== section.length) throw corrupt(`batch at offset ${view.baseOffset}: record spans end at ${cur.pos}, section is ${section.length}`);
  return { section, records, spans };
}

function header(view: RecordBatchView, attributes: number, recordsCount: number) {
  return {
    baseOffset: view.baseOffset, partitionLeaderEpoch: view.partitionLeaderEpoch, attributes,
    lastOffsetDelta: view.lastOffsetDelta, baseTimestamp: view.baseTimestamp, maxTimestamp: view.maxTimestamp,
    producerId: view.producerId, producerEpoch: view.producerEpoch, baseSequence: view.baseSequence, recordsCount,
  };
}

/** `keep[i]` says whether record i stays. Returns the batch bytes to write, or null for none. */
export function filterBatch(view: RecordBatchView, decoded: DecodedBatch, keep: readonly boolean[], keepEmpty: boolean): Buffer | null {
  const kept = keep.reduce((n, k) => n + (k ? 1 : 0), 0);
  if (kept === decoded.records.length) return view.bytes;
  if (kept === 0) {
    if (!keepEmpty) return null;
    return assembleBatch(header(view, view.attributes & ~L.COMPRESSION_CODEC_MASK, 0), Buffer.alloc(0));
  }
  const parts: Buffer[] = [];
  for (let i = 0; i < keep.length; i++) if (keep[i]) parts.push(decoded.section.subarray(decoded.spans[i]![0], decoded.spans[i]![1]));
  let section: Buffer = Buffer.concat(parts);
  // Check the slices still frame as records (cheap, catches a bug before it reaches disk).
  decodeRecords(section, 0, section.length, kept, view.baseOffset, view.baseTimestamp);
  if (view.compression !== 0) section = getCodec(view.compression).compress(section);
  return assembleBatch(header(view, view.attributes, kept), section);
}
