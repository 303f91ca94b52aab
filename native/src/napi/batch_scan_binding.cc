// scanBatches(buf, start, end, mode, out, assignBase, leaderEpoch, logAppendTime) -> int
// Synchronous (a scan is a CRC pass over bytes already in memory; a pool hop costs more than
// it saves below a few MiB). Returns the batch count or a negative Status; the summary and
// error details go to `out` (Float64Array), layout in core/batch_scan.h.
#include "../core/batch_scan.h"
#include "args.h"
#include "bindings.h"

namespace samsa::napi {
namespace {

Napi::Value ScanBatches(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Bytes buf;
  if (!get_bytes(env, info[0], &buf, "scanBatches: buf must be a Uint8Array")) {
    return env.Undefined();
  }
  int64_t start, end, mode, base, epoch, time;
  if (!get_int(env, info[1], 0, static_cast<double>(buf.len), &start,
               "scanBatches: start must be an integer in [0, buf.length]") ||
      !get_int(env, info[2], static_cast<double>(start), static_cast<double>(buf.len), &end,
               "scanBatches: end must be an integer in [start, buf.length]") ||
      !get_int(env, info[3], 0, 2, &mode, "scanBatches: mode must be 0, 1 or 2")) {
    return env.Undefined();
  }
  if (!info[4].IsTypedArray() ||
      info[4].As<Napi::TypedArray>().TypedArrayType() != napi_float64_array) {
    type_error(env, "scanBatches: out must be a Float64Array");
    return env.Undefined();
  }
  auto out = info[4].As<Napi::Float64Array>();
  if (out.ElementLength() < scan::kHeaderSlots) {
    range_error(env, "scanBatches: out must hold at least 8 header slots");
    return env.Undefined();
  }
  if (!get_int(env, info[5], -1, kMaxSafe, &base, "scanBatches: assignBase must be -1 or >= 0") ||
      !get_int(env, info[6], -1, 2147483647.0, &epoch,
               "scanBatches: leaderEpoch must be -1 or an int32 >= 0") ||
      !get_int(env, info[7], -1, kMaxSafe, &time,
               "scanBatches: logAppendTime must be -1 or >= 0")) {
    return env.Undefined();
  }
  ScanRequest req;
  req.buf = buf.data;
  req.start = static_cast<size_t>(start);
  req.end = static_cast<size_t>(end);
  req.mode = static_cast<ScanMode>(mode);
  req.out = out.Data();
  req.out_len = out.ElementLength();
  req.assign_base = base;
  req.leader_epoch = epoch;
  req.log_append_time = time;
  return Napi::Number::New(env, scan_batches(req));
}

}  // namespace

void InitBatchScan(Napi::Env env, Napi::Object exports) {
  exports.Set("scanBatches", Napi::Function::New(env, ScanBatches, "scanBatches"));
}

}  // namespace samsa::napi
