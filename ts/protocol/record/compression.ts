// Codec registry for the records section of a batch (attribute bits 0-2).
//
// The format layer knows codec ids only; implementations are registered here. The built-in
// adapters (codecs/: gzip via node:zlib, snappy, lz4, zstd via npm packages loaded on first use)
// are registered at load, and an embedding app may replace any of them. Kafka frames the codecs
// as: gzip = RFC 1952 stream, snappy = xerial-framed or raw snappy, lz4 = LZ4 frame format,
// zstd = zstd frame (details at the top of each codecs/<name>.ts).
//
// Codecs are synchronous: buildBatch/records() run inline. Heavy work belongs on the pool,
// which can compress with `encodeRecords` + its own codec and then call `assembleBatch`.
import { BUILTIN_CODECS } from './codecs/index.js';
import { RecordFormatError } from './errors.js';
import { CompressionCode, compressionName, type CompressionName } from './layout.js';

export interface Codec {
  /** `level` is the codec's Kafka level (compression.<codec>.level); omitted = the codec's default. */
  compress(data: Buffer, level?: number): Buffer;
  decompress(data: Buffer): Buffer;
}

const codecs = new Map<number, Codec>();

/** Registers (or replaces) the implementation of codec `code` (1..4: gzip, snappy, lz4, zstd). */
export function registerCodec(code: number | CompressionName, codec: Codec): void {
  const id = toCompressionCode(code);
  if (id === 0) throw new RecordFormatError('UNSUPPORTED_COMPRESSION', 'codec 0 (none) cannot be registered: it means "uncompressed"');
  codecs.set(id, codec);
}

export function hasCodec(code: number): boolean {
  return code === 0 || codecs.has(code);
}

/** The codec for `code`; throws UNSUPPORTED_COMPRESSION naming it when none is registered. */
export function getCodec(code: number): Codec {
  const codec = codecs.get(code);
  if (codec === undefined) {
    throw new RecordFormatError('UNSUPPORTED_COMPRESSION',
      `compression codec ${compressionName(code)} (id ${code}) is not registered; call registerCodec(${code}, { compress, decompress }) with an implementation first`);
  }
  return codec;
}

/** Accepts a codec name or id and returns the id, validating it. */
export function toCompressionCode(code: number | CompressionName): number {
  if (typeof code === 'number') {
    if (!Number.isInteger(code) || code < 0 || code > 7) {
      throw new RecordFormatError('UNSUPPORTED_COMPRESSION', `compression id ${code} is not 0..7 (3 attribute bits)`);
    }
    return code;
  }
  const id = CompressionCode[code];
  if (id === undefined) {
    throw new RecordFormatError('UNSUPPORTED_COMPRESSION', `compression "${String(code)}" is unknown; use one of ${Object.keys(CompressionCode).join(', ')}`);
  }
  return id;
}

for (const [id, codec] of BUILTIN_CODECS) registerCodec(id, codec);
