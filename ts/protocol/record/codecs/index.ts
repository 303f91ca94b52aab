// The built-in codec adapters, by Kafka codec id. compression.ts registers them at load; an
// embedding app may still replace one with registerCodec. Each adapter loads its npm package on
// first use (native-package.ts).
import type { Codec } from '../compression.js';
import { gzipCodec, GZIP_LEVELS } from './gzip.js';
import { lz4Codec, LZ4_LEVELS } from './lz4.js';
import { snappyCodec } from './snappy.js';
import { zstdCodec, ZSTD_LEVELS } from './zstd.js';

export const BUILTIN_CODECS: ReadonlyMap<number, Codec> = new Map<number, Codec>([
  [1, gzipCodec], [2, snappyCodec], [3, lz4Codec], [4, zstdCodec],
]);

/** Kafka's level ranges and defaults (KIP-390); snappy has none. */
export const CODEC_LEVELS = { gzip: GZIP_LEVELS, lz4: LZ4_LEVELS, zstd: ZSTD_LEVELS } as const;
