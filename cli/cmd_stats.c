/* leen stats monthly: the city's evaluation figures of one library. People
 * get a table of the months with the period summary and the targets below
 * it; --json, --csv, --excel and --svg give what the API gives. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* ---- formatting ---- */

enum { WHOLE, TENTHS, TARGET };

/* A figure of obj as people read it: WHOLE "12", TENTHS "11,3" (one
 * decimal, a decimal comma), TARGET "10" or "6,7"; "-" when the API could
 * not compute it (null). */
static void figure(const cJSON *obj, const char *field, int kind, char *out, size_t size)
{
  const cJSON *v = cli_json_path(obj, field);
  if (!cJSON_IsNumber(v)) {
    snprintf(out, size, "-");
    return;
  }
  /* the API rounds already; this only drops the binary fraction's noise */
  double x = v->valuedouble * (kind == WHOLE ? 1.0 : 10.0);
  long long t = (long long)(x < 0 ? x - 0.5 : x + 0.5);
  if (kind == WHOLE || (kind == TARGET && t % 10 == 0))
    snprintf(out, size, "%lld", kind == WHOLE ? t : t / 10);
  else
    snprintf(out, size, "%s%lld,%lld", t < 0 ? "-" : "", llabs(t) / 10, llabs(t) % 10);
}

static void money(const cJSON *obj, const char *field, char *out, size_t size)
{
  char m[32];
  snprintf(out, size, "€ %s", cli_amount_format(cli_json_int(obj, field), 0, m));
}

/* ---- the months as a table ---- */

static const struct {
  const char *field;
  const char *header;  /* Dutch msgid */
  int kind;
  const char *suffix;
} month_figures[] = {
  {"new_households", N_("Nieuw"), WHOLE, ""},
  {"new_households_reduced", N_("w.v. verl."), WHOLE, ""},
  {"active_households", N_("Actief"), WHOLE, ""},
  {"active_households_reduced", N_("w.v. verl."), WHOLE, ""},
  {"loans_started", N_("Uitleningen"), WHOLE, ""},
  {"returns", N_("Terug"), WHOLE, ""},
  {"swaps", N_("Wissels"), WHOLE, ""},
  {"opening_sessions", N_("Open"), WHOLE, ""},
  {"loans_per_session", N_("Per keer"), TENTHS, ""},
  {"utilisation_end", N_("Bezetting"), TENTHS, " %"},
  {"overdue_end", N_("Te laat"), WHOLE, ""},
};
#define NFIGURES (sizeof month_figures / sizeof month_figures[0])

static void print_months(const struct cli_opts *o, const cJSON *months)
{
  /* rows of text for the shared table printer: it aligns, bolds the header
   * on a terminal and says so when there is nothing */
  struct cli_col cols[NFIGURES + 2];
  cols[0] = (struct cli_col){"month", N_("Maand"), CLI_F_TEXT};
  for (size_t i = 0; i < NFIGURES; i++)
    cols[i + 1] = (struct cli_col){month_figures[i].field, month_figures[i].header, CLI_F_TEXT};
  cols[NFIGURES + 1] = (struct cli_col){NULL, NULL, CLI_F_TEXT};
  cJSON *rows = cJSON_CreateArray();
  const cJSON *m;
  cJSON_ArrayForEach(m, months)
  {
    cJSON *row = cJSON_CreateObject();
    cJSON_AddStringToObject(row, "month", cli_json_str(m, "month"));
    for (size_t i = 0; i < NFIGURES; i++) {
      char v[48], cell[64];
      figure(m, month_figures[i].field, month_figures[i].kind, v, sizeof v);
      snprintf(cell, sizeof cell, "%s%s", v, strcmp(v, "-") != 0 ? month_figures[i].suffix : "");
      cJSON_AddStringToObject(row, month_figures[i].field, cell);
    }
    cJSON_AddItemToArray(rows, row);
  }
  cli_print_list(o, rows, cols);
  cJSON_Delete(rows);
  printf("%s\n", _("w.v. verl.: waarvan met verminderd tarief; Open: openingsmomenten; Per keer: "
                   "uitleningen per openingsmoment;"));
  printf("%s\n", _("Bezetting en Te laat: op het einde van de maand."));
}

