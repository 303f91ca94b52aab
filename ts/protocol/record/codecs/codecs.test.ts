import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildBatch } from '../batch-builder.js';
import { readBatches } from '../batch-reader.js';
import { getCodec } from '../compression.js';
import { compressRawSnappy, compressXerial, decompressSnappy, isXerial, XERIAL_BLOCK_SIZE } from './snappy.js';

const CODECS = ['gzip', 'snappy', 'lz4', 'zstd'] as const;

function records(n: number) {
  return Array.from({ length: n }, (_, i) => ({
    key: i % 3 === 0 ? null : `key-${i}`,
    value: i % 7 === 0 ? null : `value-${i}-`.repeat(1 + (i % 11)),
    headers: i % 2 === 0 ? [{ key: 'h', value: `hv${i}` }] : [],
    timestamp: 1_700_000_000_000 + i,
  }));
}

for (const codec of CODECS) {
  test(`${codec}: buildBatch → readBatches round trip keeps every record`, () => {
    const inputs = records(250);
    const batch = buildBatch(inputs, { compression: codec, baseOffset: 42 });
    const views = [...readBatches(batch)];
    assert.is(views.length, 1);
    const v = views[0]!;
    assert.is(v.compressionName, codec);
    assert.ok(v.crcValid());
    const out = v.records();
    assert.is(out.length, 250);
    for (let i = 0; i < 250; i++) {
      assert.is(out[i]!.offset, 42 + i);
      assert.is(out[i]!.timestamp, inputs[i]!.timestamp);
      assert.is(out[i]!.key?.toString() ?? null, inputs[i]!.key);
      assert.is(out[i]!.value?.toString() ?? null, inputs[i]!.value);
      assert.equal(out[i]!.headers.map((h) => [h.key, h.value?.toString()]), inputs[i]!.headers.map((h) => [h.key, h.value]));
    }
  });

  test(`${codec}: compresses a repetitive section and round-trips an empty input`, () => {
    const c = getCodec(['none', ...CODECS].indexOf(codec));
    const data = Buffer.from('abcdefgh'.repeat(10_000));
    const packed = c.compress(data);
    assert.ok(packed.length < data.length / 10, `${packed.length} bytes`);
    assert.ok(c.decompress(packed).equals(data));
    assert.is(c.decompress(c.compress(Buffer.alloc(0))).length, 0);
  });

  test(`${codec}: garbage refused with CORRUPT_RECORD`, () => {
    const c = getCodec(['none', ...CODECS].indexOf(codec));
    try {
      c.decompress(Buffer.from('this is not a compressed stream at all, not even close'));
      assert.unreachable('decompressed garbage');
    } catch (err) {
      assert.is((err as { code?: string }).code, 'CORRUPT_RECORD');
    }
  });
}

test('levels: gzip/zstd levels change output, out-of-range levels are refused', () => {
  const data = Buffer.from(Array.from({ length: 5000 }, (_, i) => `row ${i} ${i * 7919 % 1000}`).join('\n'));
  const gz = getCodec(1);
  assert.ok(gz.compress(data, 1).length > gz.compress(data, 9).length);
  assert.ok(gz.decompress(gz.compress(data, 1)).equals(data));
  const zs = getCodec(4);
  assert.ok(zs.decompress(zs.compress(data, 19)).equals(data));
  assert.ok(zs.decompress(zs.compress(data, -5)).equals(data));
  for (const [id, bad] of [[1, 10], [3, 18], [4, 23], [1, 0]] as const) {
    try { getCodec(id).compress(data, bad); assert.unreachable(`level ${bad} accepted`); } catch (err) {
      assert.is((err as { code?: string }).code, 'RECORD_VALUE_OUT_OF_RANGE');
    }
  }
});

test('snappy: xerial framing is written in 32 KiB blocks and raw blocks decode too', () => {
  const data = Buffer.from(Array.from({ length: 20_000 }, (_, i) => `${i},`).join(''));
  const x = compressXerial(data);
  assert.ok(isXerial(x));
  assert.is(x.readInt32BE(8), 1);
  assert.is(x.readInt32BE(12), 1);
  let blocks = 0;
  for (let pos = 16; pos < x.length; pos += 4 + x.readInt32BE(pos)) blocks++;
  assert.is(blocks, Math.ceil(data.length / XERIAL_BLOCK_SIZE));
  assert.ok(decompressSnappy(x).equals(data));
  const raw = compressRawSnappy(data);
  assert.not.ok(isXerial(raw));
  assert.ok(decompressSnappy(raw).equals(data));
});

test('snappy: a batch whose records section is one raw block (librdkafka style) reads back', () => {
  const plain = buildBatch(records(20), { compression: 'none' });
  const section = plain.subarray(61);
  const batch = Buffer.concat([plain.subarray(0, 61), compressRawSnappy(Buffer.from(section))]);
  batch.writeInt32BE(batch.length - 12, 8);
  batch.writeUInt16BE(2, 21);
  const out = [...readBatches(batch)][0]!.records();
  assert.is(out.length, 20);
  assert.is(out[19]!.value?.toString(), records(20)[19]!.value);
});

test('snappy: truncated xerial block is CORRUPT_RECORD', () => {
  const x = compressXerial(Buffer.from('hello '.repeat(1000)));
  try { decompressSnappy(x.subarray(0, x.length - 3)); assert.unreachable(); } catch (err) {
    assert.is((err as { code?: string }).code, 'CORRUPT_RECORD');
  }
});

test('lz4: frames carry the frame magic and independent blocks (Kafka/Java reader needs both)', () => {
  const f = getCodec(3).compress(Buffer.from('x'.repeat(100_000)));
  assert.is(f.readUInt32LE(0), 0x184d2204);
  const flg = f[4]!;
  assert.is(flg >> 6, 1, 'frame version 01');
  assert.is((flg >> 5) & 1, 1, 'block independence');
});

test.run();
