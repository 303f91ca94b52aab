// Produce / Fetch / ListOffsets / Metadata handlers over the wire: error codes, long poll,
// byte limits, topic ids, isolation, sessions, offsets by timestamp.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ApiKey } from '../../protocol/generated/api-keys.js';
import { buildBatch } from '../../protocol/record/batch-builder.js';
import { readBatches } from '../../protocol/record/batch-reader.js';
import { startBroker, type BrokerHandle } from '../start-broker.js';
import { RawClient } from '../testing/raw-client.js';

let b: BrokerHandle;
let c: RawClient;

test.before(async () => {
  b = await startBroker({ config: { 'num.partitions': 2, 'message.max.bytes': 100_000 } });
  c = await RawClient.connect(b.port);
});
test.after(async () => {
  c.close();
  await b.close();
});

function produce(topic: string, partition: number, records: Buffer | null, version = 7): Promise<any> {
  return c.request<any>(ApiKey.Produce, version, {
    transactionalId: null, acks: -1, timeoutMs: 1000, topicData: [{ name: topic, partitionData: [{ index: partition, records }] }],
  }).then((r) => r.responses[0].partitionResponses[0]);
}

function fetchBody(topic: string, offset: number, extra: Record<string, unknown> = {}, partMax = 1 << 20) {
  return {
    replicaId: -1, maxWaitMs: 0, minBytes: 1, maxBytes: 1 << 20, isolationLevel: 0, sessionId: 0, sessionEpoch: -1,
    topics: [{ topic, partitions: [{ partition: 0, fetchOffset: offset, partitionMaxBytes: partMax, currentLeaderEpoch: -1, logStartOffset: -1 }] }],
    forgottenTopicsData: [], rackId: '', ...extra,
  };
}

const values = (buf: Buffer) => [...readBatches(buf)].flatMap((bt) => bt.records().map((r) => [r.offset, r.value!.toString()]));

test('produce: offsets, errors per partition, nothing appended for a bad batch', async () => {
  await c.request(ApiKey.Metadata, 4, { topics: [{ name: 'p' }], allowAutoTopicCreation: true });
  const ok = await produce('p', 0, buildBatch([{ value: 'a' }, { value: 'b' }]));
  assert.equal([ok.errorCode, ok.baseOffset, ok.logStartOffset], [0, 0, 0]);
  const two = Buffer.concat([buildBatch([{ value: 'c' }]), buildBatch([{ value: 'd' }])]);
  assert.is((await produce('p', 0, two)).errorCode, 87, 'two batches → INVALID_RECORD');
  const bad = buildBatch([{ value: 'e' }]);
  bad[bad.length - 1] ^= 0xff;
  assert.is((await produce('p', 0, bad)).errorCode, 2, 'bad CRC → CORRUPT_MESSAGE');
  const truncated = buildBatch([{ value: 'f' }]).subarray(0, 40);
  assert.is((await produce('p', 0, truncated)).errorCode, 2, 'short batch → CORRUPT_MESSAGE');
  assert.is((await produce('p', 0, buildBatch([{ value: Buffer.alloc(200_000) }]))).errorCode, 10, 'MESSAGE_TOO_LARGE');
  assert.is((await produce('p', 9, buildBatch([{ value: 'x' }]))).errorCode, 3, 'partition 9 → UNKNOWN_TOPIC_OR_PARTITION');
  const zstd = buildBatch([{ value: 'z' }]);
  zstd.writeInt16BE(zstd.readInt16BE(21) | 4, 21); // codec bits only; rejected before the CRC check
  assert.is((await produce('p', 0, zstd, 5)).errorCode, 76, 'zstd before v7 → UNSUPPORTED_COMPRESSION_TYPE');
  const next = await produce('p', 0, buildBatch([{ value: 'g' }]));
  assert.is(next.baseOffset, 2, 'failed produces appended nothing');
  const f = await c.request<any>(ApiKey.Fetch, 11, fetchBody('p', 0));
  assert.equal(values(f.responses[0].partitions[0].records), [[0, 'a'], [1, 'b'], [2, 'g']]);
});

test('produce auto-creates with num.partitions; disabled auto-create gives UNKNOWN_TOPIC_OR_PARTITION in metadata', async () => {
  const r = await produce('auto', 1, buildBatch([{ value: 'x' }]));
  assert.is(r.errorCode, 0);
  const md = await c.request<any>(ApiKey.Metadata, 10, { topics: [{ name: 'auto', topicId: '00000000-0000-0000-0000-000000000000' }, { name: 'nope' }], allowAutoTopicCreation: false, includeTopicAuthorizedOperations: false });
  assert.is(md.topics[0].partitions.length, 2);
  assert.equal(md.topics[0].partitions.map((p: any) => [p.partitionIndex, p.leaderId, p.replicaNodes, p.isrNodes]), [[0, 0, [0], [0]], [1, 0, [0], [0]]]);
  assert.ok(md.topics[0].topicId !== '00000000-0000-0000-0000-000000000000');
  assert.is(md.topics[0].topicAuthorizedOperations, -2147483648);
  assert.is(md.topics[1].errorCode, 3);
  const invalid = await c.request<any>(ApiKey.Metadata, 4, { topics: [{ name: 'bad/name' }], allowAutoTopicCreation: true });
  assert.is(invalid.topics[0].errorCode, 17, 'INVALID_TOPIC_EXCEPTION');
  assert.equal(md.brokers.map((x: any) => [x.nodeId, x.host, x.port]), [[0, 'localhost', b.port]]);
  assert.is(md.controllerId, 0);
  assert.is(md.clusterId, b.broker.clusterId);
});

