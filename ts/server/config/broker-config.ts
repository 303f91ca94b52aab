// BrokerConfig: the validated broker settings, built from (server.properties text, --override
// key=value pairs in order, shortcuts --port / --data-dir), later ones winning. Every key is
// checked: a Samsa setting must have a valid value; a Kafka setting Samsa ignores is collected
// into ONE warning line; a key no Kafka release knows is refused as a likely typo with the
// closest known name. All problems are reported together in one ConfigError (code SAMSA_CONFIG).
//
// Lifecycle: built once at start; set() applies a dynamic update (validated the same way, refused
// for read-only settings). Not thread-shared: one instance per broker, used on the event loop.
import { hostname } from 'node:os';
import { BROKER_CONFIG_DEF_MAP, BROKER_CONFIG_DEFS } from './broker-config-defs.js';
import { closestName } from '../../storage/closest-name.js';
import { parseValue, type ConfigDef, type ConfigValue, type ConfigType } from './config-def.js';
import { ConfigError, type ConfigProblem } from './config-error.js';
import { isKafkaBrokerConfig, KAFKA_BROKER_CONFIG_NAMES } from './kafka-config-names.js';
import { formatListeners, parseListeners, parseProtocolMap, type Listener } from './listeners.js';
import { parsePropertiesText } from './properties-text.js';
import { topicDefaultsOf } from './topic-defaults.js';

/** Where a value came from; DescribeConfigs maps default → DEFAULT_CONFIG, file/override → STATIC_BROKER_CONFIG, dynamic → DYNAMIC_BROKER_CONFIG. */
export type ConfigSource = 'default' | 'file' | 'override' | 'dynamic';

export interface BrokerConfigInput {
  /** Text of a server.properties file. */
  properties?: string;
  /** Name used in messages for the file, e.g. its path. */
  propertiesName?: string;
  /** --override pairs, applied in order after the file. */
  overrides?: ReadonlyArray<readonly [string, string]> | Readonly<Record<string, string>>;
  /** --port: rewrites the port of the first listener. */
  port?: number | string;
  /** --data-dir: sets log.dirs. */
  dataDir?: string;
}

export interface ConfigEntry {
  name: string;
  /** Text form; null when unset or sensitive. */
  value: string | null;
  source: ConfigSource;
  sensitive: boolean;
  readOnly: boolean;
  type: ConfigType;
  used: boolean;
  doc: string;
}

interface Raw { text: string; source: ConfigSource; origin: string }

interface Resolved {
  values: Map<string, ConfigValue>;
  listeners: Listener[];
  advertised: Listener[];
}

/** Parses one `--override key=value` argument. */
export function parseOverride(arg: string): [string, string] {
  const eq = arg.indexOf('=');
  if (eq <= 0) throw new ConfigError([{ key: '--override', value: arg, reason: 'expected key=value, e.g. --override num.partitions=3' }]);
  return [arg.slice(0, eq).trim(), arg.slice(eq + 1).trim()];
}

const ALL_KNOWN = [...BROKER_CONFIG_DEF_MAP.keys(), ...KAFKA_BROKER_CONFIG_NAMES];

export class BrokerConfig {
  #raw: Map<string, Raw>;
  #state: Resolved;
  /** Human-readable warnings (at most one line per kind), for the CLI to print. */
  readonly warnings: readonly string[];
  /** Kafka settings that were given but that Samsa does not use, in input order. */
  readonly ignoredKafkaKeys: readonly string[];

  private constructor(raw: Map<string, Raw>, state: Resolved, warnings: string[], ignored: string[]) {
    this.#raw = raw; this.#state = state; this.warnings = warnings; this.ignoredKafkaKeys = ignored;
  }

