/* GET /openapi.json: an OpenAPI 3.1 document built from the route table at
 * start, so it lists exactly what the server answers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server_int.h"

static cJSON *ref(const char *to)
{
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "$ref", to);
  return o;
}

static cJSON *problem_schema(void)
{
  cJSON *s = cJSON_CreateObject();
  cJSON_AddStringToObject(s, "type", "object");
  cJSON *req = cJSON_AddArrayToObject(s, "required");
  static const char *const required[] = {"type", "title", "status", "detail", "code"};
  for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
    cJSON_AddItemToArray(req, cJSON_CreateString(required[i]));
  cJSON *props = cJSON_AddObjectToObject(s, "properties");
  static const char *const strings[] = {"type", "title", "detail", "code"};
  for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++)
    cJSON_AddStringToObject(cJSON_AddObjectToObject(props, strings[i]), "type", "string");
  cJSON_AddStringToObject(cJSON_AddObjectToObject(props, "status"), "type", "integer");
  cJSON *code = cJSON_GetObjectItem(props, "code");
  cJSON *names = cJSON_AddArrayToObject(code, "enum");
  for (int c = 1; c < LEEN_E__COUNT; c++)
    cJSON_AddItemToArray(names, cJSON_CreateString(leen_code_name((enum leen_code)c)));
  cJSON *errors = cJSON_AddObjectToObject(props, "errors");
  cJSON_AddStringToObject(errors, "type", "array");
  cJSON *item = cJSON_AddObjectToObject(errors, "items");
  cJSON_AddStringToObject(item, "type", "object");
  cJSON *iprops = cJSON_AddObjectToObject(item, "properties");
  cJSON_AddStringToObject(cJSON_AddObjectToObject(iprops, "pointer"), "type", "string");
  cJSON_AddStringToObject(cJSON_AddObjectToObject(iprops, "parameter"), "type", "string");
  cJSON_AddStringToObject(cJSON_AddObjectToObject(iprops, "detail"), "type", "string");
  return s;
}

static cJSON *header_param(const char *name, const char *description, int required)
{
  cJSON *p = cJSON_CreateObject();
  cJSON_AddStringToObject(p, "name", name);
  cJSON_AddStringToObject(p, "in", "header");
  cJSON_AddBoolToObject(p, "required", required);
  cJSON_AddStringToObject(p, "description", description);
  cJSON_AddStringToObject(cJSON_AddObjectToObject(p, "schema"), "type", "string");
  return p;
}

static cJSON *query_param(const char *name, const char *description, const char *type)
{
  cJSON *p = cJSON_CreateObject();
  cJSON_AddStringToObject(p, "name", name);
  cJSON_AddStringToObject(p, "in", "query");
  cJSON_AddBoolToObject(p, "required", 0);
  cJSON_AddStringToObject(p, "description", description);
  cJSON_AddStringToObject(cJSON_AddObjectToObject(p, "schema"), "type", type);
  return p;
}

/* Only what some route uses: an unused component is an error to linters. */
static cJSON *components(unsigned flags)
{
  cJSON *c = cJSON_CreateObject();
  cJSON *bearer = cJSON_AddObjectToObject(cJSON_AddObjectToObject(c, "securitySchemes"), "bearer");
  cJSON_AddStringToObject(bearer, "type", "http");
  cJSON_AddStringToObject(bearer, "scheme", "bearer");
  cJSON_AddStringToObject(bearer, "description", "the token from POST /v1/auth/login");
  cJSON_AddItemToObject(cJSON_AddObjectToObject(c, "schemas"), "Problem", problem_schema());
  cJSON *problem = cJSON_AddObjectToObject(cJSON_AddObjectToObject(c, "responses"), "Problem");
  cJSON_AddStringToObject(problem, "description", "an error, as RFC 9457 problem details");
  cJSON_AddItemToObject(cJSON_AddObjectToObject(cJSON_AddObjectToObject(problem, "content"),
                                                "application/problem+json"),
                        "schema", ref("#/components/schemas/Problem"));
  if (!(flags & (API_F_IDEMPOTENT | API_F_IF_MATCH | API_F_PAGED)))
    return c;
  cJSON *params = cJSON_AddObjectToObject(c, "parameters");
  if (flags & API_F_IDEMPOTENT)
    cJSON_AddItemToObject(params, "IdempotencyKey",
                          header_param("Idempotency-Key",
                                       "the same key and body replays the first answer", 0));
  if (flags & API_F_IF_MATCH)
    cJSON_AddItemToObject(params, "IfMatch",
                          header_param("If-Match", "the ETag of the version you read", 1));
  if (flags & API_F_PAGED) {
    cJSON_AddItemToObject(params, "Limit",
                          query_param("limit", "items per page, 1 to 200 (50)", "integer"));
    cJSON_AddItemToObject(params, "Cursor",
                          query_param("cursor", "next_cursor of the previous page", "string"));
  }
  return c;
}

/* "get /v1/items/{code}/label.svg" -> "get_v1_items_code_label_svg" */
static void operation_id(const struct api_route *rt, char *out, size_t size)
{
  size_t n = 0;
  for (const char *p = rt->method; *p && n + 1 < size; p++)
    out[n++] = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
  for (const char *p = rt->pattern; *p && n + 1 < size; p++) {
    int alnum = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9');
    if (alnum)
      out[n++] = *p;
    else if (n && out[n - 1] != '_')
      out[n++] = '_';
  }
  while (n && out[n - 1] == '_')
    n--;
  out[n] = '\0';
}

