// CRC-32C with the SSE4.2 `crc32` instruction. One crc32 on 8 bytes has a latency of 3 cycles,
// and cores issue 1 (Intel, Zen 1-4) or 2 (Zen 5) per cycle, so one dependent chain uses a third
// to a sixth of the unit. The input is cut into blocks of S equal lanes, each lane its own chain
// from 0, and merged with the zeros operator (crc32c_gf2.h):
//   reg(c | A | B | .. | Z) = shift(c, S n) ^ shift(regA, (S-1) n) ^ ... ^ shift(regY, n) ^ regZ.
//
// Main path (SSE4.2 + PCLMULQDQ): each shift is one carry-less multiply by a compile-time
// constant; the products are XORed and reduced by ONE crc32 (about 10 cycles per block, whatever
// the lane length). The carried register c only enters that merge, so the chains of the next
// block do not wait for it. Blocks: 12 lanes of 5440 bytes (a 64 KiB buffer is one block and
// 256 bytes), then of 1344 (16 KiB: one block and 256), then of 320; lanes are whole cache
// lines, one prefetched per lane per iteration. Measured on Zen 5: 12 chains beat 8 and 10 by
// 5-10%, and these tiers beat 2688/320 by 1-6% at 16 KiB-1 MiB. Then one last block of 8 lanes
// of len/64*8 bytes with constants from a table, and < 64 bytes on one chain. No alignment
// prologue: unaligned 8-byte loads cost the same as aligned ones here
// (bench/micro/crc32c_native.cc --offset measures both).
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

// ---- main path: 8 or 12 lanes, PCLMULQDQ merge ---------------------------------------------

// Shifts<S, L>: k[s] moves lane s's register past the S - 1 - s lanes of L bytes after it;
// k[S - 1] moves the register carried in from before the block past the whole block.
template <int S, size_t L>
struct Shifts {
  uint32_t k[S];
  constexpr Shifts() : k() {
    for (int s = 0; s < S - 1; s++) k[s] = gf2::clmul_shift_constant(L * (S - 1 - s));
    k[S - 1] = gf2::clmul_shift_constant(L * S);
  }
};
template <int S, size_t L>
constexpr Shifts<S, L> kShifts{};

SAMSA_SSE42_CLMUL inline __m128i clmul32(uint32_t a, uint32_t k) {
  return _mm_clmulepi64_si128(_mm_cvtsi32_si128(static_cast<int>(a)),
                              _mm_cvtsi32_si128(static_cast<int>(k)), 0);
}

// The same for a chain register (the crc32 result, zero-extended to 64 bits).
SAMSA_SSE42_CLMUL inline __m128i clmul64(uint64_t reg, uint32_t k) {
  return clmul32(static_cast<uint32_t>(reg), k);
}

// Runs S lanes of L bytes from p, each chain from 0, and returns the register after the carried
// register c and the block: shift(c, S L) ^ shift(lane 0, (S-1) L) ^ ... ^ lane S-1. The chains
// do not wait for c, so consecutive blocks overlap; c's own path is one clmul and one crc32.
template <int S, size_t L>
SAMSA_SSE42_CLMUL inline uint32_t lanes_clmul(uint32_t c, const uint8_t* p) {
  static_assert(L % 64 == 0, "lanes are whole cache lines");
  uint64_t r[S] = {};
  // One cache line per lane per iteration, fetched two lines ahead: 12 lanes are more streams
  // than the L1 prefetcher follows (measured: +3-8% at 64 KiB-1 MiB; the 8-word unroll alone
  // gives +10%, the loop's own instructions being a tenth of the work at one word per lane).
  for (size_t i = 0; i < L; i += 64) {
#pragma GCC unroll 16
    for (int s = 0; s < S; s++) __builtin_prefetch(p + s * L + i + 128, 0, 3);
#pragma GCC unroll 8
    for (size_t j = 0; j < 64; j += 8) {
#pragma GCC unroll 16
      for (int s = 0; s < S; s++) r[s] = step64(r[s], p + s * L + i + j);
    }
  }
  __m128i acc = clmul32(c, kShifts<S, L>.k[S - 1]);
#pragma GCC unroll 16
  for (int s = 0; s < S - 1; s++) acc = _mm_xor_si128(acc, clmul64(r[s], kShifts<S, L>.k[s]));
  const uint64_t folded = static_cast<uint64_t>(_mm_cvtsi128_si64(acc));
  return static_cast<uint32_t>(_mm_crc32_u64(0, folded)) ^ static_cast<uint32_t>(r[S - 1]);
}

