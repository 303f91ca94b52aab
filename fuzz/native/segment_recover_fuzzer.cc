// libFuzzer target: arbitrary `.log` contents through the recovery loop as
// ts/storage/recovery.ts runs it (recoverSegment): scan in chunks in Recover mode, accept batches
// while their offsets follow (base >= expected, last - segmentBase <= INT32_MAX), grow the chunk
// when a batch straddles its end and the file holds the rest, stop at the first invalid byte, and
// rebuild the .index/.timeindex entries as LogSegment.append does (every indexIntervalBytes).
// Checks: the chunked loop and a whole-file scan keep the same prefix and build the same indexes
// (chunking loses nothing valid); the prefix rescans Ok in Replica mode; both rebuilt indexes
// pass the sanity checks; every batch in the prefix is found through the offset index.
#include <cstring>
#include <vector>

#include "batch_layout.h"
#include "batch_scan.h"
#include "fuzz_check.h"
#include "index_file.h"

namespace scan = samsa::scan;
using samsa::ScanMode;

namespace {

constexpr int64_t kSegmentBase = 0;   // the file name's base offset
constexpr int64_t kIndexInterval = 128;
constexpr int64_t kInt32Max = 0x7fffffff;

struct Recovered {
  size_t pos = 0;
  std::vector<int64_t> batch_pos, batch_last;
  std::vector<uint8_t> index, time_index;
};

void put32(std::vector<uint8_t>* v, int32_t x) {
  uint8_t b[4];
  samsa::batch::put_be32(b, static_cast<uint32_t>(x));
  v->insert(v->end(), b, b + 4);
}
void put64(std::vector<uint8_t>* v, int64_t x) {
  uint8_t b[8];
  samsa::batch::put_be64(b, static_cast<uint64_t>(x));
  v->insert(v->end(), b, b + 8);
}

Recovered recover(const std::vector<uint8_t>& file, size_t chunk) {
  Recovered r;
  const size_t size = file.size();
  int64_t expected = kSegmentBase, bytes_since_index = 0;
  int64_t max_ts = -1, offset_of_max_ts = kSegmentBase, last_time_entry_ts = 0;
  size_t time_entries = 0;
  std::vector<uint8_t> buf;
  while (r.pos < size) {
    const size_t len = std::min(chunk, size - r.pos);
    buf.assign(file.begin() + r.pos, file.begin() + r.pos + len);  // exact-size copy (pread)
    const size_t cap = len / 61 + 1;
    std::vector<double> out(scan::kHeaderSlots + cap * scan::kStride);
    samsa::ScanRequest req;
    req.buf = buf.data();
    req.end = len;
    req.mode = ScanMode::Recover;
    req.out = out.data();
    req.out_len = out.size();
    samsa::scan_batches(req);
    const int count = static_cast<int>(out[scan::kCount]);
    size_t good_bytes = 0;
    bool broken = false;
    for (int i = 0; i < count; i++) {
      const double* s = out.data() + scan::kHeaderSlots + i * scan::kStride;
      const size_t at = static_cast<size_t>(s[scan::kPosition]);
      const int64_t base = samsa::batch::sbe64(buf.data() + at);
      const int64_t last = base + static_cast<int64_t>(s[scan::kLastOffsetDelta]);
      if (base < expected || last < base || last - kSegmentBase > kInt32Max) {
        broken = true;
        break;
      }
      const int64_t ts = static_cast<int64_t>(s[scan::kMaxTimestamp]);
      if (ts > max_ts) max_ts = ts, offset_of_max_ts = last;
      if (bytes_since_index > kIndexInterval) {
        put32(&r.index, static_cast<int32_t>(last - kSegmentBase));
        put32(&r.index, static_cast<int32_t>(r.pos + at));
        if (time_entries == 0 || max_ts > last_time_entry_ts) {
          put64(&r.time_index, max_ts);
          put32(&r.time_index, static_cast<int32_t>(offset_of_max_ts - kSegmentBase));
          last_time_entry_ts = max_ts;
          time_entries++;
        }
        bytes_since_index = 0;
      }
      bytes_since_index += static_cast<int64_t>(s[scan::kSize]);
      r.batch_pos.push_back(static_cast<int64_t>(r.pos + at));
      r.batch_last.push_back(last);
      expected = last + 1;
      good_bytes = at + static_cast<size_t>(s[scan::kSize]);
    }
    r.pos += good_bytes;
    if (broken) break;
    if (good_bytes == len) continue;
    // frameProblem: a batch that straddles the chunk end and fits the file → read it whole.
    const size_t left = len - good_bytes;
    // Fewer header bytes than a full header in this chunk: re-read from r.pos when the file
    // holds the header (as ts/storage/recovery.ts); only the end of the file is a torn tail.
    if (left < samsa::batch::kLogOverhead) {
      if (r.pos + samsa::batch::kLogOverhead <= size) continue;
      break;
    }
    const uint8_t* b = buf.data() + good_bytes;
    const int32_t blen = samsa::batch::sbe32(b + samsa::batch::kLengthOff);
    if (blen < samsa::batch::kMinBatchLength) break;
    const size_t need = samsa::batch::kLogOverhead + static_cast<size_t>(blen);
    if (left > samsa::batch::kMagicOff && b[samsa::batch::kMagicOff] != samsa::batch::kMagic) break;
    if (left < need && r.pos + need <= size) {
      if (need > chunk) chunk = need;
      continue;
    }
    break;
  }
  return r;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::vector<uint8_t> file(data, data + size);
  const Recovered chunked = recover(file, 200);
  const Recovered whole = recover(file, size ? size : 1);
  FUZZ_CHECK(chunked.pos == whole.pos, "chunked recovery keeps %zu bytes, whole-file %zu", chunked.pos, whole.pos);
  FUZZ_CHECK(chunked.batch_pos == whole.batch_pos && chunked.batch_last == whole.batch_last,
             "chunked and whole-file recovery accept different batches");
  FUZZ_CHECK(chunked.index == whole.index && chunked.time_index == whole.time_index,
             "chunked and whole-file recovery build different indexes");
  const size_t pos = whole.pos;
  FUZZ_CHECK(pos <= size, "recovered %zu of %zu bytes", pos, size);

  // The kept prefix is a valid log: Replica mode accepts it whole.
  std::vector<uint8_t> prefix(file.begin(), file.begin() + pos);
  const size_t n = whole.batch_pos.size();
  std::vector<double> out(scan::kHeaderSlots + (n + 1) * scan::kStride);
  samsa::ScanRequest req;
  req.buf = prefix.data();
  req.end = pos;
  req.mode = ScanMode::Replica;
  req.out = out.data();
  req.out_len = out.size();
  const int32_t rc = samsa::scan_batches(req);
  FUZZ_CHECK(rc == static_cast<int32_t>(n), "recovered prefix rescans with %d, expected %zu batches", rc, n);

  // Rebuilt indexes are sane, and lookups land at or before each batch.
  const size_t entries = whole.index.size() / samsa::index::kOffsetEntrySize;
  const size_t time_entries = whole.time_index.size() / samsa::index::kTimeEntrySize;
  const uint8_t* idx = whole.index.data();
  FUZZ_CHECK(samsa::index::offset_sanity(idx, entries, static_cast<int64_t>(pos)) == -1,
             "rebuilt offset index fails sanity");
  const int64_t max_rel = n ? whole.batch_last.back() - kSegmentBase : 0;
  FUZZ_CHECK(samsa::index::time_sanity(whole.time_index.data(), time_entries, max_rel) == -1,
             "rebuilt time index fails sanity");
  for (size_t i = 0; i < n; i++) {
    const int64_t slot = samsa::index::offset_lookup(idx, entries, whole.batch_last[i] - kSegmentBase);
    FUZZ_CHECK(slot >= -1 && slot < static_cast<int64_t>(entries), "lookup slot %lld", static_cast<long long>(slot));
    const int64_t start = slot < 0 ? 0 : samsa::batch::sbe32(idx + slot * 8 + 4);
    FUZZ_CHECK(start <= whole.batch_pos[i], "index sends offset %lld to position %lld, after its batch at %lld",
               static_cast<long long>(whole.batch_last[i]), static_cast<long long>(start),
               static_cast<long long>(whole.batch_pos[i]));
  }
  return 0;
}
