import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { decodeBuffer, encodeToBuffer, encodeToPieces } from './codec.js';
import { REQUEST_SCHEMAS, RESPONSE_SCHEMAS, FetchResponseSchema, ProduceRequestSchema, JoinGroupRequestSchema,
  DescribeTopicPartitionsResponseSchema, ApiVersionsResponseSchema } from './generated/schemas.js';
import { INTERNAL_SCHEMAS } from './generated/internal.js';
import { messageArbitrary } from './testing/schema-arbitrary.js';
import { ProtocolError } from './protocol-error.js';
import type { RecordsRegion } from './primitives/writer.js';
import type { MessageSchema } from './schema-types.js';

const ALL: MessageSchema[] = [
  ...Object.values(REQUEST_SCHEMAS), ...Object.values(RESPONSE_SCHEMAS), ...Object.values(INTERNAL_SCHEMAS),
];

test('every message, every valid version: encode → decode deep-equal → re-encode byte-equal', () => {
  let pairs = 0;
  for (const schema of ALL) {
    for (let v = schema.versions[0]; v <= schema.versions[1]; v++) {
      fc.assert(fc.property(messageArbitrary(schema, v), (value) => {
        const bytes = encodeToBuffer(schema, v, value);
        const decoded = decodeBuffer(schema, v, bytes);
        if (!isDeepStrictEqual(decoded, value)) {
          throw new Error(`${schema.name} v${v}: decoded value differs`);
        }
        const again = encodeToBuffer(schema, v, decoded);
        if (!again.equals(bytes)) throw new Error(`${schema.name} v${v}: re-encoding differs`);
      }), { numRuns: 25 });
      pairs++;
    }
  }
  // 94 APIs x 2 plus internal schemas: guards against the table silently shrinking.
  assert.ok(pairs > 650, `only ${pairs} (message, version) pairs`);
});

test('decode fills defaults for fields absent in the version', () => {
  const v2 = encodeToBuffer(ProduceRequestSchema, 2, { acks: 1, timeoutMs: 100, topicData: [] });
  const d = decodeBuffer<Record<string, unknown>>(ProduceRequestSchema, 2, v2);
  assert.equal(d, { acks: 1, timeoutMs: 100, topicData: [], transactionalId: null });
  // v2 has no transactionalId: 2 + 4 + 4 bytes.
  assert.is(v2.length, 10);
});

test('records decode to a slice of the input, not a copy', () => {
  const records = Buffer.from('0123456789');
  const buf = encodeToBuffer(ProduceRequestSchema, 9, {
    transactionalId: null, acks: -1, timeoutMs: 5, topicData: [{ name: 't', partitionData: [{ index: 0, records }] }],
  });
  const d = decodeBuffer<any>(ProduceRequestSchema, 9, buf);
  const got: Buffer = d.topicData[0].partitionData[0].records;
  assert.ok(got.equals(records));
  assert.is(got.buffer, buf.buffer);
  got[0] = 0x41;
  assert.is(buf.indexOf('A123456789'), buf.length - 'A123456789'.length - 3); // then 3 empty tag sections
});

test('records regions: pieces split at the region, length prefix already written', () => {
  const region: RecordsRegion = { length: 1000 };
  const body = {
    throttleTimeMs: 0, errorCode: 0, sessionId: 0,
    responses: [{ topic: 't', partitions: [{ partitionIndex: 0, errorCode: 0, highWatermark: 10,
      lastStableOffset: 10, logStartOffset: 0, abortedTransactions: null, preferredReadReplica: -1, records: region }] }],
  };
  for (const v of [4, 11, 12]) {
    const pieces = encodeToPieces(FetchResponseSchema, v, body);
    // Non-flexible: the region ends the message, so there is no tail piece.
    assert.is(pieces.length, v < 12 ? 2 : 3);
    assert.is(pieces[1], region);
    const head = pieces[0] as Buffer;
    if (v < 12) assert.is(head.readInt32BE(head.length - 4), 1000);
    else assert.equal([...head.subarray(head.length - 2)], [0xe9, 0x07]); // uvarint 1001
    // Same bytes as encoding the real records.
    const real = encodeToBuffer(FetchResponseSchema, v, {
      ...body, responses: [{ ...body.responses[0]!, partitions: [{ ...body.responses[0]!.partitions[0]!, records: Buffer.alloc(1000, 7) }] }],
    });
    const joined = Buffer.concat([head, Buffer.alloc(1000, 7), (pieces[2] as Buffer | undefined) ?? Buffer.alloc(0)]);
    assert.ok(joined.equals(real), `v${v}`);
  }
});

