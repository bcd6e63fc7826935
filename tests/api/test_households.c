/* Households over HTTP: register, find, read (reduction as {active,
 * valid_until} only), change with If-Match, the member card; memberships
 * with their ledger journals, the ledger and payments. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "at.h"

static struct at_env env;
static PGconn *pg;

/* The caller's token, logged in on first use: a login costs a deliberately
 * slow password hash, so a test logs in only the callers it needs. */
static const char *token(enum at_who who)
{
  if (who != AT_NONE && !env.token[who])
    env.token[who] = at_login(&env, at_username(who), AT_PASSWORD);
  return env.token[who];
}

static void setup(void)
{
  at_setup(&env, NULL, 0);
  pg = ts_connect(env.ci);
  PQclear(ts_sql(pg,
                 "UPDATE libraries SET name = 'Fietsbieb Izegem', fee_cents = 2000,"
                 " social_fee_cents = 500, fee_per = 'slot', max_slots = 4"
                 " WHERE slug = 'fietsbieb'",
                 0, NULL));
  PQclear(ts_sql(pg,
                 "UPDATE libraries SET fee_cents = 3000, social_fee_cents = 500,"
                 " fee_per = 'household', max_slots = 5 WHERE slug = 'babytheek'",
                 0, NULL));
}

static void teardown(void)
{
  PQfinish(pg);
  at_teardown(&env);
}

TestSuite(households, .init = setup, .fini = teardown, .timeout = 120);

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

/* One request as `who`, with at most one extra header. */
static void req(enum at_who who, const char *method, const char *path, const char *body,
                const char *header, struct ts_http *h)
{
  const char *hl[] = {header, NULL};
  at_call(&env, method, path, token(who), body, header ? hl : NULL, h);
}

/* Asserts status and problem code ("" for a success) and releases h. */
static void expect(enum at_who who, const char *method, const char *path, const char *body,
                   const char *header, long status, const char *code)
{
  struct ts_http h;
  req(who, method, path, body, header, &h);
  cr_assert_eq(h.status, status, "%s %s: %ld %s", method, path, h.status, h.body);
  cr_assert_str_eq(at_code(&h), code, "%s %s: %s", method, path, h.body);
  ts_http_release(&h);
}

/* The pointer of the first field error, or "". */
static const char *pointer(const struct ts_http *h)
{
  cJSON *e = cJSON_GetArrayItem(cJSON_GetObjectItem(h->json, "errors"), 0);
  cJSON *p = cJSON_GetObjectItem(e, "pointer");
  return cJSON_IsString(p) ? p->valuestring : "";
}

static long long create(const char *body)
{
  struct ts_http h;
  req(AT_VOLUNTEER, "POST", "/v1/households", body, NULL, &h);
  cr_assert_eq(h.status, 201, "%s", h.body);
  long long n = (long long)at_num(h.json, "number");
  ts_http_release(&h);
  return n;
}

static long long peeters(void)
{
  return create("{\"name\":\"Gezin Peeters\",\"email\":\"an@example.be\",\"postcode\":\"8870\","
                "\"children\":[{\"first_name\":\"Lien\",\"birth_month\":\"2020-05\"},"
                "{\"birth_month\":\"2023-02\"}]}");
}

/* ---- households ---- */

