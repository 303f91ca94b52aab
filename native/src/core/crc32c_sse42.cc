// CRC-32C with the SSE4.2 `crc32` instruction. One crc32 on 8 bytes has a latency of 3 cycles,
// and recent cores issue 1 (Intel, Zen 1-4) or 2 (Zen 5) per cycle, so a single dependent chain
// uses 1/3 to 1/6 of the unit. Input is therefore cut into blocks of kStreams equal lanes, each
// lane with its own chain, and the lane registers are merged with the zeros operator
// (crc32c_gf2.h): reg(A|B|..|Z) = shift(regA, (S-1)n) ^ ... ^ shift(regY, n) ^ regZ.
//
// Main path (SSE4.2 + PCLMULQDQ): kStreams = 8 lanes; the merge is one carry-less multiply per
// lane by a compile-time constant, the products XORed, and ONE crc32 to reduce (about 10 cycles
// per block, whatever the lane length). Lanes shrink in tiers (4096, 512, 64, 16 bytes) so that
// every input of >= 128 bytes runs mostly on 8 chains; what is left (< 128 bytes) runs on one
// chain. No alignment prologue: unaligned 8-byte loads cost the same as aligned ones here.
// Fallback (SSE4.2 without PCLMULQDQ, e.g. Nehalem): 3 lanes of 4096 / 256 bytes merged with
// the portable 32-step multiply.
//
// The functions carry __attribute__((target(...))) so the file builds without -msse4.2
// (node-gyp); CMake still compiles it with -msse4.2. Callers must check crc32c_has_sse42()
// first (crc32c_dispatch.cc does); PCLMULQDQ is checked here, per call (a load of libgcc's cpu
// model, filled once at load: no state of our own).
#include <cstring>

#include "crc32c.h"
#include "crc32c_gf2.h"

#if defined(__x86_64__) || defined(__i386__)
#include <nmmintrin.h>
#include <wmmintrin.h>

#define SAMSA_SSE42 __attribute__((target("sse4.2")))
#define SAMSA_SSE42_CLMUL __attribute__((target("sse4.2,pclmul")))

