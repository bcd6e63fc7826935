/* Internal to leen-api: the server's own state. Handlers run on several
 * threads at once: everything here that changes while serving is either
 * atomic or behind the mutex next to it. */
#ifndef LEEN_API_SERVER_INT_H
#define LEEN_API_SERVER_INT_H

#include <microhttpd.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include "api.h"
#include "leen/auth.h"
#include "server.h"

/* ---- metrics (metrics.c) ---- */
#define API_STATUS_SLOTS 22
#define API_LATENCY_BUCKETS 12

struct api_metrics {
  size_t nroutes;                    /* api_routes_count + 1: the last row is "no route" */
  atomic_uint_fast64_t *requests;    /* [nroutes][API_STATUS_SLOTS] */
  atomic_uint_fast64_t *latency;     /* [nroutes][API_LATENCY_BUCKETS], not cumulative */
  atomic_uint_fast64_t *latency_us;  /* [nroutes]: sum in microseconds */
  atomic_int db_open;                /* connections open (one per worker that used one) */
  atomic_int db_in_use;              /* held by a request right now */
  atomic_uint_fast64_t idempotent_replays;
  atomic_uint_fast64_t timeouts;     /* connections cut by the whole-request timeout */
};

int api_metrics_init(struct api_metrics *m);
void api_metrics_release(struct api_metrics *m);
/* Counts one answered request (route NULL: none matched). */
void api_metrics_record(struct api_metrics *m, const struct api_route *route, int status,
                        int64_t elapsed_ns);

/* ---- token cache (auth.c) ----
 * Resolving a token costs a round trip to PostgreSQL on every request;
 * the cache keeps a resolved actor for a few seconds. A logout through this
 * process drops the entry at once; a token revoked or expired by other
 * means is refused at most cache_seconds later. */
#define API_AUTH_CACHE_SLOTS 256

struct api_auth_entry {
  unsigned char hash[LEEN_TOKEN_HASH_SIZE];
  int64_t until_ns;                  /* 0: empty */
  int revoked;                       /* logged out: never cache this hash again */
  struct leen_actor actor;
};

struct api_auth_cache {
  pthread_mutex_t lock;
  struct api_auth_entry slots[API_AUTH_CACHE_SLOTS];
};

/* ---- connections and the whole-request timeout (conn.c) ---- */
struct api_conn {
  struct api_conn *prev, *next;
  int fd;
  atomic_int_fast64_t deadline_ns;   /* cut the connection when past this */
  int cut;
};

struct api_conns {
  pthread_mutex_t lock;
  struct api_conn *head;
  pthread_t reaper;
  int reaper_running;
  atomic_int stop;
};

struct api_server {
  struct MHD_Daemon *daemon;
  struct api_config cfg;
  struct api_metrics metrics;
  struct api_auth_cache *auth_cache;
  struct api_conns conns;
  char *openapi;                     /* the document, built once at start */
  size_t openapi_len;
};

int64_t api_now_ns(void);
/* reply.c: creates the thread key of the workers' connections, once. */
void api_db_key_init(void);

/* dispatch.c: everything between "the body is in" and "the reply is ready". */
void api_dispatch(struct api_req *r);
/* auth.c: sets r->actor from the bearer token, or replies 401/503 and
 * returns -1. */
int api_authenticate(struct api_req *r);
/* idempotency.c: before the handler: 1 run it, 0 the reply is made. */
int api_idempotency_begin(struct api_req *r);
/* after the handler: store the response or give the key up. */
void api_idempotency_end(struct api_req *r);
/* openapi.c: builds srv->openapi from the route table. */
int api_openapi_build(struct api_server *srv);

/* conn.c */
int api_conns_start(struct api_server *srv);
void api_conns_stop(struct api_server *srv);
/* MHD_OPTION_NOTIFY_CONNECTION callback. */
void api_conn_notify(void *cls, struct MHD_Connection *conn, void **socket_context,
                     enum MHD_ConnectionNotificationCode code);
/* A request started on conn: it must be answered within the timeout. */
void api_conn_request_started(struct api_server *srv, struct MHD_Connection *conn);
/* A request ended: the connection may idle, then bring the next one. */
void api_conn_request_done(struct api_server *srv, struct MHD_Connection *conn);

#endif
