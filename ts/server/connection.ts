// Connection: one client socket: frames in, handlers dispatched, responses out in request order.
//
// Pipeline per frame (Kafka SocketServer + RequestChannel semantics, but MANY requests in flight):
//   1. size check (FrameDecoder, pull mode): negative or > socket.request.max.bytes → log reason, close.
//   2. header: apiKey/apiVersion/correlationId/clientId.
//      - api key with no schema, or a version outside the schema → log, close (Kafka's
//        SocketServer.parseRequestHeader throws InvalidRequestException; no response).
//      - EXCEPT ApiVersions above our schema → v0 body, UNSUPPORTED_VERSION, with our
//        ApiVersions range (KIP-511), response header v0; the client retries at our max.
//   3. body decode; a ProtocolError (truncated, bad length...) or bytes left over after the
//      body → log api/version/field, close.
//   4. a version the registry does not serve (unadvertised, or Produce v0-2 advertised but
//      refused) → that API's error response with UNSUPPORTED_VERSION (error-response.ts).
//   5. a slot is reserved in the ResponseWriter (arrival order) and the handler runs; its result
//      is encoded and fills the slot. `null` → nothing is sent (Produce acks=0).
// Reads: each socket is read into one reused 64 KiB buffer (readIntoReusedBuffer, no ArrayBuffer
// per read: those drove old-generation GCs); the FrameDecoder copies what it keeps of it.
// Frames that span socket chunks are assembled in FrameBufferPool buffers; only a Produce frame
// with acks != 0 goes back to the pool, after its response is built (frame-buffer-pool.ts).
// Backpressure: frames are split only while in-flight requests < queued.max.requests, buffered
// response bytes < maxBufferedResponseBytes and in-flight request bytes < maxInFlightRequestBytes;
// otherwise the socket is paused (TCP pushes back on the client) and resumes as responses drain.
// A client that floods and never reads thus holds at most those bounds in broker memory.
//
// Lifecycle: open → (drain(): stop reading, answer what is in flight, end) → closed. close() is
// immediate. Errors on one connection never touch the broker or other connections.
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import { decode } from '../protocol/codec.js';
import { ApiKey, API_NAMES } from '../protocol/generated/api-keys.js';
import { REQUEST_SCHEMAS, RESPONSE_SCHEMAS } from '../protocol/generated/schemas.js';
import { readRequestHeader, type RequestHeader } from '../protocol/headers.js';
import { encodeResponse } from '../protocol/messages-io.js';
import { Reader } from '../protocol/primitives/reader.js';
import type { ApiRegistry } from './api-registry.js';
import type { Broker } from './broker.js';
import { buildErrorResponse } from './error-response.js';
import { expandPieces } from './fetch-plan.js';
import type { ConnectionInfo, RequestContext } from './handler.js';
import { FrameDecoder } from '../protocol/frame.js';
import { frameBufferPool } from './frame-buffer-pool.js';
import { ResponseWriter, type OutgoingResponse, type Slot, type ZeroCopySender } from './response-writer.js';

const UNSUPPORTED_VERSION = 35;
/** Bytes per socket read (Node's own read size). */
const READ_BUFFER_BYTES = 64 * 1024;
const UNKNOWN_SERVER_ERROR = -1;

export interface ConnectionLimits {
  /** socket.request.max.bytes */
  maxRequestBytes: number;
  /** queued.max.requests: in-flight requests per connection before reading pauses. */
  queuedMaxRequests: number;
  /** Bytes of responses waiting to be sent before reading pauses. */
  maxBufferedResponseBytes: number;
  /** Bytes of requests being handled before reading pauses (at least one request always runs). */
  maxInFlightRequestBytes: number;
}

export interface ConnectionDeps {
  broker: Broker;
  apis: ApiRegistry;
  logger: Logger;
  limits: ConnectionLimits;
  zeroCopy: ZeroCopySender | null;
  /** Maps a thrown error to a Kafka error code (protocol's errorCodeOf). */
  errorCodeOf: (err: unknown) => number;
  onClose?: (conn: Connection) => void;
}

let nextConnectionId = 1;

export class Connection {
  readonly info: ConnectionInfo;
  readonly #socket: Socket;
  readonly #deps: ConnectionDeps;
  readonly #frames: FrameDecoder;
  readonly #writer: ResponseWriter;
  readonly #log: Logger;
  #inFlightBytes = 0;
  #paused = false;
  #draining = false;
  #closed = false;
  /** Requests dispatched (for tests/metrics). */
  requests = 0;

