/* libmicrohttpd plumbing: a request's life from its headers to its end.
 * What happens in between is api_dispatch (dispatch.c). */
#include "server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "server_int.h"

/* Bytes of an oversized body read and dropped before the answer. */
#define DISCARD_MAX ((size_t)64 * 1024 * 1024)

int64_t api_now_ns(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Counts the request and lets go of the database connection. Done before
 * the answer leaves, so a client that reads /metrics right after its
 * answer sees its request counted. */
static void finish(struct api_req *r)
{
  if (r->finished)
    return;
  r->finished = 1;
  api_metrics_record(&r->srv->metrics, r->route, r->status, api_now_ns() - r->started_ns);
  if (r->db_held)
    atomic_fetch_sub(&r->srv->metrics.db_in_use, 1);
  r->db_held = 0;
}

static enum MHD_Result send_reply(struct api_req *r)
{
  finish(r);
  struct MHD_Response *resp =
      MHD_create_response_from_buffer(r->out_len, r->out, MHD_RESPMEM_MUST_FREE);
  r->out = NULL; /* the response owns it now */
  if (!resp)
    return MHD_NO;
  if (r->content_type)
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, r->content_type);
  for (int i = 0; i < r->nheaders; i++)
    MHD_add_response_header(resp, r->headers[i].name, r->headers[i].value);
  enum MHD_Result ok = MHD_queue_response(r->conn, (unsigned)r->status, resp);
  MHD_destroy_response(resp);
  return ok;
}

/* Called with the raw request target before libmicrohttpd decodes it: the
 * request starts here, and routes match the raw path (see router.c). */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
  struct api_req *r = calloc(1, sizeof *r);
  if (!r)
    return NULL;
  r->raw_path = strndup(uri, strcspn(uri, "?"));
  if (!r->raw_path) {
    free(r);
    return NULL;
  }
  r->started_ns = api_now_ns();
  return r;
}

/* The first call: headers only. The route is known from here, so its body
 * limit applies before a byte of the body is buffered. */
static void begin(struct api_server *srv, struct api_req *r, struct MHD_Connection *conn,
                  const char *method)
{
  r->srv = srv;
  r->conn = conn;
  r->method = method;
  r->path = r->raw_path;
  api_conn_request_started(srv, conn);
  r->route = api_route_match(method, r->path, r, &r->match_status, r->allow, sizeof r->allow);
  r->body_limit = r->route && r->route->body_limit ? r->route->body_limit : srv->cfg.body_limit;
  const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
  if (cl && strtoull(cl, NULL, 10) > r->body_limit)
    r->body_too_large = 1;
}

/* Appends an upload chunk; -1 when out of memory. */
static int buffer_body(struct api_req *r, const char *data, size_t n)
{
  if (r->body_len + n + 1 > r->body_cap) {
    size_t cap = r->body_cap ? r->body_cap : 1024;
    while (cap < r->body_len + n + 1)
      cap *= 2;
    char *b = realloc(r->body, cap);
    if (!b)
      return -1;
    r->body = b;
    r->body_cap = cap;
  }
  memcpy(r->body + r->body_len, data, n);
  r->body_len += n;
  r->body[r->body_len] = '\0';
  return 0;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
  struct api_server *srv = cls;
  struct api_req *r = *con_cls;
  if (!r)
    return MHD_NO; /* on_uri ran out of memory */
  if (!r->conn) {
    begin(srv, r, conn, method);
    const char *expect = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Expect");
    if (r->body_too_large && expect && strcasecmp(expect, "100-continue") == 0) {
      /* Refuse at once: the client waits for "100 Continue" before sending
       * the body, so it never sends it. */
      api_reply_code(r, LEEN_E_PAYLOAD_TOO_LARGE, "the request body is too large");
      return send_reply(r);
    }
    return MHD_YES;
  }
  if (*upload_data_size) {
    size_t n = *upload_data_size;
    *upload_data_size = 0;
    if (r->status) /* answered already: drop the rest */
      return MHD_YES;
    if (api_now_ns() - r->started_ns > (int64_t)srv->cfg.request_timeout * 1000000000) {
      r->timed_out = 1;
      return MHD_NO; /* a body trickling in too slowly: cut the connection */
    }
    if (r->body_too_large || r->body_len + n > r->body_limit) {
      /* Read the rest without keeping it, then answer 413: a client still
       * sending when the connection closes would never see the answer. Past
       * DISCARD_MAX it is not worth the wait: cut. */
      r->body_too_large = 1;
      r->discarded += n;
      return r->discarded > DISCARD_MAX ? MHD_NO : MHD_YES;
    }
    return buffer_body(r, upload_data, n) < 0 ? MHD_NO : MHD_YES;
  }
  if (r->status) /* already answered (413) */
    return MHD_YES;
  api_dispatch(r);
  return send_reply(r);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
  struct api_server *srv = cls;
  struct api_req *r = *con_cls;
  if (!r)
    return;
  int64_t elapsed = api_now_ns() - r->started_ns;
  if (r->srv)
    finish(r);
  else
    api_metrics_record(&srv->metrics, NULL, 0, elapsed);
  if (r->conn)
    api_conn_request_done(srv, conn);
  if (!srv->cfg.quiet)
    fprintf(stderr, "%s %s %d %.1fms%s\n", r->method ? r->method : "-", r->raw_path, r->status,
            (double)elapsed / 1e6,
            toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " (not completed)");
  for (int i = 0; i < r->nparams; i++)
    free(r->params[i]);
  for (int i = 0; i < r->nheaders; i++)
    free(r->headers[i].value);
  cJSON_Delete(r->json);
  free(r->out);
  free(r->body);
  free(r->raw_path);
  free(r);
  *con_cls = NULL;
}

