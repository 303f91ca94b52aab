/* CRC32C instruction peak: the SSE4.2 crc32 instruction in the tightest loop we can write
 * (limits/crc32c_peak.h), on 1, 3, 4, 6, 8 and 12 independent streams to cover its latency (3
 * cycles) at 1 or 2 issues per cycle, and 8 and 12 with software prefetch. PCLMUL folding can
 * exceed it and is not counted here.
 * Runs over a malloc'd `--bytes` buffer (exactly that many bytes; the same size, fill and kind of
 * memory as the Samsa rows), `--trials` short trials per variant interleaved round-robin, and
 * prints {"perStreams" (median GB/s per variant: "12", "12+pf"...),"bytes","gbPerSec" (the best
 * median),"streams","prefetch"}, GB = 1e9 bytes. */
#include "bench_common.h"
#include "crc32c_peak.h"

int main(int argc, char **argv) {
  long long bytes = opt_ll(argc, argv, "--bytes", 65536);
  long long trials = opt_ll(argc, argv, "--trials", 1001);
  if (bytes < 1) bytes = 1;
  if (trials < 1) trials = 1;
  uint8_t *buf = malloc((size_t)bytes);
  double *runs = malloc(sizeof(double) * (size_t)trials * SAMSA_CRC_PEAK_VARIANTS);
  if (!buf || !runs) die("malloc");
  crc_bench_fill(buf, (size_t)bytes);
  uint64_t sink = 0;
  for (int f = 0; f < SAMSA_CRC_PEAK_VARIANTS; f++) crc_bench_trial(kCrcPeakFns[f], buf, (size_t)bytes, &sink);
  for (long long t = 0; t < trials; t++)
    for (int f = 0; f < SAMSA_CRC_PEAK_VARIANTS; f++)
      runs[f * trials + t] = crc_bench_trial(kCrcPeakFns[f], buf, (size_t)bytes, &sink);
  double best = 0;
  int best_streams = 0, best_prefetch = 0;
  printf("{\"perStreams\":{");
  for (int f = 0; f < SAMSA_CRC_PEAK_VARIANTS; f++) {
    double gbs = crc_bench_median(runs + f * trials, (int)trials);
    printf("%s\"%d%s\":%.3f", f ? "," : "", kCrcPeakStreams[f], kCrcPeakPrefetch[f] ? "+pf" : "", gbs);
    if (gbs > best) { best = gbs; best_streams = kCrcPeakStreams[f]; best_prefetch = kCrcPeakPrefetch[f]; }
  }
  printf("},\"bytes\":%lld,\"trials\":%lld,\"gbPerSec\":%.3f,\"streams\":%d,\"prefetch\":%s,\"checksum\":%llu}\n",
         bytes, trials, best, best_streams, best_prefetch ? "true" : "false", (unsigned long long)(sink & 0xffff));
  free(runs);
  free(buf);
  return 0;
}
