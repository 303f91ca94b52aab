/* Shared helpers for the native bench programs in bench/limits and bench/loadgen: a monotonic
 * clock, loopback socket setup, option parsing by name, and JSON output on one stdout line.
 * Every program prints exactly one JSON object (the runner parses it) and errors to stderr. */
#ifndef SAMSA_BENCH_COMMON_H
#define SAMSA_BENCH_COMMON_H

#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static inline double now_sec(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static inline void die(const char *what) {
  fprintf(stderr, "%s: %s\n", what, strerror(errno));
  exit(1);
}

/* "--name value" lookup; returns def when absent. */
static inline const char *opt_str(int argc, char **argv, const char *name, const char *def) {
  for (int i = 1; i + 1 < argc; i++) if (strcmp(argv[i], name) == 0) return argv[i + 1];
  return def;
}
static inline long long opt_ll(int argc, char **argv, const char *name, long long def) {
  const char *v = opt_str(argc, argv, name, NULL);
  return v ? atoll(v) : def;
}

/* Listens on 127.0.0.1 with an ephemeral port; returns the fd and stores the port. */
static inline int listen_loopback(int *port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) die("socket");
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0) die("bind");
  if (listen(fd, 1) < 0) die("listen");
  socklen_t len = sizeof a;
  if (getsockname(fd, (struct sockaddr *)&a, &len) < 0) die("getsockname");
  *port = ntohs(a.sin_port);
  return fd;
}

static inline int connect_loopback(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) die("socket");
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons((uint16_t)port);
  if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0) die("connect");
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

static inline void write_all(int fd, const char *p, size_t n) {
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w < 0) { if (errno == EINTR) continue; die("write"); }
    p += w;
    n -= (size_t)w;
  }
}

static inline int bench_cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

/* Prints `"latencyMs":{"avg":..,"p50":..,"p95":..,"p99":..,"p999":..,"max":..}` for the `nlat`
 * latencies in ms (sorted in place; nearest-rank percentiles) : the load generators' shared
 * report tail. */
static inline void print_latency_ms(double *lat, long long nlat) {
  double sum = 0;
  qsort(lat, (size_t)nlat, sizeof *lat, bench_cmp_double);
  for (long long i = 0; i < nlat; i++) sum += lat[i];
#define PCT(p) (nlat ? lat[(long long)((p) * (double)(nlat - 1) + 0.5)] : 0.0)
  printf("\"latencyMs\":{\"avg\":%.3f,\"p50\":%.3f,\"p95\":%.3f,\"p99\":%.3f,\"p999\":%.3f,\"max\":%.3f}",
         nlat ? sum / (double)nlat : 0.0, PCT(0.50), PCT(0.95), PCT(0.99), PCT(0.999), nlat ? lat[nlat - 1] : 0.0);
#undef PCT
}

#endif
