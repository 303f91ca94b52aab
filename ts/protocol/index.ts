// Public pieces of the protocol layer (record/ has its own entry point).
export * from './schema-types.js';
export * from './protocol-error.js';
export { Reader } from './primitives/reader.js';
export { Writer, type Piece, type RecordsRegion } from './primitives/writer.js';
export type { RawTaggedField, TaggedStruct } from './primitives/tagged-fields.js';
export { decode, decodeBuffer, encode, encodeToBuffer, encodeToPieces, defaultValue, ZERO_UUID } from './codec.js';
export { planFor } from './plan.js';
export * from './headers.js';
export * from './frame.js';
export * from './error-codes.js';
export * from './messages-io.js';
export { ApiKey, API_NAMES, API_SCHEMA_VERSIONS, API_FLEXIBLE_FROM } from './generated/api-keys.js';
export * from './generated/schemas.js';
export type * from './generated/messages.js';
export { INTERNAL_SCHEMAS } from './generated/internal.js';