  constructor(socket: Socket, listenerName: string, deps: ConnectionDeps) {
    this.#socket = socket;
    this.#deps = deps;
    this.info = {
      id: nextConnectionId++,
      listenerName,
      remoteAddress: socket.remoteAddress ?? '',
      remotePort: socket.remotePort ?? 0,
    };
    this.#log = deps.logger.child({ conn: this.info.id, remote: `${this.info.remoteAddress}:${this.info.remotePort}` });
    this.#frames = new FrameDecoder(deps.limits.maxRequestBytes, { frameBuffer: (size) => frameBufferPool.take(size) });
    this.#writer = new ResponseWriter(socket, {
      zeroCopy: deps.zeroCopy,
      onProgress: () => this.#maybeResume(),
      onError: (err) => this.close(`response send failed: ${err.message}`),
    });
    const reading = readIntoReusedBuffer(socket, READ_BUFFER_BYTES, (chunk) => {
      this.#frames.append(chunk, true);
      this.#processFrames();
      this.#frames.retain();
      return !this.#paused;
    });
    if (!reading) {
      socket.on('data', (chunk: Buffer) => {
        this.#frames.append(chunk);
        this.#processFrames();
      });
    }
    socket.on('error', (err) => this.close(`socket error: ${err.message}`, 'debug'));
    socket.on('close', () => this.close('peer closed', 'trace'));
    socket.on('end', () => {
      // Half-close from the client: answer what is in flight, then close.
      void this.#writer.idle().then(() => this.close('peer ended', 'trace'));
    });
  }

  get closed(): boolean {
    return this.#closed;
  }

  get writer(): ResponseWriter {
    return this.#writer;
  }

  close(reason: string, level: 'warn' | 'debug' | 'trace' = 'warn'): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#log[level]({ reason }, `closing connection: ${reason}`);
    this.#writer.destroy();
    this.#socket.destroy();
    this.#deps.onClose?.(this);
  }

  /** Stop reading new requests, send the responses of those in flight, then close. */
  async drain(timeoutMs: number): Promise<void> {
    if (this.#closed) return;
    this.#draining = true;
    this.#socket.pause();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.#writer.idle(),
      new Promise<void>((r) => { timer = setTimeout(r, timeoutMs); }),
    ]);
    clearTimeout(timer);
    if (!this.#closed) {
      this.#closed = true;
      this.#socket.end();
      this.#socket.destroySoon();
      this.#deps.onClose?.(this);
    }
  }

  #overLimits(): boolean {
    const l = this.#deps.limits;
    return (
      this.#writer.pending >= l.queuedMaxRequests ||
      this.#writer.bufferedBytes >= l.maxBufferedResponseBytes ||
      (this.#inFlightBytes > 0 && this.#inFlightBytes >= l.maxInFlightRequestBytes)
    );
  }

  #maybeResume(): void {
    if (this.#paused && !this.#closed && !this.#draining && !this.#overLimits()) {
      this.#paused = false;
      this.#socket.resume();
      this.#processFrames();
    }
  }

  #processFrames(): void {
    while (!this.#closed && !this.#draining) {
      if (this.#overLimits()) {
        if (!this.#paused) {
          this.#paused = true;
          this.#socket.pause();
        }
        return;
      }
      let frame: Buffer | null;
      try {
        frame = this.#frames.next();
      } catch (err) {
        this.close((err as Error).message);
        return;
      }
      if (!frame) return;
      this.#handleFrame(frame);
    }
  }

  #handleFrame(frame: Buffer): void {
    if (frame.length < 8) {
      this.close(`malformed request: frame of ${frame.length} bytes is shorter than a request header`);
      return;
    }
    const apiKey = frame.readInt16BE(0);
    const apiVersion = frame.readInt16BE(2);
    const reqSchema = REQUEST_SCHEMAS[apiKey];
    const name = API_NAMES[apiKey] ?? `api key ${apiKey}`;
    if (!reqSchema) {
      this.close(`unknown api key ${apiKey} (version ${apiVersion}): not a request this broker knows`);
      return;
    }
    const [schemaMin, schemaMax] = reqSchema.versions;
    const r = new Reader(frame);
    let header: RequestHeader;
    if (apiVersion < schemaMin || apiVersion > schemaMax) {
      if (apiKey === ApiKey.ApiVersions && apiVersion > schemaMax) {
        try {
          header = readRequestHeader(r, false);
        } catch (err) {
          this.close(`malformed ApiVersions v${apiVersion} header: ${(err as Error).message}`);
          return;
        }
        this.#answerUnsupportedApiVersions(header);
        return;
      }
      this.close(`${name} v${apiVersion} is outside the versions this broker can parse (${schemaMin}-${schemaMax})`);
      return;
    }
    let body: Record<string, unknown>;
    try {
      header = readRequestHeader(r);
      body = decode(reqSchema, apiVersion, r);
      if (r.remaining !== 0) {
        throw new Error(`${name}Request v${apiVersion}: ${r.remaining} unexpected bytes after the request body`);
      }
    } catch (err) {
      this.close(`malformed request (${name} v${apiVersion}): ${(err as Error).message}`);
      return;
    }
    this.requests++;
    const slot = this.#writer.reserve();
    if (!this.#deps.apis.serves(apiKey, apiVersion)) {
      const errBody = buildErrorResponse(RESPONSE_SCHEMAS[apiKey]!, apiVersion, body, UNSUPPORTED_VERSION);
      this.#fill(slot, header, errBody, []);
      return;
    }
    this.#dispatch(slot, header, body, frame);
  }

  #dispatch(slot: Slot, header: RequestHeader, body: Record<string, unknown>, frame: Buffer): void {
    const bytes = frame.length;
    const handler = this.#deps.apis.get(header.apiKey)!;
    const releases: Array<() => void> = [];
    const ctx: RequestContext = {
      broker: this.#deps.broker,
      apiKey: header.apiKey,
      apiVersion: header.apiVersion,
      correlationId: header.correlationId,
      clientId: header.clientId,
      connection: this.info,
      logger: this.#log,
      onSent: (fn) => releases.push(fn),
    };
    this.#inFlightBytes += bytes;
    let result: unknown;
    try {
      result = handler.handle(body, ctx);
    } catch (err) {
      result = Promise.reject(err);
    }
    const done = (res: unknown) => {
      this.#inFlightBytes -= bytes;
      if (res === null) {
        runAll(releases);
        this.#writer.fill(slot, null);
      } else {
        this.#fill(slot, header, res as object, releases);
        // The Produce response is built: the batches are written (acks=1/-1), nothing holds the
        // frame's bytes any more, so its buffer (when pooled) can take the next request.
        if (header.apiKey === ApiKey.Produce && body.acks !== 0) frameBufferPool.give(frame);
      }
      this.#maybeResume();
    };
    const failed = (err: unknown) => {
      const code = this.#deps.errorCodeOf(err);
      if (code === UNKNOWN_SERVER_ERROR) {
        this.#log.error({ err, api: API_NAMES[header.apiKey], version: header.apiVersion }, 'handler failed');
      }
      runAll(releases);
      releases.length = 0;
      done(buildErrorResponse(RESPONSE_SCHEMAS[header.apiKey]!, header.apiVersion, body, code));
    };
    if (result instanceof Promise) result.then(done, failed);
    else done(result);
  }

  #fill(slot: Slot, header: RequestHeader, body: object, releases: Array<() => void>): void {
    let out: OutgoingResponse;
    try {
      const encoded = encodeResponse(header.apiKey, header.apiVersion, header.correlationId, body);
      out = {
        pieces: Buffer.isBuffer(encoded) ? [encoded] : expandPieces(encoded),
        release: releases.length ? () => runAll(releases) : undefined,
      };
    } catch (err) {
      runAll(releases);
      this.#log.error({ err, api: API_NAMES[header.apiKey], version: header.apiVersion }, 'response encoding failed');
      this.close(`cannot encode ${API_NAMES[header.apiKey]} v${header.apiVersion} response: ${(err as Error).message}`, 'warn');
      return;
    }
    this.#writer.fill(slot, out);
  }

  #answerUnsupportedApiVersions(header: RequestHeader): void {
    const slot = this.#writer.reserve();
    const range = this.#deps.apis.range(ApiKey.ApiVersions);
    const body = {
      errorCode: UNSUPPORTED_VERSION,
      apiKeys: range ? [{ apiKey: ApiKey.ApiVersions, minVersion: range.minVersion, maxVersion: range.maxVersion }] : [],
    };
    const encoded = encodeResponse(ApiKey.ApiVersions, 0, header.correlationId, body) as Buffer;
    this.#writer.fill(slot, { pieces: [encoded] });
  }
}