static int hexval(char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Percent-decodes query arguments in place, but keeps "%00" as it is: a
 * NUL would silently cut the value short. (The path is matched raw and
 * its captures decoded by the router.) */
static size_t unescape(void *cls, struct MHD_Connection *conn, char *s)
{
  char *w = s;
  for (const char *p = s; *p; p++) {
    int hi = *p == '%' ? hexval(p[1]) : -1;
    int lo = hi >= 0 ? hexval(p[2]) : -1;
    if (lo >= 0 && (hi || lo)) {
      *w++ = (char)(hi * 16 + lo);
      p += 2;
      continue;
    }
    *w++ = *p;
  }
  *w = '\0';
  return (size_t)(w - s);
}

static void log_mhd(void *cls, const char *fmt, va_list ap) { vfprintf(stderr, fmt, ap); }

struct api_server *api_server_start(const struct api_config *cfg, char *msg, size_t msg_size)
{
  api_db_key_init();
  if (sodium_init() < 0) {
    snprintf(msg, msg_size, "could not initialise libsodium");
    return NULL;
  }
  struct api_server *srv = calloc(1, sizeof *srv);
  if (!srv) {
    snprintf(msg, msg_size, "out of memory");
    return NULL;
  }
  srv->cfg = *cfg;
  struct sockaddr_in addr;
  memset(&addr, 0, sizeof addr);
  addr.sin_family = AF_INET;
  addr.sin_port = htons(cfg->port);
  if (inet_pton(AF_INET, cfg->listen_host, &addr.sin_addr) != 1) {
    snprintf(msg, msg_size, "cannot listen on \"%s\": not an IPv4 address", cfg->listen_host);
    free(srv);
    return NULL;
  }
  srv->auth_cache = calloc(1, sizeof *srv->auth_cache);
  if (srv->auth_cache)
    pthread_mutex_init(&srv->auth_cache->lock, NULL);
  if (!srv->auth_cache || api_metrics_init(&srv->metrics) < 0 || api_openapi_build(srv) < 0 ||
      api_conns_start(srv) < 0) {
    snprintf(msg, msg_size, "could not set the server up (out of memory or threads)");
    api_server_stop(srv);
    return NULL;
  }
  srv->daemon = MHD_start_daemon(
      MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG, cfg->port, NULL, NULL,
      on_request, srv, MHD_OPTION_EXTERNAL_LOGGER, log_mhd, NULL, /* first: MHD asks so */
      MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv, MHD_OPTION_URI_LOG_CALLBACK, on_uri, srv,
      MHD_OPTION_NOTIFY_CONNECTION, api_conn_notify, srv, MHD_OPTION_UNESCAPE_CALLBACK,
      unescape, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
      MHD_OPTION_THREAD_POOL_SIZE, (unsigned)cfg->threads, MHD_OPTION_CONNECTION_TIMEOUT,
      (unsigned)cfg->conn_timeout, MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(32 * 1024),
      MHD_OPTION_CONNECTION_LIMIT, (unsigned)1000, MHD_OPTION_END);
  if (!srv->daemon) {
    snprintf(msg, msg_size, "could not listen on %s:%u", cfg->listen_host, cfg->port);
    api_server_stop(srv);
    return NULL;
  }
  return srv;
}

uint16_t api_server_port(const struct api_server *srv)
{
  const union MHD_DaemonInfo *info = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
  return info ? info->port : srv->cfg.port;
}

const struct api_config *api_server_config(const struct api_server *srv) { return &srv->cfg; }

void api_server_stop(struct api_server *srv)
{
  if (!srv)
    return;
  if (srv->daemon)
    MHD_stop_daemon(srv->daemon);
  api_conns_stop(srv);
  if (srv->auth_cache)
    pthread_mutex_destroy(&srv->auth_cache->lock);
  free(srv->auth_cache);
  api_metrics_release(&srv->metrics);
  free(srv->openapi);
  free(srv);
}
