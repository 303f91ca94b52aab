// gzip: an RFC 1952 stream (node:zlib), as every Kafka client writes it. Levels as Kafka's
// compression.gzip.level: 1..9, or -1 for zlib's default (6). Decompression accepts several
// concatenated members, as GZIPInputStream does.
import { constants, gunzipSync, gzipSync } from 'node:zlib';
import type { Codec } from '../compression.js';
import { corrupt } from '../errors.js';
import { checkLevel } from './native-package.js';

export const GZIP_LEVELS = { min: 1, max: 9, default: -1 } as const;

export const gzipCodec: Codec = {
  compress(data, level = GZIP_LEVELS.default) {
    if (level !== -1) checkLevel('gzip', level, GZIP_LEVELS.min, GZIP_LEVELS.max);
    return gzipSync(data, { level: level === -1 ? constants.Z_DEFAULT_COMPRESSION : level });
  },
  decompress(data) {
    try {
      return gunzipSync(data);
    } catch (err) {
      throw corrupt(`gzip records do not decompress: ${(err as Error).message}`);
    }
  },
};
