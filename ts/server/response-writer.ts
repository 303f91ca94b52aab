// ResponseWriter: writes a connection's responses strictly in request order.
//
// Kafka answers requests of one connection in the order they arrived (clients match responses
// by position as much as by correlation id). Handlers here finish out of order (a Fetch long-poll
// waits, a Produce with acks=-1 waits for the append, a Metadata returns at once), so every
// request reserves a slot at arrival, in order; a slot is filled when its handler finishes; the
// writer sends the head slots that are filled and stops at the first unfilled one.
//
// A response is a list of pieces: Buffers and file regions (fd, position, length) from the log.
// - Only Buffers → written through Node (`socket.write`, corked per response).
// - With regions, on a socket whose fd we can reach and when a zero-copy sender is installed →
//   wait until everything earlier is in the kernel (Node's writableLength 0: a write that libuv
//   completed at once leaves it 0 before its callback runs), then hand all pieces to the sender
//   (native writev + sendfile). The sender first writes on the loop what the socket takes; when
//   that is all of it (`completed`) the pump goes straight on to the next slot, with no thread
//   hop or promise. Otherwise the rest runs on the pool, and while it runs NOTHING is written
//   through Node. When it ends the regions are released (their fd refs held the segment open
//   even if retention deleted it meanwhile).
// - Otherwise (TLS later, no fd) the regions are read into Buffers and written through Node.
// A slot filled with `null` sends nothing (Produce acks=0) but still keeps its place in line.
//
// Memory: responses are handed to Node only while its buffer holds less than highWaterMark; a
// client that stops reading therefore pins at most that plus the responses waiting in slots
// (file regions cost no memory until they are read, and they are read only at the head).
//
// Concurrency: one async step (zero-copy send or region read) at a time per connection; `busy`
// guards it. destroy() releases every pending response and cancels an in-flight send.
import { read as readCb } from 'node:fs';
import type { Socket } from 'node:net';

export interface RegionPiece {
  readonly fd: number;
  readonly position: number;
  readonly length: number;
}

export type WirePiece = Buffer | RegionPiece;

export interface OutgoingResponse {
  pieces: WirePiece[];
  /** Called exactly once when the pieces are no longer needed (sent, or connection gone). */
  release?: () => void;
}

/** Sends pieces on a non-blocking socket fd without going through Node (native send plan). */
export type ZeroCopySender = (fd: number, pieces: WirePiece[]) => ZeroCopyPlan;

/** A started send. `completed`: every byte already went out inside the sender call. */
export interface ZeroCopyPlan {
  promise: Promise<unknown>;
  cancel(): void;
  completed?: boolean;
}

export interface Slot {
  readonly id: number;
}

interface SlotState extends Slot {
  ready: boolean;
  response: OutgoingResponse | null;
  bytes: number;
}

export function isRegion(p: WirePiece): p is RegionPiece {
  return !Buffer.isBuffer(p);
}

export function piecesLength(pieces: readonly WirePiece[]): number {
  let n = 0;
  for (const p of pieces) n += p.length;
  return n;
}

function readRegion(r: RegionPiece): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(r.length);
  return new Promise((resolve, reject) => {
    let done = 0;
    const step = () =>
      readCb(r.fd, buf, done, r.length - done, r.position + done, (err, n) => {
        if (err) return reject(err);
        if (n === 0) return reject(new Error(`file region ended early: ${done} of ${r.length} bytes at ${r.position}`));
        done += n;
        if (done === r.length) resolve(buf);
        else step();
      });
    step();
  });
}

/** The socket's OS fd when it is a plain TCP socket, else -1. */
export function socketFd(socket: Socket): number {
  if ((socket as { encrypted?: boolean }).encrypted) return -1;
  const handle = (socket as unknown as { _handle?: { fd?: number } })._handle;
  return typeof handle?.fd === 'number' && handle.fd >= 0 ? handle.fd : -1;
}

export interface ResponseWriterOptions {
  zeroCopy?: ZeroCopySender | null;
  /** Called after progress (slots written, bytes drained) so the reader can resume. */
  onProgress?: () => void;
  /** A send failed: the connection must be closed. */
  onError?: (err: Error) => void;
  /** Stop handing responses to Node while it buffers more than this (default 1 MiB); resume on drain. */
  highWaterMark?: number;
}

export class ResponseWriter {
  readonly #socket: Socket;
  readonly #opts: ResponseWriterOptions;
  readonly #slots: SlotState[] = [];
  #nextId = 0;
  #queuedBytes = 0;
  #pendingWrites = 0;
  #flushWaiters: Array<() => void> = [];
  #idleWaiters: Array<() => void> = [];
  #busy = false;
  #destroyed = false;
  #cancel: (() => void) | null = null;
  /** Responses sent through the zero-copy path (for tests and metrics). */
  zeroCopySends = 0;
  /** Of those, the ones that went out entirely on the loop (no pool job). */
  zeroCopyInline = 0;

