/* Monthly statistics as JSON and CSV (see stats_render.h). One table of
 * the month's fields drives the JSON, both CSV dialects and their
 * headers, so the formats cannot drift apart. */
#include "stats_render.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stats_render_int.h"

/* ---- buffer and numbers ---- */

void sr_put(struct sr_buf *b, const char *s, size_t n)
{
  if (b->oom)
    return;
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 1024;
    while (cap < b->len + n + 1)
      cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p) {
      b->oom = 1;
      return;
    }
    b->p = p;
    b->cap = cap;
  }
  memcpy(b->p + b->len, s, n);
  b->len += n;
  b->p[b->len] = '\0';
}

void sr_puts(struct sr_buf *b, const char *s) { sr_put(b, s, strlen(s)); }

void sr_printf(struct sr_buf *b, const char *fmt, ...)
{
  char small[256];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  if (n < 0)
    return;
  if ((size_t)n < sizeof small) {
    sr_put(b, small, (size_t)n);
    return;
  }
  char *big = malloc((size_t)n + 1);
  if (!big) {
    b->oom = 1;
    return;
  }
  va_start(ap, fmt);
  vsnprintf(big, (size_t)n + 1, fmt, ap);
  va_end(ap);
  sr_put(b, big, (size_t)n);
  free(big);
}

/* Whole and fraction of |x| * scale, and its sign: the decimals come from
 * integers, so no locale can turn the point into a comma or back. */
static void sr_scaled(struct sr_buf *b, double x, long long scale, int min_digits, char point)
{
  long long v = llround(x * (double)scale);
  if (v < 0) {
    sr_put(b, "-", 1);
    v = -v;
  }
  long long whole = v / scale, frac = v % scale;
  int digits = 0;
  for (long long s = scale; s > 1; s /= 10)
    digits++;
  while (digits > min_digits && frac % 10 == 0) {
    frac /= 10;
    digits--;
  }
  if (digits == 0)
    sr_printf(b, "%lld", whole);
  else
    sr_printf(b, "%lld%c%0*lld", whole, point, digits, frac);
}

void sr_tenths(struct sr_buf *b, double x, char point) { sr_scaled(b, x, 10, 1, point); }
void sr_number(struct sr_buf *b, double x, char point) { sr_scaled(b, x, 1000, 0, point); }
void sr_euros(struct sr_buf *b, int64_t cents, char point)
{
  sr_scaled(b, (double)cents / 100.0, 100, 2, point);
}

void sr_xml(struct sr_buf *b, const char *s)
{
  for (; *s; s++) {
    switch (*s) {
    case '&': sr_puts(b, "&amp;"); break;
    case '<': sr_puts(b, "&lt;"); break;
    case '>': sr_puts(b, "&gt;"); break;
    case '"': sr_puts(b, "&quot;"); break;
    case '\'': sr_puts(b, "&apos;"); break;
    default: sr_put(b, s, 1);
    }
  }
}

char *sr_finish(struct sr_buf *b, size_t *len)
{
  if (!b->oom && !b->p)
    sr_put(b, "", 0);
  if (b->oom) {
    free(b->p);
    b->p = NULL;
    return NULL;
  }
  if (len)
    *len = b->len;
  return b->p;
}

/* ---- the month's fields ---- */

enum sr_kind { K_COUNT, K_TENTHS, K_CENTS };

struct sr_field {
  const char *name;              /* JSON field and machine CSV header */
  const char *dutch;             /* Excel CSV header */
  enum sr_kind kind;
  size_t off;
};

