// Group state machine, driven with a fake clock: no sockets, no disk.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Group, type GroupConfig } from './group.js';
import { E, type Completion, type GroupResult, type JoinRequest, type JoinResponse, type SyncResponse } from './group-types.js';
import type { JoinProtocol } from './member.js';

let uuid = 0;
let token = 0;
const cfg = (over: Partial<GroupConfig> = {}): GroupConfig => ({ initialRebalanceDelayMs: 0, maxSize: 100, newUuid: () => `u${++uuid}`, ...over });
const proto = (...names: string[]): JoinProtocol[] => names.map((n) => ({ name: n, metadata: Buffer.from(`meta-${n}`) }));

function jr(over: Partial<JoinRequest> = {}): JoinRequest {
  return {
    memberId: '', groupInstanceId: null, clientId: 'c', clientHost: '/127.0.0.1', sessionTimeoutMs: 10_000,
    rebalanceTimeoutMs: 30_000, protocolType: 'consumer', protocols: proto('range'), requireKnownMemberId: true, ...over,
  };
}

function find(res: GroupResult, t: number): Completion | undefined {
  return res.completions.find((c) => c.token === t);
}
function joinOf(res: GroupResult, t: number): JoinResponse {
  const c = find(res, t);
  assert.ok(c, `no completion for token ${t}`);
  assert.is(c!.kind, 'join');
  return c!.response as JoinResponse;
}
function syncOf(res: GroupResult, t: number): SyncResponse {
  const c = find(res, t);
  assert.ok(c, `no completion for token ${t}`);
  assert.is(c!.kind, 'sync');
  return c!.response as SyncResponse;
}

/** MEMBER_ID_REQUIRED round trip, then the real join; returns the join token and result. */
function joinNew(g: Group, now: number, over: Partial<JoinRequest> = {}): { memberId: string; t: number; res: GroupResult } {
  const t1 = ++token;
  const first = g.join(t1, jr(over), now);
  const r1 = joinOf(first, t1);
  assert.is(r1.errorCode, E.MEMBER_ID_REQUIRED);
  const t = ++token;
  return { memberId: r1.memberId, t, res: g.join(t, jr({ ...over, memberId: r1.memberId }), now) };
}

/** One member, delay 0: joined, synced, Stable at generation 1. */
function stableOne(g: Group, now: number): string {
  const a = joinNew(g, now);
  const j = joinOf(a.res, a.t);
  const ts = ++token;
  const s = g.sync(ts, { memberId: a.memberId, groupInstanceId: null, generationId: j.generationId, protocolType: null, protocolName: null, assignments: [{ memberId: a.memberId, assignment: Buffer.from('A') }] }, now);
  assert.is(syncOf(s, ts).errorCode, E.NONE);
  return a.memberId;
}

test('first join: MEMBER_ID_REQUIRED, then the rebalance completes at once (delay 0); leader sync stores and answers', () => {
  const g = new Group('g', cfg(), 1000);
  const t1 = ++token;
  const r = g.join(t1, jr({ clientId: 'app' }), 1000);
  const j1 = joinOf(r, t1);
  assert.is(j1.errorCode, E.MEMBER_ID_REQUIRED);
  assert.match(j1.memberId, /^app-u\d+$/);
  assert.is(g.state, 'Empty');
  assert.is(g.pendingMembers.size, 1);
  const t2 = ++token;
  const r2 = g.join(t2, jr({ memberId: j1.memberId, clientId: 'app' }), 1001);
  const j2 = joinOf(r2, t2);
  assert.is(j2.errorCode, E.NONE);
  assert.is(j2.generationId, 1);
  assert.is(j2.leader, j1.memberId);
  assert.is(j2.protocolName, 'range');
  assert.equal(j2.members.map((m) => [m.memberId, m.metadata.toString()]), [[j1.memberId, 'meta-range']]);
  assert.is(g.state, 'CompletingRebalance');
  assert.is(r2.records.length, 0);
  const ts = ++token;
  const s = g.sync(ts, { memberId: j1.memberId, groupInstanceId: null, generationId: 1, protocolType: 'consumer', protocolName: 'range', assignments: [{ memberId: j1.memberId, assignment: Buffer.from('P0') }] }, 1002);
  assert.is(syncOf(s, ts).assignment.toString(), 'P0');
  assert.is(g.state, 'Stable');
  assert.is(s.records.length, 1);
  const rec = s.records[0]!;
  assert.is(rec.type, 'group');
  if (rec.type === 'group') {
    assert.is(rec.value!.generation, 1);
    assert.is(rec.value!.protocol, 'range');
    assert.is(rec.value!.leader, j1.memberId);
    assert.equal(rec.value!.members.map((m) => [m.memberId, m.assignment.toString(), m.subscription.toString()]), [[j1.memberId, 'P0', 'meta-range']]);
  }
});

