/* GET /metrics: Prometheus text exposition. Counters are relaxed atomics
 * bumped by every worker; a scrape reads them without stopping anyone. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server_int.h"

/* The statuses counted one by one; the last slot takes any other. */
static const int statuses[API_STATUS_SLOTS - 1] = {200, 201, 204, 304, 400, 401, 403,
                                                   404, 405, 409, 412, 413, 415, 422,
                                                   428, 429, 431, 500, 502, 503, 504};
/* Upper bounds of the latency buckets in microseconds; the last is +Inf. */
static const int64_t bounds_us[API_LATENCY_BUCKETS - 1] = {
    500, 1000, 2500, 5000, 10000, 25000, 50000, 100000, 250000, 1000000, 5000000};

int api_metrics_init(struct api_metrics *m)
{
  m->nroutes = api_routes_count + 1;
  m->requests = calloc(m->nroutes * API_STATUS_SLOTS, sizeof *m->requests);
  m->latency = calloc(m->nroutes * API_LATENCY_BUCKETS, sizeof *m->latency);
  m->latency_us = calloc(m->nroutes, sizeof *m->latency_us);
  atomic_init(&m->db_open, 0);
  atomic_init(&m->db_in_use, 0);
  atomic_init(&m->idempotent_replays, 0);
  atomic_init(&m->timeouts, 0);
  return m->requests && m->latency && m->latency_us ? 0 : -1;
}

void api_metrics_release(struct api_metrics *m)
{
  free(m->requests);
  free(m->latency);
  free(m->latency_us);
  m->requests = m->latency = m->latency_us = NULL;
}

static size_t status_slot(int status)
{
  for (size_t i = 0; i < API_STATUS_SLOTS - 1; i++)
    if (statuses[i] == status)
      return i;
  return API_STATUS_SLOTS - 1;
}

void api_metrics_record(struct api_metrics *m, const struct api_route *route, int status,
                        int64_t elapsed_ns)
{
  if (!m->requests)
    return;
  size_t row = route ? (size_t)(route - api_routes) : api_routes_count;
  int64_t us = elapsed_ns / 1000;
  size_t b = 0;
  while (b < API_LATENCY_BUCKETS - 1 && us > bounds_us[b])
    b++;
  atomic_fetch_add_explicit(&m->requests[row * API_STATUS_SLOTS + status_slot(status)], 1,
                            memory_order_relaxed);
  atomic_fetch_add_explicit(&m->latency[row * API_LATENCY_BUCKETS + b], 1,
                            memory_order_relaxed);
  atomic_fetch_add_explicit(&m->latency_us[row], (uint_fast64_t)(us > 0 ? us : 0),
                            memory_order_relaxed);
}

struct buf {
  char *data;
  size_t len, cap;
  int failed;
};

static void put(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct buf *b, const char *fmt, ...)
{
  for (int round = 0; round < 2 && !b->failed; round++) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    if (n < 0) {
      b->failed = 1;
      return;
    }
    if ((size_t)n < b->cap - b->len) {
      b->len += (size_t)n;
      return;
    }
    size_t cap = b->cap * 2 + (size_t)n;
    char *d = realloc(b->data, cap);
    if (!d) {
      b->failed = 1;
      return;
    }
    b->data = d;
    b->cap = cap;
  }
}

/* Route patterns hold no quote, backslash or newline: they are label
 * values as they are. */
static void labels(char *out, size_t size, size_t row)
{
  if (row < api_routes_count)
    snprintf(out, size, "method=\"%s\",route=\"%s\"", api_routes[row].method,
             api_routes[row].pattern);
  else
    snprintf(out, size, "method=\"\",route=\"\"");
}

static uint_fast64_t get(atomic_uint_fast64_t *v)
{
  return atomic_load_explicit(v, memory_order_relaxed);
}

int api_metrics_get(struct api_req *r)
{
  struct api_metrics *m = &r->srv->metrics;
  struct buf b = {malloc(8192), 0, 8192, 0};
  b.failed = !b.data;
  char lab[200];
  put(&b, "# HELP leen_http_requests_total Requests answered, by route and status.\n"
          "# TYPE leen_http_requests_total counter\n");
  for (size_t row = 0; row < m->nroutes; row++) {
    labels(lab, sizeof lab, row);
    for (size_t s = 0; s < API_STATUS_SLOTS; s++) {
      uint_fast64_t n = get(&m->requests[row * API_STATUS_SLOTS + s]);
      if (!n)
        continue;
      char st[16];
      if (s < API_STATUS_SLOTS - 1)
        snprintf(st, sizeof st, "%d", statuses[s]);
      else
        snprintf(st, sizeof st, "other");
      put(&b, "leen_http_requests_total{%s,status=\"%s\"} %llu\n", lab, st, (unsigned long long)n);
    }
  }
  put(&b, "# HELP leen_http_request_duration_seconds Time from a request's first line to its "
          "answer.\n# TYPE leen_http_request_duration_seconds histogram\n");
  for (size_t row = 0; row < m->nroutes; row++) {
    uint_fast64_t cum = 0;
    for (size_t i = 0; i < API_LATENCY_BUCKETS; i++)
      cum += get(&m->latency[row * API_LATENCY_BUCKETS + i]);
    if (!cum)
      continue;
    labels(lab, sizeof lab, row);
    cum = 0;
    for (size_t i = 0; i < API_LATENCY_BUCKETS; i++) {
      cum += get(&m->latency[row * API_LATENCY_BUCKETS + i]);
      char le[24];
      if (i < API_LATENCY_BUCKETS - 1)
        snprintf(le, sizeof le, "%g", (double)bounds_us[i] / 1e6);
      else
        snprintf(le, sizeof le, "+Inf");
      put(&b, "leen_http_request_duration_seconds_bucket{%s,le=\"%s\"} %llu\n", lab, le,
          (unsigned long long)cum);
    }
    put(&b, "leen_http_request_duration_seconds_sum{%s} %.6f\n", lab,
        (double)get(&m->latency_us[row]) / 1e6);
    put(&b, "leen_http_request_duration_seconds_count{%s} %llu\n", lab, (unsigned long long)cum);
  }
  put(&b,
      "# HELP leen_db_connections Database connections open, one per worker thread.\n"
      "# TYPE leen_db_connections gauge\nleen_db_connections %d\n"
      "# HELP leen_db_connections_in_use Database connections held by a request now.\n"
      "# TYPE leen_db_connections_in_use gauge\nleen_db_connections_in_use %d\n"
      "# HELP leen_db_connections_max Database connections the workers may open.\n"
      "# TYPE leen_db_connections_max gauge\nleen_db_connections_max %u\n"
      "# HELP leen_idempotent_replays_total Answers replayed for a repeated Idempotency-Key.\n"
      "# TYPE leen_idempotent_replays_total counter\nleen_idempotent_replays_total %llu\n"
      "# HELP leen_request_timeouts_total Connections cut by the whole-request timeout.\n"
      "# TYPE leen_request_timeouts_total counter\nleen_request_timeouts_total %llu\n",
      atomic_load(&m->db_open), atomic_load(&m->db_in_use), r->srv->cfg.threads,
      (unsigned long long)get(&m->idempotent_replays), (unsigned long long)get(&m->timeouts));
  if (b.failed) {
    free(b.data);
    return api_reply_code(r, LEEN_E_INTERNAL, NULL);
  }
  return api_reply_raw(r, 200, "text/plain; version=0.0.4; charset=utf-8", b.data, b.len);
}