test('fetch: long poll is woken by an append; minBytes/maxWait honoured', async () => {
  await c.request(ApiKey.Metadata, 1, { topics: [{ name: 'lp' }] });
  const waiter = await RawClient.connect(b.port);
  const started = Date.now();
  const pending = waiter.request<any>(ApiKey.Fetch, 11, fetchBody('lp', 0, { maxWaitMs: 20_000 }));
  await new Promise((r) => setTimeout(r, 100));
  assert.is(b.broker.purgatory.size, 1);
  await produce('lp', 0, buildBatch([{ value: 'wake' }]));
  const f = await pending;
  assert.ok(Date.now() - started < 15_000);
  assert.equal(values(f.responses[0].partitions[0].records), [[0, 'wake']]);
  waiter.close();
  const empty = await c.request<any>(ApiKey.Fetch, 11, fetchBody('lp', 1, { maxWaitMs: 50 }));
  assert.is(empty.responses[0].partitions[0].records.length, 0);
  assert.is(empty.responses[0].partitions[0].highWatermark, 1);
});

test('fetch: first batch whole even above partition_max_bytes; later partitions limited', async () => {
  await c.request(ApiKey.Metadata, 1, { topics: [{ name: 'lim' }] });
  for (let i = 0; i < 3; i++) await produce('lim', 0, buildBatch([{ value: Buffer.alloc(5000, 65 + i) }]));
  const f = await c.request<any>(ApiKey.Fetch, 11, fetchBody('lim', 0, {}, 100));
  const batches = [...readBatches(f.responses[0].partitions[0].records)];
  assert.is(batches.length, 1, 'only the first batch, whole');
  assert.is(batches[0]!.baseOffset, 0);
  const g = await c.request<any>(ApiKey.Fetch, 11, fetchBody('lim', 0, {}, 12_000));
  assert.is([...readBatches(g.responses[0].partitions[0].records)].length, 2);
});

test('fetch: errors, isolation, sessions, topic ids', async () => {
  const oor = await c.request<any>(ApiKey.Fetch, 11, fetchBody('lim', 99));
  assert.is(oor.responses[0].partitions[0].errorCode, 1);
  const unk = await c.request<any>(ApiKey.Fetch, 11, fetchBody('missing', 0));
  assert.is(unk.responses[0].partitions[0].errorCode, 3);
  const rc = await c.request<any>(ApiKey.Fetch, 11, fetchBody('lim', 0, { isolationLevel: 1 }));
  assert.equal(rc.responses[0].partitions[0].abortedTransactions, []);
  assert.is(rc.responses[0].partitions[0].lastStableOffset, 3);
  const ru = await c.request<any>(ApiKey.Fetch, 11, fetchBody('lim', 0));
  assert.is(ru.responses[0].partitions[0].abortedTransactions, null);
  assert.is(ru.responses[0].partitions[0].preferredReadReplica, -1);
  const newSession = await c.request<any>(ApiKey.Fetch, 11, fetchBody('lim', 0, { sessionEpoch: 0 }));
  assert.equal([newSession.errorCode, newSession.sessionId], [0, 0]);
  assert.ok(newSession.responses[0].partitions[0].records.length > 0, 'full response without a session');
  const stale = await c.request<any>(ApiKey.Fetch, 11, fetchBody('lim', 0, { sessionId: 1234, sessionEpoch: 5 }));
  assert.is(stale.errorCode, 70);
  const id = b.broker.topics.get('lim')!.topicId;
  const byId = await c.request<any>(ApiKey.Fetch, 13, { ...fetchBody('lim', 0), topics: [{ topicId: id, partitions: [{ partition: 0, fetchOffset: 0, partitionMaxBytes: 1 << 20, currentLeaderEpoch: -1, logStartOffset: -1, lastFetchedEpoch: -1 }] }], clusterId: null });
  assert.is(byId.responses[0].topicId, id);
  assert.is([...readBatches(byId.responses[0].partitions[0].records)].length, 3);
  const badId = await c.request<any>(ApiKey.Fetch, 13, { ...fetchBody('lim', 0), topics: [{ topicId: '11111111-2222-3333-4444-555555555555', partitions: [{ partition: 0, fetchOffset: 0, partitionMaxBytes: 100, currentLeaderEpoch: -1, logStartOffset: -1, lastFetchedEpoch: -1 }] }], clusterId: null });
  assert.is(badId.responses[0].partitions[0].errorCode, 100);
});

test('list offsets: earliest, latest, max timestamp, by timestamp, v0 old style', async () => {
  await c.request(ApiKey.Metadata, 1, { topics: [{ name: 'ts' }] });
  await produce('ts', 0, buildBatch([{ value: 'a', timestamp: 1000 }, { value: 'b', timestamp: 5000 }]));
  await produce('ts', 0, buildBatch([{ value: 'c', timestamp: 3000 }]));
  const q = (version: number, timestamp: number) => c.request<any>(ApiKey.ListOffsets, version, {
    replicaId: -1, isolationLevel: 0, topics: [{ name: 'ts', partitions: [{ partitionIndex: 0, timestamp, currentLeaderEpoch: -1, maxNumOffsets: 1 }] }], timeoutMs: 1000,
  }).then((r) => r.topics[0].partitions[0]);
  assert.is((await q(1, -2)).offset, 0);
  assert.is((await q(1, -1)).offset, 3);
  const max = await q(7, -3);
  assert.equal([max.offset, max.timestamp], [1, 5000]);
  const t = await q(4, 2000);
  assert.equal([t.offset, t.timestamp], [1, 5000]);
  const none = await q(4, 9000);
  assert.equal([none.errorCode, none.offset, none.timestamp], [0, -1, -1]);
  assert.equal((await q(0, -1)).oldStyleOffsets, [3]);
  assert.is((await q(6, -3)).errorCode, 42, '-3 before v7 → INVALID_REQUEST');
});

test.run();
