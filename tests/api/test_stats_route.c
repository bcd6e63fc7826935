/* GET /v1/stats/monthly over HTTP against a small dataset (fietsbieb,
 * 2026-01 .. 2026-03), worked out by hand:
 *   H501 (8870, social reduction all 2026): member 01-10, loan FB0001
 *        01-14 15:00 -> 02-11 15:00
 *   H502 (8870): member 01-20, loan FB0002 01-21 15:00 -> open
 *   H503 (no postcode): member 02-04, loan FB0003 02-04 15:00 -> open
 * Sessions every Wednesday: 4 in each month. So January: 2 new (1 on a
 * reduction), 2 loans, 0.5 per session; February: 1 new, 3 active, 1 loan,
 * 1 return, 0.3 per session; March: nothing new, 2 active, 0.0.
 * Every format is compared with what core and the renderers give for the
 * same report, so the route adds and loses nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "at.h"
#include "leen/stats.h"
#include "stats_render.h"

static struct at_env env;
static char *token_bt;   /* coordbt: coordinator of the babytheek only */

/* Logs in on first use: a login costs a password hash, and each test
 * starts afresh (its own database and server). */
static const char *tok(enum at_who w)
{
  if (!env.token[w])
    env.token[w] = at_login(&env, at_username(w), AT_PASSWORD);
  return env.token[w];
}