Test(households, register_a_household_once_its_fields_are_right)
{
  struct ts_http h;
  req(AT_VOLUNTEER, "POST", "/v1/households", "{\"email\":\"x@y.be\"}", NULL, &h);
  cr_assert_eq(h.status, 422, "%s", h.body);
  cr_assert_str_eq(at_code(&h), "invalid_field");
  cr_assert_str_eq(pointer(&h), "/name");
  ts_http_release(&h);
  req(AT_VOLUNTEER, "POST", "/v1/households",
      "{\"name\":\"A\",\"children\":[{\"birth_month\":\"2026-13\"}]}", NULL, &h);
  cr_assert_eq(h.status, 422, "%s", h.body);
  cr_assert_str_eq(at_code(&h), "invalid_date");
  cr_assert_str_eq(pointer(&h), "/children/0/birth_month");
  ts_http_release(&h);
  req(AT_VOLUNTEER, "POST", "/v1/households", "{\"name\":\"A\",\"postcode\":\"88a0\"}", NULL,
      &h);
  cr_assert_eq(h.status, 422, "%s", h.body);
  cr_assert_str_eq(pointer(&h), "/postcode");
  ts_http_release(&h);
  expect(AT_VOLUNTEER, "POST", "/v1/households", "{\"name\":\"A\",\"income\":1200}", NULL, 400,
         "unknown_field");
  expect(AT_VOLUNTEER, "POST", "/v1/households", "{\"name\":\"A\",\"language\":\"xx\"}", NULL,
         422, "invalid_field");
  expect(AT_VOLUNTEER, "POST", "/v1/households", "{\"name\":\"A\",\"children\":[7]}", NULL, 422,
         "invalid_field");
  expect(AT_VOLUNTEER, "POST", "/v1/households", "{\"name\":", NULL, 400, "invalid_json");
  expect(AT_SOCIAL_WORKER, "POST", "/v1/households", "{\"name\":\"A\"}", NULL, 403, "forbidden");
  cr_assert_eq(q("SELECT count(*) FROM households"), 0);

  /* and now right */
  req(AT_VOLUNTEER, "POST", "/v1/households",
      "{\"name\":\"Gezin Peeters\",\"email\":\"an@example.be\",\"phone\":\"051 12 34 56\","
      "\"postcode\":\"8870\",\"language\":\"fr\","
      "\"children\":[{\"first_name\":\"Lien\",\"birth_month\":\"2020-05\"}]}",
      NULL, &h);
  cr_assert_eq(h.status, 201, "%s", h.body);
  long long n = (long long)at_num(h.json, "number");
  cr_assert_geq(n, 10001);
  cr_assert_str_eq(at_str(h.json, "name"), "Gezin Peeters");
  cr_assert_str_eq(at_str(h.json, "email"), "an@example.be");
  cr_assert_str_eq(at_str(h.json, "language"), "fr");
  cJSON *kid = cJSON_GetArrayItem(cJSON_GetObjectItem(h.json, "children"), 0);
  cr_assert_str_eq(at_str(kid, "first_name"), "Lien");
  cr_assert_str_eq(at_str(kid, "birth_month"), "2020-05");
  cJSON *red = cJSON_GetObjectItem(h.json, "reduction");
  cr_assert(cJSON_IsFalse(cJSON_GetObjectItem(red, "active")));
  cr_assert(cJSON_IsNull(cJSON_GetObjectItem(red, "valid_until")));
  char *etag = ts_header(&h, "ETag");
  cr_assert_str_eq(etag, "\"v1\"");
  free(etag);
  ts_http_release(&h);
  cr_assert_eq(q("SELECT count(*) FROM households WHERE number = %lld AND postcode = '8870'"
                 " AND phone = '051 12 34 56'", n), 1);
  cr_assert_eq(q("SELECT count(*) FROM children"), 1);
  cr_assert_eq(q("SELECT count(*) FROM audit WHERE action = 'create' AND entity = 'household'"),
               1);
}

Test(households, a_volunteer_sees_only_that_a_reduction_holds)
{
  long long n = peeters();
  PQclear(ts_sql(pg,
                 "INSERT INTO reductions (org_id, household_id, level, valid_from, valid_until,"
                 " reference, issued_by)"
                 " SELECT 1, h.id, 'full', current_date - 1, '2099-06-30', 'SH-2026-118', u.id"
                 " FROM households h, users u WHERE u.username = 'sw'",
                 0, NULL));
  char path[64];
  snprintf(path, sizeof path, "/v1/households/%lld", n);
  struct ts_http h;
  req(AT_VOLUNTEER, "GET", path, NULL, NULL, &h);
  cr_assert_eq(h.status, 200, "%s", h.body);
  cJSON *red = cJSON_GetObjectItem(h.json, "reduction");
  cr_assert_eq(cJSON_GetArraySize(red), 2, "%s", h.body);
  cr_assert(cJSON_IsTrue(cJSON_GetObjectItem(red, "active")));
  cr_assert_str_eq(at_str(red, "valid_until"), "2099-06-30");
  cr_assert_null(strstr(h.body, "SH-2026"));
  cr_assert_null(strstr(h.body, "full"));
  cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(h.json, "children")), 2);
  char *etag = ts_header(&h, "ETag");
  cr_assert_str_eq(etag, "\"v1\"");
  free(etag);
  ts_http_release(&h);
  /* reading a household is no read of the reduction's details */
  cr_assert_eq(q("SELECT count(*) FROM audit WHERE entity = 'reduction'"), 0);
}

