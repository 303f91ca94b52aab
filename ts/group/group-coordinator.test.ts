// GroupCoordinator over an in-memory __consumer_offsets (real record batches, fake clock):
// append-then-respond, loading with COORDINATOR_LOAD_IN_PROGRESS, offsets, expiry, deletion.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readBatches } from '../protocol/record/batch-reader.js';
import { encodeSubscription } from './consumer-protocol.js';
import { GroupCoordinator, type CoordinatorConfig, type CoordinatorHost, type OffsetsLog } from './group-coordinator.js';
import { E, type JoinRequest } from './group-types.js';
import { decodeRecord, type GroupRecord } from './records.js';

class MemLog implements OffsetsLog {
  batches: Buffer[] = [];
  gate: Promise<void> | null = null;
  logStartOffset = 0;
  get writtenEndOffset(): number { return this.batches.length; }
  async append(buf: Buffer): Promise<unknown> {
    const b = Buffer.from(buf);
    b.writeUInt32BE(0, 0); b.writeUInt32BE(this.batches.length, 4); // baseOffset = batch index (one offset per batch is enough here)
    b.writeInt32BE(0, 23); // lastOffsetDelta 0: each batch occupies one offset in this fake
    this.batches.push(b);
    if (this.gate) await this.gate;
    return {};
  }
  async readBuffers(offset: number): Promise<{ buffer: Buffer }> {
    if (this.gate) await this.gate;
    return { buffer: Buffer.concat(this.batches.slice(offset)) };
  }
  records(): GroupRecord[] {
    const out: GroupRecord[] = [];
    for (const b of this.batches) for (const batch of readBatches(b)) for (const r of batch.records()) out.push(decodeRecord(r.key, r.value)!);
    return out;
  }
}

class MemHost implements CoordinatorHost {
  logs = new Map<number, MemLog>();
  partitions: number | null = null;
  topics = new Map([['t', 3]]);
  offsetsTopicPartitions(): number | null { return this.partitions; }
  async createOffsetsTopic(n: number): Promise<void> {
    this.partitions = n;
    for (let p = 0; p < n; p++) this.logs.set(p, new MemLog());
  }
  offsetsLog(p: number): MemLog | undefined { return this.logs.get(p); }
  partitionExists(topic: string, p: number): boolean { return p >= 0 && p < (this.topics.get(topic) ?? 0); }
  all(): GroupRecord[] { return [...this.logs.values()].flatMap((l) => l.records()); }
}

let now = 1_000_000;
const cfg = (over: Partial<CoordinatorConfig> = {}): CoordinatorConfig => ({
  numPartitions: 3, initialRebalanceDelayMs: 0, maxSize: 100, minSessionTimeoutMs: 100, maxSessionTimeoutMs: 60_000,
  offsetMetadataMaxBytes: 10, offsetsRetentionMs: 60_000, retentionCheckIntervalMs: 3_600_000, tickMs: 3_600_000,
  clock: () => now, ...over,
});
const join = (over: Partial<JoinRequest> = {}): JoinRequest => ({
  memberId: '', groupInstanceId: null, clientId: 'c', clientHost: '/h', sessionTimeoutMs: 1000, rebalanceTimeoutMs: 2000,
  protocolType: 'consumer', protocols: [{ name: 'range', metadata: encodeSubscription(['t']) }], requireKnownMemberId: false, ...over,
});
const commitReq = (generationId: number, memberId: string, offset: number, metadata: string | null = null) => ({
  memberId, groupInstanceId: null, generationId, retentionTimeMs: -1,
  topics: [{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: offset, committedLeaderEpoch: -1, commitTimestamp: -1, committedMetadata: metadata }] }],
});

async function stableMember(c: GroupCoordinator, groupId: string): Promise<{ memberId: string; generationId: number }> {
  const j = await c.join(groupId, join());
  assert.is(j.errorCode, E.NONE);
  const s = await c.sync(groupId, { memberId: j.memberId, groupInstanceId: null, generationId: j.generationId, protocolType: null, protocolName: null, assignments: [{ memberId: j.memberId, assignment: Buffer.from('A') }] });
  assert.is(s.errorCode, E.NONE);
  return { memberId: j.memberId, generationId: j.generationId };
}

