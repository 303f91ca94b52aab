// DeleteGroups v0-2. v1 no change; v2 flexible. Per group: GROUP_ID_NOT_FOUND (unknown or Dead),
// NON_EMPTY_GROUP (it has members), else tombstones for every offset and the group are written
// to __consumer_offsets before the answer.
import { ApiKey } from '../../protocol/generated/api-keys.js';
import type { DeleteGroupsRequest, DeleteGroupsResponse } from '../../protocol/generated/messages.js';
import { defineHandler } from '../handler.js';

export const deleteGroups = defineHandler<DeleteGroupsRequest, DeleteGroupsResponse>({
  apiKey: ApiKey.DeleteGroups,
  minVersion: 0,
  maxVersion: 2,
  async handle(req, ctx) {
    return { throttleTimeMs: 0, results: await ctx.broker.groups.deleteGroups(req.groupsNames) } as DeleteGroupsResponse;
  },
});
