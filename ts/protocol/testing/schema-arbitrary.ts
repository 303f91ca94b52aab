// fast-check arbitraries derived from the schema table: a value for (schema, version) that holds
// every field of the schema, with absent-in-version fields at their default (exactly what decode
// returns), so encode → decode must deep-equal the generated value. Used by tests and fuzz/ts.
import fc from 'fast-check';
import { defaultValue } from '../codec.js';
import {
  planFor, K_ARRAY, K_BOOL, K_BYTES, K_FLOAT64, K_INT16, K_INT32, K_INT64, K_INT8, K_RECORDS, K_STRING,
  K_STRUCT, K_UINT16, K_UINT32, K_UUID, type Op, type Plan,
} from '../plan.js';
import type { MessageSchema } from '../schema-types.js';

const uuidArb = fc.uint8Array({ minLength: 16, maxLength: 16 }).map((b) => {
  const h = Buffer.from(b).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
});
const bytesArb = fc.uint8Array({ maxLength: 24 }).map((b) => Buffer.from(b));
const stringArb = fc.oneof(fc.string({ maxLength: 12 }), fc.string({ unit: 'grapheme', maxLength: 6 }));

function scalarArb(kind: number): fc.Arbitrary<unknown> {
  switch (kind) {
    case K_INT8: return fc.integer({ min: -128, max: 127 });
    case K_INT16: return fc.integer({ min: -32768, max: 32767 });
    case K_INT32: return fc.integer({ min: -0x80000000, max: 0x7fffffff });
    case K_INT64: return fc.oneof(fc.maxSafeInteger(), fc.integer({ min: -5, max: 5 }));
    case K_UINT16: return fc.integer({ min: 0, max: 0xffff });
    case K_UINT32: return fc.integer({ min: 0, max: 0xffffffff });
    case K_FLOAT64: return fc.double({ noNaN: true }).map((d) => (Object.is(d, -0) ? 0 : d));
    case K_BOOL: return fc.boolean();
    case K_UUID: return uuidArb;
    case K_STRING: return stringArb;
    case K_BYTES: case K_RECORDS: return bytesArb;
    default: throw new Error(`no arbitrary for kind ${kind}`);
  }
}

function fieldArb(op: Op, depth: number): fc.Arbitrary<unknown> {
  let arb: fc.Arbitrary<unknown>;
  if (op.kind === K_STRUCT) arb = structArb(op.sub!, depth + 1);
  else if (op.kind === K_ARRAY) {
    const elem = op.elem === K_STRUCT ? structArb(op.sub!, depth + 1) : scalarArb(op.elem);
    arb = fc.array(elem, { maxLength: depth > 2 ? 1 : 3 });
  } else arb = scalarArb(op.kind);
  return op.nullable ? fc.option(arb, { nil: null, freq: 4 }) : arb;
}

const unknownTagsArb = fc.uniqueArray(
  fc.record({ tag: fc.integer({ min: 10_000, max: 10_010 }), data: bytesArb }),
  { maxLength: 2, selector: (t) => t.tag },
).map((tags) => tags.map((t) => ({ tag: t.tag, data: t.data })).sort((a, b) => a.tag - b.tag));

function structArb(plan: Plan, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const shape: Record<string, fc.Arbitrary<unknown>> = {};
  for (const op of plan.ops) shape[op.name] = fieldArb(op, depth);
  const tagged: Record<string, fc.Arbitrary<unknown>> = {};
  for (const op of plan.tagged) tagged[op.name] = fc.oneof(fc.constant(defaultValue(op)), fieldArb(op, depth));
  const parts = fc.record(shape);
  const tagPart = fc.record(tagged);
  const unknown = plan.flexible ? fc.option(unknownTagsArb, { nil: undefined }) : fc.constant(undefined);
  return fc.tuple(parts, tagPart, unknown).map(([p, t, u]) => {
    const o: Record<string, unknown> = {};
    Object.assign(o, p);
    for (const op of plan.absent) o[op.name] = defaultValue(op);
    Object.assign(o, t);
    if (u && u.length) o._unknownTags = u;
    return o;
  });
}

/** A value of `schema` at `version` as decode would return it. */
export function messageArbitrary(schema: MessageSchema, version: number): fc.Arbitrary<Record<string, unknown>> {
  return structArb(planFor(schema, version), 0);
}