/* Paths that name no household are not found; a social worker reaches
 * reductions and nothing else, so no household route either. */
Test(households, paths_and_callers_that_reach_no_household)
{
  long long n = peeters();
  char path[96];
  expect(AT_SOCIAL_WORKER, "GET", "/v1/households", NULL, NULL, 403, "forbidden");
  snprintf(path, sizeof path, "/v1/households/%lld", n);
  expect(AT_SOCIAL_WORKER, "GET", path, NULL, NULL, 403, "forbidden");
  expect(AT_SOCIAL_WORKER, "PATCH", path, "{\"name\":\"B\"}", "If-Match: \"v1\"", 403,
         "forbidden");
  snprintf(path, sizeof path, "/v1/households/%lld/ledger", n);
  expect(AT_SOCIAL_WORKER, "GET", path, NULL, NULL, 403, "forbidden");
  snprintf(path, sizeof path, "/v1/households/%lld/card.pdf", n);
  expect(AT_SOCIAL_WORKER, "GET", path, NULL, NULL, 403, "forbidden");
  expect(AT_NONE, "GET", "/v1/households", NULL, NULL, 401, "unauthenticated");
  const char *paths[] = {"/v1/households/999999", "/v1/households/abc", "/v1/households/0042",
                         "/v1/households/-1", "/v1/households/99999999999",
                         "/v1/households/999999/card.pdf", "/v1/households/x/ledger"};
  for (size_t i = 0; i < sizeof paths / sizeof *paths; i++)
    expect(AT_VOLUNTEER, "GET", paths[i], NULL, NULL, 404, "not_found");
  cr_assert_eq(q("SELECT version FROM households"), 1);
}

Test(households, find_by_name_email_number_and_postcode_a_page_at_a_time)
{
  long long a = peeters();
  long long b = create("{\"name\":\"Gezin Peeraer\",\"postcode\":\"8800\"}");
  long long c = create("{\"name\":\"Familie Janssens\",\"email\":\"j@example.be\","
                       "\"postcode\":\"8870\"}");
  struct {
    const char *query;
    int n;
    long long first;
  } cases[] = {
      {"?q=gezin%20pee", 2, a}, {"?q=gezin%20peet", 1, a},     {"?q=AN@example.be", 1, a},
      {"?q=Janss", 0, 0},       {"?name=janss", 1, c},    {"?email=j@example.be", 1, c},
      {"?postcode=8870", 2, a}, {"?postcode=8800", 1, b}, {"", 3, a},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    char path[128];
    snprintf(path, sizeof path, "/v1/households%s", cases[i].query);
    struct ts_http h;
    req(AT_VOLUNTEER, "GET", path, NULL, NULL, &h);
    cr_assert_eq(h.status, 200, "%s: %s", path, h.body);
    cJSON *items = cJSON_GetObjectItem(h.json, "items");
    cr_assert_eq(cJSON_GetArraySize(items), cases[i].n, "%s: %s", path, h.body);
    if (cases[i].n)
      cr_assert_eq((long long)at_num(cJSON_GetArrayItem(items, 0), "number"), cases[i].first);
    cr_assert(cJSON_IsNull(cJSON_GetObjectItem(h.json, "next_cursor")), "%s", path);
    ts_http_release(&h);
  }
  char path[160];
  snprintf(path, sizeof path, "/v1/households?number=%lld", b);
  struct ts_http h;
  req(AT_VOLUNTEER, "GET", path, NULL, NULL, &h);
  cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(h.json, "items")), 1);
  ts_http_release(&h);

  /* two pages of two and one */
  req(AT_VOLUNTEER, "GET", "/v1/households?limit=2", NULL, NULL, &h);
  cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(h.json, "items")), 2);
  snprintf(path, sizeof path, "/v1/households?limit=2&cursor=%s",
           at_str(h.json, "next_cursor"));
  ts_http_release(&h);
  req(AT_VOLUNTEER, "GET", path, NULL, NULL, &h);
  cr_assert_eq(h.status, 200, "%s", h.body);
  cJSON *items = cJSON_GetObjectItem(h.json, "items");
  cr_assert_eq(cJSON_GetArraySize(items), 1);
  cr_assert_eq((long long)at_num(cJSON_GetArrayItem(items, 0), "number"), c);
  cr_assert(cJSON_IsNull(cJSON_GetObjectItem(h.json, "next_cursor")));
  ts_http_release(&h);

  expect(AT_VOLUNTEER, "GET", "/v1/households?cursor=!!", NULL, NULL, 422, "invalid_field");
  expect(AT_VOLUNTEER, "GET", "/v1/households?number=abc", NULL, NULL, 422, "invalid_field");
  expect(AT_VOLUNTEER, "GET", "/v1/households?limit=0", NULL, NULL, 422, "invalid_field");
}

