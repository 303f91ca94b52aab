// ListGroups v0-5. v1 throttleTimeMs; v3 flexible; v4 statesFilter (KIP-518; case-insensitive,
// empty = all) and groupState; v5 typesFilter (KIP-848; "classic" here) and groupType. While
// __consumer_offsets partitions are still loading the answer carries COORDINATOR_LOAD_IN_PROGRESS
// with the groups loaded so far, as Kafka does.
import { ApiKey } from '../../protocol/generated/api-keys.js';
import type { ListGroupsRequest, ListGroupsResponse } from '../../protocol/generated/messages.js';
import { E } from '../../group/group-types.js';
import { defineHandler } from '../handler.js';

export const listGroups = defineHandler<ListGroupsRequest, ListGroupsResponse>({
  apiKey: ApiKey.ListGroups,
  minVersion: 0,
  maxVersion: 5,
  handle(req, ctx) {
    const v = ctx.apiVersion;
    const states = new Set((v >= 4 ? req.statesFilter ?? [] : []).map((s) => s.toLowerCase()));
    const types = new Set((v >= 5 ? req.typesFilter ?? [] : []).map((s) => s.toLowerCase()));
    const coordinator = ctx.broker.groups;
    const groups = coordinator.listGroups()
      .filter((g) => states.size === 0 || states.has(g.groupState.toLowerCase()))
      .filter(() => types.size === 0 || types.has('classic'))
      .map((g) => ({ groupId: g.groupId, protocolType: g.protocolType, groupState: g.groupState, groupType: 'classic' }));
    const errorCode = coordinator.loadingPartitions > 0 ? E.COORDINATOR_LOAD_IN_PROGRESS : E.NONE;
    return { throttleTimeMs: 0, errorCode, groups } as ListGroupsResponse;
  },
});
