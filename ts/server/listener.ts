// Listener: the TCP servers behind one configured listener (`PLAINTEXT://host:port`).
//
// Binding rules (DESIGN.md "Protocol"):
// - `localhost` binds BOTH 127.0.0.1 and ::1 on the same port, because Node clients resolve
//   `localhost` to ::1 first while others use 127.0.0.1. With port 0 we bind 127.0.0.1:0 first,
//   then ::1 on the port the kernel chose; if that port is taken on ::1 we close both and retry
//   with a new port. A machine without IPv6 (EADDRNOTAVAIL / EAFNOSUPPORT on ::1) gets IPv4 only.
// - `0.0.0.0`, `::` or an empty host → every interface (Node's unspecified address: dual-stack
//   `::` where IPv6 exists, else 0.0.0.0).
// - Any other host is bound as given.
//
// Lifecycle: bindListener() → BoundListener (already listening); stopAccepting() closes the
// servers (existing connections stay open, the broker drains them); there is nothing else.
import * as net from 'node:net';

export interface ListenerSpec {
  /** Listener name, e.g. PLAINTEXT. */
  name: string;
  /** Host as configured; '' means all interfaces. */
  host: string;
  /** 0 = a free port chosen by the kernel. */
  port: number;
}

export interface BoundListener {
  readonly name: string;
  readonly host: string;
  /** The actual port (resolved when 0 was asked). */
  readonly port: number;
  /** Addresses really bound, e.g. ['127.0.0.1', '::1']. */
  readonly addresses: string[];
  /** Stop accepting new connections; resolves once every server is closed. */
  stopAccepting(): Promise<void>;
}

export class ListenerBindError extends Error {
  readonly code = 'SAMSA_LISTENER_BIND';
  constructor(spec: ListenerSpec, address: string, cause: NodeJS.ErrnoException) {
    super(
      `listener ${spec.name}: cannot bind ${address}:${spec.port} (${cause.code ?? cause.message}); ` +
        `choose another port (--port, or listeners=${spec.name}://${spec.host}:<port>) or stop the process using it`,
    );
    this.name = 'ListenerBindError';
  }
}

const NO_IPV6 = new Set(['EADDRNOTAVAIL', 'EAFNOSUPPORT', 'EPROTONOSUPPORT']);
const PORT_RETRIES = 20;

function listen(server: net.Server, host: string | undefined, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    const opts: net.ListenOptions = { port, exclusive: true };
    if (host !== undefined) opts.host = host;
    if (host === '::1') opts.ipv6Only = true;
    server.listen(opts, () => {
      server.off('error', onError);
      resolve((server.address() as net.AddressInfo).port);
    });
  });
}

// server.close() stops accepting at once; its callback would wait for every open connection to
// end, which the broker handles itself (drain, then end), so we do not wait for it here.
function closeServer(server: net.Server): Promise<void> {
  if (server.listening) server.close();
  return Promise.resolve();
}

function isAllInterfaces(host: string): boolean {
  return host === '' || host === '0.0.0.0' || host === '::';
}

/** Bind the servers for one listener and route accepted sockets to `onConnection`. */
export async function bindListener(
  spec: ListenerSpec,
  onConnection: (socket: net.Socket, listenerName: string) => void,
): Promise<BoundListener> {
  const make = () => {
    const server = net.createServer({ noDelay: true }, (socket) => onConnection(socket, spec.name));
    // Errors after listening (EMFILE on accept) must not crash the broker.
    server.on('error', () => {});
    return server;
  };
  const servers: net.Server[] = [];
  const addresses: string[] = [];
  let port = spec.port;

  if (spec.host === 'localhost') {
    for (let attempt = 0; ; attempt++) {
      const v4 = make();
      try {
        port = await listen(v4, '127.0.0.1', spec.port);
      } catch (err) {
        throw new ListenerBindError(spec, '127.0.0.1', err as NodeJS.ErrnoException);
      }
      const v6 = make();
      try {
        await listen(v6, '::1', port);
        servers.push(v4, v6);
        addresses.push('127.0.0.1', '::1');
        break;
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? '';
        if (NO_IPV6.has(code)) {
          servers.push(v4);
          addresses.push('127.0.0.1');
          break;
        }
        await closeServer(v4);
        if (code === 'EADDRINUSE' && spec.port === 0 && attempt < PORT_RETRIES) continue;
        throw new ListenerBindError({ ...spec, port }, '::1', err as NodeJS.ErrnoException);
      }
    }
  } else {
    const server = make();
    const host = isAllInterfaces(spec.host) ? undefined : spec.host;
    try {
      port = await listen(server, host, spec.port);
    } catch (err) {
      throw new ListenerBindError(spec, spec.host || '*', err as NodeJS.ErrnoException);
    }
    servers.push(server);
    addresses.push((server.address() as net.AddressInfo).address);
  }

  return {
    name: spec.name,
    host: spec.host,
    port,
    addresses,
    stopAccepting: async () => {
      await Promise.all(servers.map(closeServer));
    },
  };
}
