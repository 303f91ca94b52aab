// How a fuzz input becomes a batch-scan call. The TS twin is fuzz/ts/batch-scan-input.ts: keep
// the two in step (corpus files under fuzz/corpus/batch-scan/ are replayed through both).
//
//   byte 0   mode = b % 3 (0 produce, 1 replica, 2 recover)
//   byte 1   flags: 0x01 assign baseOffsets, 0x02 stamp leader epoch, 0x04 stamp LogAppendTime,
//            0x08 limit the summary to (byte 2 % 4) batches, 0x10 assign near 2^53 - 1
//   byte 2-3 p (big-endian uint16): base = 0x10 ? 2^53 - 1 - p : p * 1000; epoch = p;
//            LogAppendTime = 1700000000000 + p
//   byte 4.. the batches (scanned in place; offsets assigned into this copy)
#pragma once
#include <cstddef>
#include <cstdint>

#include "batch_scan.h"

namespace samsa_fuzz {

inline constexpr size_t kControlBytes = 4;

struct ScanInput {
  samsa::ScanMode mode = samsa::ScanMode::Produce;
  int64_t assign_base = -1;
  int64_t leader_epoch = -1;
  int64_t log_append_time = -1;
  int64_t capacity = -1;  // -1: enough for every batch
};

inline ScanInput parse_scan_input(const uint8_t* d) {
  ScanInput in;
  in.mode = static_cast<samsa::ScanMode>(d[0] % 3);
  const uint8_t flags = d[1];
  const int64_t p = (int64_t{d[2]} << 8) | d[3];
  if (flags & 0x01) in.assign_base = (flags & 0x10) ? 9007199254740991LL - p : p * 1000;
  if (flags & 0x02) in.leader_epoch = p;
  if (flags & 0x04) in.log_append_time = 1700000000000LL + p;
  if (flags & 0x08) in.capacity = d[2] % 4;
  return in;
}

}  // namespace samsa_fuzz