test('join/sync/commit go through __consumer_offsets; a restarted coordinator reloads group and offsets', async () => {
  const host = new MemHost();
  const c = new GroupCoordinator(host, cfg());
  c.start();
  const m = await stableMember(c, 'g1');
  const res = await c.commit('g1', commitReq(m.generationId, m.memberId, 17, 'meta'));
  assert.equal(res, [{ name: 't', partitions: [{ partitionIndex: 0, errorCode: E.NONE }] }]);
  assert.equal(c.fetch('g1', null, false).topics, [{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: 17, committedLeaderEpoch: -1, metadata: 'meta', errorCode: E.NONE }] }]);
  const kinds = host.all().map((r) => r.type);
  assert.equal(kinds, ['group', 'offset'], 'the GroupMetadata record at Stable, then the commit');
  c.shutdown();

  // restart: loading gates the group until the partition is replayed
  const log = host.logs.get(c.partitionFor('g1'))!;
  let open!: () => void;
  log.gate = new Promise((r) => { open = r; });
  const c2 = new GroupCoordinator(host, cfg());
  c2.start();
  assert.is(c2.heartbeat('g1', { memberId: m.memberId, groupInstanceId: null, generationId: m.generationId }), E.COORDINATOR_LOAD_IN_PROGRESS);
  assert.is(c2.fetch('g1', null, false).errorCode, E.COORDINATOR_LOAD_IN_PROGRESS);
  log.gate = null;
  open();
  await c2.loaded;
  assert.is(c2.group('g1')!.state, 'Stable');
  assert.is(c2.heartbeat('g1', { memberId: m.memberId, groupInstanceId: null, generationId: m.generationId }), E.NONE);
  assert.is(c2.fetch('g1', [{ name: 't', partitionIndexes: [0, 1] }], false).topics[0]!.partitions.map((p) => p.committedOffset).join(), '17,-1');
  // the member does not come back: its session expires, the group empties (generation+1 stored)
  now += 1001;
  c2.tick();
  await new Promise((r) => setImmediate(r));
  assert.is(c2.group('g1')!.state, 'Empty');
  assert.is(c2.group('g1')!.generationId, m.generationId + 1);
  c2.shutdown();
});

test('offset commit rules: simple commits, generation checks, metadata size, unknown partitions', async () => {
  const host = new MemHost();
  const c = new GroupCoordinator(host, cfg());
  c.start();
  // unknown group, generation -1: a simple commit creates the group (no protocol type)
  assert.is((await c.commit('simple', commitReq(-1, '', 5)))[0]!.partitions[0]!.errorCode, E.NONE);
  assert.is(c.group('simple')!.protocolType, null);
  assert.is((await c.commit('nope', commitReq(3, 'm', 5)))[0]!.partitions[0]!.errorCode, E.ILLEGAL_GENERATION);
  const m = await stableMember(c, 'g');
  assert.is((await c.commit('g', commitReq(-1, '', 5)))[0]!.partitions[0]!.errorCode, E.UNKNOWN_MEMBER_ID, 'simple commit into an active group');
  assert.is((await c.commit('g', commitReq(m.generationId + 1, m.memberId, 5)))[0]!.partitions[0]!.errorCode, E.ILLEGAL_GENERATION);
  assert.is((await c.commit('g', commitReq(m.generationId, m.memberId, 5, 'x'.repeat(11))))[0]!.partitions[0]!.errorCode, E.OFFSET_METADATA_TOO_LARGE);
  const bad = await c.commit('g', { ...commitReq(m.generationId, m.memberId, 5), topics: [{ name: 'missing', partitions: [{ partitionIndex: 0, committedOffset: 1, committedLeaderEpoch: -1, commitTimestamp: -1, committedMetadata: null }] }] });
  assert.is(bad[0]!.partitions[0]!.errorCode, E.UNKNOWN_TOPIC_OR_PARTITION);
  assert.equal(c.fetch('g', null, false).topics, [], 'nothing was committed');
  // require_stable: a commit whose append has not resolved is UNSTABLE_OFFSET_COMMIT
  const log = host.logs.get(c.partitionFor('g'))!;
  let open!: () => void;
  log.gate = new Promise((r) => { open = r; });
  const pending = c.commit('g', commitReq(m.generationId, m.memberId, 9));
  await new Promise((r) => setImmediate(r));
  assert.is(c.fetch('g', [{ name: 't', partitionIndexes: [0] }], true).topics[0]!.partitions[0]!.errorCode, E.UNSTABLE_OFFSET_COMMIT);
  assert.is(c.fetch('g', [{ name: 't', partitionIndexes: [0] }], false).topics[0]!.partitions[0]!.committedOffset, -1);
  log.gate = null;
  open();
  await pending;
  assert.is(c.fetch('g', [{ name: 't', partitionIndexes: [0] }], true).topics[0]!.partitions[0]!.committedOffset, 9);
  c.shutdown();
});

test('session timeout bounds and invalid group ids', async () => {
  const c = new GroupCoordinator(new MemHost(), cfg());
  c.start();
  assert.is((await c.join('g', join({ sessionTimeoutMs: 99 }))).errorCode, E.INVALID_SESSION_TIMEOUT);
  assert.is((await c.join('g', join({ sessionTimeoutMs: 60_001 }))).errorCode, E.INVALID_SESSION_TIMEOUT);
  assert.is((await c.join('', join())).errorCode, E.INVALID_GROUP_ID);
  assert.is((await c.join('g', join({ memberId: 'ghost' }))).errorCode, E.UNKNOWN_MEMBER_ID);
  assert.is(c.group('g'), undefined, 'no group was created by failed joins');
  c.shutdown();
});

