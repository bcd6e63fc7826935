/* Replies, request data and the worker's database connection. */
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "server_int.h"

static pthread_key_t db_key;
static pthread_once_t db_key_once = PTHREAD_ONCE_INIT;

/* What a worker thread keeps: its connection and the server counting it. */
struct api_thread {
  struct api_server *srv;
  struct leen_db *db;
};

static void close_thread_db(void *p)
{
  struct api_thread *t = p;
  if (t->db)
    atomic_fetch_sub(&t->srv->metrics.db_open, 1);
  leen_db_close(t->db);
  free(t);
}

static void make_db_key(void) { pthread_key_create(&db_key, close_thread_db); }

void api_db_key_init(void) { pthread_once(&db_key_once, make_db_key); }

struct leen_db *api_db(struct api_req *r, struct leen_err *err)
{
  struct api_thread *t = pthread_getspecific(db_key);
  if (!t) {
    t = calloc(1, sizeof *t);
    if (!t) {
      leen_error(err, LEEN_E_INTERNAL, "out of memory");
      return NULL;
    }
    t->srv = r->srv;
    pthread_setspecific(db_key, t);
  }
  if (t->db && leen_db_broken(t->db) && leen_db_ping(t->db, err) < 0)
    return NULL;  /* still down: ping tried a reset */
  if (!t->db) {
    if (leen_db_open(&t->db, r->srv->cfg.database_url, err) < 0)
      return NULL;
    atomic_fetch_add(&r->srv->metrics.db_open, 1);
  }
  if (!r->db_held) {
    r->db_held = 1;
    atomic_fetch_add(&r->srv->metrics.db_in_use, 1);
  }
  return t->db;
}

const char *api_header(struct api_req *r, const char *name)
{
  return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *api_query(struct api_req *r, const char *name)
{
  const char *v = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
  if (!v)
    return NULL;
  if (!api_utf8_valid(v, strlen(v), 1)) {
    char ptr[80];
    snprintf(ptr, sizeof ptr, "?%s", name);
    api_in_error(r, LEEN_E_INVALID_FIELD, ptr, "must be UTF-8 text without control characters");
    return NULL;
  }
  return v;
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

static int has_header(const struct api_req *r, const char *name)
{
  for (int i = 0; i < r->nheaders; i++)
    if (strcasecmp(r->headers[i].name, name) == 0)
      return 1;
  return 0;
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

int api_reply_empty(struct api_req *r) { return api_reply_raw(r, 204, NULL, NULL, 0); }

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

/* The problem object every error reply shares (RFC 9457). */
static cJSON *problem(enum leen_code code, const char *detail)
{
  cJSON *p = cJSON_CreateObject();
  char type[96];
  snprintf(type, sizeof type, "/problems/%s", leen_code_name(code));
  cJSON_AddStringToObject(p, "type", type);
  cJSON_AddStringToObject(p, "title", leen_code_message(code));
  cJSON_AddNumberToObject(p, "status", leen_code_http(code));
  cJSON_AddStringToObject(p, "detail", detail && detail[0] ? detail : leen_code_message(code));
  cJSON_AddStringToObject(p, "code", leen_code_name(code));
  return p;
}

static void add_error(cJSON *errors, const char *pointer, const char *detail)
{
  cJSON *e = cJSON_CreateObject();
  if (pointer[0] == '?')
    cJSON_AddStringToObject(e, "parameter", pointer + 1);
  else
    cJSON_AddStringToObject(e, "pointer", pointer);
  cJSON_AddStringToObject(e, "detail", detail);
  cJSON_AddItemToArray(errors, e);
}

static int reply_problem(struct api_req *r, enum leen_code code, cJSON *p)
{
  int status = leen_code_http(code);
  if ((status == 503 || status == 429) && !has_header(r, MHD_HTTP_HEADER_RETRY_AFTER))
    api_add_header(r, MHD_HTTP_HEADER_RETRY_AFTER, "1");
  if (status == 401 && !has_header(r, MHD_HTTP_HEADER_WWW_AUTHENTICATE))
    api_add_header(r, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer");
  api_reply_json(r, status, p);
  if (r->status == status)
    r->content_type = "application/problem+json";
  return 0;
}

int api_reply_error(struct api_req *r, const struct leen_err *err)
{
  enum leen_code code = err->code == LEEN_E_OK ? LEEN_E_INTERNAL : err->code;
  /* internal errors never leak database text to the client */
  const char *detail = code == LEEN_E_INTERNAL ? leen_code_message(code) : err->message;
  cJSON *p = problem(code, detail);
  if (err->field[0])
    add_error(cJSON_AddArrayToObject(p, "errors"), err->field, detail);
  if (code == LEEN_E_INTERNAL)
    fprintf(stderr, "internal error on %s %s: %s (%s)\n", r->method, r->path, err->message,
            err->sqlstate);
  return reply_problem(r, code, p);
}

int api_reply_code(struct api_req *r, enum leen_code code, const char *detail)
{
  struct leen_err e;
  leen_error(&e, code, "%s", detail ? detail : leen_code_message(code));
  return api_reply_error(r, &e);
}

int api_reply_fields(struct api_req *r)
{
  enum leen_code code = r->nerrors ? r->error_code : LEEN_E_INVALID_FIELD;
  char detail[240];
  if (r->nerrors == 1) {
    const char *name = r->errors[0].pointer;
    if (*name == '?' || *name == '/')
      name++;
    snprintf(detail, sizeof detail, "%s%s%s", name, *name ? " " : "", r->errors[0].detail);
  } else {
    snprintf(detail, sizeof detail, "%d fields have problems", r->nerrors);
  }
  cJSON *p = problem(code, detail);
  cJSON *errors = cJSON_AddArrayToObject(p, "errors");
  int n = r->nerrors < API_MAX_ERRORS ? r->nerrors : API_MAX_ERRORS;
  for (int i = 0; i < n; i++)
    add_error(errors, r->errors[i].pointer, r->errors[i].detail);
  return reply_problem(r, code, p);
}
