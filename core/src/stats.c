/* Monthly statistics: reads the figures that sql/0007_stats.sql computes
 * into the records of leen/stats.h, in one read-only snapshot. */
#include "leen/stats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_internal.h"

/* Fractions come back from SQL as whole tenths (and targets as
 * thousandths) so that no text is parsed with a locale-dependent strtod. */
#define STATS_LIBRARY_COLUMNS                                                                   \
  "id, org_id, slug, name,"                                                                     \
  " (SELECT round(1000 * (targets->>k)::numeric)::bigint FROM (VALUES ('new_households_6m'))"  \
  "   v(k) WHERE jsonb_typeof(targets->k) = 'number' AND (targets->>k)::numeric BETWEEN 0 AND 1e9),"         \
  " (SELECT round(1000 * (targets->>k)::numeric)::bigint FROM (VALUES ('reduced_share_min'))"  \
  "   v(k) WHERE jsonb_typeof(targets->k) = 'number' AND (targets->>k)::numeric BETWEEN 0 AND 1e9),"         \
  " (SELECT round(1000 * (targets->>k)::numeric)::bigint FROM (VALUES ('reduced_share_max'))"  \
  "   v(k) WHERE jsonb_typeof(targets->k) = 'number' AND (targets->>k)::numeric BETWEEN 0 AND 1e9),"         \
  " (SELECT round(1000 * (targets->>k)::numeric)::bigint FROM (VALUES ('loans_per_session'))"  \
  "   v(k) WHERE jsonb_typeof(targets->k) = 'number' AND (targets->>k)::numeric BETWEEN 0 AND 1e9)"

static const struct leen_stmt stmts[] = {
  {"stats_library", "SELECT " STATS_LIBRARY_COLUMNS " FROM libraries WHERE slug = $1"},
  {"stats_org_libraries",
   "SELECT " STATS_LIBRARY_COLUMNS " FROM libraries WHERE org_id = $1::bigint ORDER BY slug"},
  {"stats_months",
   "SELECT library_id, to_char(month, 'YYYY-MM'), new_households, new_households_reduced,"
   " active_households, active_households_reduced, loans_started, \"returns\", swaps,"
   " opening_sessions, (10 * loans_per_session)::bigint, items_lendable_end, items_on_loan_end,"
   " (10 * utilisation_end)::bigint, overdue_end, fees_charged_cents, fees_reduced_cents,"
   " deposits_taken_cents, deposits_refunded_cents, deposits_withheld_cents,"
   " deposits_held_end_cents, reservations_waiting_end"
   " FROM leen_stats_months($1::bigint[], $2::date, $3::date)"},
  {"stats_postcodes",
   "SELECT library_id, to_char(month, 'YYYY-MM'), coalesce(postcode, ''), households"
   " FROM leen_stats_postcodes($1::bigint[], $2::date, $3::date)"},
  {"stats_reach", "SELECT * FROM leen_stats_reach($1::bigint, $2::date, $3::date)"},
};
enum { S_LIBRARY, S_ORG_LIBRARIES, S_MONTHS, S_POSTCODES, S_REACH };

int leen_stats_month_valid(const char *m)
{
  if (!m || strlen(m) != 7 || m[4] != '-')
    return 0;
  for (int i = 0; i < 7; i++)
    if (i != 4 && (m[i] < '0' || m[i] > '9'))
      return 0;
  int month = (m[5] - '0') * 10 + (m[6] - '0');
  return m[0] == '2' && month >= 1 && month <= 12;
}

/* Months from "YYYY-MM" a to b, counting both. */
static int months_between(const char *a, const char *b)
{
  int ya = (int)strtol(a, NULL, 10), yb = (int)strtol(b, NULL, 10);
  int ma = (int)strtol(a + 5, NULL, 10), mb = (int)strtol(b + 5, NULL, 10);
  return (yb - ya) * 12 + (mb - ma) + 1;
}

void leen_stats_report_release(struct leen_stats_report *r)
{
  if (!r)
    return;
  for (size_t i = 0; i < r->nmonths; i++)
    free(r->months[i].postcodes);
  free(r->months);
  memset(r, 0, sizeof *r);
}

