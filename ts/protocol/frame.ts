// FrameDecoder: splits a TCP byte stream into Kafka frames. Used by KafkaConnection (push mode);
// pull mode (append/next) is what the broker's Connection uses, so it can stop between frames.
//
// Wire: int32 size (big-endian, bytes that follow) | payload. A negative size or one above
// `maxFrameBytes` (socket.request.max.bytes, Kafka default 104857600) is refused with a FrameError
// as soon as the 4 size bytes are in, before the body arrives or anything is allocated; the
// connection must then be closed (the stream cannot be resynced).
//
// Two ways to drive it:
//   push(chunk, onFrame)   split everything now (a client that never stops reading).
//   append(chunk); next()  queue chunks unsplit, take one frame at a time (a server that stops
//                          between frames while it applies backpressure; queued bytes stay raw).
//
// Copying: a frame that lies wholly inside one chunk is returned as a subarray of that chunk (no
// copy). A frame split across chunks is copied, piece by piece as it arrives, into ONE buffer
// allocated at its declared size when the size is read (no list of chunks, no concat). The buffer
// comes from `frameBuffer(size)` when given (a caller's reusable buffers; it must return at least
// `size` bytes), else Buffer.allocUnsafe(size). Resident memory still follows the bytes received
// for big frames: the allocator maps large buffers lazily and untouched pages cost nothing, and
// `buffered` counts received bytes only. Split size bytes go through a 4-byte scratch buffer.
//
// Transient chunks (append(chunk, true)): the caller reuses the chunk's memory once the call
// that appended it returns (a socket read into one reused buffer). A frame wholly inside such a
// chunk is then copied (into `frameBuffer(size)` when given) instead of returned as a view, and
// the caller calls retain() before reusing the memory: it copies the bytes still queued (not yet
// split, e.g. while the caller applies backpressure) into an owned buffer.
//
// Contract: chunks are given in arrival order; not reentrant (do not push from onFrame). After a
// FrameError the decoder stays failed (every later push/next rethrows it).

export type FrameErrorReason = 'FRAME_NEGATIVE_SIZE' | 'FRAME_TOO_LARGE';

export class FrameError extends Error {
  override readonly name = 'FrameError';
  readonly code: FrameErrorReason;
  readonly size: number;
  readonly maxFrameBytes: number;

  constructor(code: FrameErrorReason, size: number, maxFrameBytes: number) {
    super(code === 'FRAME_NEGATIVE_SIZE'
      ? `frame size ${size} is negative; the stream is not speaking the Kafka protocol or is corrupt`
      : `frame size ${size} exceeds the limit of ${maxFrameBytes} bytes (socket.request.max.bytes); ` +
        'raise the limit or send smaller requests');
    this.code = code;
    this.size = size;
    this.maxFrameBytes = maxFrameBytes;
  }
}

export const DEFAULT_MAX_FRAME_BYTES = 104_857_600;

export interface FrameDecoderOptions {
  /** Supplies the buffer (≥ size bytes) a frame spanning chunks is assembled in. */
  frameBuffer?: (size: number) => Buffer;
}

export class FrameDecoder {
  readonly maxFrameBytes: number;
  readonly #frameBuffer: ((size: number) => Buffer) | null;
  readonly #sizeBuf = Buffer.allocUnsafe(4);
  #sizeHave = 0;
  /** The frame being assembled across chunks (null when none). */
  #partial: Buffer | null = null;
  #partialHave = 0;
  #partialSize = 0;
  /** Chunks appended and not yet split; the first starts at #headPos. */
  #queue: Buffer[] = [];
  #headPos = 0;
  #queued = 0;
  #failed: FrameError | null = null;
  /** The queued chunk whose memory the caller will reuse (see retain()), or null. */
  #transient: Buffer | null = null;

  constructor(maxFrameBytes = DEFAULT_MAX_FRAME_BYTES, opts: FrameDecoderOptions = {}) {
    this.maxFrameBytes = maxFrameBytes;
    this.#frameBuffer = opts.frameBuffer ?? null;
  }

