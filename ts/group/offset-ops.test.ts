// Offset operations on a Group: expiry in each mode, commit checks in each state.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { encodeSubscription } from './consumer-protocol.js';
import { Group } from './group.js';
import { E, type JoinRequest } from './group-types.js';
import { commitCheck, commitOffsets, expireOffsets, type CommitRequest } from './offset-ops.js';
import type { OffsetRecord } from './records.js';

const DAY = 86_400_000;
const limits = { offsetMetadataMaxBytes: 100, partitionExists: () => true };
const offset = (g: Group, topic: string, partition: number, commitTimestamp: number, expireTimestamp = -1): void =>
  g.replay({ type: 'offset', group: g.groupId, topic, partition, value: { offset: 1, leaderEpoch: -1, metadata: '', commitTimestamp, expireTimestamp } }, 0);
const join = (topics: string[]): JoinRequest => ({
  memberId: '', groupInstanceId: null, clientId: 'c', clientHost: '/h', sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 10_000,
  protocolType: 'consumer', protocols: [{ name: 'range', metadata: encodeSubscription(topics) }], requireKnownMemberId: false,
});
const tombstones = (records: ReturnType<typeof expireOffsets>): string[] =>
  records.map((r) => (r.type === 'offset' ? `${r.topic}-${r.partition}` : `group:${r.group}`));

test('simple group: each offset expires retention after its commit; then the group is deleted', () => {
  const g = new Group('s', { initialRebalanceDelayMs: 0, maxSize: 10 }, 0);
  offset(g, 't', 0, 0);
  offset(g, 't', 1, DAY);
  assert.equal(tombstones(expireOffsets(g, 7 * DAY - 1, 7 * DAY)), []);
  const first = expireOffsets(g, 7 * DAY, 7 * DAY);
  assert.equal(tombstones(first), ['t-0']);
  for (const r of first) g.replay(r, 7 * DAY);
  assert.equal(tombstones(expireOffsets(g, 8 * DAY, 7 * DAY)), ['t-1', 'group:s']);
  assert.is(g.state, 'Dead');
});

test('explicit expire timestamps (OffsetCommit v2-4 retentionTimeMs) win over retention', () => {
  const g = new Group('s', { initialRebalanceDelayMs: 0, maxSize: 10 }, 0);
  offset(g, 't', 0, 0, 1000);
  offset(g, 't', 1, 0);
  assert.equal(tombstones(expireOffsets(g, 1000, 7 * DAY)), ['t-0']);
});

test('consumer group: nothing expires while active except unsubscribed topics; everything once Empty for the retention', () => {
  const g = new Group('c', { initialRebalanceDelayMs: 0, maxSize: 10, newUuid: () => 'u' }, 0);
  const res = g.join(1, join(['a']), 0);
  const memberId = (res.completions[0]!.response as { memberId: string }).memberId;
  g.sync(2, { memberId, groupInstanceId: null, generationId: 1, protocolType: null, protocolName: null, assignments: [] }, 0);
  assert.is(g.state, 'Stable');
  offset(g, 'a', 0, 0);
  offset(g, 'old', 0, 0);
  assert.equal(tombstones(expireOffsets(g, 7 * DAY, 7 * DAY)), ['old-0'], 'only the topic nobody subscribes to');
  g.heartbeat({ memberId, groupInstanceId: null, generationId: 1 }, 7 * DAY);
  g.leave([{ memberId, groupInstanceId: null }], 7 * DAY);
  assert.is(g.state, 'Empty');
  assert.equal(tombstones(expireOffsets(g, 14 * DAY - 1, 7 * DAY)).length, 0, 'Empty for less than the retention');
  assert.equal(tombstones(expireOffsets(g, 14 * DAY, 7 * DAY)).sort(), ['a-0', 'group:c', 'old-0']);
});

test('commit checks by state: CompletingRebalance → REBALANCE_IN_PROGRESS; PreparingRebalance commits with the old generation', () => {
  const g = new Group('c', { initialRebalanceDelayMs: 0, maxSize: 10, newUuid: () => String(Math.random()) }, 0);
  const r1 = g.join(1, join(['a']), 0);
  const a = (r1.completions[0]!.response as { memberId: string }).memberId;
  const req = (memberId: string, generationId: number): CommitRequest => ({ memberId, groupInstanceId: null, generationId, retentionTimeMs: -1, topics: [{ name: 'a', partitions: [{ partitionIndex: 0, committedOffset: 5, committedLeaderEpoch: -1, commitTimestamp: -1, committedMetadata: null }] }] });
  assert.is(commitCheck(g, req(a, 1)), E.REBALANCE_IN_PROGRESS);
  g.sync(2, { memberId: a, groupInstanceId: null, generationId: 1, protocolType: null, protocolName: null, assignments: [] }, 0);
  assert.is(commitCheck(g, req(a, 1)), E.NONE);
  g.join(3, join(['a']), 1); // a second member: PreparingRebalance
  assert.is(g.state, 'PreparingRebalance');
  assert.is(commitCheck(g, req(a, 1)), E.NONE, 'members commit while revoking');
  assert.is(commitCheck(g, req(a, 2)), E.ILLEGAL_GENERATION);
  assert.is(commitCheck(g, req('x', 1)), E.UNKNOWN_MEMBER_ID);
  assert.is(commitCheck(g, req('', -1)), E.UNKNOWN_MEMBER_ID);
  const { topics, records } = commitOffsets(g, req(a, 1), 5, limits);
  assert.equal(topics, [{ name: 'a', partitions: [{ partitionIndex: 0, errorCode: E.NONE }] }]);
  assert.equal((records[0] as OffsetRecord).value, { offset: 5, leaderEpoch: -1, metadata: '', commitTimestamp: 5, expireTimestamp: -1 });
  assert.is(g.offsets.isPending('a', 0), true);
  assert.is(g.offsets.get('a', 0), undefined, 'visible only after replay');
});

test.run();