static const char dataset[] =
  "UPDATE libraries SET targets = '{\"new_households_6m\": 40, \"reduced_share_min\": 25,"
  "  \"reduced_share_max\": 50, \"loans_per_session\": 10}' WHERE slug = 'fietsbieb';\n"
  "INSERT INTO users (org_id, username, password_hash, role)"
  "  SELECT org_id, 'coordbt', password_hash, 'coordinator' FROM users WHERE username = 'coord';\n"
  "INSERT INTO user_libraries (user_id, library_id) SELECT u.id, l.id FROM users u, libraries l"
  "  WHERE u.username = 'coordbt' AND l.slug = 'babytheek';\n"
  "INSERT INTO orgs (id, slug, name) VALUES (2, 'elders', 'Elders');\n"
  "INSERT INTO libraries (org_id, slug, name, kind, code_prefix)"
  "  VALUES (2, 'elders', 'Fietsbieb Elders', 'fietsbieb', 'EF');\n"
  "INSERT INTO schedule_rules (library_id, freq, nth, weekday, starts_at, ends_at)"
  "  SELECT id, 'weekly', NULL, 3, '14:00', '17:00' FROM libraries WHERE slug = 'fietsbieb';\n"
  "INSERT INTO households (id, org_id, number, name, postcode) VALUES"
  "  (501, 1, 501, 'Gezin Een', '8870'), (502, 1, 502, 'Gezin Twee', '8870'),"
  "  (503, 1, 503, 'Gezin Drie', NULL);\n"
  "INSERT INTO reductions (org_id, household_id, level, valid_from, valid_until, issued_by)"
  "  SELECT 1, 501, 'social', '2026-01-01', '2026-12-31', id FROM users WHERE username = 'sw';\n"
  "INSERT INTO memberships (household_id, library_id, valid_from, valid_until, slots, fee_cents,"
  "                         reduction_cents)"
  "  SELECT h, l.id, f::date, (f::date + 364), 1, 2000, r FROM libraries l,"
  "    (VALUES (501, '2026-01-10', 1500), (502, '2026-01-20', 0), (503, '2026-02-04', 0))"
  "    AS m(h, f, r) WHERE l.slug = 'fietsbieb';\n"
  "INSERT INTO categories (id, library_id, name, deposit_cents, loan_days)"
  "  SELECT 701, id, 'Fiets 16 inch', 2000, 365 FROM libraries WHERE slug = 'fietsbieb';\n"
  "INSERT INTO items (id, library_id, category_id, number, code, name, status, created_at,"
  "                   status_changed_at)"
  "  SELECT i, l.id, 701, n, c, 'Fiets ' || n, s, '2025-12-01 10:00+01', '2026-02-11 15:00+01'"
  "  FROM libraries l, (VALUES (801, 1, 'FB0001', 'available'), (802, 2, 'FB0002', 'on_loan'),"
  "    (803, 3, 'FB0003', 'on_loan')) AS x(i, n, c, s) WHERE l.slug = 'fietsbieb';\n"
  "INSERT INTO loans (id, item_id, household_id, library_id, started_at, due_on, deposit_cents,"
  "                   returned_at, return_condition, refund_cents, withheld_cents)"
  "  SELECT x.id, x.item, x.hh, l.id, x.s::timestamptz, x.due::date, 2000, x.ret::timestamptz,"
  "         x.cond, x.refund, x.wh"
  "  FROM libraries l, (VALUES"
  "    (901, 801, 501, '2026-01-14 15:00+01', '2027-01-13', '2026-02-11 15:00+01', 'ok', 2000, 0),"
  "    (902, 802, 502, '2026-01-21 15:00+01', '2027-01-20', NULL, NULL, NULL, NULL),"
  "    (903, 803, 503, '2026-02-04 15:00+01', '2027-02-03', NULL, NULL, NULL, NULL))"
  "    AS x(id, item, hh, s, due, ret, cond, refund, wh) WHERE l.slug = 'fietsbieb';\n"
  "INSERT INTO ledger (journal_id, kind, account, amount_cents, household_id, library_id,"
  "                    created_at)"
  "  SELECT j, k, a, amt, hh, l.id, t::timestamptz FROM libraries l, (VALUES"
  "    (9001, 'membership_fee', 'household', 2000, 501, '2026-01-10 15:00+01'),"
  "    (9001, 'membership_fee', 'fee_income', -2000, 501, '2026-01-10 15:00+01'),"
  "    (9001, 'fee_reduction', 'fee_reduction', 1500, 501, '2026-01-10 15:00+01'),"
  "    (9001, 'fee_reduction', 'household', -1500, 501, '2026-01-10 15:00+01'),"
  "    (9002, 'membership_fee', 'household', 2000, 502, '2026-01-20 15:00+01'),"
  "    (9002, 'membership_fee', 'fee_income', -2000, 502, '2026-01-20 15:00+01'),"
  "    (9003, 'membership_fee', 'household', 2000, 503, '2026-02-04 15:00+01'),"
  "    (9003, 'membership_fee', 'fee_income', -2000, 503, '2026-02-04 15:00+01'),"
  "    (9004, 'deposit_taken', 'cash', 2000, 501, '2026-01-14 15:00+01'),"
  "    (9004, 'deposit_taken', 'deposits_held', -2000, 501, '2026-01-14 15:00+01'),"
  "    (9005, 'deposit_taken', 'cash', 2000, 502, '2026-01-21 15:00+01'),"
  "    (9005, 'deposit_taken', 'deposits_held', -2000, 502, '2026-01-21 15:00+01'),"
  "    (9006, 'deposit_taken', 'cash', 2000, 503, '2026-02-04 15:00+01'),"
  "    (9006, 'deposit_taken', 'deposits_held', -2000, 503, '2026-02-04 15:00+01'),"
  "    (9007, 'deposit_refunded', 'deposits_held', 2000, 501, '2026-02-11 15:00+01'),"
  "    (9007, 'deposit_refunded', 'cash', -2000, 501, '2026-02-11 15:00+01'))"
  "    AS x(j, k, a, amt, hh, t) WHERE l.slug = 'fietsbieb';\n";

static void setup(void)
{
  at_setup(&env, NULL, 0);
  PGconn *c = ts_connect(env.ci);
  PGresult *r = PQexec(c, dataset);
  cr_assert_eq(PQresultStatus(r), PGRES_COMMAND_OK, "%s", PQresultErrorMessage(r));
  PQclear(r);
  PQfinish(c);
}

static void teardown(void)
{
  free(token_bt);
  at_teardown(&env);
}

TestSuite(stats_route, .init = setup, .fini = teardown, .timeout = 120);