  /** Bytes received and not yet returned as frames (for memory accounting). */
  get buffered(): number {
    return this.#sizeHave + this.#partialHave + this.#queued;
  }

  /**
   * Queues a chunk without splitting it; take frames with next(). `transient`: the chunk's memory
   * is reused after this call returns: call retain() first (at most one transient chunk queued).
   */
  append(chunk: Buffer, transient = false): void {
    if (chunk.length === 0) return;
    if (transient) {
      if (this.#transient !== null) this.retain();
      this.#transient = chunk;
    }
    this.#queue.push(chunk);
    this.#queued += chunk.length;
  }

  /** Copies the unsplit bytes of the transient chunk (if still queued) into an owned buffer. */
  retain(): void {
    const t = this.#transient;
    if (t === null) return;
    this.#transient = null;
    const i = this.#queue.indexOf(t);
    if (i < 0) return;
    const from = i === 0 ? this.#headPos : 0;
    this.#queue[i] = Buffer.from(t.subarray(from));
    if (i === 0) this.#headPos = 0;
  }

  /** The next complete frame payload (size prefix excluded), or null; throws FrameError. */
  next(): Buffer | null {
    if (this.#failed) throw this.#failed;
    while (this.#queue.length > 0) {
      const chunk = this.#queue[0]!;
      const start = this.#headPos;
      const frame = this.#split(chunk, start);
      const used = this.#pos - start;
      this.#queued -= used;
      if (this.#pos === chunk.length) {
        this.#queue.shift();
        this.#headPos = 0;
        if (chunk === this.#transient) this.#transient = null;
      } else {
        this.#headPos = this.#pos;
      }
      if (frame) return frame;
    }
    return null;
  }

  /** Feeds a chunk; calls `onFrame` with each complete frame payload (size prefix excluded). */
  push(chunk: Buffer, onFrame: (payload: Buffer) => void): void {
    this.append(chunk);
    for (let f = this.next(); f !== null; f = this.next()) onFrame(f);
  }

  /** Convenience for tests: push and collect. */
  pushAll(chunk: Buffer): Buffer[] {
    const out: Buffer[] = [];
    this.push(chunk, (f) => out.push(f));
    return out;
  }

  /** Position in the chunk after the last #split (a field so #split can return the frame alone). */
  #pos = 0;

  /**
   * Consumes bytes of `chunk` from `pos` until one frame completes (returned) or the chunk is
   * used up (null); leaves the new position in #pos.
   */
  #split(chunk: Buffer, pos: number): Buffer | null {
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
          this.#partialHave = 0;
          this.#pos = pos;
          return frame;
        }
        continue;
      }
      let size: number;
      if (this.#sizeHave === 0 && len - pos >= 4) {
        size = chunk.readInt32BE(pos);
        pos += 4;
      } else {
        while (this.#sizeHave < 4 && pos < len) this.#sizeBuf[this.#sizeHave++] = chunk[pos++]!;
        if (this.#sizeHave < 4) break;
        this.#sizeHave = 0;
        size = this.#sizeBuf.readInt32BE(0);
      }
      this.#checkSize(size);
      if (len - pos >= size) {
        this.#pos = pos + size;
        if (chunk !== this.#transient) return chunk.subarray(pos, pos + size);
        const own = this.#frameBuffer ? this.#frameBuffer(size) : Buffer.allocUnsafe(size);
        chunk.copy(own, 0, pos, pos + size);
        return own.length === size ? own : own.subarray(0, size);
      }
      this.#partial = this.#frameBuffer ? this.#frameBuffer(size) : Buffer.allocUnsafe(size);
      this.#partialHave = 0;
      this.#partialSize = size;
    }
    this.#pos = pos;
    return null;
  }

  #checkSize(size: number): void {
    if (size < 0) this.#failed = new FrameError('FRAME_NEGATIVE_SIZE', size, this.maxFrameBytes);
    else if (size > this.maxFrameBytes) this.#failed = new FrameError('FRAME_TOO_LARGE', size, this.maxFrameBytes);
    if (this.#failed) {
      this.#transient = null;
      this.#queue = [];
      this.#queued = 0;
      throw this.#failed;
    }
  }
}
