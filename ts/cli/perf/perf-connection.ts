// PerfConnection: one raw TCP connection to a broker for `samsa perf`, on the project's own codec
// (encodeRequest/decodeResponse) rather than a general client, so the load generator costs as
// little as possible per request.
//
// Concurrency contract: any number of requests may be in flight (pipelining); the broker answers
// in request order per connection, so pending requests wait in a FIFO and each response frame is
// matched to the head (its correlation id is checked). acks=0 Produce requests get no response
// and are never queued. A socket error or a close with requests pending rejects all of them.
import net from 'node:net';
import { FrameDecoder } from '../../protocol/frame.js';
import { decodeResponse, encodeRequest } from '../../protocol/messages-io.js';

interface Pending {
  apiKey: number;
  version: number;
  correlationId: number;
  resolve: (body: unknown) => void;
  reject: (err: Error) => void;
}

export class PerfConnectionError extends Error {
  readonly code = 'SAMSA_PERF_CONNECTION' as const;
  constructor(message: string) {
    super(message);
    this.name = 'PerfConnectionError';
  }
}

/** Splits 'host:port' or '[v6]:port'. */
export function parseHostPort(s: string): { host: string; port: number } {
  const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(s.trim());
  if (!m) throw new PerfConnectionError(`bootstrap server '${s}' is not host:port; pass e.g. --bootstrap-server localhost:9092`);
  return { host: m[1]!, port: Number(m[2]) };
}

export class PerfConnection {
  readonly #socket: net.Socket;
  readonly #decoder = new FrameDecoder();
  readonly #pending: Pending[] = [];
  #head = 0;
  #nextCorrelationId = 1;
  #failure: Error | null = null;
  /** Bytes written to the socket (request frames). */
  bytesOut = 0;

  private constructor(socket: net.Socket) {
    this.#socket = socket;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      try {
        this.#decoder.push(chunk, (payload) => this.#onFrame(payload));
      } catch (err) {
        this.#fail(err as Error);
      }
    });
    socket.on('error', (err) => this.#fail(new PerfConnectionError(`connection to the broker failed: ${err.message}`)));
    socket.on('close', () => this.#fail(new PerfConnectionError('the broker closed the connection with requests pending')));
  }

  static connect(bootstrap: string): Promise<PerfConnection> {
    const { host, port } = parseHostPort(bootstrap);
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port });
      socket.once('connect', () => { socket.removeListener('error', reject); resolve(new PerfConnection(socket)); });
      socket.once('error', (err) => reject(new PerfConnectionError(`cannot connect to ${bootstrap}: ${err.message}; is a broker running there?`)));
    });
  }

  get inFlight(): number { return this.#pending.length - this.#head; }

  /** Sends a request; resolves with the decoded response body (never for acks=0 Produce: pass expectResponse=false). */
  request<T>(apiKey: number, version: number, body: object, expectResponse = true): Promise<T> {
    if (this.#failure) return Promise.reject(this.#failure);
    const correlationId = this.#nextCorrelationId++;
    const frame = encodeRequest(apiKey, version, correlationId, 'samsa-perf', body);
    this.bytesOut += frame.length;
    const wrote = this.#socket.write(frame);
    if (!expectResponse) return (wrote ? Promise.resolve(undefined) : this.#drained()) as Promise<T>;
    return new Promise<T>((resolve, reject) => {
      this.#pending.push({ apiKey, version, correlationId, resolve: resolve as (b: unknown) => void, reject });
    });
  }

  #drained(): Promise<void> {
    return new Promise((resolve) => this.#socket.once('drain', () => resolve()));
  }

  #onFrame(payload: Buffer): void {
    const p = this.#pending[this.#head];
    if (p === undefined) throw new PerfConnectionError('the broker sent a response to no request');
    this.#pending[this.#head++] = undefined as unknown as Pending;
    if (this.#head > 1024 && this.#head * 2 > this.#pending.length) {
      this.#pending.splice(0, this.#head);
      this.#head = 0;
    }
    const res = decodeResponse(p.apiKey, p.version, payload);
    if (res.correlationId !== p.correlationId) {
      throw new PerfConnectionError(`response correlation id ${res.correlationId} does not match request ${p.correlationId}`);
    }
    p.resolve(res.body);
  }

  #fail(err: Error): void {
    if (this.#failure) return;
    this.#failure = err;
    for (let i = this.#head; i < this.#pending.length; i++) this.#pending[i]!.reject(err);
    this.#pending.length = 0;
    this.#head = 0;
    this.#socket.destroy();
  }

  close(): void {
    this.#failure ??= new PerfConnectionError('connection closed');
    this.#socket.end();
    this.#socket.destroy();
  }
}
