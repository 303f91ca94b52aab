/* CRC32C instruction peak: the SSE4.2 crc32 instruction in the tightest loop we can write,
 * several independent 8-byte streams per iteration to hide its 3-cycle latency (the result is
 * not combined: this measures instruction throughput, the ceiling any implementation built on
 * the instruction can reach; PCLMUL folding can exceed it and is not counted here).
 * Tries 1, 3, 4, 6 and 8 streams; runs `--iterations` passes over a `--bytes` buffer held in L2
 * and prints {"perStreams","bytes","seconds","gbPerSec" (the best),"streams"}, GB = 1e9 bytes. */
#include "bench_common.h"
#include <nmmintrin.h>

/* STREAMS independent crc chains over consecutive 8-byte words (word i feeds chain i % STREAMS). */
#define DEFINE_CRC(STREAMS)                                                        \
  __attribute__((target("sse4.2"), noinline))                                     \
  static uint64_t crc_x##STREAMS(const uint8_t *p, size_t n) {                    \
    uint64_t c[STREAMS];                                                          \
    for (int s = 0; s < STREAMS; s++) c[s] = ~0ULL;                               \
    size_t step = 8 * STREAMS, end = (n / step) * step;                           \
    for (size_t i = 0; i < end; i += step) {                                      \
      _Pragma("GCC unroll 8") for (int s = 0; s < STREAMS; s++) {                 \
        uint64_t w;                                                               \
        memcpy(&w, p + i + 8 * s, 8);                                             \
        c[s] = _mm_crc32_u64(c[s], w);                                            \
      }                                                                           \
    }                                                                             \
    uint64_t r = 0;                                                               \
    for (int s = 0; s < STREAMS; s++) r ^= c[s];                                  \
    return r;                                                                     \
  }
DEFINE_CRC(1)
DEFINE_CRC(3)
DEFINE_CRC(4)
DEFINE_CRC(6)
DEFINE_CRC(8)

typedef uint64_t (*crc_fn)(const uint8_t *, size_t);

int main(int argc, char **argv) {
  long long bytes = opt_ll(argc, argv, "--bytes", 65536);
  long long iters = opt_ll(argc, argv, "--iterations", 20000);
  bytes -= bytes % 192;
  uint8_t *buf = malloc((size_t)bytes);
  for (long long i = 0; i < bytes; i++) buf[i] = (uint8_t)(i * 31);
  crc_fn fns[] = {crc_x1, crc_x3, crc_x4, crc_x6, crc_x8};
  int streams[] = {1, 3, 4, 6, 8};
  double best = 0, best_secs = 0;
  int best_streams = 0;
  uint64_t sink = 0;
  printf("{\"perStreams\":{");
  for (int f = 0; f < 5; f++) {
    sink += fns[f](buf, (size_t)bytes);
    double t0 = now_sec();
    for (long long i = 0; i < iters; i++) {
      __asm__ volatile("" : : "r"(buf) : "memory"); /* keep the compiler from hoisting the pure call */
      sink += fns[f](buf, (size_t)bytes);
    }
    double secs = now_sec() - t0;
    double gbs = (double)bytes * (double)iters / secs / 1e9;
    printf("%s\"%d\":%.3f", f ? "," : "", streams[f], gbs);
    if (gbs > best) { best = gbs; best_secs = secs; best_streams = streams[f]; }
  }
  printf("},\"bytes\":%lld,\"seconds\":%.6f,\"gbPerSec\":%.3f,\"streams\":%d,\"checksum\":%llu}\n",
         bytes * iters, best_secs, best, best_streams, (unsigned long long)(sink & 0xffff));
  return 0;
}
