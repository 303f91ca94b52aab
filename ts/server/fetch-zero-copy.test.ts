// Zero-copy Fetch: a multi-MB partition fetched over a raw socket while the client reads slowly
// (the socket buffer fills, the native send plan waits for POLLOUT) must arrive byte-exact; so must
// a fetch whose segment is deleted by DeleteRecords/retention while the response is being sent
// (the region's fd lease keeps the file open). The Buffer fallback path (zeroCopy: false) must
// send the same bytes.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ApiKey } from '../protocol/generated/api-keys.js';
import { decodeResponse } from '../protocol/messages-io.js';
import { buildBatch } from '../protocol/record/batch-builder.js';
import type { Log } from '../storage/log.js';
import { startBroker, type BrokerHandle } from './start-broker.js';
import { RawClient } from './testing/raw-client.js';

const SEGMENT_BYTES = 4 * 1024 * 1024;
const VALUE = 64 * 1024;

async function fill(b: BrokerHandle, topic: string, batches: number): Promise<Log> {
  const c = await RawClient.connect(b.port);
  await c.request(ApiKey.Metadata, 1, { topics: [{ name: topic }] });
  for (let i = 0; i < batches; i++) {
    const records = Array.from({ length: 4 }, (_, j) => ({
      key: `k${i}-${j}`,
      value: Buffer.alloc(VALUE, (i * 4 + j) & 0xff),
    }));
    const res = await c.request<any>(ApiKey.Produce, 7, {
      transactionalId: null, acks: 1, timeoutMs: 5000,
      topicData: [{ name: topic, partitionData: [{ index: 0, records: buildBatch(records) }] }],
    });
    assert.is(res.responses[0].partitionResponses[0].errorCode, 0);
  }
  c.close();
  return b.broker.topics.log(topic, 0) as unknown as Log;
}

function segmentFiles(b: BrokerHandle, topic: string): string[] {
  const dir = path.join(b.dataDir, `${topic}-0`);
  return fs.readdirSync(dir).filter((f) => f.endsWith('.log')).sort().map((f) => path.join(dir, f));
}

/** Sends a Fetch v11 from offset 0 and reads the response slowly; returns the records bytes. */
async function slowFetch(b: BrokerHandle, topic: string, during?: () => Promise<void>): Promise<{ records: Buffer; hw: number; zeroCopy: number }> {
  const c = await RawClient.connect(b.port);
  c.socket.pause();
  const id = c.send(ApiKey.Fetch, 11, {
    replicaId: -1, maxWaitMs: 0, minBytes: 1, maxBytes: 64 << 20, isolationLevel: 0, sessionId: 0, sessionEpoch: -1,
    topics: [{ topic, partitions: [{ partition: 0, fetchOffset: 0, partitionMaxBytes: 64 << 20, currentLeaderEpoch: -1, logStartOffset: -1 }] }],
    forgottenTopicsData: [], rackId: '',
  });
  await new Promise((r) => setTimeout(r, 100)); // the send plan is now blocked on a full socket
  if (during) await during();
  const framePromise = c.nextFrame(30_000);
  let done = false;
  void framePromise.then(() => { done = true; });
  while (!done) {
    c.socket.resume();
    await new Promise((r) => setTimeout(r, 2));
    c.socket.pause();
    await new Promise((r) => setTimeout(r, 8));
  }
  c.socket.resume();
  const frame = await framePromise;
  assert.ok(frame, 'a response arrived');
  const res = decodeResponse<any>(ApiKey.Fetch, 11, frame!);
  assert.is(res.correlationId, id);
  const p = res.body.responses[0].partitions[0];
  assert.is(p.errorCode, 0);
  const zeroCopy = zeroCopySends(b);
  c.close();
  return { records: p.records as Buffer, hw: p.highWatermark, zeroCopy };
}

function zeroCopySends(b: BrokerHandle): number {
  let n = 0;
  for (const c of b.broker.connections) n += c.writer.zeroCopySends;
  return n;
}

test('a multi-MB fetch read slowly arrives byte-exact through the native send plan', async () => {
  const b = await startBroker({ config: { 'log.segment.bytes': SEGMENT_BYTES } });
  try {
    await fill(b, 'zc', 40); // ~10 MB, 3 segments
    const files = segmentFiles(b, 'zc');
    assert.ok(files.length >= 3, `several segments (${files.length})`);
    const expected = fs.readFileSync(files[0]!);
    assert.ok(expected.length > 3 * 1024 * 1024);
    const { records, hw, zeroCopy } = await slowFetch(b, 'zc');
    assert.is(zeroCopy, 1, 'sent by the native send plan');
    assert.is(hw, 160);
    assert.is(records.length, expected.length);
    assert.ok(records.equals(expected), 'records bytes equal the first segment file');
  } finally {
    await b.close();
  }
});

test('fetch while the segment is deleted (DeleteRecords moves the log start) still sends exact bytes', async () => {
  // The first segment must be larger than loopback can buffer (autotuned receive + send buffers
  // reach ~10 MB), or the whole response may leave before the deletion and the case is not tested.
  const b = await startBroker({ config: { 'log.segment.bytes': 4 * SEGMENT_BYTES } });
  try {
    const log = await fill(b, 'zc2', 80);
    const files = segmentFiles(b, 'zc2');
    const expected = fs.readFileSync(files[0]!);
    let inFlight = 0;
    const { records, zeroCopy } = await slowFetch(b, 'zc2', async () => {
      inFlight = [...b.broker.connections].filter((c) => c.writer.pending > 0).length;
      log.roll();
      const secondBase = Number(path.basename(files[1]!, '.log'));
      await log.deleteRecordsBefore(secondBase);
      assert.not.ok(fs.existsSync(files[0]!), 'first segment file deleted meanwhile');
    });
    assert.is(inFlight, 1, 'the response was in flight during the deletion');
    assert.is(zeroCopy, 1);
    assert.ok(records.equals(expected), 'bytes exact although the file was deleted');
  } finally {
    await b.close();
  }
});

test('the Buffer fallback (zeroCopy: false) sends the same bytes', async () => {
  const b = await startBroker({ zeroCopy: false, config: { 'log.segment.bytes': SEGMENT_BYTES } });
  try {
    await fill(b, 'fb', 20);
    const expected = fs.readFileSync(segmentFiles(b, 'fb')[0]!);
    const { records, zeroCopy } = await slowFetch(b, 'fb');
    assert.ok(records.equals(expected));
    assert.is(zeroCopy, 0);
  } finally {
    await b.close();
  }
});

test.run();
