// Portable CRC-32C: slicing-by-8 (eight 256-entry tables, 8 bytes per step). The tables are
// constexpr (built by the compiler, read-only), so the addon has no mutable statics.
// Why hand-written: the crc32c npm packages are JS or need their own addon; this file is also
// the fallback on CPUs without SSE4.2 and the reference the SSE path is tested against.
#include <array>
#include <cstring>

#include "crc32c.h"
#include "crc32c_gf2.h"

namespace samsa {
namespace {

using Tables = std::array<std::array<uint32_t, 256>, 8>;

constexpr Tables make_tables() {
  Tables t{};
  for (uint32_t n = 0; n < 256; n++) {
    uint32_t c = n;
    for (int k = 0; k < 8; k++) c = (c & 1) ? (c >> 1) ^ gf2::kPoly : c >> 1;
    t[0][n] = c;
  }
  for (uint32_t n = 0; n < 256; n++) {
    for (int k = 1; k < 8; k++) t[k][n] = (t[k - 1][n] >> 8) ^ t[0][t[k - 1][n] & 0xff];
  }
  return t;
}

constexpr Tables kTables = make_tables();

inline uint64_t load_le64(const uint8_t* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
  v = __builtin_bswap64(v);
#endif
  return v;
}

}  // namespace

uint32_t crc32c_portable(const uint8_t* data, size_t len, uint32_t crc) {
  uint32_t c = ~crc;
  while (len != 0 && (reinterpret_cast<uintptr_t>(data) & 7) != 0) {
    c = (c >> 8) ^ kTables[0][(c ^ *data++) & 0xff];
    len--;
  }
  while (len >= 8) {
    uint64_t w = load_le64(data) ^ c;
    c = kTables[7][w & 0xff] ^ kTables[6][(w >> 8) & 0xff] ^ kTables[5][(w >> 16) & 0xff] ^
        kTables[4][(w >> 24) & 0xff] ^ kTables[3][(w >> 32) & 0xff] ^
        kTables[2][(w >> 40) & 0xff] ^ kTables[1][(w >> 48) & 0xff] ^ kTables[0][w >> 56];
    data += 8;
    len -= 8;
  }
  while (len-- != 0) c = (c >> 8) ^ kTables[0][(c ^ *data++) & 0xff];
  return ~c;
}

uint32_t crc32c_shift(uint32_t reg, uint64_t len) {
  return gf2::mult_mod_p(gf2::x8n_mod_p(len), reg);
}

}  // namespace samsa
