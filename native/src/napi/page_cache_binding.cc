// pageCached(fd, offset, length) -> boolean: whether reading that file range now would be served
// from the page cache (core range_cached). Lets the storage layer read hot ranges synchronously
// on the event loop and send cold ones to the libuv pool.
#include "../core/page_cache.h"
#include "args.h"
#include "bindings.h"

namespace samsa::napi {
namespace {

Napi::Value PageCached(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int64_t fd, offset, length;
  const char* msg = "pageCached(fd: int >= 0, offset: int >= 0, length: int >= 0)";
  if (!get_int(env, info[0], 0, INT32_MAX, &fd, msg) || !get_int(env, info[1], 0, kMaxSafe, &offset, msg) ||
      !get_int(env, info[2], 0, kMaxSafe, &length, msg)) {
    return env.Undefined();
  }
  return Napi::Boolean::New(env, range_cached(static_cast<int>(fd), offset, static_cast<size_t>(length)));
}

}  // namespace

void InitPageCache(Napi::Env env, Napi::Object exports) {
  exports.Set("pageCached", Napi::Function::New(env, PageCached, "pageCached"));
}

}  // namespace samsa::napi
