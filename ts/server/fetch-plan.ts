// Fetch plan: how a Fetch response's record data travels without being copied.
//
// Storage answers a read with a list of parts (file regions: fd + position + length, with an fd
// ref held until released; or Buffers for data still in memory). The Fetch handler puts ONE
// `RecordsPlan` per partition into the response body's `records` field. The codec sees a
// RecordsRegion (it only needs `length`): it writes the length prefix and splits its output there.
// `expandPieces` then replaces each plan by its parts, giving the ResponseWriter a flat list of
// Buffers and file regions whose concatenation is the exact response frame:
//
//   [size|header|...|records length] [region seg A] [region seg B] [...rest of the response]
//
// The writer sends that list with writev+sendfile (plaintext) or reads the regions (TLS), then
// runs the releases the handler registered with ctx.onSent.
import type { Piece } from '../protocol/primitives/writer.js';
import type { RegionPiece, WirePiece } from './response-writer.js';

export interface RecordsPlan {
  readonly length: number;
  readonly parts: readonly WirePiece[];
}

function isPlan(p: unknown): p is RecordsPlan {
  return typeof p === 'object' && p !== null && Array.isArray((p as RecordsPlan).parts);
}

/**
 * The value to put in a `records` field for these parts: a Buffer when everything is in memory
 * (small responses stay one Buffer), else a RecordsPlan. Empty parts → an empty Buffer.
 */
export function recordsValue(parts: readonly WirePiece[]): Buffer | RecordsPlan {
  if (parts.length === 0) return Buffer.alloc(0);
  if (parts.every((p) => Buffer.isBuffer(p))) {
    return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts as Buffer[]);
  }
  let length = 0;
  for (const p of parts) length += p.length;
  return { length, parts };
}

/** Flattens encoder pieces: RecordsPlans become their parts; zero-length pieces are dropped. */
export function expandPieces(pieces: readonly Piece[]): WirePiece[] {
  const out: WirePiece[] = [];
  for (const p of pieces) {
    if (Buffer.isBuffer(p)) {
      if (p.length > 0) out.push(p);
    } else if (isPlan(p)) {
      for (const part of p.parts) if (part.length > 0) out.push(part);
    } else if (typeof (p as RegionPiece).fd === 'number') {
      out.push(p as RegionPiece);
    } else {
      throw new Error(`response piece of ${p.length} bytes is neither a Buffer nor a file region`);
    }
  }
  return out;
}
