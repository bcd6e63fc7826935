/* Logging in and out over HTTP, tokens, /v1/me, and an authenticated route
 * while PostgreSQL goes away and comes back. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "at.h"

static struct at_env env;

static void setup(void) { at_setup(&env, NULL, 0); }
static void teardown(void) { at_teardown(&env); }

TestSuite(auth, .init = setup, .fini = teardown, .timeout = 120);

static void login(const char *body, struct ts_http *h)
{
  at_call(&env, "POST", "/v1/auth/login", NULL, body, NULL, h);
}

Test(auth, login_returns_a_token_and_the_user)
{
  struct ts_http h;
  login("{\"username\":\"coord\",\"password\":\"" AT_PASSWORD "\"}", &h);
  cr_assert_eq(h.status, 200, "%s", h.body);
  const char *token = cJSON_GetObjectItem(h.json, "token")->valuestring;
  cr_assert_eq(strlen(token), 43);
  cr_assert_eq(strspn(token, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
               43);
  cJSON *u = cJSON_GetObjectItem(h.json, "user");
  cr_assert_str_eq(cJSON_GetObjectItem(u, "username")->valuestring, "coord");
  cr_assert_str_eq(cJSON_GetObjectItem(u, "role")->valuestring, "coordinator");
  cr_assert(cJSON_GetObjectItem(u, "id")->valueint > 0);
  cJSON *libs = cJSON_GetObjectItem(u, "libraries");
  cr_assert_eq(cJSON_GetArraySize(libs), 1);
  cr_assert_str_eq(cJSON_GetArrayItem(libs, 0)->valuestring, "fietsbieb");
  char *cc = ts_header(&h, "Cache-Control");
  cr_assert_str_eq(cc, "no-store");
  free(cc);

  /* only the hash is stored */
  PGconn *c = ts_connect(env.ci);
  const char *p[] = {token};
  PGresult *r = ts_sql(c, "SELECT count(*) FROM api_tokens WHERE token_hash = sha256($1::bytea)"
                          " AND expires_at > now() + interval '11 hours'", 1, p);
  cr_assert_str_eq(PQgetvalue(r, 0, 0), "1");
  PQclear(r);
  PQfinish(c);

  struct ts_http me;
  at_call(&env, "GET", "/v1/me", token, NULL, NULL, &me);
  cr_assert_eq(me.status, 200, "%s", me.body);
  cr_assert_str_eq(cJSON_GetObjectItem(me.json, "username")->valuestring, "coord");
  cr_assert_str_eq(cJSON_GetObjectItem(me.json, "role")->valuestring, "coordinator");
  cr_assert_str_eq(cJSON_GetArrayItem(cJSON_GetObjectItem(me.json, "libraries"), 0)->valuestring,
                   "fietsbieb");
  ts_http_release(&me);
  ts_http_release(&h);
}

Test(auth, wrong_password_and_unknown_user_get_the_same_401)
{
  struct ts_http a, b;
  login("{\"username\":\"coord\",\"password\":\"wrong-password\"}", &a);
  login("{\"username\":\"nobody\",\"password\":\"wrong-password\"}", &b);
  cr_assert_eq(a.status, 401);
  cr_assert_eq(b.status, 401);
  cr_assert_str_eq(at_code(&a), "unauthenticated");
  cr_assert_str_eq(cJSON_GetObjectItem(a.json, "detail")->valuestring,
                   cJSON_GetObjectItem(b.json, "detail")->valuestring);
  ts_http_release(&a);
  ts_http_release(&b);
  PGconn *c = ts_connect(env.ci);
  cr_assert_eq(ts_sql_int(c, "SELECT count(*) FROM login_failures WHERE username = 'coord'"), 1);
  cr_assert_eq(ts_sql_int(c, "SELECT count(*) FROM login_failures WHERE username = 'nobody'"), 1);
  cr_assert_eq(ts_sql_int(c, "SELECT count(*) FROM api_tokens"), 0);
  PQfinish(c);
}

Test(auth, five_failures_rate_limit_the_username)
{
  struct ts_http h;
  for (int i = 0; i < 5; i++) {
    login("{\"username\":\"vol\",\"password\":\"guess-guess\"}", &h);
    cr_assert_eq(h.status, 401, "attempt %d: %ld", i, h.status);
    ts_http_release(&h);
  }
  /* now even the right password is refused, with a time to wait */
  login("{\"username\":\"vol\",\"password\":\"" AT_PASSWORD "\"}", &h);
  cr_assert_eq(h.status, 429, "%s", h.body);
  cr_assert_str_eq(at_code(&h), "rate_limited");
  char *retry = ts_header(&h, "Retry-After");
  cr_assert(retry);
  long secs = strtol(retry, NULL, 10);
  cr_assert(secs > 800 && secs <= 900, "Retry-After %s", retry);
  free(retry);
  ts_http_release(&h);
  /* another username is not affected */
  char *t = at_login(&env, "coord", AT_PASSWORD);
  free(t);
  /* once the failures are older than the window, logging in works */
  PGconn *c = ts_connect(env.ci);
  PQclear(ts_sql(c, "UPDATE login_failures SET failed_at = failed_at - interval '16 minutes'", 0,
                 NULL));
  PQfinish(c);
  t = at_login(&env, "vol", AT_PASSWORD);
  free(t);
}

