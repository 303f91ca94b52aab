// IncrementalAlterConfigs v0-1 (Kafka 4.0: 0-1; v1 flexible). Per key: SET (0), DELETE (1, back to
// the default), APPEND (2) / SUBTRACT (3) on list configs only (cleanup.policy), computed from the
// current effective value; on other configs → INVALID_REQUEST, as Kafka. A key listed twice for
// one resource → INVALID_REQUEST. BROKER resources accept SET only (config-resources.ts).
import { ApiKey } from '../../protocol/generated/api-keys.js';
import type { IncrementalAlterConfigsRequest, IncrementalAlterConfigsResponse } from '../../protocol/generated/messages.js';
import { KafkaError, errorCodeOf } from '../../protocol/error-codes.js';
import { defineHandler } from '../handler.js';
import { alterBrokerConfigs, ConfigOperation, ResourceType } from '../config-resources.js';
import { ConfigType } from '../topic-config.js';
import type { Broker } from '../broker.js';

type Op = IncrementalAlterConfigsRequest['resources'][number]['configs'][number];

async function alterTopic(broker: Broker, name: string, ops: Op[], validateOnly: boolean): Promise<void> {
  const current = new Map(broker.topics.effectiveConfig(name).map((c) => [c.name, c]));
  const set: Record<string, string | null> = {};
  const remove: string[] = [];
  for (const op of ops) {
    if (op.configOperation === ConfigOperation.SET) set[op.name] = op.value;
    else if (op.configOperation === ConfigOperation.DELETE) remove.push(op.name);
    else if (op.configOperation === ConfigOperation.APPEND || op.configOperation === ConfigOperation.SUBTRACT) {
      const c = current.get(op.name);
      if (!c || c.type !== ConfigType.LIST) {
        throw new KafkaError(42, `config ${op.name}: ${op.configOperation === ConfigOperation.APPEND ? 'append' : 'subtract'} is only allowed on list configs`);
      }
      const items = (c.value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
      const given = (op.value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
      const next = op.configOperation === ConfigOperation.APPEND
        ? [...items, ...given.filter((g) => !items.includes(g))]
        : items.filter((i) => !given.includes(i));
      set[op.name] = next.join(',');
    } else throw new KafkaError(42, `config ${op.name}: unknown operation ${op.configOperation}`);
  }
  await broker.topics.alterConfigs(name, { set, remove }, validateOnly);
}

export const incrementalAlterConfigs = defineHandler<IncrementalAlterConfigsRequest, IncrementalAlterConfigsResponse>({
  apiKey: ApiKey.IncrementalAlterConfigs,
  minVersion: 0,
  maxVersion: 1,
  async handle(req, ctx) {
    const { broker } = ctx;
    const responses = [];
    for (const r of req.resources) {
      try {
        const seen = new Set<string>();
        for (const c of r.configs) {
          if (seen.has(c.name)) throw new KafkaError(42, `config ${c.name} appears twice for ${r.resourceName}`);
          seen.add(c.name);
        }
        if (r.resourceType === ResourceType.TOPIC) await alterTopic(broker, r.resourceName, r.configs, req.validateOnly);
        else if (r.resourceType === ResourceType.BROKER) {
          const set: Record<string, string | null> = {};
          for (const c of r.configs) set[c.name] = c.configOperation === ConfigOperation.SET ? c.value : null;
          alterBrokerConfigs(broker, r.resourceName, set, req.validateOnly);
        } else throw new KafkaError(42, `resource type ${r.resourceType} is not supported; use TOPIC (2) or BROKER (4)`);
        responses.push({ errorCode: 0, errorMessage: null, resourceType: r.resourceType, resourceName: r.resourceName });
      } catch (err) {
        responses.push({ errorCode: errorCodeOf(err), errorMessage: (err as Error).message, resourceType: r.resourceType, resourceName: r.resourceName });
      }
    }
    return { throttleTimeMs: 0, responses };
  },
});
