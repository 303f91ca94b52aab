// CRC-32C (Castagnoli) backed by the native addon: SSE4.2 `crc32` on 3 interleaved streams when
// the CPU has it, portable slicing-by-8 otherwise (chosen at run time). Synchronous at every
// size. `init` chains like zlib's crc32(crc, buf): crc32c(b, crc32c(a)) === crc32c(a ++ b).
// Reference twin: crc32c.ref.ts.
import { native } from './load.js';

/** CRC-32C of `buf` continuing from `init` (a previous result, default 0). Returns a uint32. */
export function crc32c(buf: Uint8Array, init = 0): number {
  return native.crc32c(buf, init);
}

/** Same result, always through the portable table implementation (tests, benches). */
export function crc32cPortable(buf: Uint8Array, init = 0): number {
  return native.crc32cPortable(buf, init);
}

/** Which implementation crc32c() uses on this CPU. */
export function crc32cImplementation(): 'sse4.2' | 'portable' {
  return native.crc32cImplementation();
}
