// Group APIs over the wire with exact requests: advertised ranges, every version family of
// FindCoordinator/JoinGroup/OffsetCommit/OffsetFetch/LeaveGroup, and malformed or out-of-order
// requests (sync before join, stale generations, bad session timeouts, huge metadata, truncated
// frames), after which the coordinator must still run a group normally.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { KafkaConnection } from '../client/kafka-connection.js';
import { encodeSubscription } from '../group/consumer-protocol.js';
import { ApiKey } from '../protocol/generated/api-keys.js';
import { startTestBroker } from '../testing/with-broker.js';

const broker = await startTestBroker({ config: { 'socket.request.max.bytes': 4 * 1024 * 1024, 'group.min.session.timeout.ms': 100 } });
await broker.broker.topics.create('pt', { partitions: 2 });
const conn = await KafkaConnection.connect(broker.bootstrap, { clientId: 'proto-test' });
test.after(async () => {
  conn.close();
  await broker.close();
});

type Body = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const req = (apiKey: number, v: number, body: object): Promise<Body> => conn.request<Body>(apiKey, v, body);
const meta = encodeSubscription(['pt']);
const joinBody = (groupId: string, memberId = '', over: object = {}) => ({
  groupId, sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 10_000, memberId, groupInstanceId: null,
  protocolType: 'consumer', protocols: [{ name: 'range', metadata: meta }], reason: null, ...over,
});

/** A one-member Stable group (JoinGroup v5: MEMBER_ID_REQUIRED first). */
async function stable(groupId: string): Promise<{ memberId: string; generationId: number }> {
  let j = await req(ApiKey.JoinGroup, 5, joinBody(groupId));
  assert.is(j.errorCode, 79);
  j = await req(ApiKey.JoinGroup, 5, joinBody(groupId, j.memberId));
  assert.is(j.errorCode, 0);
  const s = await req(ApiKey.SyncGroup, 3, { groupId, generationId: j.generationId, memberId: j.memberId, groupInstanceId: null, assignments: [{ memberId: j.memberId, assignment: Buffer.from('A') }] });
  assert.is(s.errorCode, 0);
  assert.is(s.assignment.toString(), 'A');
  return { memberId: j.memberId, generationId: j.generationId };
}

test('ApiVersions advertises the group APIs with Kafka 4.0.1 ranges (min 0 where librdkafka needs it)', async () => {
  const av = await req(ApiKey.ApiVersions, 3, { clientSoftwareName: 't', clientSoftwareVersion: '1' });
  const range = (k: number) => { const a = av.apiKeys.find((x: Body) => x.apiKey === k); return a ? [a.minVersion, a.maxVersion] : null; };
  assert.equal(range(ApiKey.FindCoordinator), [0, 6]);
  assert.equal(range(ApiKey.JoinGroup), [0, 9]);
  assert.equal(range(ApiKey.SyncGroup), [0, 5]);
  assert.equal(range(ApiKey.Heartbeat), [0, 4]);
  assert.equal(range(ApiKey.LeaveGroup), [0, 5]);
  assert.equal(range(ApiKey.OffsetCommit), [2, 9]);
  assert.equal(range(ApiKey.OffsetFetch), [1, 9]);
  assert.equal(range(ApiKey.DescribeGroups), [0, 5]);
  assert.equal(range(ApiKey.ListGroups), [0, 5]);
  assert.equal(range(ApiKey.DeleteGroups), [0, 2]);
  assert.equal(range(ApiKey.OffsetDelete), [0, 0]);
});

test('FindCoordinator v0, v3 and batched v4; transaction keys answered by this broker; unknown key types refused', async () => {
  const v0 = await req(ApiKey.FindCoordinator, 0, { key: 'g' });
  assert.equal([v0.errorCode, v0.nodeId, v0.host, v0.port], [0, broker.broker.brokerId, 'localhost', broker.port]);
  assert.ok(broker.broker.topics.get('__consumer_offsets'), 'the lookup created __consumer_offsets');
  assert.is(broker.broker.topics.get('__consumer_offsets')!.partitions, 50);
  assert.is(broker.broker.topics.get('__consumer_offsets')!.configs['cleanup.policy'], 'compact');
  const v3 = await req(ApiKey.FindCoordinator, 3, { key: 'tx', keyType: 1 });
  assert.equal([v3.errorCode, v3.port], [0, broker.port]);
  const v4 = await req(ApiKey.FindCoordinator, 4, { keyType: 0, coordinatorKeys: ['a', 'b', ''] });
  assert.equal(v4.coordinators.map((c: Body) => [c.key, c.errorCode, c.port]), [['a', 0, broker.port], ['b', 0, broker.port], ['', 42, -1]]);
  const bad = await req(ApiKey.FindCoordinator, 3, { key: 'x', keyType: 7 });
  assert.is(bad.errorCode, 42);
});