#define MF(f, dutch, kind) {#f, dutch, kind, offsetof(struct leen_stats_month, f)}
static const struct sr_field month_fields[] = {
  MF(new_households, "nieuwe gezinnen", K_COUNT),
  MF(new_households_reduced, "nieuwe gezinnen met verminderd tarief", K_COUNT),
  MF(active_households, "actieve gezinnen", K_COUNT),
  MF(active_households_reduced, "actieve gezinnen met verminderd tarief", K_COUNT),
  MF(loans_started, "uitleningen", K_COUNT),
  MF(returns, "teruggebracht", K_COUNT),
  MF(swaps, "wissels", K_COUNT),
  MF(opening_sessions, "openingsmomenten", K_COUNT),
  MF(loans_per_session, "uitleningen per openingsmoment", K_TENTHS),
  MF(items_lendable_end, "uitleenbare voorwerpen einde maand", K_COUNT),
  MF(items_on_loan_end, "uitgeleende voorwerpen einde maand", K_COUNT),
  MF(utilisation_end, "bezetting einde maand (%)", K_TENTHS),
  MF(overdue_end, "te laat einde maand", K_COUNT),
  MF(fees_charged_cents, "lidgeld aangerekend (EUR)", K_CENTS),
  MF(fees_reduced_cents, "korting op lidgeld (EUR)", K_CENTS),
  MF(deposits_taken_cents, "waarborg ontvangen (EUR)", K_CENTS),
  MF(deposits_refunded_cents, "waarborg terugbetaald (EUR)", K_CENTS),
  MF(deposits_withheld_cents, "waarborg ingehouden (EUR)", K_CENTS),
  MF(deposits_held_end_cents, "waarborgen in bewaring einde maand (EUR)", K_CENTS),
  MF(reservations_waiting_end, "wachtende reservaties einde maand", K_COUNT),
};
#undef MF
#define NMONTH_FIELDS (sizeof month_fields / sizeof month_fields[0])

static int64_t field_int(const void *rec, const struct sr_field *f)
{
  int64_t v;
  memcpy(&v, (const char *)rec + f->off, sizeof v);
  return v;
}

static double field_double(const void *rec, const struct sr_field *f)
{
  double v;
  memcpy(&v, (const char *)rec + f->off, sizeof v);
  return v;
}

/* ---- JSON ---- */

static cJSON *tenths_json(double x)
{
  return x < 0 ? cJSON_CreateNull() : cJSON_CreateNumber(round(x * 10.0) / 10.0);
}

static cJSON *postcodes_json(const struct leen_stats_month *m)
{
  cJSON *arr = cJSON_CreateArray();
  for (size_t i = 0; arr && i < m->npostcodes; i++) {
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddItemToArray(arr, o)) {
      cJSON_Delete(o);
      cJSON_Delete(arr);
      return NULL;
    }
    const struct leen_stats_postcode *p = &m->postcodes[i];
    cJSON_AddItemToObject(o, "postcode",
                          p->postcode[0] ? cJSON_CreateString(p->postcode) : cJSON_CreateNull());
    cJSON_AddItemToObject(o, "households", p->households < 5
                                               ? cJSON_CreateString("<5")
                                               : cJSON_CreateNumber((double)p->households));
  }
  return arr;
}

static cJSON *month_json(const struct leen_stats_month *m)
{
  cJSON *o = cJSON_CreateObject();
  if (!o)
    return NULL;
  cJSON_AddStringToObject(o, "month", m->month);
  for (size_t i = 0; i < NMONTH_FIELDS; i++) {
    const struct sr_field *f = &month_fields[i];
    if (f->kind == K_TENTHS)
      cJSON_AddItemToObject(o, f->name, tenths_json(field_double(m, f)));
    else
      cJSON_AddNumberToObject(o, f->name, (double)field_int(m, f));
  }
  cJSON_AddItemToObject(o, "postcodes", postcodes_json(m));
  return o;
}

static void add_target(cJSON *o, const char *name, double v)
{
  if (v >= 0)
    cJSON_AddNumberToObject(o, name, v);
}

