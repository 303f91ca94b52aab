// KafkaConnection: a minimal request/response client over the project's own codec, for the CLI
// (`samsa groups ...`) and for tests that need exact control of what is sent (raw group members
// that stop heartbeating, out-of-order or malformed group requests). Not a consumer or producer.
//
//   const c = await KafkaConnection.connect('localhost:9092');
//   const res = await c.request(ApiKey.ListGroups, 4, { statesFilter: [] });
//   c.close();
//
// Requests are pipelined; responses are matched by correlation id (the broker answers in order).
// A closed socket rejects every outstanding request with KafkaConnectionError (code
// SAMSA_CONNECTION_CLOSED); a connect failure names the address and the cause.
import net from 'node:net';
import { FrameDecoder } from '../protocol/frame.js';
import { decodeResponse, encodeRequest } from '../protocol/messages-io.js';

export class KafkaConnectionError extends Error {
  constructor(readonly code: 'SAMSA_CONNECTION_CLOSED' | 'SAMSA_CONNECT_FAILED' | 'SAMSA_BAD_ADDRESS', message: string) {
    super(message);
  }
}

interface Waiter { apiKey: number; version: number; resolve(body: unknown): void; reject(err: unknown): void }

export function parseHostPort(address: string): { host: string; port: number } {
  const m = /^\[?([^\]]+?)\]?:(\d{1,5})$/.exec(address.trim());
  if (!m) throw new KafkaConnectionError('SAMSA_BAD_ADDRESS', `'${address}' is not HOST:PORT (e.g. localhost:9092)`);
  return { host: m[1]!, port: Number(m[2]) };
}

export class KafkaConnection {
  readonly #socket: net.Socket;
  readonly #waiting = new Map<number, Waiter>();
  readonly #decoder = new FrameDecoder();
  #nextCorrelation = 1;
  #closed: Error | null = null;

  private constructor(socket: net.Socket, readonly clientId: string) {
    this.#socket = socket;
    socket.on('data', (chunk) => {
      try {
        this.#decoder.push(chunk, (frame) => this.#onFrame(frame));
      } catch (err) {
        this.#fail(err as Error);
        socket.destroy();
      }
    });
    socket.on('error', (err) => this.#fail(err));
    socket.on('close', () => this.#fail(new KafkaConnectionError('SAMSA_CONNECTION_CLOSED', 'the broker closed the connection')));
  }

  static connect(address: string, opts: { clientId?: string; timeoutMs?: number } = {}): Promise<KafkaConnection> {
    const { host, port } = parseHostPort(address);
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port });
      const timer = setTimeout(() => { socket.destroy(); reject(new KafkaConnectionError('SAMSA_CONNECT_FAILED', `connecting to ${address} timed out`)); }, opts.timeoutMs ?? 10_000);
      socket.once('connect', () => { clearTimeout(timer); socket.setNoDelay(true); resolve(new KafkaConnection(socket, opts.clientId ?? 'samsa-cli')); });
      socket.once('error', (err) => { clearTimeout(timer); reject(new KafkaConnectionError('SAMSA_CONNECT_FAILED', `cannot connect to ${address}: ${err.message}`)); });
    });
  }

  #onFrame(frame: Buffer): void {
    const correlationId = frame.readInt32BE(0);
    const w = this.#waiting.get(correlationId);
    if (!w) return;
    this.#waiting.delete(correlationId);
    try {
      w.resolve(decodeResponse(w.apiKey, w.version, frame).body);
    } catch (err) {
      w.reject(err);
    }
  }

  #fail(err: Error): void {
    if (this.#closed) return;
    this.#closed = err;
    for (const w of this.#waiting.values()) w.reject(err);
    this.#waiting.clear();
  }

  /** Sends one request and resolves with the decoded response body. */
  request<T = Record<string, unknown>>(apiKey: number, version: number, body: object): Promise<T> {
    if (this.#closed) return Promise.reject(this.#closed);
    const correlationId = this.#nextCorrelation++;
    const frame = encodeRequest(apiKey, version, correlationId, this.clientId, body);
    return new Promise<T>((resolve, reject) => {
      this.#waiting.set(correlationId, { apiKey, version, resolve: resolve as (b: unknown) => void, reject });
      this.#socket.write(frame);
    });
  }

  /** Sends raw bytes (malformed-request tests). */
  writeRaw(bytes: Buffer): void {
    this.#socket.write(bytes);
  }

  get closed(): boolean { return this.#closed !== null; }

  close(): void {
    this.#socket.end();
    this.#socket.destroy();
  }
}
