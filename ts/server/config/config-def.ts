// The shape of one broker setting (Kafka's ConfigDef facts: name, type, default, validator,
// importance, update mode) and the conversion of its text value into a typed value. Values stay
// text until parsed here, exactly as Kafka's ConfigDef keeps the string form for DescribeConfigs.
//
// int64 (`long`) values are JS numbers: Kafka's Long.MAX_VALUE ("9223372036854775807", its way
// of saying "never") and anything past 2^53 become Number.MAX_SAFE_INTEGER, which means the same.

export type ConfigType = 'boolean' | 'string' | 'int' | 'short' | 'long' | 'double' | 'list' | 'class' | 'password';
export type Importance = 'high' | 'medium' | 'low';
/** Kafka's dynamic update modes: read-only needs a restart; the others may change at run time. */
export type UpdateMode = 'read-only' | 'per-broker' | 'cluster-wide';
export type ConfigValue = string | number | boolean | string[] | null;

export interface ConfigDef {
  name: string;
  type: ConfigType;
  /** Default in text form, null when unset by default. Kafka's default unless `kafkaDefault` says otherwise. */
  default: string | null;
  /** Kafka's default when Samsa's differs (the reason is in `doc`). */
  kafkaDefault?: string | null;
  /** Inclusive bounds for numbers. */
  min?: number;
  max?: number;
  /** Allowed values for strings, or for each item of a list (compared case-sensitively, as Kafka). */
  oneOf?: readonly string[];
  /** Extra check on the text value; returns the reason it is wrong, or null. */
  check?: (text: string) => string | null;
  importance: Importance;
  updateMode: UpdateMode;
  /** False: accepted for compatibility with Kafka's server.properties, has no effect in Samsa. */
  used: boolean;
  doc: string;
}

const INT_RANGE: Record<string, [number, number]> = {
  int: [-2147483648, 2147483647],
  short: [-32768, 32767],
};

export type Parsed = { ok: true; value: ConfigValue } | { ok: false; reason: string };

function parseInteger(def: ConfigDef, text: string): Parsed {
  if (!/^[+-]?[0-9]+$/.test(text)) return { ok: false, reason: `must be an integer (${def.type})` };
  let n = Number(text);
  if (def.type === 'long') {
    const big = BigInt(text);
    if (big > 9223372036854775807n || big < -9223372036854775808n) return { ok: false, reason: 'must fit in a 64-bit signed integer' };
    if (n > Number.MAX_SAFE_INTEGER) n = Number.MAX_SAFE_INTEGER;
    if (n < Number.MIN_SAFE_INTEGER) n = Number.MIN_SAFE_INTEGER;
  } else {
    const [lo, hi] = INT_RANGE[def.type]!;
    if (n < lo || n > hi) return { ok: false, reason: `must be between ${lo} and ${hi} (${def.type})` };
  }
  return { ok: true, value: n };
}

function rangeReason(def: ConfigDef, n: number): string | null {
  if (def.min !== undefined && def.max !== undefined && (n < def.min || n > def.max)) return `must be between ${def.min} and ${def.max}`;
  if (def.min !== undefined && n < def.min) return `must be at least ${def.min}`;
  if (def.max !== undefined && n > def.max) return `must be at most ${def.max}`;
  return null;
}

/** Parses and validates `text` (already trimmed) for `def`. Null text means "unset". */
export function parseValue(def: ConfigDef, text: string | null): Parsed {
  if (text === null) return { ok: true, value: null };
  let parsed: Parsed;
  switch (def.type) {
    case 'boolean': {
      const t = text.toLowerCase();
      parsed = t === 'true' || t === 'false' ? { ok: true, value: t === 'true' } : { ok: false, reason: 'must be true or false' };
      break;
    }
    case 'int': case 'short': case 'long':
      parsed = parseInteger(def, text);
      break;
    case 'double': {
      const n = Number(text);
      parsed = text !== '' && Number.isFinite(n) ? { ok: true, value: n } : { ok: false, reason: 'must be a number' };
      break;
    }
    case 'list': {
      const items = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
      const bad = def.oneOf ? items.find((i) => !def.oneOf!.includes(i)) : undefined;
      parsed = bad !== undefined ? { ok: false, reason: `'${bad}' is not one of ${def.oneOf!.join(', ')}` } : { ok: true, value: items };
      break;
    }
    default:
      parsed = def.oneOf && !def.oneOf.includes(text)
        ? { ok: false, reason: `must be one of ${def.oneOf.join(', ')}` }
        : { ok: true, value: text };
  }
  if (!parsed.ok) return parsed;
  if (typeof parsed.value === 'number') {
    const reason = rangeReason(def, parsed.value);
    if (reason) return { ok: false, reason };
  }
  const reason = def.check?.(text);
  return reason ? { ok: false, reason } : parsed;
}
