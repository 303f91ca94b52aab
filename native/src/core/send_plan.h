// Zero-copy send of a plan of pieces to a NON-BLOCKING stream socket, in order: runs of byte
// spans go out with sendmsg (writev semantics, MSG_NOSIGNAL), file regions with sendfile(2).
// On EAGAIN the job polls POLLOUT in slices of at most 50 ms, re-checking `cancelled` between
// slices, and gives up with ETIMEDOUT when the peer accepted no byte for stall_timeout_ms.
//
// Runs on a libuv pool thread and blocks it while the peer is slow: size UV_THREADPOOL_SIZE for
// the number of concurrently stalled fetches you accept. Concurrency contract: nobody else
// writes to the socket while a plan is in flight; spans and file fds stay valid until it ends.
#pragma once
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace samsa {

struct SendPiece {
  const uint8_t* data = nullptr;  // span when file_fd < 0
  size_t len = 0;                 // bytes (span or region)
  int file_fd = -1;               // region: file descriptor
  int64_t file_offset = 0;        // region: start offset in the file
};

struct SendResult {
  int64_t sent = 0;  // bytes the kernel accepted
  int error = 0;     // 0, or errno: ETIMEDOUT (stalled), ECANCELED, ENODATA (file shorter than
                     // its region), EPIPE/ECONNRESET (peer gone), ...
};

// `cancelled` is read with acquire semantics; may be null.
SendResult send_plan(int socket_fd, const std::vector<SendPiece>& pieces,
                     int64_t stall_timeout_ms, const int32_t* cancelled);

}  // namespace samsa