/* The report as core computes it, read as the admin. */
static void core_report(const char *from, const char *to, struct leen_stats_report *rep)
{
  struct leen_db *db;
  struct leen_err err;
  cr_assert_eq(leen_db_open(&db, env.ci, &err), 0, "%s", err.message);
  PGconn *c = ts_connect(env.ci);
  struct leen_actor admin = {.org_id = 1, .role = LEEN_ROLE_ADMIN};
  admin.user_id = ts_sql_int(c, "SELECT id FROM users WHERE username = 'admin'");
  PQfinish(c);
  cr_assert_eq(leen_stats_library(db, &admin, "fietsbieb", from, to, rep, &err), 0, "%s",
               err.message);
  leen_db_close(db);
}

static void get(const char *path, const char *token, struct ts_http *h)
{
  at_call(&env, "GET", path, token, NULL, NULL, h);
}

static void assert_header(const struct ts_http *h, const char *name, const char *want)
{
  char *v = ts_header(h, name);
  cr_assert_not_null(v, "no %s header", name);
  cr_assert_str_eq(v, want);
  free(v);
}

/* A 4xx problem with this code that names this query parameter. */
static void assert_problem(const char *path, const char *token, long status, const char *code,
                           const char *parameter)
{
  struct ts_http h;
  get(path, token, &h);
  cr_assert_eq(h.status, status, "%s: %ld %s", path, h.status, h.body);
  cr_assert_str_eq(at_code(&h), code, "%s: %s", path, h.body);
  char *ct = ts_header(&h, "Content-Type");
  cr_assert(ct && strncmp(ct, "application/problem+json", 24) == 0, "%s: %s", path, ct);
  free(ct);
  if (parameter) {
    const cJSON *e = cJSON_GetArrayItem(cJSON_GetObjectItem(h.json, "errors"), 0);
    const cJSON *p = cJSON_GetObjectItem(e, "parameter");
    cr_assert(cJSON_IsString(p), "%s: no parameter in %s", path, h.body);
    cr_assert_str_eq(p->valuestring, parameter, "%s: %s", path, h.body);
  }
  ts_http_release(&h);
}

Test(stats_route, json_is_cores_report)
{
  struct ts_http h;
  get("/v1/stats/monthly?library=fietsbieb&from=2026-01&to=2026-03", tok(AT_COORDINATOR),
      &h);
  cr_assert_eq(h.status, 200, "%s", h.body);
  assert_header(&h, "Content-Type", "application/json");
  /* by hand */
  cr_assert_str_eq(cJSON_GetObjectItem(h.json, "library")->valuestring, "fietsbieb");
  const cJSON *ms = cJSON_GetObjectItem(h.json, "months");
  cr_assert_eq(cJSON_GetArraySize(ms), 3);
  const cJSON *jan = cJSON_GetArrayItem(ms, 0), *feb = cJSON_GetArrayItem(ms, 1),
              *mar = cJSON_GetArrayItem(ms, 2);
  cr_assert_str_eq(cJSON_GetObjectItem(jan, "month")->valuestring, "2026-01");
  cr_assert_eq(at_num(jan, "new_households"), 2);
  cr_assert_eq(at_num(jan, "new_households_reduced"), 1);
  cr_assert_eq(at_num(jan, "loans_started"), 2);
  cr_assert_eq(at_num(jan, "opening_sessions"), 4);
  cr_assert_eq(at_num(jan, "loans_per_session"), 0.5);
  cr_assert_eq(at_num(jan, "fees_charged_cents"), 4000);
  cr_assert_eq(at_num(jan, "fees_reduced_cents"), 1500);
  cr_assert_eq(at_num(feb, "active_households"), 3);
  cr_assert_eq(at_num(feb, "returns"), 1);
  cr_assert_eq(at_num(feb, "loans_per_session"), 0.3);
  cr_assert_eq(at_num(feb, "deposits_held_end_cents"), 4000);
  cr_assert_eq(at_num(mar, "new_households"), 0);
  cr_assert_eq(at_num(mar, "active_households"), 2);
  cr_assert_eq(at_num(mar, "loans_per_session"), 0.0);
  cr_assert_eq(at_num(mar, "utilisation_end"), 66.7);
  const cJSON *t = cJSON_GetObjectItem(h.json, "targets");
  cr_assert_eq(at_num(t, "loans_per_session"), 10);
  cr_assert(cJSON_IsObject(cJSON_GetObjectItem(h.json, "summary")));
  /* every field equal to core's figures, through the renderer */
  struct leen_stats_report rep;
  core_report("2026-01", "2026-03", &rep);
  cJSON *want = api_stats_report_json(&rep);
  char *text = cJSON_PrintUnformatted(want);
  cJSON_Delete(want);
  want = cJSON_Parse(text);
  free(text);
  cr_assert(cJSON_Compare(h.json, want, 1), "got %s", h.body);
  cJSON_Delete(want);
  leen_stats_report_release(&rep);
  ts_http_release(&h);

  /* the period summary alone */
  get("/v1/stats/monthly?library=fietsbieb&from=2026-01&to=2026-03&summary=true",
      tok(AT_COORDINATOR), &h);
  cr_assert_eq(h.status, 200, "%s", h.body);
  cr_assert_null(cJSON_GetObjectItem(h.json, "months"));
  const cJSON *s = cJSON_GetObjectItem(h.json, "summary");
  cr_assert(cJSON_IsObject(s), "%s", h.body);
  cr_assert_eq(at_num(s, "new_households"), 3);
  cr_assert_eq(at_num(s, "loans_started"), 3);
  cr_assert_eq(at_num(s, "opening_sessions"), 12);
  ts_http_release(&h);
}

