// FrameBufferPool: reusable buffers for request frames that span socket chunks (FrameDecoder's
// `frameBuffer` option), so a stream of big Produce requests does not pay a fresh allocation and
// its page faults per request: a new 256-320 KiB buffer cost 110-280 us on the reference VM
// against ~10 us for a reused one (bench/README.md, "produce hot path").
//
// Sizes: powers of two from MIN_POOLED_BYTES to MAX_POOLED_BYTES; a frame gets the smallest class
// that holds it (a view of `size` bytes is returned to the decoder by its subarray). Smaller or
// larger frames get a plain allocation and are never pooled.
//
// Ownership contract: a buffer is given back ONLY by the code that knows nothing references its
// bytes any more (the Connection, once a Produce response with acks != 0 has been built: the log
// has written the batches by then). Never for acks=0 (appends continue after the handler returns)
// or for APIs whose decoded fields may keep views into the frame. `give` accepts only buffers
// this pool handed out and still owns (a WeakSet of their ArrayBuffers), skips detached ones (a
// worker transfer), and keeps at most MAX_FREE_PER_CLASS free buffers per class; the rest go to
// the GC. One pool per process (the broker's connections share it).

export const MIN_POOLED_BYTES = 64 * 1024;
export const MAX_POOLED_BYTES = 16 * 1024 * 1024;
const MAX_FREE_PER_CLASS = 8;

function classOf(size: number): number {
  let c = MIN_POOLED_BYTES;
  while (c < size) c *= 2;
  return c;
}

export class FrameBufferPool {
  readonly #free = new Map<number, ArrayBuffer[]>();
  readonly #lent = new WeakSet<ArrayBuffer>();
  /** Buffers handed out that came from the free lists (for tests and metrics). */
  reused = 0;

  /** A buffer of at least `size` bytes. */
  take(size: number): Buffer {
    if (size < MIN_POOLED_BYTES || size > MAX_POOLED_BYTES) return Buffer.allocUnsafe(size);
    const cls = classOf(size);
    const ab = this.#free.get(cls)?.pop();
    if (ab) this.reused++;
    const buf = ab ? Buffer.from(ab) : Buffer.allocUnsafeSlow(cls);
    this.#lent.add(buf.buffer as ArrayBuffer);
    return buf;
  }

  /** Returns the buffer holding `view` (any view into a buffer from take) for reuse. */
  give(view: Uint8Array): void {
    const ab = view.buffer as ArrayBuffer;
    if (!this.#lent.has(ab)) return; // a socket chunk or a plain allocation: not ours
    this.#lent.delete(ab);
    if (ab.byteLength === 0) return; // detached (moved to a worker)
    let list = this.#free.get(ab.byteLength);
    if (!list) this.#free.set(ab.byteLength, list = []);
    if (list.length < MAX_FREE_PER_CLASS) list.push(ab);
  }
}

/** The broker process's pool. */
export const frameBufferPool = new FrameBufferPool();
