/* The bad-input catalogue over HTTP: each malformed request gets the 4xx
 * problem it deserves, never a 5xx, and the server keeps answering. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "at.h"

static struct at_env env;
static char *expired;    /* a token whose expiry lies in the past */

static void setup(void)
{
  at_setup(&env, NULL, 1);
  expired = at_login(&env, "coord", AT_PASSWORD);
  PGconn *c = ts_connect(env.ci);
  const char *p[] = {expired};
  PQclear(ts_sql(c, "UPDATE api_tokens SET expires_at = now() - interval '1 minute'"
                    " WHERE token_hash = sha256($1::bytea)", 1, p));
  PQfinish(c);
}
static void teardown(void)
{
  free(expired);
  at_teardown(&env);
}

TestSuite(badinput, .init = setup, .fini = teardown, .timeout = 180);

enum who { NOBODY, ADMIN, VOLUNTEER, EXPIRED };

struct bad {
  const char *what;
  const char *method, *path;
  enum who who;
  const char *body;          /* NULL: none */
  const char *header;        /* one extra header, or NULL */
  long status;
  const char *code;          /* NULL: any (the answer is not ours, e.g. 431) */
};

#define LOGIN "/v1/auth/login"
#define USERS "/v1/users"
#define U(x) "{\"username\":" x ",\"password\":\"long-enough\",\"role\":\"volunteer\"}"

