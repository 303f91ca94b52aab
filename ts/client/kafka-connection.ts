// KafkaConnection: the project's one request/response client over its own codec. Used by
// `samsa groups`, `samsa perf` (load generator), the follower's NetworkLeaderEndpoint, and tests
// that need exact control of what is sent (raw group members, malformed frames). Not a consumer
// or producer: no metadata, no retries, no reconnects (callers that want one connect again).
//
//   const c = await KafkaConnection.connect('localhost:9092', { clientId: 'samsa-groups' });
//   const res = await c.request(ApiKey.ListGroups, 4, { statesFilter: [] });
//   await c.request(ApiKey.Produce, 9, body, { expectResponse: false }); // acks=0
//   c.close();
//
// Concurrency contract: any number of requests may be in flight (pipelining). Each gets the next
// correlation id; responses are matched by correlation id, and a response nobody waits for (a
// timed-out request, a request sent with writeRaw) is dropped. Requests without a response
// (Produce acks=0: expectResponse false) are never registered; their promise resolves once the
// frame is handed to the socket (after 'drain' when the socket buffer is full, so a loop that
// awaits them is paced by TCP).
//
// Failure: a socket error, a broker close, a bad response frame size or close() rejects every
// outstanding request with KafkaConnectionError code SAMSA_CONNECTION_CLOSED and makes later
// requests reject at once. A request timeout (requestTimeoutMs, or per request) rejects that
// request with SAMSA_REQUEST_TIMEOUT and then closes the connection (its stream position is no
// longer trusted), failing the others as above. A response body that does not decode rejects only
// its own request.
//
// Frame buffers: a response frame inside one socket chunk is a zero-copy slice; one spanning
// chunks is assembled once at its declared size (protocol/frame.ts). With reuseFrameBuffers: N it
// is assembled in one of N reusable buffers instead of a fresh allocation (fresh multi-MB buffers
// cost a page fault per 4 KiB). Then the Buffers inside a decoded response (Fetch `records`) stay
// valid only until N - 1 further spanning responses have arrived: process a response before
// requesting the one after next (perf consume keeps one fetch in flight while it walks the last).
import net from 'node:net';
import { DEFAULT_MAX_FRAME_BYTES, FrameDecoder } from '../protocol/frame.js';
import { API_NAMES } from '../protocol/generated/api-keys.js';
import { decodeResponse, encodeRequest } from '../protocol/messages-io.js';

export type KafkaConnectionErrorCode =
  'SAMSA_CONNECTION_CLOSED' | 'SAMSA_CONNECT_FAILED' | 'SAMSA_BAD_ADDRESS' | 'SAMSA_REQUEST_TIMEOUT';

export class KafkaConnectionError extends Error {
  constructor(readonly code: KafkaConnectionErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KafkaConnectionError';
  }
}

export interface ConnectOptions {
  /** client.id sent in every request header. Default 'samsa-cli'. */
  clientId?: string;
  /** Connect timeout. Default 10 000 ms. */
  timeoutMs?: number;
  /** Default per-request timeout; 0 (default) waits forever. */
  requestTimeoutMs?: number;
  /** Reusable buffers for responses spanning socket chunks (see the file comment); 0 = fresh. */
  reuseFrameBuffers?: number;
  /** Largest response frame accepted. Default 104857600. */
  maxFrameBytes?: number;
}

export interface RequestOptions {
  /** false for requests the broker never answers (Produce acks=0). Default true. */
  expectResponse?: boolean;
  /** Overrides the connection's requestTimeoutMs; 0 waits forever. */
  timeoutMs?: number;
}

interface Waiter {
  apiKey: number;
  version: number;
  timer: NodeJS.Timeout | null;
  resolve(body: unknown): void;
  reject(err: Error): void;
}

export function parseHostPort(address: string): { host: string; port: number } {
  const m = /^\[?([^\]]+?)\]?:(\d{1,5})$/.exec(address.trim());
  if (!m) throw new KafkaConnectionError('SAMSA_BAD_ADDRESS', `'${address}' is not HOST:PORT (e.g. localhost:9092)`);
  return { host: m[1]!, port: Number(m[2]) };
}

const MIN_REUSED_FRAME = 1 << 20;

export class KafkaConnection {
  readonly #socket: net.Socket;
  readonly #waiting = new Map<number, Waiter>();
  readonly #decoder: FrameDecoder;
  readonly #requestTimeoutMs: number;
  readonly #ring: Buffer[] = [];
  #ringNext = 0;
  #nextCorrelation = 1;
  #closed: KafkaConnectionError | null = null;
  /** Bytes written to the socket (request frames and raw writes). */
  bytesOut = 0;

