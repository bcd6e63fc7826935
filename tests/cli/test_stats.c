/* leen stats monthly: a table for people, the API's JSON, and its CSV,
 * Excel CSV and SVG byte for byte, to standard output or a file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ct.h"

static struct ct_env e;
static char month[8], dir[64];

static void run_ok(enum ct_who who, const char *const *args)
{
  struct ts_run r;
  ct_leenv(&e, who, NULL, args, &r);
  cr_assert_eq(r.exit_code, 0, "%s: %s", args[0], r.err);
  ts_run_release(&r);
}

/* This month in the Fietsbieb: two new households (one on a reduction),
 * two loans, one return; targets 40 new in 6 months, 25-50 % reduced,
 * 10 loans per session. */
static void setup(void)
{
  ct_setup(&e);
  PGconn *c = ts_connect(e.ci);
  PQclear(ts_sql(c,
                 "UPDATE libraries SET targets = '{\"new_households_6m\": 40,"
                 " \"reduced_share_min\": 25, \"reduced_share_max\": 50,"
                 " \"loans_per_session\": 10}' WHERE slug = 'fietsbieb'",
                 0, NULL));
  char *m = ts_sql_value(c, "SELECT to_char(now() AT TIME ZONE 'Europe/Brussels', 'YYYY-MM')");
  snprintf(month, sizeof month, "%s", m);
  free(m);
  PQfinish(c);
  char a[24], b[24], fb1[16], fb2[16];
  snprintf(a, sizeof a, "%lld", (long long)ct_household(&e, "Gezin Peeters"));
  snprintf(b, sizeof b, "%lld", (long long)ct_household(&e, "Gezin Janssens"));
  ct_item(&e, "fietsbieb", e.cat_bike, "Btwin 16 rood", fb1);
  ct_item(&e, "fietsbieb", e.cat_bike, "Btwin 16 blauw", fb2);
  run_ok(CT_SOCIAL_WORKER,
         (const char *const[]){"reduction", "issue", a, "--until", "2030-06-30", NULL});
  run_ok(CT_VOLUNTEER, (const char *const[]){"membership", "start", a, "--library", "fietsbieb",
                                             "--payment", "contant", NULL});
  run_ok(CT_VOLUNTEER, (const char *const[]){"membership", "start", b, "--library", "fietsbieb",
                                             "--payment", "contant", NULL});
  run_ok(CT_VOLUNTEER, (const char *const[]){"checkout", fb1, a, NULL});
  run_ok(CT_VOLUNTEER, (const char *const[]){"checkout", fb2, b, NULL});
  run_ok(CT_VOLUNTEER, (const char *const[]){"return", fb2, NULL});
  ts_tmpdir(dir, sizeof dir, "cli-stats");
}

static void teardown(void)
{
  ts_tmpdir_remove(dir);
  ct_teardown(&e);
}

TestSuite(cli_stats, .init = setup, .fini = teardown, .timeout = 180);

/* What the API answers the coordinator for the query (after "?"). */
static void api_get(const char *query, struct ts_http *h)
{
  char url[256], auth[160];
  snprintf(url, sizeof url, "%s/v1/stats/monthly?%s", e.api.url, query);
  snprintf(auth, sizeof auth, "Authorization: Bearer %s", e.token[CT_COORDINATOR]);
  const char *headers[] = {auth, NULL};
  cr_assert_eq(ts_request("GET", url, NULL, headers, h), 0);
  cr_assert_eq(h->status, 200, "%s: %s", query, h->body);
}

/* The line of out that starts with prefix (copied into line), or fails. */
static void line_of(const char *out, const char *prefix, char *line, size_t size)
{
  for (const char *p = out; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
    if (strncmp(p, prefix, strlen(prefix)) == 0) {
      snprintf(line, size, "%.*s", (int)strcspn(p, "\n"), p);
      return;
    }
  }
  cr_assert_fail("no line starts with [%s] in:\n%s", prefix, out);
}

