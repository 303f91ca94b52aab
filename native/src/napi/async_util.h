// Helpers shared by the AsyncWorker bindings: errno -> JS Error shaped like Node's own system
// errors (code 'EBADF', errno -9, syscall), and pinning of the JS buffers a job reads from.
#pragma once
#include <napi.h>
#include <uv.h>

#include <cstring>
#include <string>
#include <vector>

namespace samsa::napi {

inline Napi::Error errno_error(Napi::Env env, int err, const char* syscall) {
  std::string msg = std::string(uv_err_name(-err)) + ": " + std::strerror(err) + ", " + syscall;
  Napi::Error e = Napi::Error::New(env, msg);
  e.Set("code", Napi::String::New(env, uv_err_name(-err)));
  e.Set("errno", Napi::Number::New(env, -err));
  e.Set("syscall", Napi::String::New(env, syscall));
  return e;
}

// Keeps JS objects (Buffers) alive until the worker is destroyed on the main thread.
class Pins {
 public:
  void add(const Napi::Value& v) { refs_.push_back(Napi::Persistent(v.As<Napi::Object>())); }

 private:
  std::vector<Napi::ObjectReference> refs_;
};

}  // namespace samsa::napi