test('a second member triggers a rebalance: heartbeat says REBALANCE_IN_PROGRESS, the join completes when all rejoined', () => {
  const g = new Group('g', cfg(), 0);
  const a = stableOne(g, 0);
  const b = joinNew(g, 10);
  assert.is(find(b.res, b.t), undefined, 'b is parked until a rejoins');
  assert.is(g.state, 'PreparingRebalance');
  assert.is(g.heartbeat({ memberId: a, groupInstanceId: null, generationId: 1 }, 11), E.REBALANCE_IN_PROGRESS);
  const ta = ++token;
  const r = g.join(ta, jr({ memberId: a }), 12);
  const ja = joinOf(r, ta);
  const jb = joinOf(r, b.t);
  assert.is(ja.generationId, 2);
  assert.is(jb.generationId, 2);
  assert.is(ja.leader, a);
  assert.is(ja.members.length, 2, 'leader gets every member');
  assert.is(jb.members.length, 0, 'followers get none');
  // follower syncs first: parked until the leader's assignment arrives
  const tb = ++token;
  const sb = g.sync(tb, { memberId: b.memberId, groupInstanceId: null, generationId: 2, protocolType: null, protocolName: null, assignments: [] }, 13);
  assert.is(sb.completions.length, 0);
  const tl = ++token;
  const sl = g.sync(tl, { memberId: a, groupInstanceId: null, generationId: 2, protocolType: null, protocolName: null, assignments: [{ memberId: a, assignment: Buffer.from('A') }, { memberId: b.memberId, assignment: Buffer.from('B') }] }, 14);
  assert.is(syncOf(sl, tl).assignment.toString(), 'A');
  assert.is(syncOf(sl, tb).assignment.toString(), 'B');
  assert.is(g.state, 'Stable');
});

test('out-of-order requests get Kafka codes and leave the state unchanged', () => {
  const g = new Group('g', cfg(), 0);
  const t = ++token;
  const s = g.sync(t, { memberId: 'nobody', groupInstanceId: null, generationId: 0, protocolType: null, protocolName: null, assignments: [] }, 0);
  assert.is(syncOf(s, t).errorCode, E.UNKNOWN_MEMBER_ID);
  const a = stableOne(g, 0);
  assert.is(g.heartbeat({ memberId: a, groupInstanceId: null, generationId: 0 }, 1), E.ILLEGAL_GENERATION);
  assert.is(g.heartbeat({ memberId: 'x', groupInstanceId: null, generationId: 1 }, 1), E.UNKNOWN_MEMBER_ID);
  assert.is(g.heartbeat({ memberId: a, groupInstanceId: null, generationId: 1 }, 1), E.NONE);
  const t2 = ++token;
  const s2 = g.sync(t2, { memberId: a, groupInstanceId: null, generationId: 1, protocolType: 'other', protocolName: null, assignments: [] }, 1);
  assert.is(syncOf(s2, t2).errorCode, E.INCONSISTENT_GROUP_PROTOCOL);
  const t3 = ++token;
  const j = g.join(t3, jr({ memberId: 'stranger' }), 1);
  assert.is(joinOf(j, t3).errorCode, E.UNKNOWN_MEMBER_ID);
  const t4 = ++token;
  const j4 = g.join(t4, jr({ protocolType: 'connect' }), 1);
  assert.is(joinOf(j4, t4).errorCode, E.INCONSISTENT_GROUP_PROTOCOL);
  const t5 = ++token;
  const j5 = g.join(t5, jr({ protocols: proto('roundrobin') }), 1);
  assert.is(joinOf(j5, t5).errorCode, E.INCONSISTENT_GROUP_PROTOCOL);
  assert.is(g.state, 'Stable');
  assert.is(g.generationId, 1);
  assert.is(g.members.size, 1);
  // stable member repeats SyncGroup: gets its assignment again
  const t6 = ++token;
  assert.is(syncOf(g.sync(t6, { memberId: a, groupInstanceId: null, generationId: 1, protocolType: null, protocolName: null, assignments: [] }, 2), t6).assignment.toString(), 'A');
});

