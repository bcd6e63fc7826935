#include "at.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* crypto_pwhash_str of AT_PASSWORD at the interactive limits */
static const char hash[] =
    "$argon2id$v=19$m=65536,t=2,p=1$MeBfpSuwJSAAq8mC8+SyhQ$"
    "TKNv09v8IrKhSffkpL8cM/jhXlF2F29PKYop7kI6CQs";

static const char *const names[AT_WHO_COUNT] = {"", "vol", "coord", "sw", "admin"};
static const char *const roles[AT_WHO_COUNT] = {"", "volunteer", "coordinator", "social_worker",
                                                "admin"};

const char *at_username(enum at_who who) { return names[who]; }

void at_setup(struct at_env *e, const char *const *env, int login)
{
  memset(e, 0, sizeof *e);
  e->ci = ts_db_create(1);
  PGconn *c = ts_connect(e->ci);
  PQclear(ts_sql(c,
                 "INSERT INTO libraries (org_id, slug, name, kind, code_prefix)"
                 " VALUES (1, 'fietsbieb', 'Fietsbieb', 'fietsbieb', 'FB'),"
                 "        (1, 'babytheek', 'Babytheek', 'babytheek', 'BT')",
                 0, NULL));
  for (int w = AT_VOLUNTEER; w < AT_WHO_COUNT; w++) {
    const char *p[] = {names[w], hash, roles[w]};
    PQclear(ts_sql(c, "INSERT INTO users (org_id, username, password_hash, role)"
                      " VALUES (1, $1, $2, $3)", 3, p));
  }
  PQclear(ts_sql(c,
                 "INSERT INTO user_libraries (user_id, library_id)"
                 " SELECT u.id, l.id FROM users u, libraries l"
                 " WHERE u.username IN ('vol', 'coord') AND l.slug = 'fietsbieb'",
                 0, NULL));
  PQfinish(c);
  const char *quiet[34] = {"LEEN_QUIET=1"};
  for (int i = 0; env && env[i] && i < 32; i++)
    quiet[i + 1] = env[i];
  ts_api_start(&e->api, e->ci, quiet);
  for (int w = AT_VOLUNTEER; login && w < AT_WHO_COUNT; w++)
    e->token[w] = at_login(e, names[w], AT_PASSWORD);
}

void at_teardown(struct at_env *e)
{
  ts_api_stop(&e->api);
  ts_db_drop(e->ci);
  for (int w = 0; w < AT_WHO_COUNT; w++)
    free(e->token[w]);
  memset(e, 0, sizeof *e);
}

char *at_login(const struct at_env *e, const char *username, const char *password)
{
  cJSON *b = cJSON_CreateObject();
  cJSON_AddStringToObject(b, "username", username);
  cJSON_AddStringToObject(b, "password", password);
  char *body = cJSON_PrintUnformatted(b);
  cJSON_Delete(b);
  struct ts_http h;
  at_call(e, "POST", "/v1/auth/login", NULL, body, NULL, &h);
  free(body);
  cr_assert_eq(h.status, 200, "login of %s: %ld %s", username, h.status, h.body);
  cJSON *t = cJSON_GetObjectItem(h.json, "token");
  cr_assert(cJSON_IsString(t));
  char *token = strdup(t->valuestring);
  ts_http_release(&h);
  return token;
}

void at_call(const struct at_env *e, const char *method, const char *path, const char *token,
             const char *body, const char *const *headers, struct ts_http *out)
{
  char url[1024], auth[256];
  snprintf(url, sizeof url, "%s%s", e->api.url, path);
  const char *hl[16];
  int n = 0;
  if (body)
    hl[n++] = "Content-Type: application/json";
  if (token) {
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
    hl[n++] = auth;
  }
  for (int i = 0; headers && headers[i] && n < 15; i++)
    hl[n++] = headers[i];
  hl[n] = NULL;
  cr_assert_eq(ts_request(method, url, body, hl, out), 0, "no answer to %s %s", method, path);
}

const char *at_code(const struct ts_http *h)
{
  cJSON *c = cJSON_GetObjectItem(h->json, "code");
  return cJSON_IsString(c) ? c->valuestring : "";
}

double at_num(const cJSON *o, const char *name)
{
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
  cr_assert(cJSON_IsNumber(v), "%s is not a number", name);
  return v->valuedouble;
}

long long at_int(const cJSON *o, const char *name)
{
  return (long long)at_num(o, name);
}

const char *at_str(const cJSON *o, const char *name)
{
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
  cr_assert(cJSON_IsString(v), "%s is not a string", name);
  return v->valuestring;
}
