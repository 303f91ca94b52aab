// The Connection reads every socket into one reused buffer (connection.ts readIntoReusedBuffer,
// FrameDecoder transient chunks): frames that span reads, frames wholly inside one read, reading
// paused by backpressure (queued.max.requests 2) and resumed, and a half-close all keep every
// byte: produced batches read back with their exact values, in order. The last test fails if a
// Node upgrade takes the reused-buffer path away (the Connection would fall back to 'data').
import * as net from 'node:net';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ApiKey } from '../protocol/generated/api-keys.js';
import { buildBatch } from '../protocol/record/batch-builder.js';
import { readBatches } from '../protocol/record/batch-reader.js';
import { readIntoReusedBuffer } from './connection.js';
import { createLogger } from './logger.js';
import { startBroker, type BrokerHandle } from './start-broker.js';
import { RawClient } from './testing/raw-client.js';

let b: BrokerHandle;
test.before(async () => {
  b = await startBroker({ logger: createLogger({ level: 'silent' }), config: { 'num.partitions': 1, 'queued.max.requests': 2 } });
});
test.after(async () => {
  await b.close();
});

function value(req: number, rec: number, size: number): string {
  return `${req}:${rec}:`.padEnd(size, String.fromCharCode(97 + ((req * 7 + rec) % 26)));
}

test('pipelined produce of small and 200 KB batches through paused reads: every record back in order', async () => {
  const c = await RawClient.connect(b.port);
  await c.request(ApiKey.Metadata, 1, { topics: [{ name: 'rb' }] });
  const expected: string[] = [];
  const ids: number[] = [];
  for (let r = 0; r < 24; r++) {
    const n = r % 3 === 0 ? 200 : 3; // ~200 KB (spans reads) or ~100 B (inside one read)
    const size = r % 3 === 0 ? 1000 : 30;
    const vals = Array.from({ length: n }, (_, i) => value(r, i, size));
    expected.push(...vals);
    ids.push(c.send(ApiKey.Produce, 7, { transactionalId: null, acks: 1, timeoutMs: 5000, topicData: [{ name: 'rb', partitionData: [{ index: 0, records: buildBatch(vals.map((v) => ({ value: v }))) }] }] }));
  }
  const got: number[] = [];
  for (let i = 0; i < ids.length; i++) {
    const res = await c.next<any>(ApiKey.Produce, 7);
    got.push(res.correlationId);
    assert.is(res.body.responses[0].partitionResponses[0].errorCode, 0);
  }
  assert.equal(got, ids);
  const values: string[] = [];
  while (values.length < expected.length) {
    const f = await c.request<any>(ApiKey.Fetch, 11, {
      replicaId: -1, maxWaitMs: 0, minBytes: 1, maxBytes: 8 << 20, isolationLevel: 0, sessionId: 0, sessionEpoch: -1,
      topics: [{ topic: 'rb', partitions: [{ partition: 0, fetchOffset: values.length, partitionMaxBytes: 8 << 20, currentLeaderEpoch: -1, logStartOffset: -1 }] }],
      forgottenTopicsData: [], rackId: '',
    });
    const records = f.responses[0].partitions[0].records as Buffer;
    assert.ok(records && records.length > 0, 'fetch returns data');
    for (const batch of readBatches(records)) for (const rec of batch.records()) values.push(rec.value!.toString());
  }
  assert.is(values.length, expected.length);
  assert.equal(values, expected);
  c.close();
});

test('half-close after a request: the response still arrives, then the broker closes', async () => {
  const c = await RawClient.connect(b.port);
  const id = c.send(ApiKey.ApiVersions, 2, {});
  c.socket.end();
  const res = await c.next(ApiKey.ApiVersions, 2);
  assert.is(res.correlationId, id);
  await c.closed;
  assert.ok(c.isClosed);
});

test('readIntoReusedBuffer is in effect on this Node: one buffer for every read, pause/resume, end', async () => {
  const got: Buffer[] = [];
  const buffers = new Set<ArrayBufferLike>();
  let ended = false;
  let paused = false;
  const server = net.createServer((s) => {
    const ok = readIntoReusedBuffer(s, 4096, (chunk) => {
      buffers.add(chunk.buffer);
      got.push(Buffer.from(chunk));
      if (!paused && got.length === 1) {
        paused = true;
        s.pause();
        setTimeout(() => s.resume(), 50);
      }
      return true;
    });
    assert.ok(ok, 'the reused-buffer read path is available (Node internals as expected)');
    s.on('end', () => { ended = true; s.end(); });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  const payload = Buffer.alloc(200_000);
  for (let i = 0; i < payload.length; i++) payload[i] = (i * 31 + (i >> 8)) & 0xff;
  const c = net.connect(port, '127.0.0.1');
  await new Promise<void>((r) => c.on('connect', r));
  c.end(payload);
  await new Promise<void>((r) => c.on('close', r));
  server.close();
  assert.ok(ended, "'end' is emitted");
  assert.ok(paused);
  assert.is(buffers.size, 1);
  assert.ok(got.length >= 49, `${got.length} reads of at most 4096 bytes`);
  assert.ok(Buffer.concat(got).equals(payload), 'every byte in order');
});

test.run();
