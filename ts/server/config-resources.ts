// The config resources DescribeConfigs / AlterConfigs / IncrementalAlterConfigs act on, shared by
// the three handlers: TOPIC (2) through the TopicRegistry, BROKER (4) through BrokerConfig.
//
// BROKER resources: name = this broker's id (its configs) or '' (cluster-wide defaults; only the
// dynamically set ones are listed, as Kafka does). Dynamic updates are accepted for settings
// whose update mode is per-broker or cluster-wide and that Samsa uses, except listeners (which
// need a restart here); read-only ones → INVALID_REQUEST "cannot be updated dynamically", bad
// values → INVALID_CONFIG. A change to a log.* default is pushed to every log whose topic does
// not override it. Removing a dynamic broker setting (IncrementalAlterConfigs DELETE) is not
// supported yet: BrokerConfig has no unset (INVALID_REQUEST says so).
import { KafkaError } from '../protocol/error-codes.js';
import { BROKER_CONFIG_DEF_MAP } from './config/broker-config-defs.js';
import { parseValue } from './config/config-def.js';
import type { Broker } from './broker.js';
import { ConfigSource, configTypeCode, type DescribedConfig } from './topic-config.js';

export const ResourceType = { UNKNOWN: 0, ANY: 1, TOPIC: 2, GROUP: 3, BROKER: 4, CLUSTER: 5, BROKER_LOGGER: 8 } as const;
export const ConfigOperation = { SET: 0, DELETE: 1, APPEND: 2, SUBTRACT: 3 } as const;
const INVALID_REQUEST = 42, INVALID_CONFIG = 40;
const NOT_DYNAMIC = new Set(['listeners', 'advertised.listeners', 'listener.security.protocol.map']);

function checkBrokerResource(broker: Broker, name: string): void {
  if (name !== '' && name !== String(broker.brokerId)) {
    throw new KafkaError(INVALID_REQUEST, `broker resource '${name}' is not this broker (${broker.brokerId}); use '${broker.brokerId}' or '' for cluster defaults`);
  }
}

/** BROKER resource configs in DescribeConfigs form. */
export function describeBrokerConfigs(broker: Broker, name: string): DescribedConfig[] {
  checkBrokerResource(broker, name);
  const out: DescribedConfig[] = [];
  for (const e of broker.config.describe()) {
    if (name === '' && e.source !== 'dynamic') continue;
    const source = e.source === 'dynamic' ? (name === '' ? ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG : ConfigSource.DYNAMIC_BROKER_CONFIG)
      : e.source === 'default' ? ConfigSource.DEFAULT_CONFIG : ConfigSource.STATIC_BROKER_CONFIG;
    out.push({
      name: e.name, value: e.value, source, readOnly: e.readOnly, sensitive: e.sensitive, type: configTypeCode(e.type),
      documentation: e.doc, synonyms: [{ name: e.name, value: e.value, source }],
    });
  }
  return out;
}

/** Validates (and unless validateOnly applies) dynamic broker settings. */
export function alterBrokerConfigs(broker: Broker, name: string, set: Record<string, string | null>, validateOnly: boolean): void {
  checkBrokerResource(broker, name);
  for (const [key, value] of Object.entries(set)) {
    const def = BROKER_CONFIG_DEF_MAP.get(key);
    if (!def) throw new KafkaError(INVALID_CONFIG, `broker config ${key}: unknown to Samsa`);
    if (def.updateMode === 'read-only' || NOT_DYNAMIC.has(key) || !def.used) {
      throw new KafkaError(INVALID_REQUEST, `broker config ${key} cannot be updated dynamically: set it in server.properties and restart`);
    }
    if (value === null) throw new KafkaError(INVALID_REQUEST, `broker config ${key}: removing a dynamic broker setting is not supported yet; set the value instead`);
    const parsed = parseValue(def, value);
    if (!parsed.ok) throw new KafkaError(INVALID_CONFIG, `broker config ${key}: ${parsed.reason}`);
  }
  if (validateOnly) return;
  for (const [key, value] of Object.entries(set)) broker.config.set(key, value!);
  broker.topics.refreshLogConfigs();
}

/** DescribeConfigs entry for a response version. */
export function toDescribeEntry(c: DescribedConfig, version: number, synonyms: boolean, docs: boolean) {
  return {
    name: c.name, value: c.sensitive ? null : c.value, readOnly: c.readOnly, isDefault: c.source === ConfigSource.DEFAULT_CONFIG,
    configSource: c.source, isSensitive: c.sensitive,
    synonyms: synonyms && version >= 1 ? c.synonyms.map((s) => ({ name: s.name, value: c.sensitive ? null : s.value, source: s.source })) : [],
    configType: c.type, documentation: docs ? c.documentation : null,
  };
}
