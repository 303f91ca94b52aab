// A tiny TCP proxy between a real client and the broker that keeps the first request frame of
// each (api key, api version) the client sends. Point the client's bootstrap at the proxy and
// start the broker with `advertised.listeners=PLAINTEXT://localhost:<proxy port>` so that the
// client's later connections (to the advertised address) also go through it.
//
// Saved frame format (ts/interop/frames/<api>-v<N>-<client>.bin): the request exactly as sent,
// WITHOUT the 4-byte size prefix, i.e. request header (apiKey int16, apiVersion int16,
// correlationId int32, clientId, [tagged fields]) followed by the body.
import net from 'node:net';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface CapturedFrame { apiKey: number; apiVersion: number; frame: Buffer }

export class FrameRecorder {
  readonly frames = new Map<string, CapturedFrame>();
  target: { host: string; port: number } | null = null;
  #servers: net.Server[] = [];
  #sockets = new Set<net.Socket>();
  port = 0;

  /** Starts listening on localhost (127.0.0.1 and, when available, ::1) on a free port. */
  static async listen(): Promise<FrameRecorder> {
    const rec = new FrameRecorder();
    rec.port = await rec.#bind('127.0.0.1', 0);
    try { await rec.#bind('::1', rec.port); } catch { /* no IPv6 loopback: IPv4 only */ }
    return rec;
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
    let pending: Buffer = Buffer.alloc(0);
    client.on('data', (chunk: Buffer) => {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      while (pending.length >= 4) {
        const size = pending.readInt32BE(0);
        if (size < 4 || pending.length < 4 + size) break;
        this.#record(pending.subarray(4, 4 + size));
        pending = pending.subarray(4 + size);
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => client.write(chunk));
    const close = () => { client.destroy(); upstream.destroy(); this.#sockets.delete(client); this.#sockets.delete(upstream); };
    client.on('close', close);
    upstream.on('close', close);
    client.on('error', close);
    upstream.on('error', close);
  }

  #record(frame: Buffer): void {
    const apiKey = frame.readInt16BE(0);
    const apiVersion = frame.readInt16BE(2);
    const key = `${apiKey}-${apiVersion}`;
    if (!this.frames.has(key)) this.frames.set(key, { apiKey, apiVersion, frame: Buffer.from(frame) });
  }

  /** Writes every captured frame as `<api name>-v<N>-<client>.bin` into `dir`; returns the file names. */
  save(dir: string, client: string, apiName: (apiKey: number) => string): string[] {
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
