// Lookups and sanity checks over in-memory index entries, big-endian, as on disk:
//   .index      8-byte entries: int32 relative offset (offset - segment base), int32 position
//   .timeindex 12-byte entries: int64 timestamp, int32 relative offset
// `count` is the number of entries the caller trusts (the buffer may be preallocated larger).
// Lookups assume sorted entries (the sanity checks say whether they are). Pure functions.
#pragma once
#include <cstddef>
#include <cstdint>

namespace samsa::index {

inline constexpr size_t kOffsetEntrySize = 8;
inline constexpr size_t kTimeEntrySize = 12;

// Slot of the largest relative offset <= target, or -1 if every entry is greater (or none).
int64_t offset_lookup(const uint8_t* entries, size_t count, int64_t target_rel_offset);

// Slot of the largest timestamp <= target (-1 if none) and slot of the first timestamp >= target
// (-1 if none).
void time_lookup(const uint8_t* entries, size_t count, int64_t target_timestamp,
                 int64_t* floor_slot, int64_t* ceiling_slot);

// First bad slot of an offset index, -1 if sane: relative offsets >= 0 and strictly increasing,
// positions >= 0, strictly increasing and < log_size.
int64_t offset_sanity(const uint8_t* entries, size_t count, int64_t log_size);

// First bad slot of a time index, -1 if sane: timestamps strictly increasing, relative offsets
// >= 0, non-decreasing and <= max_rel_offset.
int64_t time_sanity(const uint8_t* entries, size_t count, int64_t max_rel_offset);

}  // namespace samsa::index
