// crc32c(buf[, init]) / crc32cPortable(buf[, init]) / crc32cImplementation(): synchronous; a
// CRC over a buffer is cheaper than a thread-pool hop at every size the broker handles.
#include "../core/crc32c.h"
#include "args.h"
#include "bindings.h"

namespace samsa::napi {
namespace {

template <uint32_t (*Fn)(const uint8_t*, size_t, uint32_t)>
Napi::Value Crc(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Bytes b;
  if (!get_bytes(env, info[0], &b, "crc32c: buf must be a Uint8Array")) return env.Undefined();
  int64_t init = 0;
  if (info.Length() > 1 && !info[1].IsUndefined() &&
      !get_int(env, info[1], 0, 4294967295.0, &init, "crc32c: init must be a uint32")) {
    return env.Undefined();
  }
  return Napi::Number::New(env, Fn(b.data, b.len, static_cast<uint32_t>(init)));
}

uint32_t dispatch(const uint8_t* d, size_t n, uint32_t c) { return samsa::crc32c(d, n, c); }
uint32_t portable(const uint8_t* d, size_t n, uint32_t c) { return crc32c_portable(d, n, c); }

Napi::Value Implementation(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), crc32c_implementation());
}

}  // namespace

void InitCrc32c(Napi::Env env, Napi::Object exports) {
  exports.Set("crc32c", Napi::Function::New(env, Crc<dispatch>, "crc32c"));
  exports.Set("crc32cPortable", Napi::Function::New(env, Crc<portable>, "crc32cPortable"));
  exports.Set("crc32cImplementation", Napi::Function::New(env, Implementation));
}

}  // namespace samsa::napi
