// lz4: the LZ4 frame format (magic 0x184D2204), which Kafka uses for magic v1+ batches
// (KafkaLZ4BlockOutputStream; librdkafka and kafkajs-lz4 write and read standard frames).
// Frames written here have independent blocks and a correct header checksum, which the Java
// reader requires. The package is `lz4-napi` (lz4_flex): it has a single speed, so
// compression.lz4.level (Kafka: 1..17, default 9) is validated and recorded but does not change
// the output; documented rather than hidden.
import type { Codec } from '../compression.js';
import { corrupt } from '../errors.js';
import { checkLevel, lazyPackage } from './native-package.js';

interface Lz4Package {
  compressFrameSync(data: Buffer): Buffer;
  decompressFrameSync(data: Buffer): Buffer;
}
const lz4 = lazyPackage<Lz4Package>('lz4-napi', 'lz4');

export const LZ4_LEVELS = { min: 1, max: 17, default: 9 } as const;
export const LZ4_FRAME_MAGIC = 0x184d2204;

export const lz4Codec: Codec = {
  compress(data, level = LZ4_LEVELS.default) {
    checkLevel('lz4', level, LZ4_LEVELS.min, LZ4_LEVELS.max);
    return lz4().compressFrameSync(data);
  },
  decompress(data) {
    if (data.length < 4 || data.readUInt32LE(0) !== LZ4_FRAME_MAGIC) {
      throw corrupt(`lz4 records do not start with the LZ4 frame magic 0x184D2204 (Kafka uses the frame format)`);
    }
    const pkg = lz4();
    try {
      return pkg.decompressFrameSync(data);
    } catch (err) {
      throw corrupt(`lz4 records do not decompress: ${(err as Error).message}`);
    }
  },
};