void leen_stats_reports_free(struct leen_stats_report *r, size_t n)
{
  if (!r)
    return;
  for (size_t i = 0; i < n; i++)
    leen_stats_report_release(&r[i]);
  free(r);
}

static double thousandths(const PGresult *res, int row, int col)
{
  return PQgetisnull(res, row, col) ? LEEN_STATS_NONE : (double)db_int64(res, row, col) / 1000.0;
}

static double tenths(const PGresult *res, int row, int col)
{
  return PQgetisnull(res, row, col) ? LEEN_STATS_NONE : (double)db_int64(res, row, col) / 10.0;
}

/* A library row of STATS_LIBRARY_COLUMNS into a report. */
static void read_library(const PGresult *res, int row, struct leen_stats_report *r, int64_t *id,
                         int64_t *org)
{
  *id = db_int64(res, row, 0);
  *org = db_int64(res, row, 1);
  snprintf(r->library, sizeof r->library, "%s", PQgetvalue(res, row, 2));
  snprintf(r->library_name, sizeof r->library_name, "%s", PQgetvalue(res, row, 3));
  r->targets.new_households_6m = thousandths(res, row, 4);
  r->targets.reduced_share_min = thousandths(res, row, 5);
  r->targets.reduced_share_max = thousandths(res, row, 6);
  r->targets.loans_per_session = thousandths(res, row, 7);
}

static void read_month(const PGresult *res, int row, struct leen_stats_month *m)
{
  snprintf(m->month, sizeof m->month, "%s", PQgetvalue(res, row, 1));
  m->new_households = db_int64(res, row, 2);
  m->new_households_reduced = db_int64(res, row, 3);
  m->active_households = db_int64(res, row, 4);
  m->active_households_reduced = db_int64(res, row, 5);
  m->loans_started = db_int64(res, row, 6);
  m->returns = db_int64(res, row, 7);
  m->swaps = db_int64(res, row, 8);
  m->opening_sessions = db_int64(res, row, 9);
  m->loans_per_session = tenths(res, row, 10);
  m->items_lendable_end = db_int64(res, row, 11);
  m->items_on_loan_end = db_int64(res, row, 12);
  m->utilisation_end = tenths(res, row, 13);
  m->overdue_end = db_int64(res, row, 14);
  m->fees_charged_cents = db_int64(res, row, 15);
  m->fees_reduced_cents = db_int64(res, row, 16);
  m->deposits_taken_cents = db_int64(res, row, 17);
  m->deposits_refunded_cents = db_int64(res, row, 18);
  m->deposits_withheld_cents = db_int64(res, row, 19);
  m->deposits_held_end_cents = db_int64(res, row, 20);
  m->reservations_waiting_end = db_int64(res, row, 21);
}

/* "{1,2,3}" for n library ids; the caller frees. */
static char *id_array(const int64_t *ids, size_t n)
{
  size_t cap = 3 + n * 21;
  char *s = malloc(cap);
  if (!s)
    return NULL;
  size_t len = 0;
  s[len++] = '{';
  for (size_t i = 0; i < n; i++)
    len += (size_t)snprintf(s + len, cap - len, "%s%lld", i ? "," : "", (long long)ids[i]);
  s[len++] = '}';
  s[len] = '\0';
  return s;
}

/* The reports of n libraries (ids[i] goes with reps[i], each already
 * holding its library and targets) for from..to: months and postcodes. */
