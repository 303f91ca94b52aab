// LeaveGroup v0-5. v1 throttleTimeMs; v3 batched `members` with groupInstanceId (KIP-345: a
// static member can be removed by instance id alone) and per-member errors; v4 flexible; v5
// reason. v0-2 carry one memberId and one errorCode: the top-level error, else that member's.
import { ApiKey } from '../../protocol/generated/api-keys.js';
import type { LeaveGroupRequest, LeaveGroupResponse } from '../../protocol/generated/messages.js';
import { defineHandler } from '../handler.js';

export const leaveGroup = defineHandler<LeaveGroupRequest, LeaveGroupResponse>({
  apiKey: ApiKey.LeaveGroup,
  minVersion: 0,
  maxVersion: 5,
  async handle(req, ctx) {
    const v = ctx.apiVersion;
    const members = v >= 3
      ? (req.members ?? []).map((m) => ({ memberId: m.memberId ?? '', groupInstanceId: m.groupInstanceId ?? null }))
      : [{ memberId: req.memberId ?? '', groupInstanceId: null }];
    const res = await ctx.broker.groups.leave(req.groupId, members);
    if (v < 3) {
      return { throttleTimeMs: 0, errorCode: res.errorCode || (res.members[0]?.errorCode ?? 0), members: [] } as LeaveGroupResponse;
    }
    return { throttleTimeMs: 0, errorCode: res.errorCode, members: res.members } as LeaveGroupResponse;
  },
});
