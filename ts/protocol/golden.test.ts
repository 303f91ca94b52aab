// Golden frames built byte by byte from the protocol spec, as real clients send them: decoding
// must give known values, and encoding those values must give the same bytes back.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FrameDecoder } from './frame.js';
import { decodeRequest, decodeResponse, encodeRequest, encodeResponse } from './messages-io.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const ascii = (s: string) => Buffer.from(s, 'latin1').toString('hex');

function frame(payload: Buffer): Buffer {
  const size = Buffer.alloc(4);
  size.writeInt32BE(payload.length);
  return Buffer.concat([size, payload]);
}

// librdkafka's first request: ApiVersions v3, request header v2 (clientId keeps its int16 length).
const apiVersionsV3 = hex([
  '0012', '0003', '00000001', // apiKey 18, version 3, correlationId 1
  '0007', ascii('rdkafka'), // clientId: int16 length + bytes (not compact)
  '00', // header tagged fields: none
  '0b', ascii('librdkafka'), // clientSoftwareName: compact string, uvarint(10 + 1)
  '06', ascii('2.0.2'), // clientSoftwareVersion: compact string, uvarint(5 + 1)
  '00', // body tagged fields: none
].join(''));

// kafkajs Metadata v1 for one topic: request header v1, non-flexible body.
const metadataV1 = hex(`
  0003 0001 0000002a
  0007 ${ascii('kafkajs')}
  00000001
  000a ${ascii('test-topic')}
`);

// Metadata v1 asking for all topics: the topics array is null (int32 -1).
const metadataV1All = hex(`0003 0001 00000007 ffff ffffffff`);

test('ApiVersions v3 request (librdkafka)', () => {
  const frames = new FrameDecoder().pushAll(frame(apiVersionsV3));
  assert.is(frames.length, 1);
  const req = decodeRequest(frames[0]!);
  assert.is(req.apiKey, 18);
  assert.is(req.apiVersion, 3);
  assert.equal(req.header, { apiKey: 18, apiVersion: 3, correlationId: 1, clientId: 'rdkafka', headerVersion: 2 });
  assert.equal(req.body, { clientSoftwareName: 'librdkafka', clientSoftwareVersion: '2.0.2' });
  const again = encodeRequest(18, 3, 1, 'rdkafka', req.body);
  assert.ok(again.equals(frame(apiVersionsV3)), again.toString('hex'));
});

test('Metadata v1 request (kafkajs), one topic and all topics', () => {
  const one = decodeRequest(metadataV1);
  assert.equal(one.header, { apiKey: 3, apiVersion: 1, correlationId: 42, clientId: 'kafkajs', headerVersion: 1 });
  assert.equal(one.body, { topics: [{ name: 'test-topic', topicId: '00000000-0000-0000-0000-000000000000' }],
    allowAutoTopicCreation: true, includeClusterAuthorizedOperations: false, includeTopicAuthorizedOperations: false });
  assert.ok(encodeRequest(3, 1, 42, 'kafkajs', one.body).equals(frame(metadataV1)));

  const all = decodeRequest(metadataV1All);
  assert.is(all.header.clientId, null);
  assert.is((all.body as { topics: unknown }).topics, null);
  assert.ok(encodeRequest(3, 1, 7, null, all.body).equals(frame(metadataV1All)));
});

test('ApiVersions v3 response uses response header v0 (no tag byte after correlationId)', () => {
  const body = { errorCode: 0, apiKeys: [{ apiKey: 18, minVersion: 0, maxVersion: 3 }], throttleTimeMs: 0 };
  const out = encodeResponse(18, 3, 1, body) as Buffer;
  assert.equal(out.toString('hex'), [
    '00000013', // size 19
    '00000001', // correlationId, then the body straight away
    '0000', // errorCode
    '02', '0012', '0000', '0003', '00', // apiKeys: compact array of 1, entry tags
    '00000000', // throttleTimeMs
    '00', // body tags
  ].join(''));
  const back = decodeResponse(18, 3, out.subarray(4));
  assert.is(back.correlationId, 1);
  assert.equal((back.body as typeof body).apiKeys, [{ apiKey: 18, minVersion: 0, maxVersion: 3 }]);
});

test('flexible response header v1 carries an empty tag section', () => {
  const out = encodeResponse(12, 4, 9, { throttleTimeMs: 0, errorCode: 27 }) as Buffer;
  assert.equal(out.toString('hex'), '0000000c' + '00000009' + '00' + '00000000' + '001b' + '00');
});

test.run();
