// Status codes returned by the native core (mirrored by ts/native/status.ts; a test checks the
// two agree, so keep one `Name = value,` per line). Ok is 0; every failure reason is negative.
// Data problems are returned as a Status, never thrown: the napi layer raises TypeError only for
// programmer mistakes in arguments.
#pragma once
#include <cstdint>

namespace samsa {

enum class Status : int32_t {
  Ok = 0,
  BatchTooShort = -1,           // batchLength < 49 (a batch is at least 61 bytes) or < 12 bytes left
  BatchLengthOutOfBounds = -2,  // batch extends past the end of the scanned range
  Truncated = -3,               // Recover mode: incomplete trailing batch (torn write)
  BadMagic = -4,                // magic byte is not 2
  CrcMismatch = -5,             // CRC32C over [21, end) differs from the stored value
  BadRecordCount = -6,          // recordsCount <= 0 (produce), < 0 or > lastOffsetDelta + 1 (log)
  BadLastOffsetDelta = -7,      // lastOffsetDelta != recordsCount - 1 (produce) or < 0 (log)
  RecordFramingError = -8,      // uncompressed records do not tile the batch / offsetDelta != i
  NonMonotonicOffsets = -9,     // baseOffset <= previous batch's last offset (or negative)
  SummaryTooSmall = -10,        // summary array full: continue from validBytes
  OffsetOverflow = -11,         // baseOffset + lastOffsetDelta exceeds 2^53 - 1
};

inline constexpr int32_t to_int(Status s) { return static_cast<int32_t>(s); }

}  // namespace samsa