test('DeleteGroups and OffsetDelete: NON_EMPTY_GROUP, GROUP_SUBSCRIBED_TO_TOPIC, tombstones', async () => {
  const host = new MemHost();
  host.topics.set('other', 1);
  const c = new GroupCoordinator(host, cfg());
  c.start();
  const m = await stableMember(c, 'g');
  await c.commit('g', commitReq(m.generationId, m.memberId, 4));
  await c.commit('g', { ...commitReq(m.generationId, m.memberId, 4), topics: [{ name: 'other', partitions: [{ partitionIndex: 0, committedOffset: 8, committedLeaderEpoch: -1, commitTimestamp: -1, committedMetadata: null }] }] });
  assert.equal(await c.deleteGroups(['g', 'unknown']), [{ groupId: 'g', errorCode: E.NON_EMPTY_GROUP }, { groupId: 'unknown', errorCode: E.GROUP_ID_NOT_FOUND }]);
  const od = await c.deleteOffsets('g', [{ name: 't', partitions: [{ partitionIndex: 0 }] }, { name: 'other', partitions: [{ partitionIndex: 0 }] }]);
  assert.equal(od, { errorCode: E.NONE, topics: [
    { name: 't', partitions: [{ partitionIndex: 0, errorCode: E.GROUP_SUBSCRIBED_TO_TOPIC }] },
    { name: 'other', partitions: [{ partitionIndex: 0, errorCode: E.NONE }] },
  ] });
  assert.equal(c.fetch('g', null, false).topics.map((t) => t.name), ['t']);
  assert.is((await c.deleteOffsets('unknown', [])).errorCode, E.GROUP_ID_NOT_FOUND);
  await c.leave('g', [{ memberId: m.memberId, groupInstanceId: null }]);
  assert.is(c.group('g')!.state, 'Empty');
  assert.equal(await c.deleteGroups(['g']), [{ groupId: 'g', errorCode: E.NONE }]);
  assert.is(c.group('g'), undefined);
  const tail = host.all().slice(-2);
  assert.equal(tail, [{ type: 'offset', group: 'g', topic: 't', partition: 0, value: null }, { type: 'group', group: 'g', value: null }]);
  // a reload does not resurrect it
  const c2 = new GroupCoordinator(host, cfg());
  c2.start();
  await c2.loaded;
  assert.is(c2.group('g'), undefined);
  assert.equal(c2.listGroups(), []);
  c.shutdown(); c2.shutdown();
});

test('offset retention: simple-group offsets expire by commit time; the emptied group is removed', async () => {
  const host = new MemHost();
  const c = new GroupCoordinator(host, cfg());
  c.start();
  await c.commit('s', commitReq(-1, '', 1));
  now += 30_000;
  await c.commit('s', { ...commitReq(-1, '', 2), topics: [{ name: 't', partitions: [{ partitionIndex: 1, committedOffset: 2, committedLeaderEpoch: -1, commitTimestamp: -1, committedMetadata: null }] }] });
  now += 30_000;
  assert.is(await c.expireOffsets(), 1);
  assert.equal(c.fetch('s', null, false).topics[0]!.partitions.map((p) => p.partitionIndex), [1]);
  now += 30_000;
  assert.is(await c.expireOffsets(), 1);
  assert.is(c.group('s'), undefined);
  assert.equal(host.all().slice(-2).map((r) => [r.type, r.value]), [['offset', null], ['group', null]]);
  c.shutdown();
});

test('a request that stores nothing leaves no group behind; a deleted __consumer_offsets is recreated', async () => {
  const host = new MemHost();
  let creations = 0;
  const create = host.createOffsetsTopic.bind(host);
  host.createOffsetsTopic = async (n) => { creations++; await create(n); };
  const c = new GroupCoordinator(host, cfg());
  c.start();
  assert.is((await c.join('x', join({ protocols: [] }))).errorCode, E.INCONSISTENT_GROUP_PROTOCOL);
  assert.is(c.group('x'), undefined);
  const bad = await c.commit('y', { ...commitReq(-1, '', 1), topics: [{ name: 'missing', partitions: [{ partitionIndex: 0, committedOffset: 1, committedLeaderEpoch: -1, commitTimestamp: -1, committedMetadata: null }] }] });
  assert.is(bad[0]!.partitions[0]!.errorCode, E.UNKNOWN_TOPIC_OR_PARTITION);
  assert.is(c.group('y'), undefined);
  assert.equal(c.listGroups(), []);
  assert.is(creations, 1);
  host.partitions = null; // a client deleted the topic
  host.logs.clear();
  assert.is((await c.commit('z', commitReq(-1, '', 3)))[0]!.partitions[0]!.errorCode, E.NONE);
  assert.is(creations, 2);
  assert.is(c.fetch('z', [{ name: 't', partitionIndexes: [0] }], false).topics[0]!.partitions[0]!.committedOffset, 3);
  c.shutdown();
});

test('shutdown answers parked joins with NOT_COORDINATOR', async () => {
  const c = new GroupCoordinator(new MemHost(), cfg({ initialRebalanceDelayMs: 5000 }));
  c.start();
  const parked = c.join('g', join());
  await new Promise((r) => setImmediate(r));
  c.shutdown();
  assert.is((await parked).errorCode, E.NOT_COORDINATOR);
});

test.run();