static cJSON *check_json(const struct leen_stats_check *c, int range)
{
  cJSON *o = cJSON_CreateObject();
  if (!o)
    return NULL;
  cJSON_AddItemToObject(o, "actual", tenths_json(c->actual));
  if (range) {
    cJSON_AddItemToObject(o, "min", c->target < 0 ? cJSON_CreateNull() : cJSON_CreateNumber(c->target));
    cJSON_AddItemToObject(o, "max", c->target_max < 0 ? cJSON_CreateNull()
                                                      : cJSON_CreateNumber(c->target_max));
  } else {
    cJSON_AddItemToObject(o, "target", c->target < 0 ? cJSON_CreateNull() : cJSON_CreateNumber(c->target));
  }
  cJSON_AddStringToObject(o, "verdict", leen_stats_verdict_name(c->verdict));
  cJSON_AddItemToObject(o, "met", c->verdict == LEEN_STATS_MET       ? cJSON_CreateTrue()
                                  : c->verdict == LEEN_STATS_NOT_MET ? cJSON_CreateFalse()
                                                                     : cJSON_CreateNull());
  return o;
}

cJSON *api_stats_summary_json(const struct leen_stats_summary *s)
{
  cJSON *o = cJSON_CreateObject();
  if (!o)
    return NULL;
  cJSON_AddStringToObject(o, "from", s->from);
  cJSON_AddStringToObject(o, "to", s->to);
  cJSON_AddNumberToObject(o, "months", s->months);
#define N(f) cJSON_AddNumberToObject(o, #f, (double)s->f)
  N(new_households); N(new_households_reduced);
  cJSON_AddItemToObject(o, "reduced_share", tenths_json(s->reduced_share));
  N(active_households); N(active_households_reduced); N(loans_started); N(returns); N(swaps);
  N(opening_sessions);
  cJSON_AddItemToObject(o, "loans_per_session", tenths_json(s->loans_per_session));
  N(fees_charged_cents); N(fees_reduced_cents); N(deposits_taken_cents);
  N(deposits_refunded_cents); N(deposits_withheld_cents); N(deposits_held_end_cents);
#undef N
  cJSON *avg = cJSON_AddObjectToObject(o, "averages");
  if (avg) {
#define A(f) cJSON_AddItemToObject(avg, #f, tenths_json(s->avg_##f))
    A(new_households); A(active_households); A(loans_started); A(opening_sessions);
    A(items_lendable_end); A(items_on_loan_end); A(utilisation_end); A(overdue_end);
    A(reservations_waiting_end);
#undef A
  }
  cJSON *t = cJSON_AddObjectToObject(o, "targets");
  if (t) {
    cJSON_AddItemToObject(t, "new_households", check_json(&s->new_households_check, 0));
    cJSON_AddItemToObject(t, "reduced_share", check_json(&s->reduced_share_check, 1));
    cJSON_AddItemToObject(t, "loans_per_session", check_json(&s->loans_per_session_check, 0));
  }
  return o;
}

cJSON *api_stats_report_json(const struct leen_stats_report *r)
{
  cJSON *o = cJSON_CreateObject();
  if (!o)
    return NULL;
  cJSON_AddStringToObject(o, "library", r->library);
  cJSON_AddStringToObject(o, "name", r->library_name);
  cJSON_AddStringToObject(o, "from", r->from);
  cJSON_AddStringToObject(o, "to", r->to);
  cJSON *t = cJSON_AddObjectToObject(o, "targets");
  if (t) {
    add_target(t, "new_households_6m", r->targets.new_households_6m);
    add_target(t, "reduced_share_min", r->targets.reduced_share_min);
    add_target(t, "reduced_share_max", r->targets.reduced_share_max);
    add_target(t, "loans_per_session", r->targets.loans_per_session);
  }
  cJSON *months = cJSON_AddArrayToObject(o, "months");
  for (size_t i = 0; months && i < r->nmonths; i++)
    cJSON_AddItemToArray(months, month_json(&r->months[i]));
  cJSON_AddItemToObject(o, "summary", api_stats_summary_json(&r->summary));
  return o;
}

