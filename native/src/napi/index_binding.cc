// indexLookup / timeIndexLookup / indexSanity / timeIndexSanity: synchronous binary searches and
// linear checks over index bytes in memory (contracts in core/index_file.h).
#include "../core/index_file.h"
#include "args.h"
#include "bindings.h"

namespace samsa::napi {
namespace {

// Reads (entries, count) with count <= entries.length / entrySize.
bool get_entries(const Napi::CallbackInfo& info, size_t entry_size, Bytes* b, size_t* count,
                 const char* name) {
  Napi::Env env = info.Env();
  if (!get_bytes(env, info[0], b, name)) return false;
  int64_t n;
  if (!get_int(env, info[1], 0, static_cast<double>(b->len / entry_size), &n, name)) return false;
  *count = static_cast<size_t>(n);
  return true;
}

Napi::Value IndexLookup(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Bytes b;
  size_t count;
  int64_t target;
  const char* msg = "indexLookup(entries: Uint8Array, count <= entries.length/8, target: int)";
  if (!get_entries(info, index::kOffsetEntrySize, &b, &count, msg) ||
      !get_int(env, info[2], -kMaxSafe, kMaxSafe, &target, msg)) {
    return env.Undefined();
  }
  return Napi::Number::New(env, static_cast<double>(index::offset_lookup(b.data, count, target)));
}

Napi::Value TimeIndexLookup(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Bytes b;
  size_t count;
  int64_t target;
  const char* msg =
      "timeIndexLookup(entries: Uint8Array, count <= entries.length/12, target: int, out: "
      "Float64Array(2))";
  if (!get_entries(info, index::kTimeEntrySize, &b, &count, msg) ||
      !get_int(env, info[2], -kMaxSafe, kMaxSafe, &target, msg)) {
    return env.Undefined();
  }
  if (!info[3].IsTypedArray() ||
      info[3].As<Napi::TypedArray>().TypedArrayType() != napi_float64_array ||
      info[3].As<Napi::Float64Array>().ElementLength() < 2) {
    type_error(env, msg);
    return env.Undefined();
  }
  int64_t floor_slot, ceiling_slot;
  index::time_lookup(b.data, count, target, &floor_slot, &ceiling_slot);
  auto out = info[3].As<Napi::Float64Array>();
  out[0] = static_cast<double>(floor_slot);
  out[1] = static_cast<double>(ceiling_slot);
  return Napi::Number::New(env, static_cast<double>(floor_slot));
}

Napi::Value IndexSanity(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Bytes b;
  size_t count;
  int64_t log_size;
  const char* msg = "indexSanity(entries: Uint8Array, count, logSize: int >= 0)";
  if (!get_entries(info, index::kOffsetEntrySize, &b, &count, msg) ||
      !get_int(env, info[2], 0, kMaxSafe, &log_size, msg)) {
    return env.Undefined();
  }
  return Napi::Number::New(env, static_cast<double>(index::offset_sanity(b.data, count, log_size)));
}

Napi::Value TimeIndexSanity(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Bytes b;
  size_t count;
  int64_t max_rel;
  const char* msg = "timeIndexSanity(entries: Uint8Array, count, maxRelOffset: int >= -1)";
  if (!get_entries(info, index::kTimeEntrySize, &b, &count, msg) ||
      !get_int(env, info[2], -1, kMaxSafe, &max_rel, msg)) {
    return env.Undefined();
  }
  return Napi::Number::New(env, static_cast<double>(index::time_sanity(b.data, count, max_rel)));
}

}  // namespace

void InitIndex(Napi::Env env, Napi::Object exports) {
  exports.Set("indexLookup", Napi::Function::New(env, IndexLookup, "indexLookup"));
  exports.Set("timeIndexLookup", Napi::Function::New(env, TimeIndexLookup, "timeIndexLookup"));
  exports.Set("indexSanity", Napi::Function::New(env, IndexSanity, "indexSanity"));
  exports.Set("timeIndexSanity", Napi::Function::New(env, TimeIndexSanity, "timeIndexSanity"));
}

}  // namespace samsa::napi
