/* samsa-loadgen: a librdkafka load generator driven by the same options as `samsa perf`, so the
 * client is never the bottleneck of an end-to-end figure, and so the same load can be pointed at
 * librdkafka's in-memory mock cluster as a peer baseline (--mock N).
 *
 *   samsa-loadgen --mode produce|consume|produce,consume --bootstrap-server H:P | --mock N
 *     --topic T --num-records N --record-size B [--payload-file F] [--throughput R (-1)]
 *     [--acks 1] [--batch-size 16384] [--linger-ms 5] [--compression none] [--partitions P]
 *
 * Payload: bytes 0..7 hold the send time (int64 big-endian, microseconds since the epoch) so a
 * consumer reports end-to-end latency; the rest is the payload file or a fixed pattern.
 * Produce latency is send (producev) to delivery report. Output: one JSON line per mode on
 * stdout, {"mode","records","bytes","seconds","recordsPerSec","mbPerSec","errors",
 * "latencyMs":{"avg","p50","p95","p99","p999","max"}}; MB = 1e6 bytes of record values.
 * Note: the mock cluster keeps only the last few MB of each partition, so against --mock the
 * consume mode reads what is retained and stops at the end of the partitions. */
#include "../limits/bench_common.h"
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <sys/time.h>

static double *g_lat;        /* per-record latency in ms */
static double *g_sent;       /* per-record send time, seconds (monotonic) */
static long long g_acked, g_errors;

static int64_t wall_us(void) {
  struct timeval tv;
  gettimeofday(&tv, NULL);
  return (int64_t)tv.tv_sec * 1000000 + tv.tv_usec;
}

static void print_report(const char *mode, long long n, long long bytes, double secs, double *lat, long long nlat) {
  printf("{\"tool\":\"loadgen\",\"mode\":\"%s\",\"records\":%lld,\"bytes\":%lld,\"seconds\":%.6f,"
         "\"recordsPerSec\":%.1f,\"mbPerSec\":%.3f,\"errors\":%lld,",
         mode, n, bytes, secs, (double)n / secs, (double)bytes / secs / 1e6, g_errors);
  print_latency_ms(lat, nlat);
  printf("}\n");
  fflush(stdout);
}

static void dr_cb(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque) {
  (void)rk; (void)opaque;
  long long idx = (long long)(intptr_t)m->_private;
  if (m->err) { g_errors++; return; }
  g_lat[g_acked++] = (now_sec() - g_sent[idx]) * 1000.0;
}

static void set(rd_kafka_conf_t *c, const char *k, const char *v) {
  char err[512];
  if (rd_kafka_conf_set(c, k, v, err, sizeof err) != RD_KAFKA_CONF_OK) { fprintf(stderr, "config %s=%s: %s\n", k, v, err); exit(2); }
}

static void create_topic(const char *bootstrap, const char *topic, int partitions) {
  char err[512];
  rd_kafka_conf_t *c = rd_kafka_conf_new();
  set(c, "bootstrap.servers", bootstrap);
  rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, c, err, sizeof err);
  if (!rk) { fprintf(stderr, "admin client: %s\n", err); exit(1); }
  rd_kafka_NewTopic_t *nt = rd_kafka_NewTopic_new(topic, partitions, 1, err, sizeof err);
  rd_kafka_queue_t *q = rd_kafka_queue_new(rk);
  rd_kafka_CreateTopics(rk, &nt, 1, NULL, q);
  rd_kafka_event_t *ev = rd_kafka_queue_poll(q, 15000);
  const rd_kafka_CreateTopics_result_t *res = ev ? rd_kafka_event_CreateTopics_result(ev) : NULL;
  if (res) {
    size_t cnt;
    const rd_kafka_topic_result_t **tr = rd_kafka_CreateTopics_result_topics(res, &cnt);
    for (size_t i = 0; i < cnt; i++) {
      rd_kafka_resp_err_t e = rd_kafka_topic_result_error(tr[i]);
      if (e && e != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) fprintf(stderr, "create topic: %s\n", rd_kafka_err2str(e));
    }
  }
  if (ev) rd_kafka_event_destroy(ev);
  rd_kafka_NewTopic_destroy(nt);
  rd_kafka_queue_destroy(q);
  rd_kafka_destroy(rk);
}

