// Reads Kafka's JSON message definitions (with `//` comments) and resolves them into a tree of
// SpecField: camelCase names, struct types inlined (commonStructs resolved by name), defaults
// converted to typed JS values. Consumed by emit-table.ts and emit-interfaces.ts.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FieldType, PrimitiveType } from '../schema-types.js';

export interface SpecField {
  name: string;
  type: FieldType;
  /** Kafka struct type name for struct / []struct fields (interface naming). */
  structName?: string;
  versions: string;
  nullable?: string;
  tagged?: string;
  tag?: number;
  flexible?: string;
  hasDefault: boolean;
  default?: unknown;
  about?: string;
  fields?: SpecField[];
}

export interface SpecMessage {
  name: string;
  kind: 'request' | 'response' | 'header' | 'data';
  apiKey: number;
  validVersions: string;
  flexibleVersions: string;
  latestUnstable: boolean;
  fields: SpecField[];
}

const PRIMITIVES = new Set<string>([
  'int8', 'int16', 'int32', 'int64', 'uint16', 'uint32', 'float64', 'bool', 'string', 'bytes', 'uuid', 'records',
]);

/** Removes `//` comments that are not inside a JSON string. */
export function stripJsonComments(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      out += c;
      if (c === '\\') { out += text[++i] ?? ''; continue; }
      if (c === '"') inString = false;
      continue;
    }
    if (c === '"') { inString = true; out += c; continue; }
    if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
      continue;
    }
    out += c;
  }
  return out;
}

function camel(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

interface RawField {
  name: string; type: string; versions: string; nullableVersions?: string; taggedVersions?: string;
  tag?: number; flexibleVersions?: string; default?: unknown; about?: string; fields?: RawField[];
}
interface RawStruct { name: string; fields: RawField[] }

function typedDefault(type: FieldType, raw: unknown, nullable: boolean, where: string): unknown {
  if (raw === 'null' || raw === null) {
    if (nullable || type === 'struct' || type.startsWith('[]') || type === 'bytes' || type === 'records') return null;
    if (type === 'string') return 'null';
  }
  switch (type) {
    case 'bool': return raw === true || raw === 'true';
    case 'string': return String(raw);
    case 'int8': case 'int16': case 'int32': case 'int64': case 'uint16': case 'uint32': case 'float64': {
      const n = Number(raw);
      if (!Number.isFinite(n)) throw new Error(`${where}: cannot parse default ${JSON.stringify(raw)} as ${type}`);
      return n;
    }
    default:
      throw new Error(`${where}: unsupported default ${JSON.stringify(raw)} for ${type}`);
  }
}

function shortAbout(about: string | undefined): string | undefined {
  if (!about) return undefined;
  let s = about.replace(/\s+/g, ' ').trim();
  const dot = s.search(/\.(\s|$)/);
  if (dot > 0) s = s.slice(0, dot + 1);
  if (s.length > 110) s = s.slice(0, 107).trimEnd() + '...';
  return s.replace(/\*\//g, '* /');
}

function resolveFields(raw: RawField[], common: Map<string, RawStruct>, where: string): SpecField[] {
  return raw.map((r) => {
    const path = `${where}.${r.name}`;
    let kafkaType = r.type;
    const isArray = kafkaType.startsWith('[]');
    if (isArray) kafkaType = kafkaType.slice(2);
    let type: FieldType;
    let structName: string | undefined;
    let fields: SpecField[] | undefined;
    if (PRIMITIVES.has(kafkaType)) {
      type = (isArray ? `[]${kafkaType}` : kafkaType) as FieldType;
    } else {
      structName = kafkaType;
      const inner = r.fields ?? common.get(kafkaType)?.fields;
      if (!inner) throw new Error(`${path}: unknown struct type ${kafkaType}`);
      fields = resolveFields(inner, common, path);
      type = isArray ? '[]struct' : 'struct';
    }
    const nullable = r.nullableVersions !== undefined && r.nullableVersions !== 'none';
    const field: SpecField = { name: camel(r.name), type, versions: r.versions, hasDefault: false };
    if (structName) field.structName = structName;
    if (nullable) field.nullable = r.nullableVersions;
    if (r.taggedVersions !== undefined) { field.tagged = r.taggedVersions; field.tag = r.tag; }
    if (r.flexibleVersions !== undefined) field.flexible = r.flexibleVersions;
    if (r.default !== undefined) {
      field.hasDefault = true;
      field.default = typedDefault(type, r.default, nullable, path);
    }
    const about = shortAbout(r.about);
    if (about) field.about = about;
    if (fields) field.fields = fields;
    return field;
  });
}

export function loadSchemaFile(path: string): SpecMessage {
  const json = JSON.parse(stripJsonComments(readFileSync(path, 'utf8'))) as {
    name: string; type: SpecMessage['kind']; apiKey?: number; validVersions: string; flexibleVersions: string;
    latestVersionUnstable?: boolean; fields: RawField[]; commonStructs?: RawStruct[];
  };
  const common = new Map<string, RawStruct>();
  for (const s of json.commonStructs ?? []) common.set(s.name, s);
  return {
    name: json.name,
    kind: json.type,
    apiKey: json.apiKey ?? -1,
    validVersions: json.validVersions,
    flexibleVersions: json.flexibleVersions,
    latestUnstable: json.latestVersionUnstable === true,
    fields: resolveFields(json.fields, common, json.name),
  };
}

/** Loads every `*.json` in `dir` whose file name passes `accept`, sorted by file name. */
export function loadSchemaDir(dir: string, accept: (file: string) => boolean): SpecMessage[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json') && accept(f))
    .sort()
    .map((f) => loadSchemaFile(join(dir, f)));
}

export function isPrimitive(t: string): t is PrimitiveType {
  return PRIMITIVES.has(t);
}
