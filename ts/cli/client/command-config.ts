// --command-config FILE: Kafka client properties (the file kafka-topics.sh --command-config and
// kafka-console-*.sh --consumer.config/--producer.config read) → @platformatic/kafka options.
// Understood keys:
//   client.id                         clientId
//   request.timeout.ms                per-request timeout
//   socket.connection.setup.timeout.ms  connect timeout
//   security.protocol                 PLAINTEXT | SSL | SASL_PLAINTEXT | SASL_SSL
//   sasl.mechanism                    PLAIN | SCRAM-SHA-256 | SCRAM-SHA-512
//   sasl.jaas.config                  username="..." password="..." are read from it
//   sasl.username, sasl.password      (librdkafka spelling) the same
//   ssl.ca.location, ssl.certificate.location, ssl.key.location, ssl.key.password   PEM files
//   ssl.endpoint.identification.algorithm   empty disables the host name check
// Java keystores (ssl.truststore.*, ssl.keystore.*) cannot be read by Node: they are refused with
// a hint to convert them to PEM. Other keys are ignored with one warning line, as Kafka's
// clients warn about unknown configs. Problems are ConfigErrors (exit 2) naming file:line.
import { readFileSync } from 'node:fs';
import type { BaseOptions, SASLOptions } from '@platformatic/kafka';
import { parsePropertiesText } from '../../server/config/properties-text.js';
import { ConfigError, type ConfigProblem } from '../../server/config/config-error.js';

const SECURITY_PROTOCOLS = ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'];
const SASL_MECHANISMS = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] as const;
const KNOWN = new Set(['client.id', 'request.timeout.ms', 'socket.connection.setup.timeout.ms', 'security.protocol',
  'sasl.mechanism', 'sasl.jaas.config', 'sasl.username', 'sasl.password', 'ssl.ca.location',
  'ssl.certificate.location', 'ssl.key.location', 'ssl.key.password', 'ssl.endpoint.identification.algorithm']);

function jaasField(jaas: string, field: string): string | undefined {
  const m = new RegExp(`${field}\\s*=\\s*"((?:[^"\\\\]|\\\\.)*)"`).exec(jaas);
  return m ? m[1].replace(/\\(.)/g, '$1') : undefined;
}

/** Reads and maps the file; `warn` receives the one line about ignored keys. */
export function readCommandConfig(file: string, warn: (line: string) => void = (l) => { process.stderr.write(`samsa: ${l}\n`); }): Partial<BaseOptions> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
    throw new ConfigError(`cannot read --command-config file '${file}': ${reason}`);
  }
  const props = new Map<string, { value: string; line: number }>();
  for (const e of parsePropertiesText(text)) props.set(e.key, { value: e.value.trim(), line: e.line });
  const problems: ConfigProblem[] = [];
  const bad = (key: string, reason: string) => problems.push({ key, value: props.get(key)?.value ?? null, reason, origin: `${file}:${props.get(key)?.line ?? 0}` });
  const get = (key: string) => props.get(key)?.value;
  const ms = (key: string): number | undefined => {
    const v = get(key);
    if (v === undefined) return undefined;
    if (!/^\d+$/.test(v) || Number(v) < 1) { bad(key, 'must be a positive number of milliseconds'); return undefined; }
    return Number(v);
  };

  const out: Partial<BaseOptions> = {};
  const clientId = get('client.id');
  if (clientId) out.clientId = clientId;
  const requestTimeout = ms('request.timeout.ms');
  if (requestTimeout !== undefined) { out.timeout = requestTimeout; out.requestTimeout = requestTimeout; }
  const connectTimeout = ms('socket.connection.setup.timeout.ms');
  if (connectTimeout !== undefined) out.connectTimeout = connectTimeout;

  const protocol = (get('security.protocol') ?? 'PLAINTEXT').toUpperCase();
  if (!SECURITY_PROTOCOLS.includes(protocol)) bad('security.protocol', `must be one of ${SECURITY_PROTOCOLS.join(', ')}`);
  for (const key of props.keys()) {
    if (/^ssl\.(truststore|keystore)\./.test(key)) bad(key, 'Java keystores are not readable from Node; convert to PEM and use ssl.ca.location / ssl.certificate.location / ssl.key.location');
  }
  if (protocol === 'SSL' || protocol === 'SASL_SSL') {
    const tls: NonNullable<BaseOptions['tls']> = {};
    const pem = (key: string): Buffer | undefined => {
      const path = get(key);
      if (path === undefined) return undefined;
      try { return readFileSync(path); } catch (err) { bad(key, `cannot read: ${(err as Error).message}`); return undefined; }
    };
    const ca = pem('ssl.ca.location');
    const cert = pem('ssl.certificate.location');
    const key = pem('ssl.key.location');
    if (ca) tls.ca = ca;
    if (cert) tls.cert = cert;
    if (key) tls.key = key;
    const passphrase = get('ssl.key.password');
    if (passphrase) tls.passphrase = passphrase;
    if (get('ssl.endpoint.identification.algorithm') === '') tls.checkServerIdentity = () => undefined;
    out.tls = tls;
  }
  if (protocol === 'SASL_PLAINTEXT' || protocol === 'SASL_SSL') {
    const mechanism = (get('sasl.mechanism') ?? 'PLAIN').toUpperCase();
    if (!(SASL_MECHANISMS as readonly string[]).includes(mechanism)) bad('sasl.mechanism', `must be one of ${SASL_MECHANISMS.join(', ')}`);
    const jaas = get('sasl.jaas.config') ?? '';
    const username = get('sasl.username') ?? jaasField(jaas, 'username');
    const password = get('sasl.password') ?? jaasField(jaas, 'password');
    if (username === undefined || password === undefined) {
      problems.push({ key: 'sasl.jaas.config', value: null, reason: 'needs username="..." password="..." (or set sasl.username and sasl.password)', origin: file });
    }
    out.sasl = { mechanism: mechanism as SASLOptions['mechanism'], username, password };
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const ignored = [...props.keys()].filter((k) => !KNOWN.has(k));
  if (ignored.length > 0) warn(`${file}: ignoring settings these commands do not use: ${ignored.join(', ')}`);
  return out;
}
