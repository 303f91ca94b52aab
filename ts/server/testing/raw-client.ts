// RawClient: a minimal Kafka wire client for server tests: sends encoded requests or hand-made
// bytes, and returns response frames in arrival order. It never hides what the broker did: a
// closed connection is visible (`closed`), frames are returned raw or decoded on request.
import * as net from 'node:net';
import { encodeRequest, decodeResponse } from '../../protocol/messages-io.js';

export class RawClient {
  readonly socket: net.Socket;
  #buf: Buffer = Buffer.alloc(0);
  #frames: Buffer[] = [];
  #waiters: Array<() => void> = [];
  #nextCorrelation = 1;
  readonly closed: Promise<void>;
  isClosed = false;

  private constructor(socket: net.Socket) {
    this.socket = socket;
    socket.on('data', (d: Buffer) => {
      this.#buf = this.#buf.length ? Buffer.concat([this.#buf, d]) : d;
      while (this.#buf.length >= 4) {
        const size = this.#buf.readInt32BE(0);
        if (this.#buf.length < 4 + size) break;
        this.#frames.push(this.#buf.subarray(4, 4 + size));
        this.#buf = this.#buf.subarray(4 + size);
      }
      this.#wake();
    });
    socket.on('error', () => {});
    this.closed = new Promise((resolve) => socket.on('close', () => {
      this.isClosed = true;
      this.#wake();
      resolve();
    }));
  }

  static connect(port: number, host = '127.0.0.1'): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const s = net.connect({ port, host }, () => resolve(new RawClient(s)));
      s.once('error', reject);
    });
  }

  #wake(): void {
    for (const w of this.#waiters.splice(0)) w();
  }

  /** Sends a request; returns its correlation id. */
  send(apiKey: number, apiVersion: number, body: object, correlationId = this.#nextCorrelation++): number {
    this.socket.write(encodeRequest(apiKey, apiVersion, correlationId, 'raw-test', body));
    return correlationId;
  }

  sendRaw(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** The next response frame (without size), or null if the connection closed first. */
  async nextFrame(timeoutMs = 10_000): Promise<Buffer | null> {
    const deadline = Date.now() + timeoutMs;
    while (this.#frames.length === 0) {
      if (this.isClosed) return null;
      if (Date.now() > deadline) throw new Error(`no response within ${timeoutMs} ms`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, Math.max(1, deadline - Date.now()));
        this.#waiters.push(() => { clearTimeout(t); r(); });
      });
    }
    return this.#frames.shift()!;
  }

  /** Next response decoded as (apiKey, apiVersion). */
  async next<T = Record<string, unknown>>(apiKey: number, apiVersion: number, timeoutMs?: number): Promise<{ correlationId: number; body: T }> {
    const frame = await this.nextFrame(timeoutMs);
    if (!frame) throw new Error('connection closed before a response arrived');
    return decodeResponse<T>(apiKey, apiVersion, frame);
  }

  /** Send and wait for the response (only when nothing else is in flight). */
  async request<T = Record<string, unknown>>(apiKey: number, apiVersion: number, body: object): Promise<T> {
    const id = this.send(apiKey, apiVersion, body);
    const res = await this.next<T>(apiKey, apiVersion);
    if (res.correlationId !== id) throw new Error(`correlation id ${res.correlationId}, expected ${id}`);
    return res.body;
  }

  /** Frames already received and not yet taken. */
  get pendingFrames(): number {
    return this.#frames.length;
  }

  close(): void {
    this.socket.destroy();
  }
}

/** A request frame built by hand: size, apiKey, apiVersion, correlationId, clientId, then `body` bytes. */
export function handFrame(apiKey: number, apiVersion: number, correlationId: number, body: Buffer = Buffer.alloc(0), clientId = 'hand'): Buffer {
  const id = Buffer.from(clientId);
  const head = Buffer.alloc(4 + 2 + 2 + 4 + 2);
  head.writeInt32BE(2 + 2 + 4 + 2 + id.length + body.length, 0);
  head.writeInt16BE(apiKey, 4);
  head.writeInt16BE(apiVersion, 6);
  head.writeInt32BE(correlationId, 8);
  head.writeInt16BE(id.length, 12);
  return Buffer.concat([head, id, body]);
}