/* The body of a CSV reply equals the renderer's text for core's report. */
static void check_csv(const char *query, int summary, enum api_csv_dialect d,
                      const char *disposition, const char *head, const char *row)
{
  char path[256];
  snprintf(path, sizeof path, "/v1/stats/monthly?library=fietsbieb&from=2026-01&to=2026-03%s",
           query);
  struct ts_http h;
  get(path, tok(AT_COORDINATOR), &h);
  cr_assert_eq(h.status, 200, "%s: %s", path, h.body);
  assert_header(&h, "Content-Type", "text/csv; charset=utf-8");
  assert_header(&h, "Content-Disposition", disposition);
  struct leen_stats_report rep;
  core_report("2026-01", "2026-03", &rep);
  size_t len = 0;
  char *want = summary ? api_stats_summary_csv(&rep, d, &len) : api_stats_csv(&rep, 1, d, &len);
  cr_assert_eq(h.len, len, "%s: %zu bytes, want %zu", path, h.len, len);
  cr_assert(memcmp(h.body, want, len) == 0, "%s:\n%s", path, h.body);
  free(want);
  leen_stats_report_release(&rep);
  if (d == API_CSV_EXCEL) {
    cr_assert(h.len > 3 && memcmp(h.body, "\xEF\xBB\xBF", 3) == 0, "a BOM first");
    for (size_t i = 0; i < h.len; i++)
      if (h.body[i] == '\n')
        cr_assert(i > 0 && h.body[i - 1] == '\r', "CRLF only (byte %zu)", i);
  } else {
    cr_assert_neq((unsigned char)h.body[0], 0xEF, "no BOM");
    cr_assert_null(strchr(h.body, '\r'), "LF line ends");
  }
  cr_assert(strncmp(h.body, head, strlen(head)) == 0, "%s: starts with %s", path, h.body);
  cr_assert(!row || strstr(h.body, row), "%s: has the row %s in\n%s", path, row, h.body);
  ts_http_release(&h);
}

Test(stats_route, csv_both_dialects_and_summaries)
{
  check_csv("&format=csv", 0, API_CSV_MACHINE,
            "attachment; filename=\"leen-fietsbieb-2026-01-2026-03.csv\"",
            "library,month,new_households,new_households_reduced,",
            "\nfietsbieb,2026-02,1,0,3,1,1,1,0,4,0.3,");
  check_csv("&format=csv-excel", 0, API_CSV_EXCEL,
            "attachment; filename=\"leen-fietsbieb-2026-01-2026-03-excel.csv\"",
            "\xEF\xBB\xBFuitleendienst;maand;nieuwe gezinnen;",
            "\r\nfietsbieb;2026-02;1;0;3;1;1;1;0;4;0,3;");
  check_csv("&format=csv&summary=true", 1, API_CSV_MACHINE,
            "attachment; filename=\"leen-fietsbieb-2026-01-2026-03-samenvatting.csv\"",
            "indicator,value,target_min,target_max,verdict\n", NULL);
  check_csv("&format=csv-excel&summary=1", 1, API_CSV_EXCEL,
            "attachment; filename=\"leen-fietsbieb-2026-01-2026-03-samenvatting-excel.csv\"",
            "\xEF\xBB\xBFindicator;waarde;", NULL);
}

