/* samsa-rawload: a Kafka protocol load generator that does as little work per byte as
 * bench/limits/produce_limit's sender, so that an end-to-end figure measures the broker and not
 * the client (librdkafka tops out near 100 MB/s on this machine, against its own mock too).
 *
 *   samsa-rawload --mode produce|consume [--bootstrap-server localhost:9092] [--topic samsa-perf]
 *     [--num-records 100000] [--record-size 1024]
 *     produce: [--batch-size 16384] [--acks 1] [--partitions 1] [--max-in-flight 5]
 *              [--connections 1] [--throughput -1]
 *     consume: [--partition 0] [--partition-max-bytes 1048576] [--max-wait-ms 500]
 *
 * Files: rawload.c (options, report, main), rawload_produce.c, rawload_consume.c (each mode,
 * described at its top), rawload_wire.h (encoding, CRC-32C, framing; the byte layouts).
 *
 * Talks to the bootstrap broker only (single-broker tool: a partition led elsewhere fails with
 * NOT_LEADER_OR_FOLLOWER). Output: one JSON line with samsa-loadgen's keys (MB = 1e6 bytes).
 * Bad arguments: usage on stderr, exit 2. */
#include "rawload.h"
#include <signal.h>

static const char *KNOWN[] = {"--mode", "--bootstrap-server", "--topic", "--num-records", "--record-size", "--batch-size",
  "--acks", "--partitions", "--max-in-flight", "--connections", "--throughput", "--partition", "--partition-max-bytes",
  "--max-wait-ms", NULL};

void usage(const char *why) {
  fprintf(stderr, "samsa-rawload: %s\nusage: samsa-rawload --mode produce|consume [--bootstrap-server H:P] [--topic T]\n"
          "  [--num-records N] [--record-size B]\n"
          "  produce: [--batch-size B] [--acks -1|0|1] [--partitions P] [--max-in-flight K] [--connections C] [--throughput R|-1]\n"
          "  consume: [--partition P] [--partition-max-bytes B] [--max-wait-ms MS]\n", why);
  exit(2);
}

/* Integer option with bounds; anything else is a usage error. */
long long num_opt(int argc, char **argv, const char *name, long long def, long long lo, long long hi) {
  const char *v = opt_str(argc, argv, name, NULL);
  if (!v) return def;
  char *end;
  errno = 0;
  long long x = strtoll(v, &end, 10);
  if (errno || *end || end == v || x < lo || x > hi) {
    static char msg[256];
    snprintf(msg, sizeof msg, "%s %s: want an integer in [%lld, %lld]", name, v, lo, hi);
    usage(msg);
  }
  return x;
}

void print_report(const char *mode, long long n, long long bytes, long long wire, long long requests, double secs,
                  double *lat, long long nlat) {
  printf("{\"tool\":\"rawload\",\"mode\":\"%s\",\"records\":%lld,\"bytes\":%lld,\"wireBytes\":%lld,\"requests\":%lld,"
         "\"seconds\":%.6f,\"recordsPerSec\":%.1f,\"mbPerSec\":%.3f,\"errors\":0,",
         mode, n, bytes, wire, requests, secs, (double)n / secs, (double)bytes / secs / 1e6);
  print_latency_ms(lat, nlat);
  printf("}\n");
  fflush(stdout);
}


int main(int argc, char **argv) {
  for (int i = 1; i < argc; i += 2) {
    int ok = 0;
    for (const char **k = KNOWN; *k; k++) ok |= strcmp(argv[i], *k) == 0;
    if (!ok) { char msg[300]; snprintf(msg, sizeof msg, "unknown option %.200s", argv[i]); usage(msg); }
    if (i + 1 >= argc) { char msg[300]; snprintf(msg, sizeof msg, "%.200s needs a value", argv[i]); usage(msg); }
  }
  const char *mode = opt_str(argc, argv, "--mode", NULL);
  if (!mode) usage("--mode is required");
  const char *topic = opt_str(argc, argv, "--topic", "samsa-perf");
  if (!*topic || strlen(topic) > 249) usage("--topic: want 1-249 characters");
  long long n = num_opt(argc, argv, "--num-records", 100000, 1, 1LL << 40);
  long long size = num_opt(argc, argv, "--record-size", 1024, 0, 100LL << 20);
  const char *bootstrap = opt_str(argc, argv, "--bootstrap-server", "localhost:9092");
  signal(SIGPIPE, SIG_IGN);
  if (strcmp(mode, "produce") == 0) return run_produce(argc, argv, bootstrap, topic, n, size);
  if (strcmp(mode, "consume") == 0) return run_consume(argc, argv, bootstrap, topic, n, size);
  usage("--mode: want produce or consume");
  return 2;
}
