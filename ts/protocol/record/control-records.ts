// Control records: the single record of a batch with the control attribute bit set.
//
//   key   = version int16 (0) + type int16
//           types: 0 ABORT, 1 COMMIT, 2 LEADER_CHANGE, 3 SNAPSHOT_HEADER, 4 SNAPSHOT_FOOTER,
//                  5 KRAFT_VERSION, 6 KRAFT_VOTERS; anything else reads as UNKNOWN (-1)
//   value = for ABORT/COMMIT the EndTransactionMarker: version int16 (0) + coordinatorEpoch int32
//
// A transaction marker is its own batch: control + transactional, the transaction's producer
// id/epoch, baseSequence -1, no compression, one record.
import { buildBatch } from './batch-builder.js';
import { corrupt } from './errors.js';

export const ControlRecordType = {
  UNKNOWN: -1, ABORT: 0, COMMIT: 1, LEADER_CHANGE: 2, SNAPSHOT_HEADER: 3, SNAPSHOT_FOOTER: 4, KRAFT_VERSION: 5, KRAFT_VOTERS: 6,
} as const;
export type ControlRecordTypeName = keyof typeof ControlRecordType;

const NAMES = new Map<number, ControlRecordTypeName>(
  Object.entries(ControlRecordType).map(([k, v]) => [v, k as ControlRecordTypeName]));

export interface ControlRecordKey { version: number; type: number; typeName: ControlRecordTypeName }
export interface EndTransactionMarker { version: number; coordinatorEpoch: number }

export const CONTROL_KEY_SIZE = 4;
export const END_TXN_MARKER_SIZE = 6;

export function parseControlRecordKey(key: Buffer | null): ControlRecordKey {
  if (key === null || key.length < CONTROL_KEY_SIZE) {
    throw corrupt(`control record key must be at least ${CONTROL_KEY_SIZE} bytes (version int16 + type int16), got ${key === null ? 'null' : key.length}`);
  }
  const version = key.readInt16BE(0);
  const type = key.readInt16BE(2);
  const typeName = NAMES.get(type) ?? 'UNKNOWN';
  return { version, type: typeName === 'UNKNOWN' ? -1 : type, typeName };
}

export function encodeControlRecordKey(type: ControlRecordTypeName | number, version = 0): Buffer {
  const b = Buffer.alloc(CONTROL_KEY_SIZE);
  b.writeInt16BE(version, 0);
  b.writeInt16BE(typeof type === 'number' ? type : ControlRecordType[type], 2);
  return b;
}

export function parseEndTransactionMarker(value: Buffer | null): EndTransactionMarker {
  if (value === null || value.length < END_TXN_MARKER_SIZE) {
    throw corrupt(`end transaction marker must be at least ${END_TXN_MARKER_SIZE} bytes (version int16 + coordinatorEpoch int32), got ${value === null ? 'null' : value.length}`);
  }
  return { version: value.readInt16BE(0), coordinatorEpoch: value.readInt32BE(2) };
}

export function encodeEndTransactionMarker(coordinatorEpoch: number, version = 0): Buffer {
  const b = Buffer.alloc(END_TXN_MARKER_SIZE);
  b.writeInt16BE(version, 0);
  b.writeInt32BE(coordinatorEpoch, 2);
  return b;
}

export interface EndTxnMarkerOptions {
  commit: boolean;
  producerId: number;
  producerEpoch: number;
  coordinatorEpoch: number;
  baseOffset?: number;
  partitionLeaderEpoch?: number;
  now?: number;
}

/** The batch that ends a transaction (COMMIT or ABORT marker). */
export function buildEndTxnMarkerBatch(o: EndTxnMarkerOptions): Buffer {
  const now = o.now ?? Date.now();
  return buildBatch([{
    key: encodeControlRecordKey(o.commit ? 'COMMIT' : 'ABORT'),
    value: encodeEndTransactionMarker(o.coordinatorEpoch),
    timestamp: now,
  }], {
    baseOffset: o.baseOffset ?? 0, partitionLeaderEpoch: o.partitionLeaderEpoch ?? -1,
    producerId: o.producerId, producerEpoch: o.producerEpoch, baseSequence: -1,
    isTransactional: true, isControl: true, compression: 'none', now,
  });
}
