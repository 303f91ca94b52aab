// Record batch v2 (magic 2) header layout. Every field is big-endian.
//
//   off size field                 notes
//     0    8 baseOffset            int64, stamped by the broker
//     8    4 batchLength           bytes after this field: batch size = LOG_OVERHEAD + batchLength
//    12    4 partitionLeaderEpoch  int32, stamped by the leader; NOT covered by the CRC
//    16    1 magic                 2
//    17    4 crc                   uint32 CRC-32C (Castagnoli) over [ATTRIBUTES, end of batch)
//    21    2 attributes            bits 0-2 codec, 3 timestamp type, 4 transactional, 5 control,
//                                  6 delete horizon set (baseTimestamp is then the horizon)
//    23    4 lastOffsetDelta       int32 (also the last sequence delta)
//    27    8 baseTimestamp         int64, first record's timestamp, -1 when empty
//    35    8 maxTimestamp          int64 (broker time when LogAppendTime)
//    43    8 producerId            int64, -1 when none
//    51    2 producerEpoch         int16, -1 when none
//    53    4 baseSequence          int32, -1 when none
//    57    4 recordsCount          int32
//    61    . records               one compressed blob when a codec is set (count stays outside)
//
// Offsets are chained from the previous field so a wrong size cannot silently overlap.

export const BASE_OFFSET_OFFSET = 0;
export const BASE_OFFSET_LENGTH = 8;
export const BATCH_LENGTH_OFFSET = BASE_OFFSET_OFFSET + BASE_OFFSET_LENGTH;
export const BATCH_LENGTH_LENGTH = 4;
export const PARTITION_LEADER_EPOCH_OFFSET = BATCH_LENGTH_OFFSET + BATCH_LENGTH_LENGTH;
export const PARTITION_LEADER_EPOCH_LENGTH = 4;
export const MAGIC_OFFSET = PARTITION_LEADER_EPOCH_OFFSET + PARTITION_LEADER_EPOCH_LENGTH;
export const MAGIC_LENGTH = 1;
export const CRC_OFFSET = MAGIC_OFFSET + MAGIC_LENGTH;
export const CRC_LENGTH = 4;
export const ATTRIBUTES_OFFSET = CRC_OFFSET + CRC_LENGTH;
export const ATTRIBUTES_LENGTH = 2;
export const LAST_OFFSET_DELTA_OFFSET = ATTRIBUTES_OFFSET + ATTRIBUTES_LENGTH;
export const LAST_OFFSET_DELTA_LENGTH = 4;
export const BASE_TIMESTAMP_OFFSET = LAST_OFFSET_DELTA_OFFSET + LAST_OFFSET_DELTA_LENGTH;
export const BASE_TIMESTAMP_LENGTH = 8;
export const MAX_TIMESTAMP_OFFSET = BASE_TIMESTAMP_OFFSET + BASE_TIMESTAMP_LENGTH;
export const MAX_TIMESTAMP_LENGTH = 8;
export const PRODUCER_ID_OFFSET = MAX_TIMESTAMP_OFFSET + MAX_TIMESTAMP_LENGTH;
export const PRODUCER_ID_LENGTH = 8;
export const PRODUCER_EPOCH_OFFSET = PRODUCER_ID_OFFSET + PRODUCER_ID_LENGTH;
export const PRODUCER_EPOCH_LENGTH = 2;
export const BASE_SEQUENCE_OFFSET = PRODUCER_EPOCH_OFFSET + PRODUCER_EPOCH_LENGTH;
export const BASE_SEQUENCE_LENGTH = 4;
export const RECORDS_COUNT_OFFSET = BASE_SEQUENCE_OFFSET + BASE_SEQUENCE_LENGTH;
export const RECORDS_COUNT_LENGTH = 4;
export const RECORDS_OFFSET = RECORDS_COUNT_OFFSET + RECORDS_COUNT_LENGTH;

/** Header size: a batch with no records is exactly this long. */
export const RECORD_BATCH_OVERHEAD = RECORDS_OFFSET;
/** baseOffset + batchLength: the part of a batch that batchLength does not count. */
export const LOG_OVERHEAD = BATCH_LENGTH_OFFSET + BATCH_LENGTH_LENGTH;
/** Smallest legal batchLength (a header with zero records). */
export const MIN_BATCH_LENGTH = RECORD_BATCH_OVERHEAD - LOG_OVERHEAD;
/** The CRC covers [CRC_START, end of batch). */
export const CRC_START = ATTRIBUTES_OFFSET;

export const CURRENT_MAGIC = 2;

// Attribute bits.
export const COMPRESSION_CODEC_MASK = 0x07;
export const TIMESTAMP_TYPE_MASK = 0x08;
export const TRANSACTIONAL_FLAG_MASK = 0x10;
export const CONTROL_FLAG_MASK = 0x20;
export const DELETE_HORIZON_FLAG_MASK = 0x40;

/** Compression codec ids stored in attribute bits 0-2. */
export const CompressionCode = { none: 0, gzip: 1, snappy: 2, lz4: 3, zstd: 4 } as const;
export type CompressionName = keyof typeof CompressionCode;
const COMPRESSION_NAMES: readonly CompressionName[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];

/** Name of a codec id, or `unknown(<id>)` for ids 5-7. */
export function compressionName(code: number): string {
  return COMPRESSION_NAMES[code] ?? `unknown(${code})`;
}

export const TimestampType = { CreateTime: 0, LogAppendTime: 1 } as const;
export type TimestampTypeName = keyof typeof TimestampType;

export function timestampTypeName(attributes: number): TimestampTypeName {
  return (attributes & TIMESTAMP_TYPE_MASK) !== 0 ? 'LogAppendTime' : 'CreateTime';
}

/** Producer fields of a batch written without an idempotent producer. */
export const NO_PRODUCER_ID = -1;
export const NO_PRODUCER_EPOCH = -1;
export const NO_SEQUENCE = -1;
export const NO_PARTITION_LEADER_EPOCH = -1;
export const NO_TIMESTAMP = -1;
