// How `samsa consume` prints a record: one line, fields in the order of Kafka's console consumer
// (DefaultMessageFormatter), each printed only when asked for, separated by tabs:
//   CreateTime:1718000000000	Partition:0	Offset:42	h1:v1,h2:v2	key<SEP>value
// (LogAppendTime:... when the topic uses LogAppendTime; NO_HEADERS when a record has none; the
// key separator defaults to a tab.)
// Bytes (keys, values, header values) are printed as text when they are valid UTF-8 without
// control characters other than tab; anything else is printed as `base64:` followed by its
// standard base64 (so binary data and values containing newlines stay one line and can be
// decoded exactly). A null key, value or header value prints as `null`.

export interface ConsumedRecord {
  partition: number;
  offset: number;
  timestamp: number;
  logAppendTime: boolean;
  key: Buffer | null;
  value: Buffer | null;
  /** In wire order; repeated keys kept. */
  headers: Array<[string, Buffer | null]>;
}

export interface RecordFormatOptions {
  printKey?: boolean;
  printHeaders?: boolean;
  printOffset?: boolean;
  printPartition?: boolean;
  printTimestamp?: boolean;
  keySeparator?: string;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
// C0 controls except tab, DEL, C1 controls.
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/;

export function renderBytes(bytes: Buffer | null): string {
  if (bytes === null) return 'null';
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return `base64:${bytes.toString('base64')}`;
  }
  return CONTROL.test(text) ? `base64:${bytes.toString('base64')}` : text;
}

export function formatRecord(r: ConsumedRecord, o: RecordFormatOptions): string {
  const fields: string[] = [];
  if (o.printTimestamp) fields.push(`${r.logAppendTime ? 'LogAppendTime' : 'CreateTime'}:${r.timestamp}`);
  if (o.printPartition) fields.push(`Partition:${r.partition}`);
  if (o.printOffset) fields.push(`Offset:${r.offset}`);
  if (o.printHeaders) fields.push(r.headers.length === 0 ? 'NO_HEADERS' : r.headers.map(([k, v]) => `${k}:${renderBytes(v)}`).join(','));
  const value = renderBytes(r.value);
  const tail = o.printKey ? `${renderBytes(r.key)}${o.keySeparator ?? '\t'}${value}` : value;
  fields.push(tail);
  return fields.join('\t') + '\n';
}
