// OffsetDelete v0 (KIP-496). Top-level: GROUP_ID_NOT_FOUND, NON_EMPTY_GROUP (a non-consumer
// group with members), INVALID_GROUP_ID, coordinator errors. Per partition:
// UNKNOWN_TOPIC_OR_PARTITION, GROUP_SUBSCRIBED_TO_TOPIC (a member of the consumer group still
// subscribes to the topic), else the offset's tombstone is written before the answer.
import { ApiKey } from '../../protocol/generated/api-keys.js';
import type { OffsetDeleteRequest, OffsetDeleteResponse } from '../../protocol/generated/messages.js';
import { defineHandler } from '../handler.js';

export const offsetDelete = defineHandler<OffsetDeleteRequest, OffsetDeleteResponse>({
  apiKey: ApiKey.OffsetDelete,
  minVersion: 0,
  maxVersion: 0,
  async handle(req, ctx) {
    const res = await ctx.broker.groups.deleteOffsets(req.groupId, req.topics);
    return { errorCode: res.errorCode, throttleTimeMs: 0, topics: res.topics } as OffsetDeleteResponse;
  },
});
