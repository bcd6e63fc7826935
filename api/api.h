/* Internal to leen-api: the request, the route table and the helpers a
 * handler uses. The dispatcher does the common work once, from the route
 * table: authentication (r->actor), the role check, the body cap, the
 * content type, strict JSON parsing (r->json) and idempotency. Handlers are
 * thin: read fields, call core, reply. A handler looks like this:
 *
 *   int api_loans_create(struct api_req *r)       (POST, API_F_JSON)
 *   {
 *     struct api_in in;
 *     const char *item = NULL;
 *     int64_t household = 0;
 *     api_in_init(&in, r, r->json, "");
 *     api_in_string(&in, "item", API_REQUIRED, 64, &item);
 *     api_in_int(&in, "household", API_REQUIRED, 1, INT32_MAX, &household);
 *     if (api_in_end(&in) < 0)
 *       return api_reply_fields(r);              (400/422 with errors[])
 *     struct leen_err err;
 *     struct leen_db *db = api_db(r, &err);
 *     struct leen_loan loan;
 *     if (!db || leen_loan_checkout(db, &r->actor, item, household, &loan, &err) < 0)
 *       return api_reply_error(r, &err);         (the error table's status)
 *     return api_reply_json(r, 201, loan_json(&loan));
 *   }
 *
 * Every reply helper returns 0; a handler returning without a reply gets
 * a 500. Path captures are r->params[i], already percent-decoded and valid
 * UTF-8 without control characters. */
#ifndef LEEN_API_H
#define LEEN_API_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "leen/actor.h"
#include "leen/db.h"
#include "leen/error.h"

struct MHD_Connection;
struct api_server;

enum api_role {
  API_PUBLIC = 0,      /* no login */
  API_ANY,             /* any logged-in user, social workers included: only for
                          routes about the caller (/v1/me, logout). DESIGN.md's
                          "any" on library data means API_VOLUNTEER: a social
                          worker reaches reductions and nothing else */
  API_VOLUNTEER,       /* volunteer, coordinator, admin */
  API_COORDINATOR,     /* coordinator, admin */
  API_SOCIAL_WORKER,   /* social_worker, admin */
  API_ADMIN,
};

/* Route flags: what the dispatcher does before the handler runs. */
enum {
  API_F_JSON = 1 << 0,        /* body is a JSON object: Content-Type checked, r->json set */
  API_F_IDEMPOTENT = 1 << 1,  /* honours Idempotency-Key: replays the first response */
  API_F_IF_MATCH = 1 << 2,    /* handler calls api_if_match (documents 412/428) */
  API_F_PAGED = 1 << 3,       /* handler calls api_page_parse (documents limit/cursor) */
};

struct api_header {
  const char *name;
  char *value;
};

#define API_MAX_PARAMS 4
#define API_MAX_HEADERS 8
#define API_MAX_ERRORS 8

/* One field error of a problem: pointer is a JSON pointer ("/slots"), or
 * "?name" for a query parameter. */
struct api_field_error {
  char pointer[64];
  char detail[160];
};

struct api_route;

struct api_req {
  struct api_server *srv;
  struct MHD_Connection *conn;
  const char *method;
  const char *path;             /* as sent, not percent-decoded */
  char *raw_path;               /* owned copy behind path */
  const struct api_route *route;
  int match_status;             /* route NULL: 404 or 405 */
  char allow[64];               /* 405: the methods the path takes */
  char *params[API_MAX_PARAMS]; /* path captures, percent-decoded, in pattern order */
  int nparams;
  int bad_param;                /* a capture decoded to NUL, bad UTF-8 or a control */

  char *body;                   /* request body, NUL-terminated */
  size_t body_len, body_cap, body_limit;
  size_t discarded;             /* bytes of an oversized body dropped */
  int body_too_large;
  cJSON *json;                  /* API_F_JSON routes: the parsed object (request owns it) */

