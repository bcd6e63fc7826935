/* Privacy requests over HTTP (admins): the export of everything stored
 * about a household, and anonymising it, after which the export holds no
 * personal data. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "at.h"

static struct at_env env;
static PGconn *pg;
static long long number;

/* The caller's token, logged in on first use: a login costs a deliberately
 * slow password hash, so a test logs in only the callers it needs. */
static const char *token(enum at_who who)
{
  if (who != AT_NONE && !env.token[who])
    env.token[who] = at_login(&env, at_username(who), AT_PASSWORD);
  return env.token[who];
}

/* Gezin Peeters, registered at the counter with a child, a social
 * reduction from the social service and a paid Fietsbieb membership. */
static void setup(void)
{
  at_setup(&env, NULL, 0);
  pg = ts_connect(env.ci);
  PQclear(ts_sql(pg,
                 "UPDATE libraries SET fee_cents = 2000, social_fee_cents = 500, max_slots = 4"
                 " WHERE slug = 'fietsbieb'",
                 0, NULL));
  struct ts_http h;
  at_call(&env, "POST", "/v1/households", token(AT_VOLUNTEER),
          "{\"name\":\"Gezin Peeters\",\"email\":\"an.peeters@example.be\","
          "\"phone\":\"051 12 34 56\",\"postcode\":\"8870\","
          "\"children\":[{\"first_name\":\"Lien\",\"birth_month\":\"2020-05\"}]}",
          NULL, &h);
  cr_assert_eq(h.status, 201, "%s", h.body);
  number = (long long)cJSON_GetNumberValue(cJSON_GetObjectItem(h.json, "number"));
  ts_http_release(&h);
  char body[200], path[80];
  snprintf(body, sizeof body,
           "{\"household\":%lld,\"level\":\"social\",\"valid_until\":\"2099-06-30\","
           "\"reference\":\"SH-2026-118\"}",
           number);
  at_call(&env, "POST", "/v1/reductions", token(AT_SOCIAL_WORKER), body, NULL, &h);
  cr_assert_eq(h.status, 201, "%s", h.body);
  ts_http_release(&h);
  snprintf(path, sizeof path, "/v1/households/%lld/memberships", number);
  at_call(&env, "POST", path, token(AT_VOLUNTEER),
          "{\"library\":\"fietsbieb\",\"slots\":2,\"payment\":\"cash\"}", NULL, &h);
  cr_assert_eq(h.status, 201, "%s", h.body);
  ts_http_release(&h);
}

static void teardown(void)
{
  PQfinish(pg);
  at_teardown(&env);
}

TestSuite(privacy, .init = setup, .fini = teardown, .timeout = 120);

