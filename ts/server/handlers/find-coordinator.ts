// FindCoordinator v0-6 (Kafka 4.0.1: 0-6; min 0 kept for librdkafka ≤ 2.11, whose LZ4 and group
// consumer features test for v0). v1 keyType, errorMessage, throttleTimeMs; v3 flexible; v4
// batched `coordinatorKeys` answered in `coordinators[]`; v5/v6 no change for these key types.
// Key types: 0 group → this broker (cluster mode: the leader of the group's __consumer_offsets
// partition, COORDINATOR_NOT_AVAILABLE while it has none), after __consumer_offsets exists (created on first lookup, as
// Kafka does; a failure is COORDINATOR_NOT_AVAILABLE). 1 transaction → this broker as well: a
// single broker is every coordinator, and answering now keeps clients' lookups stable when the
// transaction coordinator arrives (until then its APIs answer for themselves). Any other key type
// (2 = share group) → INVALID_REQUEST. An empty group id → INVALID_REQUEST.
import { ApiKey } from '../../protocol/generated/api-keys.js';
import type { FindCoordinatorRequest, FindCoordinatorResponse } from '../../protocol/generated/messages.js';
import { E } from '../../group/group-types.js';
import { OFFSETS_TOPIC } from '../../group/offsets-partition.js';
import { defineHandler, type RequestContext } from '../handler.js';

interface Answer { nodeId: number; host: string; port: number; errorCode: number; errorMessage: string | null }

async function lookup(ctx: RequestContext, key: string, keyType: number): Promise<Answer> {
  const none = (errorCode: number, errorMessage: string): Answer => ({ nodeId: -1, host: '', port: -1, errorCode, errorMessage });
  if (keyType !== 0 && keyType !== 1) return none(E.INVALID_REQUEST, `coordinator key type ${keyType} is not supported (0 = group, 1 = transaction)`);
  if (keyType === 0 && key === '') return none(E.INVALID_REQUEST, 'group id must not be empty');
  const groups = ctx.broker.groups;
  if (keyType === 0) {
    try {
      await groups.ensureOffsetsTopic();
    } catch (err) {
      ctx.logger.warn({ err }, 'creating __consumer_offsets failed');
      return none(E.COORDINATOR_NOT_AVAILABLE, `__consumer_offsets could not be created: ${(err as Error).message}`);
    }
  }
  const cluster = ctx.broker.cluster;
  if (cluster && keyType === 0) { // CLUSTER HOOK (ts/cluster): the leader of the group's __consumer_offsets partition
    const p = groups.partitionFor(key);
    const b = cluster.cache.brokers.get(cluster.cache.leaderOf(OFFSETS_TOPIC, p));
    if (!b) return none(E.COORDINATOR_NOT_AVAILABLE, `${OFFSETS_TOPIC}-${p} has no live leader yet: retry`);
    return { nodeId: b.id, host: b.host, port: b.port, errorCode: 0, errorMessage: null };
  }
  const ep = ctx.broker.advertisedEndpoint(ctx.connection.listenerName);
  return { nodeId: ctx.broker.brokerId, host: ep.host, port: ep.port, errorCode: 0, errorMessage: null };
}

export const findCoordinator = defineHandler<FindCoordinatorRequest, FindCoordinatorResponse>({
  apiKey: ApiKey.FindCoordinator,
  minVersion: 0,
  maxVersion: 6,
  async handle(req, ctx) {
    const keyType = req.keyType ?? 0;
    if (ctx.apiVersion >= 4) {
      const coordinators = await Promise.all((req.coordinatorKeys ?? []).map(async (key) => ({ key, ...(await lookup(ctx, key, keyType)) })));
      return { throttleTimeMs: 0, coordinators } as FindCoordinatorResponse;
    }
    const a = await lookup(ctx, req.key ?? '', keyType);
    return { throttleTimeMs: 0, errorCode: a.errorCode, errorMessage: a.errorMessage, nodeId: a.nodeId, host: a.host, port: a.port, coordinators: [] } as FindCoordinatorResponse;
  },
});
