// crc32c(buf[, init]) / crc32cPortable(buf[, init]) / crc32cImplementation(): synchronous; a
// CRC over a buffer is cheaper than a thread-pool hop at every size the broker handles.
// The two CRC entry points are on the hot path of every produce and recovery read (one call per
// batch, 1-64 KiB), where the fixed cost of the call is a visible share (~100 ns vs ~20 ns for
// 1 KiB of CRC): they use the raw Node-API calls, five per call (arguments, typed-array info,
// init type and value, result), instead of the ~9 the node-addon-api wrappers make.
#include "../core/crc32c.h"
#include "args.h"
#include "bindings.h"

namespace samsa::napi {
namespace {

napi_value throw_error(napi_env env, bool range, const char* msg) {
  if (range) {
    napi_throw_range_error(env, nullptr, msg);
  } else {
    napi_throw_type_error(env, nullptr, msg);
  }
  return nullptr;
}

template <uint32_t (*Fn)(const uint8_t*, size_t, uint32_t)>
napi_value Crc(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  if (napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr) != napi_ok) return nullptr;
  napi_typedarray_type type;
  size_t len = 0;
  void* data = nullptr;
  if (argc < 1 ||
      napi_get_typedarray_info(env, argv[0], &type, &len, &data, nullptr, nullptr) != napi_ok ||
      type != napi_uint8_array) {
    return throw_error(env, false, "crc32c: buf must be a Uint8Array");
  }
  uint32_t init = 0;
  if (argc > 1) {
    napi_valuetype vt;
    if (napi_typeof(env, argv[1], &vt) != napi_ok) return nullptr;
    if (vt != napi_undefined) {
      double d;
      if (vt != napi_number || napi_get_value_double(env, argv[1], &d) != napi_ok) {
        return throw_error(env, false, "crc32c: init must be a uint32");
      }
      if (!(d >= 0 && d <= 4294967295.0) || static_cast<double>(static_cast<uint32_t>(d)) != d) {
        return throw_error(env, true, "crc32c: init must be a uint32");
      }
      init = static_cast<uint32_t>(d);
    }
  }
  napi_value out;
  if (napi_create_uint32(env, Fn(static_cast<const uint8_t*>(data), len, init), &out) != napi_ok) {
    return nullptr;
  }
  return out;
}

uint32_t dispatch(const uint8_t* d, size_t n, uint32_t c) { return samsa::crc32c(d, n, c); }
uint32_t portable(const uint8_t* d, size_t n, uint32_t c) { return crc32c_portable(d, n, c); }

Napi::Value Implementation(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), crc32c_implementation());
}

void set_raw(Napi::Env env, Napi::Object exports, const char* name, napi_callback cb) {
  napi_value fn;
  if (napi_create_function(env, name, NAPI_AUTO_LENGTH, cb, nullptr, &fn) == napi_ok) {
    exports.Set(name, Napi::Value(env, fn));
  }
}

}  // namespace

void InitCrc32c(Napi::Env env, Napi::Object exports) {
  set_raw(env, exports, "crc32c", Crc<dispatch>);
  set_raw(env, exports, "crc32cPortable", Crc<portable>);
  exports.Set("crc32cImplementation", Napi::Function::New(env, Implementation));
}

}  // namespace samsa::napi