test('out-of-order requests: sync before join, stale generation, unknown member, bad timeouts, empty group id', async () => {
  const s = await req(ApiKey.SyncGroup, 0, { groupId: 'ooo', generationId: 1, memberId: 'nobody', assignments: [] });
  assert.is(s.errorCode, 25, 'SyncGroup before any join: UNKNOWN_MEMBER_ID');
  const hb = await req(ApiKey.Heartbeat, 0, { groupId: 'ooo', generationId: 1, memberId: 'nobody' });
  assert.is(hb.errorCode, 25);
  const m = await stable('ooo');
  assert.is((await req(ApiKey.Heartbeat, 1, { groupId: 'ooo', generationId: m.generationId - 1, memberId: m.memberId })).errorCode, 22, 'ILLEGAL_GENERATION');
  assert.is((await req(ApiKey.Heartbeat, 1, { groupId: 'ooo', generationId: m.generationId, memberId: 'other' })).errorCode, 25);
  assert.is((await req(ApiKey.SyncGroup, 1, { groupId: 'ooo', generationId: m.generationId + 5, memberId: m.memberId, assignments: [] })).errorCode, 22);
  assert.is((await req(ApiKey.JoinGroup, 5, joinBody('ooo', '', { sessionTimeoutMs: 50 }))).errorCode, 26, 'INVALID_SESSION_TIMEOUT');
  assert.is((await req(ApiKey.JoinGroup, 5, joinBody('', ''))).errorCode, 24, 'INVALID_GROUP_ID');
  assert.is((await req(ApiKey.JoinGroup, 5, joinBody('ooo', '', { protocolType: 'connect' }))).errorCode, 23, 'INCONSISTENT_GROUP_PROTOCOL');
  assert.is((await req(ApiKey.JoinGroup, 5, joinBody('ooo', 'made-up-id'))).errorCode, 25);
  const commit = await req(ApiKey.OffsetCommit, 2, { groupId: 'ooo', generationIdOrMemberEpoch: -1, memberId: '', retentionTimeMs: -1, topics: [{ name: 'pt', partitions: [{ partitionIndex: 0, committedOffset: 1, committedMetadata: null }] }] });
  assert.is(commit.topics[0].partitions[0].errorCode, 25, 'a simple commit into an active group: UNKNOWN_MEMBER_ID');
  // the group is unchanged by all of that
  assert.is((await req(ApiKey.Heartbeat, 1, { groupId: 'ooo', generationId: m.generationId, memberId: m.memberId })).errorCode, 0);
  const d = await req(ApiKey.DescribeGroups, 0, { groups: ['ooo'] });
  assert.equal([d.groups[0].groupState, d.groups[0].members.length, d.groups[0].protocolData], ['Stable', 1, 'range']);
});

test('JoinGroup v0 and v3 join without MEMBER_ID_REQUIRED; LeaveGroup v0 and batched v3', async () => {
  const j0 = await req(ApiKey.JoinGroup, 0, joinBody('old'));
  assert.is(j0.errorCode, 0);
  assert.is(j0.generationId, 1);
  assert.is(j0.protocolName, 'range');
  const j3 = await req(ApiKey.JoinGroup, 3, joinBody('old3'));
  assert.is(j3.errorCode, 0);
  const l0 = await req(ApiKey.LeaveGroup, 0, { groupId: 'old', memberId: j0.memberId });
  assert.is(l0.errorCode, 0);
  assert.is((await req(ApiKey.LeaveGroup, 0, { groupId: 'old', memberId: j0.memberId })).errorCode, 25);
  const l3 = await req(ApiKey.LeaveGroup, 3, { groupId: 'old3', members: [{ memberId: j3.memberId, groupInstanceId: null }, { memberId: 'ghost', groupInstanceId: null }] });
  assert.equal([l3.errorCode, l3.members.map((x: Body) => x.errorCode)], [0, [0, 25]]);
  const lg = await req(ApiKey.ListGroups, 4, { statesFilter: ['empty'] });
  assert.ok(['old', 'old3'].every((g) => lg.groups.some((x: Body) => x.groupId === g && x.groupState === 'Empty')));
});

