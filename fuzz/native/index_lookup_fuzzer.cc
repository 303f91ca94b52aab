// libFuzzer target: arbitrary .index / .timeindex bytes through samsa::index lookups and sanity
// checks (index_file.h), compared with brute force.
//   byte 0     0x01: time index (else offset index); 0x02: count = all whole entries, else
//              count = byte 1 % (entries + 1) (the trusted prefix of a preallocated file)
//   byte 2-9   lookup target (big-endian int64; offset targets are taken mod 2^32 as int32)
//   byte 10-17 log size (offset index) / max relative offset (time index), big-endian int64
//   byte 18..  the index file
// Sanity == the brute-force rule; lookups always return a slot in [-1, count); when the index
// is sane, lookups equal a linear scan.
#include <vector>

#include "batch_layout.h"
#include "fuzz_check.h"
#include "index_file.h"

namespace ix = samsa::index;
using samsa::batch::sbe32;
using samsa::batch::sbe64;

namespace {

int64_t brute_offset_sanity(const uint8_t* e, size_t n, int64_t log_size) {
  for (size_t i = 0; i < n; i++) {
    const int32_t rel = sbe32(e + i * 8), pos = sbe32(e + i * 8 + 4);
    if (rel < 0 || pos < 0 || pos >= log_size) return static_cast<int64_t>(i);
    if (i > 0 && (rel <= sbe32(e + (i - 1) * 8) || pos <= sbe32(e + (i - 1) * 8 + 4))) return static_cast<int64_t>(i);
  }
  return -1;
}

int64_t brute_time_sanity(const uint8_t* e, size_t n, int64_t max_rel) {
  for (size_t i = 0; i < n; i++) {
    const int64_t ts = sbe64(e + i * 12);
    const int32_t rel = sbe32(e + i * 12 + 8);
    if (rel < 0 || rel > max_rel) return static_cast<int64_t>(i);
    if (i > 0 && (ts <= sbe64(e + (i - 1) * 12) || rel < sbe32(e + (i - 1) * 12 + 8))) return static_cast<int64_t>(i);
  }
  return -1;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  constexpr size_t kHead = 18;
  if (size < kHead) return 0;
  const bool time = data[0] & 0x01;
  const int64_t target = sbe64(data + 2);
  const int64_t bound = sbe64(data + 10);
  const std::vector<uint8_t> file(data + kHead, data + size);  // exact size: ASan sees overreads
  const size_t entry = time ? ix::kTimeEntrySize : ix::kOffsetEntrySize;
  const size_t whole = file.size() / entry;
  const size_t n = (data[0] & 0x02) ? whole : data[1] % (whole + 1);
  const uint8_t* e = file.data();

  if (!time) {
    const int64_t t32 = static_cast<int32_t>(static_cast<uint32_t>(target));
    const int64_t sane = ix::offset_sanity(e, n, bound);
    FUZZ_CHECK(sane == brute_offset_sanity(e, n, bound), "offset_sanity %lld", static_cast<long long>(sane));
    const int64_t slot = ix::offset_lookup(e, n, t32);
    FUZZ_CHECK(slot >= -1 && slot < static_cast<int64_t>(n), "offset_lookup slot %lld of %zu",
               static_cast<long long>(slot), n);
    if (ix::offset_sanity(e, n, INT64_MAX) == -1) {
      int64_t expect = -1;
      for (size_t i = 0; i < n; i++) if (sbe32(e + i * 8) <= t32) expect = static_cast<int64_t>(i);
      FUZZ_CHECK(slot == expect, "offset_lookup(%lld) = %lld, linear scan %lld", static_cast<long long>(t32),
                 static_cast<long long>(slot), static_cast<long long>(expect));
    }
    return 0;
  }
  const int64_t sane = ix::time_sanity(e, n, bound);
  FUZZ_CHECK(sane == brute_time_sanity(e, n, bound), "time_sanity %lld", static_cast<long long>(sane));
  int64_t floor_slot = -2, ceil_slot = -2;
  ix::time_lookup(e, n, target, &floor_slot, &ceil_slot);
  FUZZ_CHECK(floor_slot >= -1 && floor_slot < static_cast<int64_t>(n), "floor slot %lld", static_cast<long long>(floor_slot));
  FUZZ_CHECK(ceil_slot >= -1 && ceil_slot < static_cast<int64_t>(n), "ceiling slot %lld", static_cast<long long>(ceil_slot));
  bool sorted = true;
  for (size_t i = 1; i < n; i++) sorted = sorted && sbe64(e + i * 12) > sbe64(e + (i - 1) * 12);
  if (sorted) {
    int64_t f = -1, c = -1;
    for (size_t i = 0; i < n; i++) {
      const int64_t ts = sbe64(e + i * 12);
      if (ts <= target) f = static_cast<int64_t>(i);
      if (c < 0 && ts >= target) c = static_cast<int64_t>(i);
    }
    FUZZ_CHECK(floor_slot == f && ceil_slot == c, "time_lookup(%lld) = (%lld, %lld), linear (%lld, %lld)",
               static_cast<long long>(target), static_cast<long long>(floor_slot), static_cast<long long>(ceil_slot),
               static_cast<long long>(f), static_cast<long long>(c));
  }
  return 0;
}
