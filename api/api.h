/* Internal to leen-api: the request, the route table and reply helpers.
 * Handlers are thin: parse, call core, reply. */
#ifndef LEEN_API_H
#define LEEN_API_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "leen/db.h"
#include "leen/error.h"

struct MHD_Connection;
struct api_server;

enum api_role {
  API_PUBLIC = 0,      /* no login */
  API_ANY,             /* any logged-in user */
  API_VOLUNTEER,       /* volunteer, coordinator, admin */
  API_COORDINATOR,     /* coordinator, admin */
  API_SOCIAL_WORKER,   /* social_worker, admin */
  API_ADMIN,
};

struct api_header {
  const char *name;
  char *value;
};

#define API_MAX_PARAMS 4
#define API_MAX_HEADERS 8

struct api_req {
  struct api_server *srv;
  struct MHD_Connection *conn;
  const char *method;
  const char *path;
  const struct api_route *route;
  char *params[API_MAX_PARAMS]; /* path captures, in pattern order */
  int nparams;

  char *body;                   /* request body, NUL-terminated */
  size_t body_len, body_cap;
  int body_too_large;

  /* response */
  int status;
  char *out;                    /* owned */
  size_t out_len;
  const char *content_type;
  struct api_header headers[API_MAX_HEADERS];
  int nheaders;
  int64_t started_ns;
};

typedef int api_handler(struct api_req *r);

struct api_route {
  const char *method;
  const char *pattern;          /* "/v1/items/{code}" */
  enum api_role role;
  api_handler *handler;
};

/* The table and its size (routes.c). */
extern const struct api_route api_routes[];
extern const size_t api_routes_count;

/* Finds the route for method and path. Returns the route and fills the
 * captures, or NULL with *status 404 (no such path) or 405 (path known,
 * method not; allow then lists the methods, comma separated). */
const struct api_route *api_route_match(const char *method, const char *path, struct api_req *r,
                                        int *status, char *allow, size_t allow_size);

/* The worker thread's database connection, opened on first use and
 * closed when the thread ends. NULL with err filled when unavailable. */
struct leen_db *api_db(struct api_req *r, struct leen_err *err);

/* Replies. Each returns 0 so a handler can `return api_reply_json(...)`. */
int api_reply_json(struct api_req *r, int status, cJSON *body);  /* takes ownership */
int api_reply_raw(struct api_req *r, int status, const char *content_type, char *body,
                  size_t len);                                     /* takes ownership */
int api_reply_error(struct api_req *r, const struct leen_err *err);
int api_reply_code(struct api_req *r, enum leen_code code, const char *detail);
/* Adds a response header; value is copied. */
void api_add_header(struct api_req *r, const char *name, const char *value);

/* Handlers (one file per resource). */
int api_health_live(struct api_req *r);
int api_health_ready(struct api_req *r);

#endif
