// Zero-copy plan sender; contract in send_plan.h. Linux: sendfile(2) from a file to a socket.
#include "send_plan.h"

#include "page_cache.h"

#include <errno.h>
#include <poll.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <algorithm>
#include <cstdint>
#include <chrono>

namespace samsa {
namespace {

constexpr int kPollSliceMs = 50;
constexpr size_t kMaxIov = 64;
constexpr size_t kMaxSendfile = size_t{1} << 30;

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

bool is_cancelled(const int32_t* flag) {
  return flag != nullptr && __atomic_load_n(flag, __ATOMIC_ACQUIRE) != 0;
}

// Waits until the socket is writable. 0 when writable, else errno (ETIMEDOUT / ECANCELED / ...).
int wait_writable(int fd, int64_t deadline_ms, const int32_t* cancelled) {
  for (;;) {
    if (is_cancelled(cancelled)) return ECANCELED;
    const int64_t left = deadline_ms - now_ms();
    if (left <= 0) return ETIMEDOUT;
    pollfd p{fd, POLLOUT, 0};
    int r = poll(&p, 1, static_cast<int>(std::min<int64_t>(left, kPollSliceMs)));
    if (r < 0 && errno != EINTR) return errno;
    if (r > 0) {
      if (p.revents & POLLOUT) return 0;
      if (p.revents & (POLLERR | POLLHUP | POLLNVAL)) return p.revents & POLLNVAL ? EBADF : EPIPE;
    }
  }
}

}  // namespace

int send_ready(int fd, const std::vector<SendPiece>& pieces, SendCursor* cur, int64_t budget, bool cached_only) {
  size_t& i = cur->piece;    // current piece
  size_t& done = cur->done;  // bytes of pieces[i] already sent
  const int64_t stop_at = budget > INT64_MAX - cur->sent ? INT64_MAX : cur->sent + budget;
  while (i < pieces.size()) {
    if (cur->sent >= stop_at) return EAGAIN;
    const SendPiece& piece = pieces[i];
    if (done >= piece.len) {
      i++;
      done = 0;
      continue;
    }
    ssize_t n;
    if (piece.file_fd < 0) {
      iovec iov[kMaxIov];
      size_t k = 0;
      for (size_t j = i; j < pieces.size() && k < kMaxIov && pieces[j].file_fd < 0; j++) {
        const size_t skip = j == i ? done : 0;
        if (pieces[j].len == skip) continue;
        iov[k++] = iovec{const_cast<uint8_t*>(pieces[j].data) + skip, pieces[j].len - skip};
      }
      msghdr msg{};
      msg.msg_iov = iov;
      msg.msg_iovlen = k;
      n = sendmsg(fd, &msg, MSG_NOSIGNAL);
    } else {
      off_t off = static_cast<off_t>(piece.file_offset + static_cast<int64_t>(done));
      const size_t room = static_cast<size_t>(std::min<int64_t>(stop_at - cur->sent, kMaxSendfile));
      const size_t want = std::min(piece.len - done, room);
      if (cached_only && !range_cached(piece.file_fd, off, want)) return EAGAIN;
      n = sendfile(fd, piece.file_fd, &off, want);
      if (n == 0) return ENODATA;  // end of file before the end of the region
    }
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno == EWOULDBLOCK ? EAGAIN : errno;
    }
    cur->sent += n;
    size_t left = static_cast<size_t>(n);  // advance through the pieces the write covered
    while (left > 0 && i < pieces.size()) {
      const size_t room = pieces[i].len - done;
      if (left >= room) {
        left -= room;
        i++;
        done = 0;
      } else {
        done += left;
        left = 0;
      }
    }
  }
  return 0;
}

SendResult send_plan(int fd, const std::vector<SendPiece>& pieces, int64_t stall_timeout_ms,
                     const int32_t* cancelled, SendCursor cursor) {
  SendResult res;
  int64_t deadline = now_ms() + stall_timeout_ms;
  for (;;) {
    if (is_cancelled(cancelled)) {
      res.error = ECANCELED;
      break;
    }
    const int64_t before = cursor.sent;
    const int err = send_ready(fd, pieces, &cursor);
    if (err != EAGAIN) {
      res.error = err;
      break;
    }
    if (cursor.sent != before) deadline = now_ms() + stall_timeout_ms;
    if (int werr = wait_writable(fd, deadline, cancelled)) {
      res.error = werr;
      break;
    }
  }
  res.sent = cursor.sent;
  return res;
}

}  // namespace samsa
