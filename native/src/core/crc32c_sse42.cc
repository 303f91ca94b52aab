// CRC-32C with the SSE4.2 `crc32` instruction. The instruction has a latency of ~3 cycles and a
// throughput of 1/cycle, so one dependent chain uses a third of the unit: large inputs are cut
// into blocks of 3 equal lanes, each lane gets its own chain, and the three registers are merged
// with the zeros operator (crc32c_gf2.h): reg(A|B|C) = shift(regA, 2n) ^ shift(regB, n) ^ regC.
// The functions carry __attribute__((target("sse4.2"))) so the file also builds without
// -msse4.2 (node-gyp); CMake still compiles this file alone with -msse4.2. Callers must check
// crc32c_has_sse42() first (crc32c_dispatch.cc does).
#include <cstring>

#include "crc32c.h"
#include "crc32c_gf2.h"

#if defined(__x86_64__) || defined(__i386__)
#include <nmmintrin.h>

namespace samsa {
namespace {

constexpr size_t kLongLane = 4096;
constexpr size_t kShortLane = 256;
constexpr uint32_t kLong1 = gf2::x8n_mod_p(kLongLane);
constexpr uint32_t kLong2 = gf2::x8n_mod_p(2 * kLongLane);
constexpr uint32_t kShort1 = gf2::x8n_mod_p(kShortLane);
constexpr uint32_t kShort2 = gf2::x8n_mod_p(2 * kShortLane);

inline uint64_t load64(const uint8_t* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

__attribute__((target("sse4.2"))) inline uint64_t step64(uint64_t c, const uint8_t* p) {
#if defined(__x86_64__)
  return _mm_crc32_u64(c, load64(p));
#else
  uint32_t lo, hi;
  std::memcpy(&lo, p, 4);
  std::memcpy(&hi, p + 4, 4);
  return _mm_crc32_u32(_mm_crc32_u32(static_cast<uint32_t>(c), lo), hi);
#endif
}

// Runs 3 lanes of `lane` bytes each from `p`, merging into `c`; lane is a multiple of 8.
__attribute__((target("sse4.2"))) inline uint32_t three_lanes(uint32_t c, const uint8_t* p,
                                                               size_t lane, uint32_t k1,
                                                               uint32_t k2) {
  uint64_t a = c, b = 0, d = 0;
  const uint8_t* pb = p + lane;
  const uint8_t* pd = p + 2 * lane;
  for (size_t i = 0; i < lane; i += 8) {
    a = step64(a, p + i);
    b = step64(b, pb + i);
    d = step64(d, pd + i);
  }
  return gf2::mult_mod_p(k2, static_cast<uint32_t>(a)) ^
         gf2::mult_mod_p(k1, static_cast<uint32_t>(b)) ^ static_cast<uint32_t>(d);
}

}  // namespace

__attribute__((target("sse4.2"))) uint32_t crc32c_sse42(const uint8_t* data, size_t len,
                                                         uint32_t crc) {
  uint32_t c = ~crc;
  while (len != 0 && (reinterpret_cast<uintptr_t>(data) & 7) != 0) {
    c = _mm_crc32_u8(c, *data++);
    len--;
  }
  while (len >= 3 * kLongLane) {
    c = three_lanes(c, data, kLongLane, kLong1, kLong2);
    data += 3 * kLongLane;
    len -= 3 * kLongLane;
  }
  while (len >= 3 * kShortLane) {
    c = three_lanes(c, data, kShortLane, kShort1, kShort2);
    data += 3 * kShortLane;
    len -= 3 * kShortLane;
  }
  uint64_t c64 = c;
  while (len >= 8) {
    c64 = step64(c64, data);
    data += 8;
    len -= 8;
  }
  c = static_cast<uint32_t>(c64);
  while (len-- != 0) c = _mm_crc32_u8(c, *data++);
  return ~c;
}

bool crc32c_has_sse42() { return __builtin_cpu_supports("sse4.2"); }

}  // namespace samsa

#else  // not x86: the portable path is the only one

namespace samsa {
uint32_t crc32c_sse42(const uint8_t* data, size_t len, uint32_t crc) {
  return crc32c_portable(data, len, crc);
}
bool crc32c_has_sse42() { return false; }
}  // namespace samsa

#endif
