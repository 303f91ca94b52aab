// One Init function per binding file; addon.cc calls them all.
#pragma once
#include <napi.h>

namespace samsa::napi {
void InitCrc32c(Napi::Env env, Napi::Object exports);
void InitPageCache(Napi::Env env, Napi::Object exports);
void InitBatchScan(Napi::Env env, Napi::Object exports);
void InitIndex(Napi::Env env, Napi::Object exports);
void InitSegment(Napi::Env env, Napi::Object exports);
void InitSendPlan(Napi::Env env, Napi::Object exports);
}  // namespace samsa::napi