Test(households, a_change_needs_the_etag_it_read)
{
  long long n = peeters();
  long long other = create("{\"name\":\"Gezin Maes\",\"children\":[{\"birth_month\":"
                           "\"2021-01\"}]}");
  char path[64];
  snprintf(path, sizeof path, "/v1/households/%lld", n);
  const char *body = "{\"name\":\"Gezin Peeters-Claes\"}";
  expect(AT_VOLUNTEER, "PATCH", path, body, NULL, 428, "precondition_required");
  expect(AT_VOLUNTEER, "PATCH", path, body, "If-Match: \"v7\"", 412, "precondition_failed");
  expect(AT_VOLUNTEER, "PATCH", path, body, "If-Match: garbage", 412, "precondition_failed");
  /* versions start at 1: "v0" names none (it is not "*") */
  expect(AT_VOLUNTEER, "PATCH", path, body, "If-Match: \"v0\"", 412, "precondition_failed");
  cr_assert_eq(q("SELECT count(*) FROM households WHERE name = 'Gezin Peeters' AND version = 1"),
               1);

  long long lien = q("SELECT min(id) FROM children WHERE first_name = 'Lien'");
  long long maes_kid = q("SELECT id FROM children WHERE first_name IS NULL"
                         " AND birth_month = '2021-01-01'");
  char patch[400];
  snprintf(patch, sizeof patch,
           "{\"name\":\"Gezin Peeters-Claes\",\"email\":null,\"phone\":\"0470 11 22 33\","
           "\"add_children\":[{\"first_name\":\"Noor\",\"birth_month\":\"2026-08\"}],"
           "\"remove_children\":[%lld]}",
           lien);
  struct ts_http h;
  req(AT_VOLUNTEER, "PATCH", path, patch, "If-Match: \"v1\"", &h);
  cr_assert_eq(h.status, 200, "%s", h.body);
  cr_assert_str_eq(at_str(h.json, "name"), "Gezin Peeters-Claes");
  cr_assert(cJSON_IsNull(cJSON_GetObjectItem(h.json, "email")));
  cr_assert_str_eq(at_str(h.json, "postcode"), "8870");
  char *etag = ts_header(&h, "ETag");
  cr_assert_str_eq(etag, "\"v2\"");
  free(etag);
  ts_http_release(&h);
  cr_assert_eq(q("SELECT count(*) FROM households WHERE number = %lld AND email IS NULL"
                 " AND phone = '0470 11 22 33' AND version = 2", n), 1);
  cr_assert_eq(q("SELECT count(*) FROM children c JOIN households h ON h.id = c.household_id"
                 " WHERE h.number = %lld", n), 2);
  cr_assert_eq(q("SELECT count(*) FROM children WHERE first_name = 'Noor'"), 1);

  /* the old ETag no longer matches; "*" does */
  expect(AT_VOLUNTEER, "PATCH", path, "{\"postcode\":\"8800\"}", "If-Match: \"v1\"", 412,
         "precondition_failed");
  expect(AT_VOLUNTEER, "PATCH", path, "{\"postcode\":\"8800\"}", "If-Match: *", 200, "");
  /* another household's child, a field nobody knows, an empty change */
  snprintf(patch, sizeof patch, "{\"remove_children\":[%lld]}", maes_kid);
  expect(AT_VOLUNTEER, "PATCH", path, patch, "If-Match: *", 404, "not_found");
  expect(AT_VOLUNTEER, "PATCH", path, "{\"level\":\"full\"}", "If-Match: *", 400,
         "unknown_field");
  expect(AT_VOLUNTEER, "PATCH", path, "{}", "If-Match: *", 422, "invalid_field");
  expect(AT_VOLUNTEER, "PATCH", path, "{\"name\":null}", "If-Match: *", 422, "invalid_field");
  expect(AT_VOLUNTEER, "PATCH", "/v1/households/999999", "{\"postcode\":\"8800\"}",
         "If-Match: *", 404, "not_found");
  cr_assert_eq(q("SELECT version FROM households WHERE number = %lld", n), 3);
  cr_assert_eq(q("SELECT version FROM households WHERE number = %lld", other), 1);
}

