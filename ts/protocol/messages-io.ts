// Whole requests and responses: header + body, for the server (decodeRequest/encodeResponse) and
// for in-project clients such as the replica fetcher and tests (encodeRequest/decodeResponse).
//
// Frame payloads here exclude the 4-byte size prefix (frame.ts strips it on read); the encoders
// include it, since their output goes straight to a socket. Unknown api keys or versions outside
// the schema's validVersions throw ProtocolError code UNSUPPORTED_VERSION with `.header` set, so
// the caller can still answer (ApiVersions) or log with the correlation id before closing.
// Which versions the broker ADVERTISES is the server's business (api-registry), not this file's.
import { decode, encode } from './codec.js';
import { REQUEST_SCHEMAS, RESPONSE_SCHEMAS } from './generated/schemas.js';
import { readRequestHeader, readResponseHeader, writeRequestHeader, writeResponseHeader, type RequestHeader } from './headers.js';
import { ProtocolError } from './protocol-error.js';
import { Reader } from './primitives/reader.js';
import { Writer, type Piece } from './primitives/writer.js';

export interface DecodedRequest<T = Record<string, unknown>> {
  header: RequestHeader;
  body: T;
  apiKey: number;
  apiVersion: number;
}

export class UnsupportedRequestError extends ProtocolError {
  readonly header: RequestHeader;
  constructor(header: RequestHeader) {
    super('UNSUPPORTED_VERSION', `api key ${header.apiKey} version ${header.apiVersion} is not supported by this codec`);
    this.header = header;
    this.within(`request correlationId ${header.correlationId}`);
  }
}

export function isKnownRequest(apiKey: number, apiVersion: number): boolean {
  const schema = REQUEST_SCHEMAS[apiKey];
  return schema !== undefined && apiVersion >= schema.versions[0] && apiVersion <= schema.versions[1];
}

/**
 * Decodes a request frame payload. Trailing bytes after the body are tolerated (lenient, like Kafka).
 * Throws ProtocolError (malformed) or UnsupportedRequestError (unknown key/version).
 */
export function decodeRequest<T = Record<string, unknown>>(payload: Buffer): DecodedRequest<T> {
  const r = new Reader(payload);
  if (payload.length < 4) readRequestHeader(r); // throws the truncation error
  const known = isKnownRequest(payload.readInt16BE(0), payload.readInt16BE(2));
  const header = readRequestHeader(r, known);
  if (!known) throw new UnsupportedRequestError(header);
  const body = decode<T>(REQUEST_SCHEMAS[header.apiKey]!, header.apiVersion, r);
  return { header, body, apiKey: header.apiKey, apiVersion: header.apiVersion };
}

function checkKnown(apiKey: number, apiVersion: number, correlationId: number): void {
  if (!isKnownRequest(apiKey, apiVersion)) {
    throw new UnsupportedRequestError({ apiKey, apiVersion, correlationId, clientId: null, headerVersion: 1 });
  }
}

/**
 * Encodes a response frame: 4-byte size, response header, body. Returns one Buffer, or pieces
 * when the body holds RecordsRegions (each region's length prefix is in the preceding Buffer).
 */
export function encodeResponse(
  apiKey: number, apiVersion: number, correlationId: number, body: object, writer?: Writer,
): Buffer | Piece[] {
  checkKnown(apiKey, apiVersion, correlationId);
  const w = writer ?? new Writer(512);
  const start = w.pos;
  w.int32(0);
  writeResponseHeader(w, apiKey, apiVersion, correlationId);
  encode(RESPONSE_SCHEMAS[apiKey]!, apiVersion, body, w);
  w.patchInt32(start, w.wireLength - start - 4);
  return w.hasRegions ? w.finishPieces() : w.finish().subarray(start);
}

/** Encodes a request frame (4-byte size, header, body), e.g. for the replica fetcher or tests. */
export function encodeRequest(
  apiKey: number, apiVersion: number, correlationId: number, clientId: string | null, body: object,
): Buffer {
  checkKnown(apiKey, apiVersion, correlationId);
  const w = new Writer(256);
  w.int32(0);
  writeRequestHeader(w, { apiKey, apiVersion, correlationId, clientId });
  encode(REQUEST_SCHEMAS[apiKey]!, apiVersion, body, w);
  w.patchInt32(0, w.pos - 4);
  return w.finish();
}

/** Decodes a response frame payload (no size prefix) of a request sent at (apiKey, apiVersion). */
export function decodeResponse<T = Record<string, unknown>>(
  apiKey: number, apiVersion: number, payload: Buffer,
): { correlationId: number; body: T } {
  checkKnown(apiKey, apiVersion, -1);
  const r = new Reader(payload);
  const correlationId = readResponseHeader(r, apiKey, apiVersion);
  return { correlationId, body: decode<T>(RESPONSE_SCHEMAS[apiKey]!, apiVersion, r) };
}
