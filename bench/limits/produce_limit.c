/* Produce limit: the least work a broker must do for acks=1 produce from page cache. A child
 * process streams `--bytes` over loopback TCP in `--chunk`-byte writes (one write per request,
 * as a pipelined producer does); the parent only read()s them and appends them to a file with
 * write() (no fsync unless --fsync 1, then one fdatasync per chunk). No parsing, no CRC, no
 * response. Prints {"bytes","seconds","mbPerSec"} where MB = 1e6 bytes, timed from accept to
 * the last byte written.
 *   produce_limit --bytes 1073741824 --chunk 16384 --file /tmp/x.log [--fsync 0] */
#include "bench_common.h"
#include <fcntl.h>
#include <sys/wait.h>

int main(int argc, char **argv) {
  long long total = opt_ll(argc, argv, "--bytes", 256LL << 20);
  long long chunk = opt_ll(argc, argv, "--chunk", 16384);
  const char *path = opt_str(argc, argv, "--file", "/tmp/samsa-produce-limit.log");
  int do_fsync = (int)opt_ll(argc, argv, "--fsync", 0);
  if (chunk <= 0 || total <= 0) { fprintf(stderr, "--bytes and --chunk must be positive\n"); return 2; }

  int port;
  int lfd = listen_loopback(&port);
  pid_t child = fork();
  if (child < 0) die("fork");
  if (child == 0) {
    char *buf = malloc((size_t)chunk);
    for (long long i = 0; i < chunk; i++) buf[i] = (char)(i * 31);
    int fd = connect_loopback(port);
    for (long long sent = 0; sent < total; sent += chunk) {
      long long n = total - sent < chunk ? total - sent : chunk;
      write_all(fd, buf, (size_t)n);
    }
    close(fd);
    _exit(0);
  }
  int out = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);
  if (out < 0) die("open output");
  int cfd = accept(lfd, NULL, NULL);
  if (cfd < 0) die("accept");
  size_t cap = (size_t)(chunk > 65536 ? chunk : 65536);
  char *buf = malloc(cap);
  double t0 = now_sec();
  long long got = 0;
  for (;;) {
    ssize_t r = read(cfd, buf, cap);
    if (r < 0) { if (errno == EINTR) continue; die("read"); }
    if (r == 0) break;
    write_all(out, buf, (size_t)r);
    if (do_fsync) fdatasync(out);
    got += r;
  }
  double secs = now_sec() - t0;
  close(cfd);
  close(out);
  unlink(path);
  waitpid(child, NULL, 0);
  if (got != total) { fprintf(stderr, "received %lld of %lld bytes\n", got, total); return 1; }
  printf("{\"bytes\":%lld,\"seconds\":%.6f,\"mbPerSec\":%.3f}\n", got, secs, (double)got / secs / 1e6);
  return 0;
}