Test(households, the_member_card_scans_to_the_member_number)
{
  long long n = peeters();
  const char *formats[] = {"", "?format=card", "?format=a4&library=fietsbieb"};
  for (size_t i = 0; i < 3; i++) {
    char path[96];
    snprintf(path, sizeof path, "/v1/households/%lld/card.pdf%s", n, formats[i]);
    struct ts_http h;
    req(AT_VOLUNTEER, "GET", path, NULL, NULL, &h);
    cr_assert_eq(h.status, 200, "%s: %s", path, h.body);
    char *ct = ts_header(&h, "Content-Type");
    cr_assert_str_eq(ct, "application/pdf");
    free(ct);
    cr_assert_eq(memcmp(h.body, "%PDF-", 5), 0);
    char *code = ts_qr_decode_data(h.body, h.len, "card.pdf");
    cr_assert(*code, "%s: zbarimg found nothing", path);
    code[strcspn(code, "\n")] = '\0';
    char want[24];
    snprintf(want, sizeof want, "%lld", n);
    cr_assert_str_eq(code, want);
    free(code);
    ts_http_release(&h);
  }
  char path[96];
  snprintf(path, sizeof path, "/v1/households/%lld/card.pdf?format=wallet", n);
  expect(AT_VOLUNTEER, "GET", path, NULL, NULL, 422, "invalid_field");
  snprintf(path, sizeof path, "/v1/households/%lld/card.pdf?library=nergens", n);
  expect(AT_ADMIN, "GET", path, NULL, NULL, 404, "not_found");
}

/* ---- memberships, ledger, payments ---- */

/* A social reduction for household n, issued by the social worker. */
static void reduce(long long n)
{
  char body[160];
  snprintf(body, sizeof body,
           "{\"household\":%lld,\"level\":\"social\",\"valid_until\":\"2099-12-31\"}", n);
  expect(AT_SOCIAL_WORKER, "POST", "/v1/reductions", body, NULL, 201, "");
}