/**
 * Makes an accepted socket read into one reused buffer (net.Socket's `onread` mode, which Node
 * offers only to sockets it connects itself) instead of a fresh 64 KiB ArrayBuffer per read.
 * Those per-read buffers count as V8 external memory: at ~100 MB/s of produce they started an
 * old-generation GC about 3-4 times a second (1-9 ms pauses each plus incremental steps on the
 * loop), the largest source of produce tail latency (bench/README.md, "produce p99"). `onChunk`
 * gets a view valid only until it returns (it must copy what it keeps) and returns false to stop
 * reading (socket.pause()/resume() keep working). Returns false, changing nothing, when this
 * Node's socket internals are not the ones expected (then use the 'data' event).
 */
export function readIntoReusedBuffer(socket: Socket, size: number, onChunk: (chunk: Buffer) => boolean): boolean {
  const handle = (socket as unknown as { _handle?: { useUserBuffer?: (b: Uint8Array) => void } })._handle;
  const sym = (name: string) => Object.getOwnPropertySymbols(socket).find((k) => k.description === name);
  const kBuffer = sym('kBuffer'), kBufferCb = sym('kBufferCb'), kBufferGen = sym('kBufferGen');
  if (!handle || typeof handle.useUserBuffer !== 'function' || !kBuffer || !kBufferCb || !kBufferGen) return false;
  if ((socket as { encrypted?: boolean }).encrypted) return false; // TLS: not checked, keep 'data'
  const s = socket as unknown as Record<symbol, unknown>;
  if (s[kBuffer] !== null || s[kBufferCb] !== null) return false; // already in onread mode
  const buf = Buffer.allocUnsafeSlow(size);
  s[kBuffer] = buf;
  s[kBufferCb] = (nread: number, b: Buffer) => onChunk(b.subarray(0, nread));
  s[kBufferGen] = null;
  handle.useUserBuffer(buf);
  return true;
}

function runAll(fns: Array<() => void>): void {
  for (const fn of fns.splice(0)) {
    try {
      fn();
    } catch {
      /* a release must not break the connection */
    }
  }
}
