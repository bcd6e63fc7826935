/* Reductions and vouchers over HTTP: only the social service (and admins)
 * reach them, every read is audited, a voucher letter scans to its code,
 * and a voucher is redeemed at the counter exactly once. */
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
  PQclear(ts_sql(pg, "UPDATE orgs SET name = 'Stad Izegem'", 0, NULL));
}

static void teardown(void)
{
  PQfinish(pg);
  at_teardown(&env);
}

TestSuite(reductions, .init = setup, .fini = teardown, .timeout = 120);

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

static void req(enum at_who who, const char *method, const char *path, const char *body,
                const char *header, struct ts_http *h)
{
  const char *hl[] = {header, NULL};
  at_call(&env, method, path, token(who), body, header ? hl : NULL, h);
}

/* Asserts status and problem code ("" for a success) and releases h. */
static void expect(enum at_who who, const char *method, const char *path, const char *body,
                   long status, const char *code)
{
  struct ts_http h;
  req(who, method, path, body, NULL, &h);
  cr_assert_eq(h.status, status, "%s %s: %ld %s", method, path, h.status, h.body);
  cr_assert_str_eq(at_code(&h), code, "%s %s: %s", method, path, h.body);
  ts_http_release(&h);
}

static const char *pointer(const struct ts_http *h)
{
  cJSON *e = cJSON_GetArrayItem(cJSON_GetObjectItem(h->json, "errors"), 0);
  cJSON *p = cJSON_GetObjectItem(e, "pointer");
  return cJSON_IsString(p) ? p->valuestring : "";
}

static long long household(const char *name)
{
  const char *p[] = {name};
  PGresult *r = ts_sql(pg, "INSERT INTO households (org_id, name) VALUES (1, $1) RETURNING number",
                       1, p);
  long long n = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
  PQclear(r);
  return n;
}

/* Issues a reduction (household > 0) or a voucher; returns its JSON. */
static cJSON *issue(long long household_number, const char *until)
{
  char body[200];
  if (household_number)
    snprintf(body, sizeof body,
             "{\"household\":%lld,\"level\":\"social\",\"valid_until\":\"%s\","
             "\"reference\":\"SH-2026-118\"}",
             household_number, until);
  else
    snprintf(body, sizeof body, "{\"level\":\"full\",\"valid_until\":\"%s\"}", until);
  struct ts_http h;
  req(AT_SOCIAL_WORKER, "POST", "/v1/reductions", body, NULL, &h);
  cr_assert_eq(h.status, 201, "%s", h.body);
  cJSON *out = cJSON_Duplicate(h.json, 1);
  ts_http_release(&h);
  return out;
}

static long long id_of(const cJSON *o)
{
  return (long long)cJSON_GetNumberValue(cJSON_GetObjectItem(o, "id"));
}

static long long reads(void)
{
  return q("SELECT count(*) FROM audit WHERE action = 'read' AND entity = 'reduction'");
}

