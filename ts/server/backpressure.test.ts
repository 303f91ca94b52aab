// Backpressure: clients that flood requests and never read responses keep broker memory bounded
// (reading pauses at queued.max.requests / buffered response bytes; responses are handed to Node
// only below its high-water mark), and other clients are still served meanwhile.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ApiKey } from '../protocol/generated/api-keys.js';
import { encodeRequest } from '../protocol/messages-io.js';
import { buildBatch } from '../protocol/record/batch-builder.js';
import { startBroker, type BrokerHandle } from './start-broker.js';
import { RawClient } from './testing/raw-client.js';

const MB = 1024 * 1024;

function rssMB(): number {
  return process.memoryUsage().rss / MB;
}

/** Writes `count` frames from `make`, honouring the client socket's own backpressure, never reading. */
async function flood(c: RawClient, count: number, make: (i: number) => Buffer, stopAt: () => boolean): Promise<number> {
  c.socket.pause();
  let sent = 0;
  for (; sent < count && !stopAt(); sent++) {
    if (!c.socket.write(make(sent))) {
      const drained = await Promise.race([
        new Promise<boolean>((r) => c.socket.once('drain', () => r(true))),
        new Promise<boolean>((r) => setTimeout(() => r(false), 1500)),
      ]);
      if (!drained) break; // the broker stopped reading: backpressure reached the client
    }
  }
  return sent;
}

async function othersServed(b: BrokerHandle, topic: string): Promise<void> {
  const c = await RawClient.connect(b.port);
  const md = await c.request<any>(ApiKey.Metadata, 1, { topics: [{ name: topic }] });
  assert.is(md.topics[0].errorCode, 0);
  const p = await c.request<any>(ApiKey.Produce, 7, {
    transactionalId: null, acks: 1, timeoutMs: 1000,
    topicData: [{ name: topic, partitionData: [{ index: 0, records: buildBatch([{ value: 'other client' }]) }] }],
  });
  assert.is(p.responses[0].partitionResponses[0].errorCode, 0);
  c.close();
}

test('produce flood without reading responses: memory bounded, others served', async () => {
  const b = await startBroker({ config: { 'queued.max.requests': 100 } });
  try {
    const setup = await RawClient.connect(b.port);
    await setup.request(ApiKey.Metadata, 1, { topics: [{ name: 'flood' }] });
    setup.close();
    const payload = Buffer.alloc(32 * 1024, 7);
    const frame = (i: number) => encodeRequest(ApiKey.Produce, 7, i, 'flood', {
      transactionalId: null, acks: 1, timeoutMs: 1000,
      topicData: [{ name: 'flood', partitionData: [{ index: 0, records: buildBatch([{ key: String(i), value: payload }]) }] }],
    });
    global.gc?.();
    const rss0 = rssMB();
    const c = await RawClient.connect(b.port);
    const sent = await flood(c, 6000, frame, () => false); // ~190 MB of requests
    assert.ok(sent > 1000, `sent ${sent} requests`);
    await othersServed(b, 'flood');
    const growth = rssMB() - rss0;
    assert.ok(growth < 160, `rss grew ${growth.toFixed(0)} MB while ${(sent * 32 / 1024).toFixed(0)} MB were produced`);
    for (const conn of b.broker.connections) assert.ok(conn.writer.pending <= 100, `pending ${conn.writer.pending}`);
    c.close();
  } finally {
    await b.close();
  }
});

for (const zeroCopy of [true, false]) {
  test(`fetch flood (1 MB responses, never read, zeroCopy=${zeroCopy}): memory bounded, reading paused, others served`, async () => {
    const b = await startBroker({ zeroCopy, config: { 'queued.max.requests': 200 } });
    try {
      const setup = await RawClient.connect(b.port);
      await setup.request(ApiKey.Metadata, 1, { topics: [{ name: 'big' }] });
      for (let i = 0; i < 4; i++) {
        await setup.request(ApiKey.Produce, 7, {
          transactionalId: null, acks: 1, timeoutMs: 1000,
          topicData: [{ name: 'big', partitionData: [{ index: 0, records: buildBatch([{ value: Buffer.alloc(256 * 1024, i) }]) }] }],
        });
      }
      setup.close();
      const frame = (i: number) => encodeRequest(ApiKey.Fetch, 11, i, 'flood', {
        replicaId: -1, maxWaitMs: 0, minBytes: 1, maxBytes: 2 * MB, isolationLevel: 0, sessionId: 0, sessionEpoch: -1,
        topics: [{ topic: 'big', partitions: [{ partition: 0, fetchOffset: 0, partitionMaxBytes: 2 * MB, currentLeaderEpoch: -1, logStartOffset: -1 }] }],
        forgottenTopicsData: [], rackId: '',
      });
      global.gc?.();
      const rss0 = rssMB();
      const c = await RawClient.connect(b.port);
      const sent = await flood(c, 2000, frame, () => false); // would be 2 GB of responses
      await new Promise((r) => setTimeout(r, 300));
      await othersServed(b, 'big');
      const growth = rssMB() - rss0;
      assert.ok(growth < 150, `rss grew ${growth.toFixed(0)} MB`);
      const flooding = [...b.broker.connections].find((x) => x.requests > 10)!;
      assert.ok(flooding, 'flooding connection open');
      assert.ok(flooding.requests < sent || sent < 2000, 'the broker stopped reading before taking every request');
      assert.ok(flooding.writer.pending <= 200, `pending ${flooding.writer.pending} ≤ queued.max.requests`);
      c.close();
    } finally {
      await b.close();
    }
  });
}

test.run();
