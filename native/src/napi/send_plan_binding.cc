// sendPlan(socketFd, pieces[], stallTimeoutMs, cancelFlag: Int32Array)
//   -> number (bytes sent: the whole plan went out in this call) | Promise<bytesSent>
// pieces: Uint8Array (span) or { fd, offset, length } (file region). First, on the calling
// (event-loop) thread, writes what the socket accepts without waiting (and without reading a file
// range that is not in the page cache), up to kInlineSendBudget
// bytes (core send_ready). Only if bytes remain does a job on the libuv pool continue from there (core send_plan), and the
// call returns its promise; an error in the first step returns a rejected promise. So a plan
// that fits the socket buffer costs no thread hop and no promise. Cancellation: the caller sets
// cancelFlag[0] = 1 (Atomics.store); the job sees it within ~50 ms while waiting for the socket
// and between writes. Rejects with a Node-style system error (code 'ETIMEDOUT' | 'ECANCELED' |
// 'EPIPE' | ...) carrying `bytesSent`, the bytes the kernel accepted before the failure.
#include <cerrno>

#include "../core/send_plan.h"
#include "args.h"
#include "async_util.h"
#include "bindings.h"

namespace samsa::napi {
namespace {

class SendWorker : public Napi::AsyncWorker {
 public:
  SendWorker(Napi::Env env, int fd, std::vector<SendPiece> pieces, int64_t stall_ms,
             const int32_t* flag, Pins pins, SendCursor cursor)
      : Napi::AsyncWorker(env, "samsa:sendPlan"),
        deferred_(Napi::Promise::Deferred::New(env)),
        fd_(fd), pieces_(std::move(pieces)), stall_ms_(stall_ms), flag_(flag),
        pins_(std::move(pins)), cursor_(cursor) {}

  Napi::Promise promise() { return deferred_.Promise(); }

 protected:
  void Execute() override { result_ = send_plan(fd_, pieces_, stall_ms_, flag_, cursor_); }

  void OnOK() override {
    Napi::Env env = Env();
    if (result_.error != 0) {
      Napi::Error e = errno_error(env, result_.error, "sendPlan");
      e.Set("bytesSent", Napi::Number::New(env, static_cast<double>(result_.sent)));
      deferred_.Reject(e.Value());
    } else {
      deferred_.Resolve(Napi::Number::New(env, static_cast<double>(result_.sent)));
    }
  }

 private:
  Napi::Promise::Deferred deferred_;
  int fd_;
  std::vector<SendPiece> pieces_;
  int64_t stall_ms_;
  const int32_t* flag_;
  Pins pins_;
  SendCursor cursor_;
  SendResult result_;
};

Napi::Value SendPlan(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const char* msg =
      "sendPlan(socketFd, pieces: Array<Uint8Array | {fd, offset, length}>, stallTimeoutMs > 0, "
      "cancelFlag: Int32Array(1))";
  int64_t fd, stall;
  if (!get_int(env, info[0], 0, 2147483647.0, &fd, msg) || !info[1].IsArray() ||
      !get_int(env, info[2], 1, kMaxSafe, &stall, msg)) {
    if (!env.IsExceptionPending()) type_error(env, msg);
    return env.Undefined();
  }
  if (!info[3].IsTypedArray() ||
      info[3].As<Napi::TypedArray>().TypedArrayType() != napi_int32_array ||
      info[3].As<Napi::Int32Array>().ElementLength() < 1) {
    type_error(env, msg);
    return env.Undefined();
  }
  Pins pins;
  pins.add(info[3]);
  const int32_t* flag = info[3].As<Napi::Int32Array>().Data();
  auto arr = info[1].As<Napi::Array>();
  std::vector<SendPiece> pieces;
  pieces.reserve(arr.Length());
  for (uint32_t i = 0; i < arr.Length(); i++) {
    Napi::Value v = arr.Get(i);
    SendPiece piece;
    if (is_bytes(v)) {
      Bytes b;
      get_bytes(env, v, &b, msg);
      piece.data = b.data;
      piece.len = b.len;
      pins.add(v);
    } else if (v.IsObject()) {
      auto o = v.As<Napi::Object>();
      int64_t rfd, off, len;
      if (!get_int(env, o.Get("fd"), 0, 2147483647.0, &rfd, msg) ||
          !get_int(env, o.Get("offset"), 0, kMaxSafe, &off, msg) ||
          !get_int(env, o.Get("length"), 0, kMaxSafe, &len, msg)) {
        return env.Undefined();
      }
      piece.file_fd = static_cast<int>(rfd);
      piece.file_offset = off;
      piece.len = static_cast<size_t>(len);
    } else {
      type_error(env, msg);
      return env.Undefined();
    }
    pieces.push_back(piece);
  }
  SendCursor cursor;
  const int err = send_ready(static_cast<int>(fd), pieces, &cursor, kInlineSendBudget, /*cached_only=*/true);
  if (err == 0) return Napi::Number::New(env, static_cast<double>(cursor.sent));
  if (err != EAGAIN) {
    Napi::Error e = errno_error(env, err, "sendPlan");
    e.Set("bytesSent", Napi::Number::New(env, static_cast<double>(cursor.sent)));
    auto deferred = Napi::Promise::Deferred::New(env);
    deferred.Reject(e.Value());
    return deferred.Promise();
  }
  auto* worker = new SendWorker(env, static_cast<int>(fd), std::move(pieces), stall, flag,
                                std::move(pins), cursor);
  Napi::Promise promise = worker->promise();
  worker->Queue();
  return promise;
}

}  // namespace

void InitSendPlan(Napi::Env env, Napi::Object exports) {
  exports.Set("sendPlan", Napi::Function::New(env, SendPlan, "sendPlan"));
}

}  // namespace samsa::napi
