/* Monthly statistics for the city's evaluation (DESIGN.md "Monthly
 * statistics"): the figures of a library per calendar month, Brussels
 * local, with the library's targets beside them and a summary of the
 * period that marks each target met or not.
 *
 * Every figure is exact, not hidden: the renderers (api/stats_render.h)
 * show postcode cells under 5 as "<5". The definitions behind each field
 * are written down in sql/0007_stats.sql. */
#ifndef LEEN_STATS_H
#define LEEN_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "leen/actor.h"
#include "leen/db.h"

/* The longest range one call accepts, in months. */
#define LEEN_STATS_MAX_MONTHS 120

/* Fractional figures are rounded to one decimal (half away from zero).
 * A figure that cannot be computed (a division by zero) is this value,
 * which JSON shows as null and CSV as an empty cell. */
#define LEEN_STATS_NONE (-1.0)

/* Active households of one postcode in one month (exact count). */
struct leen_stats_postcode {
  char postcode[8];              /* "" when the household gave none */
  int64_t households;
};

/* One library in one month. Counts are >= 0; money in cents. */
struct leen_stats_month {
  char month[8];                 /* "YYYY-MM" */
  int64_t new_households;
  int64_t new_households_reduced;
  int64_t active_households;
  int64_t active_households_reduced;
  int64_t loans_started;
  int64_t returns;
  int64_t swaps;
  int64_t opening_sessions;
  double loans_per_session;      /* one decimal; LEEN_STATS_NONE without sessions */
  int64_t items_lendable_end;
  int64_t items_on_loan_end;
  double utilisation_end;        /* percent, one decimal; LEEN_STATS_NONE without lendable items */
  int64_t overdue_end;
  int64_t fees_charged_cents;
  int64_t fees_reduced_cents;
  int64_t deposits_taken_cents;
  int64_t deposits_refunded_cents;
  int64_t deposits_withheld_cents;
  int64_t deposits_held_end_cents;
  int64_t reservations_waiting_end;
  struct leen_stats_postcode *postcodes; /* owned; sorted, "" (none given) last */
  size_t npostcodes;
};

/* A library's targets (libraries.targets). A target that is not set, or
 * not a number, is LEEN_STATS_NONE. */
struct leen_stats_targets {
  double new_households_6m;      /* new households in six months */
  double reduced_share_min;      /* percent of new households on a reduction */
  double reduced_share_max;
  double loans_per_session;
};

enum leen_stats_verdict {
  LEEN_STATS_NO_TARGET,          /* the library set no such target */
  LEEN_STATS_NO_DATA,            /* nothing to judge (no new households, no sessions) */
  LEEN_STATS_MET,
  LEEN_STATS_NOT_MET,
};

/* A target against the period's figure. */
struct leen_stats_check {
  double actual;                 /* LEEN_STATS_NONE when there is nothing to judge */
  double target;                 /* the target (the minimum for the share); LEEN_STATS_NONE: none */
  double target_max;             /* the share's maximum; LEEN_STATS_NONE otherwise */
  enum leen_stats_verdict verdict;
};

/* The period as the evaluation asks for it ("first 6 months", "2026 H1"). */
struct leen_stats_summary {
  char from[8], to[8];           /* "YYYY-MM" */
  int months;
  /* totals of the months */
  int64_t new_households;
  int64_t new_households_reduced;
  int64_t loans_started;
  int64_t returns;
  int64_t swaps;
  int64_t opening_sessions;
  int64_t fees_charged_cents;
  int64_t fees_reduced_cents;
  int64_t deposits_taken_cents;
  int64_t deposits_refunded_cents;
  int64_t deposits_withheld_cents;
  /* at the end of the last month */
  int64_t deposits_held_end_cents;
  /* distinct households over the whole period (not a sum of months) */
  int64_t active_households;
  int64_t active_households_reduced;
  /* percent of new households on a reduction; LEEN_STATS_NONE without any */
  double reduced_share;
  /* total loans / total sessions; LEEN_STATS_NONE without sessions */
  double loans_per_session;
  /* averages per month, one decimal */
  double avg_new_households;
  double avg_active_households;
  double avg_loans_started;
  double avg_opening_sessions;
  double avg_items_lendable_end;
  double avg_items_on_loan_end;
  double avg_utilisation_end;    /* sum on loan / sum lendable; LEEN_STATS_NONE without items */
  double avg_overdue_end;
  double avg_reservations_waiting_end;
  /* new households against new_households_6m scaled to the period's
   * length (x months / 6, so exactly the target for six months) */
  struct leen_stats_check new_households_check;
  /* reduced_share within [reduced_share_min, reduced_share_max] */
  struct leen_stats_check reduced_share_check;
  /* loans_per_session >= the target */
  struct leen_stats_check loans_per_session_check;
};

