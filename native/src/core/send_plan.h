// Zero-copy send of a plan of pieces to a NON-BLOCKING stream socket, in order: runs of byte
// spans go out with sendmsg (writev semantics, MSG_NOSIGNAL), file regions with sendfile(2).
//
// Two steps, one cursor:
// - send_ready() writes what the socket accepts right now and stops at EAGAIN. It never waits
//   for the peer, so it may run on the event loop: most responses to a consumer that keeps up fit
//   the socket buffer and finish here with no thread hop. With `cached_only` it also stops
//   (EAGAIN) before a file range that is not in the page cache (range_cached, page_cache.h):
//   sendfile of a cold range would block the event loop for the disk reads, so that range goes
//   to the pool.
// - send_plan() continues from a cursor and waits: on EAGAIN it polls POLLOUT in slices of at
//   most 50 ms, re-checking `cancelled` between slices, and gives up with ETIMEDOUT when the peer
//   accepted no byte for stall_timeout_ms. It runs on a libuv pool thread and blocks it while the
//   peer is slow: size UV_THREADPOOL_SIZE for the number of concurrently stalled fetches.
//
// Concurrency contract: nobody else writes to the socket from the first send_ready() until the
// plan ends; spans and file fds stay valid until then; one thread drives a cursor at a time.
#pragma once
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

// Progress through a plan: pieces[piece] has `done` bytes sent; `sent` counts every byte the
// kernel accepted so far. piece == pieces.size() means the plan is complete.
struct SendCursor {
  size_t piece = 0;
  size_t done = 0;
  int64_t sent = 0;
};

struct SendResult {
  int64_t sent = 0;  // bytes the kernel accepted
  int error = 0;     // 0, or errno: ETIMEDOUT (stalled), ECANCELED, ENODATA (file shorter than
                     // its region), EPIPE/ECONNRESET (peer gone), ...
};

// Writes without waiting. 0 when the plan is complete, EAGAIN when the socket is full or this
// call has sent `budget` bytes (the rest is left for send_plan), else the errno that failed it
// (ENODATA, EPIPE, ...). The budget bounds the time one call can take on the event loop when
// a fast reader keeps draining the socket during a big plan.
int send_ready(int socket_fd, const std::vector<SendPiece>& pieces, SendCursor* cursor,
               int64_t budget = INT64_MAX, bool cached_only = false);


// The event loop's budget per send_ready call: the most an autotuned loopback/LAN socket
// buffer takes at once here (tcp_wmem max 4 MiB), so a fetch up to that size needs no pool hop.
constexpr int64_t kInlineSendBudget = int64_t{4} << 20;

// Sends the rest of the plan from `cursor`, waiting for the socket as needed. `cancelled` is
// read with acquire semantics; may be null.
SendResult send_plan(int socket_fd, const std::vector<SendPiece>& pieces,
                     int64_t stall_timeout_ms, const int32_t* cancelled, SendCursor cursor = {});

}  // namespace samsa
