// A consumer at the log end gets small Fetch responses (a few hundred bytes): each must go out
// entirely on the event loop (the native send plan's non-blocking first step) with no libuv pool
// job, byte-exact and in order with the other responses of the connection.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ApiKey } from '../protocol/generated/api-keys.js';
import { decodeResponse } from '../protocol/messages-io.js';
import { buildBatch } from '../protocol/record/batch-builder.js';
import { startBroker } from './start-broker.js';
import { RawClient } from './testing/raw-client.js';

test('small fetches at the log end are sent inline, byte-exact, in order', async () => {
  const b = await startBroker({});
  const c = await RawClient.connect(b.port);
  try {
    await c.request(ApiKey.Metadata, 1, { topics: [{ name: 'tail' }] });
    const batches: Buffer[] = [];
    for (let i = 0; i < 20; i++) {
      const batch = buildBatch([{ key: `k${i}`, value: Buffer.alloc(200, i) }]);
      const res = await c.request<any>(ApiKey.Produce, 7, {
        transactionalId: null, acks: 1, timeoutMs: 5000,
        topicData: [{ name: 'tail', partitionData: [{ index: 0, records: batch }] }],
      });
      assert.is(res.responses[0].partitionResponses[0].errorCode, 0);
      // Fetch what was just appended, then ask Metadata on the same connection (pipelined).
      const fetchId = c.send(ApiKey.Fetch, 11, {
        replicaId: -1, maxWaitMs: 0, minBytes: 1, maxBytes: 1 << 20, isolationLevel: 0, sessionId: 0, sessionEpoch: -1,
        topics: [{ topic: 'tail', partitions: [{ partition: 0, fetchOffset: i, partitionMaxBytes: 1 << 20, currentLeaderEpoch: -1, logStartOffset: -1 }] }],
        forgottenTopicsData: [], rackId: '',
      });
      const metaId = c.send(ApiKey.Metadata, 1, { topics: [{ name: 'tail' }] });
      const f = decodeResponse<any>(ApiKey.Fetch, 11, (await c.nextFrame(5000))!);
      assert.is(f.correlationId, fetchId);
      const p = f.body.responses[0].partitions[0];
      assert.is(p.errorCode, 0);
      assert.is(p.highWatermark, i + 1);
      const records = p.records as Buffer;
      assert.is(records.length, batch.length, 'one batch of a few hundred bytes');
      assert.ok(records.subarray(16).equals(batch.subarray(16)), 'batch bytes after base offset, length and leader epoch');
      assert.is(records.readBigInt64BE(0), BigInt(i), 'base offset assigned');
      batches.push(records);
      const m = decodeResponse<any>(ApiKey.Metadata, 1, (await c.nextFrame(5000))!);
      assert.is(m.correlationId, metaId);
    }
    let sends = 0;
    let inline = 0;
    for (const conn of b.broker.connections) {
      sends += conn.writer.zeroCopySends;
      inline += conn.writer.zeroCopyInline;
    }
    assert.is(sends, 20, 'every fetch went through the zero-copy path');
    assert.is(inline, 20, 'and none needed a pool job');
  } finally {
    c.close();
    await b.close();
  }
});

test.run();
