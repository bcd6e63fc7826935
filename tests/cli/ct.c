#include "ct.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* crypto_pwhash_str of CT_PASSWORD at the interactive limits (hashing is
 * slow by design, so users are inserted with it) */
static const char hash[] =
    "$argon2id$v=19$m=65536,t=2,p=1$MeBfpSuwJSAAq8mC8+SyhQ$TKNv09v8IrKhSffkpL8cM/jhXlF2F29PKYop7kI6CQs";
static const char *const names[CT_WHO_COUNT] = {"", "vol", "coord", "sw", "admin"};
static const char *const roles[CT_WHO_COUNT] = {"", "volunteer", "coordinator", "social_worker",
                                                "admin"};

static char *login(const struct ct_env *e, const char *username)
{
  char url[128], body[256];
  snprintf(url, sizeof url, "%s/v1/auth/login", e->api.url);
  snprintf(body, sizeof body, "{\"username\":\"%s\",\"password\":\"%s\"}", username, CT_PASSWORD);
  const char *h[] = {"Content-Type: application/json", NULL};
  struct ts_http r;
  cr_assert_eq(ts_request("POST", url, body, h, &r), 0);
  cr_assert_eq(r.status, 200, "login %s: %s", username, r.body);
  char *t = strdup(cJSON_GetObjectItem(r.json, "token")->valuestring);
  ts_http_release(&r);
  return t;
}

void ct_setup(struct ct_env *e)
{
  memset(e, 0, sizeof *e);
  e->ci = ts_db_create(1);
  PGconn *c = ts_connect(e->ci);
  PQclear(ts_sql(c,
                 "INSERT INTO libraries (org_id, slug, name, kind, code_prefix, fee_cents,"
                 " social_fee_cents, fee_per, social_deposit_percent, max_slots, default_loan_days)"
                 " VALUES (1, 'fietsbieb', 'Fietsbieb', 'fietsbieb', 'FB', 2000, 500, 'slot', 50, 4, 365),"
                 "        (1, 'babytheek', 'Babytheek', 'babytheek', 'BT', 3000, 500, 'household', 100, 5, 90)",
                 0, NULL));
  PQclear(ts_sql(c,
                 "INSERT INTO schedule_rules (library_id, freq, weekday, starts_at, ends_at)"
                 " SELECT l.id, 'weekly', d, '09:00', '17:00'"
                 " FROM libraries l, generate_series(1, 7) d",
                 0, NULL));
  PQclear(ts_sql(c,
                 "INSERT INTO categories (library_id, name, deposit_cents, loan_days, components)"
                 " SELECT id, 'Fiets 16 inch', 2000, 365, '{bel,slot}'::text[] FROM libraries WHERE slug = 'fietsbieb'"
                 " UNION ALL SELECT id, 'Fiets 20 inch', 2500, 365, '{}'::text[] FROM libraries WHERE slug = 'fietsbieb'"
                 " UNION ALL SELECT id, 'Kinderwagen', 0, 90, '{regenhoes}'::text[] FROM libraries WHERE slug = 'babytheek'",
                 0, NULL));
  for (int w = CT_VOLUNTEER; w < CT_WHO_COUNT; w++) {
    const char *p[] = {names[w], hash, roles[w]};
    PQclear(ts_sql(c, "INSERT INTO users (org_id, username, password_hash, role) VALUES (1, $1, $2, $3)",
                   3, p));
  }
  PQclear(ts_sql(c,
                 "INSERT INTO user_libraries (user_id, library_id)"
                 " SELECT u.id, l.id FROM users u, libraries l WHERE u.username IN ('vol', 'coord')",
                 0, NULL));
  PQfinish(c);
  e->cat_bike = ct_sql_int(e, "SELECT id FROM categories WHERE name = 'Fiets 16 inch'");
  e->cat_bike_big = ct_sql_int(e, "SELECT id FROM categories WHERE name = 'Fiets 20 inch'");
  e->cat_stroller = ct_sql_int(e, "SELECT id FROM categories WHERE name = 'Kinderwagen'");
  /* no token cache: a test that expires a token in SQL sees it at once */
  const char *env[] = {"LEEN_QUIET=1", "LEEN_AUTH_CACHE_SECONDS=0", NULL};
  ts_api_start(&e->api, e->ci, env);
  for (int w = CT_VOLUNTEER; w < CT_WHO_COUNT; w++)
    e->token[w] = login(e, names[w]);
  ts_tmpdir(e->home, sizeof e->home, "cli-test");
  char url[128];
  snprintf(url, sizeof url, "%s/openapi.json", e->api.url);
  struct ts_http r;
  cr_assert_eq(ts_request("GET", url, NULL, NULL, &r), 0);
  e->openapi = cJSON_Duplicate(r.json, 1);
  ts_http_release(&r);
}

