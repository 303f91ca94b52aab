// FrameDecoder: splits a TCP byte stream into Kafka frames.
//
// Wire: int32 size (big-endian, bytes that follow) | payload. A negative size or one above
// `maxFrameBytes` (socket.request.max.bytes, Kafka default 104857600) is refused with a FrameError
// before anything is allocated; the connection must then be closed (the stream cannot be resynced).
//
// Copying: a frame that lies wholly inside one chunk is returned as a subarray of that chunk (no
// copy). A frame split across chunks is assembled once complete, with one Buffer.concat; memory
// grows with the bytes actually received, never with the declared size (a peer that announces
// 100 MB and sends 1 byte costs 1 byte). Split size bytes go through a 4-byte scratch buffer.
//
// Contract: push() is called with chunks in arrival order; not reentrant. After a FrameError the
// decoder stays failed (every later push rethrows it).

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

export class FrameDecoder {
  readonly maxFrameBytes: number;
  private readonly sizeBuf = Buffer.allocUnsafe(4);
  private sizeHave = 0;
  /** Pieces of the frame being assembled across chunks (null when none). */
  private partial: Buffer[] | null = null;
  private partialHave = 0;
  private partialSize = 0;
  private failed: FrameError | null = null;

  constructor(maxFrameBytes = DEFAULT_MAX_FRAME_BYTES) {
    this.maxFrameBytes = maxFrameBytes;
  }

  /** Bytes held for an incomplete frame (for memory accounting). */
  get buffered(): number {
    return this.sizeHave + this.partialHave;
  }

  private checkSize(size: number): void {
    if (size < 0) this.failed = new FrameError('FRAME_NEGATIVE_SIZE', size, this.maxFrameBytes);
    else if (size > this.maxFrameBytes) this.failed = new FrameError('FRAME_TOO_LARGE', size, this.maxFrameBytes);
    if (this.failed) throw this.failed;
  }

  /** Feeds a chunk; calls `onFrame` with each complete frame payload (size prefix excluded). */
  push(chunk: Buffer, onFrame: (payload: Buffer) => void): void {
    if (this.failed) throw this.failed;
    let pos = 0;
    const len = chunk.length;
    while (pos < len) {
      if (this.partial) {
        const take = Math.min(this.partialSize - this.partialHave, len - pos);
        this.partial.push(chunk.subarray(pos, pos + take));
        this.partialHave += take;
        pos += take;
        if (this.partialHave === this.partialSize) {
          const frame = Buffer.concat(this.partial, this.partialSize);
          this.partial = null;
          this.partialHave = 0;
          onFrame(frame);
        }
        continue;
      }
      let size: number;
      if (this.sizeHave === 0 && len - pos >= 4) {
        size = chunk.readInt32BE(pos);
        pos += 4;
      } else {
        while (this.sizeHave < 4 && pos < len) this.sizeBuf[this.sizeHave++] = chunk[pos++]!;
        if (this.sizeHave < 4) return;
        this.sizeHave = 0;
        size = this.sizeBuf.readInt32BE(0);
      }
      this.checkSize(size);
      if (len - pos >= size) {
        const frame = chunk.subarray(pos, pos + size);
        pos += size;
        onFrame(frame);
      } else {
        this.partial = [];
        this.partialHave = 0;
        this.partialSize = size;
      }
    }
  }

  /** Convenience for tests: push and collect. */
  pushAll(chunk: Buffer): Buffer[] {
    const out: Buffer[] = [];
    this.push(chunk, (f) => out.push(f));
    return out;
  }
}
