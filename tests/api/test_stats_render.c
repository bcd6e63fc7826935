/* The statistics renderers over a hand-built report: both CSV dialects
 * and both summaries byte for byte against tests/api/expected/, the JSON
 * by its values, the SVG as well-formed XML (a small checker here, and
 * xmllint when installed). LEEN_UPDATE_EXPECTED=1 rewrites the files. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "leen/stats.h"
#include "stats_render.h"
#include "tsupport.h"

#define NONE LEEN_STATS_NONE

static struct leen_stats_postcode pc_aug[] = {{"8870", 2}, {"", 1}};
static struct leen_stats_postcode pc_oct[] = {{"8870", 7}, {"8880", 1}, {"", 5}};
static struct leen_stats_postcode pc_nov[] = {{"8500", 12}, {"8870", 3}};

static struct leen_stats_month months[] = {
  {"2026-07", 0, 0, 1, 1, 1, 0, 0, 0, NONE, 8, 1, 12.5, 0, 0, 0, 2000, 0, 0, 2000, 0, NULL, 0},
  {"2026-08", 1, 1, 3, 1, 2, 0, 0, 4, 0.5, 8, 3, 37.5, 1, 1250, 1500, 3000, 0, 0, 5000, 1,
   pc_aug, 2},
  {"2026-09", 0, 0, 3, 1, 1, 1, 1, 5, 0.2, 0, 3, NONE, 2, 0, 0, 500, 0, 0, 5500, 2, NULL, 0},
  {"2026-10", 2, 0, 13, 2, 2, 3, 0, 4, 0.5, 8, 2, 25.0, 0, 4000, 0, 3000, 5500, 505, 2500, 1,
   pc_oct, 3},
  {"2026-11", 1, 0, 15, 1, 1, 0, 0, 4, 0.3, 8, 3, 37.5, 1, 4000, 0, 2000, 0, 0, 4500, 1,
   pc_nov, 2},
  {"2026-12", 1, 1, 3, 1, 0, 0, 0, 5, 0.0, 7, 3, 42.9, 2, 2000, 2000, 0, 0, 0, 4600, 1, NULL, 0},
};

static struct leen_stats_report report(void)
{
  struct leen_stats_report r = {.library = "fietsbieb", .library_name = "Fietsbieb <Izegem> & Co",
                                .from = "2026-07", .to = "2026-12", .months = months,
                                .nmonths = 6};
  r.targets = (struct leen_stats_targets){40, 25, 50, 2.5};
  leen_stats_summarize(&r, 5, 3);
  return r;
}

static void expect_file(const char *name, const char *got, size_t len)
{
  char path[512];
  snprintf(path, sizeof path, "%s/tests/api/expected/%s", LEEN_SOURCE_DIR, name);
  if (getenv("LEEN_UPDATE_EXPECTED")) {
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f, "cannot write %s", path);
    fwrite(got, 1, len, f);
    fclose(f);
  }
  size_t want_len = 0;
  char *want = ts_read_file(path, &want_len);
  cr_assert_not_null(want, "missing %s", path);
  size_t at = 0;
  while (at < len && at < want_len && got[at] == want[at])
    at++;
  cr_assert(at == len && at == want_len, "%s differs at byte %zu (got %zu bytes, want %zu):\n%s",
            name, at, len, want_len, got);
  free(want);
}

Test(stats_render, csv_machine)
{
  struct leen_stats_report r = report();
  size_t len;
  char *csv = api_stats_csv(&r, 1, API_CSV_MACHINE, &len);
  cr_assert_not_null(csv);
  cr_assert_eq(strlen(csv), len);
  cr_assert_null(strchr(csv, '\r'), "LF line ends");
  expect_file("stats_months.csv", csv, len);
  free(csv);
  csv = api_stats_summary_csv(&r, API_CSV_MACHINE, &len);
  expect_file("stats_summary.csv", csv, len);
  free(csv);
}

Test(stats_render, csv_excel)
{
  struct leen_stats_report r = report();
  size_t len;
  char *csv = api_stats_csv(&r, 1, API_CSV_EXCEL, &len);
  cr_assert_not_null(csv);
  cr_assert(len > 3 && memcmp(csv, "\xEF\xBB\xBF", 3) == 0, "starts with a BOM");
  for (size_t i = 0; i < len; i++)
    if (csv[i] == '\n')
      cr_assert(i > 0 && csv[i - 1] == '\r', "CRLF only, byte %zu", i);
  expect_file("stats_months_excel.csv", csv, len);
  free(csv);
  csv = api_stats_summary_csv(&r, API_CSV_EXCEL, &len);
  expect_file("stats_summary_excel.csv", csv, len);
  free(csv);
}

Test(stats_render, csv_quotes_and_several_libraries)
{
  struct leen_stats_report r[2] = {report(), report()};
  snprintf(r[1].library, sizeof r[1].library, "a,b\"c");
  r[1].nmonths = 1;
  char *csv = api_stats_csv(r, 2, API_CSV_MACHINE, NULL);
  cr_assert_not_null(csv);
  cr_assert_not_null(strstr(csv, "\nfietsbieb,2026-12,"));
  cr_assert_not_null(strstr(csv, "\n\"a,b\"\"c\",2026-07,0,0,1,"), "%s", csv);
  free(csv);
  csv = api_stats_csv(r, 2, API_CSV_EXCEL, NULL);
  cr_assert_not_null(strstr(csv, "\r\n\"a,b\"\"c\";2026-07;"), "%s", csv);
  free(csv);
}

static double num_at(const cJSON *o, const char *name)
{
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
  cr_assert(cJSON_IsNumber(v), "%s is not a number", name);
  return v->valuedouble;
}

Test(stats_render, json)
{
  struct leen_stats_report r = report();
  cJSON *o = api_stats_report_json(&r);
  cr_assert_not_null(o);
  char *text = cJSON_PrintUnformatted(o);
  cJSON_Delete(o);
  o = cJSON_Parse(text); /* what a client gets */
  free(text);
  cr_assert_str_eq(cJSON_GetObjectItem(o, "library")->valuestring, "fietsbieb");
  cr_assert_str_eq(cJSON_GetObjectItem(o, "from")->valuestring, "2026-07");
  const cJSON *t = cJSON_GetObjectItem(o, "targets");
  cr_assert_eq(num_at(t, "new_households_6m"), 40);
  cr_assert_eq(num_at(t, "loans_per_session"), 2.5);
  const cJSON *ms = cJSON_GetObjectItem(o, "months");
  cr_assert_eq(cJSON_GetArraySize(ms), 6);
  const cJSON *jul = cJSON_GetArrayItem(ms, 0), *oct = cJSON_GetArrayItem(ms, 3);
  cr_assert_str_eq(cJSON_GetObjectItem(jul, "month")->valuestring, "2026-07");
  cr_assert(cJSON_IsNull(cJSON_GetObjectItem(jul, "loans_per_session")));
  cr_assert_eq(num_at(jul, "utilisation_end"), 12.5);
  cr_assert_eq(num_at(oct, "loans_per_session"), 0.5);
  cr_assert_eq(num_at(oct, "deposits_withheld_cents"), 505);
  cr_assert_eq(num_at(oct, "active_households"), 13);
  cr_assert(cJSON_IsNull(cJSON_GetObjectItem(cJSON_GetArrayItem(ms, 2), "utilisation_end")));
  const cJSON *pcs = cJSON_GetObjectItem(oct, "postcodes");
  cr_assert_eq(cJSON_GetArraySize(pcs), 3);
  cr_assert_str_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(pcs, 0), "postcode")->valuestring, "8870");
  cr_assert_eq(num_at(cJSON_GetArrayItem(pcs, 0), "households"), 7);
  cr_assert_str_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(pcs, 1), "households")->valuestring,
                   "<5");
  cr_assert(cJSON_IsNull(cJSON_GetObjectItem(cJSON_GetArrayItem(pcs, 2), "postcode")));
  cr_assert_eq(num_at(cJSON_GetArrayItem(pcs, 2), "households"), 5);
  cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(jul, "postcodes")), 0);

  const cJSON *s = cJSON_GetObjectItem(o, "summary");
  cr_assert_eq(num_at(s, "new_households"), 5);
  cr_assert_eq(num_at(s, "reduced_share"), 40);
  cr_assert_eq(num_at(s, "loans_per_session"), 0.3);
  cr_assert_eq(num_at(s, "active_households"), 5);
  cr_assert_eq(num_at(cJSON_GetObjectItem(s, "averages"), "active_households"), 6.3);
  const cJSON *tg = cJSON_GetObjectItem(s, "targets");
  const cJSON *nh = cJSON_GetObjectItem(tg, "new_households");
  cr_assert_eq(num_at(nh, "target"), 40);
  cr_assert(cJSON_IsFalse(cJSON_GetObjectItem(nh, "met")));
  cr_assert_str_eq(cJSON_GetObjectItem(nh, "verdict")->valuestring, "not_met");
  const cJSON *share = cJSON_GetObjectItem(tg, "reduced_share");
  cr_assert_eq(num_at(share, "min"), 25);
  cr_assert_eq(num_at(share, "max"), 50);
  cr_assert(cJSON_IsTrue(cJSON_GetObjectItem(share, "met")));
  cJSON_Delete(o);

  struct leen_stats_report none = report();
  none.targets = (struct leen_stats_targets){NONE, NONE, NONE, NONE};
  leen_stats_summarize(&none, 0, 0);
  o = api_stats_org_json("2026-07", &none, 1);
  cr_assert_str_eq(cJSON_GetObjectItem(o, "month")->valuestring, "2026-07");
  const cJSON *lib = cJSON_GetArrayItem(cJSON_GetObjectItem(o, "libraries"), 0);
  cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(lib, "targets")), 0);
  const cJSON *lps = cJSON_GetObjectItem(
      cJSON_GetObjectItem(cJSON_GetObjectItem(lib, "summary"), "targets"), "loans_per_session");
  cr_assert(cJSON_IsNull(cJSON_GetObjectItem(lps, "met")));
  cr_assert(cJSON_IsNull(cJSON_GetObjectItem(lps, "target")));
  cJSON_Delete(o);
}