Test(reductions, issue_to_a_household_or_as_a_voucher)
{
  long long n = household("Gezin Peeters");
  struct ts_http h, again;
  char body[200];
  snprintf(body, sizeof body,
           "{\"household\":%lld,\"level\":\"social\",\"valid_from\":\"2026-11-01\","
           "\"valid_until\":\"2027-06-30\",\"reference\":\"SH-2026-118\"}",
           n);
  req(AT_SOCIAL_WORKER, "POST", "/v1/reductions", body, "Idempotency-Key: r-1", &h);
  cr_assert_eq(h.status, 201, "%s", h.body);
  cr_assert_eq(cJSON_GetNumberValue(cJSON_GetObjectItem(h.json, "household")), (double)n);
  cr_assert(cJSON_IsNull(cJSON_GetObjectItem(h.json, "voucher_code")));
  cr_assert_str_eq(at_str(h.json, "level"), "social");
  cr_assert_str_eq(at_str(h.json, "valid_from"), "2026-11-01");
  cr_assert_str_eq(at_str(h.json, "valid_until"), "2027-06-30");
  cr_assert_str_eq(at_str(h.json, "reference"), "SH-2026-118");
  cr_assert(cJSON_IsNull(cJSON_GetObjectItem(h.json, "revoked_at")));
  req(AT_SOCIAL_WORKER, "POST", "/v1/reductions", body, "Idempotency-Key: r-1", &again);
  cr_assert_eq(again.status, 201);
  cr_assert_str_eq(h.body, again.body);
  ts_http_release(&h);
  ts_http_release(&again);
  cr_assert_eq(q("SELECT count(*) FROM reductions r JOIN households h ON h.id = r.household_id"
                 " WHERE h.number = %lld AND r.reference = 'SH-2026-118'", n), 1);
  cr_assert_eq(q("SELECT count(*) FROM audit WHERE action = 'issue' AND entity = 'reduction'"),
               1);

  /* no household: a voucher; "voucher": true says the same */
  const char *vouchers[] = {
      "{\"level\":\"full\",\"valid_until\":\"2027-06-30\"}",
      "{\"voucher\":true,\"level\":\"social\",\"valid_until\":\"2027-06-30\"}"};
  for (int i = 0; i < 2; i++) {
    req(AT_SOCIAL_WORKER, "POST", "/v1/reductions", vouchers[i], NULL, &h);
    cr_assert_eq(h.status, 201, "%s", h.body);
    cr_assert(cJSON_IsNull(cJSON_GetObjectItem(h.json, "household")));
    const char *code = at_str(h.json, "voucher_code");
    cr_assert_eq(strlen(code), 10);
    cr_assert_eq(strspn(code, "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"), 10);
    ts_http_release(&h);
  }
  /* admins reach the social service's routes too */
  expect(AT_ADMIN, "POST", "/v1/reductions", vouchers[0], 201, "");
  cr_assert_eq(q("SELECT count(*) FROM reductions WHERE household_id IS NULL"), 3);
}

Test(reductions, refused_issues_store_nothing)
{
  long long n = household("Gezin Peeters");
  char body[256];
  struct ts_http h;
  req(AT_SOCIAL_WORKER, "POST", "/v1/reductions", "{\"level\":\"social\"}", NULL, &h);
  cr_assert_eq(h.status, 422, "%s", h.body);
  cr_assert_str_eq(at_code(&h), "invalid_date");
  cr_assert_str_eq(pointer(&h), "/valid_until");
  ts_http_release(&h);
  req(AT_SOCIAL_WORKER, "POST", "/v1/reductions",
      "{\"level\":\"social\",\"valid_from\":\"2027-01-01\",\"valid_until\":\"2026-12-31\"}",
      NULL, &h);
  cr_assert_eq(h.status, 422, "%s", h.body);
  cr_assert_str_eq(at_code(&h), "invalid_date");
  cr_assert_str_eq(pointer(&h), "/valid_until");
  ts_http_release(&h);
  snprintf(body, sizeof body,
           "{\"household\":%lld,\"voucher\":true,\"level\":\"social\","
           "\"valid_until\":\"2027-06-30\"}",
           n);
  req(AT_SOCIAL_WORKER, "POST", "/v1/reductions", body, NULL, &h);
  cr_assert_eq(h.status, 422, "%s", h.body);
  cr_assert_str_eq(pointer(&h), "/voucher");
  ts_http_release(&h);
  expect(AT_SOCIAL_WORKER, "POST", "/v1/reductions",
         "{\"level\":\"half\",\"valid_until\":\"2027-06-30\"}", 422, "invalid_field");
  expect(AT_SOCIAL_WORKER, "POST", "/v1/reductions",
         "{\"level\":\"social\",\"valid_until\":\"2027-02-29\"}", 422, "invalid_date");
  expect(AT_SOCIAL_WORKER, "POST", "/v1/reductions",
         "{\"household\":999999,\"level\":\"social\",\"valid_until\":\"2027-06-30\"}", 404,
         "not_found");
  expect(AT_SOCIAL_WORKER, "POST", "/v1/reductions",
         "{\"level\":\"social\",\"valid_until\":\"2027-06-30\",\"reference\":"
         "\"1234567890123456789012345678901234567890123456789012345678901\"}",
         422, "invalid_field");
  /* a reduction never records why */
  expect(AT_SOCIAL_WORKER, "POST", "/v1/reductions",
         "{\"level\":\"social\",\"valid_until\":\"2027-06-30\",\"reason\":\"low income\"}", 400,
         "unknown_field");
  cr_assert_eq(q("SELECT count(*) FROM reductions"), 0);
  cr_assert_eq(q("SELECT count(*) FROM audit WHERE entity = 'reduction'"), 0);
}