cJSON *api_stats_org_json(const char *month, const struct leen_stats_report *reps, size_t n)
{
  cJSON *o = cJSON_CreateObject();
  if (!o)
    return NULL;
  cJSON_AddStringToObject(o, "month", month);
  cJSON *libs = cJSON_AddArrayToObject(o, "libraries");
  for (size_t i = 0; libs && i < n; i++)
    cJSON_AddItemToArray(libs, api_stats_report_json(&reps[i]));
  return o;
}

/* ---- CSV ---- */

struct sr_csv {
  struct sr_buf b;
  char sep, point;
  const char *eol;
  int excel;
};

static void csv_start(struct sr_csv *c, enum api_csv_dialect d)
{
  memset(c, 0, sizeof *c);
  c->excel = d == API_CSV_EXCEL;
  c->sep = c->excel ? ';' : ',';
  c->point = c->excel ? ',' : '.';
  c->eol = c->excel ? "\r\n" : "\n";
  if (c->excel)
    sr_puts(&c->b, "\xEF\xBB\xBF");
}

/* A text cell, quoted when it holds the separator, a quote or a line end. */
static void csv_text(struct sr_csv *c, const char *s)
{
  if (!strpbrk(s, "\"\r\n") && !strchr(s, c->sep)) {
    sr_puts(&c->b, s);
    return;
  }
  sr_put(&c->b, "\"", 1);
  for (; *s; s++) {
    if (*s == '"')
      sr_put(&c->b, "\"\"", 2);
    else
      sr_put(&c->b, s, 1);
  }
  sr_put(&c->b, "\"", 1);
}

static void csv_sep(struct sr_csv *c) { sr_put(&c->b, &c->sep, 1); }
static void csv_eol(struct sr_csv *c) { sr_puts(&c->b, c->eol); }

static void csv_value(struct sr_csv *c, enum sr_kind kind, int64_t i, double d)
{
  if (kind == K_COUNT)
    sr_printf(&c->b, "%lld", (long long)i);
  else if (kind == K_CENTS && c->excel)
    sr_euros(&c->b, i, c->point);
  else if (kind == K_CENTS)
    sr_printf(&c->b, "%lld", (long long)i);
  else if (d >= 0)
    sr_tenths(&c->b, d, c->point);
}

static int postcode_cmp(const void *a, const void *b)
{
  const char *x = a, *y = b;
  if (!*x || !*y)
    return (*x ? 0 : 1) - (*y ? 0 : 1); /* "none given" sorts last */
  return strcmp(x, y);
}

/* The postcodes of all months of all reports, sorted, "" last. */
static char (*all_postcodes(const struct leen_stats_report *reps, size_t n, size_t *count))[8]
{
  size_t cap = 0;
  for (size_t i = 0; i < n; i++)
    for (size_t k = 0; k < reps[i].nmonths; k++)
      cap += reps[i].months[k].npostcodes;
  char(*pcs)[8] = calloc(cap + 1, sizeof *pcs);
  if (!pcs)
    return NULL;
  size_t used = 0;
  for (size_t i = 0; i < n; i++)
    for (size_t k = 0; k < reps[i].nmonths; k++)
      for (size_t p = 0; p < reps[i].months[k].npostcodes; p++) {
        const char *pc = reps[i].months[k].postcodes[p].postcode;
        size_t j = 0;
        while (j < used && strcmp(pcs[j], pc) != 0)
          j++;
        if (j == used)
          snprintf(pcs[used++], sizeof pcs[0], "%s", pc);
      }
  qsort(pcs, used, sizeof pcs[0], postcode_cmp);
  *count = used;
  return pcs;
}