Test(stats_route, svg_parses)
{
  cr_assert_eq(access("/usr/bin/xmllint", X_OK), 0, "xmllint (libxml2-utils) is needed");
  struct ts_http h;
  get("/v1/stats/monthly?library=fietsbieb&from=2026-01&to=2026-03&format=svg",
      tok(AT_COORDINATOR), &h);
  cr_assert_eq(h.status, 200, "%s", h.body);
  assert_header(&h, "Content-Type", "image/svg+xml");
  assert_header(&h, "Content-Disposition",
                "inline; filename=\"leen-fietsbieb-2026-01-2026-03.svg\"");
  struct leen_stats_report rep;
  core_report("2026-01", "2026-03", &rep);
  size_t len = 0;
  char *want = api_stats_svg(&rep, &len);
  cr_assert(h.len == len && memcmp(h.body, want, len) == 0, "the renderer's chart");
  free(want);
  leen_stats_report_release(&rep);
  char path[] = "/tmp/leen-stats-route-XXXXXX";
  int fd = mkstemp(path);
  cr_assert_geq(fd, 0);
  cr_assert_eq(write(fd, h.body, h.len), (ssize_t)h.len);
  close(fd);
  const char *argv[] = {"/usr/bin/xmllint", "--noout", path, NULL};
  struct ts_run run;
  ts_run(argv, NULL, &run);
  unlink(path);
  cr_assert_eq(run.exit_code, 0, "xmllint: %s", run.err);
  ts_run_release(&run);
  ts_http_release(&h);
}

static int library_count(const struct ts_http *h)
{
  return cJSON_GetArraySize(cJSON_GetObjectItem(h->json, "libraries"));
}

Test(stats_route, every_library_for_one_month)
{
  struct ts_http h;
  /* the admin: both libraries of org 1, not the other org's */
  get("/v1/stats/monthly?month=2026-02", tok(AT_ADMIN), &h);
  cr_assert_eq(h.status, 200, "%s", h.body);
  cr_assert_str_eq(cJSON_GetObjectItem(h.json, "month")->valuestring, "2026-02");
  cr_assert_eq(library_count(&h), 2, "%s", h.body);
  ts_http_release(&h);
  /* a coordinator: their own library only; from == to is the same */
  get("/v1/stats/monthly?from=2026-02&to=2026-02", tok(AT_COORDINATOR), &h);
  cr_assert_eq(h.status, 200, "%s", h.body);
  cr_assert_eq(library_count(&h), 1, "%s", h.body);
  const cJSON *lib = cJSON_GetArrayItem(cJSON_GetObjectItem(h.json, "libraries"), 0);
  cr_assert_str_eq(cJSON_GetObjectItem(lib, "library")->valuestring, "fietsbieb");
  const cJSON *feb = cJSON_GetArrayItem(cJSON_GetObjectItem(lib, "months"), 0);
  cr_assert_eq(at_num(feb, "loans_started"), 1);
  ts_http_release(&h);
  /* as CSV: one row per library */
  get("/v1/stats/monthly?month=2026-02&format=csv", tok(AT_ADMIN), &h);
  cr_assert_eq(h.status, 200, "%s", h.body);
  assert_header(&h, "Content-Disposition", "attachment; filename=\"leen-alle-2026-02.csv\"");
  cr_assert_not_null(strstr(h.body, "\nbabytheek,2026-02,"), "%s", h.body);
  cr_assert_not_null(strstr(h.body, "\nfietsbieb,2026-02,1,0,3,"), "%s", h.body);
  ts_http_release(&h);
  get("/v1/stats/monthly?month=2026-02&format=csv-excel", tok(AT_COORDINATOR), &h);
  cr_assert_eq(h.status, 200, "%s", h.body);
  cr_assert(memcmp(h.body, "\xEF\xBB\xBF", 3) == 0);
  cr_assert_null(strstr(h.body, "babytheek"), "%s", h.body);
  ts_http_release(&h);
}