static int run_produce(int argc, char **argv, const char *bootstrap, const char *topic, long long n, const char *payload, long long size) {
  char err[512];
  double rate = (double)opt_ll(argc, argv, "--throughput", -1);
  rd_kafka_conf_t *c = rd_kafka_conf_new();
  set(c, "bootstrap.servers", bootstrap);
  set(c, "acks", opt_str(argc, argv, "--acks", "1"));
  set(c, "batch.size", opt_str(argc, argv, "--batch-size", "16384"));
  set(c, "linger.ms", opt_str(argc, argv, "--linger-ms", "5"));
  set(c, "compression.codec", opt_str(argc, argv, "--compression", "none"));
  set(c, "queue.buffering.max.messages", "1000000");
  set(c, "queue.buffering.max.kbytes", "1048576");
  set(c, "enable.idempotence", "false");
  rd_kafka_conf_set_dr_msg_cb(c, dr_cb);
  rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, c, err, sizeof err);
  if (!rk) { fprintf(stderr, "producer: %s\n", err); return 1; }
  g_lat = malloc(sizeof(double) * (size_t)n);
  g_sent = malloc(sizeof(double) * (size_t)n);
  char *buf = malloc((size_t)size);
  memcpy(buf, payload, (size_t)size);
  double t0 = now_sec();
  for (long long i = 0; i < n; i++) {
    if (rate > 0) {
      double due = t0 + (double)i / rate;
      while (now_sec() < due) rd_kafka_poll(rk, 0);
    }
    if (size >= 8) {
      int64_t us = wall_us();
      for (int b = 7; b >= 0; b--) { buf[b] = (char)(us & 0xff); us >>= 8; }
    }
    g_sent[i] = now_sec();
    for (;;) {
      rd_kafka_resp_err_t e = rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_VALUE(buf, (size_t)size),
                                                RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_OPAQUE((void *)(intptr_t)i), RD_KAFKA_V_END);
      if (e == RD_KAFKA_RESP_ERR__QUEUE_FULL) { rd_kafka_poll(rk, 1); continue; }
      if (e) { fprintf(stderr, "produce: %s\n", rd_kafka_err2str(e)); return 1; }
      break;
    }
    rd_kafka_poll(rk, 0);
  }
  rd_kafka_flush(rk, 120000);
  double secs = now_sec() - t0;
  print_report("produce", g_acked, g_acked * size, secs, g_lat, g_acked);
  rd_kafka_destroy(rk);
  free(g_sent);
  return g_acked == n ? 0 : 1;
}

