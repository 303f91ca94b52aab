/* Kafka wire pieces for samsa-rawload: a growable write buffer with big-endian puts, a bounds-
 * checked reader with a sticky error, CRC-32C, the record batch v2 builder, request framing and
 * blocking request/response on a socket, and an error-code name table.
 *
 * Request frame: int32 size, then header v1 (non-flexible: apiKey int16, apiVersion int16,
 * correlationId int32, clientId int16-length string), then the body. Response header v0:
 * correlationId int32. Every request rawload sends is non-flexible (Produce v7, Fetch v11,
 * CreateTopics v4, Metadata v1), so no tagged fields and no compact lengths anywhere.
 *
 * Record batch v2 (offsets from the batch start; the CRC-32C covers attributes..end, so the
 * broker rewrites baseOffset and partitionLeaderEpoch without touching it):
 *   0 baseOffset i64 | 8 batchLength i32 (= size - 12) | 12 partitionLeaderEpoch i32 | 16 magic i8
 *   17 crc u32 | 21 attributes i16 | 23 lastOffsetDelta i32 | 27 baseTimestamp i64
 *   35 maxTimestamp i64 | 43 producerId i64 | 51 producerEpoch i16 | 53 baseSequence i32
 *   57 recordCount i32 | 61 records: length varint, attributes i8, timestampDelta varlong,
 *   offsetDelta varint, keyLength varint (-1 = null), value length varint, value, headers varint. */
#ifndef SAMSA_RAWLOAD_WIRE_H
#define SAMSA_RAWLOAD_WIRE_H

#include "../limits/bench_common.h"
#include <netdb.h>
#include <sys/time.h>

#define BATCH_HEADER 61
#define BATCH_CRC_AT 17
#define BATCH_ATTRS_AT 21

typedef struct { uint8_t *p; size_t len, cap; } wbuf;

static inline void wb_need(wbuf *b, size_t n) {
  if (b->len + n <= b->cap) return;
  size_t cap = b->cap ? b->cap : 256;
  while (cap < b->len + n) cap *= 2;
  b->p = realloc(b->p, cap);
  if (!b->p) die("realloc");
  b->cap = cap;
}
static inline void put_be(wbuf *b, uint64_t v, int n) {
  wb_need(b, (size_t)n);
  for (int i = n - 1; i >= 0; i--) b->p[b->len++] = (uint8_t)(v >> (8 * i));
}
static inline void put_i8(wbuf *b, int v) { put_be(b, (uint64_t)(int64_t)v, 1); }
static inline void put_i16(wbuf *b, int v) { put_be(b, (uint64_t)(int64_t)v, 2); }
static inline void put_i32(wbuf *b, int64_t v) { put_be(b, (uint64_t)v, 4); }
static inline void put_i64(wbuf *b, int64_t v) { put_be(b, (uint64_t)v, 8); }
static inline void put_raw(wbuf *b, const void *p, size_t n) { wb_need(b, n); memcpy(b->p + b->len, p, n); b->len += n; }
static inline void put_str(wbuf *b, const char *s) { put_i16(b, (int)strlen(s)); put_raw(b, s, strlen(s)); }
/* Zigzag varint, as record fields use. */
static inline void put_varint(wbuf *b, int64_t v) {
  uint64_t z = ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
  while (z >= 0x80) { put_be(b, (z & 0x7f) | 0x80, 1); z >>= 7; }
  put_be(b, z, 1);
}
static inline void set_be32(uint8_t *p, uint32_t v) { p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v; }
static inline uint32_t get_be32(const uint8_t *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }
static inline int64_t get_be64(const uint8_t *p) { return (int64_t)((uint64_t)get_be32(p) << 32 | get_be32(p + 4)); }

typedef struct { const uint8_t *p; size_t len, pos; int bad; } rbuf;
static inline const uint8_t *rd(rbuf *r, size_t n) {
  if (r->bad || r->len - r->pos < n) { r->bad = 1; return NULL; }
  const uint8_t *q = r->p + r->pos;
  r->pos += n;
  return q;
}
static inline int get_i16(rbuf *r) { const uint8_t *q = rd(r, 2); return q ? (int16_t)(q[0] << 8 | q[1]) : 0; }
static inline int32_t get_i32(rbuf *r) { const uint8_t *q = rd(r, 4); return q ? (int32_t)get_be32(q) : 0; }
static inline int64_t get_i64(rbuf *r) { const uint8_t *q = rd(r, 8); return q ? get_be64(q) : 0; }
static inline void skip_str(rbuf *r) { int n = get_i16(r); if (n > 0) rd(r, (size_t)n); }

/* CRC-32C (Castagnoli, reflected 0x82F63B78), one byte per step from a 256-entry table. The CRC
 * is computed once per run over one batch, so speed is irrelevant here; a table keeps this tool
 * free of the addon's build and of CPU feature checks. */
