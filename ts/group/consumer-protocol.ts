// The "consumer" embedded protocol: JoinGroup metadata (ConsumerProtocolSubscription) and
// SyncGroup assignments (ConsumerProtocolAssignment), each an int16 version followed by the
// struct (schemas in ts/protocol/generated/internal.ts). The broker never needs these to run a
// group; it reads them to know a group's subscribed topics (OffsetDelete, offset expiry) and to
// show assignments (`samsa groups describe`). Versions newer than the schema's are read at the
// newest known version, as Kafka's clients do (fields are only ever appended).
import { decodeBuffer, encodeToBuffer } from '../protocol/codec.js';
import {
  ConsumerProtocolAssignmentSchema, ConsumerProtocolSubscriptionSchema,
  type ConsumerProtocolAssignment, type ConsumerProtocolSubscription,
} from '../protocol/generated/internal.js';
import type { MessageSchema } from '../protocol/schema-types.js';

export type { ConsumerProtocolAssignment, ConsumerProtocolSubscription };

export const CONSUMER_PROTOCOL_TYPE = 'consumer';

function decodeVersioned<T>(schema: MessageSchema, buf: Buffer): T | null {
  if (buf.length < 2) return null;
  const v = buf.readInt16BE(0);
  if (v < 0) return null;
  try {
    return decodeBuffer<T>(schema, Math.min(v, schema.versions[1]), buf.subarray(2));
  } catch {
    return null;
  }
}

/** The subscription in a consumer's JoinGroup metadata, or null when it does not decode. */
export function decodeSubscription(buf: Buffer): ConsumerProtocolSubscription | null {
  return decodeVersioned<ConsumerProtocolSubscription>(ConsumerProtocolSubscriptionSchema, buf);
}

/** The assignment a consumer received in SyncGroup, or null when it does not decode (or is empty). */
export function decodeAssignment(buf: Buffer): ConsumerProtocolAssignment | null {
  return decodeVersioned<ConsumerProtocolAssignment>(ConsumerProtocolAssignmentSchema, buf);
}

export function encodeSubscription(topics: string[], version = 0, extra: Partial<ConsumerProtocolSubscription> = {}): Buffer {
  const body = encodeToBuffer(ConsumerProtocolSubscriptionSchema, version, { topics, userData: null, ownedPartitions: [], generationId: -1, rackId: null, ...extra });
  return Buffer.concat([Buffer.from([version >> 8, version & 0xff]), body]);
}

export function encodeAssignment(assigned: Array<{ topic: string; partitions: number[] }>, version = 0): Buffer {
  const body = encodeToBuffer(ConsumerProtocolAssignmentSchema, version, { assignedPartitions: assigned, userData: null });
  return Buffer.concat([Buffer.from([version >> 8, version & 0xff]), body]);
}
