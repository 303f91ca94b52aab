// snappy as Kafka clients frame it. Two framings exist on the wire:
//   raw     one snappy block holding the whole records section (librdkafka, kafkajs-snappy,
//           franz-go, sarama write this);
//   xerial  the Java client's snappy-java SnappyOutputStream framing:
//             off size
//               0    8  magic 0x82 'S' 'N' 'A' 'P' 'P' 'Y' 0x00
//               8    4  version int32 BE (1)
//              12    4  compatible version int32 BE (1)
//              16    .  blocks: [int32 BE compressed length][raw snappy block of ≤ 32 KiB input]
// Decoding detects the xerial magic and accepts both; every client reads both (librdkafka and
// kafkajs-snappy detect the magic too), so encoding writes xerial like the Java client, with its
// 32 KiB block size. snappy has no levels. The codec is the `snappy` package (napi-rs).
import type { Codec } from '../compression.js';
import { corrupt } from '../errors.js';
import { lazyPackage } from './native-package.js';

interface SnappyPackage {
  compressSync(input: Uint8Array): Buffer;
  uncompressSync(input: Uint8Array, opts: { asBuffer: true }): Buffer;
}
const snappy = lazyPackage<SnappyPackage>('snappy', 'snappy');

export const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
export const XERIAL_HEADER_SIZE = 16;
export const XERIAL_BLOCK_SIZE = 32 * 1024;

export function isXerial(data: Uint8Array): boolean {
  return data.length >= XERIAL_HEADER_SIZE && XERIAL_MAGIC.equals(data.subarray(0, XERIAL_MAGIC.length));
}

/** One raw snappy block (what librdkafka writes). */
export function compressRawSnappy(data: Buffer): Buffer {
  return snappy().compressSync(data);
}

export function compressXerial(data: Buffer): Buffer {
  const parts: Buffer[] = [Buffer.alloc(XERIAL_HEADER_SIZE)];
  XERIAL_MAGIC.copy(parts[0]!, 0);
  parts[0]!.writeInt32BE(1, 8);
  parts[0]!.writeInt32BE(1, 12);
  for (let pos = 0; pos < data.length; pos += XERIAL_BLOCK_SIZE) {
    const block = snappy().compressSync(data.subarray(pos, Math.min(pos + XERIAL_BLOCK_SIZE, data.length)));
    const len = Buffer.allocUnsafe(4);
    len.writeInt32BE(block.length, 0);
    parts.push(len, block);
  }
  return Buffer.concat(parts);
}

function uncompressBlock(block: Uint8Array, what: string): Buffer {
  try {
    return snappy().uncompressSync(block, { asBuffer: true });
  } catch (err) {
    if ((err as { code?: string }).code === 'UNSUPPORTED_COMPRESSION') throw err;
    throw corrupt(`snappy records do not decompress (${what}): ${(err as Error).message}`);
  }
}

export function decompressSnappy(data: Buffer): Buffer {
  if (!isXerial(data)) return uncompressBlock(data, 'raw block');
  const out: Buffer[] = [];
  let pos = XERIAL_HEADER_SIZE;
  while (pos < data.length) {
    if (pos + 4 > data.length) throw corrupt(`snappy xerial stream ends inside a block length at byte ${pos}`);
    const len = data.readInt32BE(pos);
    pos += 4;
    if (len < 0 || pos + len > data.length) throw corrupt(`snappy xerial block at byte ${pos - 4} declares ${len} bytes but ${data.length - pos} remain`);
    out.push(uncompressBlock(data.subarray(pos, pos + len), `xerial block at byte ${pos - 4}`));
    pos += len;
  }
  return out.length === 1 ? out[0]! : Buffer.concat(out);
}

export const snappyCodec: Codec = {
  compress: (data) => compressXerial(data),
  decompress: (data) => decompressSnappy(data),
};
