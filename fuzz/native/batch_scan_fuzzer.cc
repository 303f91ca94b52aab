// libFuzzer target: samsa::scan_batches on arbitrary bytes, every mode, with and without offset
// assignment (input layout in batch_scan_input.h). Checks the contract of batch_scan.h:
//   - the return value is the batch count or a known Status; the header agrees with it;
//   - summaries tile the range from `start`, each batch >= 61 bytes, up to validBytes;
//   - nothing is written unless the whole range is valid and assignment succeeds;
//   - after assignment the buffer rescans Ok with the same batches and the assigned offsets;
//   - Recover and Replica agree except that an incomplete tail is Truncated in Recover;
//   - the scan is deterministic.
#include <cstring>
#include <vector>

#include "batch_layout.h"
#include "batch_scan.h"
#include "batch_scan_input.h"
#include "fuzz_check.h"

using samsa::ScanMode;
using samsa::Status;
namespace scan = samsa::scan;

namespace {

struct Run {
  int32_t rc;
  std::vector<double> out;
};

Run run_scan(uint8_t* buf, size_t len, ScanMode mode, size_t capacity, int64_t base, int64_t epoch,
             int64_t time) {
  Run r;
  r.out.assign(scan::kHeaderSlots + capacity * scan::kStride, -7.0);
  samsa::ScanRequest req;
  req.buf = buf;
  req.start = 0;
  req.end = len;
  req.mode = mode;
  req.out = r.out.data();
  req.out_len = r.out.size();
  req.assign_base = base;
  req.leader_epoch = epoch;
  req.log_append_time = time;
  r.rc = samsa::scan_batches(req);
  return r;
}

bool known_status(int32_t rc) { return rc >= 0 || (rc <= -1 && rc >= -11); }

void check_shape(const Run& r, size_t len, size_t capacity) {
  FUZZ_CHECK(known_status(r.rc), "unknown status %d", r.rc);
  const double valid = r.out[scan::kValidBytes];
  const double count = r.out[scan::kCount];
  FUZZ_CHECK(count >= 0 && count <= static_cast<double>(capacity), "count %f capacity %zu", count, capacity);
  FUZZ_CHECK(valid >= 0 && valid <= static_cast<double>(len), "validBytes %f len %zu", valid, len);
  if (r.rc >= 0) {
    FUZZ_CHECK(r.rc == count, "rc %d count %f", r.rc, count);
    FUZZ_CHECK(valid == static_cast<double>(len), "ok but validBytes %f != %zu", valid, len);
    FUZZ_CHECK(r.out[scan::kErrorBatch] == -1 && r.out[scan::kErrorPosition] == -1, "ok with error slots");
  } else if (r.rc != samsa::to_int(Status::OffsetOverflow) || r.out[scan::kErrorBatch] == count) {
    FUZZ_CHECK(r.out[scan::kErrorBatch] == count, "errorBatch %f count %f", r.out[scan::kErrorBatch], count);
    FUZZ_CHECK(r.out[scan::kErrorPosition] == valid, "errorPosition %f validBytes %f",
               r.out[scan::kErrorPosition], valid);
  }
  double pos = 0;
  for (size_t i = 0; i < static_cast<size_t>(count); i++) {
    const double* s = r.out.data() + scan::kHeaderSlots + i * scan::kStride;
    FUZZ_CHECK(s[scan::kPosition] == pos, "batch %zu at %f, expected %f", i, s[scan::kPosition], pos);
    FUZZ_CHECK(s[scan::kSize] >= 61, "batch %zu size %f", i, s[scan::kSize]);
    FUZZ_CHECK(s[scan::kRecordCount] >= 0, "batch %zu recordCount %f", i, s[scan::kRecordCount]);
    pos += s[scan::kSize];
  }
  FUZZ_CHECK(pos == valid, "batches end at %f, validBytes %f", pos, valid);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < samsa_fuzz::kControlBytes) return 0;
  const samsa_fuzz::ScanInput in = samsa_fuzz::parse_scan_input(data);
  const size_t len = size - samsa_fuzz::kControlBytes;
  // Exact-size heap copies so ASan sees any read past the end.
  std::vector<uint8_t> original(data + samsa_fuzz::kControlBytes, data + size);
  const size_t full = len / 61 + 1;
  const size_t capacity = in.capacity >= 0 ? static_cast<size_t>(in.capacity) : full;