/* One library over a range of months. */
struct leen_stats_report {
  char library[64];              /* slug */
  char library_name[201];
  char from[8], to[8];           /* "YYYY-MM" */
  struct leen_stats_targets targets;
  struct leen_stats_month *months; /* owned; nmonths entries, in order */
  size_t nmonths;
  struct leen_stats_summary summary;
};

/* The figures of library (a slug) for the months from..to ("YYYY-MM",
 * inclusive, at most LEEN_STATS_MAX_MONTHS), read in one snapshot, with
 * the targets and the summary. who must be a coordinator (or admin) of
 * the library. On success *out owns memory: release it with
 * leen_stats_report_release. On failure *out is left empty (releasing it
 * is harmless). Returns 0, or -1 with err: LEEN_E_INVALID_DATE (a month
 * badly formed, field "/from" or "/to"), LEEN_E_INVALID_FIELD (to before
 * from or too long a range, field "/to"), LEEN_E_NOT_FOUND (no such
 * library in the actor's org, field "/library"), LEEN_E_FORBIDDEN,
 * LEEN_E_DB_UNAVAILABLE. */
int leen_stats_library(struct leen_db *db, const struct leen_actor *who, const char *library,
                       const char *from, const char *to, struct leen_stats_report *out,
                       struct leen_err *err) __attribute__((warn_unused_result));

/* The figures of every library of the actor's org that the actor may see
 * (an admin: all; a coordinator: their own) for one month ("YYYY-MM"):
 * *out is a malloc'ed array of *n one-month reports ordered by slug (free
 * with leen_stats_reports_free; *n may be 0). Returns 0, or -1 with err
 * (LEEN_E_INVALID_DATE, field "/month"; LEEN_E_FORBIDDEN for a volunteer or
 * social worker; LEEN_E_DB_UNAVAILABLE) and *out NULL. */
int leen_stats_org_month(struct leen_db *db, const struct leen_actor *who, const char *month,
                         struct leen_stats_report **out, size_t *n, struct leen_err *err)
    __attribute__((warn_unused_result));

/* Frees what r owns and empties it; r itself is the caller's. NULL is
 * harmless. */
void leen_stats_report_release(struct leen_stats_report *r);

/* Releases the n reports and frees the array; NULL is harmless. */
void leen_stats_reports_free(struct leen_stats_report *r, size_t n);

/* Computes r->summary from r->months and r->targets. active_households
 * and active_households_reduced are distinct over the period, which the
 * months cannot give: they are set from reach_households and
 * reach_reduced (leen_stats_library passes what it read; for one month,
 * pass that month's figures). Pure; the core calls it for you. */
void leen_stats_summarize(struct leen_stats_report *r, int64_t reach_households,
                          int64_t reach_reduced);

/* Checks a month "YYYY-MM" (year 2000-2999, month 01-12). Returns 1 when
 * valid. */
int leen_stats_month_valid(const char *month);

/* The verdict's machine name: "no_target", "no_data", "met", "not_met". */
const char *leen_stats_verdict_name(enum leen_stats_verdict v);

#endif