  private constructor(socket: net.Socket, readonly address: string, readonly clientId: string, opts: ConnectOptions) {
    this.#socket = socket;
    this.#requestTimeoutMs = opts.requestTimeoutMs ?? 0;
    const ring = opts.reuseFrameBuffers ?? 0;
    this.#decoder = new FrameDecoder(opts.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES,
      ring > 0 ? { frameBuffer: (size) => this.#frameBuffer(size, ring) } : {});
    socket.on('data', (chunk: Buffer) => {
      try {
        this.#decoder.push(chunk, (frame) => this.#onFrame(frame));
      } catch (err) {
        this.#fail(`bad response frame from ${address}: ${(err as Error).message}`, err);
      }
    });
    socket.on('error', (err) => this.#fail(`connection to ${address} failed: ${err.message}`, err));
    socket.on('close', () => this.#fail(`the broker at ${address} closed the connection`));
  }

  static connect(address: string | { host: string; port: number }, opts: ConnectOptions = {}): Promise<KafkaConnection> {
    const { host, port } = typeof address === 'string' ? parseHostPort(address) : address;
    const name = typeof address === 'string' ? address : `${host.includes(':') ? `[${host}]` : host}:${port}`;
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new KafkaConnectionError('SAMSA_CONNECT_FAILED', `connecting to ${name} timed out after ${opts.timeoutMs ?? 10_000} ms; is a broker running there?`));
      }, opts.timeoutMs ?? 10_000);
      const onError = (err: Error) => {
        clearTimeout(timer);
        reject(new KafkaConnectionError('SAMSA_CONNECT_FAILED', `cannot connect to ${name}: ${err.message}; is a broker running there?`, { cause: err }));
      };
      socket.once('error', onError);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeListener('error', onError);
        socket.setNoDelay(true);
        resolve(new KafkaConnection(socket, name, opts.clientId ?? 'samsa-cli', opts));
      });
    });
  }

  /** Requests sent and waiting for a response. */
  get inFlight(): number { return this.#waiting.size; }

  get closed(): boolean { return this.#closed !== null; }

  /** Sends one request; resolves with the decoded response body (undefined when expectResponse is false). */
  request<T = Record<string, unknown>>(apiKey: number, version: number, body: object, opts: RequestOptions = {}): Promise<T> {
    if (this.#closed) return Promise.reject(this.#closed);
    const correlationId = this.#nextCorrelation;
    this.#nextCorrelation = (this.#nextCorrelation + 1) & 0x7fffffff;
    const frame = encodeRequest(apiKey, version, correlationId, this.clientId, body);
    if (opts.expectResponse === false) {
      const wrote = this.#write(frame);
      return (wrote ? Promise.resolve(undefined) : this.#drained()) as Promise<T>;
    }
    return new Promise<T>((resolve, reject) => {
      const timeoutMs = opts.timeoutMs ?? this.#requestTimeoutMs;
      const timer = timeoutMs > 0 ? setTimeout(() => this.#timeout(correlationId, timeoutMs), timeoutMs) : null;
      this.#waiting.set(correlationId, { apiKey, version, timer, resolve: resolve as (b: unknown) => void, reject });
      this.#write(frame);
    });
  }

  /** Sends raw bytes (malformed-request tests); a response to them is dropped. */
  writeRaw(bytes: Buffer): void {
    this.#write(bytes);
  }

  /** Closes at once; outstanding requests reject with SAMSA_CONNECTION_CLOSED. */
  close(): void {
    this.#fail(`connection to ${this.address} closed by this client`);
  }

  #write(bytes: Buffer): boolean {
    this.bytesOut += bytes.length;
    return this.#socket.write(bytes);
  }

  #drained(): Promise<void> {
    return new Promise((resolve, reject) => {
      const done = () => { this.#socket.removeListener('close', done); this.#socket.removeListener('drain', done); if (this.#closed) reject(this.#closed); else resolve(); };
      this.#socket.once('drain', done);
      this.#socket.once('close', done);
    });
  }

  #frameBuffer(size: number, ring: number): Buffer {
    let slot = this.#ring[this.#ringNext];
    if (slot === undefined || slot.length < size) slot = this.#ring[this.#ringNext] = Buffer.allocUnsafeSlow(Math.max(size, MIN_REUSED_FRAME));
    this.#ringNext = (this.#ringNext + 1) % ring;
    return slot;
  }

  #onFrame(frame: Buffer): void {
    if (frame.length < 4) {
      this.#fail(`bad response frame from ${this.address}: ${frame.length} bytes, shorter than a response header`);
      return;
    }
    const w = this.#waiting.get(frame.readInt32BE(0));
    if (!w) return;
    this.#waiting.delete(frame.readInt32BE(0));
    if (w.timer) clearTimeout(w.timer);
    try {
      w.resolve(decodeResponse(w.apiKey, w.version, frame).body);
    } catch (err) {
      w.reject(err as Error);
    }
  }

  #timeout(correlationId: number, timeoutMs: number): void {
    const w = this.#waiting.get(correlationId);
    if (!w) return;
    this.#waiting.delete(correlationId);
    const api = API_NAMES[w.apiKey] ?? `api key ${w.apiKey}`;
    w.reject(new KafkaConnectionError('SAMSA_REQUEST_TIMEOUT', `${api} v${w.version} to ${this.address} got no response within ${timeoutMs} ms; the connection is closed`));
    this.#fail(`connection to ${this.address} closed after a request timed out`);
  }

  #fail(message: string, cause?: unknown): void {
    if (this.#closed) return;
    this.#closed = new KafkaConnectionError('SAMSA_CONNECTION_CLOSED', message, cause === undefined ? undefined : { cause });
    for (const w of this.#waiting.values()) {
      if (w.timer) clearTimeout(w.timer);
      w.reject(this.#closed);
    }
    this.#waiting.clear();
    this.#socket.end();
    this.#socket.destroy();
  }
}
