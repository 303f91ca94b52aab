// Argument helpers for the napi glue. JS wrappers in ts/native validate user input; these
// checks catch programmer mistakes only and raise TypeError/RangeError (no C++ exceptions:
// NAPI_DISABLE_CPP_EXCEPTIONS). Each helper returns false after scheduling the JS exception;
// the caller then returns env.Undefined().
#pragma once
#include <napi.h>

#include <cstdint>

namespace samsa::napi {

inline bool type_error(Napi::Env env, const char* msg) {
  Napi::TypeError::New(env, msg).ThrowAsJavaScriptException();
  return false;
}

inline bool range_error(Napi::Env env, const char* msg) {
  Napi::RangeError::New(env, msg).ThrowAsJavaScriptException();
  return false;
}

// A Uint8Array (Buffer included) view: data pointer and byte length.
struct Bytes {
  uint8_t* data = nullptr;
  size_t len = 0;
};

inline bool is_bytes(const Napi::Value& v) {
  return v.IsTypedArray() && v.As<Napi::TypedArray>().TypedArrayType() == napi_uint8_array;
}

inline bool get_bytes(Napi::Env env, const Napi::Value& v, Bytes* out, const char* what) {
  if (!is_bytes(v)) return type_error(env, what);
  auto arr = v.As<Napi::Uint8Array>();
  out->data = arr.Data();
  out->len = arr.ByteLength();
  return true;
}

// A JS number that must be an integer in [lo, hi].
inline bool get_int(Napi::Env env, const Napi::Value& v, double lo, double hi, int64_t* out,
                    const char* what) {
  if (!v.IsNumber()) return type_error(env, what);
  double d = v.As<Napi::Number>().DoubleValue();
  if (!(d >= lo && d <= hi) || static_cast<double>(static_cast<int64_t>(d)) != d) {
    return range_error(env, what);
  }
  *out = static_cast<int64_t>(d);
  return true;
}

inline constexpr double kMaxSafe = 9007199254740991.0;

}  // namespace samsa::napi
