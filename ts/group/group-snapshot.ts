// A group's durable form: the GroupMetadata record (GroupMetadataValue v3, records.ts) written
// when a generation becomes Stable, when the group becomes Empty and when a static member's id
// is replaced, and the rebuild of a Group from it when __consumer_offsets is loaded. Only the
// chosen protocol's metadata is stored per member (Kafka's `subscription`), so a reloaded member
// supports just that protocol until it rejoins. A reloaded group with members is Stable; its
// members expire by session timeout unless they heartbeat again.
import type { Group } from './group.js';
import { MemberMetadata } from './member.js';
import type { GroupMetadataValue, GroupRecord } from './records.js';

const EMPTY = Buffer.alloc(0);

export function groupMetadataRecord(g: Group, now: number): GroupRecord {
  const value: GroupMetadataValue = {
    protocolType: g.protocolType ?? '',
    generation: g.generationId,
    protocol: g.protocolName,
    leader: g.leaderId,
    currentStateTimestamp: now,
    members: [...g.members.values()].map((m) => ({
      memberId: m.memberId, groupInstanceId: m.groupInstanceId, clientId: m.clientId, clientHost: m.clientHost,
      rebalanceTimeout: m.rebalanceTimeoutMs, sessionTimeout: m.sessionTimeoutMs,
      subscription: g.protocolName !== null ? m.metadataFor(g.protocolName) : EMPTY,
      assignment: m.assignment,
    })),
  };
  return { type: 'group', group: g.groupId, value };
}

/** Replaces `g`'s membership with the stored snapshot `v` (loading only). */
export function restoreGroup(g: Group, v: GroupMetadataValue, now: number): void {
  g.members.clear();
  g.staticMembers.clear();
  g.protocolType = v.protocolType === '' ? null : v.protocolType;
  g.generationId = v.generation;
  g.protocolName = v.protocol;
  g.leaderId = v.leader;
  for (const x of v.members) {
    const m = new MemberMetadata(x.memberId, x.groupInstanceId ?? null, x.clientId, x.clientHost,
      x.rebalanceTimeout ?? x.sessionTimeout, x.sessionTimeout, v.protocolType,
      v.protocol !== null ? [{ name: v.protocol, metadata: x.subscription }] : []);
    m.assignment = x.assignment;
    m.heartbeatDeadline = now + x.sessionTimeout;
    g.members.set(m.memberId, m);
    if (m.groupInstanceId !== null) g.staticMembers.set(m.groupInstanceId, m.memberId);
  }
  g.state = g.members.size > 0 ? 'Stable' : 'Empty';
  g.currentStateTimestamp = v.currentStateTimestamp !== undefined && v.currentStateTimestamp >= 0 ? v.currentStateTimestamp : now;
}
