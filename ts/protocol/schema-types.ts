// The shape of the condensed schema table that ts/protocol/codegen emits into generated/ and that
// codec.ts walks. Plain data only: version ranges are [min, max] pairs (max 0x7fff = "and up"),
// defaults are already typed JS values (int64 as number, uuid as a 36-char lowercase string).
//
// Field type spellings:
//   int8 int16 int32 int64 uint16 uint32 float64 bool string bytes uuid records   primitives
//   struct                    a single nested struct (`fields` holds its fields)
//   []<primitive>             an array of a primitive, e.g. '[]int32'
//   []struct                  an array of structs (`fields` holds the element's fields)

export type PrimitiveType =
  | 'int8' | 'int16' | 'int32' | 'int64' | 'uint16' | 'uint32' | 'float64'
  | 'bool' | 'string' | 'bytes' | 'uuid' | 'records';

export type FieldType = PrimitiveType | 'struct' | `[]${PrimitiveType}` | '[]struct';

/** An inclusive version range; max is 0x7fff when the range is open ("3+"). */
export type VersionRange = readonly [number, number];

export const OPEN_VERSION = 0x7fff;

export interface FieldSchema {
  readonly name: string;
  readonly type: FieldType;
  readonly versions: VersionRange;
  readonly nullable?: VersionRange;
  readonly tagged?: VersionRange;
  readonly tag?: number;
  /** Field-level flexibility override (only RequestHeader.clientId uses it: "none"). */
  readonly flexible?: VersionRange | null;
  /** Explicit default from the schema; absent means the type's zero value. */
  readonly default?: unknown;
  /** Fields of a struct, or of each element of a struct array. */
  readonly fields?: readonly FieldSchema[];
}

export interface MessageSchema {
  readonly name: string;
  /** -1 for headers and internal data records. */
  readonly apiKey: number;
  readonly kind: 'request' | 'response' | 'header' | 'data';
  readonly versions: VersionRange;
  /** First flexible version, or null when no version is flexible. */
  readonly flexibleFrom: number | null;
  /** True when Kafka marks the latest version unstable (not to be advertised). */
  readonly latestUnstable?: boolean;
  readonly fields: readonly FieldSchema[];
}

/** Parses Kafka's version syntax: "none", "3", "3+", "0-7". */
export function parseVersions(spec: string): VersionRange | null {
  if (spec === 'none') return null;
  if (spec.endsWith('+')) return [Number(spec.slice(0, -1)), OPEN_VERSION];
  const dash = spec.indexOf('-');
  if (dash > 0) return [Number(spec.slice(0, dash)), Number(spec.slice(dash + 1))];
  const v = Number(spec);
  return [v, v];
}

export function inRange(range: VersionRange | null | undefined, version: number): boolean {
  return range != null && version >= range[0] && version <= range[1];
}

export interface FieldOptions {
  /** nullableVersions */
  n?: string;
  /** taggedVersions */
  t?: string;
  /** tag */
  tag?: number;
  /** field-level flexibleVersions */
  flex?: string;
  /** default */
  d?: unknown;
}

/** Compact constructor used by the generated tables: one line per field. */
export function f(
  name: string, type: FieldType, versions: string, opts?: FieldOptions | null, fields?: readonly FieldSchema[],
): FieldSchema {
  const out: {
    name: string; type: FieldType; versions: VersionRange; nullable?: VersionRange; tagged?: VersionRange;
    tag?: number; flexible?: VersionRange | null; default?: unknown; fields?: readonly FieldSchema[];
  } = { name, type, versions: parseVersions(versions) ?? [1, 0] };
  if (opts) {
    if (opts.n !== undefined) out.nullable = parseVersions(opts.n) ?? undefined;
    if (opts.t !== undefined) out.tagged = parseVersions(opts.t) ?? undefined;
    if (opts.tag !== undefined) out.tag = opts.tag;
    if (opts.flex !== undefined) out.flexible = parseVersions(opts.flex);
    if ('d' in opts) out.default = opts.d;
  }
  if (fields) out.fields = fields;
  return out;
}

/** Compact constructor for a message entry in the generated tables. */
export function m(
  name: string, kind: MessageSchema['kind'], apiKey: number, versions: string, flexible: string,
  fields: readonly FieldSchema[], latestUnstable?: boolean,
): MessageSchema {
  const flex = parseVersions(flexible);
  const out: MessageSchema = {
    name, kind, apiKey, versions: parseVersions(versions) ?? [0, -1], flexibleFrom: flex ? flex[0] : null, fields,
    ...(latestUnstable ? { latestUnstable: true } : {}),
  };
  return out;
}
