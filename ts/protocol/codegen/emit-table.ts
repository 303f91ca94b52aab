// Emits the condensed schema table: one `m(...)` per message and one `f(...)` line per field
// (see ../schema-types.ts for the constructors and the type spellings).
import type { SpecField, SpecMessage } from './load-schemas.js';

function fieldOptions(fl: SpecField): string {
  const parts: string[] = [];
  if (fl.nullable !== undefined) parts.push(`n: '${fl.nullable}'`);
  if (fl.tagged !== undefined) parts.push(`t: '${fl.tagged}'`, `tag: ${fl.tag}`);
  if (fl.flexible !== undefined) parts.push(`flex: '${fl.flexible}'`);
  if (fl.hasDefault) parts.push(`d: ${JSON.stringify(fl.default)}`);
  return parts.length ? `{ ${parts.join(', ')} }` : '';
}

function emitFields(fields: SpecField[], indent: string, out: string[]): void {
  for (const fl of fields) {
    const opts = fieldOptions(fl);
    const head = `${indent}f('${fl.name}', '${fl.type}', '${fl.versions}'`;
    if (fl.fields) {
      out.push(`${head}, ${opts || 'null'}, [`);
      emitFields(fl.fields, indent + '  ', out);
      out.push(`${indent}]),`);
    } else {
      out.push(`${head}${opts ? ', ' + opts : ''}),`);
    }
  }
}

export function schemaConstName(msg: SpecMessage): string {
  return `${msg.name}Schema`;
}

/** The `export const XSchema = m(...)` block for one message. */
export function emitMessageSchema(msg: SpecMessage): string {
  const out: string[] = [];
  const unstable = msg.latestUnstable ? ', true' : '';
  out.push(`export const ${schemaConstName(msg)}: MessageSchema = m('${msg.name}', '${msg.kind}', ${msg.apiKey}, ` +
    `'${msg.validVersions}', '${msg.flexibleVersions}', [`);
  emitFields(msg.fields, '  ', out);
  out.push(`]${unstable});`);
  return out.join('\n');
}
