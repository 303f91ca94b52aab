// Index lookups and sanity checks; contracts in index_file.h. Binary searches over the raw
// big-endian bytes so the TS side never decodes the index into objects.
#include "index_file.h"

#include "batch_layout.h"

namespace samsa::index {
namespace {

inline int32_t rel_offset_at(const uint8_t* e, size_t i) {
  return batch::sbe32(e + i * kOffsetEntrySize);
}
inline int32_t position_at(const uint8_t* e, size_t i) {
  return batch::sbe32(e + i * kOffsetEntrySize + 4);
}
inline int64_t timestamp_at(const uint8_t* e, size_t i) {
  return batch::sbe64(e + i * kTimeEntrySize);
}
inline int32_t time_rel_offset_at(const uint8_t* e, size_t i) {
  return batch::sbe32(e + i * kTimeEntrySize + 8);
}

// Number of leading entries whose key is <= target (keys sorted ascending).
template <typename KeyAt>
size_t count_at_most(size_t count, int64_t target, KeyAt key_at) {
  size_t lo = 0, hi = count;  // answer in [lo, hi]
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (key_at(mid) <= target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// Number of leading entries whose key is < target.
template <typename KeyAt>
size_t count_less(size_t count, int64_t target, KeyAt key_at) {
  size_t lo = 0, hi = count;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (key_at(mid) < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

}  // namespace

int64_t offset_lookup(const uint8_t* entries, size_t count, int64_t target) {
  size_t n = count_at_most(count, target, [&](size_t i) { return rel_offset_at(entries, i); });
  return static_cast<int64_t>(n) - 1;
}

void time_lookup(const uint8_t* entries, size_t count, int64_t target, int64_t* floor_slot,
                 int64_t* ceiling_slot) {
  auto key = [&](size_t i) { return timestamp_at(entries, i); };
  *floor_slot = static_cast<int64_t>(count_at_most(count, target, key)) - 1;
  const size_t first = count_less(count, target, key);
  *ceiling_slot = first < count ? static_cast<int64_t>(first) : -1;
}

int64_t offset_sanity(const uint8_t* entries, size_t count, int64_t log_size) {
  for (size_t i = 0; i < count; i++) {
    const int32_t rel = rel_offset_at(entries, i);
    const int32_t pos = position_at(entries, i);
    bool ok = rel >= 0 && pos >= 0 && pos < log_size;
    if (ok && i > 0) ok = rel > rel_offset_at(entries, i - 1) && pos > position_at(entries, i - 1);
    if (!ok) return static_cast<int64_t>(i);
  }
  return -1;
}

int64_t time_sanity(const uint8_t* entries, size_t count, int64_t max_rel_offset) {
  for (size_t i = 0; i < count; i++) {
    const int32_t rel = time_rel_offset_at(entries, i);
    bool ok = rel >= 0 && rel <= max_rel_offset;
    if (ok && i > 0) {
      ok = timestamp_at(entries, i) > timestamp_at(entries, i - 1) &&
           rel >= time_rel_offset_at(entries, i - 1);
    }
    if (!ok) return static_cast<int64_t>(i);
  }
  return -1;
}

}  // namespace samsa::index
