// Reference CRC-32C (Castagnoli) in TypeScript, written for clarity, not speed: one 256-entry
// table, one byte per step. Tests and fuzzers compare the native implementations against it.
// Standard form (init ~0, final xor ~0); `init` chains like zlib's crc32(crc, buf):
// crc32cRef(b, crc32cRef(a)) === crc32cRef(a ++ b).

const POLY = 0x82f63b78; // Castagnoli polynomial, bit-reflected

const TABLE: Uint32Array = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32C of `buf`, continuing from a previous result `init` (default 0). Returns a uint32. */
export function crc32c(buf: Uint8Array, init = 0): number {
  let c = ~init >>> 0;
  for (let i = 0; i < buf.length; i++) c = TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}
