// Transfers move a whole ArrayBuffer. Buffers that share one (Node's 8 KiB allocation slab, a
// request frame holding many partitions) must not be transferred, so they are copied once into
// a buffer that owns its ArrayBuffer; that one then moves across without further copies.

export function ownsArrayBuffer(b: Uint8Array): boolean {
  return b.byteOffset === 0 && b.byteLength === b.buffer.byteLength && b.buffer instanceof ArrayBuffer;
}

/** `b` itself when it owns its ArrayBuffer, else a copy that does. */
export function ownedBuffer(b: Uint8Array): Buffer {
  if (ownsArrayBuffer(b)) return Buffer.from(b.buffer, 0, b.byteLength);
  const ab = new ArrayBuffer(b.byteLength);
  const out = Buffer.from(ab);
  out.set(b);
  return out;
}