Test(cli_stats, table_for_people)
{
  CT_NEED_ROUTE(&e, "GET", "/v1/stats/monthly");
  struct ts_run r;
  ct_leen(&e, CT_COORDINATOR, &r, "stats", "monthly", "--library", "fietsbieb", "--from", month,
          "--to", month);
  cr_assert_eq(r.exit_code, 0, "%s", r.err);
  char line[512], want[256];
  snprintf(want, sizeof want, "Fietsbieb (fietsbieb): %s tot en met %s", month, month);
  line_of(r.out, want, line, sizeof line);
  line_of(r.out, "Maand", line, sizeof line);
  cr_assert(strstr(line, "Nieuw") && strstr(line, "Uitleningen") && strstr(line, "Te laat"),
            "%s", line);
  /* month, new, of them reduced, active, of them reduced, loans, returns, swaps */
  line_of(r.out, month, line, sizeof line);
  char m[8];
  int v[7];
  cr_assert_eq(sscanf(line, "%7s %d %d %d %d %d %d %d", m, &v[0], &v[1], &v[2], &v[3], &v[4],
                      &v[5], &v[6]),
               8, "%s", line);
  int expect[7] = {2, 1, 2, 1, 2, 1, 0};
  for (int i = 0; i < 7; i++)
    cr_assert_eq(v[i], expect[i], "column %d of [%s]", i + 1, line);
  snprintf(want, sizeof want, "Samenvatting %s tot en met %s", month, month);
  line_of(r.out, want, line, sizeof line);
  line_of(r.out, "  Nieuwe gezinnen:", line, sizeof line);
  cr_assert(strstr(line, "2, waarvan 1 met verminderd tarief (50,0 %)"), "%s", line);
  line_of(r.out, "Doelen", line, sizeof line);
  const char *targets = strstr(r.out, "\nDoelen\n");
  cr_assert(targets);
  line_of(targets + 8, "  Nieuwe gezinnen:", line, sizeof line);
  cr_assert(strstr(line, "2, doel 6,7 in deze periode: niet gehaald"), "%s", line);
  line_of(targets + 8, "  Aandeel met verminderd tarief:", line, sizeof line);
  cr_assert(strstr(line, "50,0 %, doel 25 tot 50 %: gehaald"), "%s", line);
  line_of(targets + 8, "  Uitleningen per openingsmoment:", line, sizeof line);
  cr_assert(strstr(line, ", doel 10: niet gehaald"), "%s", line);
  cr_assert_str_eq(r.err, "");
  ts_run_release(&r);
}

Test(cli_stats, json_is_the_apis)
{
  CT_NEED_ROUTE(&e, "GET", "/v1/stats/monthly");
  struct ts_run r;
  ct_leen(&e, CT_COORDINATOR, &r, "stats", "monthly", "--json", "--library", "fietsbieb",
          "--from", month, "--to", month);
  cr_assert_eq(r.exit_code, 0, "%s", r.err);
  cJSON *j = ct_json(&r);
  cr_assert_str_eq(cJSON_GetObjectItem(j, "library")->valuestring, "fietsbieb");
  cJSON *months = cJSON_GetObjectItem(j, "months");
  cr_assert_eq(cJSON_GetArraySize(months), 1);
  cJSON *m0 = cJSON_GetArrayItem(months, 0);
  cr_assert_eq(cJSON_GetObjectItem(m0, "loans_started")->valueint, 2);
  cr_assert_eq(cJSON_GetObjectItem(m0, "new_households_reduced")->valueint, 1);
  cr_assert(cJSON_IsObject(cJSON_GetObjectItem(j, "summary")));
  cJSON_Delete(j);
  ts_run_release(&r);
}

/* --csv and --excel (with and without --summary) print exactly the API's
 * bytes, and write them to -o FILE. */
Test(cli_stats, csv_and_excel_byte_for_byte)
{
  CT_NEED_ROUTE(&e, "GET", "/v1/stats/monthly");
  static const struct {
    const char *flag, *format;
    int summary;
  } cases[] = {
    {"--csv", "csv", 0}, {"--excel", "csv-excel", 0}, {"--csv", "csv", 1},
    {"--excel", "csv-excel", 1},
  };
  char file[128], query[256], msg[256];
  snprintf(file, sizeof file, "%s/stats.csv", dir);
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    struct ts_http h;
    snprintf(query, sizeof query, "library=fietsbieb&from=%s&to=%s&format=%s%s", month, month,
             cases[i].format, cases[i].summary ? "&summary=true" : "");
    api_get(query, &h);
    cr_assert_gt(h.len, 20);
    if (strcmp(cases[i].format, "csv-excel") == 0)
      cr_assert(memcmp(h.body, "\xEF\xBB\xBF", 3) == 0 && strstr(h.body, "\r\n"));
    const char *argv[] = {"stats", "monthly", cases[i].flag, "--library", "fietsbieb", "--from",
                          month, "--to", month, cases[i].summary ? "--summary" : NULL, NULL};
    struct ts_run r;
    ct_leenv(&e, CT_COORDINATOR, NULL, argv, &r);
    cr_assert_eq(r.exit_code, 0, "%s", r.err);
    cr_assert_eq(strlen(r.out), h.len, "case %zu", i);
    cr_assert(memcmp(r.out, h.body, h.len) == 0, "case %zu:\n%s\n---\n%s", i, r.out, h.body);
    ts_run_release(&r);

    const char *argv_o[] = {"stats", "monthly", cases[i].flag, "--library", "fietsbieb",
                            "--from", month, "--to", month, "-o", file,
                            cases[i].summary ? "--summary" : NULL, NULL};
    ct_leenv(&e, CT_COORDINATOR, NULL, argv_o, &r);
    cr_assert_eq(r.exit_code, 0, "%s", r.err);
    cr_assert_str_eq(r.out, "");
    snprintf(msg, sizeof msg, "Statistieken geschreven naar %s.\n", file);
    cr_assert_str_eq(r.err, msg);
    ts_run_release(&r);
    size_t len = 0;
    char *data = ts_read_file(file, &len);
    cr_assert(data);
    cr_assert_eq(len, h.len);
    cr_assert(memcmp(data, h.body, len) == 0, "case %zu", i);
    free(data);
    unlink(file);
    ts_http_release(&h);
  }
}

