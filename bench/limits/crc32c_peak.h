/* The crc32 instruction's peak kernel, shared by limits/crc32c_peak.c (the limit row) and
 * micro/crc32c_native.cc (the native A/B) so both time the same loop on the same buffer.
 * STREAMS independent chains over consecutive 8-byte words (word i feeds chain i % STREAMS), the
 * tightest loop the instruction allows (unrolled 8 rounds deep: with one round per iteration
 * the loop's own instructions cost ~10% at 12 chains, and Samsa's lanes beat that "peak"), with
 * and without a software prefetch of the next iteration (+5-9% at 1 MiB, -2% below 64 KiB).
 * The chains are XORed, not combined into a CRC (this measures the instruction, the ceiling of
 * any implementation built on it). The < 8*STREAMS byte tail runs on chain 0, so exactly `n`
 * bytes are read. Samsa's 12 separate lanes can pass it at 1 MiB (more memory streams). */
#ifndef SAMSA_CRC32C_PEAK_H
#define SAMSA_CRC32C_PEAK_H
#include <nmmintrin.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#define SAMSA_DEFINE_CRC_PEAK(NAME, STREAMS, PREFETCH)                             \
  __attribute__((target("sse4.2"), noinline))                                     \
  static uint64_t NAME(const uint8_t *p, size_t n) {                              \
    uint64_t c[STREAMS];                                                          \
    for (int s = 0; s < STREAMS; s++) c[s] = ~0ULL;                               \
    /* 8 rounds per iteration: 8 words per chain between loop branches */         \
    size_t step = 64 * STREAMS, end = (n / step) * step, i = 0;                   \
    for (; i < end; i += step) {                                                  \
      if (PREFETCH) {                                                             \
        _Pragma("GCC unroll 16") for (int s = 0; s < STREAMS; s++)                \
          __builtin_prefetch(p + i + step + 64 * s, 0, 3);                        \
      }                                                                           \
      _Pragma("GCC unroll 8") for (int u = 0; u < 8; u++) {                       \
        _Pragma("GCC unroll 16") for (int s = 0; s < STREAMS; s++) {              \
          uint64_t w;                                                             \
          memcpy(&w, p + i + 8 * (u * STREAMS + s), 8);                           \
          c[s] = _mm_crc32_u64(c[s], w);                                          \
        }                                                                         \
      }                                                                           \
    }                                                                             \
    for (; i + 8 * STREAMS <= n; i += 8 * STREAMS) {                              \
      _Pragma("GCC unroll 16") for (int s = 0; s < STREAMS; s++) {                \
        uint64_t w;                                                               \
        memcpy(&w, p + i + 8 * s, 8);                                             \
        c[s] = _mm_crc32_u64(c[s], w);                                            \
      }                                                                           \
    }                                                                             \
    for (; i + 8 <= n; i += 8) {                                                  \
      uint64_t w;                                                                 \
      memcpy(&w, p + i, 8);                                                       \
      c[0] = _mm_crc32_u64(c[0], w);                                              \
    }                                                                             \
    for (; i < n; i++) c[0] = _mm_crc32_u8((uint32_t)c[0], p[i]);                 \
    uint64_t r = 0;                                                               \
    for (int s = 0; s < STREAMS; s++) r ^= c[s];                                  \
    return r;                                                                     \
  }
SAMSA_DEFINE_CRC_PEAK(crc_peak_x1, 1, 0)
SAMSA_DEFINE_CRC_PEAK(crc_peak_x3, 3, 0)
SAMSA_DEFINE_CRC_PEAK(crc_peak_x4, 4, 0)
SAMSA_DEFINE_CRC_PEAK(crc_peak_x6, 6, 0)
SAMSA_DEFINE_CRC_PEAK(crc_peak_x8, 8, 0)
SAMSA_DEFINE_CRC_PEAK(crc_peak_x12, 12, 0)
SAMSA_DEFINE_CRC_PEAK(crc_peak_x8_pf, 8, 1)
SAMSA_DEFINE_CRC_PEAK(crc_peak_x12_pf, 12, 1)

typedef uint64_t (*crc_peak_fn)(const uint8_t *, size_t);
static const crc_peak_fn kCrcPeakFns[] = {crc_peak_x1, crc_peak_x3,  crc_peak_x4,    crc_peak_x6,
                                          crc_peak_x8, crc_peak_x12, crc_peak_x8_pf, crc_peak_x12_pf};
static const int kCrcPeakStreams[] = {1, 3, 4, 6, 8, 12, 8, 12};
/* The variants that also prefetch the next iteration's lines (wins once the buffer outgrows L1/L2). */
static const int kCrcPeakPrefetch[] = {0, 0, 0, 0, 0, 0, 1, 1};
#define SAMSA_CRC_PEAK_VARIANTS 8

/* Median throughput of `fn` over `n` bytes, in GB/s (1e9 bytes). Timing is split into short
 * trials (whole passes, about 256 KiB each, so ~10-30 us) and the median trial is reported: on a
 * shared machine a trial that loses the CPU is an outlier, not a shift of the mean. Callers
 * interleave variants trial by trial (crc_bench_trial) so drift hits every variant alike. */
static inline double crc_bench_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
static inline size_t crc_bench_passes(size_t n) { return n >= 262144 ? 1 : 262144 / n; }
static inline double crc_bench_trial(crc_peak_fn fn, const uint8_t *buf, size_t n, uint64_t *sink) {
  size_t passes = crc_bench_passes(n);
  double t0 = crc_bench_now();
  for (size_t i = 0; i < passes; i++) {
    __asm__ volatile("" : : "r"(buf) : "memory"); /* keep the compiler from hoisting the pure call */
    *sink += fn(buf, n);
  }
  return (double)n * (double)passes / (crc_bench_now() - t0) / 1e9;
}
static inline double crc_bench_median(double *v, int count) {
  for (int i = 1; i < count; i++) /* insertion sort on a copy the caller owns */
    for (int j = i; j > 0 && v[j - 1] > v[j]; j--) { double t = v[j]; v[j] = v[j - 1]; v[j - 1] = t; }
  return count % 2 ? v[count / 2] : (v[count / 2 - 1] + v[count / 2]) / 2;
}

/* The buffer every CRC bench uses (the TS benches fill theirs the same way). */
static inline void crc_bench_fill(uint8_t *buf, size_t n) {
  for (size_t i = 0; i < n; i++) buf[i] = (uint8_t)(i * 31);
}
#endif
