// DescribeConfigs v1-4 (Kafka 4.0: 1-4). v1 configSource + synonyms (include_synonyms) replace
// isDefault; v3 configType and documentation (include_documentation); v4 flexible.
// TOPIC resources: every topic-level config with its effective value and source; unknown topic →
// UNKNOWN_TOPIC_OR_PARTITION for that resource only. BROKER resources: see config-resources.ts.
// configurationKeys null = all; unknown keys are left out (as Kafka).
import { ApiKey } from '../../protocol/generated/api-keys.js';
import type { DescribeConfigsRequest, DescribeConfigsResponse } from '../../protocol/generated/messages.js';
import { KafkaError, errorCodeOf } from '../../protocol/error-codes.js';
import { defineHandler } from '../handler.js';
import { describeBrokerConfigs, ResourceType, toDescribeEntry } from '../config-resources.js';
import type { DescribedConfig } from '../topic-config.js';

export const describeConfigs = defineHandler<DescribeConfigsRequest, DescribeConfigsResponse>({
  apiKey: ApiKey.DescribeConfigs,
  minVersion: 1,
  maxVersion: 4,
  handle(req, ctx) {
    const { broker, apiVersion } = ctx;
    const results = req.resources.map((r) => {
      try {
        let configs: DescribedConfig[];
        if (r.resourceType === ResourceType.TOPIC) configs = broker.topics.effectiveConfig(r.resourceName);
        else if (r.resourceType === ResourceType.BROKER) configs = describeBrokerConfigs(broker, r.resourceName);
        else throw new KafkaError(42, `resource type ${r.resourceType} is not supported; use TOPIC (2) or BROKER (4)`);
        const keys = r.configurationKeys === null ? null : new Set(r.configurationKeys);
        return {
          errorCode: 0, errorMessage: null, resourceType: r.resourceType, resourceName: r.resourceName,
          configs: configs.filter((c) => !keys || keys.has(c.name))
            .map((c) => toDescribeEntry(c, apiVersion, req.includeSynonyms ?? false, req.includeDocumentation ?? false)),
        };
      } catch (err) {
        return { errorCode: errorCodeOf(err), errorMessage: (err as Error).message, resourceType: r.resourceType, resourceName: r.resourceName, configs: [] };
      }
    });
    return { throttleTimeMs: 0, results };
  },
});