static long long q(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static long long q(const char *fmt, ...)
{
  char sql[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(sql, sizeof sql, fmt, ap);
  va_end(ap);
  return ts_sql_int(pg, sql);
}

/* A request to /v1/households/<number><suffix>; a suffix starting with
 * "/v1/" is the whole path. */
static void call(enum at_who who, const char *method, const char *suffix, struct ts_http *h)
{
  char path[128];
  if (strncmp(suffix, "/v1/", 4) == 0)
    snprintf(path, sizeof path, "%s", suffix);
  else
    snprintf(path, sizeof path, "/v1/households/%lld%s", number, suffix);
  at_call(&env, method, path, token(who), NULL, NULL, h);
}

static void expect(enum at_who who, const char *method, const char *suffix, long status,
                   const char *code)
{
  struct ts_http h;
  call(who, method, suffix, &h);
  cr_assert_eq(h.status, status, "%s %s: %ld %s", method, suffix, h.status, h.body);
  cr_assert_str_eq(at_code(&h), code, "%s", h.body);
  ts_http_release(&h);
}

static const cJSON *get(const cJSON *o, const char *name)
{
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
  cr_assert(v, "no member %s", name);
  return v;
}

#define EXPORT "/export"
#define ANONYMIZE "/anonymize"

Test(privacy, the_export_holds_everything_stored)
{
  long long reads = q("SELECT count(*) FROM audit WHERE action = 'read' AND entity = 'reduction'");
  struct ts_http h;
  call(AT_ADMIN, "GET", EXPORT, &h);
  cr_assert_eq(h.status, 200, "%s", h.body);
  char *cd = ts_header(&h, "Content-Disposition");
  cr_assert(cd && strstr(cd, "attachment"), "%s", cd ? cd : "(none)");
  free(cd);
  const cJSON *hh = get(h.json, "household");
  cr_assert_str_eq(get(hh, "name")->valuestring, "Gezin Peeters");
  cr_assert_str_eq(get(hh, "email")->valuestring, "an.peeters@example.be");
  cr_assert_str_eq(get(hh, "phone")->valuestring, "051 12 34 56");
  cr_assert_str_eq(get(hh, "postcode")->valuestring, "8870");
  cr_assert_str_eq(get(cJSON_GetArrayItem(get(h.json, "children"), 0), "first_name")->valuestring,
                   "Lien");
  const cJSON *m = cJSON_GetArrayItem(get(h.json, "memberships"), 0);
  cr_assert_eq(get(m, "fee_cents")->valuedouble, 4000);
  cr_assert_eq(get(m, "due_cents")->valuedouble, 1000);
  const cJSON *red = cJSON_GetArrayItem(get(h.json, "reductions"), 0);
  cr_assert_str_eq(get(red, "reference")->valuestring, "SH-2026-118");
  cr_assert_str_eq(get(red, "level")->valuestring, "social");
  cr_assert_eq(cJSON_GetArraySize(get(h.json, "ledger")), 6);
  cr_assert_eq(cJSON_GetArraySize(get(h.json, "loans")), 0);
  cr_assert_eq(cJSON_GetArraySize(get(h.json, "reservations")), 0);
  ts_http_release(&h);
  /* showing the reduction is a read of it, and the export is on record */
  cr_assert_eq(q("SELECT count(*) FROM audit WHERE action = 'read' AND entity = 'reduction'"),
               reads + 1);
  cr_assert_eq(q("SELECT count(*) FROM audit a JOIN users u ON u.id = a.user_id"
                 " WHERE a.action = 'export' AND a.entity_id = '%lld' AND u.username = 'admin'",
                 number),
               1);
}

Test(privacy, only_admins_answer_privacy_requests)
{
  enum at_who who[] = {AT_VOLUNTEER, AT_COORDINATOR, AT_SOCIAL_WORKER};
  for (int i = 0; i < 3; i++) {
    expect(who[i], "GET", EXPORT, 403, "forbidden");
    expect(who[i], "POST", ANONYMIZE, 403, "forbidden");
  }
  expect(AT_NONE, "GET", EXPORT, 401, "unauthenticated");
  expect(AT_ADMIN, "GET", "/v1/households/999999/export", 404, "not_found");
  expect(AT_ADMIN, "POST", "/v1/households/999999/anonymize", 404, "not_found");
  expect(AT_ADMIN, "GET", "/v1/households/abc/export", 404, "not_found");
  cr_assert_eq(q("SELECT count(*) FROM households WHERE anonymized_at IS NULL"
                 " AND name = 'Gezin Peeters'"),
               1);
  cr_assert_eq(q("SELECT count(*) FROM audit WHERE action IN ('export', 'anonymize')"), 0);
}

Test(privacy, after_anonymizing_the_export_holds_no_personal_data)
{
  long long ledger = q("SELECT count(*) FROM ledger");
  struct ts_http h;
  call(AT_ADMIN, "POST", ANONYMIZE, &h);
  cr_assert_eq(h.status, 200, "%s", h.body);
  char want[64];
  snprintf(want, sizeof want, "Geanonimiseerd gezin %lld", number);
  cr_assert_str_eq(get(h.json, "name")->valuestring, want);
  cr_assert(cJSON_IsNull(get(h.json, "email")));
  cr_assert(cJSON_IsNull(get(h.json, "phone")));
  cr_assert_str_eq(get(h.json, "postcode")->valuestring, "8870");
  cr_assert(cJSON_IsNull(get(cJSON_GetArrayItem(get(h.json, "children"), 0), "first_name")));
  cr_assert(cJSON_IsString(get(h.json, "anonymized_at")));
  ts_http_release(&h);
  cr_assert_eq(q("SELECT count(*) FROM ledger"), ledger);
  cr_assert_eq(q("SELECT count(*) FROM audit WHERE action = 'anonymize'"
                 " AND entity_id = '%lld'", number),
               1);

  call(AT_ADMIN, "GET", EXPORT, &h);
  cr_assert_eq(h.status, 200, "%s", h.body);
  const char *personal[] = {"Peeters", "an.peeters", "example.be", "051 12", "Lien", "SH-2026"};
  for (size_t i = 0; i < sizeof personal / sizeof *personal; i++)
    cr_assert_null(strstr(h.body, personal[i]), "%s in %s", personal[i], h.body);
  cr_assert_eq(cJSON_GetArraySize(get(h.json, "ledger")), 6);
  cr_assert_eq(cJSON_GetArraySize(get(h.json, "memberships")), 1);
  cr_assert(cJSON_IsString(get(get(h.json, "household"), "anonymized_at")));
  ts_http_release(&h);

  /* the counter sees the anonymous name; nothing new may be attached */
  call(AT_VOLUNTEER, "GET", "", &h);
  cr_assert_str_eq(get(h.json, "name")->valuestring, want);
  ts_http_release(&h);
  expect(AT_ADMIN, "POST", ANONYMIZE, 409, "conflict");
  char path[80];
  snprintf(path, sizeof path, "/v1/households/%lld", number);
  const char *hl[] = {"If-Match: *", NULL};
  at_call(&env, "PATCH", path, token(AT_VOLUNTEER), "{\"name\":\"Gezin Peeters\"}", hl, &h);
  cr_assert_eq(h.status, 409, "%s", h.body);
  ts_http_release(&h);
  cr_assert_eq(q("SELECT count(*) FROM households WHERE name LIKE '%%Peeters%%'"), 0);
}

Test(privacy, anonymizing_waits_until_every_item_is_back)
{
  PQclear(ts_sql(pg,
                 "INSERT INTO categories (library_id, name, deposit_cents, loan_days)"
                 " SELECT id, 'Fiets 16 inch', 2000, 365 FROM libraries WHERE slug = 'fietsbieb'",
                 0, NULL));
  PQclear(ts_sql(pg,
                 "INSERT INTO items (library_id, category_id, number, code, name, status)"
                 " SELECT library_id, id, 42, 'FB0042', 'Btwin 16 rood', 'on_loan' FROM categories",
                 0, NULL));
  char sql[400];
  snprintf(sql, sizeof sql,
           "INSERT INTO loans (item_id, household_id, library_id, due_on, deposit_cents)"
           " SELECT i.id, h.id, i.library_id, current_date + 365, 1000 FROM items i, households h"
           " WHERE h.number = %lld",
           number);
  PQclear(ts_sql(pg, sql, 0, NULL));
  struct ts_http h;
  call(AT_ADMIN, "POST", ANONYMIZE, &h);
  cr_assert_eq(h.status, 409, "%s", h.body);
  cr_assert_str_eq(at_code(&h), "conflict");
  cr_assert(strstr(h.body, "open loan"), "%s", h.body);
  ts_http_release(&h);
  cr_assert_eq(q("SELECT count(*) FROM households WHERE name = 'Gezin Peeters'"
                 " AND email IS NOT NULL AND anonymized_at IS NULL"),
               1);
  cr_assert_eq(q("SELECT count(*) FROM children WHERE first_name = 'Lien'"), 1);
  cr_assert_eq(q("SELECT count(*) FROM audit WHERE action = 'anonymize'"), 0);

  /* back: now it can */
  PQclear(ts_sql(pg,
                 "UPDATE loans SET returned_at = now(), return_condition = 'ok',"
                 " refund_cents = 1000",
                 0, NULL));
  expect(AT_ADMIN, "POST", ANONYMIZE, 200, "");
}
