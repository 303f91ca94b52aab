// libFuzzer target: CRC-32C implementations agree on arbitrary inputs, lengths, alignments and
// chaining (crc32c.h).
//   byte 0    alignment: the data is copied to (byte 0 % 16) bytes past a 16-aligned address
//   byte 1-4  init (a previous CRC, big-endian)
//   byte 5-6  split point (big-endian uint16, taken mod len + 1) for chaining and combining
//   byte 7..  the data
// Checks: sse4.2 (both its paths, when the CPU has it) == portable == crc32c() for the given init; chaining
// crc(b, crc(a)) == crc(a ++ b); combining with crc32c_shift: the raw register after a ++ b is
// shift(reg(a), |b|) ^ reg0(b).
#include <cstring>
#include <memory>

#include "crc32c.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  constexpr size_t kHead = 7;
  if (size < kHead) return 0;
  const size_t align = data[0] % 16;
  const uint32_t init = (uint32_t{data[1]} << 24) | (uint32_t{data[2]} << 16) | (uint32_t{data[3]} << 8) | data[4];
  const size_t len = size - kHead;
  const size_t split = ((size_t{data[5]} << 8) | data[6]) % (len + 1);
  // Exactly align + len bytes so ASan catches reads past the end at every alignment.
  std::unique_ptr<uint8_t[]> storage(new uint8_t[align + len + 1]);
  uint8_t* p = storage.get() + align;
  std::memcpy(p, data + kHead, len);

  const uint32_t portable = samsa::crc32c_portable(p, len, init);
  if (samsa::crc32c_has_sse42()) {
    const uint32_t hw = samsa::crc32c_sse42(p, len, init);
    FUZZ_CHECK(hw == portable, "sse4.2 %08x != portable %08x (len %zu, align %zu, init %08x)", hw, portable, len, align, init);
    const uint32_t no_pclmul = samsa::crc32c_sse42_no_pclmul(p, len, init);
    FUZZ_CHECK(no_pclmul == portable, "sse4.2 without pclmul %08x != portable %08x (len %zu)", no_pclmul, portable, len);
  }
  const uint32_t dispatched = samsa::crc32c(p, len, init);
  FUZZ_CHECK(dispatched == portable, "crc32c() %08x != portable %08x (len %zu)", dispatched, portable, len);

  const uint32_t a = samsa::crc32c(p, split, init);
  const uint32_t chained = samsa::crc32c(p + split, len - split, a);
  FUZZ_CHECK(chained == portable, "chained at %zu: %08x != %08x", split, chained, portable);
  const uint32_t a_portable = samsa::crc32c_portable(p, split, init);
  FUZZ_CHECK(samsa::crc32c_portable(p + split, len - split, a_portable) == portable, "portable chaining at %zu", split);

  // Raw register form: reg_after(x, d) = ~crc32c(d, ~x); reg0(b) = reg_after(0, b).
  const uint32_t reg_a = ~a;
  const uint32_t reg0_b = ~samsa::crc32c(p + split, len - split, 0xffffffffu);
  const uint32_t combined = ~(samsa::crc32c_shift(reg_a, len - split) ^ reg0_b);
  FUZZ_CHECK(combined == portable, "crc32c_shift combine at %zu: %08x != %08x", split, combined, portable);
  return 0;
}
