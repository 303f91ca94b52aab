// DescribeGroups v0-5 (Kafka 4.0 has 6, beyond our schema). v1 throttleTimeMs; v3
// includeAuthorizedOperations/authorizedOperations; v4 groupInstanceId; v5 flexible.
// As Kafka's GroupMetadata.summary: a Stable group shows its protocol and each member's
// metadata (for the chosen protocol) and assignment; other states list members with empty
// bytes and protocolData ''. An unknown group is reported as state "Dead" with no error.
// Authorized operations (no ACLs yet: everything a group allows): READ(3), DELETE(6), DESCRIBE(8).
import { ApiKey } from '../../protocol/generated/api-keys.js';
import type { DescribeGroupsRequest, DescribeGroupsResponse } from '../../protocol/generated/messages.js';
import { defineHandler } from '../handler.js';

const GROUP_OPERATIONS = (1 << 3) | (1 << 6) | (1 << 8);
const OMITTED = -2147483648;
const EMPTY = Buffer.alloc(0);

export const describeGroups = defineHandler<DescribeGroupsRequest, DescribeGroupsResponse>({
  apiKey: ApiKey.DescribeGroups,
  minVersion: 0,
  maxVersion: 5,
  handle(req, ctx) {
    const coordinator = ctx.broker.groups;
    const authorizedOperations = ctx.apiVersion >= 3 && req.includeAuthorizedOperations ? GROUP_OPERATIONS : OMITTED;
    const groups = req.groups.map((groupId) => {
      const errorCode = coordinator.availability(groupId);
      const g = errorCode === 0 ? coordinator.group(groupId) : undefined;
      if (!g) {
        return { errorCode, groupId, groupState: errorCode === 0 ? 'Dead' : '', protocolType: '', protocolData: '', members: [], authorizedOperations };
      }
      const stable = g.state === 'Stable';
      return {
        errorCode: 0, groupId, groupState: g.state, protocolType: g.protocolType ?? '',
        protocolData: stable ? g.protocolName ?? '' : '',
        members: [...g.members.values()].map((m) => ({
          memberId: m.memberId, groupInstanceId: m.groupInstanceId, clientId: m.clientId, clientHost: m.clientHost,
          memberMetadata: stable && g.protocolName !== null ? m.metadataFor(g.protocolName) : EMPTY,
          memberAssignment: stable ? m.assignment : EMPTY,
        })),
        authorizedOperations,
      };
    });
    return { throttleTimeMs: 0, groups } as DescribeGroupsResponse;
  },
});
