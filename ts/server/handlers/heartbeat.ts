// Heartbeat v0-4. v1 throttleTimeMs; v3 groupInstanceId (static membership); v4 flexible.
// Answers (Kafka's order): COORDINATOR_NOT_AVAILABLE (group Dead), FENCED_INSTANCE_ID,
// UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION, REBALANCE_IN_PROGRESS (PreparingRebalance: rejoin).
import { ApiKey } from '../../protocol/generated/api-keys.js';
import type { HeartbeatRequest, HeartbeatResponse } from '../../protocol/generated/messages.js';
import { defineHandler } from '../handler.js';

export const heartbeat = defineHandler<HeartbeatRequest, HeartbeatResponse>({
  apiKey: ApiKey.Heartbeat,
  minVersion: 0,
  maxVersion: 4,
  handle: (req, ctx) => ({
    throttleTimeMs: 0,
    errorCode: ctx.broker.groups.heartbeat(req.groupId, {
      memberId: req.memberId,
      groupInstanceId: ctx.apiVersion >= 3 ? req.groupInstanceId ?? null : null,
      generationId: req.generationId,
    }),
  }),
});
