// PerfConnection: one raw TCP connection to a broker for `samsa perf`, on the project's own codec
// (encodeRequest/decodeResponse) rather than a general client, so the load generator costs as
// little as possible per request.
//
// Concurrency contract: any number of requests may be in flight (pipelining); the broker answers
// in request order per connection, so pending requests wait in a FIFO and each response frame is
// matched to the head (its correlation id is checked). acks=0 Produce requests get no response
// and are never queued. A socket error or a close with requests pending rejects all of them.
//
// Framing reuses memory: a response frame that spans several socket chunks is assembled into one
// of RING reusable buffers instead of a fresh allocation (fresh multi-MB buffers cost a page
// fault per 4 KiB, which showed as the consume loop's top cost). So the Buffers inside a decoded
// response (Fetch `records`) stay valid only until RING - 1 further large responses have
// arrived: process a response before requesting the one after next (perf consume keeps one
// fetch in flight while it walks the previous one).
import net from 'node:net';
import { DEFAULT_MAX_FRAME_BYTES, FrameError } from '../../protocol/frame.js';
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
  static readonly RING = 3;
  readonly #ring: Buffer[] = [];
  #ringNext = 0;
  #partial: Buffer | null = null;
  #partialHave = 0;
  #partialSize = 0;
  readonly #sizeBuf = Buffer.allocUnsafe(4);
  #sizeHave = 0;
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
        this.#push(chunk);
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

  #frameBuffer(size: number): Buffer {
    let slot = this.#ring[this.#ringNext];
    if (slot === undefined || slot.length < size) slot = this.#ring[this.#ringNext] = Buffer.allocUnsafeSlow(Math.max(size, 1 << 20));
    this.#ringNext = (this.#ringNext + 1) % PerfConnection.RING;
    return slot;
  }

  #push(chunk: Buffer): void {
    let pos = 0;
    const len = chunk.length;
    while (pos < len) {
      if (this.#partial) {
        const take = Math.min(this.#partialSize - this.#partialHave, len - pos);
        chunk.copy(this.#partial, this.#partialHave, pos, pos + take);
        this.#partialHave += take;
        pos += take;
        if (this.#partialHave === this.#partialSize) {
          const frame = this.#partial.subarray(0, this.#partialSize);
          this.#partial = null;
          this.#onFrame(frame);
        }
        continue;
      }
      let size: number;
      if (this.#sizeHave === 0 && len - pos >= 4) {
        size = chunk.readInt32BE(pos);
        pos += 4;
      } else {
        while (this.#sizeHave < 4 && pos < len) this.#sizeBuf[this.#sizeHave++] = chunk[pos++]!;
        if (this.#sizeHave < 4) return;
        this.#sizeHave = 0;
        size = this.#sizeBuf.readInt32BE(0);
      }
      if (size < 0) throw new FrameError('FRAME_NEGATIVE_SIZE', size, DEFAULT_MAX_FRAME_BYTES);
      if (size > DEFAULT_MAX_FRAME_BYTES) throw new FrameError('FRAME_TOO_LARGE', size, DEFAULT_MAX_FRAME_BYTES);
      if (len - pos >= size) {
        const frame = chunk.subarray(pos, pos + size);
        pos += size;
        this.#onFrame(frame);
      } else {
        this.#partial = this.#frameBuffer(size);
        this.#partialHave = 0;
        this.#partialSize = size;
      }
    }
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
