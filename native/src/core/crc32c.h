// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of Kafka record batches v2.
// Standard form: init ~0, final xor ~0. `crc` chains like zlib's crc32(crc, buf):
//   crc32c(b, len_b, crc32c(a, len_a, 0)) == crc32c(a ++ b, 0).
// All functions are pure (no mutable state) and safe to call from any thread.
#pragma once
#include <cstddef>
#include <cstdint>

namespace samsa {

// Portable slicing-by-8 implementation.
uint32_t crc32c_portable(const uint8_t* data, size_t len, uint32_t crc = 0);

// SSE4.2 `crc32` instruction: 8 interleaved streams merged with PCLMULQDQ when the CPU has it,
// else 3 streams merged in software. Only call when crc32c_has_sse42() is true.
uint32_t crc32c_sse42(const uint8_t* data, size_t len, uint32_t crc = 0);

// The 3-stream SSE4.2 path crc32c_sse42() takes on CPUs without PCLMULQDQ, callable on any
// SSE4.2 CPU so tests, fuzzers and benches cover it. Only call when crc32c_has_sse42() is true.
uint32_t crc32c_sse42_no_pclmul(const uint8_t* data, size_t len, uint32_t crc = 0);

// True when the running CPU has SSE4.2 (checked at run time via cpuid).
bool crc32c_has_sse42();

// Dispatches to the fastest implementation available on this CPU.
uint32_t crc32c(const uint8_t* data, size_t len, uint32_t crc = 0);

// "sse4.2" or "portable": what crc32c() uses on this CPU.
const char* crc32c_implementation();

// Raw-state shift: the CRC register after feeding `len` zero bytes to register `reg` (no pre/post
// inversion). Used to combine independently computed streams: reg(A ++ B) = shift(reg(A), |B|)
// ^ reg0(B). Exposed for tests.
uint32_t crc32c_shift(uint32_t reg, uint64_t len);

}  // namespace samsa
