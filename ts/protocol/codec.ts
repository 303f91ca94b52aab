// Table-driven codec: encode/decode any message of the schema table at any valid version by
// walking its compiled Plan (plan.ts). Wire rules:
// - non-flexible: string = int16 length, bytes/records/array = int32 length, -1 = null;
// - flexible: compact string/bytes/records/array = uvarint length+1 (0 = null), and every struct
//   ends with a tagged-field section (see primitives/tagged-fields.ts); unknown tags kept raw;
// - a nullable struct is preceded by an int8 marker: -1 = null, 1 = present;
// - a tagged field is written only when its value differs from its default;
// - `records` decode to a Buffer slice (never parsed); on encode they may be a RecordsRegion.
// Decode fills every field of the schema: absent-in-version fields get their default.
// Errors: decode throws only ProtocolError, with the field path added while unwinding.
import { ProtocolError } from './protocol-error.js';
import {
  elemMinSize, planFor, EMPTY_BYTES, K_ARRAY, K_BOOL, K_BYTES, K_FLOAT64, K_INT16, K_INT32, K_INT64, K_INT8,
  K_RECORDS, K_STRING, K_STRUCT, K_UINT16, K_UINT32, K_UUID, ZERO_UUID, type Op, type Plan,
} from './plan.js';
import type { RawTaggedField } from './primitives/tagged-fields.js';
import { Reader } from './primitives/reader.js';
import { Writer, type Piece } from './primitives/writer.js';
import type { MessageSchema } from './schema-types.js';

type Obj = Record<string, unknown>;

function checkVersion(schema: MessageSchema, version: number): void {
  if (!(version >= schema.versions[0] && version <= schema.versions[1])) {
    throw new ProtocolError('UNSUPPORTED_VERSION',
      `version ${version} is outside ${schema.versions[0]}-${schema.versions[1]}`).within(schema.name);
  }
}

function asProtocolError(err: unknown): ProtocolError {
  if (err instanceof ProtocolError) return err;
  return new ProtocolError('PROTOCOL_BAD_VALUE', err instanceof Error ? err.message : String(err));
}

// ---------------------------------------------------------------- defaults

/** A fresh default value for `op` (structs and arrays are never shared). */
export function defaultValue(op: Op): unknown {
  const def = op.def;
  if (def === null) return null;
  if (op.kind === K_ARRAY) return [];
  if (op.kind === K_STRUCT) return defaultStruct(op.sub!);
  return def;
}

function defaultStruct(plan: Plan): Obj {
  const o: Obj = {};
  for (const op of plan.ops) o[op.name] = defaultValue(op);
  for (const op of plan.absent) o[op.name] = defaultValue(op);
  for (const op of plan.tagged) o[op.name] = defaultValue(op);
  return o;
}

function isDefault(op: Op, v: unknown): boolean {
  if (v === undefined) return true;
  if (op.def === null) return v === null;
  if (v === null) return false;
  switch (op.kind) {
    case K_ARRAY: return (v as unknown[]).length === 0;
    case K_BYTES: return (v as Buffer).length === 0 && (op.def as Buffer).length === 0;
    case K_UUID: return (v as string).toLowerCase() === (op.def as string);
    case K_STRUCT: {
      const o = v as Obj;
      const plan = op.sub!;
      if (o._unknownTags && (o._unknownTags as unknown[]).length) return false;
      for (const sub of plan.ops) if (!isDefault(sub, o[sub.name])) return false;
      for (const sub of plan.tagged) if (!isDefault(sub, o[sub.name])) return false;
      return true;
    }
    default: return v === op.def;
  }
}

// ---------------------------------------------------------------- decode

function readLength(r: Reader, op: Op): number {
  return op.compact ? r.compactLength() : op.kind === K_STRING ? r.int16() : r.int32();
}

function readScalar(r: Reader, kind: number, compact: boolean): unknown {
  switch (kind) {
    case K_INT8: return r.int8();
    case K_INT16: return r.int16();
    case K_INT32: return r.int32();
    case K_INT64: return r.int64();
    case K_UINT16: return r.uint16();
    case K_UINT32: return r.uint32();
    case K_FLOAT64: return r.float64();
    case K_BOOL: return r.bool();
    case K_UUID: return r.uuid();
    case K_STRING: return r.stringOf(compact ? r.compactLength() : r.int16());
    default: return r.bytesOf(compact ? r.compactLength() : r.int32()); // K_BYTES, K_RECORDS
  }
}

