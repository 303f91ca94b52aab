// CreatePartitions v0-3 (Kafka 4.0: 0-3; v2 flexible). `count` is the new total: it must exceed the
// current count (INVALID_PARTITIONS otherwise). Manual assignments: one per new partition, each
// exactly [this broker] (INVALID_REPLICA_ASSIGNMENT). validate_only checks without creating.
// A topic listed twice → INVALID_REQUEST for it.
import { ApiKey } from '../../protocol/generated/api-keys.js';
import type { CreatePartitionsRequest, CreatePartitionsResponse } from '../../protocol/generated/messages.js';
import { KafkaError, errorCodeOf } from '../../protocol/error-codes.js';
import { defineHandler } from '../handler.js';

export const createPartitions = defineHandler<CreatePartitionsRequest, CreatePartitionsResponse>({
  apiKey: ApiKey.CreatePartitions,
  minVersion: 0,
  maxVersion: 3,
  async handle(req, ctx) {
    const { broker } = ctx;
    const counts = new Map<string, number>();
    for (const t of req.topics) counts.set(t.name, (counts.get(t.name) ?? 0) + 1);
    const results = [];
    for (const t of req.topics) {
      try {
        if (counts.get(t.name)! > 1) throw new KafkaError(42, `topic '${t.name}' is listed more than once in the request`);
        const current = broker.topics.get(t.name);
        if (current && t.assignments !== null) {
          if (t.assignments.length !== t.count - current.partitions) {
            throw new KafkaError(39, `${t.assignments.length} assignments given for ${t.count - current.partitions} new partitions`);
          }
          for (const a of t.assignments) {
            if (a.brokerIds.length !== 1 || a.brokerIds[0] !== broker.brokerId) {
              throw new KafkaError(39, `assignment [${a.brokerIds.join(', ')}] is not possible: this cluster has only broker ${broker.brokerId}`);
            }
          }
        }
        await broker.topics.createPartitions(t.name, t.count, req.validateOnly);
        results.push({ name: t.name, errorCode: 0, errorMessage: null });
      } catch (err) {
        results.push({ name: t.name, errorCode: errorCodeOf(err), errorMessage: (err as Error).message });
      }
    }
    return { throttleTimeMs: 0, results };
  },
});
