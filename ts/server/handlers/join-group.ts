// JoinGroup v0-9 (Kafka 4.0.1+ serves 0-9 again, KAFKA-19444: librdkafka < 2.11 needs v0).
// v1 rebalanceTimeoutMs (v0: the session timeout is the rebalance timeout); v2 throttleTimeMs;
// v4 a new dynamic member first gets MEMBER_ID_REQUIRED with its member id (KIP-394); v5
// groupInstanceId (static membership, KIP-345); v6 flexible; v7 protocolType in the response and
// nullable protocolName; v8 reason; v9 skipAssignment (always false here: a static leader that
// rejoins unchanged triggers a rebalance instead). The state machine is ts/group/group.ts.
import { ApiKey } from '../../protocol/generated/api-keys.js';
import type { JoinGroupRequest, JoinGroupResponse } from '../../protocol/generated/messages.js';
import { defineHandler } from '../handler.js';

export const joinGroup = defineHandler<JoinGroupRequest, JoinGroupResponse>({
  apiKey: ApiKey.JoinGroup,
  minVersion: 0,
  maxVersion: 9,
  async handle(req, ctx) {
    const v = ctx.apiVersion;
    const rebalanceTimeoutMs = v >= 1 && (req.rebalanceTimeoutMs ?? -1) >= 0 ? req.rebalanceTimeoutMs! : req.sessionTimeoutMs;
    const groupInstanceId = v >= 5 ? req.groupInstanceId ?? null : null;
    const res = await ctx.broker.groups.join(req.groupId, {
      memberId: req.memberId,
      groupInstanceId,
      clientId: ctx.clientId ?? '',
      clientHost: `/${ctx.connection.remoteAddress}`,
      sessionTimeoutMs: req.sessionTimeoutMs,
      rebalanceTimeoutMs,
      protocolType: req.protocolType,
      protocols: req.protocols.map((p) => ({ name: p.name, metadata: p.metadata })),
      requireKnownMemberId: v >= 4 && groupInstanceId === null,
    });
    return {
      throttleTimeMs: 0,
      errorCode: res.errorCode,
      generationId: res.generationId,
      protocolType: res.protocolType,
      protocolName: v >= 7 ? res.protocolName : res.protocolName ?? '',
      leader: res.leader,
      skipAssignment: res.skipAssignment,
      memberId: res.memberId,
      members: res.members.map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId, metadata: m.metadata })),
    } as JoinGroupResponse;
  },
});