function nullError(): ProtocolError {
  return new ProtocolError('PROTOCOL_NULL', 'null in a version where the field is not nullable');
}

function readField(r: Reader, op: Op): unknown {
  switch (op.kind) {
    case K_STRUCT:
      if (op.nullable && r.int8() < 0) return null;
      return readStruct(r, op.sub!);
    case K_ARRAY: {
      const n = op.compact ? r.compactLength() : r.int32();
      if (n === -1) { if (op.nullable) return null; throw nullError(); }
      r.checkLength(n, elemMinSize(op));
      const out = new Array(n);
      let i = 0;
      try {
        if (op.elem === K_STRUCT) for (; i < n; i++) out[i] = readStruct(r, op.sub!);
        else for (; i < n; i++) { const v = readScalar(r, op.elem, op.compact); if (v === null) throw nullError(); out[i] = v; }
      } catch (err) {
        throw asProtocolError(err).under(i);
      }
      return out;
    }
    case K_STRING: case K_BYTES: case K_RECORDS: {
      const len = readLength(r, op);
      if (len === -1) { if (op.nullable) return null; throw nullError(); }
      return op.kind === K_STRING ? r.stringOf(len) : r.bytesOf(len);
    }
    default:
      return readScalar(r, op.kind, op.compact);
  }
}

function readTags(r: Reader, plan: Plan, o: Obj): void {
  const count = r.uvarint();
  r.checkLength(count, 2);
  let unknown: RawTaggedField[] | null = null;
  for (let i = 0; i < count; i++) {
    const tag = r.uvarint();
    const size = r.uvarint();
    r.checkLength(size);
    const start = r.pos;
    let op: Op | undefined;
    for (const t of plan.tagged) if (t.tag === tag) { op = t; break; }
    if (op) {
      const sub = new Reader(r.buf, start, start + size);
      try {
        o[op.name] = readField(sub, op);
      } catch (err) {
        throw asProtocolError(err).under(op.name);
      }
    } else {
      (unknown ??= []).push({ tag, data: r.buf.subarray(start, start + size) });
    }
    r.pos = start + size;
  }
  if (unknown) o._unknownTags = unknown;
}

function readStruct(r: Reader, plan: Plan): Obj {
  const o: Obj = {};
  const ops = plan.ops;
  let i = 0;
  try {
    for (; i < ops.length; i++) o[ops[i]!.name] = readField(r, ops[i]!);
  } catch (err) {
    throw asProtocolError(err).under(ops[i]!.name);
  }
  for (const op of plan.absent) o[op.name] = defaultValue(op);
  if (plan.flexible) {
    for (const op of plan.tagged) o[op.name] = defaultValue(op);
    readTags(r, plan, o);
  }
  return o;
}

/** Decodes one message body at the reader's position; leaves the reader after it. */
export function decode<T = Obj>(schema: MessageSchema, version: number, r: Reader): T {
  checkVersion(schema, version);
  try {
    return readStruct(r, planFor(schema, version)) as T;
  } catch (err) {
    throw asProtocolError(err).within(`${schema.name} v${version}`);
  }
}

/** Decodes a whole buffer; trailing bytes are an error. */
export function decodeBuffer<T = Obj>(schema: MessageSchema, version: number, buf: Buffer): T {
  const r = new Reader(buf);
  const v = decode<T>(schema, version, r);
  if (r.remaining !== 0) {
    throw new ProtocolError('PROTOCOL_TRAILING_BYTES', `${r.remaining} bytes after the message`)
      .within(`${schema.name} v${version}`);
  }
  return v;
}

// ---------------------------------------------------------------- encode

function writeScalar(w: Writer, kind: number, compact: boolean, v: unknown): void {
  switch (kind) {
    case K_INT8: w.int8(v as number); break;
    case K_INT16: w.int16(v as number); break;
    case K_INT32: w.int32(v as number); break;
    case K_INT64: w.int64(v as number); break;
    case K_UINT16: w.uint16(v as number); break;
    case K_UINT32: w.uint32(v as number); break;
    case K_FLOAT64: w.float64(v as number); break;
    case K_BOOL: w.bool(v as boolean); break;
    case K_UUID: w.uuid(v as string); break;
    case K_STRING: if (compact) w.compactString(v as string); else w.string(v as string); break;
    default: if (compact) w.compactBytes(v as Buffer); else w.bytes(v as Buffer);
  }
}

