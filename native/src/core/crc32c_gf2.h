// Polynomial arithmetic modulo the CRC-32C polynomial, in the reflected bit order the CRC uses
// (bit 31 holds x^0). constexpr so that shift constants for fixed block sizes are computed by the
// compiler: combining interleaved streams then costs one carry-less multiply per stream (or, on
// CPUs without PCLMULQDQ, one 32-step multiply), not a table.
#pragma once
#include <cstdint>

namespace samsa::gf2 {

inline constexpr uint32_t kPoly = 0x82F63B78u;  // reflected Castagnoli polynomial

// a * b mod P (both reflected).
constexpr uint32_t mult_mod_p(uint32_t a, uint32_t b) {
  uint32_t m = 1u << 31;
  uint32_t p = 0;
  while (m != 0) {
    if (a & m) p ^= b;
    m >>= 1;
    b = (b & 1) ? (b >> 1) ^ kPoly : b >> 1;
  }
  return p;
}

// x^(8 * len) mod P: the operator that appends `len` zero bytes to a CRC register.
constexpr uint32_t x8n_mod_p(uint64_t len) {
  uint32_t result = 1u << 31;  // x^0
  uint32_t sq = 1u << 23;      // x^8 (one byte)
  while (len != 0) {
    if (len & 1) result = mult_mod_p(sq, result);
    sq = mult_mod_p(sq, sq);
    len >>= 1;
  }
  return result;
}

// x^n mod P for any bit count n (x^0 when n == 0).
constexpr uint32_t xn_mod_p(uint64_t n) {
  uint32_t result = 1u << 31;  // x^0
  uint32_t sq = 1u << 30;      // x^1
  while (n != 0) {
    if (n & 1) result = mult_mod_p(sq, result);
    sq = mult_mod_p(sq, sq);
    n >>= 1;
  }
  return result;
}

// The PCLMULQDQ combine constant for appending `len` zero bytes (len >= 5): carry-less
// multiplying a 32-bit register by x^(8 len - 33) gives a 63-bit product that the crc32
// instruction on 64 bits (which multiplies by x^32 and, the product landing one bit low, by x
// once more) reduces to reg * x^(8 len) mod P.
constexpr uint32_t clmul_shift_constant(uint64_t len) { return xn_mod_p(8 * len - 33); }

}  // namespace samsa::gf2
