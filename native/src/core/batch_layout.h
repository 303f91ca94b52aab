// Kafka record batch v2 header (magic 2), all integers big-endian. Each offset is chained from
// the previous field so a size change cannot silently desynchronise the table.
//
//   off size field                 notes
//     0   8  baseOffset            assigned by the leader (outside the CRC)
//     8   4  batchLength           bytes after this field: total size = 12 + batchLength
//    12   4  partitionLeaderEpoch  stamped by the leader (outside the CRC)
//    16   1  magic                 2
//    17   4  crc                   CRC-32C over [21, end)
//    21   2  attributes            bits 0-2 codec, 3 LogAppendTime, 4 transactional, 5 control,
//                                  6 delete horizon
//    23   4  lastOffsetDelta
//    27   8  baseTimestamp (firstTimestamp)
//    35   8  maxTimestamp
//    43   8  producerId
//    51   2  producerEpoch
//    53   4  baseSequence
//    57   4  recordsCount
//    61      records (one compressed blob when attributes & 7 != 0)
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace samsa::batch {

inline constexpr size_t kBaseOffsetOff = 0;
inline constexpr size_t kBaseOffsetLen = 8;
inline constexpr size_t kLengthOff = kBaseOffsetOff + kBaseOffsetLen;
inline constexpr size_t kLengthLen = 4;
inline constexpr size_t kLogOverhead = kLengthOff + kLengthLen;  // 12
inline constexpr size_t kLeaderEpochOff = kLogOverhead;
inline constexpr size_t kLeaderEpochLen = 4;
inline constexpr size_t kMagicOff = kLeaderEpochOff + kLeaderEpochLen;
inline constexpr size_t kMagicLen = 1;
inline constexpr size_t kCrcOff = kMagicOff + kMagicLen;
inline constexpr size_t kCrcLen = 4;
inline constexpr size_t kAttributesOff = kCrcOff + kCrcLen;  // CRC covers [21, end)
inline constexpr size_t kAttributesLen = 2;
inline constexpr size_t kLastOffsetDeltaOff = kAttributesOff + kAttributesLen;
inline constexpr size_t kLastOffsetDeltaLen = 4;
inline constexpr size_t kBaseTimestampOff = kLastOffsetDeltaOff + kLastOffsetDeltaLen;
inline constexpr size_t kBaseTimestampLen = 8;
inline constexpr size_t kMaxTimestampOff = kBaseTimestampOff + kBaseTimestampLen;
inline constexpr size_t kMaxTimestampLen = 8;
inline constexpr size_t kProducerIdOff = kMaxTimestampOff + kMaxTimestampLen;
inline constexpr size_t kProducerIdLen = 8;
inline constexpr size_t kProducerEpochOff = kProducerIdOff + kProducerIdLen;
inline constexpr size_t kProducerEpochLen = 2;
inline constexpr size_t kBaseSequenceOff = kProducerEpochOff + kProducerEpochLen;
inline constexpr size_t kBaseSequenceLen = 4;
inline constexpr size_t kRecordsCountOff = kBaseSequenceOff + kBaseSequenceLen;
inline constexpr size_t kRecordsCountLen = 4;
inline constexpr size_t kRecordsOff = kRecordsCountOff + kRecordsCountLen;  // 61
inline constexpr size_t kHeaderSize = kRecordsOff;
// Smallest legal batchLength: a header with no records.
inline constexpr int32_t kMinBatchLength = static_cast<int32_t>(kHeaderSize - kLogOverhead);  // 49
inline constexpr uint8_t kMagic = 2;

inline constexpr uint16_t kCompressionMask = 0x07;
inline constexpr uint16_t kTimestampTypeMask = 0x08;
inline constexpr uint16_t kTransactionalMask = 0x10;
inline constexpr uint16_t kControlMask = 0x20;
inline constexpr uint16_t kDeleteHorizonMask = 0x40;

static_assert(kCrcOff == 17 && kAttributesOff == 21 && kRecordsOff == 61, "v2 layout");

inline uint16_t be16(const uint8_t* p) { return static_cast<uint16_t>((p[0] << 8) | p[1]); }
inline uint32_t be32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}
inline uint64_t be64(const uint8_t* p) { return (uint64_t{be32(p)} << 32) | be32(p + 4); }
inline int16_t sbe16(const uint8_t* p) { return static_cast<int16_t>(be16(p)); }
inline int32_t sbe32(const uint8_t* p) { return static_cast<int32_t>(be32(p)); }
inline int64_t sbe64(const uint8_t* p) { return static_cast<int64_t>(be64(p)); }

inline void put_be16(uint8_t* p, uint16_t v) {
  p[0] = static_cast<uint8_t>(v >> 8);
  p[1] = static_cast<uint8_t>(v);
}
inline void put_be32(uint8_t* p, uint32_t v) {
  p[0] = static_cast<uint8_t>(v >> 24);
  p[1] = static_cast<uint8_t>(v >> 16);
  p[2] = static_cast<uint8_t>(v >> 8);
  p[3] = static_cast<uint8_t>(v);
}
inline void put_be64(uint8_t* p, uint64_t v) {
  put_be32(p, static_cast<uint32_t>(v >> 32));
  put_be32(p + 4, static_cast<uint32_t>(v));
}

}  // namespace samsa::batch