template <int S, size_t L>
SAMSA_SSE42_CLMUL inline void tier(uint32_t& c, const uint8_t*& p, size_t& len) {
  while (len >= S * L) {
    c = lanes_clmul<S, L>(c, p);
    p += S * L;
    len -= S * L;
  }
}

// The last block, for 128 <= len < 12 * 320: 8 lanes of L = len / 64 * 8 bytes (16..496), so
// that at most 63 bytes are left to one chain. The constants for every such L come from a table
// (63 rows of 9, 2.2 KiB, built by the compiler).
constexpr size_t kVarMaxLane = 504;
struct VarShifts {
  uint32_t k[kVarMaxLane / 8][9];
  // Built incrementally (x^(8L - 33) and x^(8L) step by x^64 from row to row; lane m's constant
  // is the previous one times x^(8L)), about 600 multiplies in all: computing each constant from
  // scratch exceeds clang's constexpr step limit (the fuzzers build with clang).
  constexpr VarShifts() : k() {
    const uint32_t x64 = gf2::xn_mod_p(64);
    uint32_t base = gf2::clmul_shift_constant(16);  // x^(8 L - 33) for L = 16
    uint32_t lane = gf2::xn_mod_p(8 * 16);           // x^(8 L)
    for (size_t row = 2; row < kVarMaxLane / 8; row++) {
      uint32_t m = base;  // shift past 1 lane
      for (int lanes = 1; lanes <= 8; lanes++) {
        k[row][lanes == 8 ? 7 : 7 - lanes] = m;
        m = gf2::mult_mod_p(m, lane);
      }
      base = gf2::mult_mod_p(base, x64);
      lane = gf2::mult_mod_p(lane, x64);
    }
  }
};
constexpr VarShifts kVarShifts{};

SAMSA_SSE42_CLMUL inline uint32_t var_block(uint32_t c, const uint8_t* p, size_t L) {
  const uint8_t* a = p;
  const uint8_t* b = p + 4 * L;
  const size_t L3 = 3 * L;
  uint64_t r0 = 0, r1 = 0, r2 = 0, r3 = 0, r4 = 0, r5 = 0, r6 = 0, r7 = 0;
  // Unrolled 4 deep (the compiler peels the L/8 % 4 remainder): +6-10% at 1-3 KiB.
#pragma GCC unroll 4
  for (const uint8_t* end = p + L; a < end; a += 8, b += 8) {
    r0 = step64(r0, a);
    r1 = step64(r1, a + L);
    r2 = step64(r2, a + 2 * L);
    r3 = step64(r3, a + L3);
    r4 = step64(r4, b);
    r5 = step64(r5, b + L);
    r6 = step64(r6, b + 2 * L);
    r7 = step64(r7, b + L3);
  }
  const uint32_t* k = kVarShifts.k[L / 8];
  // A balanced XOR tree: the carried register's path is clmul, 3 XORs, crc32.
  const __m128i x01 = _mm_xor_si128(clmul64(r0, k[0]), clmul64(r1, k[1]));
  const __m128i x23 = _mm_xor_si128(clmul64(r2, k[2]), clmul64(r3, k[3]));
  const __m128i x45 = _mm_xor_si128(clmul64(r4, k[4]), clmul64(r5, k[5]));
  const __m128i x6c = _mm_xor_si128(clmul64(r6, k[6]), clmul32(c, k[7]));
  const __m128i acc = _mm_xor_si128(_mm_xor_si128(x01, x23), _mm_xor_si128(x45, x6c));
  const uint64_t folded = static_cast<uint64_t>(_mm_cvtsi128_si64(acc));
  return static_cast<uint32_t>(_mm_crc32_u64(0, folded)) ^ static_cast<uint32_t>(r7);
}

SAMSA_SSE42_CLMUL uint32_t crc32c_clmul(const uint8_t* p, size_t len, uint32_t c) {
  tier<12, 5440>(c, p, len);
  tier<12, 1344>(c, p, len);
  tier<12, 320>(c, p, len);
  if (len >= 128) {
    const size_t L = len / 64 * 8;
    c = var_block(c, p, L);
    p += 8 * L;
    len -= 8 * L;
  }
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