static int read_figures(struct leen_db *db, const int64_t *ids, struct leen_stats_report *reps,
                        size_t n, const char *from, const char *to, struct leen_err *err)
{
  int nmonths = months_between(from, to);
  char from_day[16], to_day[16];
  snprintf(from_day, sizeof from_day, "%s-01", from);
  snprintf(to_day, sizeof to_day, "%s-01", to);
  char *arr = id_array(ids, n);
  if (!arr)
    return leen_error(err, LEEN_E_INTERNAL, "out of memory");
  const char *p[] = {arr, from_day, to_day};
  PGresult *months = db_exec(db, &stmts[S_MONTHS], 3, p, err);
  PGresult *pcs = months ? db_exec(db, &stmts[S_POSTCODES], 3, p, err) : NULL;
  free(arr);
  int rc = -1;
  if (!months || !pcs)
    goto out;
  if (PQntuples(months) != (int)n * nmonths) {
    leen_error(err, LEEN_E_INTERNAL, "statistics returned %d rows, expected %d", PQntuples(months),
               (int)n * nmonths);
    goto out;
  }
  /* rows come ordered by library id then month: match them to the
   * reports by id, whatever order ids[] has */
  for (size_t i = 0; i < n; i++) {
    reps[i].months = calloc((size_t)nmonths, sizeof *reps[i].months);
    if (!reps[i].months) {
      leen_error(err, LEEN_E_INTERNAL, "out of memory");
      goto out;
    }
    reps[i].nmonths = 0;
    snprintf(reps[i].from, sizeof reps[i].from, "%s", from);
    snprintf(reps[i].to, sizeof reps[i].to, "%s", to);
  }
  for (int row = 0; row < PQntuples(months); row++) {
    int64_t lib = db_int64(months, row, 0);
    for (size_t i = 0; i < n; i++)
      if (ids[i] == lib && reps[i].nmonths < (size_t)nmonths)
        read_month(months, row, &reps[i].months[reps[i].nmonths++]);
  }
  for (int row = 0; row < PQntuples(pcs); row++) {
    int64_t lib = db_int64(pcs, row, 0);
    const char *month = PQgetvalue(pcs, row, 1);
    for (size_t i = 0; i < n; i++) {
      if (ids[i] != lib)
        continue;
      for (size_t k = 0; k < reps[i].nmonths; k++) {
        struct leen_stats_month *m = &reps[i].months[k];
        if (strcmp(m->month, month) != 0)
          continue;
        struct leen_stats_postcode *grown =
            realloc(m->postcodes, (m->npostcodes + 1) * sizeof *grown);
        if (!grown) {
          leen_error(err, LEEN_E_INTERNAL, "out of memory");
          goto out;
        }
        m->postcodes = grown;
        struct leen_stats_postcode *pc = &m->postcodes[m->npostcodes++];
        snprintf(pc->postcode, sizeof pc->postcode, "%s", PQgetvalue(pcs, row, 2));
        pc->households = db_int64(pcs, row, 3);
      }
    }
  }
  rc = 0;
out:
  PQclear(months);
  PQclear(pcs);
  return rc;
}

static int check_actor(const struct leen_actor *who, struct leen_err *err)
{
  if (!who || !leen_actor_has_role(who, LEEN_ROLE_COORDINATOR))
    return leen_error(err, LEEN_E_FORBIDDEN, "only a coordinator may read statistics");
  return 0;
}

static int snapshot(struct leen_db *db, struct leen_err *err)
{
  return db_simple(db, "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", err);
}

struct library_job {
  const struct leen_actor *who;
  const char *library, *from, *to;
  struct leen_stats_report *out;
};

static int library_tx(struct leen_db *db, void *ctx, struct leen_err *err)
{
  struct library_job *j = ctx;
  struct leen_stats_report *r = j->out;
  leen_stats_report_release(r);
  if (snapshot(db, err) < 0)
    return -1;
  const char *p[] = {j->library};
  PGresult *res = db_exec(db, &stmts[S_LIBRARY], 1, p, err);
  if (!res)
    return -1;
  int64_t id = 0, org = 0;
  int found = PQntuples(res) == 1;
  if (found)
    read_library(res, 0, r, &id, &org);
  PQclear(res);
  if (!found || (j->who->user_id != 0 && org != j->who->org_id))
    return leen_error_field(err, LEEN_E_NOT_FOUND, "/library", "library \"%s\" not found",
                            j->library);
  if (!leen_actor_in_library(j->who, id))
    return leen_error(err, LEEN_E_FORBIDDEN, "you do not work in library \"%s\"", j->library);
  if (read_figures(db, &id, r, 1, j->from, j->to, err) < 0)
    return -1;
  int64_t reach = r->months[0].active_households, reach_red = r->months[0].active_households_reduced;
  if (r->nmonths > 1) {
    char idtext[24], from_day[16], to_day[16];
    snprintf(idtext, sizeof idtext, "%lld", (long long)id);
    snprintf(from_day, sizeof from_day, "%s-01", j->from);
    snprintf(to_day, sizeof to_day, "%s-01", j->to);
    const char *rp[] = {idtext, from_day, to_day};
    res = db_exec(db, &stmts[S_REACH], 3, rp, err);
    if (!res)
      return -1;
    reach = db_int64(res, 0, 0);
    reach_red = db_int64(res, 0, 1);
    PQclear(res);
  }
  leen_stats_summarize(r, reach, reach_red);
  return 0;
}

