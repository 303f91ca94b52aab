// Page-cache residency, asked without blocking: whether reading a file range now would wait for
// the disk. Used to keep reads and sendfile of cold ranges off the event loop.
#pragma once
#include <cstddef>
#include <cstdint>

namespace samsa {

// Stride of the probes: one 1-byte preadv2(RWF_NOWAIT) every kProbeStride bytes and one at the
// range's last byte. Readahead and eviction work on much larger runs than one page, so a range
// whose probes all hit is cached in practice (a miss between probes costs one disk read).
constexpr size_t kProbeStride = size_t{256} << 10;

// Whether [offset, offset + len) of the file looks resident in the page cache. True where the
// kernel cannot tell (RWF_NOWAIT unsupported on the file system): callers then behave as if
// there were no probe. Errors other than EAGAIN also answer true; the real read reports them.
bool range_cached(int file_fd, int64_t offset, size_t len);

}  // namespace samsa
