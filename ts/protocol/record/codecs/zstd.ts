// zstd: one or more zstd frames (magic 0xFD2FB528), package `@toondepauw/node-zstd` (napi-rs).
// Levels as Kafka's compression.zstd.level: -131072..22, default 3. Encoders are cached per level
// (they hold a compression context).
import type { Codec } from '../compression.js';
import { corrupt } from '../errors.js';
import { checkLevel, lazyPackage } from './native-package.js';

interface ZstdPackage {
  Encoder: new (level: number) => { encodeSync(data: Buffer): Buffer };
  Decoder: new () => { decodeSync(data: Buffer): Buffer };
}
const zstd = lazyPackage<ZstdPackage>('@toondepauw/node-zstd', 'zstd');

export const ZSTD_LEVELS = { min: -131072, max: 22, default: 3 } as const;

const encoders = new Map<number, { encodeSync(data: Buffer): Buffer }>();
let decoder: { decodeSync(data: Buffer): Buffer } | undefined;

export const zstdCodec: Codec = {
  compress(data, level = ZSTD_LEVELS.default) {
    checkLevel('zstd', level, ZSTD_LEVELS.min, ZSTD_LEVELS.max);
    let enc = encoders.get(level);
    if (enc === undefined) encoders.set(level, enc = new (zstd().Encoder)(level));
    return enc.encodeSync(data);
  },
  decompress(data) {
    const pkg = zstd();
    decoder ??= new pkg.Decoder();
    try {
      return decoder.decodeSync(data);
    } catch (err) {
      throw corrupt(`zstd records do not decompress: ${(err as Error).message}`);
    }
  },
};
