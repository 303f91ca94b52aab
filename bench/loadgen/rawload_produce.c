/* samsa-rawload, --mode produce (see rawload.c for the options).
 *
 * ONE record batch v2 (no key, no headers, values of `--record-size` letters, as many
 * records as fit in `--batch-size`, CRC-32C computed once) wrapped in ONE Produce v7 request
 * (plus one more for the remainder when --num-records is not a multiple), sent over and over:
 * per send only the correlation id and the partition index (round-robin over --partitions) are
 * rewritten; the broker assigns offsets, which the CRC does not cover. Up to --max-in-flight
 * requests are outstanding per connection (non-blocking sockets, one poll loop). Each response's
 * partition error codes are checked (any non-zero ends the run, exit 1). Latency is per request:
 * from the first byte written (paced: from when the request was due) to the response read.
 * --throughput R (records/s) paces request starts at R; -1 = unlimited. The topic is created with CreateTopics v4 (replication factor -1 =
 * broker default; TOPIC_ALREADY_EXISTS is fine) and awaited in Metadata v1 (leaders known).
 * acks=0 gets no responses: the run ends when the last byte is written, latency is 0.
 * `bytes` = record values acked, `wireBytes` = batch bytes sent. */
#include "rawload.h"
#include <fcntl.h>
#include <poll.h>

/* CreateTopics v4 then Metadata v1 until every partition has a leader (30 s at most). */
static void ensure_topic(int fd, const char *topic, int partitions) {
  wbuf b = {0};
  uint8_t *rb = NULL;
  size_t cap = 0;
  begin_request(&b, 19, 4, 1);
  put_i32(&b, 1); put_str(&b, topic); put_i32(&b, partitions); put_i16(&b, -1);
  put_i32(&b, 0); put_i32(&b, 0); put_i32(&b, 30000); put_i8(&b, 0);
  end_request(&b);
  write_all(fd, (const char *)b.p, b.len);
  size_t n = recv_response(fd, &rb, &cap, 1);
  rbuf r = {rb, n, 4, 0};
  get_i32(&r);
  for (int32_t i = 0, nt = get_i32(&r); i < nt && !r.bad; i++) {
    skip_str(&r);
    int err = get_i16(&r);
    if (err && err != 36) { fprintf(stderr, "CreateTopics %s: error %d %s\n", topic, err, error_name(err)); exit(1); }
    skip_str(&r);
  }
  double until = now_sec() + 30;
  for (int32_t corr = 2;; corr++) {
    begin_request(&b, 3, 1, corr);
    put_i32(&b, 1); put_str(&b, topic);
    end_request(&b);
    write_all(fd, (const char *)b.p, b.len);
    n = recv_response(fd, &rb, &cap, corr);
    r = (rbuf){rb, n, 4, 0};
    for (int32_t i = 0, nb = get_i32(&r); i < nb && !r.bad; i++) { get_i32(&r); skip_str(&r); get_i32(&r); skip_str(&r); }
    get_i32(&r);
    int ready = 0, err = 0, have = 0;
    for (int32_t i = 0, nt = get_i32(&r); i < nt && !r.bad; i++) {
      err = get_i16(&r); skip_str(&r); rd(&r, 1);
      int32_t np = get_i32(&r);
      have = np;
      ready = err == 0 && np >= partitions;
      for (int32_t p = 0; p < np && !r.bad; p++) {
        if (get_i16(&r) != 0) ready = 0;
        get_i32(&r);
        if (get_i32(&r) < 0) ready = 0;
        rd(&r, 4 * (size_t)get_i32(&r)); rd(&r, 4 * (size_t)get_i32(&r));
      }
    }
    if (r.bad) { fprintf(stderr, "Metadata v1 response malformed\n"); exit(1); }
    if (ready) break;
    if (err == 0 && have > 0 && have < partitions) { fprintf(stderr, "topic %s has %d partitions, fewer than --partitions %d\n", topic, have, partitions); exit(1); }
    if (now_sec() > until) { fprintf(stderr, "topic %s not ready after 30 s (error %d %s)\n", topic, err, error_name(err)); exit(1); }
    usleep(20000);
  }
  free(b.p);
  free(rb);
}

