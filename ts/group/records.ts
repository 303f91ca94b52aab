// Records of __consumer_offsets: Kafka's own key/value schemas, so Kafka's tools can read them.
//
// Every key and value is a version-prefixed struct: int16 version, then the struct at that version
// (schemas in ts/protocol/generated/internal.ts). The key's version says what the record is:
//
//   key v0/v1  OffsetCommitKey   { group, topic, partition }      value OffsetCommitValue
//   key v2     GroupMetadataKey  { group }                        value GroupMetadataValue
//   key v3+    consumer-group (KIP-848) records: not written here; skipped when loading
//
// A null value is a tombstone (offset deleted / group deleted); compaction later drops the key.
// Versions written, as Kafka 3.x writes them: OffsetCommitKey v1, GroupMetadataKey v2,
// GroupMetadataValue v3 (static membership), OffsetCommitValue v3 (leader epoch), or v1 when the
// commit carries an explicit expire timestamp (OffsetCommit v2-4 retentionTimeMs), the only
// version with that field.
import { decodeBuffer, encodeToBuffer } from '../protocol/codec.js';
import {
  GroupMetadataKeySchema, GroupMetadataValueSchema, OffsetCommitKeySchema, OffsetCommitValueSchema,
  type GroupMetadataValue, type OffsetCommitValue,
} from '../protocol/generated/internal.js';
import type { MessageSchema } from '../protocol/schema-types.js';

export const OFFSET_COMMIT_KEY_VERSION = 1;
export const GROUP_METADATA_KEY_VERSION = 2;
export const GROUP_METADATA_VALUE_VERSION = 3;
export const OFFSET_COMMIT_VALUE_VERSION = 3;
export const OFFSET_COMMIT_VALUE_VERSION_WITH_EXPIRY = 1;

export type { GroupMetadataValue, OffsetCommitValue };

export interface OffsetRecord {
  readonly type: 'offset';
  readonly group: string;
  readonly topic: string;
  readonly partition: number;
  /** null = tombstone. */
  readonly value: OffsetCommitValue | null;
}

export interface GroupMetadataRecord {
  readonly type: 'group';
  readonly group: string;
  /** null = tombstone. */
  readonly value: GroupMetadataValue | null;
}

export type GroupRecord = OffsetRecord | GroupMetadataRecord;

export class GroupRecordError extends Error {
  readonly code = 'GROUP_RECORD_INVALID';
  constructor(message: string) { super(`__consumer_offsets record: ${message}`); }
}

function prefixed(schema: MessageSchema, version: number, value: object): Buffer {
  const body = encodeToBuffer(schema, version, value);
  const out = Buffer.allocUnsafe(2 + body.length);
  out.writeInt16BE(version, 0);
  body.copy(out, 2);
  return out;
}

function readVersioned<T>(schema: MessageSchema, buf: Buffer, what: string): { version: number; value: T } {
  if (buf.length < 2) throw new GroupRecordError(`${what} of ${buf.length} bytes has no version prefix`);
  const version = buf.readInt16BE(0);
  if (version < schema.versions[0] || version > schema.versions[1]) {
    throw new GroupRecordError(`${what} version ${version} is not one of ${schema.versions[0]}-${schema.versions[1]} (written by a newer Kafka?)`);
  }
  try {
    return { version, value: decodeBuffer<T>(schema, version, buf.subarray(2)) };
  } catch (err) {
    throw new GroupRecordError(`${what} v${version} does not decode: ${(err as Error).message}`);
  }
}

export function encodeRecordKey(r: GroupRecord): Buffer {
  return r.type === 'offset'
    ? prefixed(OffsetCommitKeySchema, OFFSET_COMMIT_KEY_VERSION, { group: r.group, topic: r.topic, partition: r.partition })
    : prefixed(GroupMetadataKeySchema, GROUP_METADATA_KEY_VERSION, { group: r.group });
}

export function encodeRecordValue(r: GroupRecord): Buffer | null {
  if (r.value === null) return null;
  if (r.type === 'group') return prefixed(GroupMetadataValueSchema, GROUP_METADATA_VALUE_VERSION, r.value);
  const v = r.value;
  const withExpiry = v.expireTimestamp !== undefined && v.expireTimestamp >= 0;
  return prefixed(OffsetCommitValueSchema, withExpiry ? OFFSET_COMMIT_VALUE_VERSION_WITH_EXPIRY : OFFSET_COMMIT_VALUE_VERSION, v);
}

/** The key's record kind by its version prefix, or null for records this coordinator does not own. */
export function decodeRecord(key: Buffer | null, value: Buffer | null): GroupRecord | null {
  if (key === null || key.length < 2) throw new GroupRecordError('record without a versioned key');
  const kv = key.readInt16BE(0);
  if (kv === 0 || kv === 1) {
    const k = readVersioned<{ group: string; topic: string; partition: number }>(OffsetCommitKeySchema, key, 'OffsetCommitKey').value;
    const v = value === null ? null : readVersioned<OffsetCommitValue>(OffsetCommitValueSchema, value, 'OffsetCommitValue').value;
    return { type: 'offset', group: k.group, topic: k.topic, partition: k.partition, value: v };
  }
  if (kv === 2) {
    const k = readVersioned<{ group: string }>(GroupMetadataKeySchema, key, 'GroupMetadataKey').value;
    const v = value === null ? null : readVersioned<GroupMetadataValue>(GroupMetadataValueSchema, value, 'GroupMetadataValue').value;
    return { type: 'group', group: k.group, value: v };
  }
  return null;
}