Test(cli_stats, svg_parses_as_xml)
{
  CT_NEED_ROUTE(&e, "GET", "/v1/stats/monthly");
  char file[128], query[256];
  snprintf(file, sizeof file, "%s/grafiek.svg", dir);
  struct ts_run r;
  ct_leen(&e, CT_COORDINATOR, &r, "stats", "monthly", "--svg", "--library", "fietsbieb", "--from",
          month, "--to", month, "-o", file);
  cr_assert_eq(r.exit_code, 0, "%s", r.err);
  ts_run_release(&r);
  const char *lint[] = {"/usr/bin/xmllint", "--noout", file, NULL};
  ts_run(lint, NULL, &r);
  cr_assert_eq(r.exit_code, 0, "xmllint: %s", r.err);
  ts_run_release(&r);
  struct ts_http h;
  snprintf(query, sizeof query, "library=fietsbieb&from=%s&to=%s&format=svg", month, month);
  api_get(query, &h);
  size_t len = 0;
  char *data = ts_read_file(file, &len);
  cr_assert(data && len == h.len && memcmp(data, h.body, len) == 0);
  cr_assert(strstr(data, "<svg"));
  free(data);
  ts_http_release(&h);
  unlink(file);
}

/* Mistakes in the arguments are refused before a request; what the server
 * refuses gets its sentence and exit code. */
Test(cli_stats, refusals)
{
  CT_NEED_ROUTE(&e, "GET", "/v1/stats/monthly");
  static const struct {
    enum ct_who who;
    const char *args[10];
    int exit_code;
    const char *sentence;
  } cases[] = {
    {CT_COORDINATOR, {"--library", "fietsbieb", "--from", "2026-13", "--to", "2026-12"}, 2,
     "--from: \"2026-13\" is geen maand"},
    {CT_COORDINATOR, {"--library", "fietsbieb", "--from", "2026-01", "--to", "2026-1"}, 2,
     "--to: \"2026-1\" is geen maand"},
    {CT_COORDINATOR, {"--library", "fietsbieb", "--from", "2026-06", "--to", "2026-01"}, 2,
     "ligt voor --from"},
    {CT_COORDINATOR, {"--from", "2026-01", "--to", "2026-06"}, 2, "geef de bibliotheek"},
    {CT_COORDINATOR, {"--library", "fietsbieb", "--from", "2026-01", "--to", "2026-06", "--csv",
                      "--svg"},
     2, "kies één van"},
    {CT_COORDINATOR, {"--library", "fietsbieb", "--from", "2016-01", "--to", "2026-06"}, 2,
     "Een gegeven is niet geldig."},
    {CT_COORDINATOR, {"--library", "nergens", "--from", "2026-01", "--to", "2026-06"}, 3,
     "Niet gevonden."},
    {CT_VOLUNTEER, {"--library", "fietsbieb", "--from", "2026-01", "--to", "2026-06"}, 5,
     "Dat mag je niet doen"},
    {CT_NONE, {"--library", "fietsbieb", "--from", "2026-01", "--to", "2026-06"}, 5,
     "Je bent niet aangemeld."},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    const char *argv[16] = {"stats", "monthly"};
    int n = 2;
    for (int k = 0; cases[i].args[k]; k++)
      argv[n++] = cases[i].args[k];
    argv[n] = NULL;
    struct ts_run r;
    ct_leenv(&e, cases[i].who, NULL, argv, &r);
    cr_assert_eq(r.exit_code, cases[i].exit_code, "case %zu: %d %s", i, r.exit_code, r.err);
    cr_assert(strstr(r.err, cases[i].sentence), "case %zu: %s", i, r.err);
    cr_assert_str_eq(r.out, "", "case %zu", i);
    ts_run_release(&r);
  }
}
