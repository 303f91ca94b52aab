// Shared by every native fuzz target: FUZZ_CHECK aborts with a message naming the failed
// invariant and, under replay_main.cc, the corpus file being replayed. Under libFuzzer the abort
// is caught and the input saved as crash-<sha1>; turn it into a regression with
// `npm run fuzz -- --promote <crash file> --target <name>` (see fuzz/run.ts).
#pragma once
#include <cstdio>
#include <cstdlib>

namespace samsa_fuzz {
// Set by replay_main.cc before each input; null under libFuzzer.
inline const char* g_current_input = nullptr;
}  // namespace samsa_fuzz

#define FUZZ_CHECK(cond, ...)                                                              \
  do {                                                                                     \
    if (!(cond)) {                                                                         \
      std::fprintf(stderr, "FUZZ_CHECK failed at %s:%d: %s\n  ", __FILE__, __LINE__, #cond); \
      std::fprintf(stderr, __VA_ARGS__);                                                   \
      std::fprintf(stderr, "\n  input: %s\n",                                              \
                   samsa_fuzz::g_current_input ? samsa_fuzz::g_current_input : "(libFuzzer)"); \
      std::abort();                                                                        \
    }                                                                                      \
  } while (0)
