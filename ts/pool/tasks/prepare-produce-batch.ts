// The produce-path work on one batch, in one pool crossing: validate a compressed batch
// (validate-compressed-batch.ts), refuse null keys on compacted topics (Kafka: INVALID_RECORD
// "Compacted topic cannot accept message without key"), then recompress when the topic's
// compression.type names a codec other than the batch's. Returns the batch itself when nothing
// changes. Synchronous: the caller decides inline or pool (produce-validation.ts).
import { ErrorCode, KafkaError } from '../../protocol/error-codes.js';
import * as L from '../../protocol/record/layout.js';
import { recompressBatch } from './recompress-batch.js';
import { uncompressedHasNullKey, validateCompressedBatch } from './validate-compressed-batch.js';

export interface ProducePlan {
  /** Codec id to store the batch with, or null to keep the producer's (compression.type=producer). */
  targetCodec: number | null;
  /** Level for targetCodec (compression.<codec>.level); undefined = the codec's default. */
  level?: number;
  /** The topic is compacted: every record needs a key. */
  requireKeys: boolean;
}

function nullKeyError(): KafkaError {
  return new KafkaError(ErrorCode.INVALID_RECORD!, 'compacted topic cannot accept a record without a key; set a key on every record (cleanup.policy=compact)');
}

export function prepareProduceBatch(batch: Buffer, plan: ProducePlan): Buffer {
  const codec = batch.readUInt16BE(L.ATTRIBUTES_OFFSET) & L.COMPRESSION_CODEC_MASK;
  const recompress = plan.targetCodec !== null && plan.targetCodec !== codec;
  if (codec === 0) {
    if (plan.requireKeys) {
      let missing: boolean;
      try { missing = uncompressedHasNullKey(batch); } catch (err) {
        throw new KafkaError(ErrorCode.CORRUPT_MESSAGE!, `uncompressed batch: ${(err as Error).message}`);
      }
      if (missing) throw nullKeyError();
    }
    if (!recompress) return batch;
    const v = validateCompressedBatch(batch); // same rules apply before the broker rewrites it
    return recompressBatch(batch, plan.targetCodec!, plan.level, v.section);
  }
  const v = validateCompressedBatch(batch);
  if (plan.requireKeys && v.hasNullKey) throw nullKeyError();
  return recompress ? recompressBatch(batch, plan.targetCodec!, plan.level, v.section) : batch;
}
