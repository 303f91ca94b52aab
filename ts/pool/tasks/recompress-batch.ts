// Rewrites one batch with another codec (topic compression.type ≠ producer). The uncompressed
// records section is the same whatever the codec, so it is not re-encoded: decompress, compress
// with the target codec and level, and assemble a batch with the same header (producer id,
// epoch, base sequence, timestamps, timestamp type, transactional bit, lastOffsetDelta,
// recordsCount) and the new codec bits; the CRC is recomputed. Target 0 = uncompressed.
import { assembleBatch } from '../../protocol/record/batch-builder.js';
import { RecordBatchView } from '../../protocol/record/batch-reader.js';
import { getCodec } from '../../protocol/record/compression.js';
import * as L from '../../protocol/record/layout.js';
import { ownedBuffer } from '../owned-buffer.js';

/**
 * `section` is the batch's uncompressed records section when the caller already has it.
 * The result owns its ArrayBuffer (it may be transferred).
 */
export function recompressBatch(batch: Buffer, targetCodec: number, level?: number, section?: Buffer): Buffer {
  const view = new RecordBatchView(batch, 0);
  const plain = section ?? view.recordsSection();
  const packed = targetCodec === 0 ? plain : getCodec(targetCodec).compress(plain, level);
  const out = assembleBatch({
    baseOffset: view.baseOffset,
    partitionLeaderEpoch: view.partitionLeaderEpoch,
    attributes: (view.attributes & ~L.COMPRESSION_CODEC_MASK) | targetCodec,
    lastOffsetDelta: view.lastOffsetDelta,
    baseTimestamp: view.baseTimestamp,
    maxTimestamp: view.maxTimestamp,
    producerId: view.producerId,
    producerEpoch: view.producerEpoch,
    baseSequence: view.baseSequence,
    recordsCount: view.recordsCount,
  }, packed);
  return ownedBuffer(out);
}