static const struct bad cases[] = {
  /* malformed JSON */
  {"truncated", "POST", LOGIN, NOBODY, "{\"username\":", NULL, 400, "invalid_json"},
  {"single quotes", "POST", LOGIN, NOBODY, "{'username':'a'}", NULL, 400, "invalid_json"},
  {"trailing comma", "POST", LOGIN, NOBODY, "{\"username\":\"a\",}", NULL, 400, "invalid_json"},
  {"empty body", "POST", LOGIN, NOBODY, "", NULL, 400, "invalid_json"},
  {"no body", "POST", LOGIN, NOBODY, NULL, "Content-Type: application/json", 400,
   "invalid_json"},
  {"array body", "POST", LOGIN, NOBODY, "[]", NULL, 400, "invalid_json"},
  {"string body", "POST", LOGIN, NOBODY, "\"admin\"", NULL, 400, "invalid_json"},
  {"number body", "POST", LOGIN, NOBODY, "42", NULL, 400, "invalid_json"},
  {"two documents", "POST", LOGIN, NOBODY, "{} {}", NULL, 400, "invalid_json"},
  {"trailing garbage", "POST", LOGIN, NOBODY, "{}x", NULL, 400, "invalid_json"},
  {"byte order mark", "POST", LOGIN, NOBODY, "\xef\xbb\xbf{}", NULL, 400, "invalid_json"},
  {"leading zero", "POST", USERS, ADMIN, "{\"n\":01}", NULL, 400, "invalid_json"},
  {"plus sign", "POST", USERS, ADMIN, "{\"n\":+1}", NULL, 400, "invalid_json"},
  {"bare point", "POST", USERS, ADMIN, "{\"n\":1.}", NULL, 400, "invalid_json"},
  {"NaN", "POST", USERS, ADMIN, "{\"n\":NaN}", NULL, 400, "invalid_json"},
  {"Infinity", "POST", USERS, ADMIN, "{\"n\":Infinity}", NULL, 400, "invalid_json"},
  {"hex number", "POST", USERS, ADMIN, "{\"n\":0x10}", NULL, 400, "invalid_json"},
  {"comment", "POST", USERS, ADMIN, "{/* hi */}", NULL, 400, "invalid_json"},
  {"unquoted key", "POST", USERS, ADMIN, "{username:\"a\"}", NULL, 400, "invalid_json"},
  /* text */
  {"invalid UTF-8", "POST", LOGIN, NOBODY, "{\"username\":\"\xc3\x28\",\"password\":\"x\"}",
   NULL, 400, "invalid_json"},
  {"overlong slash", "POST", LOGIN, NOBODY, "{\"username\":\"\xc0\xaf\",\"password\":\"x\"}",
   NULL, 400, "invalid_json"},
  {"overlong 3 bytes", "POST", LOGIN, NOBODY,
   "{\"username\":\"\xe0\x80\xaf\",\"password\":\"x\"}", NULL, 400, "invalid_json"},
  {"UTF-8 surrogate", "POST", LOGIN, NOBODY,
   "{\"username\":\"\xed\xa0\x80\",\"password\":\"x\"}", NULL, 400, "invalid_json"},
  {"above U+10FFFF", "POST", LOGIN, NOBODY,
   "{\"username\":\"\xf4\x90\x80\x80\",\"password\":\"x\"}", NULL, 400, "invalid_json"},
  {"stray continuation", "POST", LOGIN, NOBODY, "{\"username\":\"\x80\",\"password\":\"x\"}",
   NULL, 400, "invalid_json"},
  {"latin-1", "POST", LOGIN, NOBODY, "{\"username\":\"caf\xe9\",\"password\":\"x\"}", NULL, 400,
   "invalid_json"},
  {"\\u0000", "POST", LOGIN, NOBODY, "{\"username\":\"a\\u0000b\",\"password\":\"x\"}", NULL,
   400, "invalid_json"},
  {"lone high surrogate", "POST", LOGIN, NOBODY, "{\"username\":\"\\ud800\",\"password\":\"x\"}",
   NULL, 400, "invalid_json"},
  {"lone low surrogate", "POST", LOGIN, NOBODY, "{\"username\":\"\\udc00\",\"password\":\"x\"}",
   NULL, 400, "invalid_json"},
  {"raw tab in string", "POST", LOGIN, NOBODY, "{\"username\":\"a\tb\",\"password\":\"x\"}", NULL,
   400, "invalid_json"},
  {"bad escape", "POST", LOGIN, NOBODY, "{\"username\":\"\\q\",\"password\":\"x\"}", NULL, 400,
   "invalid_json"},
  /* keys */
  {"duplicate key", "POST", LOGIN, NOBODY,
   "{\"username\":\"admin\",\"username\":\"vol\",\"password\":\"x\"}", NULL, 400, "invalid_json"},
  {"duplicate nested key", "POST", USERS, ADMIN, "{\"libraries\":[{\"a\":1,\"a\":1}]}", NULL, 400,
   "invalid_json"},
  {"unknown field", "POST", LOGIN, NOBODY,
   "{\"username\":\"admin\",\"password\":\"x\",\"remember\":true}", NULL, 400, "unknown_field"},
  {"unknown field on create", "POST", USERS, ADMIN,
   "{\"username\":\"a\",\"password\":\"long-enough\",\"role\":\"admin\",\"is_root\":true}", NULL,
   400, "unknown_field"},
  /* types and ranges where a string is expected */
  {"number as username", "POST", USERS, ADMIN, U("12.5"), NULL, 422, "invalid_field"},
  {"2^31 as username", "POST", USERS, ADMIN, U("2147483648"), NULL, 422, "invalid_field"},
  {"2^53+1 as username", "POST", USERS, ADMIN, U("9007199254740993"), NULL, 422,
   "invalid_field"},
  {"1e400 as username", "POST", USERS, ADMIN, U("1e400"), NULL, 422, "invalid_field"},
  {"-500 as username", "POST", USERS, ADMIN, U("-500"), NULL, 422, "invalid_field"},
  {"null username", "POST", USERS, ADMIN, U("null"), NULL, 422, "invalid_field"},
  {"empty username", "POST", USERS, ADMIN, U("\"\""), NULL, 422, "invalid_field"},
  {"65 character username", "POST", USERS, ADMIN,
   U("\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\""), NULL, 422,
   "invalid_field"},
  {"SQL-looking username", "POST", USERS, ADMIN, U("\"x'; DROP TABLE users; --\""), NULL, 422,
   "invalid_field"},
  {"role not in the list", "POST", USERS, ADMIN,
   "{\"username\":\"a\",\"password\":\"long-enough\",\"role\":\"root\"}", NULL, 422,
   "invalid_field"},
  {"role as number", "POST", USERS, ADMIN,
   "{\"username\":\"a\",\"password\":\"long-enough\",\"role\":3}", NULL, 422, "invalid_field"},
  {"libraries as string", "POST", USERS, ADMIN,
   "{\"username\":\"a\",\"password\":\"long-enough\",\"role\":\"volunteer\","
   "\"libraries\":\"fietsbieb\"}",
   NULL, 422, "invalid_field"},
  {"empty library slug", "POST", USERS, ADMIN,
   "{\"username\":\"a\",\"password\":\"long-enough\",\"role\":\"volunteer\",\"libraries\":[\"\"]}",
   NULL, 422, "invalid_field"},
  {"libraries for an admin", "POST", USERS, ADMIN,
   "{\"username\":\"a\",\"password\":\"long-enough\",\"role\":\"admin\","
   "\"libraries\":[\"fietsbieb\"]}",
   NULL, 422, "invalid_field"},
  {"short password", "POST", USERS, ADMIN,
   "{\"username\":\"a\",\"password\":\"short\",\"role\":\"volunteer\"}", NULL, 422,
   "invalid_field"},
  {"wrong content type", "POST", LOGIN, NOBODY, "{\"username\":\"a\",\"password\":\"b\"}",
   "Content-Type: text/plain", 400, "invalid_json"},
  {"form content type", "POST", LOGIN, NOBODY, "username=a&password=b",
   "Content-Type: application/x-www-form-urlencoded", 400, "invalid_json"},
  /* query parameters */
  {"limit 2^31", "GET", USERS "?limit=2147483648", ADMIN, NULL, NULL, 422, "invalid_field"},
  {"limit 2^53+1", "GET", USERS "?limit=9007199254740993", ADMIN, NULL, NULL, 422,
   "invalid_field"},
  {"limit 1e400", "GET", USERS "?limit=1e400", ADMIN, NULL, NULL, 422, "invalid_field"},
  {"limit 12.5", "GET", USERS "?limit=12.5", ADMIN, NULL, NULL, 422, "invalid_field"},
  {"limit 12.50", "GET", USERS "?limit=12.50", ADMIN, NULL, NULL, 422, "invalid_field"},
  {"limit -500", "GET", USERS "?limit=-500", ADMIN, NULL, NULL, 422, "invalid_field"},
  {"limit 0", "GET", USERS "?limit=0", ADMIN, NULL, NULL, 422, "invalid_field"},
  {"limit 201", "GET", USERS "?limit=201", ADMIN, NULL, NULL, 422, "invalid_field"},
  {"limit empty", "GET", USERS "?limit=", ADMIN, NULL, NULL, 422, "invalid_field"},
  {"limit with %00", "GET", USERS "?limit=1%00", ADMIN, NULL, NULL, 422, "invalid_field"},
  {"cursor garbage", "GET", USERS "?cursor=%%%", ADMIN, NULL, NULL, 422, "invalid_field"},
  {"cursor %00", "GET", USERS "?cursor=%00", ADMIN, NULL, NULL, 422, "invalid_field"},
  {"cursor invalid UTF-8", "GET", USERS "?cursor=%FF%FE", ADMIN, NULL, NULL, 422,
   "invalid_field"},
  {"cursor of SQL", "GET", USERS "?cursor=JyBPUiAxPTEgLS0", ADMIN, NULL, NULL, 422,
   "invalid_field"},
  /* paths */
  {"..%2f in a path", "GET", "/v1/users/..%2f..%2fhealthz", ADMIN, NULL, NULL, 404, "not_found"},
  {"encoded dots", "GET", "/v1/%2e%2e/healthz", NOBODY, NULL, NULL, 404, "not_found"},
  {"%00 in a path", "GET", "/v1/me%00", VOLUNTEER, NULL, NULL, 404, "not_found"},
  {"%00 after a route", "GET", "/healthz%00.json", NOBODY, NULL, NULL, 404, "not_found"},
  {"double slash", "GET", "//healthz", NOBODY, NULL, NULL, 404, "not_found"},
  {"trailing slash", "GET", "/healthz/", NOBODY, NULL, NULL, 404, "not_found"},
  {"wrong method", "DELETE", "/v1/me", VOLUNTEER, NULL, NULL, 405, "method_not_allowed"},
  {"odd method", "BREW", "/healthz", NOBODY, NULL, NULL, 405, "method_not_allowed"},
  /* tokens and roles */
  {"missing token", "GET", "/v1/me", NOBODY, NULL, NULL, 401, "unauthenticated"},
  {"expired token", "GET", "/v1/me", EXPIRED, NULL, NULL, 401, "unauthenticated"},
  {"token in the query", "GET", "/v1/me?token=abc", NOBODY, NULL, NULL, 401, "unauthenticated"},
  {"forged token", "GET", "/v1/me", NOBODY, NULL,
   "Authorization: Bearer x'%20OR%201=1%20--%20xxxxxxxxxxxxxxxxxxxxxxx", 401, "unauthenticated"},
  {"volunteer creates a user", "POST", USERS, VOLUNTEER,
   "{\"username\":\"a\",\"password\":\"long-enough\",\"role\":\"admin\"}", NULL, 403,
   "forbidden"},
  /* idempotency keys */
  {"idempotency key with a space", "POST", USERS, ADMIN, U("\"k1\""), "Idempotency-Key: a b",
   422, "invalid_field"},
  {"empty idempotency key", "POST", USERS, ADMIN, U("\"k2\""), "Idempotency-Key;", 422,
   "invalid_field"},
};