/* ---- the summary and the targets ---- */

struct kv {
  const char *label;  /* translated */
  char value[256];
};

static void print_kvs(const struct cli_opts *o, const char *title, const struct kv *kv, size_t n)
{
  size_t w = 0;
  for (size_t i = 0; i < n; i++)
    if (cli_chars(kv[i].label) > w)
      w = cli_chars(kv[i].label);
  printf("\n%s%s%s\n", cli_color(o->color, "1"), title, cli_color(o->color, "0"));
  for (size_t i = 0; i < n; i++)
    printf("  %s:%*s %s\n", kv[i].label, (int)(w - cli_chars(kv[i].label)), "", kv[i].value);
}

static void print_summary(const struct cli_opts *o, const cJSON *s)
{
  struct kv kv[8];
  size_t n = 0;
  char a[48], b[48], c[48], d[48];
  figure(s, "new_households", WHOLE, a, sizeof a);
  figure(s, "new_households_reduced", WHOLE, b, sizeof b);
  figure(s, "reduced_share", TENTHS, c, sizeof c);
  kv[n].label = _("Nieuwe gezinnen");
  snprintf(kv[n++].value, sizeof kv[0].value, _("%s, waarvan %s met verminderd tarief (%s %%)"), a,
           b, c);
  figure(s, "active_households", WHOLE, a, sizeof a);
  figure(s, "active_households_reduced", WHOLE, b, sizeof b);
  kv[n].label = _("Actieve gezinnen");
  snprintf(kv[n++].value, sizeof kv[0].value,
           _("%s verschillende, waarvan %s met verminderd tarief"), a, b);
  figure(s, "loans_started", WHOLE, a, sizeof a);
  figure(s, "returns", WHOLE, b, sizeof b);
  figure(s, "swaps", WHOLE, c, sizeof c);
  kv[n].label = _("Uitleningen");
  snprintf(kv[n++].value, sizeof kv[0].value, _("%s (teruggebracht %s, wissels %s)"), a, b, c);
  figure(s, "opening_sessions", WHOLE, a, sizeof a);
  figure(s, "loans_per_session", TENTHS, b, sizeof b);
  kv[n].label = _("Openingsmomenten");
  snprintf(kv[n++].value, sizeof kv[0].value, _("%s, gemiddeld %s uitleningen per keer"), a, b);
  money(s, "fees_charged_cents", a, sizeof a);
  money(s, "fees_reduced_cents", b, sizeof b);
  kv[n].label = _("Lidgeld aangerekend");
  snprintf(kv[n++].value, sizeof kv[0].value, _("%s, waarvan %s korting"), a, b);
  money(s, "deposits_taken_cents", a, sizeof a);
  money(s, "deposits_refunded_cents", b, sizeof b);
  money(s, "deposits_withheld_cents", c, sizeof c);
  money(s, "deposits_held_end_cents", d, sizeof d);
  kv[n].label = _("Waarborg");
  snprintf(kv[n++].value, sizeof kv[0].value,
           _("ontvangen %s, terugbetaald %s, ingehouden %s; in bewaring op het einde %s"), a, b, c,
           d);
  const cJSON *avg = cJSON_GetObjectItemCaseSensitive(s, "averages");
  figure(avg, "new_households", TENTHS, a, sizeof a);
  figure(avg, "active_households", TENTHS, b, sizeof b);
  figure(avg, "loans_started", TENTHS, c, sizeof c);
  kv[n].label = _("Gemiddeld per maand");
  snprintf(kv[n++].value, sizeof kv[0].value,
           _("%s nieuwe gezinnen, %s actieve gezinnen, %s uitleningen"), a, b, c);
  char title[160];
  snprintf(title, sizeof title, _("Samenvatting %s tot en met %s"), cli_json_str(s, "from"),
           cli_json_str(s, "to"));
  print_kvs(o, title, kv, n);
}