void ct_teardown(struct ct_env *e)
{
  if (!e->ci)
    return;
  ts_api_stop(&e->api);
  ts_db_drop(e->ci);
  for (int w = 0; w < CT_WHO_COUNT; w++)
    free(e->token[w]);
  ts_tmpdir_remove(e->home);
  cJSON_Delete(e->openapi);
  memset(e, 0, sizeof *e);
}

void ct_leenv(const struct ct_env *e, enum ct_who who, const char *const *env,
              const char *const *args, struct ts_run *r)
{
  char url[96], home[128], token[128];
  snprintf(url, sizeof url, "LEEN_URL=%s", e->api.url);
  snprintf(home, sizeof home, "XDG_CONFIG_HOME=%s", e->home);
  snprintf(token, sizeof token, "LEEN_TOKEN=%s", who == CT_NONE ? "" : e->token[who]);
  /* the caller's entries first: getenv finds the first of a name */
  const char *full[48];
  int n = 0;
  for (int i = 0; env && env[i] && n < 38; i++)
    full[n++] = env[i];
  const char *const base[] = {url, home, token, "LANGUAGE=", "LC_ALL=", "LANG=C", "NO_COLOR="};
  for (size_t i = 0; i < sizeof base / sizeof base[0]; i++)
    full[n++] = base[i];
  full[n] = NULL;
  const char *argv[40] = {LEEN_CLI_BIN};
  int k = 1;
  for (int i = 0; args[i] && k < 39; i++)
    argv[k++] = args[i];
  argv[k] = NULL;
  ts_run(argv, full, r);
}

int ct_has_route(const struct ct_env *e, const char *method, const char *path)
{
  const cJSON *paths = cJSON_GetObjectItem(e->openapi, "paths");
  const cJSON *p = cJSON_GetObjectItem(paths, path);
  char m[16];
  size_t i = 0;
  for (; method[i] && i < sizeof m - 1; i++)
    m[i] = (char)(method[i] | 0x20);
  m[i] = '\0';
  return p && cJSON_GetObjectItem(p, m) != NULL;
}

long long ct_sql_int(const struct ct_env *e, const char *sql)
{
  PGconn *c = ts_connect(e->ci);
  long long v = ts_sql_int(c, sql);
  PQfinish(c);
  return v;
}

int64_t ct_household(const struct ct_env *e, const char *name)
{
  PGconn *c = ts_connect(e->ci);
  const char *p[] = {name};
  PGresult *r = ts_sql(c,
                       "INSERT INTO households (org_id, name, postcode) VALUES (1, $1, '8870')"
                       " RETURNING number",
                       1, p);
  int64_t n = atoll(PQgetvalue(r, 0, 0));
  PQclear(r);
  PQfinish(c);
  return n;
}

const char *ct_item(const struct ct_env *e, const char *library, int64_t category,
                    const char *name, char out[16])
{
  PGconn *c = ts_connect(e->ci);
  char cat[24];
  snprintf(cat, sizeof cat, "%lld", (long long)category);
  const char *p[] = {library, cat, name};
  PGresult *r = ts_sql(c,
                       "WITH l AS (UPDATE libraries SET next_item_number = next_item_number + 1"
                       "           WHERE slug = $1 RETURNING id, code_prefix, next_item_number - 1 AS n)"
                       " INSERT INTO items (library_id, category_id, number, code, name)"
                       " SELECT id, $2::bigint, n, code_prefix || lpad(n::text, 4, '0'), $3 FROM l"
                       " RETURNING code",
                       3, p);
  snprintf(out, 16, "%s", PQgetvalue(r, 0, 0));
  PQclear(r);
  PQfinish(c);
  return out;
}

cJSON *ct_json(const struct ts_run *r)
{
  cJSON *j = cJSON_Parse(r->out);
  cr_assert(j, "stdout is not JSON: [%s] (stderr: %s)", r->out, r->err);
  return j;
}