test('OffsetCommit v0/v1/v2(retention)/v8 and OffsetFetch v1/v2(all)/v8(many groups)', async () => {
  const p = (partitionIndex: number, committedOffset: number) => ({ partitionIndex, committedOffset, committedLeaderEpoch: -1, commitTimestamp: -1, committedMetadata: `m${committedOffset}` });
  assert.is((await req(ApiKey.OffsetCommit, 0, { groupId: 'simple', topics: [{ name: 'pt', partitions: [p(0, 10)] }] })).topics[0].partitions[0].errorCode, 0);
  assert.is((await req(ApiKey.OffsetCommit, 1, { groupId: 'simple', generationIdOrMemberEpoch: -1, memberId: '', topics: [{ name: 'pt', partitions: [{ ...p(1, 11), commitTimestamp: 5 }] }] })).topics[0].partitions[0].errorCode, 0);
  assert.is((await req(ApiKey.OffsetCommit, 2, { groupId: 'simple2', generationIdOrMemberEpoch: -1, memberId: '', retentionTimeMs: 60_000, topics: [{ name: 'pt', partitions: [p(0, 12)] }] })).topics[0].partitions[0].errorCode, 0);
  const v8 = await req(ApiKey.OffsetCommit, 8, { groupId: 'simple3', generationIdOrMemberEpoch: -1, memberId: '', groupInstanceId: null, topics: [{ name: 'pt', partitions: [p(1, 13)] }, { name: 'nope', partitions: [p(0, 1)] }] });
  assert.equal(v8.topics.map((t: Body) => t.partitions[0].errorCode), [0, 3]);
  const f1 = await req(ApiKey.OffsetFetch, 1, { groupId: 'simple', topics: [{ name: 'pt', partitionIndexes: [0, 1] }] });
  assert.equal(f1.topics[0].partitions.map((x: Body) => [x.committedOffset, x.metadata]), [[10, 'm10'], [11, 'm11']]);
  const f2 = await req(ApiKey.OffsetFetch, 2, { groupId: 'simple', topics: null });
  assert.equal([f2.errorCode, f2.topics.map((t: Body) => [t.name, t.partitions.length])], [0, [['pt', 2]]]);
  const f8 = await req(ApiKey.OffsetFetch, 8, { groups: [{ groupId: 'simple2', topics: null }, { groupId: 'simple3', topics: [{ name: 'pt', partitionIndexes: [0, 1] }] }, { groupId: 'unknown', topics: null }], requireStable: true });
  assert.equal(f8.groups.map((g: Body) => [g.groupId, g.errorCode, g.topics.flatMap((t: Body) => t.partitions.map((x: Body) => x.committedOffset))]),
    [['simple2', 0, [12]], ['simple3', 0, [-1, 13]], ['unknown', 0, []]]);
  // OffsetDelete and DeleteGroups on the simple group
  const od = await req(ApiKey.OffsetDelete, 0, { groupId: 'simple', topics: [{ name: 'pt', partitions: [{ partitionIndex: 0 }] }] });
  assert.equal([od.errorCode, od.topics[0].partitions[0].errorCode], [0, 0]);
  const dg = await req(ApiKey.DeleteGroups, 1, { groupsNames: ['simple', 'never-existed'] });
  assert.equal(dg.results.map((r: Body) => [r.groupId, r.errorCode]), [['simple', 0], ['never-existed', 69]]);
  const after = await req(ApiKey.OffsetFetch, 2, { groupId: 'simple', topics: null });
  assert.equal(after.topics, []);
});

test('huge metadata within the frame limit works; a frame over socket.request.max.bytes closes only that connection', async () => {
  const big = Buffer.alloc(2 * 1024 * 1024, 7);
  const other = await KafkaConnection.connect(broker.bootstrap);
  const j = await other.request<Body>(ApiKey.JoinGroup, 3, { ...joinBody('huge'), protocols: [{ name: 'range', metadata: big }] });
  assert.is(j.errorCode, 0);
  assert.is(j.members[0].metadata.length, big.length);
  const tooBig = { ...joinBody('huge'), protocols: [{ name: 'range', metadata: Buffer.alloc(5 * 1024 * 1024) }] };
  await other.request(ApiKey.JoinGroup, 3, tooBig).then(() => assert.unreachable('answered'), (err) => assert.ok(['SAMSA_CONNECTION_CLOSED', 'ECONNRESET', 'EPIPE'].includes(err.code), `closed, got ${err.code}`));
  // truncated JoinGroup body: the connection is closed, nothing else changes
  const third = await KafkaConnection.connect(broker.bootstrap);
  const frame = Buffer.from('00000010000b0005000000070003616263000167', 'hex'); // header + groupId 'g', then nothing
  const closed = new Promise<void>((resolve, reject) => {
    const t0 = Date.now();
    const t = setInterval(() => {
      if (third.closed) { clearInterval(t); resolve(); } else if (Date.now() - t0 > 10_000) { clearInterval(t); reject(new Error('truncated request did not close the connection')); }
    }, 20);
  });
  third.writeRaw(frame);
  await closed;
  // the huge member's GroupMetadata record is larger than __consumer_offsets' max.message.bytes:
  // Kafka answers the sync with UNKNOWN_SERVER_ERROR and the group rebalances
  const s = await req(ApiKey.SyncGroup, 0, { groupId: 'huge', generationId: j.generationId, memberId: j.memberId, assignments: [] });
  assert.is(s.errorCode, -1);
  assert.is((await req(ApiKey.DescribeGroups, 0, { groups: ['huge'] })).groups[0].groupState, 'PreparingRebalance');
  const j2 = await req(ApiKey.JoinGroup, 3, joinBody('huge', j.memberId));
  assert.equal([j2.errorCode, j2.generationId], [0, j.generationId + 1]);
  const s2 = await req(ApiKey.SyncGroup, 0, { groupId: 'huge', generationId: j2.generationId, memberId: j.memberId, assignments: [{ memberId: j.memberId, assignment: Buffer.from('ok') }] });
  assert.equal([s2.errorCode, s2.assignment.toString()], [0, 'ok']);
  assert.is((await req(ApiKey.DescribeGroups, 0, { groups: ['huge'] })).groups[0].groupState, 'Stable');
  other.close();
});

test.run();