  /** Builds and validates; throws ConfigError listing every problem. */
  static from(input: BrokerConfigInput = {}): BrokerConfig {
    const problems: ConfigProblem[] = [];
    const raw = new Map<string, Raw>();
    const ignored = new Map<string, string>();
    const accept = (key: string, text: string, source: ConfigSource, origin: string): void => {
      if (BROKER_CONFIG_DEF_MAP.has(key)) { raw.set(key, { text: text.trim(), source, origin }); return; }
      if (isKafkaBrokerConfig(key)) { ignored.set(key, text.trim()); return; }
      const near = closestName(key, key.startsWith('samsa.') ? [...BROKER_CONFIG_DEF_MAP.keys()] : ALL_KNOWN);
      const hint = near ? `did you mean '${near}'?` : "check the spelling against Kafka's broker configs";
      problems.push({ key, value: null, reason: `unknown setting, not known to any Kafka release or to Samsa; ${hint}`, origin });
    };
    const file = input.propertiesName ?? 'server.properties';
    for (const e of input.properties ? parsePropertiesText(input.properties) : []) accept(e.key, e.value, 'file', `${file}:${e.line}`);
    const overrides = Array.isArray(input.overrides) ? input.overrides : Object.entries(input.overrides ?? {});
    for (const [k, v] of overrides as Array<[string, string]>) accept(k.trim(), v, 'override', '--override');
    if (input.dataDir !== undefined) raw.set('log.dirs', { text: input.dataDir, source: 'override', origin: '--data-dir' });
    if (input.port !== undefined) applyPort(raw, String(input.port), problems);

    const state = resolve(raw, problems, (ignored.get('controller.listener.names') ?? '').split(','));
    if (problems.length > 0) throw new ConfigError(problems);
    const warnings: string[] = [];
    if (ignored.size > 0) warnings.push(`ignoring Kafka settings that Samsa does not use: ${[...ignored.keys()].join(', ')}`);
    return new BrokerConfig(raw, state, warnings, [...ignored.keys()]);
  }