Test(households, a_fietsbieb_membership_on_the_social_tariff_moves_money_once)
{
  long long n = peeters();
  reduce(n);
  char path[96];
  snprintf(path, sizeof path, "/v1/households/%lld/memberships", n);
  const char *body = "{\"library\":\"fietsbieb\",\"slots\":2,\"payment\":\"cash\"}";
  struct ts_http a, b;
  req(AT_VOLUNTEER, "POST", path, body, "Idempotency-Key: m-1", &a);
  cr_assert_eq(a.status, 201, "%s", a.body);
  cr_assert_str_eq(at_str(a.json, "library"), "fietsbieb");
  cr_assert_eq(at_num(a.json, "slots"), 2);
  cr_assert_eq(at_num(a.json, "fee_cents"), 4000);
  cr_assert_eq(at_num(a.json, "reduction_cents"), 3000);
  cr_assert_eq(at_num(a.json, "due_cents"), 1000);
  cr_assert_eq(at_num(a.json, "household"), (double)n);
  cr_assert(at_num(a.json, "id") > 0);
  req(AT_VOLUNTEER, "POST", path, body, "Idempotency-Key: m-1", &b);
  cr_assert_eq(b.status, 201, "%s", b.body);
  char *replayed = ts_header(&b, "Idempotent-Replayed");
  cr_assert_str_eq(replayed, "true");
  free(replayed);
  cr_assert_str_eq(a.body, b.body);
  ts_http_release(&a);
  ts_http_release(&b);
  expect(AT_VOLUNTEER, "POST", path, "{\"library\":\"fietsbieb\",\"slots\":1,\"payment\":\"cash\"}",
         "Idempotency-Key: m-1", 422, "idempotency_mismatch");

  cr_assert_eq(q("SELECT count(*) FROM memberships"), 1);
  struct ts_http list;
  req(AT_VOLUNTEER, "GET", path, NULL, NULL, &list);
  cr_assert_eq(list.status, 200, "%s", list.body);
  cJSON *items = cJSON_GetObjectItemCaseSensitive(list.json, "items");
  cr_assert_eq(cJSON_GetArraySize(items), 1, "%s", list.body);
  cr_assert_eq(at_num(cJSON_GetArrayItem(items, 0), "due_cents"), 1000);
  cr_assert_str_eq(at_str(cJSON_GetArrayItem(items, 0), "library"), "fietsbieb");
  ts_http_release(&list);
  cr_assert_eq(q("SELECT count(*) FROM ledger"), 6);
  cr_assert_eq(q("SELECT count(DISTINCT journal_id) FROM ledger"), 3);
  struct {
    const char *kind, *account;
    int amount;
  } lines[] = {
      {"membership_fee", "household", 4000}, {"membership_fee", "fee_income", -4000},
      {"fee_reduction", "fee_reduction", 3000}, {"fee_reduction", "household", -3000},
      {"payment", "cash", 1000}, {"payment", "household", -1000},
  };
  for (size_t i = 0; i < 6; i++)
    cr_assert_eq(q("SELECT count(*) FROM ledger WHERE kind = '%s' AND account = '%s'"
                   " AND amount_cents = %d AND membership_id IS NOT NULL",
                   lines[i].kind, lines[i].account, lines[i].amount),
                 1, "%s %s", lines[i].kind, lines[i].account);
}

