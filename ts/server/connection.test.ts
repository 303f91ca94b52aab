// The request pipeline over real sockets: ApiVersions (incl. KIP-511 downgrade), unknown keys and
// malformed frames (closed with a logged reason, the broker keeps serving), unsupported versions
// (error responses), pipelining with strict response order, acks=0.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ApiKey } from '../protocol/generated/api-keys.js';
import { buildBatch } from '../protocol/record/batch-builder.js';
import { createLogger } from './logger.js';
import { startBroker, type BrokerHandle } from './start-broker.js';
import { RawClient, handFrame } from './testing/raw-client.js';

const logLines: string[] = [];
let b: BrokerHandle;

test.before(async () => {
  const logger = createLogger({ level: 'debug', format: 'json', write: (l) => logLines.push(l) });
  b = await startBroker({ logger, config: { 'num.partitions': 1 } });
});
test.after(async () => {
  await b.close();
});

async function stillServes(): Promise<void> {
  const c = await RawClient.connect(b.port);
  const res = await c.request<{ errorCode: number; apiKeys: unknown[] }>(ApiKey.ApiVersions, 0, {});
  assert.is(res.errorCode, 0);
  c.close();
}

function loggedSince(mark: number, text: string): boolean {
  return logLines.slice(mark).some((l) => l.includes(text));
}

test('ApiVersions v0..v4 list the served APIs with Kafka 4.0 ranges', async () => {
  const c = await RawClient.connect(b.port);
  for (let v = 0; v <= 4; v++) {
    const res = await c.request<{ errorCode: number; apiKeys: Array<{ apiKey: number; minVersion: number; maxVersion: number }> }>(ApiKey.ApiVersions, v, v >= 3 ? { clientSoftwareName: 'raw', clientSoftwareVersion: '1' } : {});
    assert.is(res.errorCode, 0);
    const byKey = new Map(res.apiKeys.map((a) => [a.apiKey, [a.minVersion, a.maxVersion]]));
    assert.equal(byKey.get(ApiKey.Produce), [0, 11]);
    assert.equal(byKey.get(ApiKey.Fetch), [4, 17]);
    assert.equal(byKey.get(ApiKey.ListOffsets), [0, 10]);
    assert.equal(byKey.get(ApiKey.Metadata), [0, 12]);
    assert.equal(byKey.get(ApiKey.ApiVersions), [0, 4]);
    const keys = res.apiKeys.map((a) => a.apiKey);
    assert.equal(keys, [...keys].sort((x, y) => x - y));
  }
  c.close();
});

test('ApiVersions at an unknown version: v0 body, UNSUPPORTED_VERSION, our range (KIP-511)', async () => {
  const c = await RawClient.connect(b.port);
  c.sendRaw(handFrame(ApiKey.ApiVersions, 99, 4242, Buffer.from([0, 1, 2])));
  const res = await c.next<{ errorCode: number; apiKeys: Array<{ apiKey: number; minVersion: number; maxVersion: number }> }>(ApiKey.ApiVersions, 0);
  assert.is(res.correlationId, 4242);
  assert.is(res.body.errorCode, 35);
  assert.equal(res.body.apiKeys.map((a) => ({ ...a })), [{ apiKey: 18, minVersion: 0, maxVersion: 4 }]);
  // still open: a normal request works on the same connection
  assert.is((await c.request<{ errorCode: number }>(ApiKey.ApiVersions, 3, { clientSoftwareName: 'x', clientSoftwareVersion: '1' })).errorCode, 0);
  c.close();
});

test('unknown api key → connection closed with a logged reason; broker still serves', async () => {
  const mark = logLines.length;
  const c = await RawClient.connect(b.port);
  c.sendRaw(handFrame(999, 0, 1));
  assert.is(await c.nextFrame(), null);
  assert.ok(loggedSince(mark, 'unknown api key 999'));
  await stillServes();
});

test('version beyond the schema of a known key → closed', async () => {
  const mark = logLines.length;
  const c = await RawClient.connect(b.port);
  c.sendRaw(handFrame(ApiKey.Metadata, 77, 1));
  assert.is(await c.nextFrame(), null);
  assert.ok(loggedSince(mark, 'Metadata v77'));
  await stillServes();
});