static cJSON *operation(const struct api_route *rt)
{
  cJSON *op = cJSON_CreateObject();
  char id[160];
  operation_id(rt, id, sizeof id);
  cJSON_AddStringToObject(op, "operationId", id);
  cJSON_AddStringToObject(op, "summary", rt->summary ? rt->summary : rt->pattern);
  cJSON_AddStringToObject(op, "x-leen-role", api_role_name(rt->role));
  cJSON *security = cJSON_AddArrayToObject(op, "security");
  if (rt->role != API_PUBLIC) {
    cJSON *need = cJSON_CreateObject();
    cJSON_AddArrayToObject(need, "bearer");
    cJSON_AddItemToArray(security, need);
  }
  cJSON *params = cJSON_CreateArray();
  for (const char *p = strchr(rt->pattern, '{'); p; p = strchr(p + 1, '{')) {
    const char *end = strchr(p, '}');
    cJSON *param = cJSON_CreateObject();
    char name[64];
    snprintf(name, sizeof name, "%.*s", (int)(end - p - 1), p + 1);
    cJSON_AddStringToObject(param, "name", name);
    cJSON_AddStringToObject(param, "in", "path");
    cJSON_AddBoolToObject(param, "required", 1);
    cJSON_AddStringToObject(cJSON_AddObjectToObject(param, "schema"), "type", "string");
    cJSON_AddItemToArray(params, param);
  }
  if (rt->flags & API_F_IDEMPOTENT)
    cJSON_AddItemToArray(params, ref("#/components/parameters/IdempotencyKey"));
  if (rt->flags & API_F_IF_MATCH)
    cJSON_AddItemToArray(params, ref("#/components/parameters/IfMatch"));
  if (rt->flags & API_F_PAGED) {
    cJSON_AddItemToArray(params, ref("#/components/parameters/Limit"));
    cJSON_AddItemToArray(params, ref("#/components/parameters/Cursor"));
  }
  if (cJSON_GetArraySize(params))
    cJSON_AddItemToObject(op, "parameters", params);
  else
    cJSON_Delete(params);
  if (rt->flags & API_F_JSON) {
    cJSON *body = cJSON_AddObjectToObject(op, "requestBody");
    cJSON_AddBoolToObject(body, "required", 1);
    cJSON *schema = cJSON_AddObjectToObject(
        cJSON_AddObjectToObject(cJSON_AddObjectToObject(body, "content"), "application/json"),
        "schema");
    cJSON_AddStringToObject(schema, "type", "object");
  }
  cJSON *responses = cJSON_AddObjectToObject(op, "responses");
  cJSON_AddStringToObject(cJSON_AddObjectToObject(responses, "2XX"), "description", "success");
  cJSON_AddItemToObject(responses, "4XX", ref("#/components/responses/Problem"));
  cJSON_AddItemToObject(responses, "5XX", ref("#/components/responses/Problem"));
  return op;
}

int api_openapi_build(struct api_server *srv)
{
  cJSON *doc = cJSON_CreateObject();
  cJSON_AddStringToObject(doc, "openapi", "3.1.0");
  cJSON *info = cJSON_AddObjectToObject(doc, "info");
  cJSON_AddStringToObject(info, "title", "leen API");
  cJSON_AddStringToObject(info, "version", srv->cfg.version ? srv->cfg.version : "0");
  cJSON_AddStringToObject(info, "description",
                          "The back office of municipal lending libraries. Errors are "
                          "application/problem+json with a stable code.");
  cJSON *servers = cJSON_AddArrayToObject(doc, "servers");
  cJSON *server = cJSON_CreateObject();
  cJSON_AddStringToObject(server, "url", srv->cfg.public_url ? srv->cfg.public_url : "/");
  cJSON_AddItemToArray(servers, server);
  cJSON *paths = cJSON_AddObjectToObject(doc, "paths");
  unsigned flags = 0;
  for (size_t i = 0; i < api_routes_count; i++) {
    const struct api_route *rt = &api_routes[i];
    flags |= rt->flags;
    cJSON *item = cJSON_GetObjectItemCaseSensitive(paths, rt->pattern);
    if (!item)
      item = cJSON_AddObjectToObject(paths, rt->pattern);
    char method[16];
    size_t n = 0;
    for (const char *p = rt->method; *p && n + 1 < sizeof method; p++)
      method[n++] = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
    method[n] = '\0';
    cJSON_AddItemToObject(item, method, operation(rt));
  }
  cJSON_AddItemToObject(doc, "components", components(flags));
  srv->openapi = cJSON_PrintUnformatted(doc);
  cJSON_Delete(doc);
  if (!srv->openapi)
    return -1;
  srv->openapi_len = strlen(srv->openapi);
  return 0;
}

int api_openapi_get(struct api_req *r)
{
  char *copy = malloc(r->srv->openapi_len + 1);
  if (!copy)
    return -1;
  memcpy(copy, r->srv->openapi, r->srv->openapi_len + 1);
  return api_reply_raw(r, 200, "application/json", copy, r->srv->openapi_len);
}
