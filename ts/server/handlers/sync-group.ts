// SyncGroup v0-5. v1 throttleTimeMs; v3 groupInstanceId; v4 flexible; v5 protocolType and
// protocolName in request (checked against the group: INCONSISTENT_GROUP_PROTOCOL) and response.
// The leader's SyncGroup stores the assignment (GroupMetadata record) before anyone is answered.
import { ApiKey } from '../../protocol/generated/api-keys.js';
import type { SyncGroupRequest, SyncGroupResponse } from '../../protocol/generated/messages.js';
import { defineHandler } from '../handler.js';

export const syncGroup = defineHandler<SyncGroupRequest, SyncGroupResponse>({
  apiKey: ApiKey.SyncGroup,
  minVersion: 0,
  maxVersion: 5,
  async handle(req, ctx) {
    const v = ctx.apiVersion;
    const res = await ctx.broker.groups.sync(req.groupId, {
      memberId: req.memberId,
      groupInstanceId: v >= 3 ? req.groupInstanceId ?? null : null,
      generationId: req.generationId,
      protocolType: v >= 5 ? req.protocolType ?? null : null,
      protocolName: v >= 5 ? req.protocolName ?? null : null,
      assignments: req.assignments.map((a) => ({ memberId: a.memberId, assignment: a.assignment })),
    });
    return { throttleTimeMs: 0, errorCode: res.errorCode, protocolType: res.protocolType, protocolName: res.protocolName, assignment: res.assignment } as SyncGroupResponse;
  },
});