static const char *verdict(const struct cli_opts *o, const cJSON *check, char *out, size_t size)
{
  const char *v = cli_json_str(check, "verdict");
  if (strcmp(v, "met") == 0)
    snprintf(out, size, "%s%s%s", cli_color(o->color, "32"), _("gehaald"), cli_color(o->color, "0"));
  else if (strcmp(v, "not_met") == 0)
    snprintf(out, size, "%s%s%s", cli_color(o->color, "31"), _("niet gehaald"),
             cli_color(o->color, "0"));
  else if (strcmp(v, "no_target") == 0)
    snprintf(out, size, "%s", _("geen doel gesteld"));
  else
    snprintf(out, size, "%s", _("geen gegevens om te beoordelen"));
  return out;
}

static void print_targets(const struct cli_opts *o, const cJSON *targets)
{
  struct kv kv[3];
  char actual[48], t1[48], t2[48], verdict_text[64], goal[128];
  const cJSON *c = cJSON_GetObjectItemCaseSensitive(targets, "new_households");
  figure(c, "actual", WHOLE, actual, sizeof actual);
  figure(c, "target", TARGET, t1, sizeof t1);
  kv[0].label = _("Nieuwe gezinnen");
  snprintf(kv[0].value, sizeof kv[0].value, _("%s, doel %s in deze periode: %s"), actual, t1,
           verdict(o, c, verdict_text, sizeof verdict_text));

  c = cJSON_GetObjectItemCaseSensitive(targets, "reduced_share");
  figure(c, "actual", TENTHS, actual, sizeof actual);
  figure(c, "min", TARGET, t1, sizeof t1);
  figure(c, "max", TARGET, t2, sizeof t2);
  if (strcmp(t1, "-") != 0 && strcmp(t2, "-") != 0)
    snprintf(goal, sizeof goal, _("doel %s tot %s %%"), t1, t2);
  else if (strcmp(t1, "-") != 0)
    snprintf(goal, sizeof goal, _("doel minstens %s %%"), t1);
  else if (strcmp(t2, "-") != 0)
    snprintf(goal, sizeof goal, _("doel hoogstens %s %%"), t2);
  else
    snprintf(goal, sizeof goal, "%s", _("geen doel"));
  kv[1].label = _("Aandeel met verminderd tarief");
  snprintf(kv[1].value, sizeof kv[1].value, "%s %%, %s: %s", actual, goal,
           verdict(o, c, verdict_text, sizeof verdict_text));

  c = cJSON_GetObjectItemCaseSensitive(targets, "loans_per_session");
  figure(c, "actual", TENTHS, actual, sizeof actual);
  figure(c, "target", TARGET, t1, sizeof t1);
  kv[2].label = _("Uitleningen per openingsmoment");
  snprintf(kv[2].value, sizeof kv[2].value, _("%s, doel %s: %s"), actual, t1,
           verdict(o, c, verdict_text, sizeof verdict_text));
  print_kvs(o, _("Doelen"), kv, 3);
}

static void print_report(const struct cli_opts *o, const cJSON *rep)
{
  printf(_("%s (%s): %s tot en met %s"), cli_json_str(rep, "name"), cli_json_str(rep, "library"),
         cli_json_str(rep, "from"), cli_json_str(rep, "to"));
  printf("\n\n");
  const cJSON *months = cJSON_GetObjectItemCaseSensitive(rep, "months");
  if (months)
    print_months(o, months);
  const cJSON *s = cJSON_GetObjectItemCaseSensitive(rep, "summary");
  print_summary(o, s);
  print_targets(o, cJSON_GetObjectItemCaseSensitive(s, "targets"));
}

/* ---- the command ---- */

static int month_arg(const struct cli_opts *o, const struct cli_args *a, const char *flag,
                     const char **out)
{
  *out = cli_opt(a, flag);
  if (!*out)
    return cli_usage_error(o, _("geef de maand met --%s JJJJ-MM"), flag);
  if (cli_parse_month(*out) < 0)
    return cli_usage_error(o, _("--%s: \"%s\" is geen maand (JJJJ-MM, bv. 2026-06)"), flag, *out);
  return CLI_EXIT_OK;
}