  /** The typed value of a setting (null when unset). */
  get(name: string): ConfigValue {
    if (!BROKER_CONFIG_DEF_MAP.has(name)) throw new TypeError(`BrokerConfig.get: '${name}' is not a Samsa broker setting`);
    return this.#state.values.get(name) ?? null;
  }
  int(name: string): number { return this.#typed(name, 'number') as number; }
  bool(name: string): boolean { return this.#typed(name, 'boolean') as boolean; }
  string(name: string): string | null { const v = this.get(name); return v === null ? null : String(v); }
  list(name: string): string[] { return (this.get(name) as string[] | null) ?? []; }

  /** broker.id if set (not -1), else node.id if set, else 0 (they must agree when both are set). */
  get brokerId(): number {
    const b = this.#raw.has('broker.id') ? this.int('broker.id') : -1;
    const n = this.int('node.id');
    return b >= 0 ? b : n >= 0 ? n : 0;
  }
  get clusterId(): string | null { return this.string('cluster.id'); }
  /** The listeners to open (KRaft controller listeners excluded). */
  get listeners(): readonly Listener[] { return this.#state.listeners; }
  /** What Metadata advertises: advertised.listeners, else the listeners with all-interface hosts named. */
  get advertisedListeners(): readonly Listener[] { return this.#state.advertised; }
  /** log.dirs, else [log.dir]. */
  get logDirs(): string[] { const l = this.list('log.dirs'); return l.length > 0 ? l : [this.string('log.dir')!]; }
  get durability(): 'pagecache' | 'fsync' { return this.string('samsa.durability') as 'pagecache' | 'fsync'; }

  /** Broker-level log defaults under their topic-level names (text values, as topic configs are). */
  topicDefaults(): Record<string, string> { return topicDefaultsOf((n) => this.#text(n)); }

  /** True when the setting was given (file, override or dynamic update), not left at its default. */
  isSet(name: string): boolean { return this.#raw.has(name); }

  /** Every Samsa setting with value, source and sensitivity (for DescribeConfigs). */
  describe(): ConfigEntry[] {
    return BROKER_CONFIG_DEFS.map((def) => {
      const sensitive = def.type === 'password';
      return {
        name: def.name, value: sensitive ? null : this.#text(def.name), source: this.#raw.get(def.name)?.source ?? 'default',
        sensitive, readOnly: def.updateMode === 'read-only', type: def.type, used: def.used, doc: def.doc,
      };
    });
  }

  /** Dynamic update of one setting; validated as at start. Throws ConfigError. */
  set(key: string, value: string): void {
    const def = BROKER_CONFIG_DEF_MAP.get(key);
    if (!def) {
      const near = closestName(key, BROKER_CONFIG_DEF_MAP.keys());
      throw new ConfigError([{ key, value, reason: `not a setting Samsa can change${near ? ` (did you mean '${near}'?)` : ''}`, origin: 'set()' }]);
    }
    if (def.updateMode === 'read-only') {
      throw new ConfigError([{ key, value, reason: `is read-only: restart the broker with --override ${key}=${value}`, origin: 'set()' }]);
    }
    const raw = new Map(this.#raw);
    raw.set(key, { text: value.trim(), source: 'dynamic', origin: 'set()' });
    const problems: ConfigProblem[] = [];
    const state = resolve(raw, problems, []);
    if (problems.length > 0) throw new ConfigError(problems);
    this.#raw = raw; this.#state = state;
  }

  #text(name: string): string | null {
    return this.#raw.get(name)?.text ?? BROKER_CONFIG_DEF_MAP.get(name)?.default ?? null;
  }

  #typed(name: string, type: 'number' | 'boolean'): number | boolean {
    const v = this.get(name);
    if (typeof v !== type) throw new TypeError(`BrokerConfig: '${name}' is ${v === null ? 'unset' : `not a ${type}`}`);
    return v as number | boolean;
  }
}

function applyPort(raw: Map<string, Raw>, portText: string, problems: ConfigProblem[]): void {
  if (!/^[0-9]{1,5}$/.test(portText) || Number(portText) > 65535) {
    problems.push({ key: '--port', value: portText, reason: 'port must be a number 0-65535' });
    return;
  }
  const current = raw.get('listeners')?.text ?? BROKER_CONFIG_DEF_MAP.get('listeners')!.default!;
  const entries = current.split(',').map((s) => s.trim()).filter((s) => s !== '');
  entries[0] = (entries[0] ?? 'PLAINTEXT://localhost:0').replace(/:[^:\]]*$/, `:${portText}`);
  raw.set('listeners', { text: entries.join(','), source: 'override', origin: '--port' });
}

function resolve(raw: Map<string, Raw>, problems: ConfigProblem[], controllerNames: string[]): Resolved {
  const values = new Map<string, ConfigValue>();
  for (const def of BROKER_CONFIG_DEFS) {
    const r = raw.get(def.name);
    const text = r ? r.text : def.default;
    const parsed = parseValue(def, text);
    if (parsed.ok) values.set(def.name, parsed.value);
    else problems.push({ key: def.name, value: text, reason: parsed.reason, origin: r?.origin });
  }
  const b = values.get('broker.id'), n = values.get('node.id');
  if (raw.has('broker.id') && raw.has('node.id') && typeof b === 'number' && typeof n === 'number' && b !== n && b !== -1 && n !== -1) {
    problems.push({ key: 'node.id', value: String(n), reason: `must equal broker.id (${b}) when both are set; keep one of them`, origin: raw.get('node.id')!.origin });
  }
  // Listener parsers report without origins; add the origin of the key they parsed.
  const withOrigin = <T>(key: string, parse: (local: ConfigProblem[]) => T): T => {
    const local: ConfigProblem[] = [];
    const out = parse(local);
    for (const p of local) problems.push({ ...p, origin: raw.get(key)?.origin });
    return out;
  };
  const protocols = withOrigin('listener.security.protocol.map',
    (l) => parseProtocolMap('listener.security.protocol.map', textOf(raw, 'listener.security.protocol.map'), l));
  const controllers = new Set(controllerNames.map((s) => s.trim().toUpperCase()).filter((s) => s !== ''));
  const listeners = withOrigin('listeners', (l) => parseListeners('listeners', textOf(raw, 'listeners'), protocols, l))
    .filter((l) => !controllers.has(l.name));
  const advText = raw.get('advertised.listeners')?.text;
  const advertised = advText
    ? withOrigin('advertised.listeners', (l) => parseListeners('advertised.listeners', advText, protocols, l, { advertised: true }))
    : listeners.map((l) => (l.allInterfaces ? { ...l, host: hostname() } : l));
  return { values, listeners, advertised };
}

function textOf(raw: Map<string, Raw>, key: string): string {
  return raw.get(key)?.text ?? (BROKER_CONFIG_DEF_MAP.get(key) as ConfigDef).default ?? '';
}

export { formatListeners };