  constructor(socket: Socket, opts: ResponseWriterOptions = {}) {
    this.#socket = socket;
    this.#opts = opts;
    socket.on('drain', () => this.#pump());
  }

  /** Requests whose response is not fully handed to the socket yet. */
  get pending(): number {
    return this.#slots.length + (this.#busy ? 1 : 0);
  }

  /** Bytes of finished responses waiting their turn plus bytes Node still buffers. */
  get bufferedBytes(): number {
    return this.#queuedBytes + this.#socket.writableLength;
  }

  reserve(): Slot {
    const slot: SlotState = { id: this.#nextId++, ready: false, response: null, bytes: 0 };
    this.#slots.push(slot);
    return slot;
  }

  /** Fill a slot; `null` = no response (acks=0). */
  fill(slot: Slot, response: OutgoingResponse | null): void {
    const s = slot as SlotState;
    if (this.#destroyed) {
      response?.release?.();
      return;
    }
    s.ready = true;
    s.response = response;
    s.bytes = response ? piecesLength(response.pieces) : 0;
    this.#queuedBytes += s.bytes;
    this.#pump();
  }

  /** Resolves when every reserved slot has been written and Node's buffer is flushed. */
  idle(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.#cancel?.();
    for (const s of this.#slots) s.response?.release?.();
    this.#slots.length = 0;
    this.#queuedBytes = 0;
    for (const w of this.#flushWaiters.splice(0)) w();
    for (const w of this.#idleWaiters.splice(0)) w();
  }

  #isIdle(): boolean {
    return this.#destroyed || (this.#slots.length === 0 && !this.#busy && this.#pendingWrites === 0);
  }

  #pump(): void {
    const highWater = this.#opts.highWaterMark ?? 1024 * 1024;
    while (!this.#busy && !this.#destroyed && this.#slots.length > 0 && this.#slots[0].ready) {
      // Node's buffer is full (slow reader): wait for 'drain' rather than queue more in memory.
      if (this.#socket.writableLength > highWater) break;
      const slot = this.#slots.shift()!;
      this.#queuedBytes -= slot.bytes;
      const res = slot.response;
      if (!res) continue;
      if (!res.pieces.some(isRegion)) {
        this.#writeBuffers(res.pieces as Buffer[]);
        res.release?.();
        continue;
      }
      if (this.#tryInline(res)) continue;
      this.#busy = true;
      this.#sendWithRegions(res).then(
        () => {
          this.#busy = false;
          this.#pump();
        },
        (err: Error) => {
          this.#busy = false;
          this.#opts.onError?.(err);
          this.destroy();
        },
      );
    }
    this.#opts.onProgress?.();
    this.#checkIdle();
  }

  #checkIdle(): void {
    if (this.#isIdle()) for (const w of this.#idleWaiters.splice(0)) w();
  }

  #writeBuffers(bufs: Buffer[]): void {
    const socket = this.#socket;
    if (socket.destroyed) return;
    socket.cork();
    for (const b of bufs) {
      if (b.length === 0) continue;
      this.#pendingWrites++;
      socket.write(b, () => this.#writeDone());
    }
    socket.uncork();
  }

  #writeDone(): void {
    this.#pendingWrites--;
    if (this.#pendingWrites === 0) {
      for (const w of this.#flushWaiters.splice(0)) w();
      this.#checkIdle();
    }
    this.#opts.onProgress?.();
  }

  /** Zero-copy send started synchronously when Node holds no bytes; true when it completed. */
  #tryInline(res: OutgoingResponse): boolean {
    const zeroCopy = this.#opts.zeroCopy;
    if (!zeroCopy || this.#socket.writableLength !== 0 || this.#socket.destroyed) return false;
    const fd = socketFd(this.#socket);
    if (fd < 0) return false;
    const plan = zeroCopy(fd, res.pieces);
    if (plan.completed) {
      this.zeroCopySends++;
      this.zeroCopyInline++;
      res.release?.();
      return true;
    }
    this.#busy = true;
    this.#cancel = plan.cancel;
    plan.promise.then(
      () => {
        this.#cancel = null;
        this.zeroCopySends++;
        res.release?.();
        this.#busy = false;
        this.#pump();
      },
      (err: Error) => {
        this.#cancel = null;
        res.release?.();
        this.#busy = false;
        this.#opts.onError?.(err);
        this.destroy();
      },
    );
    return true;
  }

  #flushed(): Promise<void> {
    if (this.#socket.writableLength === 0) return Promise.resolve();
    return new Promise((resolve) => this.#flushWaiters.push(resolve));
  }

  async #sendWithRegions(res: OutgoingResponse): Promise<void> {
    try {
      const fd = socketFd(this.#socket);
      const zeroCopy = this.#opts.zeroCopy;
      if (zeroCopy && fd >= 0) {
        await this.#flushed();
        if (this.#destroyed || this.#socket.destroyed) return;
        const plan = zeroCopy(fd, res.pieces);
        this.#cancel = plan.cancel;
        try {
          await plan.promise;
        } finally {
          this.#cancel = null;
        }
        this.zeroCopySends++;
        return;
      }
      const bufs: Buffer[] = [];
      for (const p of res.pieces) bufs.push(isRegion(p) ? await readRegion(p) : p);
      if (!this.#destroyed) this.#writeBuffers(bufs);
    } finally {
      res.release?.();
    }
  }
}
