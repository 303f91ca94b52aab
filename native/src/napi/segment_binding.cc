// appendSegment(logFd, buffers[], logPos, indexFd|-1, indexBuf|null, indexPos, timeFd|-1,
//               timeBuf|null, timePos, sync) -> Promise<number of log bytes written>
// One crossing and one libuv pool hop per group of batches. The buffers are pinned until the
// job completes; the caller must not modify them meanwhile. Rejects with a Node-style system
// error (code 'ENOSPC', errno, syscall 'pwritev').
#include "../core/segment_writer.h"
#include "args.h"
#include "async_util.h"
#include "bindings.h"

namespace samsa::napi {
namespace {

class AppendWorker : public Napi::AsyncWorker {
 public:
  AppendWorker(Napi::Env env, SegmentAppendJob job, Pins pins)
      : Napi::AsyncWorker(env, "samsa:appendSegment"),
        deferred_(Napi::Promise::Deferred::New(env)),
        job_(std::move(job)),
        pins_(std::move(pins)) {}

  Napi::Promise promise() { return deferred_.Promise(); }

 protected:
  void Execute() override { err_ = segment_append(job_); }

  void OnOK() override {
    Napi::Env env = Env();
    if (err_ != 0) {
      deferred_.Reject(errno_error(env, err_, job_.sync ? "pwritev/fdatasync" : "pwritev").Value());
    } else {
      deferred_.Resolve(Napi::Number::New(env, static_cast<double>(segment_job_bytes(job_))));
    }
  }

 private:
  Napi::Promise::Deferred deferred_;
  SegmentAppendJob job_;
  Pins pins_;
  int err_ = 0;
};

bool get_target(const Napi::CallbackInfo& info, size_t at, WriteTarget* t, Pins* pins) {
  Napi::Env env = info.Env();
  const char* msg = "appendSegment: index args must be (fd|-1, Uint8Array|null, position >= 0)";
  int64_t fd, pos;
  if (!get_int(env, info[at], -1, 2147483647.0, &fd, msg) ||
      !get_int(env, info[at + 2], 0, kMaxSafe, &pos, msg)) {
    return false;
  }
  t->fd = static_cast<int>(fd);
  t->pos = pos;
  if (fd < 0 || info[at + 1].IsNull() || info[at + 1].IsUndefined()) {
    t->fd = -1;
    return true;
  }
  Bytes b;
  if (!get_bytes(env, info[at + 1], &b, msg)) return false;
  t->data = b.data;
  t->len = b.len;
  pins->add(info[at + 1]);
  return true;
}

Napi::Value AppendSegment(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  SegmentAppendJob job;
  Pins pins;
  int64_t fd, pos;
  if (!get_int(env, info[0], 0, 2147483647.0, &fd, "appendSegment: logFd must be an fd") ||
      !get_int(env, info[2], 0, kMaxSafe, &pos, "appendSegment: logPos must be >= 0")) {
    return env.Undefined();
  }
  if (!info[1].IsArray()) {
    type_error(env, "appendSegment: buffers must be an array of Uint8Array");
    return env.Undefined();
  }
  auto arr = info[1].As<Napi::Array>();
  job.log.reserve(arr.Length());
  for (uint32_t i = 0; i < arr.Length(); i++) {
    Napi::Value v = arr.Get(i);
    Bytes b;
    if (!get_bytes(env, v, &b, "appendSegment: buffers must be an array of Uint8Array")) {
      return env.Undefined();
    }
    job.log.push_back(iovec{b.data, b.len});
    pins.add(v);
  }
  job.log_fd = static_cast<int>(fd);
  job.log_pos = pos;
  if (!get_target(info, 3, &job.index, &pins) || !get_target(info, 6, &job.time_index, &pins)) {
    return env.Undefined();
  }
  job.sync = info[9].ToBoolean().Value();
  auto* worker = new AppendWorker(env, std::move(job), std::move(pins));
  Napi::Promise promise = worker->promise();
  worker->Queue();
  return promise;
}

}  // namespace

void InitSegment(Napi::Env env, Napi::Object exports) {
  exports.Set("appendSegment", Napi::Function::New(env, AppendSegment, "appendSegment"));
}

}  // namespace samsa::napi
