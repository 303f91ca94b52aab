// Question: how close does Samsa's CRC-32C come to the crc32 instruction's peak when called
// natively (no Node-API crossing), at the sizes record batches have? Each size runs the peak
// kernel (bench/limits/crc32c_peak.h, best stream count), samsa::crc32c (dispatch), the 3-stream
// path CPUs without PCLMULQDQ take, and the portable table, trial by trial on one malloc'd
// buffer; every figure is the median of `--trials` short trials (GB = 1e9 bytes).
// First checks every implementation against the portable one on all lengths 0..4096 at 8
// alignments and on the bench sizes. Prints one JSON object.
// Build: bench/CMakeLists.txt (target crc32c_native). Run: bench/build/crc32c_native
//        [--sizes 1024,16384,65536,1048576] [--trials 501] [--offset 0]
// --offset N starts the data N bytes past malloc's 16-aligned pointer (unaligned loads).
#include <cstdio>
#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

#include "../../native/src/core/crc32c.h"
extern "C" {
#undef _GNU_SOURCE  // bench_common.h defines it (g++ already does)
#include "../limits/bench_common.h"
#include "../limits/crc32c_peak.h"
}

namespace {

uint64_t samsa_dispatch(const uint8_t* p, size_t n) { return samsa::crc32c(p, n); }
uint64_t samsa_no_pclmul(const uint8_t* p, size_t n) { return samsa::crc32c_sse42_no_pclmul(p, n); }
uint64_t samsa_portable(const uint8_t* p, size_t n) { return samsa::crc32c_portable(p, n); }

bool self_check() {
  std::vector<uint8_t> buf(1 << 20 | 64);
  for (size_t i = 0; i < buf.size(); i++) buf[i] = static_cast<uint8_t>(i * 2654435761u >> 13);
  auto one = [&](size_t off, size_t len) {
    const uint32_t want = samsa::crc32c_portable(buf.data() + off, len, static_cast<uint32_t>(len));
    const uint32_t got = samsa::crc32c(buf.data() + off, len, static_cast<uint32_t>(len));
    const uint32_t alt = samsa::crc32c_has_sse42()
        ? samsa::crc32c_sse42_no_pclmul(buf.data() + off, len, static_cast<uint32_t>(len)) : want;
    if (got == want && alt == want) return true;
    std::fprintf(stderr, "crc32c mismatch: len %zu offset %zu: %08x / %08x != %08x\n", len, off,
                 got, alt, want);
    return false;
  };
  for (size_t len = 0; len <= 4096; len++)
    for (size_t off = 0; off < 8; off++)
      if (!one(off, len)) return false;
  for (size_t len : {16384u, 32767u, 32768u, 32769u, 65536u, 1u << 20})
    for (size_t off : {0u, 3u})
      if (!one(off, len)) return false;
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  std::string sizes_arg = opt_str(argc, argv, "--sizes", "1024,16384,65536,1048576");
  const long long trials = std::max(1LL, opt_ll(argc, argv, "--trials", 501));
  const size_t offset = static_cast<size_t>(std::max(0LL, opt_ll(argc, argv, "--offset", 0)));
  if (!self_check()) return 1;
  struct Impl { const char* name; crc_peak_fn fn; };
  std::vector<Impl> impls;
  for (int f = 0; f < SAMSA_CRC_PEAK_VARIANTS; f++) impls.push_back({nullptr, kCrcPeakFns[f]});
  impls.push_back({"samsa crc32c (native)", samsa_dispatch});
  if (samsa::crc32c_has_sse42()) impls.push_back({"samsa sse4.2 without pclmul", samsa_no_pclmul});
  impls.push_back({"samsa portable", samsa_portable});

  std::printf("{\"bench\":\"crc32c_native\",\"implementation\":\"%s\",\"trials\":%lld,"
              "\"offset\":%zu,\"rows\":[",
              samsa::crc32c_implementation(), trials, offset);
  size_t pos = 0;
  bool first = true;
  uint64_t sink = 0;
  while (pos < sizes_arg.size()) {
    size_t comma = sizes_arg.find(',', pos);
    if (comma == std::string::npos) comma = sizes_arg.size();
    const size_t n = std::strtoull(sizes_arg.substr(pos, comma - pos).c_str(), nullptr, 10);
    pos = comma + 1;
    if (n == 0) continue;
    uint8_t* base = static_cast<uint8_t*>(std::malloc(n + offset));
    uint8_t* buf = base + offset;
    crc_bench_fill(buf, n);
    std::vector<std::vector<double>> runs(impls.size(), std::vector<double>(trials));
    for (auto& im : impls) crc_bench_trial(im.fn, buf, n, &sink);
    for (long long t = 0; t < trials; t++)
      for (size_t i = 0; i < impls.size(); i++) {
        runs[i][t] = crc_bench_trial(impls[i].fn, buf, n, &sink);
      }
    double peak = 0;
    int peak_streams = 0, peak_prefetch = 0;
    for (int f = 0; f < SAMSA_CRC_PEAK_VARIANTS; f++) {
      const double g = crc_bench_median(runs[f].data(), static_cast<int>(trials));
      if (g > peak) {
        peak = g;
        peak_streams = kCrcPeakStreams[f];
        peak_prefetch = kCrcPeakPrefetch[f];
      }
    }
    std::printf("%s{\"impl\":\"crc32 instruction peak (%d streams%s)\",\"bytes\":%zu,"
                "\"gbPerSec\":%.3f}",
                first ? "" : ",", peak_streams, peak_prefetch ? ", prefetch" : "", n, peak);
    first = false;
    for (size_t i = SAMSA_CRC_PEAK_VARIANTS; i < impls.size(); i++) {
      const double g = crc_bench_median(runs[i].data(), static_cast<int>(trials));
      std::printf(",{\"impl\":\"%s\",\"bytes\":%zu,\"gbPerSec\":%.3f,\"ofPeak\":%.3f}",
                  impls[i].name, n, g, g / peak);
    }
    std::free(base);
  }
  std::printf("],\"checksum\":%llu}\n", static_cast<unsigned long long>(sink & 0xffff));
  return 0;
}
