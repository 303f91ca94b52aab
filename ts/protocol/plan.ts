// Plan: a schema compiled for one (message, version). Every version question (present? nullable?
// compact? tagged?) is answered once here, so the codec's hot loop only switches on `kind`.
// Plans are cached per schema object and version; compiling all of them takes a few ms.
import { inRange, type FieldSchema, type FieldType, type MessageSchema } from './schema-types.js';

export const K_INT8 = 0, K_INT16 = 1, K_INT32 = 2, K_INT64 = 3, K_UINT16 = 4, K_UINT32 = 5, K_FLOAT64 = 6,
  K_BOOL = 7, K_STRING = 8, K_BYTES = 9, K_UUID = 10, K_RECORDS = 11, K_STRUCT = 12, K_ARRAY = 13;

export const ZERO_UUID = '00000000-0000-0000-0000-000000000000';
export const EMPTY_BYTES: Buffer = Buffer.alloc(0);

const KIND: Record<string, number> = {
  int8: K_INT8, int16: K_INT16, int32: K_INT32, int64: K_INT64, uint16: K_UINT16, uint32: K_UINT32,
  float64: K_FLOAT64, bool: K_BOOL, string: K_STRING, bytes: K_BYTES, uuid: K_UUID, records: K_RECORDS,
  struct: K_STRUCT,
};

/** Fixed wire size per scalar kind (0 = variable). */
const FIXED_SIZE = [1, 2, 4, 8, 2, 4, 8, 1, 0, 0, 16, 0, 0, 0];

export interface Op {
  readonly name: string;
  readonly kind: number;
  /** Element kind for K_ARRAY (K_STRUCT for struct arrays); -1 otherwise. */
  readonly elem: number;
  readonly nullable: boolean;
  /** Compact (uvarint) lengths for strings, bytes, arrays and records. */
  readonly compact: boolean;
  /** Tag number when the field is tagged in this version, else -1. */
  readonly tag: number;
  /** Schema default; `null` when the default is null. Structs/arrays get a fresh copy per use. */
  readonly def: unknown;
  /** Plan of the struct (K_STRUCT) or of each element (array of struct). */
  readonly sub: Plan | null;
}

export interface Plan {
  /** Struct or message name, for error messages. */
  readonly name: string;
  readonly flexible: boolean;
  /** Untagged fields present in this version, in wire order. */
  readonly ops: readonly Op[];
  /** Fields absent in this version: decode fills their defaults. */
  readonly absent: readonly Op[];
  /** Fields tagged in this version, ascending by tag. */
  readonly tagged: readonly Op[];
  /** Minimum encoded size in bytes (bounds array counts before allocating). */
  readonly minSize: number;
}

function zeroDefault(type: FieldType): unknown {
  switch (type) {
    case 'bool': return false;
    case 'string': return '';
    case 'bytes': return EMPTY_BYTES;
    case 'uuid': return ZERO_UUID;
    case 'records': return null;
    case 'struct': return undefined; // built from the sub plan
    default: return type.startsWith('[]') ? undefined : 0;
  }
}

function compileField(fs: FieldSchema, version: number, flexible: boolean, path: string): Op {
  const isArray = fs.type.startsWith('[]');
  const base = isArray ? fs.type.slice(2) : fs.type;
  const kind = isArray ? K_ARRAY : KIND[base]!;
  const elem = isArray ? KIND[base]! : -1;
  const sub = fs.fields ? compileFields(fs.fields, version, flexible, `${path}.${fs.name}`) : null;
  const tagged = flexible && inRange(fs.tagged, version);
  return {
    name: fs.name,
    kind,
    elem,
    nullable: inRange(fs.nullable, version),
    compact: flexible && (fs.flexible === undefined ? true : inRange(fs.flexible, version)),
    tag: tagged ? fs.tag! : -1,
    def: 'default' in fs ? fs.default : zeroDefault(fs.type),
    sub,
  };
}

function opMinSize(op: Op): number {
  if (op.kind === K_STRUCT) return op.nullable ? 1 : op.sub!.minSize;
  const fixed = FIXED_SIZE[op.kind]!;
  if (fixed) return fixed;
  if (op.kind === K_STRING) return op.compact ? 1 : 2;
  return op.compact ? 1 : 4; // bytes, records, arrays
}

/** Minimum size of one array element of this op's element kind. */
export function elemMinSize(op: Op): number {
  if (op.elem === K_STRUCT) return Math.max(1, op.sub!.minSize);
  const fixed = FIXED_SIZE[op.elem]!;
  if (fixed) return fixed;
  if (op.elem === K_STRING) return op.compact ? 1 : 2;
  return op.compact ? 1 : 4;
}

export function compileFields(fields: readonly FieldSchema[], version: number, flexible: boolean, name: string): Plan {
  const ops: Op[] = [];
  const absent: Op[] = [];
  const tagged: Op[] = [];
  for (const fs of fields) {
    const op = compileField(fs, version, flexible, name);
    if (op.tag >= 0) tagged.push(op);
    else if (inRange(fs.versions, version)) ops.push(op);
    else absent.push(op);
  }
  tagged.sort((a, b) => a.tag - b.tag);
  let minSize = flexible ? 1 : 0;
  for (const op of ops) minSize += opMinSize(op);
  return { name, flexible, ops, absent, tagged, minSize };
}

const cache = new Map<MessageSchema, Array<Plan | undefined>>();

/** The compiled plan for `schema` at `version` (caller has checked the version is valid). */
export function planFor(schema: MessageSchema, version: number): Plan {
  let plans = cache.get(schema);
  if (!plans) cache.set(schema, (plans = []));
  let plan = plans[version];
  if (!plan) {
    const flexible = schema.flexibleFrom !== null && version >= schema.flexibleFrom;
    plan = compileFields(schema.fields, version, flexible, schema.name);
    plans[version] = plan;
  }
  return plan;
}
