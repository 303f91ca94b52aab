/* samsa-rawload, --mode consume (see rawload.c for the options).
 *
 * Fetch v11 on one partition from offset 0, one fetch in flight, max wait
 * --max-wait-ms, --partition-max-bytes per fetch; the response is read into one reused buffer
 * and only batch headers are walked (baseOffset, batchLength, lastOffsetDelta) to advance the
 * fetch offset; stops once --num-records offsets are consumed. Records are not decoded, so
 * `bytes` is records x --record-size (record values, as samsa-loadgen counts) and `wireBytes`
 * the batch bytes received. latencyMs is the fetch round trip. */
#include "rawload.h"

int run_consume(int argc, char **argv, const char *bootstrap, const char *topic, long long n, long long size) {
  int partition = (int)num_opt(argc, argv, "--partition", 0, 0, 1 << 30);
  long long pmax = num_opt(argc, argv, "--partition-max-bytes", 1 << 20, 1, INT32_MAX);
  int wait = (int)num_opt(argc, argv, "--max-wait-ms", 500, 0, 600000);
  int fd = connect_bootstrap(bootstrap);
  wbuf b = {0};
  begin_request(&b, 1, 11, 0);
  put_i32(&b, -1); put_i32(&b, wait); put_i32(&b, 1); put_i32(&b, INT32_MAX); put_i8(&b, 0); put_i32(&b, 0); put_i32(&b, -1);
  put_i32(&b, 1); put_str(&b, topic); put_i32(&b, 1); put_i32(&b, partition); put_i32(&b, -1);
  size_t off_at = b.len;
  put_i64(&b, 0); put_i64(&b, -1); put_i32(&b, pmax);
  put_i32(&b, 0); put_str(&b, "");
  end_request(&b);
  uint8_t *rb = NULL;
  size_t cap = 0;
  double *lat = malloc(sizeof(double) * 1024);
  long long nlat = 0, latcap = 1024, offset = 0, wire = 0;
  double t0 = now_sec(), last_progress = t0;
  for (int32_t corr = 1; offset < n; corr++) {
    set_be32(b.p + 8, (uint32_t)corr);
    set_be32(b.p + off_at, (uint32_t)((uint64_t)offset >> 32));
    set_be32(b.p + off_at + 4, (uint32_t)offset);
    long long before = offset;
    double sent = now_sec();
    write_all(fd, (const char *)b.p, b.len);
    size_t rn = recv_response(fd, &rb, &cap, corr);
    double now = now_sec();
    if (nlat == latcap) { latcap *= 2; lat = realloc(lat, sizeof(double) * (size_t)latcap); }
    lat[nlat++] = (now - sent) * 1000.0;
    rbuf r = {rb, rn, 4, 0};
    get_i32(&r);
    int err = get_i16(&r);
    get_i32(&r);
    int64_t hw = -1;
    for (int32_t t = 0, nt = get_i32(&r); t < nt && !r.bad && !err; t++) {
      skip_str(&r);
      for (int32_t p = 0, np = get_i32(&r); p < np && !r.bad && !err; p++) {
        get_i32(&r);
        err = get_i16(&r);
        hw = get_i64(&r);
        rd(&r, 16);
        int32_t na = get_i32(&r);
        if (na > 0) rd(&r, 16 * (size_t)na);
        get_i32(&r);
        int32_t rlen = get_i32(&r);
        const uint8_t *recs = rlen > 0 ? rd(&r, (size_t)rlen) : NULL;
        for (size_t pos = 0; recs && rlen - (int64_t)pos >= BATCH_HEADER;) {
          const uint8_t *h = recs + pos;
          int64_t base = get_be64(h);
          size_t blen = 12 + (size_t)(int32_t)get_be32(h + 8);
          if (pos + blen > (size_t)rlen) break; /* a partial batch at the end: fetched again next time */
          int64_t last = base + (int32_t)get_be32(h + 23);
          if (last >= offset) offset = last + 1;
          wire += (long long)blen;
          pos += blen;
        }
      }
    }
    if (r.bad) { fprintf(stderr, "Fetch v11 response malformed\n"); return 1; }
    if (err) { fprintf(stderr, "Fetch %s-%d at offset %lld: error %d %s\n", topic, partition, offset, err, error_name(err)); return 1; }
    if (offset > before) last_progress = now;
    else if (now - last_progress > 30) { fprintf(stderr, "no new records for 30 s at offset %lld (high watermark %lld), want %lld\n", offset, (long long)hw, n); return 1; }
  }
  double secs = now_sec() - t0;
  print_report("consume", offset, offset * size, wire, nlat, secs, lat, nlat);
  close(fd);
  return 0;
}
