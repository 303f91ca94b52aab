// DeleteTopics v1-6 (Kafka 4.0: 1-6). v0-5 name list; v4 flexible; v5 errorMessage; v6 topics by
// name OR topic id (both or neither → INVALID_REQUEST; unknown id → UNKNOWN_TOPIC_ID, unknown name
// → UNKNOWN_TOPIC_OR_PARTITION). Internal topics may be deleted: Kafka's broker allows it too
// (only its CLI refuses). delete.topic.enable=false → TOPIC_DELETION_DISABLED.
import { ApiKey } from '../../protocol/generated/api-keys.js';
import type { DeleteTopicsRequest, DeleteTopicsResponse } from '../../protocol/generated/messages.js';
import { KafkaError, errorCodeOf } from '../../protocol/error-codes.js';
import { defineHandler } from '../handler.js';
import { ZERO_TOPIC_ID } from '../topic-id.js';

export const deleteTopics = defineHandler<DeleteTopicsRequest, DeleteTopicsResponse>({
  apiKey: ApiKey.DeleteTopics,
  minVersion: 1,
  maxVersion: 6,
  async handle(req, ctx) {
    const { broker, apiVersion } = ctx;
    const wanted = apiVersion >= 6
      ? (req.topics ?? []).map((t) => ({ name: t.name ?? null, topicId: t.topicId ?? ZERO_TOPIC_ID }))
      : (req.topicNames ?? []).map((name) => ({ name, topicId: ZERO_TOPIC_ID }));
    const responses = [];
    for (const w of wanted) {
      let name = w.name;
      try {
        const byId = w.topicId !== ZERO_TOPIC_ID;
        if (byId === (name !== null)) throw new KafkaError(42, 'give either a topic name or a topic id, not both or neither');
        if (byId) {
          const t = broker.topics.getById(w.topicId);
          if (!t) throw new KafkaError(100, `no topic has id ${w.topicId}`);
          name = t.name;
        }
        const deleted = await broker.topics.delete(name!);
        responses.push({ name: deleted.name, topicId: deleted.topicId, errorCode: 0, errorMessage: null });
      } catch (err) {
        responses.push({ name, topicId: w.topicId, errorCode: errorCodeOf(err), errorMessage: (err as Error).message });
      }
    }
    return { throttleTimeMs: 0, responses };
  },
});
