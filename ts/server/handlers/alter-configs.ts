// AlterConfigs v0-2 (legacy, Kafka 4.0: 0-2; v2 flexible). Replace semantics: a TOPIC resource's
// overrides become exactly the given set (keys not listed go back to their defaults). BROKER
// resources: dynamic settings, see config-resources.ts. validate_only checks without changing.
// Each resource succeeds or fails on its own.
import { ApiKey } from '../../protocol/generated/api-keys.js';
import type { AlterConfigsRequest, AlterConfigsResponse } from '../../protocol/generated/messages.js';
import { KafkaError, errorCodeOf } from '../../protocol/error-codes.js';
import { defineHandler } from '../handler.js';
import { alterBrokerConfigs, ResourceType } from '../config-resources.js';

export const alterConfigs = defineHandler<AlterConfigsRequest, AlterConfigsResponse>({
  apiKey: ApiKey.AlterConfigs,
  minVersion: 0,
  maxVersion: 2,
  async handle(req, ctx) {
    const { broker } = ctx;
    const responses = [];
    for (const r of req.resources) {
      try {
        const set: Record<string, string | null> = {};
        for (const c of r.configs) {
          if (c.name in set) throw new KafkaError(42, `config ${c.name} appears twice for ${r.resourceName}`);
          set[c.name] = c.value;
        }
        if (r.resourceType === ResourceType.TOPIC) await broker.topics.alterConfigs(r.resourceName, { set, replace: true }, req.validateOnly);
        else if (r.resourceType === ResourceType.BROKER) alterBrokerConfigs(broker, r.resourceName, set, req.validateOnly);
        else throw new KafkaError(42, `resource type ${r.resourceType} is not supported; use TOPIC (2) or BROKER (4)`);
        responses.push({ errorCode: 0, errorMessage: null, resourceType: r.resourceType, resourceName: r.resourceName });
      } catch (err) {
        responses.push({ errorCode: errorCodeOf(err), errorMessage: (err as Error).message, resourceType: r.resourceType, resourceName: r.resourceName });
      }
    }
    return { throttleTimeMs: 0, responses };
  },
});