  /* the caller, for every route but API_PUBLIC ones */
  struct leen_actor actor;
  char token[48];               /* the bearer token as sent */

  /* field errors collected by the api_in_* readers */
  struct api_field_error errors[API_MAX_ERRORS];
  int nerrors;                  /* may exceed API_MAX_ERRORS: only the first are kept */
  enum leen_code error_code;    /* code of the first error */

  /* idempotency (idempotency.c) */
  const char *idem_key;
  int idem_claimed;

  /* response */
  int status;
  char *out;                    /* owned */
  size_t out_len;
  const char *content_type;
  struct api_header headers[API_MAX_HEADERS];
  int nheaders;
  int64_t started_ns;
  int db_held;                  /* the thread's connection is counted as in use */
  int finished;                 /* counted in the metrics */
  int timed_out;
};

typedef int api_handler(struct api_req *r);

struct api_route {
  const char *method;
  const char *pattern;          /* "/v1/items/{code}" */
  enum api_role role;
  unsigned flags;               /* API_F_* */
  size_t body_limit;            /* bytes; API_BODY_DEFAULT: the server's (64 KiB) */
  api_handler *handler;
  const char *summary;          /* one line for /openapi.json */
};
#define API_BODY_DEFAULT 0

/* The table and its size (routes.c). */
extern const struct api_route api_routes[];
extern const size_t api_routes_count;

/* Finds the route for method and path. Returns the route and fills the
 * captures, or NULL with *status 404 (no such path) or 405 (path known,
 * method not; allow then lists the methods, comma separated). */
const struct api_route *api_route_match(const char *method, const char *path, struct api_req *r,
                                        int *status, char *allow, size_t allow_size);

/* 1 when a user of this role may call a route needing `need`. */
int api_role_allows(enum api_role need, enum leen_role role);
/* "public", "any", "volunteer", ...: the table's role names. */
const char *api_role_name(enum api_role role);

/* The worker thread's database connection, opened on first use, reset
 * when it broke, closed when the thread ends. NULL with err filled
 * (LEEN_E_DB_UNAVAILABLE) when the database cannot be reached. */
struct leen_db *api_db(struct api_req *r, struct leen_err *err);

/* Request data. Values live as long as the request. api_header: NULL when
 * absent. api_query: NULL when absent, and also when the value is not
 * valid UTF-8 or holds control characters (an error is then recorded, see
 * api_in_error). */
const char *api_header(struct api_req *r, const char *name);
const char *api_query(struct api_req *r, const char *name);

/* Replies. Each returns 0 so a handler can `return api_reply_json(...)`. */
int api_reply_json(struct api_req *r, int status, cJSON *body);  /* takes ownership */
int api_reply_raw(struct api_req *r, int status, const char *content_type, char *body,
                  size_t len);                                     /* takes ownership */
/* 204 without a body. */
int api_reply_empty(struct api_req *r);
/* problem+json from err (its field, when set, becomes errors[0]). */
int api_reply_error(struct api_req *r, const struct leen_err *err);
int api_reply_code(struct api_req *r, enum leen_code code, const char *detail);
/* problem+json from the field errors collected in r (api_in_*). */
int api_reply_fields(struct api_req *r);
/* Adds a response header; value is copied. */
void api_add_header(struct api_req *r, const char *name, const char *value);

/* ---- reading a JSON object (fields.c) ----
 * Each reader looks one member up, checks it, records an error in r on a
 * bad value, and returns 1 (read), 0 (absent or null, allowed when
 * optional) or -1 (error recorded). Call them all, then api_in_end, which
 * reports members nobody read as unknown_field and returns -1 when the
 * request has any field error: then `return api_reply_fields(r);`. */
#define API_OPTIONAL 0
#define API_REQUIRED 1

struct api_in {
  struct api_req *r;
  const cJSON *obj;
  char ptr[64];        /* JSON pointer of obj ("" for the body itself) */
  uint64_t seen;       /* bit i: member i was read */
};