Test(stats_route, roles)
{
  const char *path = "/v1/stats/monthly?library=fietsbieb&from=2026-01&to=2026-03";
  assert_problem(path, NULL, 401, "unauthenticated", NULL);
  assert_problem(path, tok(AT_VOLUNTEER), 403, "forbidden", NULL);
  assert_problem(path, tok(AT_SOCIAL_WORKER), 403, "forbidden", NULL);
  /* a coordinator of another library of the org: 403; of another org: 404 */
  token_bt = at_login(&env, "coordbt", AT_PASSWORD);
  assert_problem(path, token_bt, 403, "forbidden", NULL);
  assert_problem("/v1/stats/monthly?library=elders&from=2026-01&to=2026-03",
                 tok(AT_ADMIN), 404, "not_found", "library");
  assert_problem("/v1/stats/monthly?library=nergens&from=2026-01&to=2026-03",
                 tok(AT_COORDINATOR), 404, "not_found", "library");
  assert_problem("/v1/stats/monthly?month=2026-01", tok(AT_VOLUNTEER), 403, "forbidden",
                 NULL);
  /* the babytheek's coordinator reads their own library */
  struct ts_http h;
  get("/v1/stats/monthly?library=babytheek&month=2026-01", token_bt, &h);
  cr_assert_eq(h.status, 200, "%s", h.body);
  ts_http_release(&h);
}

Test(stats_route, bad_parameters)
{
  static const struct {
    const char *query;
    const char *code;
    const char *parameter;
  } cases[] = {
    {"library=fietsbieb&from=2026-01&to=2026-03&format=xlsx", "invalid_field", "format"},
    {"library=fietsbieb&from=2026-01&to=2026-03&format=", "invalid_field", "format"},
    {"library=fietsbieb&from=2026-13&to=2026-03", "invalid_date", "from"},
    {"library=fietsbieb&from=2026-1&to=2026-03", "invalid_date", "from"},
    {"library=fietsbieb&from=2026-01&to=26-03", "invalid_date", "to"},
    {"library=fietsbieb&month=2026-00", "invalid_date", "month"},
    {"library=fietsbieb&from=2026-03&to=2026-01", "invalid_field", "to"},
    {"library=fietsbieb&from=2016-01&to=2026-03", "invalid_field", "to"},
    {"library=fietsbieb&to=2026-03", "invalid_field", "from"},
    {"library=fietsbieb&from=2026-03", "invalid_field", "to"},
    {"library=fietsbieb&month=2026-01&from=2026-01", "invalid_field", "month"},
    {"library=&from=2026-01&to=2026-03", "invalid_field", "library"},
    {"library=fietsbieb&from=2026-01&to=2026-03&summary=misschien", "invalid_field", "summary"},
    {"library=fietsbieb&from=2026-01&to=2026-03&format=svg&summary=true", "invalid_field",
     "summary"},
    {"from=2026-01&to=2026-03", "invalid_field", "to"},
    {"month=2026-01&format=svg", "invalid_field", "format"},
    {"month=2026-01&summary=true", "invalid_field", "summary"},
    {"", "invalid_field", "from"},
  };
  const char *coord = tok(AT_COORDINATOR); /* its login is audited: before counting */
  PGconn *c = ts_connect(env.ci);
  long long audit = ts_sql_int(c, "SELECT count(*) FROM audit");
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char path[256];
    snprintf(path, sizeof path, "/v1/stats/monthly?%s", cases[i].query);
    assert_problem(path, coord, 422, cases[i].code, cases[i].parameter);
  }
  /* reading statistics changes nothing */
  cr_assert_eq(ts_sql_int(c, "SELECT count(*) FROM audit"), audit);
  PQfinish(c);
}