test('sync during PreparingRebalance → REBALANCE_IN_PROGRESS; pending syncs are answered so when a rebalance starts', () => {
  const g = new Group('g', cfg(), 0);
  const a = stableOne(g, 0);
  const b = joinNew(g, 1);
  const t = ++token;
  assert.is(syncOf(g.sync(t, { memberId: a, groupInstanceId: null, generationId: 1, protocolType: null, protocolName: null, assignments: [] }, 2), t).errorCode, E.REBALANCE_IN_PROGRESS);
  const ta = ++token;
  g.join(ta, jr({ memberId: a }), 3);
  assert.is(g.state, 'CompletingRebalance');
  const tb = ++token;
  assert.is(g.sync(tb, { memberId: b.memberId, groupInstanceId: null, generationId: 2, protocolType: null, protocolName: null, assignments: [] }, 4).completions.length, 0);
  // a third member arrives before the leader synced: b's parked sync is answered REBALANCE_IN_PROGRESS
  const t1 = ++token;
  const c1 = joinOf(g.join(t1, jr(), 5), t1);
  const tc = ++token;
  const r = g.join(tc, jr({ memberId: c1.memberId }), 5);
  assert.is(syncOf(r, tb).errorCode, E.REBALANCE_IN_PROGRESS);
  assert.is(g.state, 'PreparingRebalance');
});

test('protocol selection: the protocol every member supports, by votes of preference', () => {
  const g = new Group('g', cfg(), 0);
  const a = joinNew(g, 0, { protocols: proto('range', 'roundrobin') });
  assert.is(joinOf(a.res, a.t).protocolName, 'range');
  const b = joinNew(g, 1, { protocols: proto('roundrobin', 'range') });
  const c = joinNew(g, 1, { protocols: proto('roundrobin') });
  const ta = ++token;
  const r = g.join(ta, jr({ memberId: a.memberId, protocols: proto('range', 'roundrobin') }), 2);
  assert.is(joinOf(r, ta).protocolName, 'roundrobin');
  assert.is(joinOf(r, b.t).protocolName, 'roundrobin');
  assert.is(joinOf(r, c.t).generationId, 2);
  assert.equal(joinOf(r, ta).members.map((m) => m.metadata.toString()), ['meta-roundrobin', 'meta-roundrobin', 'meta-roundrobin']);
});

test('session timeout: a silent member is removed, the rest rebalance; the last one leaving empties the group', () => {
  const g = new Group('g', cfg(), 0);
  const a = stableOne(g, 0);
  const b = joinNew(g, 0);
  const ta = ++token;
  g.join(ta, jr({ memberId: a }), 0);
  const tl = ++token;
  g.sync(tl, { memberId: a, groupInstanceId: null, generationId: 2, protocolType: null, protocolName: null, assignments: [] }, 0);
  const tb = ++token;
  g.sync(tb, { memberId: b.memberId, groupInstanceId: null, generationId: 2, protocolType: null, protocolName: null, assignments: [] }, 0);
  assert.is(g.state, 'Stable');
  assert.is(g.nextDeadline(), 10_000);
  assert.is(g.heartbeat({ memberId: a, groupInstanceId: null, generationId: 2 }, 9_000), E.NONE);
  assert.is(g.tick(9_999).completions.length, 0);
  g.tick(10_000); // b expired
  assert.is(g.members.has(b.memberId), false);
  assert.is(g.state, 'PreparingRebalance');
  const t = ++token;
  const r = g.join(t, jr({ memberId: a }), 10_001);
  assert.is(joinOf(r, t).generationId, 3);
  assert.is(joinOf(r, t).members.length, 1);
  // a leaves: a rebalance with nobody → Empty, generation 4, an empty GroupMetadata record
  const lv = g.leave([{ memberId: a, groupInstanceId: null }], 10_002);
  assert.equal(lv.response, { errorCode: E.NONE, members: [{ memberId: a, groupInstanceId: null, errorCode: E.NONE }] });
  assert.is(g.state, 'Empty');
  assert.is(g.generationId, 4);
  assert.is(lv.records.length, 1);
  if (lv.records[0]!.type === 'group') assert.equal(lv.records[0]!.value!.members, []);
  assert.is(g.leave([{ memberId: a, groupInstanceId: null }], 10_003).response.members[0]!.errorCode, E.UNKNOWN_MEMBER_ID);
});

