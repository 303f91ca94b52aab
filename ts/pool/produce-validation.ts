// prepareProduceBatches: what the produce path does to a partition's records before Log.append
// (Kafka's LogValidator step for compression), per the topic's config:
//   - compressed batches (attributes & 7 ≠ 0) are validated (tasks/validate-compressed-batch.ts);
//     a batch that fails to decompress or disagrees with its header → CORRUPT_MESSAGE, and the
//     promise rejects so that nothing of the partition is appended;
//   - compression.type = gzip|snappy|lz4|zstd: batches in another codec (uncompressed included)
//     are recompressed to it with compression.<codec>.level; `uncompressed` decompresses;
//     `producer` (default) stores them as sent;
//   - cleanup.policy with compact: records without a key → INVALID_RECORD.
// An uncompressed batch on a `producer`, non-compacted topic is returned untouched without any
// work (the log's native scan checks its CRC and framing).
//
// Inline vs pool: handing a batch to a worker costs a copy into an owned ArrayBuffer (the request
// buffer is shared) plus a thread round trip: ~0.6-0.9 ms on the 2-core reference machine under
// load (bench/micro/pool-threshold.bench.ts, bench/results/pool-threshold.md), more than inline
// validation of gzip batches up to ~13 KB compressed. Above INLINE_MAX_BYTES the work (≥ 1 ms)
// goes to the pool so the event loop keeps serving; below, it runs inline.
// Note: a buffer that owns its whole ArrayBuffer is MOVED to the worker (detached): callers use
// the returned buffer only.
import { ErrorCode, KafkaError } from '../protocol/error-codes.js';
import { frameProblem } from '../protocol/record/batch-reader.js';
import { CompressionCode } from '../protocol/record/layout.js';
import * as L from '../protocol/record/layout.js';
import { runPoolTask } from './pool.js';
import { prepareProduceBatch, type ProducePlan } from './tasks/prepare-produce-batch.js';

/** Batches up to this many bytes are handled on the event loop (see the file comment). */
export const INLINE_MAX_BYTES = 16 * 1024;
let inlineMaxBytes = INLINE_MAX_BYTES;

/**
 * Overrides the inline limit for this process (benchmarks: Infinity = never use the pool, 0 =
 * always). Returns the previous value.
 */
export function setProduceInlineMaxBytes(bytes: number): number {
  if (!(bytes >= 0)) throw Object.assign(new Error(`inline limit ${bytes} must be a number >= 0 (Infinity = always inline)`), { code: 'INVALID_ARGUMENT' });
  const prev = inlineMaxBytes;
  inlineMaxBytes = bytes;
  return prev;
}

/** The topic settings this needs; LogConfig satisfies it. */
export interface ProduceTopicConfig {
  compressionType: string;
  cleanupPolicy?: string;
  compressionGzipLevel?: number;
  compressionLz4Level?: number;
  compressionZstdLevel?: number;
}

/** The plan for a topic, or null when batches are stored as produced with no checks beyond the scan. */
export function producePlanOf(cfg: ProduceTopicConfig): ProducePlan {
  const t = cfg.compressionType;
  let targetCodec: number | null = null;
  let level: number | undefined;
  if (t === 'uncompressed') targetCodec = 0;
  else if (t !== 'producer') {
    const id = (CompressionCode as Record<string, number>)[t];
    if (id === undefined || id === 0) throw new KafkaError(ErrorCode.INVALID_CONFIG!, `compression.type "${t}" is not producer|uncompressed|gzip|snappy|lz4|zstd`);
    targetCodec = id;
    level = t === 'gzip' ? cfg.compressionGzipLevel : t === 'lz4' ? cfg.compressionLz4Level : t === 'zstd' ? cfg.compressionZstdLevel : undefined;
  }
  const plan: ProducePlan = { targetCodec, requireKeys: (cfg.cleanupPolicy ?? 'delete').includes('compact') };
  if (level !== undefined) plan.level = level;
  return plan;
}

async function prepareOne(batch: Buffer, plan: ProducePlan): Promise<Buffer> {
  const codec = batch.readUInt16BE(L.ATTRIBUTES_OFFSET) & L.COMPRESSION_CODEC_MASK;
  const idle = codec === 0 && !plan.requireKeys && (plan.targetCodec === null || plan.targetCodec === 0);
  if (idle) return batch;
  if (batch.length <= inlineMaxBytes) return prepareProduceBatch(batch, plan);
  const out = await runPoolTask('prepareProduceBatch', batch, plan);
  return out.buffer!;
}

/**
 * Validates (and maybe recompresses) the batches of one partition's produce records. Resolves
 * to the bytes to append: `buf` itself when nothing changed (or its owned copy after a pool
 * round trip), else the rewritten batches. Rejects with KafkaError (CORRUPT_MESSAGE,
 * INVALID_RECORD, UNSUPPORTED_COMPRESSION_TYPE).
 */
export async function prepareProduceBatches(buf: Buffer, topicConfig: ProduceTopicConfig): Promise<Buffer> {
  const plan = producePlanOf(topicConfig);
  const batches: Buffer[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const problem = frameProblem(buf, pos);
    if (problem !== null) throw new KafkaError(ErrorCode.CORRUPT_MESSAGE!, `record batch at byte ${pos}: ${problem.reason}`);
    const size = buf.readInt32BE(pos + L.BATCH_LENGTH_OFFSET) + L.LOG_OVERHEAD;
    batches.push(buf.subarray(pos, pos + size));
    pos += size;
  }
  const out = await Promise.all(batches.map((b) => prepareOne(b, plan)));
  if (out.every((b, i) => b === batches[i])) return buf;
  return out.length === 1 ? out[0]! : Buffer.concat(out);
}
