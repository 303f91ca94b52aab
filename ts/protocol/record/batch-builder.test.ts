import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { assembleBatch, buildBatch } from './batch-builder.js';
import * as L from './layout.js';

// Bitwise CRC-32C written from the definition (reflected polynomial 0x82F63B78), independent of
// the native implementation under test.
function crc32cBitwise(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (crc & 1 ? 0x82f63b78 : 0);
  }
  return (crc ^ 0xffffffff) >>> 0;
}

test('reference CRC-32C check value', () => {
  assert.is(crc32cBitwise(Buffer.from('123456789')), 0xe3069283);
});

test('golden bytes: two records, negative timestamp delta, null key, null header value', () => {
  const batch = buildBatch([
    { key: 'k', value: 'v', timestamp: 1000 },
    { key: null, value: 'ab', timestamp: 999, headers: [{ key: 'h', value: null }] },
  ], { baseOffset: 10, partitionLeaderEpoch: 3 });
  // Computed by hand from the spec (KAFKA-FACTS §2.1-2.3).
  const expected = Buffer.from(
    '000000000000000a' + // baseOffset 10
    '00000046' + //         batchLength 70 = 82 - 12
    '00000003' + //         partitionLeaderEpoch 3
    '02' + //               magic
    '67a3c3c2' + //         crc32c over [21, 82), computed independently
    '0000' + //             attributes: none, CreateTime
    '00000001' + //         lastOffsetDelta
    '00000000000003e8' + // baseTimestamp 1000 (first record)
    '00000000000003e8' + // maxTimestamp 1000
    'ffffffffffffffff' + // producerId -1
    'ffff' + //             producerEpoch -1
    'ffffffff' + //         baseSequence -1
    '00000002' + //         recordsCount
    // record 0: len 8, attr 0, tsDelta 0, offDelta 0, key "k", value "v", 0 headers
    '10' + '00' + '00' + '00' + '026b' + '0276' + '00' +
    // record 1: len 11, attr 0, tsDelta -1, offDelta 1, key null, value "ab", 1 header "h" -> null
    '16' + '00' + '01' + '02' + '01' + '046162' + '02' + '0268' + '01',
    'hex');
  assert.is(batch.length, 82);
  assert.is(batch.toString('hex'), expected.toString('hex'));
  assert.is(crc32cBitwise(batch.subarray(21)), batch.readUInt32BE(17));
});

test('header fields follow the options', () => {
  const b = buildBatch([{ value: 'x', timestamp: 5 }, { value: 'y', timestamp: 50 }, { value: 'z', timestamp: 7 }], {
    baseOffset: 2 ** 40, partitionLeaderEpoch: 7, producerId: 123456789012, producerEpoch: 4, baseSequence: 99,
    isTransactional: true, compression: 'none',
  });
  assert.is(b.readBigInt64BE(L.BASE_OFFSET_OFFSET), 2n ** 40n);
  assert.is(b.readInt32BE(L.BATCH_LENGTH_OFFSET), b.length - 12);
  assert.is(b.readInt32BE(L.PARTITION_LEADER_EPOCH_OFFSET), 7);
  assert.is(b.readUInt16BE(L.ATTRIBUTES_OFFSET), L.TRANSACTIONAL_FLAG_MASK);
  assert.is(b.readInt32BE(L.LAST_OFFSET_DELTA_OFFSET), 2);
  assert.is(b.readBigInt64BE(L.BASE_TIMESTAMP_OFFSET), 5n);
  assert.is(b.readBigInt64BE(L.MAX_TIMESTAMP_OFFSET), 50n);
  assert.is(b.readBigInt64BE(L.PRODUCER_ID_OFFSET), 123456789012n);
  assert.is(b.readInt16BE(L.PRODUCER_EPOCH_OFFSET), 4);
  assert.is(b.readInt32BE(L.BASE_SEQUENCE_OFFSET), 99);
  assert.is(b.readInt32BE(L.RECORDS_COUNT_OFFSET), 3);
  assert.is(crc32cBitwise(b.subarray(L.CRC_START)), b.readUInt32BE(L.CRC_OFFSET));
});