  std::vector<uint8_t> buf(original);
  uint8_t* b = len ? buf.data() : nullptr;
  Run r = run_scan(b, len, in.mode, capacity, in.assign_base, in.leader_epoch, in.log_append_time);
  check_shape(r, len, capacity);
  const bool assigns = in.assign_base >= 0 || in.leader_epoch >= 0 || in.log_append_time >= 0;
  if (r.rc < 0 || !assigns) {
    FUZZ_CHECK(buf == original, "buffer modified although status %d / no assignment", r.rc);
  }

  // Deterministic: the same call on a fresh copy gives the same output.
  {
    std::vector<uint8_t> again(original);
    Run r2 = run_scan(len ? again.data() : nullptr, len, in.mode, capacity, in.assign_base,
                      in.leader_epoch, in.log_append_time);
    FUZZ_CHECK(r2.rc == r.rc && r2.out == r.out && again == buf, "scan is not deterministic");
  }

  if (r.rc >= 0 && assigns) {
    // The assigned buffer rescans Ok in the same mode with the same batches.
    Run re = run_scan(b, len, in.mode, capacity, -1, -1, -1);
    FUZZ_CHECK(re.rc == r.rc, "rescan after assignment: %d, first scan %d", re.rc, r.rc);
    int64_t next = in.assign_base;
    for (int32_t i = 0; i < r.rc; i++) {
      const double* s = re.out.data() + scan::kHeaderSlots + i * scan::kStride;
      const double* f = r.out.data() + scan::kHeaderSlots + i * scan::kStride;
      for (size_t k = 0; k < scan::kStride; k++) {
        FUZZ_CHECK(s[k] == f[k], "batch %d field %zu: summary %f, rescan %f", i, k, f[k], s[k]);
      }
      if (next >= 0) {
        FUZZ_CHECK(s[scan::kBaseOffset] == static_cast<double>(next), "batch %d base %f expected %lld", i,
                   s[scan::kBaseOffset], static_cast<long long>(next));
        next += static_cast<int64_t>(s[scan::kLastOffsetDelta]) + 1;
      }
      if (in.leader_epoch >= 0) FUZZ_CHECK(s[scan::kLeaderEpoch] == in.leader_epoch, "epoch");
      if (in.log_append_time >= 0) {
        FUZZ_CHECK(s[scan::kMaxTimestamp] == in.log_append_time, "LogAppendTime not stamped");
        FUZZ_CHECK((static_cast<int>(s[scan::kAttributes]) & 0x08) != 0, "timestamp type bit");
      }
    }
  }

  // Recover and Replica agree, up to Truncated for an incomplete tail.
  if (in.mode != ScanMode::Produce) {
    std::vector<uint8_t> rep(original), rec(original);
    Run a = run_scan(len ? rep.data() : nullptr, len, ScanMode::Replica, full, -1, -1, -1);
    Run c = run_scan(len ? rec.data() : nullptr, len, ScanMode::Recover, full, -1, -1, -1);
    FUZZ_CHECK(a.out[scan::kCount] == c.out[scan::kCount] && a.out[scan::kValidBytes] == c.out[scan::kValidBytes],
               "replica and recover disagree on the valid prefix");
    if (c.rc == samsa::to_int(Status::Truncated)) {
      FUZZ_CHECK(a.rc == samsa::to_int(Status::BatchLengthOutOfBounds) || a.rc == samsa::to_int(Status::BatchTooShort),
                 "recover Truncated, replica %d", a.rc);
    } else {
      FUZZ_CHECK(a.rc == c.rc && a.out == c.out, "replica %d, recover %d", a.rc, c.rc);
    }
  }
  return 0;
}
