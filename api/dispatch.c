/* The dispatcher: what every route needs, done once from the route table,
 * so handlers never repeat it. */
#include <microhttpd.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "server_int.h"

/* application/json, optionally with parameters ("; charset=utf-8"). */
static int is_json(const char *ct)
{
  static const char want[] = "application/json";
  if (!ct)
    return 0;
  while (*ct == ' ')
    ct++;
  if (strncasecmp(ct, want, sizeof want - 1) != 0)
    return 0;
  ct += sizeof want - 1;
  while (*ct == ' ')
    ct++;
  return *ct == '\0' || *ct == ';';
}

/* Replies with code and detail; returns -1 for the caller to pass on. */
static int refuse(struct api_req *r, enum leen_code code, const char *detail)
{
  api_reply_code(r, code, detail);
  return -1;
}

static int parse_body(struct api_req *r)
{
  /* 415 would be the precise status; the error table has no code for it */
  if (!is_json(api_header(r, MHD_HTTP_HEADER_CONTENT_TYPE)))
    return refuse(r, LEEN_E_INVALID_JSON,
                  "send the body as JSON with Content-Type: application/json");
  char msg[160], ptr[128];
  r->json = api_json_parse(r->body ? r->body : "", r->body_len, msg, sizeof msg, ptr, sizeof ptr);
  if (!r->json && ptr[0]) {
    api_in_error(r, LEEN_E_INVALID_JSON, ptr, "occurs twice in one object");
    api_reply_fields(r);
    return -1;
  }
  if (!r->json)
    return refuse(r, LEEN_E_INVALID_JSON, msg);
  if (!cJSON_IsObject(r->json))
    return refuse(r, LEEN_E_INVALID_JSON, "the body must be a JSON object");
  return 0;
}

/* Everything before the handler; -1 when a reply is made already. */
static int prepare(struct api_req *r)
{
  const struct api_route *rt = r->route;
  if (!rt || r->bad_param) {
    if (rt || r->match_status != 405)
      return refuse(r, LEEN_E_NOT_FOUND, "no such path");
    api_add_header(r, MHD_HTTP_HEADER_ALLOW, r->allow);
    return refuse(r, LEEN_E_METHOD_NOT_ALLOWED, "method not allowed on this path");
  }
  if (r->body_too_large)
    return refuse(r, LEEN_E_PAYLOAD_TOO_LARGE, "the request body is too large");
  if (rt->role != API_PUBLIC) {
    if (api_authenticate(r) < 0)
      return -1;
    if (!api_role_allows(rt->role, r->actor.role))
      return refuse(r, LEEN_E_FORBIDDEN, "your role may not do this");
  }
  if ((rt->flags & API_F_JSON) && parse_body(r) < 0)
    return -1;
  if ((rt->flags & API_F_IDEMPOTENT) && !api_idempotency_begin(r))
    return -1;
  return 0;
}

void api_dispatch(struct api_req *r)
{
  if (prepare(r) < 0)
    return;
  r->route->handler(r);
  if (!r->status) /* a handler that failed without a word */
    api_reply_code(r, LEEN_E_INTERNAL, NULL);
  if (r->idem_claimed)
    api_idempotency_end(r);
}
