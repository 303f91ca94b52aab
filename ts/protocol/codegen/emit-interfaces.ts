// Emits TypeScript interfaces for a message: the superset of fields over all valid versions.
// A field present in every valid version and not tagged is required; others are optional (the
// codec fills their default on decode). Nested structs become `<Message><Struct>` interfaces.
import { parseVersions, type VersionRange } from '../schema-types.js';
import type { SpecField, SpecMessage } from './load-schemas.js';

const TS_PRIMITIVE: Record<string, string> = {
  int8: 'number', int16: 'number', int32: 'number', int64: 'number', uint16: 'number', uint32: 'number',
  float64: 'number', bool: 'boolean', string: 'string', bytes: 'Buffer', uuid: 'string',
};

function covers(field: VersionRange | null, msg: VersionRange | null): boolean {
  if (!field || !msg) return false;
  return field[0] <= msg[0] && field[1] >= msg[1];
}

function tsType(fl: SpecField, structType: string | undefined, recordsType: string): string {
  let t: string;
  if (fl.type === 'struct') t = structType!;
  else if (fl.type === '[]struct') t = `${structType}[]`;
  else if (fl.type === 'records') t = recordsType;
  else if (fl.type.startsWith('[]')) t = `${TS_PRIMITIVE[fl.type.slice(2)]}[]`;
  else t = TS_PRIMITIVE[fl.type]!;
  if (fl.nullable !== undefined && fl.type !== 'records') t += ' | null';
  return t;
}

function emitStruct(
  name: string, fields: SpecField[], msg: SpecMessage, out: string[], seen: Set<string>, about?: string,
): void {
  if (seen.has(name)) return;
  seen.add(name);
  const valid = parseVersions(msg.validVersions);
  const recordsType = msg.kind === 'request' ? 'Buffer | null' : 'Buffer | RecordsRegion | null';
  const lines: string[] = [];
  const nested: Array<[string, SpecField]> = [];
  for (const fl of fields) {
    let structType: string | undefined;
    if (fl.fields) {
      structType = `${msg.name}${fl.structName}`;
      nested.push([structType, fl]);
    }
    const optional = fl.tagged !== undefined || !covers(parseVersions(fl.versions), valid) ? '?' : '';
    if (fl.about) lines.push(`  /** ${fl.about} */`);
    lines.push(`  ${fl.name}${optional}: ${tsType(fl, structType, recordsType)};`);
  }
  if (about) out.push(`/** ${about} */`);
  out.push(`export interface ${name} extends TaggedStruct {`, ...lines, '}', '');
  for (const [structType, fl] of nested) emitStruct(structType, fl.fields!, msg, out, seen);
}

/** Interfaces for one message (the message itself first, then its nested structs). */
export function emitMessageInterfaces(msg: SpecMessage): string {
  const out: string[] = [];
  const flex = msg.flexibleVersions === 'none' ? 'never flexible' : `flexible ${msg.flexibleVersions}`;
  const about = `${msg.name}${msg.apiKey >= 0 ? ` (api key ${msg.apiKey})` : ''}: versions ${msg.validVersions}, ${flex}.`;
  emitStruct(msg.name, msg.fields, msg, out, new Set(), about);
  return out.join('\n');
}
