// Mirrors native/src/core/status.h (status.test.ts parses the header and checks both agree).
// Codes come back from the native scan; BatchScanError turns a failed scan into a typed error.

export const Status = {
  Ok: 0,
  BatchTooShort: -1,
  BatchLengthOutOfBounds: -2,
  Truncated: -3,
  BadMagic: -4,
  CrcMismatch: -5,
  BadRecordCount: -6,
  BadLastOffsetDelta: -7,
  RecordFramingError: -8,
  NonMonotonicOffsets: -9,
  SummaryTooSmall: -10,
  OffsetOverflow: -11,
} as const;
export type Status = (typeof Status)[keyof typeof Status];

const NAMES = new Map<number, string>(Object.entries(Status).map(([k, v]) => [v, k]));

/** 'CrcMismatch' -> 'CRC_MISMATCH' (the stable string codes used in messages and errors). */
export function statusCode(status: number): string {
  const name = NAMES.get(status);
  if (name === undefined) return `UNKNOWN_STATUS_${status}`;
  return name.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
}

/**
 * A record-batch buffer failed validation. `code` is 'SAMSA_BATCH_INVALID'; `status` and
 * `statusCode` say why (e.g. 'CRC_MISMATCH'); batchIndex/position locate the bad batch.
 * The broker maps it to Kafka's CORRUPT_MESSAGE (or INVALID_RECORD) for the client.
 */
export class BatchScanError extends Error {
  readonly code = 'SAMSA_BATCH_INVALID';
  readonly status: Status;
  readonly statusCode: string;
  readonly batchIndex: number;
  readonly position: number;
  constructor(status: Status, message: string, batchIndex: number, position: number) {
    super(message);
    this.name = 'BatchScanError';
    this.status = status;
    this.statusCode = statusCode(status);
    this.batchIndex = batchIndex;
    this.position = position;
  }
}
