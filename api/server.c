#include "server.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api.h"

struct api_server {
  struct MHD_Daemon *daemon;
  struct api_config cfg;
};

static pthread_key_t db_key;
static pthread_once_t db_key_once = PTHREAD_ONCE_INIT;

static void close_thread_db(void *p) { leen_db_close(p); }
static void make_db_key(void) { pthread_key_create(&db_key, close_thread_db); }

struct leen_db *api_db(struct api_req *r, struct leen_err *err)
{
  struct leen_db *db = pthread_getspecific(db_key);
  if (db)
    return db;
  if (leen_db_open(&db, r->srv->cfg.database_url, err) < 0)
    return NULL;
  pthread_setspecific(db_key, db);
  return db;
}

static int64_t now_ns(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void api_add_header(struct api_req *r, const char *name, const char *value)
{
  if (r->nheaders == API_MAX_HEADERS)
    return;
  char *copy = strdup(value);
  if (!copy)
    return;
  r->headers[r->nheaders].name = name;
  r->headers[r->nheaders].value = copy;
  r->nheaders++;
}

int api_reply_raw(struct api_req *r, int status, const char *content_type, char *body, size_t len)
{
  free(r->out);
  r->status = status;
  r->content_type = content_type;
  r->out = body;
  r->out_len = len;
  return 0;
}

int api_reply_json(struct api_req *r, int status, cJSON *body)
{
  char *text = body ? cJSON_PrintUnformatted(body) : NULL;
  cJSON_Delete(body);
  if (!text) {
    static const char oom[] = "{\"type\":\"/problems/internal\",\"title\":\"internal error\","
                              "\"status\":500,\"code\":\"internal\"}";
    return api_reply_raw(r, 500, "application/problem+json", strdup(oom), strlen(oom));
  }
  return api_reply_raw(r, status, "application/json", text, strlen(text));
}

int api_reply_error(struct api_req *r, const struct leen_err *err)
{
  enum leen_code code = err->code == LEEN_E_OK ? LEEN_E_INTERNAL : err->code;
  int status = leen_code_http(code);
  cJSON *p = cJSON_CreateObject();
  char type[96];
  snprintf(type, sizeof type, "/problems/%s", leen_code_name(code));
  cJSON_AddStringToObject(p, "type", type);
  cJSON_AddStringToObject(p, "title", leen_code_message(code));
  cJSON_AddNumberToObject(p, "status", status);
  /* internal errors never leak database text to the client */
  const char *detail = code == LEEN_E_INTERNAL ? leen_code_message(code) : err->message;
  cJSON_AddStringToObject(p, "detail", detail[0] ? detail : leen_code_message(code));
  cJSON_AddStringToObject(p, "code", leen_code_name(code));
  if (err->field[0]) {
    cJSON *errors = cJSON_AddArrayToObject(p, "errors");
    cJSON *e = cJSON_CreateObject();
    cJSON_AddStringToObject(e, "pointer", err->field);
    cJSON_AddStringToObject(e, "detail", detail);
    cJSON_AddItemToArray(errors, e);
  }
  if (status == 503 || status == 429)
    api_add_header(r, MHD_HTTP_HEADER_RETRY_AFTER, "1");
  if (code == LEEN_E_INTERNAL)
    fprintf(stderr, "internal error on %s %s: %s (%s)\n", r->method, r->path, err->message,
            err->sqlstate);
  api_reply_json(r, status, p);
  r->content_type = "application/problem+json";
  return 0;
}

int api_reply_code(struct api_req *r, enum leen_code code, const char *detail)
{
  struct leen_err e;
  leen_error(&e, code, "%s", detail ? detail : leen_code_message(code));
  return api_reply_error(r, &e);
}

static void dispatch(struct api_req *r)
{
  int status = 404;
  char allow[128] = "";
  r->route = api_route_match(r->method, r->path, r, &status, allow, sizeof allow);
  if (!r->route) {
    if (status == 405)
      api_add_header(r, MHD_HTTP_HEADER_ALLOW, allow);
    api_reply_code(r, status == 405 ? LEEN_E_METHOD_NOT_ALLOWED : LEEN_E_NOT_FOUND,
                   status == 405 ? "method not allowed on this path" : "no such path");
    return;
  }
  if (r->body_too_large) {
    api_reply_code(r, LEEN_E_PAYLOAD_TOO_LARGE, "the request body is too large");
    return;
  }
  if (r->route->handler(r) < 0 && !r->status)
    api_reply_code(r, LEEN_E_INTERNAL, NULL);
}

static enum MHD_Result send_reply(struct api_req *r)
{
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

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
  struct api_server *srv = cls;
  struct api_req *r = *con_cls;
  if (!r) {
    /* First call: headers only. Answering now would lose keep-alive. */
    r = calloc(1, sizeof *r);
    if (!r)
      return MHD_NO;
    r->srv = srv;
    r->conn = conn;
    r->method = method;
    r->path = url;
    r->started_ns = now_ns();
    const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
    if (cl && strtoull(cl, NULL, 10) > srv->cfg.body_limit)
      r->body_too_large = 1;
    *con_cls = r;
    return MHD_YES;
  }
  if (*upload_data_size) {
    size_t n = *upload_data_size;
    *upload_data_size = 0;
    if (r->body_too_large || r->body_len + n > srv->cfg.body_limit) {
      /* Refuse without reading the rest; the connection is closed after. */
      r->body_too_large = 1;
      if (!r->status) {
        api_reply_code(r, LEEN_E_PAYLOAD_TOO_LARGE, "the request body is too large");
        return send_reply(r);
      }
      return MHD_YES;
    }
    if (r->body_len + n + 1 > r->body_cap) {
      size_t cap = r->body_cap ? r->body_cap : 1024;
      while (cap < r->body_len + n + 1)
        cap *= 2;
      char *b = realloc(r->body, cap);
      if (!b)
        return MHD_NO;
      r->body = b;
      r->body_cap = cap;
    }
    memcpy(r->body + r->body_len, upload_data, n);
    r->body_len += n;
    r->body[r->body_len] = '\0';
    return MHD_YES;
  }
  if (r->status) /* already answered (413 mid-upload) */
    return MHD_YES;
  dispatch(r);
  return send_reply(r);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
  struct api_server *srv = cls;
  struct api_req *r = *con_cls;
  if (!r)
    return;
  if (!srv->cfg.quiet)
    fprintf(stderr, "%s %s %d %.1fms\n", r->method, r->path, r->status,
            (double)(now_ns() - r->started_ns) / 1e6);
  for (int i = 0; i < r->nparams; i++)
    free(r->params[i]);
  for (int i = 0; i < r->nheaders; i++)
    free(r->headers[i].value);
  free(r->out);
  free(r->body);
  free(r);
  *con_cls = NULL;
}

static void log_mhd(void *cls, const char *fmt, va_list ap)
{
  vfprintf(stderr, fmt, ap);
}

struct api_server *api_server_start(const struct api_config *cfg, char *msg, size_t msg_size)
{
  pthread_once(&db_key_once, make_db_key);
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
  srv->daemon = MHD_start_daemon(
      MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG, cfg->port, NULL, NULL,
      on_request, srv, MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
      MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr, MHD_OPTION_THREAD_POOL_SIZE,
      (unsigned)cfg->threads, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)cfg->conn_timeout,
      MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(32 * 1024), MHD_OPTION_CONNECTION_LIMIT,
      (unsigned)1000, MHD_OPTION_EXTERNAL_LOGGER, log_mhd, NULL, MHD_OPTION_END);
  if (!srv->daemon) {
    snprintf(msg, msg_size, "could not listen on %s:%u", cfg->listen_host, cfg->port);
    free(srv);
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
  MHD_stop_daemon(srv->daemon);
  free(srv);
}