Test(reductions, counter_staff_never_reach_reduction_details)
{
  long long n = household("Gezin Peeters");
  cJSON *red = issue(n, "2099-06-30");
  long long id = id_of(red);
  cJSON_Delete(red);
  long long before = reads();
  char one[64], pdf[80];
  snprintf(one, sizeof one, "/v1/reductions/%lld", id);
  snprintf(pdf, sizeof pdf, "/v1/reductions/%lld/voucher.pdf", id);
  enum at_who staff[] = {AT_VOLUNTEER, AT_COORDINATOR};
  for (int i = 0; i < 2; i++) {
    expect(staff[i], "GET", "/v1/reductions", NULL, 403, "forbidden");
    expect(staff[i], "GET", one, NULL, 403, "forbidden");
    expect(staff[i], "GET", pdf, NULL, 403, "forbidden");
    expect(staff[i], "DELETE", one, NULL, 403, "forbidden");
    expect(staff[i], "POST", "/v1/reductions",
           "{\"level\":\"full\",\"valid_until\":\"2099-06-30\"}", 403, "forbidden");
  }
  expect(AT_NONE, "GET", "/v1/reductions", NULL, 401, "unauthenticated");
  cr_assert_eq(reads(), before);
  cr_assert_eq(q("SELECT count(*) FROM reductions WHERE revoked_at IS NULL"), 1);
  cr_assert_eq(q("SELECT count(*) FROM reductions"), 1);
}

Test(reductions, every_read_is_audited)
{
  long long a = household("Gezin Peeters"), b = household("Gezin Maes");
  cJSON *ra = issue(a, "2099-06-30"), *rb = issue(b, "2099-06-30"), *rv = issue(0, "2099-06-30");
  long long ida = id_of(ra), idb = id_of(rb);
  cJSON_Delete(ra);
  cJSON_Delete(rb);
  cJSON_Delete(rv);
  long long before = reads();
  struct ts_http h;
  req(AT_SOCIAL_WORKER, "GET", "/v1/reductions", NULL, NULL, &h);
  cr_assert_eq(h.status, 200, "%s", h.body);
  cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(h.json, "items")), 3);
  ts_http_release(&h);
  cr_assert_eq(reads(), before + 3);

  char path[128];
  snprintf(path, sizeof path, "/v1/reductions?household=%lld", b);
  req(AT_SOCIAL_WORKER, "GET", path, NULL, NULL, &h);
  cJSON *items = cJSON_GetObjectItem(h.json, "items");
  cr_assert_eq(cJSON_GetArraySize(items), 1, "%s", h.body);
  cr_assert_eq(id_of(cJSON_GetArrayItem(items, 0)), idb);
  ts_http_release(&h);

  req(AT_SOCIAL_WORKER, "GET", "/v1/reductions?limit=2", NULL, NULL, &h);
  cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(h.json, "items")), 2);
  snprintf(path, sizeof path, "/v1/reductions?limit=2&cursor=%s", at_str(h.json, "next_cursor"));
  ts_http_release(&h);
  req(AT_SOCIAL_WORKER, "GET", path, NULL, NULL, &h);
  cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(h.json, "items")), 1, "%s", h.body);
  cr_assert(cJSON_IsNull(cJSON_GetObjectItem(h.json, "next_cursor")));
  ts_http_release(&h);

  snprintf(path, sizeof path, "/v1/reductions/%lld", ida);
  before = reads();
  req(AT_SOCIAL_WORKER, "GET", path, NULL, NULL, &h);
  cr_assert_eq(h.status, 200, "%s", h.body);
  cr_assert_str_eq(at_str(h.json, "reference"), "SH-2026-118");
  ts_http_release(&h);
  cr_assert_eq(reads(), before + 1);
  cr_assert_eq(q("SELECT count(*) FROM audit a JOIN users u ON u.id = a.user_id"
                 " WHERE a.action = 'read' AND a.entity_id = '%lld' AND u.username = 'sw'", ida),
               3);

  expect(AT_SOCIAL_WORKER, "GET", "/v1/reductions/999999", NULL, 404, "not_found");
  expect(AT_SOCIAL_WORKER, "GET", "/v1/reductions/abc", NULL, 404, "not_found");
  expect(AT_SOCIAL_WORKER, "GET", "/v1/reductions?household=999999", NULL, 404, "not_found");
  expect(AT_SOCIAL_WORKER, "GET", "/v1/reductions?household=x", NULL, 422, "invalid_field");
  expect(AT_SOCIAL_WORKER, "GET", "/v1/reductions?active=maybe", NULL, 422, "invalid_field");
}