struct generated {
  const char *what;
  const char *method, *path;
  enum who who;
  char *body;
  char *header;
  long status;
  const char *code;
};

static char *repeat(char c, size_t n, const char *tail)
{
  size_t t = tail ? strlen(tail) : 0;
  char *s = malloc(n + t + 1);
  memset(s, c, n);
  memcpy(s + n, tail ? tail : "", t + 1);
  return s;
}

static void run(const char *what, const char *method, const char *path, enum who who,
                const char *body, const char *header, long status, const char *code)
{
  const char *token = who == ADMIN       ? env.token[AT_ADMIN]
                      : who == VOLUNTEER ? env.token[AT_VOLUNTEER]
                      : who == EXPIRED   ? expired
                                         : NULL;
  char auth[128];
  size_t ulen = strlen(env.api.url) + strlen(path) + 1;
  char *url = malloc(ulen);
  snprintf(url, ulen, "%s%s", env.api.url, path);
  const char *hl[4];
  int n = 0;
  if (header)
    hl[n++] = header; /* first, so that it wins over the default Content-Type */
  if (body && !(header && strncmp(header, "Content-Type", 12) == 0))
    hl[n++] = "Content-Type: application/json";
  if (token) {
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
    hl[n++] = auth;
  }
  hl[n] = NULL;
  struct ts_http h;
  cr_assert_eq(ts_request(method, url, body, hl, &h), 0, "%s: no answer", what);
  free(url);
  cr_assert(h.status >= 400 && h.status < 500, "%s: %ld %s", what, h.status, h.body);
  cr_assert_eq(h.status, status, "%s: %ld, expected %ld: %s", what, h.status, status, h.body);
  if (code) {
    char *ct = ts_header(&h, "Content-Type");
    cr_assert(ct && strcmp(ct, "application/problem+json") == 0, "%s: content type %s", what,
              ct ? ct : "(none)");
    free(ct);
    cr_assert_str_eq(at_code(&h), code, "%s: %s", what, h.body);
    cJSON *st = cJSON_GetObjectItem(h.json, "status");
    cr_assert(cJSON_IsNumber(st) && st->valueint == status, "%s: status member", what);
  }
  ts_http_release(&h);
}

