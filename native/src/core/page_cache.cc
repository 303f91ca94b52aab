// Page-cache residency probes; contract in page_cache.h. Linux: preadv2 with RWF_NOWAIT fails
// with EAGAIN instead of reading from the device.
#include "page_cache.h"

#include <errno.h>
#include <sys/uio.h>

#include <algorithm>

namespace samsa {

bool range_cached(int file_fd, int64_t offset, size_t len) {
  if (len == 0) return true;
  uint8_t byte;
  const int64_t last = offset + static_cast<int64_t>(len) - 1;
  int64_t at = offset;
  for (;;) {
    iovec iov{&byte, 1};
    const ssize_t n = preadv2(file_fd, &iov, 1, static_cast<off_t>(at), RWF_NOWAIT);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno != EAGAIN;
    }
    if (at == last) return true;
    at = std::min<int64_t>(at + static_cast<int64_t>(kProbeStride), last);
  }
}

}  // namespace samsa
