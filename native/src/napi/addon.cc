// Addon entry point. The addon keeps no per-process or per-instance mutable state: every call is
// a pure function of its arguments or an AsyncWorker owning its own job, so it loads and runs in
// any number of worker threads (piscina) at once.
#include <napi.h>

#include "bindings.h"

namespace samsa::napi {

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  InitCrc32c(env, exports);
  InitBatchScan(env, exports);
  InitIndex(env, exports);
  InitSegment(env, exports);
  InitSendPlan(env, exports);
  InitPageCache(env, exports);
  return exports;
}

}  // namespace samsa::napi

namespace {
Napi::Object InitSamsa(Napi::Env env, Napi::Object exports) { return samsa::napi::Init(env, exports); }
}  // namespace

NODE_API_MODULE(samsa, InitSamsa)