function writeField(w: Writer, op: Op, v: unknown): void {
  if (v === undefined) v = defaultValue(op);
  if (v === null) {
    if (!op.nullable) throw nullError();
    if (op.kind === K_STRUCT) w.int8(-1);
    else if (op.compact) w.uvarint(0);
    else if (op.kind === K_STRING) w.int16(-1);
    else w.int32(-1);
    return;
  }
  switch (op.kind) {
    case K_STRUCT:
      if (op.nullable) w.int8(1);
      writeStruct(w, op.sub!, v as Obj);
      return;
    case K_ARRAY: {
      const arr = v as unknown[];
      if (op.compact) w.uvarint(arr.length + 1); else w.int32(arr.length);
      let i = 0;
      try {
        if (op.elem === K_STRUCT) for (; i < arr.length; i++) writeStruct(w, op.sub!, arr[i] as Obj);
        else for (; i < arr.length; i++) writeScalar(w, op.elem, op.compact, arr[i]);
      } catch (err) {
        throw asProtocolError(err).under(i);
      }
      return;
    }
    case K_RECORDS:
      w.records(v as Buffer, op.compact);
      return;
    default:
      writeScalar(w, op.kind, op.compact, v);
  }
}

function writeTags(w: Writer, plan: Plan, o: Obj): void {
  const unknown = o._unknownTags as RawTaggedField[] | undefined;
  let known: Op[] | null = null;
  for (const op of plan.tagged) if (!isDefault(op, o[op.name])) (known ??= []).push(op);
  const nUnknown = unknown ? unknown.length : 0;
  w.uvarint((known ? known.length : 0) + nUnknown);
  if (!known && !nUnknown) return;
  let ki = 0;
  let ui = 0;
  while ((known && ki < known.length) || ui < nUnknown) {
    const k = known && ki < known.length ? known[ki]! : null;
    const u = ui < nUnknown ? unknown![ui]! : null;
    if (k && (!u || k.tag <= u.tag)) {
      const sub = new Writer(64);
      try {
        writeField(sub, k, o[k.name]);
      } catch (err) {
        throw asProtocolError(err).under(k.name);
      }
      const bytes = sub.finish();
      w.uvarint(k.tag);
      w.uvarint(bytes.length);
      w.raw(bytes);
      ki++;
    } else {
      w.uvarint(u!.tag);
      w.uvarint(u!.data.length);
      w.raw(u!.data);
      ui++;
    }
  }
}

function writeStruct(w: Writer, plan: Plan, o: Obj): void {
  if (o === null || typeof o !== 'object') {
    throw new ProtocolError('PROTOCOL_BAD_VALUE', `expected a ${plan.name} object, got ${o === null ? 'null' : typeof o}`);
  }
  const ops = plan.ops;
  let i = 0;
  try {
    for (; i < ops.length; i++) writeField(w, ops[i]!, o[ops[i]!.name]);
  } catch (err) {
    throw asProtocolError(err).under(ops[i]!.name);
  }
  if (plan.flexible) writeTags(w, plan, o);
}

/** Encodes `value` as `schema` at `version`, appending to `w`. */
export function encode(schema: MessageSchema, version: number, value: object, w: Writer): void {
  checkVersion(schema, version);
  try {
    writeStruct(w, planFor(schema, version), value as Obj);
  } catch (err) {
    throw asProtocolError(err).within(`${schema.name} v${version}`);
  }
}

/** Encodes to a standalone Buffer (no records regions allowed). */
export function encodeToBuffer(schema: MessageSchema, version: number, value: object): Buffer {
  const w = new Writer(256);
  encode(schema, version, value, w);
  return w.finish();
}

/** Encodes to pieces: Buffers with RecordsRegions between them (see primitives/writer.ts). */
export function encodeToPieces(schema: MessageSchema, version: number, value: object): Piece[] {
  const w = new Writer(256);
  encode(schema, version, value, w);
  return w.finishPieces();
}

export { EMPTY_BYTES, ZERO_UUID };