Test(reductions, revoke_ends_a_reduction_once)
{
  long long n = household("Gezin Peeters");
  cJSON *red = issue(n, "2099-06-30");
  long long id = id_of(red);
  cJSON_Delete(red);
  char path[64], hh[64];
  snprintf(path, sizeof path, "/v1/reductions/%lld", id);
  snprintf(hh, sizeof hh, "/v1/households/%lld", n);
  struct ts_http h;
  req(AT_VOLUNTEER, "GET", hh, NULL, NULL, &h);
  cr_assert(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetObjectItem(h.json, "reduction"), "active")));
  ts_http_release(&h);

  req(AT_SOCIAL_WORKER, "DELETE", path, NULL, NULL, &h);
  cr_assert_eq(h.status, 204, "%s", h.body);
  cr_assert_eq(h.len, 0);
  ts_http_release(&h);
  cr_assert_eq(q("SELECT count(*) FROM reductions r JOIN users u ON u.id = r.revoked_by"
                 " WHERE r.id = %lld AND u.username = 'sw' AND r.revoked_at IS NOT NULL", id),
               1);
  cr_assert_eq(q("SELECT count(*) FROM audit WHERE action = 'revoke' AND entity_id = '%lld'", id),
               1);
  expect(AT_SOCIAL_WORKER, "DELETE", path, NULL, 409, "conflict");
  expect(AT_SOCIAL_WORKER, "DELETE", "/v1/reductions/999999", NULL, 404, "not_found");
  cr_assert_eq(q("SELECT count(*) FROM audit WHERE action = 'revoke'"), 1);

  req(AT_VOLUNTEER, "GET", hh, NULL, NULL, &h);
  cJSON *st = cJSON_GetObjectItem(h.json, "reduction");
  cr_assert(cJSON_IsFalse(cJSON_GetObjectItem(st, "active")), "%s", h.body);
  cr_assert(cJSON_IsNull(cJSON_GetObjectItem(st, "valid_until")));
  ts_http_release(&h);
}

Test(reductions, a_voucher_is_printed_scanned_and_redeemed_once)
{
  long long n = household("Gezin Peeters");
  cJSON *v = issue(0, "2099-06-30");
  long long id = id_of(v);
  char code[17];
  snprintf(code, sizeof code, "%s", at_str(v, "voucher_code"));
  cJSON_Delete(v);

  char pdf[80];
  snprintf(pdf, sizeof pdf, "/v1/reductions/%lld/voucher.pdf", id);
  struct ts_http h;
  req(AT_SOCIAL_WORKER, "GET", pdf, NULL, NULL, &h);
  cr_assert_eq(h.status, 200, "%s", h.body);
  char *ct = ts_header(&h, "Content-Type");
  cr_assert_str_eq(ct, "application/pdf");
  free(ct);
  char *scanned = ts_qr_decode_data(h.body, h.len, "voucher.pdf");
  cr_assert(*scanned, "zbarimg found nothing");
  scanned[strcspn(scanned, "\n")] = '\0';
  cr_assert_str_eq(scanned, code);
  free(scanned);
  ts_http_release(&h);

  /* at the counter the code is typed as it reads: lower case, with a dash */
  char path[80], body[80], typed[24];
  snprintf(typed, sizeof typed, "%.5s-%s", code, code + 5);
  for (char *c = typed; *c; c++)
    if (*c >= 'A' && *c <= 'Z')
      *c = (char)(*c - 'A' + 'a');
  snprintf(path, sizeof path, "/v1/households/%lld/vouchers", n);
  snprintf(body, sizeof body, "{\"code\":\"%s\"}", typed);
  struct ts_http again;
  req(AT_VOLUNTEER, "POST", path, body, "Idempotency-Key: v-1", &h);
  cr_assert_eq(h.status, 200, "%s", h.body);
  cJSON *st = cJSON_GetObjectItem(h.json, "reduction");
  cr_assert_eq(cJSON_GetArraySize(st), 2);
  cr_assert(cJSON_IsTrue(cJSON_GetObjectItem(st, "active")));
  cr_assert_str_eq(at_str(st, "valid_until"), "2099-06-30");
  cr_assert_null(strstr(h.body, "full"));
  req(AT_VOLUNTEER, "POST", path, body, "Idempotency-Key: v-1", &again);
  cr_assert_eq(again.status, 200);
  cr_assert_str_eq(h.body, again.body);
  ts_http_release(&h);
  ts_http_release(&again);
  cr_assert_eq(q("SELECT count(*) FROM reductions r JOIN households h ON h.id = r.household_id"
                 " WHERE r.id = %lld AND h.number = %lld AND r.redeemed_at IS NOT NULL", id, n),
               1);
  cr_assert_eq(q("SELECT count(*) FROM audit WHERE action = 'redeem'"), 1);

  /* a second time, for this or any household */
  long long other = household("Gezin Maes");
  req(AT_VOLUNTEER, "POST", path, body, NULL, &h);
  cr_assert_eq(h.status, 409, "%s", h.body);
  cr_assert_str_eq(at_code(&h), "conflict");
  cr_assert_str_eq(pointer(&h), "/code");
  ts_http_release(&h);
  snprintf(path, sizeof path, "/v1/households/%lld/vouchers", other);
  expect(AT_VOLUNTEER, "POST", path, body, 409, "conflict");
  cr_assert_eq(q("SELECT count(*) FROM audit WHERE action = 'redeem'"), 1);
  cr_assert_eq(q("SELECT count(*) FROM reductions WHERE household_id ="
                 " (SELECT id FROM households WHERE number = %lld)", other), 0);
  /* the letter of a used voucher is not printed again */
  expect(AT_SOCIAL_WORKER, "GET", pdf, NULL, 409, "conflict");
}

