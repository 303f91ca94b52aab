// Segment append: pwritev loop (short writes, EINTR, IOV_MAX batches), index pwrites, and
// fdatasync. Contract in segment_writer.h.
#include "segment_writer.h"

#include <errno.h>
#include <limits.h>
#include <unistd.h>

#include <algorithm>

namespace samsa {
namespace {

#ifndef IOV_MAX
#define IOV_MAX 1024
#endif

int write_all_at(int fd, std::vector<iovec> iov, int64_t pos) {
  size_t first = 0;
  while (first < iov.size()) {
    if (iov[first].iov_len == 0) {
      first++;
      continue;
    }
    const int n = static_cast<int>(std::min<size_t>(iov.size() - first, IOV_MAX));
    ssize_t w = pwritev(fd, iov.data() + first, n, static_cast<off_t>(pos));
    if (w < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    if (w == 0) return EIO;
    pos += w;
    size_t left = static_cast<size_t>(w);
    while (left > 0) {  // consume fully written iovecs, trim a partial one
      if (left >= iov[first].iov_len) {
        left -= iov[first].iov_len;
        first++;
      } else {
        iov[first].iov_base = static_cast<uint8_t*>(iov[first].iov_base) + left;
        iov[first].iov_len -= left;
        left = 0;
      }
    }
  }
  return 0;
}

int write_target(const WriteTarget& t) {
  if (t.fd < 0 || t.len == 0) return 0;
  iovec one{const_cast<uint8_t*>(t.data), t.len};
  return write_all_at(t.fd, {one}, t.pos);
}

int datasync(int fd) {
  while (fdatasync(fd) != 0) {
    if (errno != EINTR) return errno;
  }
  return 0;
}

}  // namespace

size_t segment_job_bytes(const SegmentAppendJob& job) {
  size_t total = 0;
  for (const iovec& v : job.log) total += v.iov_len;
  return total;
}

int segment_append(const SegmentAppendJob& job) {
  if (int err = write_all_at(job.log_fd, job.log, job.log_pos)) return err;
  if (int err = write_target(job.index)) return err;
  if (int err = write_target(job.time_index)) return err;
  if (!job.sync) return 0;
  if (int err = datasync(job.log_fd)) return err;
  if (job.index.fd >= 0 && job.index.len > 0) {
    if (int err = datasync(job.index.fd)) return err;
  }
  if (job.time_index.fd >= 0 && job.time_index.len > 0) {
    if (int err = datasync(job.time_index.fd)) return err;
  }
  return 0;
}

}  // namespace samsa