namespace samsa {
namespace {

inline uint64_t load64(const uint8_t* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

SAMSA_SSE42 inline uint64_t step64(uint64_t c, const uint8_t* p) {
#if defined(__x86_64__)
  return _mm_crc32_u64(c, load64(p));
#else
  uint32_t lo, hi;
  std::memcpy(&lo, p, 4);
  std::memcpy(&hi, p + 4, 4);
  return _mm_crc32_u32(_mm_crc32_u32(static_cast<uint32_t>(c), lo), hi);
#endif
}

// One chain over len bytes: 8 at a time, then 4, 2, 1.
SAMSA_SSE42 inline uint32_t one_chain(uint32_t c, const uint8_t* p, size_t len) {
  uint64_t c64 = c;
  for (; len >= 8; len -= 8, p += 8) c64 = step64(c64, p);
  c = static_cast<uint32_t>(c64);
  if (len & 4) {
    uint32_t w;
    std::memcpy(&w, p, 4);
    c = _mm_crc32_u32(c, w);
    p += 4;
  }
  if (len & 2) {
    uint16_t w;
    std::memcpy(&w, p, 2);
    c = _mm_crc32_u16(c, w);
    p += 2;
  }
  if (len & 1) c = _mm_crc32_u8(c, *p);
  return c;
}

// ---- main path: 8 lanes, PCLMULQDQ merge --------------------------------------------------

constexpr int kStreams = 8;

// kShift<L>[s]: the constant that moves lane s's register past the (kStreams - 1 - s) lanes of
// L bytes after it.
template <size_t L>
struct LaneShifts {
  uint32_t k[kStreams - 1];
  constexpr LaneShifts() : k() {
    for (int s = 0; s < kStreams - 1; s++) k[s] = gf2::clmul_shift_constant(L * (kStreams - 1 - s));
  }
};
template <size_t L>
constexpr LaneShifts<L> kShift{};

// Runs kStreams lanes of L bytes from p, the first continuing from c; returns the merged register.
template <size_t L>
SAMSA_SSE42_CLMUL inline uint32_t lanes_clmul(uint32_t c, const uint8_t* p) {
  static_assert(L % 8 == 0 && L >= 8, "lanes are whole 8-byte words");
  uint64_t r[kStreams] = {c};
  for (size_t i = 0; i < L; i += 8) {
#pragma GCC unroll 8
    for (int s = 0; s < kStreams; s++) r[s] = step64(r[s], p + s * L + i);
  }
  __m128i acc = _mm_setzero_si128();
#pragma GCC unroll 8
  for (int s = 0; s < kStreams - 1; s++) {
    const __m128i prod = _mm_clmulepi64_si128(_mm_cvtsi32_si128(static_cast<int>(r[s])),
                                              _mm_cvtsi32_si128(static_cast<int>(kShift<L>.k[s])), 0);
    acc = _mm_xor_si128(acc, prod);
  }
  const uint64_t folded = static_cast<uint64_t>(_mm_cvtsi128_si64(acc));
  return static_cast<uint32_t>(_mm_crc32_u64(0, folded)) ^ static_cast<uint32_t>(r[kStreams - 1]);
}

template <size_t L>
SAMSA_SSE42_CLMUL inline void tier(uint32_t& c, const uint8_t*& p, size_t& len) {
  while (len >= kStreams * L) {
    c = lanes_clmul<L>(c, p);
    p += kStreams * L;
    len -= kStreams * L;
  }
}

SAMSA_SSE42_CLMUL uint32_t crc32c_clmul(const uint8_t* p, size_t len, uint32_t c) {
  tier<4096>(c, p, len);
  tier<512>(c, p, len);
  tier<64>(c, p, len);
  tier<16>(c, p, len);
  return one_chain(c, p, len);
}

// ---- fallback: 3 lanes, software merge -----------------------------------------------------

constexpr size_t kLongLane = 4096;
constexpr size_t kShortLane = 256;
constexpr uint32_t kLong1 = gf2::x8n_mod_p(kLongLane);
constexpr uint32_t kLong2 = gf2::x8n_mod_p(2 * kLongLane);
constexpr uint32_t kShort1 = gf2::x8n_mod_p(kShortLane);
constexpr uint32_t kShort2 = gf2::x8n_mod_p(2 * kShortLane);

// Runs 3 lanes of `lane` bytes each from `p`, merging into `c`; lane is a multiple of 8.
SAMSA_SSE42 inline uint32_t three_lanes(uint32_t c, const uint8_t* p, size_t lane, uint32_t k1,
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

SAMSA_SSE42 uint32_t crc32c_three_lanes(const uint8_t* data, size_t len, uint32_t c) {
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
  return one_chain(c, data, len);
}

}  // namespace

uint32_t crc32c_sse42(const uint8_t* data, size_t len, uint32_t crc) {
  const uint32_t reg = ~crc;
  if (__builtin_cpu_supports("pclmul")) return ~crc32c_clmul(data, len, reg);
  return ~crc32c_three_lanes(data, len, reg);
}

uint32_t crc32c_sse42_no_pclmul(const uint8_t* data, size_t len, uint32_t crc) {
  return ~crc32c_three_lanes(data, len, ~crc);
}

bool crc32c_has_sse42() { return __builtin_cpu_supports("sse4.2"); }

}  // namespace samsa

#else  // not x86: the portable path is the only one

namespace samsa {
uint32_t crc32c_sse42(const uint8_t* data, size_t len, uint32_t crc) {
  return crc32c_portable(data, len, crc);
}
uint32_t crc32c_sse42_no_pclmul(const uint8_t* data, size_t len, uint32_t crc) {
  return crc32c_portable(data, len, crc);
}
bool crc32c_has_sse42() { return false; }
}  // namespace samsa

#endif