test('malformed frames are refused with a reason, other clients unaffected', async () => {
  const other = await RawClient.connect(b.port);
  const cases: Array<[string, Buffer, string]> = [
    ['short frame', Buffer.from([0, 0, 0, 3, 0, 18, 0]), 'shorter than a request header'],
    ['negative size', Buffer.from([0xff, 0xff, 0xff, 0xf0, 1, 2, 3, 4]), 'negative'],
    ['huge size', Buffer.from([0x7f, 0xff, 0xff, 0xff, 1, 2, 3, 4]), 'socket.request.max.bytes'],
    // Metadata v1: topics array claims 5 entries, none follow
    ['truncated body', handFrame(ApiKey.Metadata, 1, 7, Buffer.from([0, 0, 0, 5])), 'malformed request (Metadata v1)'],
    // ApiVersions v0 has an empty body: extra bytes are garbage
    ['garbage after body', handFrame(ApiKey.ApiVersions, 0, 8, Buffer.from('garbage')), 'unexpected bytes after the request body'],
  ];
  for (const [name, bytes, reason] of cases) {
    const mark = logLines.length;
    const c = await RawClient.connect(b.port);
    c.sendRaw(bytes);
    assert.is(await c.nextFrame(), null, name);
    await new Promise((r) => setTimeout(r, 10));
    assert.ok(loggedSince(mark, reason), `${name}: log mentions "${reason}"`);
    const ok = await other.request<{ errorCode: number }>(ApiKey.ApiVersions, 1, {});
    assert.is(ok.errorCode, 0, `${name}: other connection still served`);
  }
  other.close();
});

test('Produce v2 (advertised, refused) and Fetch v3 (unadvertised) get UNSUPPORTED_VERSION responses', async () => {
  const c = await RawClient.connect(b.port);
  const batch = buildBatch([{ value: 'x' }]);
  const p = await c.request<any>(ApiKey.Produce, 2, { acks: 1, timeoutMs: 1000, topicData: [{ name: 'uv', partitionData: [{ index: 0, records: batch }] }] });
  assert.equal(p.responses.map((t: any) => [t.name, t.partitionResponses.map((x: any) => [x.index, x.errorCode])]), [['uv', [[0, 35]]]]);
  const f = await c.request<any>(ApiKey.Fetch, 3, { replicaId: -1, maxWaitMs: 0, minBytes: 1, maxBytes: 1000, topics: [{ topic: 'uv', partitions: [{ partition: 0, fetchOffset: 0, partitionMaxBytes: 100 }] }] });
  assert.is(f.responses[0].partitions[0].errorCode, 35);
  assert.not.ok(c.isClosed);
  c.close();
});

test('100 pipelined requests with a long-poll Fetch in the middle come back in order', async () => {
  const c = await RawClient.connect(b.port);
  await c.request(ApiKey.Metadata, 1, { topics: [{ name: 'pipe' }] }); // auto-create
  const sent: Array<[number, number, number]> = [];
  for (let i = 0; i < 100; i++) {
    let id: number;
    if (i === 40) {
      id = c.send(ApiKey.Fetch, 11, {
        replicaId: -1, maxWaitMs: 300, minBytes: 1, maxBytes: 1 << 20, isolationLevel: 0, sessionId: 0, sessionEpoch: -1,
        topics: [{ topic: 'pipe', partitions: [{ partition: 0, fetchOffset: 0, partitionMaxBytes: 1 << 20, currentLeaderEpoch: -1, logStartOffset: -1 }] }],
        forgottenTopicsData: [], rackId: '',
      });
      sent.push([id, ApiKey.Fetch, 11]);
    } else if (i % 2 === 0) {
      id = c.send(ApiKey.Metadata, 4, { topics: [{ name: 'pipe' }], allowAutoTopicCreation: false });
      sent.push([id, ApiKey.Metadata, 4]);
    } else {
      id = c.send(ApiKey.ApiVersions, 2, {});
      sent.push([id, ApiKey.ApiVersions, 2]);
    }
  }
  const got: number[] = [];
  for (const [, key, version] of sent) {
    const res = await c.next<any>(key, version);
    got.push(res.correlationId);
    if (key === ApiKey.Fetch) assert.equal(res.body.responses[0].partitions[0].errorCode, 0);
    if (key === ApiKey.Metadata) assert.is(res.body.topics[0].name, 'pipe');
  }
  assert.equal(got, sent.map((s) => s[0]));
  c.close();
});

test('acks=0 produce sends no response but appends', async () => {
  const c = await RawClient.connect(b.port);
  await c.request(ApiKey.Metadata, 1, { topics: [{ name: 'fire' }] });
  const produceId = c.send(ApiKey.Produce, 7, { transactionalId: null, acks: 0, timeoutMs: 1000, topicData: [{ name: 'fire', partitionData: [{ index: 0, records: buildBatch([{ value: 'a' }, { value: 'b' }]) }] }] });
  const apiId = c.send(ApiKey.ApiVersions, 1, {});
  const res = await c.next(ApiKey.ApiVersions, 1);
  assert.is(res.correlationId, apiId);
  assert.ok(produceId !== apiId);
  // acks=0 promises nothing about when the append is visible: poll the high watermark briefly.
  let latest = -1;
  for (let i = 0; i < 100 && latest !== 2; i++) {
    const lo = await c.request<any>(ApiKey.ListOffsets, 1, { replicaId: -1, topics: [{ name: 'fire', partitions: [{ partitionIndex: 0, timestamp: -1 }] }] });
    latest = lo.topics[0].partitions[0].offset;
    if (latest !== 2) await new Promise((r) => setTimeout(r, 20));
  }
  assert.is(latest, 2);
  assert.is(c.pendingFrames, 0);
  c.close();
});

test.run();