static void postcode_cell(struct sr_csv *c, const struct leen_stats_month *m, const char *pc)
{
  int64_t n = 0;
  for (size_t i = 0; i < m->npostcodes; i++)
    if (strcmp(m->postcodes[i].postcode, pc) == 0)
      n = m->postcodes[i].households;
  if (n > 0 && n < 5)
    sr_puts(&c->b, "<5");
  else
    sr_printf(&c->b, "%lld", (long long)n);
}

char *api_stats_csv(const struct leen_stats_report *reps, size_t n, enum api_csv_dialect d,
                    size_t *len)
{
  struct sr_csv c;
  csv_start(&c, d);
  size_t npc = 0;
  char(*pcs)[8] = all_postcodes(reps, n, &npc);
  if (!pcs) {
    free(c.b.p);
    return NULL;
  }
  csv_text(&c, c.excel ? "uitleendienst" : "library");
  csv_sep(&c);
  csv_text(&c, c.excel ? "maand" : "month");
  for (size_t i = 0; i < NMONTH_FIELDS; i++) {
    csv_sep(&c);
    csv_text(&c, c.excel ? month_fields[i].dutch : month_fields[i].name);
  }
  for (size_t p = 0; p < npc; p++) {
    csv_sep(&c);
    if (c.excel)
      sr_printf(&c.b, "postcode %s", pcs[p][0] ? pcs[p] : "onbekend");
    else
      sr_printf(&c.b, "postcode_%s", pcs[p][0] ? pcs[p] : "none");
  }
  csv_eol(&c);
  for (size_t i = 0; i < n; i++)
    for (size_t k = 0; k < reps[i].nmonths; k++) {
      const struct leen_stats_month *m = &reps[i].months[k];
      csv_text(&c, reps[i].library);
      csv_sep(&c);
      csv_text(&c, m->month);
      for (size_t f = 0; f < NMONTH_FIELDS; f++) {
        csv_sep(&c);
        const struct sr_field *fd = &month_fields[f];
        if (fd->kind == K_TENTHS)
          csv_value(&c, fd->kind, 0, field_double(m, fd));
        else
          csv_value(&c, fd->kind, field_int(m, fd), 0);
      }
      for (size_t p = 0; p < npc; p++) {
        csv_sep(&c);
        postcode_cell(&c, m, pcs[p]);
      }
      csv_eol(&c);
    }
  free(pcs);
  return sr_finish(&c.b, len);
}

/* ---- the summary as CSV ---- */

#define SF(f, dutch, kind) {#f, dutch, kind, offsetof(struct leen_stats_summary, f)}
static const struct sr_field summary_fields[] = {
  SF(new_households, "nieuwe gezinnen", K_COUNT),
  SF(new_households_reduced, "nieuwe gezinnen met verminderd tarief", K_COUNT),
  SF(reduced_share, "aandeel nieuwe gezinnen met verminderd tarief (%)", K_TENTHS),
  SF(active_households, "actieve gezinnen in de periode", K_COUNT),
  SF(active_households_reduced, "actieve gezinnen met verminderd tarief in de periode", K_COUNT),
  SF(loans_started, "uitleningen", K_COUNT),
  SF(returns, "teruggebracht", K_COUNT),
  SF(swaps, "wissels", K_COUNT),
  SF(opening_sessions, "openingsmomenten", K_COUNT),
  SF(loans_per_session, "uitleningen per openingsmoment", K_TENTHS),
  SF(fees_charged_cents, "lidgeld aangerekend (EUR)", K_CENTS),
  SF(fees_reduced_cents, "korting op lidgeld (EUR)", K_CENTS),
  SF(deposits_taken_cents, "waarborg ontvangen (EUR)", K_CENTS),
  SF(deposits_refunded_cents, "waarborg terugbetaald (EUR)", K_CENTS),
  SF(deposits_withheld_cents, "waarborg ingehouden (EUR)", K_CENTS),
  SF(deposits_held_end_cents, "waarborgen in bewaring einde periode (EUR)", K_CENTS),
  SF(avg_new_households, "gemiddeld per maand: nieuwe gezinnen", K_TENTHS),
  SF(avg_active_households, "gemiddeld per maand: actieve gezinnen", K_TENTHS),
  SF(avg_loans_started, "gemiddeld per maand: uitleningen", K_TENTHS),
  SF(avg_opening_sessions, "gemiddeld per maand: openingsmomenten", K_TENTHS),
  SF(avg_items_lendable_end, "gemiddeld per maand: uitleenbare voorwerpen", K_TENTHS),
  SF(avg_items_on_loan_end, "gemiddeld per maand: uitgeleende voorwerpen", K_TENTHS),
  SF(avg_utilisation_end, "gemiddelde bezetting (%)", K_TENTHS),
  SF(avg_overdue_end, "gemiddeld per maand: te laat", K_TENTHS),
  SF(avg_reservations_waiting_end, "gemiddeld per maand: wachtende reservaties", K_TENTHS),
};
#undef SF

