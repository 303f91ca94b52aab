// Request and response headers.
//
// Request header (big-endian):
//   v0: apiKey int16 | apiVersion int16 | correlationId int32          (ControlledShutdown v0 only)
//   v1: v0 + clientId: nullable STRING with an int16 length
//   v2: v1 + tagged-field section. clientId KEEPS the int16 length (not compact), so any broker
//       can read the header of an ApiVersions request of any version.
// Response header:
//   v0: correlationId int32
//   v1: v0 + tagged-field section
// Selection (Kafka ApiKeys.requestHeaderVersion / responseHeaderVersion): flexible request
// version → request v2 / response v1, else request v1 / response v0. Exceptions: ControlledShutdown
// v0 uses request header v0; the ApiVersions response ALWAYS uses response header v0 (a client
// cannot know whether the broker speaks flexible versions before it has the answer).
import { ApiKey, API_FLEXIBLE_FROM } from './generated/api-keys.js';
import { ProtocolError } from './protocol-error.js';
import type { RawTaggedField } from './primitives/tagged-fields.js';
import type { Reader } from './primitives/reader.js';
import type { Writer } from './primitives/writer.js';

export interface RequestHeader {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  clientId: string | null;
  /** 0, 1 or 2: the header version read (or to write). */
  headerVersion: number;
  _unknownTags?: RawTaggedField[];
}

export function isFlexible(apiKey: number, apiVersion: number): boolean {
  const from = API_FLEXIBLE_FROM[apiKey];
  return from !== undefined && from !== null && apiVersion >= from;
}

export function requestHeaderVersion(apiKey: number, apiVersion: number): number {
  if (apiKey === ApiKey.ControlledShutdown && apiVersion === 0) return 0;
  return isFlexible(apiKey, apiVersion) ? 2 : 1;
}

export function responseHeaderVersion(apiKey: number, apiVersion: number): number {
  if (apiKey === ApiKey.ApiVersions) return 0;
  return isFlexible(apiKey, apiVersion) ? 1 : 0;
}

function skipTags(r: Reader, header: RequestHeader): void {
  const count = r.uvarint();
  r.checkLength(count, 2);
  let unknown: RawTaggedField[] | null = null;
  for (let i = 0; i < count; i++) {
    const tag = r.uvarint();
    const size = r.uvarint();
    r.checkLength(size);
    (unknown ??= []).push({ tag, data: r.buf.subarray(r.pos, r.pos + size) });
    r.pos += size;
  }
  if (unknown) header._unknownTags = unknown;
}

/**
 * Reads a request header. For an api key/version this codec does not know, it reads the parts
 * every header version shares (apiKey, apiVersion, correlationId, clientId) and stops there, which
 * is enough to answer (ApiVersions UNSUPPORTED_VERSION) or log before closing. `headerVersion`
 * then is the version actually parsed.
 */
export function readRequestHeader(r: Reader, known = true): RequestHeader {
  try {
    const apiKey = r.int16();
    const apiVersion = r.int16();
    const correlationId = r.int32();
    const version = known ? requestHeaderVersion(apiKey, apiVersion) : 1;
    const header: RequestHeader = { apiKey, apiVersion, correlationId, clientId: null, headerVersion: version };
    if (version >= 1) header.clientId = r.string();
    if (version >= 2) skipTags(r, header);
    return header;
  } catch (err) {
    const pe = err instanceof ProtocolError ? err : new ProtocolError('PROTOCOL_BAD_VALUE', String(err));
    throw pe.within('RequestHeader');
  }
}

export function writeRequestHeader(w: Writer, h: Omit<RequestHeader, 'headerVersion'> & { headerVersion?: number }): void {
  const version = h.headerVersion ?? requestHeaderVersion(h.apiKey, h.apiVersion);
  w.int16(h.apiKey);
  w.int16(h.apiVersion);
  w.int32(h.correlationId);
  if (version >= 1) w.string(h.clientId);
  if (version >= 2) writeTags(w, h._unknownTags);
}

function writeTags(w: Writer, tags: RawTaggedField[] | undefined): void {
  w.uvarint(tags ? tags.length : 0);
  if (tags) for (const t of tags) { w.uvarint(t.tag); w.uvarint(t.data.length); w.raw(t.data); }
}

export function writeResponseHeader(w: Writer, apiKey: number, apiVersion: number, correlationId: number): void {
  w.int32(correlationId);
  if (responseHeaderVersion(apiKey, apiVersion) === 1) w.uvarint(0);
}

/** Reads a response header (client side: replica fetcher, tests); returns the correlation id. */
export function readResponseHeader(r: Reader, apiKey: number, apiVersion: number): number {
  try {
    const correlationId = r.int32();
    if (responseHeaderVersion(apiKey, apiVersion) === 1) {
      const count = r.uvarint();
      r.checkLength(count, 2);
      for (let i = 0; i < count; i++) { r.uvarint(); r.skip(r.uvarint()); }
    }
    return correlationId;
  } catch (err) {
    const pe = err instanceof ProtocolError ? err : new ProtocolError('PROTOCOL_BAD_VALUE', String(err));
    throw pe.within('ResponseHeader');
  }
}