static int run_monthly(const struct cli_opts *o, const struct cli_args *a)
{
  const char *library = cli_opt(a, "library"), *dest = cli_opt(a, "output"), *from, *to;
  int excel = cli_opt(a, "excel") != NULL, svg = cli_opt(a, "svg") != NULL;
  int summary = cli_opt(a, "summary") != NULL;
  if (!library || !library[0])
    return cli_usage_error(o, "%s", _("geef de bibliotheek met --library SLUG"));
  CLI_TRY(month_arg(o, a, "from", &from));
  CLI_TRY(month_arg(o, a, "to", &to));
  if (strcmp(to, from) < 0)
    return cli_usage_error(o, _("--to (%s) ligt voor --from (%s)"), to, from);
  if (o->json + o->csv + excel + svg > 1)
    return cli_usage_error(o, "%s", _("kies één van --json, --csv, --excel of --svg"));
  if (svg && summary)
    return cli_usage_error(o, "%s", _("--summary geldt niet voor de grafiek (--svg)"));
  int table = !o->json && !o->csv && !excel && !svg;
  if (table && dest)
    return cli_usage_error(o, "%s",
                           _("-o schrijft --json, --csv, --excel of --svg naar een bestand; de "
                             "tabel komt op het scherm"));
  if (dest)
    CLI_TRY(cli_check_output(o, dest, CLI_OUT_TEXT));
  struct cli_buf p = {0};
  cli_buf_add(&p, "/v1/stats/monthly");
  cli_buf_query(&p, "library", library);
  cli_buf_query(&p, "from", from);
  cli_buf_query(&p, "to", to);
  cli_buf_query(&p, "format", o->csv ? "csv" : excel ? "csv-excel" : svg ? "svg" : NULL);
  cli_buf_query(&p, "summary", summary ? "true" : NULL);
  if (p.oom) {
    cli_buf_release(&p);
    return cli_fail(o, CLI_EXIT_FAILURE, "%s", _("onvoldoende geheugen"));
  }
  int rc;
  if (!table && !o->json) {
    /* the API's bytes as they are: the Excel CSV keeps its BOM and CRLF */
    rc = cli_download(o, &p, dest ? dest : "-", CLI_OUT_TEXT);
  } else {
    cJSON *rep = NULL;
    rc = cli_api(o, "GET", p.data, NULL, 0, &rep);
    if (rc == CLI_EXIT_OK && table) {
      print_report(o, rep);
    } else if (rc == CLI_EXIT_OK) {
      char *text = cJSON_PrintUnformatted(rep);
      struct cli_buf line = {0};
      cli_buf_add(&line, text ? text : "");
      cli_buf_add(&line, "\n");
      rc = !text || line.oom ? cli_fail(o, CLI_EXIT_FAILURE, "%s", _("onvoldoende geheugen"))
                             : cli_write_output(o, dest, line.data, line.len, CLI_OUT_TEXT);
      cli_buf_release(&line);
      cJSON_free(text);
    }
    cJSON_Delete(rep);
  }
  cli_buf_release(&p);
  if (rc == CLI_EXIT_OK && dest && strcmp(dest, "-") != 0) {
    fprintf(stderr, _("Statistieken geschreven naar %s."), dest);
    fputc('\n', stderr);
  }
  return rc;
}

static const struct cli_flag monthly_flags[] = {
  {"library", "SLUG", 0},
  {"from", N_("JJJJ-MM"), 0},
  {"to", N_("JJJJ-MM"), 0},
  {"excel", NULL, 0},
  {"svg", NULL, 0},
  {"summary", NULL, 0},
  {"output", N_("BESTAND"), CLI_FLAG_SHORT},
  {NULL, NULL, 0},
};

const struct cli_command cli_cmd_stats_monthly = {
  "stats monthly", "",
  N_("toon de maandcijfers van een bibliotheek en de doelen (ook als CSV, voor Excel of als "
     "grafiek)"),
  0, 0, monthly_flags, CLI_CMD_AUTH | CLI_CMD_CSV, run_monthly,
};
