// Hostile input: the decoders must throw ProtocolError and nothing else, and never allocate from
// a declared length that the frame cannot back.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { decodeBuffer } from './codec.js';
import { REQUEST_SCHEMAS, MetadataRequestSchema, JoinGroupRequestSchema } from './generated/schemas.js';
import { decodeRequest, encodeRequest, UnsupportedRequestError } from './messages-io.js';
import { ProtocolError } from './protocol-error.js';
import { messageArbitrary } from './testing/schema-arbitrary.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

function expectProtocolError(fn: () => unknown, code?: string): ProtocolError {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof ProtocolError)) throw new Error(`expected ProtocolError, got ${String(err)}`);
    if (code) assert.is(err.code, code, err.message);
    return err;
  }
  throw new Error('expected a ProtocolError, decode succeeded');
}

// One valid request per (api, version), truncated at every byte.
test('truncation at every byte of a valid request of every api/version → ProtocolError', () => {
  let frames = 0;
  for (const schema of Object.values(REQUEST_SCHEMAS)) {
    for (let v = schema.versions[0]; v <= schema.versions[1]; v++) {
      const [value] = fc.sample(messageArbitrary(schema, v), { numRuns: 1, seed: schema.apiKey * 100 + v });
      const payload = encodeRequest(schema.apiKey, v, 1, 'c', value!).subarray(4);
      assert.equal(decodeRequest(payload).body, value);
      for (let cut = 0; cut < payload.length; cut++) expectProtocolError(() => decodeRequest(payload.subarray(0, cut)));
      frames++;
    }
  }
  assert.ok(frames > 300);
});

test('random bytes and random mutations → ProtocolError or a value, never another exception', () => {
  const valid = encodeRequest(3, 12, 5, 'client', {
    topics: [{ topicId: '00000000-0000-0000-0000-000000000000', name: 'orders' }], allowAutoTopicCreation: true,
    includeTopicAuthorizedOperations: false,
  }).subarray(4);
  fc.assert(fc.property(
    fc.array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
    (edits) => {
      const buf = Buffer.from(valid);
      for (const [at, byte] of edits) buf[at] = byte;
      try { decodeRequest(buf); } catch (err) { if (!(err instanceof ProtocolError)) throw err; }
    }), { numRuns: 3000 });
  fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), fc.integer({ min: 0, max: 70 }), (bytes, key) => {
    const buf = Buffer.concat([Buffer.from([0, key]), Buffer.from(bytes)]);
    try { decodeRequest(buf); } catch (err) { if (!(err instanceof ProtocolError)) throw err; }
  }), { numRuns: 3000 });
});

test('huge and negative lengths are refused before allocating', () => {
  // Metadata v1: topics array count 0x7fffffff in a 4-byte body.
  let e = expectProtocolError(() => decodeBuffer(MetadataRequestSchema, 1, hex('7fffffff')), 'PROTOCOL_BAD_LENGTH');
  assert.is(e.message, 'MetadataRequest v1 topics: length 2147483647 > 0 remaining');
  // Negative count other than -1.
  expectProtocolError(() => decodeBuffer(MetadataRequestSchema, 1, hex('fffffffe')), 'PROTOCOL_BAD_LENGTH');
  // String length 32767 with 2 bytes behind it: path names the array element.
  e = expectProtocolError(() => decodeBuffer(MetadataRequestSchema, 1, hex('00000002 0001 61 7fff 6162')), 'PROTOCOL_BAD_LENGTH');
  assert.is(e.message, 'MetadataRequest v1 topics[1].name: length 32767 > 2 remaining');
  // Null (-1) for a non-nullable string.
  expectProtocolError(() => decodeBuffer(MetadataRequestSchema, 1, hex('00000001 ffff')), 'PROTOCOL_NULL');
  // Compact array count near 2^32 in a flexible version.
  expectProtocolError(() => decodeBuffer(MetadataRequestSchema, 9, hex('ffffffff0f 00 00 00')), 'PROTOCOL_BAD_LENGTH');
});

test('bad varints: longer than 5 bytes or above 32 bits', () => {
  expectProtocolError(() => decodeBuffer(MetadataRequestSchema, 9, hex('808080808001')), 'PROTOCOL_BAD_VARINT');
  expectProtocolError(() => decodeBuffer(MetadataRequestSchema, 9, hex('ffffffff7f')), 'PROTOCOL_BAD_VARINT');
  expectProtocolError(() => decodeBuffer(MetadataRequestSchema, 9, hex('8080')), 'PROTOCOL_TRUNCATED');
});

test('tagged fields: size beyond the frame is refused', () => {
  // JoinGroup v6 minimal body then tags: count 1, tag 0, size 100 with 1 byte left.
  const body = hex('02 67 00000001 00000001 01 00 09' + '636f6e73756d6572' + '01');
  assert.equal(decodeBuffer<any>(JoinGroupRequestSchema, 6, Buffer.concat([body, hex('00')])).groupId, 'g');
  expectProtocolError(() => decodeBuffer(JoinGroupRequestSchema, 6, Buffer.concat([body, hex('01 00 64 00')])), 'PROTOCOL_BAD_LENGTH');
});

test('invalid UTF-8 in a string is an error; a real U+FFFD is fine', () => {
  const e = expectProtocolError(() => decodeBuffer(MetadataRequestSchema, 1, hex('00000001 0002 fffe')), 'PROTOCOL_BAD_UTF8');
  assert.ok(e.message.startsWith('MetadataRequest v1 topics[0].name:'), e.message);
  const ok = decodeBuffer<any>(MetadataRequestSchema, 1, hex('00000001 0003 efbfbd'));
  assert.is(ok.topics[0].name, '\ufffd');
});

test('unknown api key or version: header still parsed for the answer', () => {
  const buf = hex('0012 0063 0000002a 0003 616263 ff ff');
  try {
    decodeRequest(buf);
    assert.unreachable();
  } catch (err) {
    assert.instance(err, UnsupportedRequestError);
    const h = (err as UnsupportedRequestError).header;
    assert.equal([h.apiKey, h.apiVersion, h.correlationId, h.clientId], [18, 99, 42, 'abc']);
  }
  expectProtocolError(() => decodeRequest(hex('7fff 0000 00000001 ffff')), 'UNSUPPORTED_VERSION');
  expectProtocolError(() => decodeRequest(hex('00')), 'PROTOCOL_TRUNCATED');
});

test.run();
