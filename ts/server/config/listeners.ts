// Listener lists (`listeners`, `advertised.listeners`) and `listener.security.protocol.map`, as
// Kafka writes them: `NAME://HOST:PORT[,NAME://HOST:PORT...]`, IPv6 hosts in brackets
// (`PLAINTEXT://[::1]:9092`). Listener names are case-insensitive (kept upper-case); each maps to a
// security protocol through the protocol map, whose default maps each protocol name to itself.
//
// Binding (Samsa's choice, see DESIGN.md): host '' or 0.0.0.0 means every interface; `localhost`
// means both 127.0.0.1 and ::1, because Node clients resolve localhost to ::1 first. Port 0 asks
// the OS for a free port; the broker reports the bound port in what it advertises.
import type { ConfigProblem } from './config-error.js';

export const SECURITY_PROTOCOLS = ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'] as const;
export type SecurityProtocol = (typeof SECURITY_PROTOCOLS)[number];

export interface Listener {
  name: string;
  protocol: SecurityProtocol;
  /** As configured: '' (every interface), a name, an IPv4 or an IPv6 address (without brackets). */
  host: string;
  port: number;
  /** True for host '' or 0.0.0.0: bind once without a host (every interface, IPv4 and IPv6). */
  allInterfaces: boolean;
  /** Addresses to bind when not allInterfaces: ['127.0.0.1', '::1'] for localhost, else [host]. */
  bindHosts: string[];
}

export const DEFAULT_PROTOCOL_MAP = SECURITY_PROTOCOLS.map((p) => `${p}:${p}`).join(',');

const ENTRY = /^([A-Za-z0-9_.-]+):\/\/(?:\[([0-9A-Fa-f:.%a-zA-Z]*)\]|([0-9A-Za-z\-%._]*)):([^:]*)$/;

function isProtocol(s: string): s is SecurityProtocol {
  return (SECURITY_PROTOCOLS as readonly string[]).includes(s);
}

/** Parses `listener.security.protocol.map`; problems are appended to `problems`. */
export function parseProtocolMap(key: string, value: string, problems: ConfigProblem[]): Map<string, SecurityProtocol> {
  const map = new Map<string, SecurityProtocol>();
  for (const raw of value.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    const [name, proto, extra] = raw.split(':').map((s) => s.trim().toUpperCase());
    if (!name || !proto || extra !== undefined) {
      problems.push({ key, value: raw, reason: 'expected LISTENER_NAME:PROTOCOL, e.g. INTERNAL:PLAINTEXT' });
    } else if (!isProtocol(proto)) {
      problems.push({ key, value: raw, reason: `unknown security protocol '${proto}'; use one of ${SECURITY_PROTOCOLS.join(', ')}` });
    } else if (map.has(name)) {
      problems.push({ key, value: raw, reason: `listener name '${name}' appears twice; each name may be mapped once` });
    } else {
      map.set(name, proto);
    }
  }
  return map;
}

/**
 * Parses a listener list. `advertised` lists may repeat ports but may not name 0.0.0.0 (clients
 * cannot connect to it); `listeners` must have unique names and unique non-zero ports.
 */
export function parseListeners(
  key: string, value: string, protocols: Map<string, SecurityProtocol>, problems: ConfigProblem[],
  opts: { advertised?: boolean } = {},
): Listener[] {
  const out: Listener[] = [];
  for (const raw of value.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    const m = ENTRY.exec(raw);
    if (!m) {
      problems.push({ key, value: raw, reason: 'expected NAME://HOST:PORT, e.g. PLAINTEXT://localhost:9092 (IPv6 hosts in brackets)' });
      continue;
    }
    const name = m[1]!.toUpperCase();
    const host = m[2] ?? m[3] ?? '';
    const portText = m[4]!;
    const port = /^[0-9]{1,5}$/.test(portText) ? Number(portText) : NaN;
    if (!(port >= 0 && port <= 65535)) {
      problems.push({ key, value: raw, reason: 'port must be a number 0-65535' });
      continue;
    }
    const protocol = protocols.get(name);
    if (!protocol) {
      problems.push({ key, value: raw, reason: `listener name '${name}' has no security protocol; add '${name}:PLAINTEXT' (or SSL, SASL_PLAINTEXT, SASL_SSL) to listener.security.protocol.map` });
      continue;
    }
    if (out.some((l) => l.name === name)) {
      problems.push({ key, value: raw, reason: `listener name '${name}' appears twice; names must be unique` });
      continue;
    }
    if (opts.advertised && host === '0.0.0.0') {
      problems.push({ key, value: raw, reason: '0.0.0.0 cannot be advertised; give a host name or address that clients can reach' });
      continue;
    }
    if (!opts.advertised && port !== 0 && out.some((l) => l.port === port)) {
      problems.push({ key, value: raw, reason: `port ${port} is already used by another listener; ports must be unique` });
      continue;
    }
    const allInterfaces = host === '' || host === '0.0.0.0';
    const bindHosts = allInterfaces ? [] : host.toLowerCase() === 'localhost' ? ['127.0.0.1', '::1'] : [host];
    out.push({ name, protocol, host, port, allInterfaces, bindHosts });
  }
  if (out.length === 0 && problems.every((p) => p.key !== key) && !opts.advertised) {
    problems.push({ key, value, reason: 'at least one listener is needed, e.g. PLAINTEXT://localhost:9092' });
  }
  return out;
}

/** Formats listeners back to Kafka's text form (IPv6 hosts in brackets). */
export function formatListeners(listeners: readonly Listener[]): string {
  return listeners.map((l) => `${l.name}://${l.host.includes(':') ? `[${l.host}]` : l.host}:${l.port}`).join(',');
}
