// A tiny TCP proxy between a real client and the broker that understands Kafka framing:
// - it keeps the first request frame of each (api key, api version) the client sends (captured
//   frames seed protocol tests and fuzzing);
// - it can inject faults: `dropResponses(apiKey, n)` closes the client's connection instead of
//   forwarding the next n responses to that API (the broker HAS processed the request), which
//   makes producers retry a request that already succeeded (idempotence tests).
// Point the client's bootstrap at the proxy and start the broker with
// `advertised.listeners=PLAINTEXT://localhost:<proxy port>` so that the client's later
// connections (to the advertised address) also go through it.
//
// Saved frame format (ts/interop/frames/<api>-v<N>-<client>.bin): the request exactly as sent,
// WITHOUT the 4-byte size prefix, i.e. request header (apiKey int16, apiVersion int16,
// correlationId int32, clientId, [tagged fields]) followed by the body.
import net from 'node:net';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface CapturedFrame { apiKey: number; apiVersion: number; frame: Buffer }

/** Splits a byte stream into Kafka size-prefixed frames; calls `onFrame` with each payload. */
class FrameSplitter {
  #pending: Buffer = Buffer.alloc(0);
  constructor(private readonly onFrame: (payload: Buffer) => void) {}
  push(chunk: Buffer): void {
    this.#pending = this.#pending.length ? Buffer.concat([this.#pending, chunk]) : chunk;
    while (this.#pending.length >= 4) {
      const size = this.#pending.readInt32BE(0);
      if (size < 0 || this.#pending.length < 4 + size) break;
      this.onFrame(this.#pending.subarray(4, 4 + size));
      this.#pending = this.#pending.subarray(4 + size);
    }
  }
}

export class KafkaProxy {
  readonly frames = new Map<string, CapturedFrame>();
  /** Requests seen per api key (all connections). */
  readonly requestCounts = new Map<number, number>();
  target: { host: string; port: number } | null = null;
  #servers: net.Server[] = [];
  #sockets = new Set<net.Socket>();
  #drops = new Map<number, number>();
  droppedResponses = 0;
  port = 0;

  /** Starts listening on localhost (127.0.0.1 and, when available, ::1) on a free port. */
  static async listen(target?: { host: string; port: number }): Promise<KafkaProxy> {
    const proxy = new KafkaProxy();
    proxy.target = target ?? null;
    proxy.port = await proxy.#bind('127.0.0.1', 0);
    try { await proxy.#bind('::1', proxy.port); } catch { /* no IPv6 loopback: IPv4 only */ }
    return proxy;
  }

  /** Close the client connection instead of forwarding the next `count` responses to `apiKey`. */
  dropResponses(apiKey: number, count = 1): void {
    this.#drops.set(apiKey, (this.#drops.get(apiKey) ?? 0) + count);
  }

  #bind(host: string, port: number): Promise<number> {
    const server = net.createServer((s) => this.#onClient(s));
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host, port, ipv6Only: host.includes(':') }, () => {
        this.#servers.push(server);
        resolve((server.address() as net.AddressInfo).port);
      });
    });
  }

  #onClient(client: net.Socket): void {
    if (!this.target) { client.destroy(); return; }
    const upstream = net.connect(this.target.port, this.target.host);
    this.#sockets.add(client);
    this.#sockets.add(upstream);
    const inFlight = new Map<number, number>(); // correlationId -> apiKey
    const close = () => { client.destroy(); upstream.destroy(); this.#sockets.delete(client); this.#sockets.delete(upstream); };
    const requests = new FrameSplitter((frame) => {
      if (frame.length < 8) return;
      const apiKey = frame.readInt16BE(0);
      this.#record(apiKey, frame.readInt16BE(2), frame);
      inFlight.set(frame.readInt32BE(4), apiKey);
      this.requestCounts.set(apiKey, (this.requestCounts.get(apiKey) ?? 0) + 1);
    });
    const responses = new FrameSplitter((frame) => {
      if (client.destroyed) return;
      const correlationId = frame.length >= 4 ? frame.readInt32BE(0) : -1;
      const apiKey = inFlight.get(correlationId);
      inFlight.delete(correlationId);
      const drops = apiKey === undefined ? 0 : this.#drops.get(apiKey) ?? 0;
      if (drops > 0) {
        this.#drops.set(apiKey!, drops - 1);
        this.droppedResponses++;
        close();
        return;
      }
      const size = Buffer.allocUnsafe(4);
      size.writeInt32BE(frame.length, 0);
      client.write(Buffer.concat([size, frame]));
    });
    client.on('data', (chunk: Buffer) => { requests.push(chunk); upstream.write(chunk); });
    upstream.on('data', (chunk: Buffer) => responses.push(chunk));
    client.on('close', close);
    upstream.on('close', close);
    client.on('error', close);
    upstream.on('error', close);
  }

  #record(apiKey: number, apiVersion: number, frame: Buffer): void {
    const key = `${apiKey}-${apiVersion}`;
    if (!this.frames.has(key)) this.frames.set(key, { apiKey, apiVersion, frame: Buffer.from(frame) });
  }

  /** Writes every captured frame as `<api name>-v<N>-<client>.bin` into `dir`; returns the file names. */
  saveFrames(dir: string, client: string, apiName: (apiKey: number) => string): string[] {
    mkdirSync(dir, { recursive: true });
    const names: string[] = [];
    for (const { apiKey, apiVersion, frame } of this.frames.values()) {
      const name = `${apiName(apiKey)}-v${apiVersion}-${client}.bin`;
      writeFileSync(join(dir, name), frame);
      names.push(name);
    }
    return names.sort();
  }

  async close(): Promise<void> {
    for (const s of this.#sockets) s.destroy();
    await Promise.all(this.#servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
  }
}

/** `DescribeConfigs` → `describe-configs`. */
export function kebabApiName(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}