test('rebalance timeout: a member that does not rejoin is dropped when the join phase times out', () => {
  const g = new Group('g', cfg(), 0);
  const a = stableOne(g, 0);
  const b = joinNew(g, 100, { rebalanceTimeoutMs: 5000 });
  assert.is(g.nextDeadline(), 10_000, "a's session ends first");
  for (const at of [9_000, 18_000, 27_000]) {
    assert.is(g.heartbeat({ memberId: a, groupInstanceId: null, generationId: 1 }, at), E.REBALANCE_IN_PROGRESS);
    assert.is(g.tick(at).completions.length, 0);
  }
  assert.is(g.nextDeadline(), 100 + 30_000, 'rebalance timeout is the largest among members');
  const r = g.tick(30_100);
  const jb = joinOf(r, b.t);
  assert.is(jb.generationId, 2);
  assert.is(jb.leader, b.memberId, 'the leader did not rejoin: a joined member leads');
  assert.equal([...g.members.keys()], [b.memberId]);
});

test('sync timeout: members that never SyncGroup are removed and the group rebalances', () => {
  const g = new Group('g', cfg(), 0);
  const a = joinNew(g, 0, { rebalanceTimeoutMs: 1000 });
  assert.is(g.state, 'CompletingRebalance');
  assert.is(g.nextDeadline(), 1000);
  const r = g.tick(1000);
  assert.is(r.completions.length, 0);
  assert.is(g.members.has(a.memberId), false);
  assert.is(g.state, 'Empty');
});

test('initial rebalance delay: waits, extends while new members arrive, bounded by the rebalance timeout', () => {
  const g = new Group('g', cfg({ initialRebalanceDelayMs: 3000 }), 0);
  const a = joinNew(g, 0, { rebalanceTimeoutMs: 7000 });
  assert.is(find(a.res, a.t), undefined);
  assert.is(g.state, 'PreparingRebalance');
  const b = joinNew(g, 1000, { rebalanceTimeoutMs: 7000 });
  assert.is(g.tick(2999).completions.length, 0);
  assert.is(g.tick(3000).completions.length, 0, 'a member arrived: wait another delay');
  const c = joinNew(g, 4000, { rebalanceTimeoutMs: 7000 });
  const r = g.tick(6000);
  assert.is(r.completions.length, 0, 'another member arrived: wait min(delay, remaining)');
  const r2 = g.tick(7000);
  assert.is(r2.completions.length, 3);
  assert.is(joinOf(r2, c.t).generationId, 1);
  assert.is(joinOf(r2, a.t).leader, a.memberId);
  assert.ok(b.memberId);
});