Test(households, memberships_refused_change_nothing)
{
  long long n = peeters();
  char path[96], past[160];
  snprintf(path, sizeof path, "/v1/households/%lld/memberships", n);
  struct ts_http h;
  req(AT_VOLUNTEER, "POST", path, "{\"library\":\"fietsbieb\",\"slots\":1}", NULL, &h);
  cr_assert_eq(h.status, 422, "%s", h.body);
  cr_assert_str_eq(pointer(&h), "/payment");
  ts_http_release(&h);
  req(AT_VOLUNTEER, "POST", path, "{\"library\":\"fietsbieb\",\"slots\":5,\"payment\":\"cash\"}",
      NULL, &h);
  cr_assert_eq(h.status, 422, "%s", h.body);
  cr_assert_str_eq(pointer(&h), "/slots");
  ts_http_release(&h);
  expect(AT_VOLUNTEER, "POST", path, "{\"library\":\"nergens\",\"slots\":1,\"payment\":\"cash\"}",
         NULL, 404, "not_found");
  expect(AT_VOLUNTEER, "POST", path, "{\"library\":\"babytheek\",\"slots\":1,\"payment\":\"cash\"}",
         NULL, 403, "forbidden");
  expect(AT_VOLUNTEER, "POST", path, "{\"library\":\"fietsbieb\",\"slots\":1,\"payment\":\"gold\"}",
         NULL, 422, "invalid_field");
  expect(AT_VOLUNTEER, "POST", path,
         "{\"library\":\"fietsbieb\",\"slots\":1,\"payment\":\"cash\",\"valid_from\":"
         "\"2026-02-30\"}",
         NULL, 422, "invalid_date");
  expect(AT_VOLUNTEER, "POST", path,
         "{\"library\":\"fietsbieb\",\"slots\":1,\"payment\":\"cash\",\"valid_from\":"
         "\"2001-01-01\"}",
         NULL, 403, "forbidden");
  expect(AT_VOLUNTEER, "POST", "/v1/households/999999/memberships",
         "{\"library\":\"fietsbieb\",\"slots\":1,\"payment\":\"cash\"}", NULL, 404, "not_found");
  expect(AT_SOCIAL_WORKER, "POST", path,
         "{\"library\":\"fietsbieb\",\"slots\":1,\"payment\":\"cash\"}", NULL, 403, "forbidden");
  cr_assert_eq(q("SELECT count(*) FROM memberships"), 0);
  cr_assert_eq(q("SELECT count(*) FROM ledger"), 0);
  /* a coordinator may back-date; a period that overlaps is a conflict */
  snprintf(past, sizeof past,
           "{\"library\":\"fietsbieb\",\"slots\":1,\"payment\":\"cash\",\"valid_from\":\"%s\"}",
           "2001-01-01");
  expect(AT_COORDINATOR, "POST", path, past, NULL, 201, "");
  expect(AT_COORDINATOR, "POST", path, past, NULL, 409, "conflict");
  cr_assert_eq(q("SELECT count(*) FROM memberships"), 1);
}

Test(households, the_ledger_a_page_at_a_time)
{
  long long n = peeters();
  reduce(n);
  char path[128];
  snprintf(path, sizeof path, "/v1/households/%lld/memberships", n);
  expect(AT_VOLUNTEER, "POST", path, "{\"library\":\"fietsbieb\",\"slots\":2,\"payment\":\"cash\"}",
         NULL, 201, "");
  snprintf(path, sizeof path, "/v1/households/%lld/ledger", n);
  struct ts_http h;
  req(AT_VOLUNTEER, "GET", path, NULL, NULL, &h);
  cr_assert_eq(h.status, 200, "%s", h.body);
  cJSON *items = cJSON_GetObjectItem(h.json, "items");
  cr_assert_eq(cJSON_GetArraySize(items), 3, "%s", h.body);
  double sum = 0;
  cJSON *line;
  cJSON_ArrayForEach(line, items)
  {
    cr_assert_str_eq(at_str(line, "account"), "household");
    cr_assert_str_eq(at_str(line, "library"), "fietsbieb");
    sum += at_num(line, "amount_cents");
  }
  cr_assert_eq(sum, 0); /* 4000 - 3000 - 1000: nothing left to pay */
  cr_assert_str_eq(at_str(cJSON_GetArrayItem(items, 0), "kind"), "membership_fee");
  ts_http_release(&h);

  snprintf(path, sizeof path, "/v1/households/%lld/ledger?all=true&limit=4", n);
  req(AT_VOLUNTEER, "GET", path, NULL, NULL, &h);
  cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(h.json, "items")), 4);
  char next[160];
  snprintf(next, sizeof next, "/v1/households/%lld/ledger?all=true&limit=4&cursor=%s", n,
           at_str(h.json, "next_cursor"));
  ts_http_release(&h);
  req(AT_VOLUNTEER, "GET", next, NULL, NULL, &h);
  cr_assert_eq(h.status, 200, "%s", h.body);
  cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(h.json, "items")), 2);
  cr_assert(cJSON_IsNull(cJSON_GetObjectItem(h.json, "next_cursor")));
  ts_http_release(&h);

  snprintf(path, sizeof path, "/v1/households/%lld/ledger?all=maybe", n);
  expect(AT_VOLUNTEER, "GET", path, NULL, NULL, 422, "invalid_field");
  snprintf(path, sizeof path, "/v1/households/%lld/ledger?cursor=eHl6", n);
  expect(AT_VOLUNTEER, "GET", path, NULL, NULL, 422, "invalid_field");
  expect(AT_VOLUNTEER, "GET", "/v1/households/999999/ledger", NULL, NULL, 404, "not_found");
}

