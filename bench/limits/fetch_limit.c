/* Fetch limit: the least work a broker must do to serve a consumer from page cache with
 * zero-copy. Writes a `--bytes` file (then reads it once so it is in the page cache); a child
 * process sendfile()s it to a loopback socket in `--chunk`-byte calls (one per fetch
 * response); the parent reads and discards. Prints {"bytes","seconds","mbPerSec"}, MB = 1e6.
 *   fetch_limit --bytes 1073741824 --chunk 1048576 --file /tmp/x.log */
#include "bench_common.h"
#include <fcntl.h>
#include <sys/sendfile.h>
#include <sys/wait.h>

int main(int argc, char **argv) {
  long long total = opt_ll(argc, argv, "--bytes", 256LL << 20);
  long long chunk = opt_ll(argc, argv, "--chunk", 1 << 20);
  const char *path = opt_str(argc, argv, "--file", "/tmp/samsa-fetch-limit.log");
  if (chunk <= 0 || total <= 0) { fprintf(stderr, "--bytes and --chunk must be positive\n"); return 2; }

  char *buf = malloc(1 << 20);
  for (int i = 0; i < (1 << 20); i++) buf[i] = (char)(i * 31);
  int f = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
  if (f < 0) die("open file");
  for (long long w = 0; w < total; w += (1 << 20)) {
    long long n = total - w < (1 << 20) ? total - w : (1 << 20);
    write_all(f, buf, (size_t)n);
  }
  lseek(f, 0, SEEK_SET);
  while (read(f, buf, 1 << 20) > 0) { /* warm the page cache */ }

  int port;
  int lfd = listen_loopback(&port);
  pid_t child = fork();
  if (child < 0) die("fork");
  if (child == 0) {
    int cfd = accept(lfd, NULL, NULL);
    if (cfd < 0) die("accept");
    off_t off = 0;
    while (off < total) {
      long long n = total - off < chunk ? total - off : chunk;
      ssize_t s = sendfile(cfd, f, &off, (size_t)n);
      if (s < 0) { if (errno == EINTR) continue; die("sendfile"); }
    }
    close(cfd);
    _exit(0);
  }
  int fd = connect_loopback(port);
  double t0 = now_sec();
  long long got = 0;
  for (;;) {
    ssize_t r = read(fd, buf, 1 << 20);
    if (r < 0) { if (errno == EINTR) continue; die("read"); }
    if (r == 0) break;
    got += r;
  }
  double secs = now_sec() - t0;
  waitpid(child, NULL, 0);
  close(f);
  unlink(path);
  if (got != total) { fprintf(stderr, "received %lld of %lld bytes\n", got, total); return 1; }
  printf("{\"bytes\":%lld,\"seconds\":%.6f,\"mbPerSec\":%.3f}\n", got, secs, (double)got / secs / 1e6);
  return 0;
}
