// RequestFrames: splits a TCP byte stream into Kafka request frames (int32 size + size bytes).
//
// Kept in the server because the connection needs to stop splitting while it applies
// backpressure (frames already received stay buffered here, unparsed) and to inspect the size
// before the body arrives (a frame over socket.request.max.bytes is refused at once, without
// buffering it). Chunks are kept as a list and joined once per frame; a frame inside one chunk is
// a zero-copy subarray.

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
  #chunks: Buffer[] = [];
  #length = 0;
  readonly #max: number;

  constructor(maxFrameBytes: number) {
    this.#max = maxFrameBytes;
  }

  /** Bytes received and not yet returned as frames. */
  get buffered(): number {
    return this.#length;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.#chunks.push(chunk);
    this.#length += chunk.length;
  }

  /** The next complete frame body (without its size), or null; throws FrameSizeError. */
  next(): Buffer | null {
    if (this.#length < 4) return null;
    const size = this.#peekSize();
    if (size < 0 || size > this.#max) throw new FrameSizeError(size, this.#max);
    if (this.#length < 4 + size) return null;
    const first = this.#chunks[0]!;
    if (first.length >= 4 + size) {
      const frame = first.subarray(4, 4 + size);
      this.#consume(4 + size);
      return frame;
    }
    const all = Buffer.concat(this.#chunks, this.#length);
    const frame = all.subarray(4, 4 + size);
    const rest = all.subarray(4 + size);
    this.#chunks = rest.length > 0 ? [rest] : [];
    this.#length = rest.length;
    return frame;
  }

  #peekSize(): number {
    const first = this.#chunks[0]!;
    if (first.length >= 4) return first.readInt32BE(0);
    const head = Buffer.concat(this.#chunks, this.#length).subarray(0, 4);
    return head.readInt32BE(0);
  }

  #consume(n: number): void {
    const first = this.#chunks[0]!;
    if (first.length === n) this.#chunks.shift();
    else this.#chunks[0] = first.subarray(n);
    this.#length -= n;
  }
}