/* Well-formed XML, as far as this SVG can go wrong: one root, tags
 * nested and closed, attributes quoted, no raw '<' or stray '&'. */
static const char *xml_error(const char *s)
{
  char stack[64][32];
  int depth = 0, roots = 0;
  if (strncmp(s, "<?xml ", 6) == 0) {
    s = strstr(s, "?>");
    if (!s)
      return "unclosed declaration";
    s += 2;
  }
  while (*s) {
    if (*s == '&') {
      const char *ents[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&apos;"};
      size_t k = 0;
      while (k < 5 && strncmp(s, ents[k], strlen(ents[k])) != 0)
        k++;
      if (k == 5)
        return "stray &";
      s += strlen(ents[k]);
      continue;
    }
    if (*s != '<') {
      if (!depth && !isspace((unsigned char)*s))
        return "text outside the root";
      s++;
      continue;
    }
    int closing = s[1] == '/';
    s += closing ? 2 : 1;
    char name[32];
    size_t n = 0;
    while (isalnum((unsigned char)*s) || *s == '-' || *s == ':')
      if (n < sizeof name - 1)
        name[n++] = *s++;
      else
        return "name too long";
    name[n] = '\0';
    if (!n)
      return "tag without a name";
    if (closing) {
      if (*s++ != '>')
        return "bad end tag";
      if (!depth || strcmp(stack[depth - 1], name) != 0)
        return "end tag does not match";
      depth--;
      continue;
    }
    for (;;) {
      while (isspace((unsigned char)*s))
        s++;
      if (*s == '>' || (s[0] == '/' && s[1] == '>'))
        break;
      if (!isalpha((unsigned char)*s))
        return "bad attribute";
      while (isalnum((unsigned char)*s) || *s == '-' || *s == ':')
        s++;
      if (s[0] != '=' || s[1] != '"')
        return "attribute not quoted";
      s += 2;
      while (*s && *s != '"')
        if (*s++ == '<')
          return "'<' in an attribute";
      if (*s++ != '"')
        return "unterminated attribute";
    }
    if (!depth && roots++)
      return "two roots";
    if (*s == '/') {
      s += 2;
      continue;
    }
    s++;
    if (depth == 64)
      return "too deep";
    snprintf(stack[depth++], sizeof stack[0], "%s", name);
  }
  return depth ? "unclosed element" : roots == 1 ? NULL : "no root";
}

Test(stats_render, svg_is_xml_with_dutch_labels)
{
  struct leen_stats_report r = report();
  size_t len;
  char *svg = api_stats_svg(&r, &len);
  cr_assert_not_null(svg);
  cr_assert_eq(strlen(svg), len);
  const char *err = xml_error(svg);
  cr_assert_null(err, "%s\n%s", err, svg);
  static const char *const want[] = {
    "<svg xmlns=\"http://www.w3.org/2000/svg\"", "Fietsbieb &lt;Izegem&gt; &amp; Co",
    "jul 2026", "dec 2026", "aantal per maand", "(%)", "100 %", "Uitleningen per maand",
    "Nieuwe gezinnen per maand", "Doel: 2,5 uitleningen per openingsmoment",
    "Doel: 40 nieuwe gezinnen per 6 maanden (6,7 per maand)", "Doel: 25\xE2\x80\x93" "50 % met verminderd tarief",
    "stroke-dasharray", "<path class=\"share\"",
  };
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
    cr_assert_not_null(strstr(svg, want[i]), "missing %s", want[i]);
  /* share line: Aug 100 %, (Sep none: the line breaks), Oct 0 %, Nov 0 %, Dec 100 % */
  cr_assert_not_null(strstr(svg, "d=\" M 280.0 70.0 M 546.7 400.0 L 680.0 400.0 L 813.3 70.0\""),
                     "%s", svg);

  if (access("/usr/bin/xmllint", X_OK) == 0) {
    char path[] = "/tmp/leen-stats-svg-XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    cr_assert_eq(write(fd, svg, len), (ssize_t)len);
    close(fd);
    const char *argv[] = {"/usr/bin/xmllint", "--noout", path, NULL};
    struct ts_run run;
    ts_run(argv, NULL, &run);
    unlink(path);
    cr_assert_eq(run.exit_code, 0, "xmllint: %s", run.err);
    ts_run_release(&run);
  }
  free(svg);

  /* no months, no targets: still a document */
  struct leen_stats_report empty = {.library = "leeg", .from = "2026-01", .to = "2026-01"};
  empty.targets = (struct leen_stats_targets){NONE, NONE, NONE, NONE};
  svg = api_stats_svg(&empty, NULL);
  cr_assert_null(xml_error(svg));
  cr_assert_not_null(strstr(svg, "geen gegevens"));
  free(svg);
}