Test(reductions, vouchers_that_cannot_be_redeemed_or_printed)
{
  long long n = household("Gezin Peeters");
  cJSON *v = issue(0, "2099-06-30");
  long long id = id_of(v);
  char body[80], path[80];
  snprintf(body, sizeof body, "{\"code\":\"%s\"}", at_str(v, "voucher_code"));
  cJSON_Delete(v);
  snprintf(path, sizeof path, "/v1/households/%lld/vouchers", n);
  struct ts_http h;
  req(AT_VOLUNTEER, "POST", path, "{\"code\":\"ABCDEFGHJK\"}", NULL, &h);
  cr_assert_eq(h.status, 404, "%s", h.body);
  cr_assert_str_eq(pointer(&h), "/code");
  ts_http_release(&h);
  expect(AT_VOLUNTEER, "POST", path, "{\"code\":\"ab\"}", 422, "invalid_field");
  expect(AT_VOLUNTEER, "POST", path, "{\"code\":\"\"}", 422, "invalid_field");
  expect(AT_VOLUNTEER, "POST", path, "{}", 422, "invalid_field");
  expect(AT_VOLUNTEER, "POST", "/v1/households/999999/vouchers", body, 404, "not_found");
  expect(AT_SOCIAL_WORKER, "POST", path, body, 403, "forbidden");
  char one[64];
  snprintf(one, sizeof one, "/v1/reductions/%lld", id);
  expect(AT_SOCIAL_WORKER, "DELETE", one, NULL, 204, "");
  expect(AT_VOLUNTEER, "POST", path, body, 409, "conflict");
  char pdf[80];
  snprintf(pdf, sizeof pdf, "/v1/reductions/%lld/voucher.pdf", id);
  expect(AT_SOCIAL_WORKER, "GET", pdf, NULL, 409, "conflict");
  cr_assert_eq(q("SELECT count(*) FROM reductions WHERE household_id IS NOT NULL"), 0);
  cr_assert_eq(q("SELECT count(*) FROM audit WHERE action = 'redeem'"), 0);

  cJSON *red = issue(n, "2099-06-30");
  /* only vouchers have a letter */
  snprintf(pdf, sizeof pdf, "/v1/reductions/%lld/voucher.pdf", id_of(red));
  cJSON_Delete(red);
  expect(AT_SOCIAL_WORKER, "GET", pdf, NULL, 409, "conflict");
  expect(AT_SOCIAL_WORKER, "GET", "/v1/reductions/999999/voucher.pdf", NULL, 404, "not_found");
  expect(AT_SOCIAL_WORKER, "GET", "/v1/reductions/0/voucher.pdf", NULL, 404, "not_found");
}