Test(badinput, catalogue)
{
  int count = 0;
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++, count++) {
    const struct bad *c = &cases[i];
    run(c->what, c->method, c->path, c->who, c->body, c->header, c->status, c->code);
  }
  struct generated gen[] = {
    {"100 000 nested [", "POST", USERS, ADMIN, repeat('[', 100000, NULL), NULL, 413,
     "payload_too_large"},
    {"60 000 nested [", "POST", USERS, ADMIN, repeat('[', 60000, NULL), NULL, 400,
     "invalid_json"},
    {"60 000 nested {\"a\":", "POST", USERS, ADMIN, NULL, NULL, 400, "invalid_json"},
    {"10 MB body", "POST", LOGIN, NOBODY, repeat(' ', 10 * 1024 * 1024, "{}"), NULL, 413,
     "payload_too_large"},
    {"64 KiB + 1 body", "POST", LOGIN, NOBODY, repeat(' ', 64 * 1024 - 1, "{}"), NULL, 413,
     "payload_too_large"},
    {"64 KiB body", "POST", LOGIN, NOBODY, repeat(' ', 64 * 1024 - 2, "{}"), NULL, 422,
     "invalid_field"},
    {"40 KB header", "GET", "/healthz", NOBODY, NULL, repeat('x', 40 * 1024, NULL), 431, NULL},
    {"64 KB path", "GET", NULL, NOBODY, NULL, NULL, 414, NULL},
    {"4 KB password", "POST", LOGIN, NOBODY, NULL, NULL, 422, "invalid_field"},
    {"33 levels deep", "POST", USERS, ADMIN, NULL, NULL, 400, "invalid_json"},
    {"32 levels deep", "POST", USERS, ADMIN, NULL, NULL, 422, "invalid_field"},
  };
  /* built here: they are long */
  size_t depth = 12000;
  char *obj = malloc(depth * 5 + 2);
  for (size_t i = 0; i < depth; i++)
    memcpy(obj + i * 5, "{\"a\":", 5);
  obj[depth * 5] = '\0';
  gen[2].body = obj;
  memcpy(gen[6].header, "X-Big: ", 7);
  gen[7].path = repeat('a', 64 * 1024, NULL); /* libmicrohttpd answers itself */
  ((char *)gen[7].path)[0] = '/';
  char *pw = repeat('p', 4096, "\"}");
  gen[8].body = malloc(strlen(pw) + 64);
  snprintf(gen[8].body, strlen(pw) + 64, "{\"username\":\"admin\",\"password\":\"%s", pw);
  free(pw);
  /* the limit is 32 levels: an object holding 31 arrays is the deepest */
  gen[9].body = malloc(67);
  memset(gen[9].body, '[', 33);
  memset(gen[9].body + 33, ']', 33);
  gen[9].body[66] = '\0';
  gen[10].body = malloc(128);
  size_t k = (size_t)snprintf(gen[10].body, 128, "{\"username\":");
  memset(gen[10].body + k, '[', 31);
  memset(gen[10].body + k + 31, ']', 31);
  memcpy(gen[10].body + k + 62, "}", 2);
  for (size_t i = 0; i < sizeof gen / sizeof gen[0]; i++, count++) {
    run(gen[i].what, gen[i].method, gen[i].path, gen[i].who, gen[i].body, gen[i].header,
        gen[i].status, gen[i].code);
    free(gen[i].body);
    free(gen[i].header);
  }
  free((char *)gen[7].path);

  /* SQL-looking text round-trips byte for byte (a failed login records
   * the username as sent) and the tables are all still there */
  static const char sql[] = "x'); DELETE FROM users; --\\\"\xc3\xa9";
  cJSON *b = cJSON_CreateObject();
  cJSON_AddStringToObject(b, "username", sql);
  cJSON_AddStringToObject(b, "password", "whatever");
  char *body = cJSON_PrintUnformatted(b);
  cJSON_Delete(b);
  run("SQL-looking login", "POST", LOGIN, NOBODY, body, NULL, 401, "unauthenticated");
  free(body);
  count++;
  PGconn *c = ts_connect(env.ci);
  const char *p[] = {sql};
  PGresult *r = ts_sql(c, "SELECT count(*) FROM login_failures WHERE username = $1", 1, p);
  cr_assert_str_eq(PQgetvalue(r, 0, 0), "1");
  PQclear(r);
  cr_assert_eq(ts_sql_int(c, "SELECT count(*) FROM users"), 4);
  PQfinish(c);

  /* nothing above hurt the server */
  struct ts_http h;
  at_call(&env, "GET", "/healthz", NULL, NULL, NULL, &h);
  cr_assert_eq(h.status, 200);
  ts_http_release(&h);
  at_call(&env, "GET", "/v1/me", env.token[AT_ADMIN], NULL, NULL, &h);
  cr_assert_eq(h.status, 200);
  ts_http_release(&h);
  printf("bad-input catalogue: %d cases, none answered 5xx\n", count);
}
