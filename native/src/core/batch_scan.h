// Batch scan: walk a buffer of concatenated v2 record batches, validate each one, write a
// summary per batch into a caller-provided double array, and (only when the whole range is
// valid) assign offsets / leader epoch / LogAppendTime in place. One call per buffer of batches.
//
// Modes
//   Produce  a client's batches: batchLength >= 49 and inside the range, magic 2, CRC-32C,
//            recordsCount > 0, lastOffsetDelta == recordsCount - 1; uncompressed batches also
//            have their record framing walked (length varints tile the batch exactly, record i
//            has offsetDelta i). baseOffset / partitionLeaderEpoch are not checked.
//   Replica  batches already in a log (fetched from a leader): magic, CRC, 0 <= recordsCount <=
//            lastOffsetDelta + 1 (compaction leaves gaps and empty batches), baseOffset > the
//            previous batch's last offset (first >= 0), last offset <= 2^53 - 1.
//   Recover  as Replica, but an incomplete trailing batch (range ends inside it) is Truncated.
//
// Output array layout (doubles): kHeaderSlots header slots, then kStride fields per batch.
//   header: [validBytes, count, errorBatch, errorPosition, detail1, detail2, 0, 0]
//     validBytes     absolute position just past the last valid batch (start if none)
//     count          batches validated and summarised
//     errorBatch     index of the failing batch, -1 when Ok
//     errorPosition  absolute position of the failing batch, -1 when Ok
//     detail1/2      per status: CrcMismatch stored/computed; BatchTooShort, BatchLengthOutOfBounds
//                    and Truncated batchLength (-1 if unreadable)/bytes left; BadMagic magic/0;
//                    BadRecordCount and BadLastOffsetDelta recordsCount/lastOffsetDelta;
//                    RecordFramingError record index/absolute position of that record;
//                    NonMonotonicOffsets baseOffset/previous last offset; OffsetOverflow
//                    baseOffset/lastOffsetDelta; SummaryTooSmall capacity/0.
//   batch i at kHeaderSlots + i * kStride: see enum Field.
// SummaryTooSmall: the array holds fewer batches than the range; the first `count` batches are
// valid and summarised, nothing is assigned, and the caller continues from validBytes.
// Thread safety: pure function of its arguments; the caller must not let another thread touch
// `buf` or `out` during the call.
#pragma once
#include <cstddef>
#include <cstdint>

#include "status.h"

namespace samsa {

enum class ScanMode : int32_t { Produce = 0, Replica = 1, Recover = 2 };

namespace scan {
inline constexpr size_t kHeaderSlots = 8;
enum Header : size_t {
  kValidBytes = 0, kCount = 1, kErrorBatch = 2, kErrorPosition = 3, kDetail1 = 4, kDetail2 = 5,
};
inline constexpr size_t kStride = 12;
enum Field : size_t {
  kPosition = 0, kSize, kBaseOffset, kLastOffsetDelta, kLeaderEpoch, kAttributes,
  kFirstTimestamp, kMaxTimestamp, kProducerId, kProducerEpoch, kBaseSequence, kRecordCount,
};
inline constexpr double kMaxSafeInteger = 9007199254740991.0;  // 2^53 - 1
}  // namespace scan

struct ScanRequest {
  uint8_t* buf = nullptr;      // batches live in [start, end)
  size_t start = 0;
  size_t end = 0;
  ScanMode mode = ScanMode::Produce;
  double* out = nullptr;       // kHeaderSlots + capacity * kStride doubles
  size_t out_len = 0;
  int64_t assign_base = -1;    // >= 0: write baseOffsets from here (next = base + delta + 1)
  int64_t leader_epoch = -1;   // >= 0: write partitionLeaderEpoch
  int64_t log_append_time = -1;  // >= 0: set LogAppendTime, maxTimestamp = t, re-checksum
};

// Returns the batch count (>= 0) when the whole range is valid, else a negative Status.
int32_t scan_batches(const ScanRequest& req);

}  // namespace samsa
