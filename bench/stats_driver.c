/* Times the monthly statistics on bench/stats.sh's data: through core
 * (leen_stats_library, leen_stats_org_month) and, as the physical limit,
 * the same SQL functions prepared and run straight over libpq on the same
 * server, alternately. Prints medians of RUNS runs after six warm-up runs.
 *
 * usage: stats_driver CONNINFO LIBRARY MONTH FIRST_OF_12 RUNS */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "leen/stats.h"

static double now_ms(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

struct job {
  struct leen_db *db;
  PGconn *raw;
  struct leen_actor actor;
  const char *library, *from, *to;
  char ids[16384];               /* "{1,2,...}": the libraries of the raw query */
  char lib_id[24];               /* the one library's id */
  int org;                       /* all libraries for one month */
};

static void die(const char *what, const char *msg)
{
  fprintf(stderr, "stats_driver: %s: %s\n", what, msg);
  exit(1);
}

static void core_run(struct job *j)
{
  struct leen_err err;
  if (j->org) {
    struct leen_stats_report *reps;
    size_t n;
    if (leen_stats_org_month(j->db, &j->actor, j->from, &reps, &n, &err) < 0)
      die("leen_stats_org_month", err.message);
    leen_stats_reports_free(reps, n);
  } else {
    struct leen_stats_report r;
    if (leen_stats_library(j->db, &j->actor, j->library, j->from, j->to, &r, &err) < 0)
      die("leen_stats_library", err.message);
    leen_stats_report_release(&r);
  }
}

static void raw_exec(PGconn *c, const char *name, int n, const char *const *p)
{
  PGresult *r = PQexecPrepared(c, name, n, p, NULL, NULL, 0);
  if (PQresultStatus(r) != PGRES_TUPLES_OK)
    die(name, PQresultErrorMessage(r));
  PQclear(r);
}

/* The statements core runs, minus the library lookup and the snapshot. */
static void raw_run(struct job *j)
{
  char from[16], to[16];
  snprintf(from, sizeof from, "%s-01", j->from);
  snprintf(to, sizeof to, "%s-01", j->to);
  const char *p[] = {j->ids, from, to};
  raw_exec(j->raw, "months", 3, p);
  raw_exec(j->raw, "postcodes", 3, p);
  if (!j->org && strcmp(j->from, j->to) != 0) {
    const char *q[] = {j->lib_id, from, to};
    raw_exec(j->raw, "reach", 3, q);
  }
}

/* Times core and raw SQL alternately, so that a change in the machine's
 * load (other processes share the cores) hits both alike. */
static void measure(struct job *j, int runs, double *core_med, double *raw_med, double *best)
{
  double *tc = calloc((size_t)runs, sizeof *tc), *tr = calloc((size_t)runs, sizeof *tr);
  if (!tc || !tr)
    die("measure", "out of memory");
  /* warm-up: prepares the statements, fills the caches, and runs past
   * the five custom plans after which PL/pgSQL keeps a generic one, as a
   * long-lived API connection does */
  for (int i = 0; i < 6; i++) {
    core_run(j);
    raw_run(j);
  }
  for (int i = 0; i < runs; i++) {
    double t0 = now_ms();
    core_run(j);
    double t1 = now_ms();
    raw_run(j);
    tc[i] = t1 - t0;
    tr[i] = now_ms() - t1;
  }
  qsort(tc, (size_t)runs, sizeof *tc, cmp);
  qsort(tr, (size_t)runs, sizeof *tr, cmp);
  *core_med = tc[runs / 2];
  *raw_med = tr[runs / 2];
  *best = tc[0];
  free(tc);
  free(tr);
}

static void prepare(PGconn *c, const char *name, const char *sql)
{
  PGresult *r = PQprepare(c, name, sql, 0, NULL);
  if (PQresultStatus(r) != PGRES_COMMAND_OK)
    die(name, PQresultErrorMessage(r));
  PQclear(r);
}

static void report(const char *what, struct job *j, int runs, double target)
{
  double core_med, raw_med, core_best;
  measure(j, runs, &core_med, &raw_med, &core_best);
  printf("%-34s core %8.1f ms (best %8.1f)   raw SQL %8.1f ms   raw/core %5.1f %%", what,
         core_med, core_best, raw_med, 100.0 * raw_med / core_med);
  if (target > 0)
    printf("   target < %.0f ms: %s", target, core_med < target ? "met" : "NOT MET");
  printf("\n");
}

int main(int argc, char **argv)
{
  if (argc != 6) {
    fprintf(stderr, "usage: stats_driver CONNINFO LIBRARY MONTH FIRST_OF_12 RUNS\n");
    return 2;
  }
  struct job j;
  memset(&j, 0, sizeof j);
  struct leen_err err;
  if (leen_db_open(&j.db, argv[1], &err) < 0)
    die("connect", err.message);
  j.raw = PQconnectdb(argv[1]);
  if (PQstatus(j.raw) != CONNECTION_OK)
    die("connect", PQerrorMessage(j.raw));
  PQclear(PQexec(j.raw, "SET TIME ZONE 'Europe/Brussels'"));
  prepare(j.raw, "months", "SELECT * FROM leen_stats_months($1::bigint[], $2::date, $3::date)");
  prepare(j.raw, "postcodes",
          "SELECT * FROM leen_stats_postcodes($1::bigint[], $2::date, $3::date)");
  prepare(j.raw, "reach", "SELECT * FROM leen_stats_reach($1::bigint, $2::date, $3::date)");
  j.actor = (struct leen_actor){.user_id = 0, .org_id = 1, .role = LEEN_ROLE_ADMIN};
  j.library = argv[2];
  int runs = (int)strtol(argv[5], NULL, 10);
  if (runs < 1)
    runs = 1;

  PGresult *r = PQexecParams(j.raw, "SELECT id FROM libraries WHERE slug = $1", 1, NULL,
                             (const char *const[]){argv[2]}, NULL, NULL, 0);
  if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1)
    die("no such library", argv[2]);
  snprintf(j.lib_id, sizeof j.lib_id, "%s", PQgetvalue(r, 0, 0));
  PQclear(r);
  char one[64];
  snprintf(one, sizeof one, "{%s}", j.lib_id);
  r = PQexec(j.raw, "SELECT '{' || string_agg(id::text, ',' ORDER BY id) || '}' FROM libraries"
                    " WHERE org_id = 1");
  if (PQresultStatus(r) != PGRES_TUPLES_OK)
    die("libraries", PQresultErrorMessage(r));
  char all[sizeof j.ids];
  snprintf(all, sizeof all, "%s", PQgetvalue(r, 0, 0));
  PQclear(r);

  /* what one library-month looks like, so the figures can be judged */
  struct leen_stats_report rep;
  if (leen_stats_library(j.db, &j.actor, j.library, argv[3], argv[3], &rep, &err) < 0)
    die("leen_stats_library", err.message);
  const struct leen_stats_month *m = &rep.months[0];
  printf("%s %s: %lld loans, %lld returns, %lld active households, %lld sessions, %lld items"
         " lendable, %lld on loan, %zu postcodes\n",
         rep.library, m->month, (long long)m->loans_started, (long long)m->returns,
         (long long)m->active_households, (long long)m->opening_sessions,
         (long long)m->items_lendable_end, (long long)m->items_on_loan_end, m->npostcodes);
  leen_stats_report_release(&rep);

  /* a new connection's first call plans the statistics query */
  struct job fresh = j;
  if (leen_db_open(&fresh.db, argv[1], &err) < 0)
    die("connect", err.message);
  fresh.from = fresh.to = argv[3];
  double t0 = now_ms();
  core_run(&fresh);
  printf("%-34s core %8.1f ms\n", "first call on a new connection", now_ms() - t0);
  leen_db_close(fresh.db);

  snprintf(j.ids, sizeof j.ids, "%s", one);
  j.from = j.to = argv[3];
  report("one library, one month", &j, runs, 200);
  j.from = argv[4];
  report("one library, 12 months", &j, runs, 0);
  snprintf(j.ids, sizeof j.ids, "%s", all);
  j.from = j.to = argv[3];
  j.org = 1;
  report("all libraries, one month", &j, runs, 0);

  PQfinish(j.raw);
  leen_db_close(j.db);
  return 0;
}
