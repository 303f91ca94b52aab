// Run-time choice between the SSE4.2 and portable CRC-32C. The CPU check reads libgcc's cpu
// model (filled once at load by a constructor), so there is no state of our own to race on and
// the addon can be loaded by any number of worker threads.
#include "crc32c.h"

namespace samsa {

uint32_t crc32c(const uint8_t* data, size_t len, uint32_t crc) {
  return crc32c_has_sse42() ? crc32c_sse42(data, len, crc) : crc32c_portable(data, len, crc);
}

const char* crc32c_implementation() { return crc32c_has_sse42() ? "sse4.2" : "portable"; }

}  // namespace samsa