typedef struct { int32_t corr; double sent; long long records; } pending_t;
typedef struct {
  int fd;
  wbuf req[2];         /* [0] full batch, [1] remainder batch; this connection's own copies */
  int cur;             /* request being written, -1 none */
  size_t off;
  pending_t *q;        /* FIFO of requests awaiting a response (responses come back in order) */
  int qh, qn;
  uint8_t *rb;
  size_t rlen, rcap;
  int32_t corr;
} conn_t;

/* Builds a Produce v7 request around one batch of `count` records; *part_at = partition index offset. */
static void build_produce(wbuf *b, const char *topic, int acks, long long count, const char *value, long long size, size_t *part_at) {
  begin_request(b, 0, 7, 0);
  put_i16(b, -1); put_i16(b, acks); put_i32(b, 30000);
  put_i32(b, 1); put_str(b, topic); put_i32(b, 1);
  *part_at = b->len;
  put_i32(b, 0);
  size_t len_at = b->len;
  put_i32(b, 0);
  put_batch(b, count, value, size, wall_ms());
  set_be32(b->p + len_at, (uint32_t)(b->len - len_at - 4));
  end_request(b);
}

/* Response bodies that do not parse: not a Kafka error code (those are int16, -1 included). */
#define MALFORMED_RESPONSE (-100000)

/* Checks one Produce v7 response body (after the correlation id); returns the first error code. */
static int produce_error(const uint8_t *p, size_t n) {
  rbuf r = {p, n, 0, 0};
  for (int32_t t = 0, nt = get_i32(&r); t < nt && !r.bad; t++) {
    skip_str(&r);
    for (int32_t i = 0, np = get_i32(&r); i < np && !r.bad; i++) {
      get_i32(&r);
      int err = get_i16(&r);
      if (err) return err;
      rd(&r, 24);
    }
  }
  return r.bad ? MALFORMED_RESPONSE : 0;
}