test('LogAppendTime sets maxTimestamp to now; control flag; gzip attribute bits', () => {
  const b = buildBatch([{ value: 'x', timestamp: 5 }], { timestampType: 'LogAppendTime', now: 777, isControl: true, compression: 'gzip' });
  assert.is(b.readBigInt64BE(L.MAX_TIMESTAMP_OFFSET), 777n);
  assert.is(b.readBigInt64BE(L.BASE_TIMESTAMP_OFFSET), 5n);
  assert.is(b.readUInt16BE(L.ATTRIBUTES_OFFSET), 1 | L.TIMESTAMP_TYPE_MASK | L.CONTROL_FLAG_MASK);
  assert.is(crc32cBitwise(b.subarray(L.CRC_START)), b.readUInt32BE(L.CRC_OFFSET));
});

test('empty batch: header only, timestamps -1', () => {
  const b = buildBatch([], { baseOffset: 100, lastOffsetDelta: 4 });
  assert.is(b.length, L.RECORD_BATCH_OVERHEAD);
  assert.is(b.readInt32BE(L.BATCH_LENGTH_OFFSET), L.MIN_BATCH_LENGTH);
  assert.is(b.readInt32BE(L.LAST_OFFSET_DELTA_OFFSET), 4);
  assert.is(b.readBigInt64BE(L.BASE_TIMESTAMP_OFFSET), -1n);
  assert.is(b.readBigInt64BE(L.MAX_TIMESTAMP_OFFSET), -1n);
  assert.is(b.readInt32BE(L.RECORDS_COUNT_OFFSET), 0);
});

test('default timestamps come from opts.now; explicit offset deltas leave gaps', () => {
  const b = buildBatch([{ value: 'a', offsetDelta: 0 }, { value: 'b', offsetDelta: 5 }], { now: 424242 });
  assert.is(b.readBigInt64BE(L.BASE_TIMESTAMP_OFFSET), 424242n);
  assert.is(b.readInt32BE(L.LAST_OFFSET_DELTA_OFFSET), 5);
});

function code(fn: () => unknown): string | undefined {
  try { fn(); } catch (e) { return (e as { code?: string }).code; }
  return undefined;
}

test('invalid options give typed errors', () => {
  assert.is(code(() => buildBatch([{ value: 'a', offsetDelta: 1 }, { value: 'b', offsetDelta: 1 }])), 'RECORD_VALUE_OUT_OF_RANGE');
  assert.is(code(() => buildBatch([{ value: 'a' }], { compression: 5 })), 'UNSUPPORTED_COMPRESSION'); // ids 5-7: no codec
  assert.is(code(() => buildBatch([{ value: 'a' }], { compression: 'brotli' as never })), 'UNSUPPORTED_COMPRESSION');
  assert.is(code(() => buildBatch([{ value: 'a' }], { producerEpoch: 40000 })), 'RECORD_VALUE_OUT_OF_RANGE');
  assert.is(code(() => buildBatch([{ value: 'a' }], { baseOffset: 2 ** 60 })), 'RECORD_VALUE_OUT_OF_RANGE');
});

test('assembleBatch wraps an already-encoded section', () => {
  const b = assembleBatch({
    baseOffset: 1, partitionLeaderEpoch: 0, attributes: 0, lastOffsetDelta: 0, baseTimestamp: 1, maxTimestamp: 1,
    producerId: -1, producerEpoch: -1, baseSequence: -1, recordsCount: 1,
  }, Buffer.from('0c0000000001610000', 'hex'));
  assert.is(b.length, 61 + 9);
  assert.is(b.subarray(61).toString('hex'), '0c0000000001610000');
  assert.is(crc32cBitwise(b.subarray(L.CRC_START)), b.readUInt32BE(L.CRC_OFFSET));
});

test.run();