static inline uint32_t crc32c(const uint8_t *p, size_t n) {
  static uint32_t table[256];
  if (!table[1])
    for (uint32_t i = 0; i < 256; i++) {
      uint32_t c = i;
      for (int k = 0; k < 8; k++) c = c & 1 ? (c >> 1) ^ 0x82F63B78u : c >> 1;
      table[i] = c;
    }
  uint32_t c = 0xFFFFFFFFu;
  while (n--) c = table[(c ^ *p++) & 0xff] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

/* Bytes one record of `size` value bytes takes in a batch (offset delta i, no key, no headers). */
static inline size_t record_wire_size(long long i, long long size) {
  wbuf b = {0};
  put_i8(&b, 0); put_varint(&b, 0); put_varint(&b, i); put_varint(&b, -1); put_varint(&b, size); put_varint(&b, 0);
  size_t body = b.len + (size_t)size;
  b.len = 0;
  put_varint(&b, (int64_t)body);
  size_t total = b.len + body;
  free(b.p);
  return total;
}

/* Appends one uncompressed batch v2 of `count` records whose values are `value` (size bytes). */
static inline void put_batch(wbuf *b, long long count, const char *value, long long size, int64_t ts_ms) {
  size_t start = b->len;
  put_i64(b, 0); put_i32(b, 0); put_i32(b, -1); put_i8(b, 2); put_i32(b, 0);
  put_i16(b, 0); put_i32(b, count - 1); put_i64(b, ts_ms); put_i64(b, ts_ms);
  put_i64(b, -1); put_i16(b, -1); put_i32(b, -1); put_i32(b, count);
  for (long long i = 0; i < count; i++) {
    wbuf h = {0};
    put_i8(&h, 0); put_varint(&h, 0); put_varint(&h, i); put_varint(&h, -1); put_varint(&h, size);
    put_varint(b, (int64_t)(h.len + (size_t)size + 1));
    put_raw(b, h.p, h.len);
    put_raw(b, value, (size_t)size);
    put_varint(b, 0);
    free(h.p);
  }
  set_be32(b->p + start + 8, (uint32_t)(b->len - start - 12));
  set_be32(b->p + start + BATCH_CRC_AT, crc32c(b->p + start + BATCH_ATTRS_AT, b->len - start - BATCH_ATTRS_AT));
}

#define CLIENT_ID "samsa-rawload"
/* Starts a request frame (size patched by end_request); the correlation id sits at byte 8. */
static inline void begin_request(wbuf *b, int api_key, int version, int32_t corr) {
  b->len = 0;
  put_i32(b, 0); put_i16(b, api_key); put_i16(b, version); put_i32(b, corr); put_str(b, CLIENT_ID);
}
static inline void end_request(wbuf *b) { set_be32(b->p, (uint32_t)(b->len - 4)); }

static inline int64_t wall_ms(void) {
  struct timeval tv;
  gettimeofday(&tv, NULL);
  return (int64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

/* Connects to "host:port" (any address the name resolves to), TCP_NODELAY, blocking. */
static inline int connect_bootstrap(const char *hostport) {
  char host[256];
  const char *colon = strrchr(hostport, ':');
  if (!colon || colon == hostport || (size_t)(colon - hostport) >= sizeof host) { fprintf(stderr, "--bootstrap-server %s: want host:port\n", hostport); exit(2); }
  memcpy(host, hostport, (size_t)(colon - hostport));
  host[colon - hostport] = 0;
  if (host[0] == '[') { memmove(host, host + 1, strlen(host)); host[strlen(host) - 1] = 0; }
  struct addrinfo hints = {0}, *res, *ai;
  hints.ai_socktype = SOCK_STREAM;
  int rc = getaddrinfo(host, colon + 1, &hints, &res);
  if (rc) { fprintf(stderr, "resolve %s: %s\n", hostport, gai_strerror(rc)); exit(1); }
  int fd = -1;
  for (ai = res; ai; ai = ai->ai_next) {
    fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
    if (fd < 0) continue;
    if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) break;
    close(fd);
    fd = -1;
  }
  freeaddrinfo(res);
  if (fd < 0) { fprintf(stderr, "connect %s: %s (is the broker running?)\n", hostport, strerror(errno)); exit(1); }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

static inline void read_exact(int fd, uint8_t *p, size_t n) {
  while (n > 0) {
    ssize_t r = read(fd, p, n);
    if (r == 0) { fprintf(stderr, "broker closed the connection (see its log for the reason)\n"); exit(1); }
    if (r < 0) { if (errno == EINTR) continue; die("read"); }
    p += r;
    n -= (size_t)r;
  }
}

/* Reads one size-prefixed response into *buf (grown as needed); returns its size; checks corr. */
static inline size_t recv_response(int fd, uint8_t **buf, size_t *cap, int32_t corr) {
  uint8_t sz[4];
  read_exact(fd, sz, 4);
  size_t n = get_be32(sz);
  if (n < 4 || n > (1u << 30)) { fprintf(stderr, "bad response size %zu\n", n); exit(1); }
  if (n > *cap) { *buf = realloc(*buf, n); if (!*buf) die("realloc"); *cap = n; }
  read_exact(fd, *buf, n);
  int32_t got = (int32_t)get_be32(*buf);
  if (got != corr) { fprintf(stderr, "response correlation id %d, expected %d\n", got, corr); exit(1); }
  return n;
}

static inline const char *error_name(int code) {
  switch (code) {
    case -1: return "UNKNOWN_SERVER_ERROR";
    case 1: return "OFFSET_OUT_OF_RANGE";
    case 2: return "CORRUPT_MESSAGE";
    case 3: return "UNKNOWN_TOPIC_OR_PARTITION";
    case 5: return "LEADER_NOT_AVAILABLE";
    case 6: return "NOT_LEADER_OR_FOLLOWER";
    case 7: return "REQUEST_TIMED_OUT";
    case 10: return "MESSAGE_TOO_LARGE";
    case 17: return "INVALID_TOPIC_EXCEPTION";
    case 19: return "NOT_ENOUGH_REPLICAS";
    case 20: return "NOT_ENOUGH_REPLICAS_AFTER_APPEND";
    case 35: return "UNSUPPORTED_VERSION";
    case 36: return "TOPIC_ALREADY_EXISTS";
    case 37: return "INVALID_PARTITIONS";
    case 38: return "INVALID_REPLICATION_FACTOR";
    case 42: return "INVALID_REQUEST";
    case 56: return "KAFKA_STORAGE_ERROR";
    case 87: return "INVALID_RECORD";
    default: return "see Kafka's error codes";
  }
}

#endif