/* Starts reading obj, found at JSON pointer ptr ("" for the body). */
void api_in_init(struct api_in *in, struct api_req *r, const cJSON *obj, const char *ptr);
/* A string of at most max_chars characters (never trimmed; a required
 * string is not empty). *out points into the parsed body. */
int api_in_string(struct api_in *in, const char *name, int required, size_t max_chars,
                  const char **out);
/* A JSON number that is finite, integral, within +-(2^53-1) and in
 * [min, max]; refuses strings such as "12". Code invalid_field. */
int api_in_int(struct api_in *in, const char *name, int required, int64_t min, int64_t max,
               int64_t *out);
/* Money in cents: as api_in_int with code invalid_amount; min == max == 0
 * means 0 .. 100 000 000. */
int api_in_money(struct api_in *in, const char *name, int required, int64_t min, int64_t max,
                 int64_t *out);
/* "YYYY-MM-DD" that exists (code invalid_date). */
int api_in_date(struct api_in *in, const char *name, int required, char out[11]);
/* "YYYY-MM" (code invalid_date). */
int api_in_month(struct api_in *in, const char *name, int required, char out[8]);
/* One of values (NULL-terminated); *out gets its index. */
int api_in_enum(struct api_in *in, const char *name, int required, const char *const *values,
                int *out);
int api_in_bool(struct api_in *in, const char *name, int required, int *out);
/* An array of at most max_items; *out is the array node (read it with
 * cJSON_ArrayForEach). */
int api_in_array(struct api_in *in, const char *name, int required, int max_items,
                 const cJSON **out);
/* An array of at most max_items strings of at most max_chars each, each
 * not empty; out (max_items entries) gets pointers into the body. */
int api_in_string_array(struct api_in *in, const char *name, int required, int max_items,
                        size_t max_chars, const char **out, size_t *n);
/* A nested object; read it with api_in_init(&sub, r, *out, pointer) where
 * pointer comes from api_pointer_append(buf, size, in->ptr, name). */
int api_in_object(struct api_in *in, const char *name, int required, const cJSON **out);
/* 1 when the member is present with the value null (PATCH: clear it). */
int api_in_is_null(struct api_in *in, const char *name);
/* Reports unread members; returns -1 when r has any field error, else 0. */
int api_in_end(struct api_in *in);
/* Records a field error (pointer: JSON pointer or "?param"). */
void api_in_error(struct api_req *r, enum leen_code code, const char *pointer, const char *fmt,
                  ...) __attribute__((format(printf, 4, 5)));
/* Writes base + "/" + name (name escaped as RFC 6901 says) to buf,
 * truncated to size; returns buf. */
const char *api_pointer_append(char *buf, size_t size, const char *base, const char *name);

/* ---- query parameters (query.c) ----
 * Same returns as the api_in_* readers; errors name {"parameter": name}.
 * After reading: `if (r->nerrors) return api_reply_fields(r);`. */
int api_query_int(struct api_req *r, const char *name, int required, int64_t min, int64_t max,
                  int64_t *out);
int api_query_date(struct api_req *r, const char *name, int required, char out[11]);
int api_query_month(struct api_req *r, const char *name, int required, char out[8]);
/* true/false or 1/0 */
int api_query_bool(struct api_req *r, const char *name, int required, int *out);
int api_query_enum(struct api_req *r, const char *name, int required, const char *const *values,
                   int *out);
/* The same checks on a value from elsewhere (a path capture such as
 * r->params[0]); value NULL means absent. */
int api_param_int(struct api_req *r, const char *name, const char *value, int required,
                  int64_t min, int64_t max, int64_t *out);
int api_param_date(struct api_req *r, const char *name, const char *value, int required,
                   char out[11]);
int api_param_month(struct api_req *r, const char *name, const char *value, int required,
                    char out[8]);