Test(households, payments_and_donations)
{
  long long n = peeters();
  char body[200];
  snprintf(body, sizeof body,
           "{\"household\":%lld,\"kind\":\"payment\",\"amount_cents\":500,\"method\":\"cash\"}",
           n);
  struct ts_http a, b;
  req(AT_VOLUNTEER, "POST", "/v1/payments", body, "Idempotency-Key: p-1", &a);
  cr_assert_eq(a.status, 201, "%s", a.body);
  cr_assert_eq(at_num(a.json, "amount_cents"), 500);
  cr_assert_eq(at_num(a.json, "balance_cents"), -500);
  cr_assert_str_eq(at_str(a.json, "method"), "cash");
  cr_assert(at_num(a.json, "journal_id") > 0);
  req(AT_VOLUNTEER, "POST", "/v1/payments", body, "Idempotency-Key: p-1", &b);
  cr_assert_eq(b.status, 201, "%s", b.body);
  cr_assert_str_eq(a.body, b.body);
  ts_http_release(&a);
  ts_http_release(&b);
  cr_assert_eq(q("SELECT count(*) FROM ledger WHERE kind = 'payment'"), 2);
  cr_assert_eq(q("SELECT count(*) FROM ledger WHERE account = 'cash' AND amount_cents = 500"), 1);

  snprintf(body, sizeof body,
           "{\"household\":%lld,\"kind\":\"donation\",\"amount_cents\":1000,"
           "\"method\":\"payconiq\",\"library\":\"fietsbieb\"}",
           n);
  expect(AT_VOLUNTEER, "POST", "/v1/payments", body, NULL, 201, "");
  cr_assert_eq(q("SELECT count(*) FROM ledger WHERE kind = 'donation' AND account = 'donations'"
                 " AND amount_cents = -1000 AND library_id IS NOT NULL"), 1);

  const char *amounts[] = {"12.5", "-500", "0", "\"500\"", "1e400", "9007199254740993"};
  for (size_t i = 0; i < sizeof amounts / sizeof *amounts; i++) {
    snprintf(body, sizeof body, "{\"household\":%lld,\"amount_cents\":%s}", n, amounts[i]);
    expect(AT_VOLUNTEER, "POST", "/v1/payments", body, NULL, 422, "invalid_amount");
  }
  snprintf(body, sizeof body, "{\"household\":%lld,\"amount_cents\":100,\"method\":\"waived\"}",
           n);
  expect(AT_VOLUNTEER, "POST", "/v1/payments", body, NULL, 403, "forbidden");
  snprintf(body, sizeof body, "{\"household\":%lld,\"amount_cents\":100,\"method\":\"gold\"}", n);
  expect(AT_VOLUNTEER, "POST", "/v1/payments", body, NULL, 422, "invalid_field");
  snprintf(body, sizeof body, "{\"household\":%lld,\"amount_cents\":100,\"library\":\"x\"}", n);
  expect(AT_VOLUNTEER, "POST", "/v1/payments", body, NULL, 404, "not_found");
  expect(AT_VOLUNTEER, "POST", "/v1/payments", "{\"household\":999999,\"amount_cents\":100}",
         NULL, 404, "not_found");
  expect(AT_SOCIAL_WORKER, "POST", "/v1/payments", body, NULL, 403, "forbidden");
  cr_assert_eq(q("SELECT count(*) FROM ledger"), 4);
}