int run_produce(int argc, char **argv, const char *bootstrap, const char *topic, long long n, long long size) {
  long long batch_bytes = num_opt(argc, argv, "--batch-size", 16384, 1, 1LL << 30);
  int acks = (int)num_opt(argc, argv, "--acks", 1, -1, 1);
  int partitions = (int)num_opt(argc, argv, "--partitions", 1, 1, 100000);
  int maxif = (int)num_opt(argc, argv, "--max-in-flight", 5, 1, 10000);
  int nconn = (int)num_opt(argc, argv, "--connections", 1, 1, 1024);
  double rate = (double)num_opt(argc, argv, "--throughput", -1, -1, 1LL << 40);
  if (rate == 0) usage("--throughput 0: want records/s > 0 or -1 (unlimited)");
  long long per = 0;
  for (size_t used = BATCH_HEADER; per < n && used + record_wire_size(per, size) <= (size_t)batch_bytes; per++) used += record_wire_size(per, size);
  if (per == 0) per = 1; /* a record bigger than --batch-size goes alone, as producers do */
  long long full = n / per, rem = n % per, total = full + (rem ? 1 : 0);
  char *value = malloc((size_t)size + 1);
  for (long long i = 0; i < size; i++) value[i] = (char)('a' + i % 26);

  conn_t *cs = calloc((size_t)nconn, sizeof *cs);
  size_t part_at[2] = {0, 0};
  for (int c = 0; c < nconn; c++) {
    cs[c].fd = connect_bootstrap(bootstrap);
    if (c == 0) ensure_topic(cs[c].fd, topic, partitions);
    build_produce(&cs[c].req[0], topic, acks, per, value, size, &part_at[0]);
    if (rem) build_produce(&cs[c].req[1], topic, acks, rem, value, size, &part_at[1]);
    cs[c].cur = -1;
    cs[c].q = calloc((size_t)maxif, sizeof *cs[c].q);
    cs[c].rcap = 65536;
    cs[c].rb = malloc(cs[c].rcap);
    fcntl(cs[c].fd, F_SETFL, fcntl(cs[c].fd, F_GETFL) | O_NONBLOCK);
  }
  double *lat = malloc(sizeof(double) * (size_t)total);
  long long issued = 0, issued_records = 0, done = 0, done_records = 0, nlat = 0;
  unsigned rr = 0;
  struct pollfd *pfd = calloc((size_t)nconn, sizeof *pfd);
  double t0 = now_sec(), t_end = t0;
  while (done < total) {
    double next_due = 0;
    for (int ci = 0; ci < nconn; ci++) {
      conn_t *c = &cs[ci];
      for (;;) {
        if (c->cur < 0) {
          if (issued == total || c->qn == maxif) break;
          double now = now_sec(), due = t0 + (double)issued_records / rate;
          if (rate > 0 && now < due) { next_due = due; break; }
          int k = rem && issued == total - 1 ? 1 : 0;
          long long count = k ? rem : per;
          c->corr++;
          set_be32(c->req[k].p + 8, (uint32_t)c->corr);
          set_be32(c->req[k].p + part_at[k], rr++ % (unsigned)partitions);
          c->cur = k;
          c->off = 0;
          /* Paced: latency counts from when the request was due, so a late start (all connections
           * at --max-in-flight behind a slow broker) is not hidden (coordinated omission). */
          c->q[(c->qh + c->qn++) % maxif] = (pending_t){c->corr, rate > 0 ? due : now, count};
          issued++;
          issued_records += count;
        }
        wbuf *w = &c->req[c->cur];
        ssize_t wn = write(c->fd, w->p + c->off, w->len - c->off);
        if (wn < 0) { if (errno == EAGAIN || errno == EINTR) break; die("write to broker"); }
        c->off += (size_t)wn;
        if (c->off < w->len) break;
        c->cur = -1;
        if (acks == 0) { done++; done_records += c->q[c->qh].records; c->qh = (c->qh + 1) % maxif; c->qn--; t_end = now_sec(); }
      }
      pfd[ci] = (struct pollfd){c->fd, (short)((acks != 0 && c->qn > 0 ? POLLIN : 0) | (c->cur >= 0 ? POLLOUT : 0)), 0};
    }
    if (done == total) break;
    struct timespec ts, *tsp = NULL;
    if (next_due > 0) {
      double d = next_due - now_sec();
      if (d < 0) d = 0;
      ts.tv_sec = (time_t)d;
      ts.tv_nsec = (long)((d - (double)ts.tv_sec) * 1e9);
      tsp = &ts;
    }
    if (ppoll(pfd, (nfds_t)nconn, tsp, NULL) < 0 && errno != EINTR) die("ppoll");
    for (int ci = 0; ci < nconn; ci++) {
      conn_t *c = &cs[ci];
      if (!(pfd[ci].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      for (;;) {
        if (c->rcap - c->rlen < 4096) { c->rcap *= 2; c->rb = realloc(c->rb, c->rcap); if (!c->rb) die("realloc"); }
        ssize_t got = read(c->fd, c->rb + c->rlen, c->rcap - c->rlen);
        if (got == 0) { fprintf(stderr, "broker closed the connection with %d requests in flight (see its log)\n", c->qn); return 1; }
        if (got < 0) { if (errno == EAGAIN || errno == EINTR) break; die("read from broker"); }
        c->rlen += (size_t)got;
      }
      size_t at = 0;
      double now = now_sec();
      while (c->rlen - at >= 4) {
        size_t fsz = get_be32(c->rb + at);
        if (c->rlen - at - 4 < fsz) break;
        const uint8_t *f = c->rb + at + 4;
        pending_t *pq = &c->q[c->qh];
        if (c->qn == 0 || fsz < 4 || (int32_t)get_be32(f) != pq->corr) { fprintf(stderr, "unexpected response (correlation id %d)\n", fsz >= 4 ? (int32_t)get_be32(f) : -1); return 1; }
        int err = produce_error(f + 4, fsz - 4);
        if (err) { fprintf(stderr, "Produce to %s: error %d %s (request %lld)\n", topic, err, err == MALFORMED_RESPONSE ? "malformed response" : error_name(err), done); return 1; }
        lat[nlat++] = (now - pq->sent) * 1000.0;
        done++;
        done_records += pq->records;
        c->qh = (c->qh + 1) % maxif;
        c->qn--;
        at += 4 + fsz;
        t_end = now;
      }
      memmove(c->rb, c->rb + at, c->rlen - at);
      c->rlen -= at;
    }
  }
  long long batch_len[2] = {(long long)(cs[0].req[0].len - part_at[0] - 8), rem ? (long long)(cs[0].req[1].len - part_at[1] - 8) : 0};
  print_report("produce", done_records, done_records * size, batch_len[0] * full + batch_len[1], total, t_end - t0, lat, nlat);
  for (int c = 0; c < nconn; c++) close(cs[c].fd);
  return 0;
}