Test(auth, logout_revokes_the_token)
{
  char *token = at_login(&env, "vol", AT_PASSWORD);
  struct ts_http h;
  at_call(&env, "GET", "/v1/me", token, NULL, NULL, &h);
  cr_assert_eq(h.status, 200); /* the token is now in the server's cache */
  ts_http_release(&h);
  at_call(&env, "POST", "/v1/auth/logout", token, NULL, NULL, &h);
  cr_assert_eq(h.status, 204, "%s", h.body);
  ts_http_release(&h);
  at_call(&env, "GET", "/v1/me", token, NULL, NULL, &h);
  cr_assert_eq(h.status, 401, "%s", h.body);
  cr_assert_str_eq(at_code(&h), "unauthenticated");
  char *www = ts_header(&h, "WWW-Authenticate");
  cr_assert_str_eq(www, "Bearer");
  free(www);
  ts_http_release(&h);
  PGconn *c = ts_connect(env.ci);
  cr_assert_eq(ts_sql_int(c, "SELECT count(*) FROM api_tokens WHERE revoked_at IS NOT NULL"), 1);
  cr_assert_eq(ts_sql_int(c, "SELECT count(*) FROM audit WHERE action = 'logout'"), 1);
  PQfinish(c);
  free(token);
}

Test(auth, an_expired_token_is_refused)
{
  char *token = at_login(&env, "vol", AT_PASSWORD);
  PGconn *c = ts_connect(env.ci);
  PQclear(ts_sql(c, "UPDATE api_tokens SET expires_at = now() - interval '1 second'", 0, NULL));
  PQfinish(c);
  struct ts_http h;
  at_call(&env, "GET", "/v1/me", token, NULL, NULL, &h);
  cr_assert_eq(h.status, 401, "%s", h.body);
  cr_assert_str_eq(at_code(&h), "unauthenticated");
  ts_http_release(&h);
  free(token);
}

Test(auth, missing_and_malformed_tokens_are_refused)
{
  static const char *const headers[] = {
    NULL,
    "Authorization: Bearer",
    "Authorization: Bearer short",
    "Authorization: Basic dm9sOnRlc3Q=",
    "Authorization: Bearer AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",  /* well formed, unknown */
    "Authorization: Bearer AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA*",  /* bad character */
    "Authorization: Bearer AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA extra",
  };
  for (size_t i = 0; i < sizeof headers / sizeof headers[0]; i++) {
    const char *hl[] = {headers[i], NULL};
    struct ts_http h;
    at_call(&env, "GET", "/v1/me", NULL, NULL, headers[i] ? hl : NULL, &h);
    cr_assert_eq(h.status, 401, "%s: %ld", headers[i] ? headers[i] : "(none)", h.status);
    cr_assert_str_eq(at_code(&h), "unauthenticated");
    ts_http_release(&h);
  }
}

Test(auth, an_inactive_user_cannot_log_in_or_use_a_token)
{
  char *token = at_login(&env, "sw", AT_PASSWORD);
  PGconn *c = ts_connect(env.ci);
  PQclear(ts_sql(c, "UPDATE users SET active = false WHERE username = 'sw'", 0, NULL));
  PQfinish(c);
  struct ts_http h;
  at_call(&env, "GET", "/v1/me", token, NULL, NULL, &h);
  cr_assert_eq(h.status, 401);
  ts_http_release(&h);
  login("{\"username\":\"sw\",\"password\":\"" AT_PASSWORD "\"}", &h);
  cr_assert_eq(h.status, 401);
  ts_http_release(&h);
  free(token);
}

Test(auth, an_authenticated_route_answers_503_while_the_database_is_down)
{
  struct ts_cluster pg;
  ts_cluster_start(&pg);
  /* the private cluster's template database needs a user of its own */
  PGconn *c = ts_connect(pg.conninfo);
  PQclear(ts_sql(c,
                 "INSERT INTO users (org_id, username, password_hash, role) VALUES (1, 'admin',"
                 " '$argon2id$v=19$m=65536,t=2,p=1$MeBfpSuwJSAAq8mC8+SyhQ$TKNv09v8IrKhSffkpL8cM/"
                 "jhXlF2F29PKYop7kI6CQs', 'admin')",
                 0, NULL));
  PQfinish(c);
  struct at_env own = {0};
  const char *envv[] = {"LEEN_QUIET=1", "LEEN_AUTH_CACHE_SECONDS=0", NULL};
  ts_api_start(&own.api, pg.conninfo, envv);
  char *token = at_login(&own, "admin", AT_PASSWORD);
  struct ts_http h;
  at_call(&own, "GET", "/v1/me", token, NULL, NULL, &h);
  cr_assert_eq(h.status, 200, "%s", h.body);
  ts_http_release(&h);

  ts_cluster_pause(&pg);
  for (int i = 0; i < 3; i++) {
    at_call(&own, "GET", "/v1/me", token, NULL, NULL, &h);
    cr_assert_eq(h.status, 503, "%s", h.body);
    cr_assert_str_eq(at_code(&h), "db_unavailable");
    char *retry = ts_header(&h, "Retry-After");
    cr_assert(retry);
    free(retry);
    ts_http_release(&h);
  }
  /* logging in needs the database too: 503, never 500 */
  at_call(&own, "POST", "/v1/auth/login", NULL,
          "{\"username\":\"admin\",\"password\":\"" AT_PASSWORD "\"}", NULL, &h);
  cr_assert_eq(h.status, 503, "%s", h.body);
  ts_http_release(&h);

  ts_cluster_resume(&pg);
  long status = 0;
  for (int i = 0; i < 50 && status != 200; i++) {
    at_call(&own, "GET", "/v1/me", token, NULL, NULL, &h);
    status = h.status;
    cr_assert(status == 200 || status == 503, "%ld while recovering: %s", status, h.body);
    ts_http_release(&h);
    if (status != 200)
      usleep(100000);
  }
  cr_assert_eq(status, 200, "the API did not recover within 5 s");
  free(token);
  ts_api_stop(&own.api);
  ts_cluster_remove(&pg);
}