static int run_consume(int argc, char **argv, const char *bootstrap, const char *topic, long long n) {
  char err[512];
  rd_kafka_conf_t *c = rd_kafka_conf_new();
  set(c, "bootstrap.servers", bootstrap);
  set(c, "group.id", "samsa-loadgen");
  set(c, "enable.auto.commit", "false");
  set(c, "auto.offset.reset", "earliest");
  set(c, "enable.partition.eof", "true");
  set(c, "fetch.max.bytes", "52428800");
  set(c, "fetch.wait.max.ms", opt_str(argc, argv, "--fetch-wait-ms", "100"));
  rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_CONSUMER, c, err, sizeof err);
  if (!rk) { fprintf(stderr, "consumer: %s\n", err); return 1; }
  rd_kafka_poll_set_consumer(rk);
  const struct rd_kafka_metadata *md;
  rd_kafka_topic_t *t = rd_kafka_topic_new(rk, topic, NULL);
  if (rd_kafka_metadata(rk, 0, t, &md, 10000) || md->topic_cnt < 1) { fprintf(stderr, "metadata for %s failed\n", topic); return 1; }
  rd_kafka_topic_partition_list_t *parts = rd_kafka_topic_partition_list_new(md->topics[0].partition_cnt);
  for (int p = 0; p < md->topics[0].partition_cnt; p++)
    rd_kafka_topic_partition_list_add(parts, topic, p)->offset = RD_KAFKA_OFFSET_BEGINNING;
  rd_kafka_metadata_destroy(md);
  rd_kafka_topic_destroy(t);
  rd_kafka_assign(rk, parts);
  double *lat = malloc(sizeof(double) * (size_t)n);
  long long got = 0, bytes = 0;
  int eofs = 0, nparts = parts->cnt;
  double t0 = 0, last = now_sec();
  /* Stops at n records, at the end of every partition once data has been seen, or after 30 s idle. */
  while (got < n && now_sec() - last < 30 && !(got > 0 && eofs >= nparts)) {
    rd_kafka_message_t *m = rd_kafka_consumer_poll(rk, 100);
    if (!m) continue;
    if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) { eofs++; rd_kafka_message_destroy(m); continue; }
    if (m->err) { g_errors++; rd_kafka_message_destroy(m); continue; }
    if (got == 0) t0 = now_sec();
    last = now_sec();
    if (m->len >= 8) {
      const unsigned char *p = m->payload;
      int64_t us = 0;
      for (int b = 0; b < 8; b++) us = (us << 8) | p[b];
      lat[got] = (double)(wall_us() - us) / 1000.0;
    } else lat[got] = 0;
    bytes += (long long)m->len;
    got++;
    rd_kafka_message_destroy(m);
  }
  double secs = now_sec() - t0;
  print_report("consume", got, bytes, secs, lat, got);
  rd_kafka_topic_partition_list_destroy(parts);
  rd_kafka_consumer_close(rk);
  rd_kafka_destroy(rk);
  return got == n ? 0 : 1;
}

int main(int argc, char **argv) {
  const char *mode = opt_str(argc, argv, "--mode", "produce");
  const char *topic = opt_str(argc, argv, "--topic", "samsa-perf");
  long long n = opt_ll(argc, argv, "--num-records", 100000);
  long long size = opt_ll(argc, argv, "--record-size", 1024);
  int partitions = (int)opt_ll(argc, argv, "--partitions", 0);
  int mock = (int)opt_ll(argc, argv, "--mock", 0);
  const char *bootstrap = opt_str(argc, argv, "--bootstrap-server", "localhost:9092");
  const char *pfile = opt_str(argc, argv, "--payload-file", NULL);
  char *payload;
  if (pfile) {
    FILE *f = fopen(pfile, "rb");
    if (!f) die("payload file");
    fseek(f, 0, SEEK_END);
    size = ftell(f);
    rewind(f);
    payload = malloc((size_t)size + 1);
    if (fread(payload, 1, (size_t)size, f) != (size_t)size) die("read payload file");
    fclose(f);
  } else {
    payload = malloc((size_t)size + 1);
    for (long long i = 0; i < size; i++) payload[i] = (char)('a' + i % 26);
  }
  rd_kafka_t *holder = NULL;
  if (mock > 0) {
    /* The mock cluster lives in the threads of a handle of its own; both clients bootstrap to it. */
    char err[512];
    holder = rd_kafka_new(RD_KAFKA_PRODUCER, rd_kafka_conf_new(), err, sizeof err);
    rd_kafka_mock_cluster_t *mc = rd_kafka_mock_cluster_new(holder, mock);
    if (!mc) { fprintf(stderr, "mock cluster failed\n"); return 1; }
    rd_kafka_mock_topic_create(mc, topic, partitions > 0 ? partitions : 1, 1);
    bootstrap = strdup(rd_kafka_mock_cluster_bootstraps(mc));
  } else if (partitions > 0) {
    create_topic(bootstrap, topic, partitions);
  }
  int rc = 0;
  if (strstr(mode, "produce")) rc |= run_produce(argc, argv, bootstrap, topic, n, payload, size);
  if (strstr(mode, "consume")) rc |= run_consume(argc, argv, bootstrap, topic, n);
  (void)holder; /* the mock cluster is destroyed with the process */
  return rc;
}