int leen_stats_library(struct leen_db *db, const struct leen_actor *who, const char *library,
                       const char *from, const char *to, struct leen_stats_report *out,
                       struct leen_err *err)
{
  memset(out, 0, sizeof *out);
  if (check_actor(who, err) < 0)
    return -1;
  if (!library || !*library)
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/library", "library is required");
  if (!leen_stats_month_valid(from))
    return leen_error_field(err, LEEN_E_INVALID_DATE, "/from", "from must be a month YYYY-MM");
  if (!leen_stats_month_valid(to))
    return leen_error_field(err, LEEN_E_INVALID_DATE, "/to", "to must be a month YYYY-MM");
  int n = months_between(from, to);
  if (n < 1)
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/to", "to \"%s\" is before from \"%s\"",
                            to, from);
  if (n > LEEN_STATS_MAX_MONTHS)
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/to", "a range covers at most %d months",
                            LEEN_STATS_MAX_MONTHS);
  struct library_job j = {who, library, from, to, out};
  if (db_tx(db, library_tx, &j, err) < 0) {
    leen_stats_report_release(out);
    return -1;
  }
  return 0;
}

struct org_job {
  const struct leen_actor *who;
  const char *month;
  struct leen_stats_report *reps;
  size_t n;
};

static int org_tx(struct leen_db *db, void *ctx, struct leen_err *err)
{
  struct org_job *j = ctx;
  leen_stats_reports_free(j->reps, j->n);
  j->reps = NULL;
  j->n = 0;
  if (snapshot(db, err) < 0)
    return -1;
  char org[24];
  snprintf(org, sizeof org, "%lld", (long long)j->who->org_id);
  const char *p[] = {org};
  PGresult *res = db_exec(db, &stmts[S_ORG_LIBRARIES], 1, p, err);
  if (!res)
    return -1;
  int rows = PQntuples(res);
  int64_t *ids = calloc((size_t)rows + 1, sizeof *ids);
  j->reps = calloc((size_t)rows + 1, sizeof *j->reps);
  if (!ids || !j->reps) {
    free(ids);
    PQclear(res);
    return leen_error(err, LEEN_E_INTERNAL, "out of memory");
  }
  for (int row = 0; row < rows; row++) {
    int64_t id, lib_org;
    read_library(res, row, &j->reps[j->n], &id, &lib_org);
    if (leen_actor_in_library(j->who, id))
      ids[j->n++] = id;
    else
      memset(&j->reps[j->n], 0, sizeof j->reps[j->n]);
  }
  PQclear(res);
  int rc = j->n ? read_figures(db, ids, j->reps, j->n, j->month, j->month, err) : 0;
  free(ids);
  if (rc < 0)
    return -1;
  for (size_t i = 0; i < j->n; i++)
    leen_stats_summarize(&j->reps[i], j->reps[i].months[0].active_households,
                         j->reps[i].months[0].active_households_reduced);
  return 0;
}

int leen_stats_org_month(struct leen_db *db, const struct leen_actor *who, const char *month,
                         struct leen_stats_report **out, size_t *n, struct leen_err *err)
{
  *out = NULL;
  *n = 0;
  if (check_actor(who, err) < 0)
    return -1;
  if (!leen_stats_month_valid(month))
    return leen_error_field(err, LEEN_E_INVALID_DATE, "/month", "month must be YYYY-MM");
  struct org_job j = {who, month, NULL, 0};
  if (db_tx(db, org_tx, &j, err) < 0) {
    leen_stats_reports_free(j.reps, j.n);
    return -1;
  }
  *out = j.reps;
  *n = j.n;
  return 0;
}