int api_param_bool(struct api_req *r, const char *name, const char *value, int required,
                   int *out);
int api_param_enum(struct api_req *r, const char *name, const char *value, int required,
                   const char *const *values, int *out);

/* Strict checks shared with query parameters: 1 valid, 0 not. */
int api_valid_date(const char *s);
int api_valid_month(const char *s);

/* ---- strict JSON (json.c) ---- */
#define API_JSON_MAX_DEPTH 32
/* Set in the type of a number node whose literal is not exactly an integer
 * (12.5, 1e-400, 12.0000000000000001): the double alone cannot tell. */
#define API_JSON_INEXACT (1 << 12)
/* Parses text[0..len) strictly (RFC 8259 grammar, valid UTF-8 without
 * overlongs or surrogates, no \u0000, depth <= API_JSON_MAX_DEPTH, no
 * duplicate keys). Returns the tree, or NULL with a sentence in msg and,
 * for a duplicate key, its JSON pointer in ptr. */
cJSON *api_json_parse(const char *text, size_t len, char *msg, size_t msg_size, char *ptr,
                      size_t ptr_size);
/* 1 when s[0..len) is valid UTF-8 (no overlongs, surrogates, or code points
 * above U+10FFFF) without control characters when no_controls is set. */
int api_utf8_valid(const char *s, size_t len, int no_controls);

/* ---- conditional requests (etag.c) ---- */
/* Sets ETag: "v<version>". */
void api_etag_set(struct api_req *r, int64_t version);
/* Parses an If-Match value: 1 with *version for "v<version>" (quoted),
 * 0 for "*", -1 for anything else. */
int api_etag_parse(const char *value, int64_t *version);
/* Reads If-Match for a PATCH/DELETE: returns 0 with *version (-1 for "*":
 * any version), or replies 428 precondition_required (missing) or 412
 * precondition_failed (not one of ours) and returns -1. Pass *version to
 * core, which answers LEEN_E_PRECONDITION_FAILED when it moved on. */
int api_if_match(struct api_req *r, int64_t *version);

/* ---- cursor pagination (page.c) ---- */
#define API_PAGE_DEFAULT 50
#define API_PAGE_MAX 200
#define API_CURSOR_KEY_MAX 128
struct api_page {
  int limit;                        /* 1 .. API_PAGE_MAX */
  char after[API_CURSOR_KEY_MAX + 1]; /* the decoded cursor: the last key seen, or "" */
};
/* Reads ?limit= and ?cursor=. Returns 0, or records the errors and
 * replies 422 invalid_field and returns -1. */
int api_page_parse(struct api_req *r, struct api_page *p);
/* Replies 200 {"items": items, "next_cursor": cursor of next_key or null}
 * (takes ownership of items; next_key NULL when this is the last page). */
int api_reply_page(struct api_req *r, cJSON *items, const char *next_key);
/* The cursor of key (printable ASCII, at most API_CURSOR_KEY_MAX bytes) in
 * out (at least 2 * API_CURSOR_KEY_MAX bytes); -1 when key is unfit. */
int api_cursor_encode(const char *key, char *out, size_t size);
/* Decodes a cursor; -1 when it is not one of ours. */
int api_cursor_decode(const char *cursor, char *key, size_t size);

/* {id, username, role, org, libraries: [slugs]} of a user (users.c). */
struct leen_auth_user;
cJSON *api_user_json(const struct leen_auth_user *u);

/* ---- handlers (one file per resource) ---- */
int api_health_live(struct api_req *r);
int api_health_ready(struct api_req *r);
int api_metrics_get(struct api_req *r);
int api_openapi_get(struct api_req *r);
int api_auth_login(struct api_req *r);
int api_auth_logout(struct api_req *r);
int api_me_get(struct api_req *r);
int api_users_create(struct api_req *r);
int api_users_list(struct api_req *r);

#endif