test('static membership: rejoin with an unknown member id replaces the old id; the old id is fenced', () => {
  const g = new Group('g', cfg(), 0);
  const ta = ++token;
  const first = g.join(ta, jr({ groupInstanceId: 'inst-1', requireKnownMemberId: false }), 0);
  const ja = joinOf(first, ta);
  assert.match(ja.memberId, /^inst-1-u\d+$/, 'static members join without MEMBER_ID_REQUIRED');
  const tl = ++token;
  g.sync(tl, { memberId: ja.memberId, groupInstanceId: 'inst-1', generationId: 1, protocolType: null, protocolName: null, assignments: [{ memberId: ja.memberId, assignment: Buffer.from('S') }] }, 0);
  const tb = ++token;
  const bJoin = g.join(tb, jr({ groupInstanceId: 'inst-2', requireKnownMemberId: false }), 1);
  assert.is(find(bJoin, tb), undefined);
  const ta2 = ++token;
  const rj = g.join(ta2, jr({ memberId: ja.memberId, groupInstanceId: 'inst-1', requireKnownMemberId: false }), 2);
  const jb = joinOf(rj, tb);
  const sync = (t: number, memberId: string, inst: string, assignments: Array<{ memberId: string; assignment: Buffer }> = []) =>
    g.sync(t, { memberId, groupInstanceId: inst, generationId: 2, protocolType: null, protocolName: null, assignments }, 3);
  const t3 = ++token;
  sync(t3, ja.memberId, 'inst-1', [{ memberId: ja.memberId, assignment: Buffer.from('S1') }, { memberId: jb.memberId, assignment: Buffer.from('S2') }]);
  assert.is(g.state, 'Stable');
  // inst-2 restarts (no member id): same protocols, not leader → new id, same generation, assignment kept
  const t4 = ++token;
  const re = g.join(t4, jr({ groupInstanceId: 'inst-2', requireKnownMemberId: false }), 4);
  const jr2 = joinOf(re, t4);
  assert.is(jr2.errorCode, E.NONE);
  assert.is(jr2.generationId, 2);
  assert.is.not(jr2.memberId, jb.memberId);
  assert.is(re.records.length, 1, 'the new member id is persisted');
  assert.is(g.state, 'Stable');
  assert.is(g.heartbeat({ memberId: jb.memberId, groupInstanceId: 'inst-2', generationId: 2 }, 5), E.FENCED_INSTANCE_ID);
  assert.is(g.heartbeat({ memberId: jr2.memberId, groupInstanceId: 'inst-2', generationId: 2 }, 5), E.NONE);
  const t5 = ++token;
  assert.is(syncOf(g.sync(t5, { memberId: jr2.memberId, groupInstanceId: 'inst-2', generationId: 2, protocolType: null, protocolName: null, assignments: [] }, 6), t5).assignment.toString(), 'S2');
  // leaving by instance id only
  const lv = g.leave([{ memberId: '', groupInstanceId: 'inst-2' }, { memberId: 'zzz', groupInstanceId: 'inst-1' }], 7);
  assert.equal(lv.response.members.map((m) => m.errorCode), [E.NONE, E.FENCED_INSTANCE_ID]);
  assert.is(g.members.size, 1);
});

test('group.max.size: GROUP_MAX_SIZE_REACHED for the member beyond the limit', () => {
  const g = new Group('g', cfg({ maxSize: 1 }), 0);
  stableOne(g, 0);
  const t = ++token;
  assert.is(joinOf(g.join(t, jr(), 1), t).errorCode, E.GROUP_MAX_SIZE_REACHED);
  assert.is(g.members.size, 1);
});

test('replay of the emitted GroupMetadata record rebuilds the group as Stable with members and assignments', () => {
  const g = new Group('g', cfg(), 0);
  const a = joinNew(g, 0);
  const ts = ++token;
  const s = g.sync(ts, { memberId: a.memberId, groupInstanceId: null, generationId: 1, protocolType: null, protocolName: null, assignments: [{ memberId: a.memberId, assignment: Buffer.from('X') }] }, 5);
  const h = new Group('g', cfg(), 100);
  h.replay(s.records[0]!, 100);
  assert.is(h.state, 'Stable');
  assert.is(h.generationId, 1);
  assert.is(h.protocolType, 'consumer');
  assert.is(h.protocolName, 'range');
  assert.is(h.leaderId, a.memberId);
  assert.is(h.members.get(a.memberId)!.assignment.toString(), 'X');
  assert.is(h.heartbeat({ memberId: a.memberId, groupInstanceId: null, generationId: 1 }, 101), E.NONE);
  h.replay({ type: 'group', group: 'g', value: null }, 102);
  assert.is(h.state, 'Dead');
});

test.run();
