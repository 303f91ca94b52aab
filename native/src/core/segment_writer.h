// One segment append job: write the log buffers at logPos with pwritev, optionally the offset
// index and time index bytes at their positions, optionally fdatasync every touched fd.
// Runs on a libuv pool thread (napi/segment_binding.cc). Concurrency contract: at most one job
// per segment in flight (LogSegment serialises appends); the buffers must stay alive and
// unmodified until the job returns. Returns 0 or an errno value; on error some bytes may have
// been written (the caller truncates back to its own size on the next append or recovery).
#pragma once
#include <sys/uio.h>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace samsa {

struct WriteTarget {
  int fd = -1;                 // -1: nothing to write
  const uint8_t* data = nullptr;
  size_t len = 0;
  int64_t pos = 0;
};

struct SegmentAppendJob {
  int log_fd = -1;
  std::vector<iovec> log;      // written in order, contiguously, from log_pos
  int64_t log_pos = 0;
  WriteTarget index;
  WriteTarget time_index;
  bool sync = false;           // fdatasync log (and index fds written) before returning
};

// Total log bytes of the job.
size_t segment_job_bytes(const SegmentAppendJob& job);

// Runs the job. Returns 0 or errno.
int segment_append(const SegmentAppendJob& job);

}  // namespace samsa