static const char *verdict_text(enum leen_stats_verdict v, int excel)
{
  if (!excel)
    return leen_stats_verdict_name(v);
  switch (v) {
  case LEEN_STATS_MET: return "ja";
  case LEEN_STATS_NOT_MET: return "nee";
  case LEEN_STATS_NO_DATA: return "geen gegevens";
  case LEEN_STATS_NO_TARGET: return "geen doel";
  }
  return "";
}

static void summary_row(struct sr_csv *c, const char *name, const char *dutch, const char *text)
{
  csv_text(c, c->excel ? dutch : name);
  csv_sep(c);
  csv_text(c, text);
  for (int i = 0; i < 3; i++)
    csv_sep(c);
  csv_eol(c);
}

static void target_cell(struct sr_csv *c, double v)
{
  csv_sep(c);
  if (v >= 0)
    sr_number(&c->b, v, c->point);
}

char *api_stats_summary_csv(const struct leen_stats_report *r, enum api_csv_dialect d, size_t *len)
{
  const struct leen_stats_summary *s = &r->summary;
  struct sr_csv c;
  csv_start(&c, d);
  const char *head[] = {"indicator", "value", "target_min", "target_max", "verdict"};
  const char *kop[] = {"indicator", "waarde", "doel (minimum)", "doel (maximum)", "gehaald"};
  for (int i = 0; i < 5; i++) {
    if (i)
      csv_sep(&c);
    csv_text(&c, c.excel ? kop[i] : head[i]);
  }
  csv_eol(&c);
  summary_row(&c, "library", "uitleendienst", r->library);
  summary_row(&c, "from", "van", s->from);
  summary_row(&c, "to", "tot en met", s->to);
  char months[16];
  snprintf(months, sizeof months, "%d", s->months);
  summary_row(&c, "months", "maanden", months);
  for (size_t i = 0; i < sizeof summary_fields / sizeof summary_fields[0]; i++) {
    const struct sr_field *f = &summary_fields[i];
    csv_text(&c, c.excel ? f->dutch : f->name);
    csv_sep(&c);
    if (f->kind == K_TENTHS)
      csv_value(&c, f->kind, 0, field_double(s, f));
    else
      csv_value(&c, f->kind, field_int(s, f), 0);
    const struct leen_stats_check *chk = NULL;
    if (strcmp(f->name, "new_households") == 0)
      chk = &s->new_households_check;
    else if (strcmp(f->name, "reduced_share") == 0)
      chk = &s->reduced_share_check;
    else if (strcmp(f->name, "loans_per_session") == 0)
      chk = &s->loans_per_session_check;
    target_cell(&c, chk ? chk->target : LEEN_STATS_NONE);
    target_cell(&c, chk ? chk->target_max : LEEN_STATS_NONE);
    csv_sep(&c);
    if (chk)
      csv_text(&c, verdict_text(chk->verdict, c.excel));
    csv_eol(&c);
  }
  return sr_finish(&c.b, len);
}
