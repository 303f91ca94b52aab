// RequestFrames: splits a TCP byte stream into Kafka request frames (int32 size + size bytes).
//
// Kept in the server because the connection needs to stop splitting while it applies
// backpressure (frames already received stay buffered here, unparsed) and to inspect the size
// before the body arrives (a frame over socket.request.max.bytes is refused at once, without
// buffering it).
//
// Copying: a frame inside one chunk is a zero-copy subarray of it. A frame that spans chunks is
// allocated ONCE at its declared size (already checked against socket.request.max.bytes, as
// Kafka's SocketServer allocates the receive buffer from the size prefix) when next() first sees
// its size; the bytes already received are copied in, and later chunks are copied straight into
// it by push() as they arrive, so no chunk is joined or copied twice (a 256 KiB produce request
// in 64 KiB socket reads used to be Buffer.concat'ed whole with everything buffered after it).
// Leftover bytes after a frame stay as subarrays of their chunk.

export class FrameSizeError extends Error {
  readonly code = 'SAMSA_FRAME_SIZE';
  constructor(readonly size: number, readonly max: number) {
    super(size < 0
      ? `request frame size ${size} is negative: not a Kafka client, or a corrupted stream`
      : `request frame of ${size} bytes exceeds socket.request.max.bytes=${max}: raise socket.request.max.bytes or send smaller requests`);
    this.name = 'FrameSizeError';
  }
}

export class RequestFrames {
  /** Received bytes not yet assigned to a frame, in order. */
  #chunks: Buffer[] = [];
  #length = 0;
  /** The frame being assembled (allocated at its declared size), or null. */
  #frame: Buffer | null = null;
  #frameHave = 0;
  readonly #max: number;

  constructor(maxFrameBytes: number) {
    this.#max = maxFrameBytes;
  }

  /** Bytes received and not yet returned as frames. */
  get buffered(): number {
    return this.#length + this.#frameHave;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    const frame = this.#frame;
    if (frame && this.#frameHave < frame.length) {
      const take = Math.min(frame.length - this.#frameHave, chunk.length);
      chunk.copy(frame, this.#frameHave, 0, take);
      this.#frameHave += take;
      if (take === chunk.length) return;
      chunk = chunk.subarray(take);
    }
    this.#chunks.push(chunk);
    this.#length += chunk.length;
  }

  /** The next complete frame body (without its size), or null; throws FrameSizeError. */
  next(): Buffer | null {
    if (this.#frame) {
      if (this.#frameHave < this.#frame.length) return null;
      const done = this.#frame;
      this.#frame = null;
      this.#frameHave = 0;
      return done;
    }
    if (this.#length < 4) return null;
    const size = this.#peekSize();
    if (size < 0 || size > this.#max) throw new FrameSizeError(size, this.#max);
    const first = this.#chunks[0]!;
    if (first.length >= 4 + size) {
      const frame = first.subarray(4, 4 + size);
      this.#consume(4 + size);
      return frame;
    }
    // Spans chunks: one allocation at the declared size; copy what is here, push() adds the rest.
    this.#consume(4);
    const frame = Buffer.allocUnsafe(size);
    let have = 0;
    while (have < size && this.#chunks.length > 0) {
      const c = this.#chunks[0]!;
      const take = Math.min(size - have, c.length);
      c.copy(frame, have, 0, take);
      have += take;
      this.#consume(take);
    }
    if (have === size) return frame;
    this.#frame = frame;
    this.#frameHave = have;
    return null;
  }

  #peekSize(): number {
    const first = this.#chunks[0]!;
    if (first.length >= 4) return first.readInt32BE(0);
    const head = Buffer.allocUnsafe(4);
    let n = 0;
    for (const c of this.#chunks) {
      const take = Math.min(4 - n, c.length);
      c.copy(head, n, 0, take);
      n += take;
      if (n === 4) break;
    }
    return head.readInt32BE(0);
  }

  /** Drops `n` bytes from the front of the buffered chunks. */
  #consume(n: number): void {
    this.#length -= n;
    while (n > 0) {
      const first = this.#chunks[0]!;
      if (first.length <= n) {
        this.#chunks.shift();
        n -= first.length;
      } else {
        this.#chunks[0] = first.subarray(n);
        n = 0;
      }
    }
  }
}