test('null in a non-nullable field is a ProtocolError naming the path', () => {
  try {
    encodeToBuffer(ProduceRequestSchema, 3, { transactionalId: null, acks: 1, timeoutMs: 1, topicData: [{ name: null, partitionData: [] }] });
    assert.unreachable();
  } catch (err) {
    assert.instance(err, ProtocolError);
    assert.is((err as ProtocolError).code, 'PROTOCOL_NULL');
    assert.is((err as Error).message.startsWith('ProduceRequest v3 topicData[0].name:'), true, (err as Error).message);
  }
});

test('nullable struct uses an int8 presence marker; tagged fields only when non-default', () => {
  const base = { throttleTimeMs: 0, topics: [] };
  const none = encodeToBuffer(DescribeTopicPartitionsResponseSchema, 0, { ...base, nextCursor: null });
  const some = encodeToBuffer(DescribeTopicPartitionsResponseSchema, 0, { ...base, nextCursor: { topicName: 'a', partitionIndex: 3 } });
  // throttle(4) + compact array(1) + marker(1) + tags(1)
  assert.equal([...none], [0, 0, 0, 0, 1, 0xff, 0]);
  assert.equal([...some.subarray(5)], [1, 2, 0x61, 0, 0, 0, 3, 0, 0]);
  // ApiVersions v3: supportedFeatures etc. are tagged; defaults are not written.
  const av = encodeToBuffer(ApiVersionsResponseSchema, 3, { errorCode: 0, apiKeys: [], throttleTimeMs: 0 });
  assert.equal([...av], [0, 0, 1, 0, 0, 0, 0, 0]);
  const withEpoch = encodeToBuffer(ApiVersionsResponseSchema, 3, { errorCode: 0, apiKeys: [], throttleTimeMs: 0, finalizedFeaturesEpoch: 5 });
  // one tagged field: tag 1, size 8, int64 5
  assert.equal([...withEpoch.subarray(7)], [1, 1, 8, 0, 0, 0, 0, 0, 0, 0, 5]);
});

test('unknown tagged fields survive decode → encode in tag order', () => {
  const value = { groupId: 'g', sessionTimeoutMs: 1, rebalanceTimeoutMs: 1, memberId: '', groupInstanceId: null,
    protocolType: 'consumer', protocols: [], reason: null,
    _unknownTags: [{ tag: 7, data: Buffer.from([1, 2]) }, { tag: 9, data: Buffer.alloc(0) }] };
  const buf = encodeToBuffer(JoinGroupRequestSchema, 8, value);
  const d = decodeBuffer<any>(JoinGroupRequestSchema, 8, buf);
  assert.equal(d._unknownTags.map((t: any) => [t.tag, [...t.data]]), [[7, [1, 2]], [9, []]]);
  assert.ok(encodeToBuffer(JoinGroupRequestSchema, 8, d).equals(buf));
});

test('int64 beyond the safe range is clamped, never thrown', () => {
  const s = INTERNAL_SCHEMAS.OffsetCommitValue!;
  const buf = encodeToBuffer(s, 0, { offset: 2 ** 70, metadata: '', commitTimestamp: -(2 ** 70) });
  assert.equal([...buf.subarray(0, 8)], [0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
  const d = decodeBuffer<any>(s, 0, buf);
  assert.is(d.offset, 2 ** 63);
  assert.is(d.commitTimestamp, -(2 ** 63));
});

test('versions outside the schema are UNSUPPORTED_VERSION', () => {
  try {
    encodeToBuffer(ProduceRequestSchema, 99, {});
    assert.unreachable();
  } catch (err) {
    assert.is((err as ProtocolError).code, 'UNSUPPORTED_VERSION');
  }
});

test.run();
