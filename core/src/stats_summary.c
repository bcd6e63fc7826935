/* The period summary: totals, averages and the targets judged, computed
 * from the months alone (plus the period's reach, which SQL counts). */
#include <stdio.h>
#include <string.h>

#include "leen/stats.h"

/* num / den in tenths, rounded half away from zero, for num, den >= 0;
 * exact in integers so 0.25 becomes 0.3 as SQL's round() does. */
static double ratio1(int64_t num, int64_t den)
{
  if (den <= 0)
    return LEEN_STATS_NONE;
  return (double)((20 * num + den) / (2 * den)) / 10.0;
}

static double round1(double x)
{
  double t = x * 10.0;
  long long r = (long long)(t < 0 ? t - 0.5 : t + 0.5);
  return (double)r / 10.0;
}

const char *leen_stats_verdict_name(enum leen_stats_verdict v)
{
  switch (v) {
  case LEEN_STATS_NO_TARGET:
    return "no_target";
  case LEEN_STATS_NO_DATA:
    return "no_data";
  case LEEN_STATS_MET:
    return "met";
  case LEEN_STATS_NOT_MET:
    return "not_met";
  }
  return "no_target";
}

static int set(double v) { return v >= 0; }

void leen_stats_summarize(struct leen_stats_report *r, int64_t reach_households,
                          int64_t reach_reduced)
{
  struct leen_stats_summary *s = &r->summary;
  memset(s, 0, sizeof *s);
  snprintf(s->from, sizeof s->from, "%s", r->from);
  snprintf(s->to, sizeof s->to, "%s", r->to);
  s->months = (int)r->nmonths;
  int64_t active = 0, lendable = 0, on_loan = 0, overdue = 0, waiting = 0;
  for (size_t i = 0; i < r->nmonths; i++) {
    const struct leen_stats_month *m = &r->months[i];
    s->new_households += m->new_households;
    s->new_households_reduced += m->new_households_reduced;
    s->loans_started += m->loans_started;
    s->returns += m->returns;
    s->swaps += m->swaps;
    s->opening_sessions += m->opening_sessions;
    s->fees_charged_cents += m->fees_charged_cents;
    s->fees_reduced_cents += m->fees_reduced_cents;
    s->deposits_taken_cents += m->deposits_taken_cents;
    s->deposits_refunded_cents += m->deposits_refunded_cents;
    s->deposits_withheld_cents += m->deposits_withheld_cents;
    s->deposits_held_end_cents = m->deposits_held_end_cents;
    active += m->active_households;
    lendable += m->items_lendable_end;
    on_loan += m->items_on_loan_end;
    overdue += m->overdue_end;
    waiting += m->reservations_waiting_end;
  }
  s->active_households = reach_households;
  s->active_households_reduced = reach_reduced;
  s->reduced_share = ratio1(100 * s->new_households_reduced, s->new_households);
  s->loans_per_session = ratio1(s->loans_started, s->opening_sessions);
  int64_t n = (int64_t)r->nmonths;
  s->avg_new_households = ratio1(s->new_households, n);
  s->avg_active_households = ratio1(active, n);
  s->avg_loans_started = ratio1(s->loans_started, n);
  s->avg_opening_sessions = ratio1(s->opening_sessions, n);
  s->avg_items_lendable_end = ratio1(lendable, n);
  s->avg_items_on_loan_end = ratio1(on_loan, n);
  s->avg_utilisation_end = ratio1(100 * on_loan, lendable);
  s->avg_overdue_end = ratio1(overdue, n);
  s->avg_reservations_waiting_end = ratio1(waiting, n);

  /* Verdicts compare the exact figures (cross-multiplied), not the
   * rounded ones shown: 9.96 loans per session does not meet 10. */
  const struct leen_stats_targets *t = &r->targets;
  struct leen_stats_check *c = &s->new_households_check;
  c->actual = (double)s->new_households;
  c->target = set(t->new_households_6m) ? round1(t->new_households_6m * (double)n / 6.0)
                                        : LEEN_STATS_NONE;
  c->target_max = LEEN_STATS_NONE;
  if (!set(t->new_households_6m))
    c->verdict = LEEN_STATS_NO_TARGET;
  else
    c->verdict = 6.0 * (double)s->new_households >= t->new_households_6m * (double)n
                     ? LEEN_STATS_MET : LEEN_STATS_NOT_MET;

  c = &s->reduced_share_check;
  c->actual = s->reduced_share;
  c->target = set(t->reduced_share_min) ? t->reduced_share_min : LEEN_STATS_NONE;
  c->target_max = set(t->reduced_share_max) ? t->reduced_share_max : LEEN_STATS_NONE;
  if (!set(t->reduced_share_min) && !set(t->reduced_share_max))
    c->verdict = LEEN_STATS_NO_TARGET;
  else if (s->new_households == 0)
    c->verdict = LEEN_STATS_NO_DATA;
  else {
    double share100 = 100.0 * (double)s->new_households_reduced;
    double total = (double)s->new_households;
    int low_ok = !set(t->reduced_share_min) || share100 >= t->reduced_share_min * total;
    int high_ok = !set(t->reduced_share_max) || share100 <= t->reduced_share_max * total;
    c->verdict = low_ok && high_ok ? LEEN_STATS_MET : LEEN_STATS_NOT_MET;
  }

  c = &s->loans_per_session_check;
  c->actual = s->loans_per_session;
  c->target = set(t->loans_per_session) ? t->loans_per_session : LEEN_STATS_NONE;
  c->target_max = LEEN_STATS_NONE;
  if (!set(t->loans_per_session))
    c->verdict = LEEN_STATS_NO_TARGET;
  else if (s->opening_sessions == 0)
    c->verdict = LEEN_STATS_NO_DATA;
  else
    c->verdict = (double)s->loans_started >= t->loans_per_session * (double)s->opening_sessions
                     ? LEEN_STATS_MET : LEEN_STATS_NOT_MET;
}
