/* Monthly statistics against a hand-built dataset whose every figure is
 * worked out by hand below (fietsbieb, 2026-07 .. 2026-12):
 *   loan 1  H1 item1  08-12 15:00 -> 10-24 11:00   spans Aug, Sep, Oct
 *   loan 2  H2 item2  08-19 14:30 -> 09-16 15:00   swapped for loan 3
 *   loan 3  H2 item3  09-16 15:00 -> open           the swap (swapped_from 2)
 *   loan 4  H3 item4  10-07 14:10 -> 10-31 23:30+01 return on the last day,
 *                                                   after the DST change
 *   loan 5  H5 item5  11-01 00:30+01 -> open        Oct 31 in UTC: November
 *   loan 6  H4 item6  07-22 11:00 -> 10-01 00:30+02 back-dated into July, a
 *                                                   closed month; returned
 *                                                   Sep 30 in UTC: October
 *   loan 7  H1 item1  10-21 15:00 -> open, due 11-04
 * Sessions: Wednesdays, closed in July; Oct 14 closed, Sat Oct 24 opened:
 * Jul 0, Aug 4, Sep 5, Oct 4, Nov 4, Dec 5. Item 7 retired Sep 10, item 9
 * lost Dec 5, item 8 created Oct 20. H3's reduction starts Oct 15 (after
 * its membership of Oct 5), H5's is revoked, H4's ends Jul 31. */
#include <math.h>
#include <string.h>

#include "leen/stats.h"
#include "tsupport.h"

static const char dataset[] =
  "INSERT INTO orgs (id, slug, name) VALUES (2, 'elders', 'Elders');\n"
  "INSERT INTO users (id, org_id, username, password_hash, role) VALUES\n"
  " (1, 1, 'sw', 'x', 'social_worker');\n"
  "INSERT INTO libraries (id, org_id, slug, name, kind, code_prefix, targets) VALUES\n"
  " (101, 1, 'fietsbieb', 'Fietsbieb Izegem', 'fietsbieb', 'FB',\n"
  "  '{\"new_households_6m\": 40, \"reduced_share_min\": 25, \"reduced_share_max\": 50, \"loans_per_session\": 10}'),\n"
  " (102, 1, 'babytheek', 'Babytheek Izegem', 'babytheek', 'BT', '{\"loans_per_session\": 2.5}'),\n"
  " (201, 2, 'elders', 'Fietsbieb Elders', 'fietsbieb', 'EF', '{}');\n"
  "INSERT INTO schedule_rules (library_id, freq, nth, weekday, starts_at, ends_at, closed_months) VALUES\n"
  " (101, 'weekly', NULL, 3, '14:00', '17:00', '{7}'),\n"
  " (102, 'monthly', 3, 6, '10:00', '12:00', '{}'),\n"
  " (201, 'weekly', NULL, 6, '10:00', '12:00', '{}');\n"
  "INSERT INTO schedule_exceptions (library_id, kind, from_date, to_date, starts_at, ends_at) VALUES\n"
  " (101, 'closed', '2026-10-14', '2026-10-14', NULL, NULL),\n"
  " (101, 'open', '2026-10-24', '2026-10-24', '10:00', '12:00');\n"
  "INSERT INTO households (id, org_id, number, name, postcode) VALUES\n"
  " (1, 1, 1, 'Gezin Een', '8870'), (2, 1, 2, 'Gezin Twee', '8870'), (3, 1, 3, 'Gezin Drie', '8880'),\n"
  " (4, 1, 4, 'Gezin Vier', NULL), (5, 1, 5, 'Gezin Vijf', '8870'), (6, 1, 6, 'Gezin Zes', '8870'),\n"
  " (7, 1, 7, 'Gezin Zeven', '8870'), (9, 2, 9, 'Gezin Elders', '9000');\n"
  "INSERT INTO reductions (id, org_id, household_id, voucher_code, level, valid_from, valid_until, issued_by, revoked_at, revoked_by) VALUES\n"
  " (1, 1, 2, NULL, 'social', '2026-08-01', '2027-07-31', 1, NULL, NULL),\n"
  " (2, 1, 3, NULL, 'social', '2026-10-15', '2027-10-14', 1, NULL, NULL),\n"
  " (3, 1, 5, NULL, 'full', '2026-10-01', '2027-09-30', 1, '2026-11-15 10:00+01', 1),\n"
  " (4, 1, 4, NULL, 'social', '2025-01-01', '2026-07-31', 1, NULL, NULL),\n"
  " (5, 1, 7, NULL, 'full', '2026-11-01', '2026-12-01', 1, NULL, NULL),\n"
  " (6, 1, NULL, 'VOUCHER01', 'social', '2026-01-01', '2027-12-31', 1, NULL, NULL);\n"
  "INSERT INTO memberships (id, household_id, library_id, valid_from, valid_until, slots, fee_cents, reduction_cents) VALUES\n"
  " (1, 1, 101, '2026-06-15', '2027-06-14', 1, 2000, 0),\n"
  " (2, 2, 101, '2026-08-03', '2027-08-02', 1, 2000, 1500),\n"
  " (3, 3, 101, '2026-10-05', '2027-10-04', 1, 2000, 0),\n"
  " (4, 4, 101, '2025-03-01', '2026-02-28', 1, 2000, 1500),\n"
  " (5, 4, 101, '2026-03-01', '2027-02-28', 1, 2000, 1500),\n"
  " (6, 4, 102, '2026-09-10', '2027-09-09', 1, 3000, 2500),\n"
  " (7, 5, 101, '2026-10-31', '2027-10-30', 1, 2000, 0),\n"
  " (8, 6, 101, '2026-11-02', '2026-11-19', 1, 2000, 0),\n"
  " (9, 6, 101, '2026-11-20', '2027-11-19', 1, 2000, 0),\n"
  " (10, 7, 101, '2026-12-01', '2027-11-30', 1, 2000, 2000),\n"
  " (11, 9, 201, '2026-09-01', '2027-08-31', 1, 2000, 0);\n"
  "INSERT INTO categories (id, library_id, name, deposit_cents, loan_days) VALUES\n"
  " (1001, 101, 'Fiets 16 inch', 2000, 365), (1002, 102, 'Kinderwagen', 0, 90),\n"
  " (2001, 201, 'Fiets', 2000, 365);\n"
  "INSERT INTO items (id, library_id, category_id, number, code, name, status, reserved_for, created_at, status_changed_at) VALUES\n"
  " (1, 101, 1001, 1, 'FB0001', 'Fiets 1', 'on_loan', NULL, '2026-06-01 10:00+02', '2026-10-21 15:00+02'),\n"
  " (2, 101, 1001, 2, 'FB0002', 'Fiets 2', 'available', NULL, '2026-06-01 10:00+02', '2026-09-16 15:00+02'),\n"
  " (3, 101, 1001, 3, 'FB0003', 'Fiets 3', 'on_loan', NULL, '2026-06-01 10:00+02', '2026-09-16 15:00+02'),\n"
  " (4, 101, 1001, 4, 'FB0004', 'Fiets 4', 'available', NULL, '2026-06-01 10:00+02', '2026-10-31 23:30+01'),\n"
  " (5, 101, 1001, 5, 'FB0005', 'Fiets 5', 'on_loan', NULL, '2026-06-01 10:00+02', '2026-11-01 00:30+01'),\n"
  " (6, 101, 1001, 6, 'FB0006', 'Fiets 6', 'cleaning', NULL, '2026-06-01 10:00+02', '2026-10-01 00:30+02'),\n"
  " (7, 101, 1001, 7, 'FB0007', 'Fiets 7', 'retired', NULL, '2026-06-01 10:00+02', '2026-09-10 12:00+02'),\n"
  " (8, 101, 1001, 8, 'FB0008', 'Fiets 8', 'available', NULL, '2026-10-20 10:00+02', '2026-10-20 10:00+02'),\n"
  " (9, 101, 1001, 9, 'FB0009', 'Fiets 9', 'lost', NULL, '2026-06-01 10:00+02', '2026-12-05 10:00+01'),\n"
  " (10, 102, 1002, 1, 'BT0001', 'Kinderwagen 1', 'on_loan', NULL, '2026-06-01 10:00+02', '2026-09-10 10:00+02'),\n"
  " (11, 201, 2001, 1, 'EF0001', 'Fiets elders', 'on_loan', NULL, '2026-06-01 10:00+02', '2026-09-10 10:00+02');\n"
  "INSERT INTO loans (id, item_id, household_id, library_id, started_at, due_on, deposit_cents, returned_at,\n"
  "                   return_condition, refund_cents, withheld_cents, withheld_reason, swapped_from) VALUES\n"
  " (1, 1, 1, 101, '2026-08-12 15:00+02', '2026-09-09', 2000, '2026-10-24 11:00+02', 'ok', 1500, 500, 'bel ontbreekt', NULL),\n"
  " (2, 2, 2, 101, '2026-08-19 14:30+02', '2027-08-18', 1000, '2026-09-16 15:00+02', 'ok', 1000, 0, NULL, NULL),\n"
  " (3, 3, 2, 101, '2026-09-16 15:00+02', '2027-09-15', 1500, NULL, NULL, NULL, NULL, NULL, 2),\n"
  " (4, 4, 3, 101, '2026-10-07 14:10+02', '2026-10-21', 2000, '2026-10-31 23:30+01', 'ok', 2000, 0, NULL, NULL),\n"
  " (5, 5, 5, 101, '2026-11-01 00:30+01', '2026-12-02', 2000, NULL, NULL, NULL, NULL, NULL, NULL),\n"
  " (6, 6, 4, 101, '2026-07-22 11:00+02', '2026-08-19', 2000, '2026-10-01 00:30+02', 'needs_cleaning', 2000, 0, NULL, NULL),\n"
  " (7, 1, 1, 101, '2026-10-21 15:00+02', '2026-11-04', 1000, NULL, NULL, NULL, NULL, NULL, NULL),\n"
  " (8, 10, 4, 102, '2026-09-10 10:00+02', '2026-12-09', 0, NULL, NULL, NULL, NULL, NULL, NULL),\n"
  " (9, 11, 9, 201, '2026-09-10 10:00+02', '2027-09-09', 2000, NULL, NULL, NULL, NULL, NULL, NULL);\n"
  "INSERT INTO reservations (library_id, household_id, category_id, wanted_from, status, created_at, closed_at) VALUES\n"
  " (101, 1, 1001, '2026-08-20', 'waiting', '2026-08-20 15:00+02', NULL),\n"
  " (101, 3, 1001, '2026-09-05', 'cancelled', '2026-09-05 10:00+02', '2026-10-31 23:30+01'),\n"
  " (101, 5, 1001, '2026-11-01', 'fulfilled', '2026-11-01 00:30+01', '2026-11-10 10:00+01'),\n"
  " (102, 4, 1002, '2026-09-10', 'waiting', '2026-09-10 10:00+02', NULL);\n"
  /* Ledger: (journal, kind, account, amount, household, library, created_at); each journal balances. */
  "INSERT INTO ledger (journal_id, kind, account, amount_cents, household_id, library_id, created_at) VALUES\n"
  " (1, 'membership_fee', 'household', 2000, 2, 101, '2026-08-31 23:30+02'),\n"
  " (1, 'membership_fee', 'fee_income', -2000, 2, 101, '2026-08-31 23:30+02'),\n"
  " (1, 'fee_reduction', 'fee_reduction', 1500, 2, 101, '2026-08-31 23:30+02'),\n"
  " (1, 'fee_reduction', 'household', -1500, 2, 101, '2026-08-31 23:30+02'),\n"
  " (1, 'payment', 'cash', 500, 2, 101, '2026-08-31 23:30+02'),\n"
  " (1, 'payment', 'household', -500, 2, 101, '2026-08-31 23:30+02'),\n"
  " (2, 'membership_fee', 'household', 2000, 3, 101, '2026-10-05 14:00+02'),\n"
  " (2, 'membership_fee', 'fee_income', -2000, 3, 101, '2026-10-05 14:00+02'),\n"
  " (2, 'payment', 'transfer', 2000, 3, 101, '2026-10-05 14:00+02'),\n"
  " (2, 'payment', 'household', -2000, 3, 101, '2026-10-05 14:00+02'),\n"
  " (3, 'membership_fee', 'household', 2000, 6, 101, '2026-11-02 14:00+01'),\n"
  " (3, 'membership_fee', 'fee_income', -2000, 6, 101, '2026-11-02 14:00+01'),\n"
  " (4, 'membership_fee', 'household', 2000, 6, 101, '2026-11-20 14:00+01'),\n"
  " (4, 'membership_fee', 'fee_income', -2000, 6, 101, '2026-11-20 14:00+01'),\n"
  " (5, 'membership_fee', 'household', 2000, 7, 101, '2026-12-01 14:00+01'),\n"
  " (5, 'membership_fee', 'fee_income', -2000, 7, 101, '2026-12-01 14:00+01'),\n"
  " (5, 'fee_reduction', 'fee_reduction', 2000, 7, 101, '2026-12-01 14:00+01'),\n"
  " (5, 'fee_reduction', 'household', -2000, 7, 101, '2026-12-01 14:00+01'),\n"
  " (6, 'membership_fee', 'household', 2000, 5, 101, '2026-10-31 23:30+01'),\n"
  " (6, 'membership_fee', 'fee_income', -2000, 5, 101, '2026-10-31 23:30+01'),\n"
  " (7, 'deposit_taken', 'cash', 2000, 4, 101, '2026-07-22 11:00+02'),\n"
  " (7, 'deposit_taken', 'deposits_held', -2000, 4, 101, '2026-07-22 11:00+02'),\n"
  " (8, 'deposit_taken', 'cash', 2000, 1, 101, '2026-08-12 15:00+02'),\n"
  " (8, 'deposit_taken', 'deposits_held', -2000, 1, 101, '2026-08-12 15:00+02'),\n"
  " (9, 'deposit_taken', 'payconiq', 1000, 2, 101, '2026-08-19 14:30+02'),\n"
  " (9, 'deposit_taken', 'deposits_held', -1000, 2, 101, '2026-08-19 14:30+02'),\n"
  " (10, 'deposit_taken', 'cash', 500, 2, 101, '2026-09-16 15:00+02'),\n"
  " (10, 'deposit_taken', 'deposits_held', -500, 2, 101, '2026-09-16 15:00+02'),\n"
  " (11, 'deposit_refunded', 'deposits_held', 1500, 1, 101, '2026-10-24 11:00+02'),\n"
  " (11, 'deposit_refunded', 'cash', -1500, 1, 101, '2026-10-24 11:00+02'),\n"
  " (11, 'deposit_withheld', 'deposits_held', 500, 1, 101, '2026-10-24 11:00+02'),\n"
  " (11, 'deposit_withheld', 'withheld_income', -500, 1, 101, '2026-10-24 11:00+02'),\n"
  " (12, 'deposit_taken', 'cash', 2000, 3, 101, '2026-10-07 14:10+02'),\n"
  " (12, 'deposit_taken', 'deposits_held', -2000, 3, 101, '2026-10-07 14:10+02'),\n"
  " (13, 'deposit_refunded', 'deposits_held', 2000, 3, 101, '2026-10-31 23:30+01'),\n"
  " (13, 'deposit_refunded', 'cash', -2000, 3, 101, '2026-10-31 23:30+01'),\n"
  " (14, 'deposit_refunded', 'deposits_held', 2000, 4, 101, '2026-10-01 00:30+02'),\n"
  " (14, 'deposit_refunded', 'cash', -2000, 4, 101, '2026-10-01 00:30+02'),\n"
  " (15, 'deposit_taken', 'cash', 1000, 1, 101, '2026-10-21 15:00+02'),\n"
  " (15, 'deposit_taken', 'deposits_held', -1000, 1, 101, '2026-10-21 15:00+02'),\n"
  " (16, 'deposit_taken', 'cash', 2000, 5, 101, '2026-11-01 00:30+01'),\n"
  " (16, 'deposit_taken', 'deposits_held', -2000, 5, 101, '2026-11-01 00:30+01'),\n"
  " (17, 'correction', 'cash', 100, NULL, 101, '2026-12-10 10:00+01'),\n"
  " (17, 'correction', 'deposits_held', -100, NULL, 101, '2026-12-10 10:00+01'),\n"
  " (18, 'membership_fee', 'household', 3000, 4, 102, '2026-09-10 10:00+02'),\n"
  " (18, 'membership_fee', 'fee_income', -3000, 4, 102, '2026-09-10 10:00+02'),\n"
  " (19, 'deposit_taken', 'cash', 2000, 9, 201, '2026-09-10 10:00+02'),\n"
  " (19, 'deposit_taken', 'deposits_held', -2000, 9, 201, '2026-09-10 10:00+02');\n";

static char *ci;

static void setup(void)
{
  ci = ts_db_create(1);
  PGconn *c = ts_connect(ci);
  PGresult *r = PQexec(c, dataset);
  cr_assert_eq(PQresultStatus(r), PGRES_COMMAND_OK, "%s", PQresultErrorMessage(r));
  PQclear(r);
  PQfinish(c);
}
static void teardown(void) { ts_db_drop(ci); }

TestSuite(stats, .init = setup, .fini = teardown, .timeout = 120);

static struct leen_db *open_db(void)
{
  struct leen_db *db;
  struct leen_err err;
  cr_assert_eq(leen_db_open(&db, ci, &err), 0, "%s", err.message);
  return db;
}

static struct leen_actor actor(enum leen_role role, int64_t library)
{
  struct leen_actor a = {.user_id = 1, .org_id = 1, .role = role};
  if (library)
    a.libraries[a.nlibraries++] = library;
  return a;
}

#define NONE LEEN_STATS_NONE

/* The fietsbieb's months, worked out by hand from the dataset. */
static const struct leen_stats_month want[] = {
  /* month, new, new_red, active, active_red, loans, returns, swaps, sessions, lps,
   * lendable, on_loan, util, overdue, fees, reduced, taken, refunded, withheld, held, waiting */
  {"2026-07", 0, 0, 1, 1, 1, 0, 0, 0, NONE, 8, 1, 12.5, 0, 0, 0, 2000, 0, 0, 2000, 0, NULL, 0},
  {"2026-08", 1, 1, 3, 1, 2, 0, 0, 4, 0.5, 8, 3, 37.5, 1, 2000, 1500, 3000, 0, 0, 5000, 1, NULL, 0},
  {"2026-09", 0, 0, 3, 1, 1, 1, 1, 5, 0.2, 7, 3, 42.9, 2, 0, 0, 500, 0, 0, 5500, 2, NULL, 0},
  {"2026-10", 2, 0, 4, 2, 2, 3, 0, 4, 0.5, 8, 2, 25.0, 0, 4000, 0, 3000, 5500, 500, 2500, 1, NULL, 0},
  {"2026-11", 1, 0, 3, 1, 1, 0, 0, 4, 0.3, 8, 3, 37.5, 1, 4000, 0, 2000, 0, 0, 4500, 1, NULL, 0},
  {"2026-12", 1, 1, 3, 1, 0, 0, 0, 5, 0.0, 7, 3, 42.9, 2, 2000, 2000, 0, 0, 0, 4600, 1, NULL, 0},
};

/* Active households per postcode ("" none given, last). */
static const char *const want_postcodes[] = {
  ":1", "8870:2 :1", "8870:2 :1", "8870:2 8880:1 :1", "8870:3", "8870:3",
};

static void assert_month(const struct leen_stats_month *g, const struct leen_stats_month *w)
{
  cr_assert_str_eq(g->month, w->month);
#define EQ(f) cr_assert_eq(g->f, w->f, "%s " #f ": got %lld, want %lld", w->month, \
                           (long long)g->f, (long long)w->f)
  EQ(new_households); EQ(new_households_reduced); EQ(active_households);
  EQ(active_households_reduced); EQ(loans_started); EQ(returns); EQ(swaps); EQ(opening_sessions);
  EQ(items_lendable_end); EQ(items_on_loan_end); EQ(overdue_end); EQ(fees_charged_cents);
  EQ(fees_reduced_cents); EQ(deposits_taken_cents); EQ(deposits_refunded_cents);
  EQ(deposits_withheld_cents); EQ(deposits_held_end_cents); EQ(reservations_waiting_end);
#undef EQ
  cr_assert(fabs(g->loans_per_session - w->loans_per_session) < 1e-9, "%s lps %g want %g",
            w->month, g->loans_per_session, w->loans_per_session);
  cr_assert(fabs(g->utilisation_end - w->utilisation_end) < 1e-9, "%s util %g want %g", w->month,
            g->utilisation_end, w->utilisation_end);
}

static void assert_postcodes(const struct leen_stats_month *g, const char *want_text)
{
  char got[128] = "";
  size_t len = 0;
  for (size_t i = 0; i < g->npostcodes; i++)
    len += (size_t)snprintf(got + len, sizeof got - len, "%s%s:%lld", i ? " " : "",
                            g->postcodes[i].postcode, (long long)g->postcodes[i].households);
  cr_assert_str_eq(got, want_text, "%s postcodes", g->month);
}

Test(stats, every_figure_of_a_half_year)
{
  struct leen_db *db = open_db();
  struct leen_actor a = actor(LEEN_ROLE_COORDINATOR, 101);
  struct leen_stats_report r;
  struct leen_err err;
  cr_assert_eq(leen_stats_library(db, &a, "fietsbieb", "2026-07", "2026-12", &r, &err), 0, "%s",
               err.message);
  cr_assert_str_eq(r.library, "fietsbieb");
  cr_assert_str_eq(r.library_name, "Fietsbieb Izegem");
  cr_assert_str_eq(r.from, "2026-07");
  cr_assert_str_eq(r.to, "2026-12");
  cr_assert_eq(r.nmonths, 6);
  for (size_t i = 0; i < 6; i++) {
    assert_month(&r.months[i], &want[i]);
    assert_postcodes(&r.months[i], want_postcodes[i]);
  }
  cr_assert_eq(r.targets.new_households_6m, 40);
  cr_assert_eq(r.targets.reduced_share_min, 25);
  cr_assert_eq(r.targets.reduced_share_max, 50);
  cr_assert_eq(r.targets.loans_per_session, 10);

  const struct leen_stats_summary *s = &r.summary;
  cr_assert_eq(s->months, 6);
  cr_assert_eq(s->new_households, 5);
  cr_assert_eq(s->new_households_reduced, 2);
  cr_assert_eq(s->loans_started, 7);
  cr_assert_eq(s->returns, 4);
  cr_assert_eq(s->swaps, 1);
  cr_assert_eq(s->opening_sessions, 22);
  cr_assert_eq(s->fees_charged_cents, 12000);
  cr_assert_eq(s->fees_reduced_cents, 3500);
  cr_assert_eq(s->deposits_taken_cents, 10500);
  cr_assert_eq(s->deposits_refunded_cents, 5500);
  cr_assert_eq(s->deposits_withheld_cents, 500);
  cr_assert_eq(s->deposits_held_end_cents, 4600);
  /* H1..H5 had a loan out; H2, H3 and H4 (in July) a reduction */
  cr_assert_eq(s->active_households, 5);
  cr_assert_eq(s->active_households_reduced, 3);
  cr_assert_eq(s->reduced_share, 40.0);
  cr_assert_eq(s->loans_per_session, 0.3);     /* 7 / 22 */
  cr_assert_eq(s->avg_active_households, 2.8); /* 17 / 6 */
  cr_assert_eq(s->avg_new_households, 0.8);
  cr_assert_eq(s->avg_items_lendable_end, 7.7); /* 46 / 6 */
  cr_assert_eq(s->avg_utilisation_end, 32.6);   /* 15 / 46 */
  cr_assert_eq(s->avg_overdue_end, 1.0);
  cr_assert_eq(s->new_households_check.verdict, LEEN_STATS_NOT_MET);
  cr_assert_eq(s->new_households_check.target, 40);
  cr_assert_eq(s->reduced_share_check.verdict, LEEN_STATS_MET);
  cr_assert_eq(s->loans_per_session_check.verdict, LEEN_STATS_NOT_MET);
  leen_stats_report_release(&r);
  leen_stats_report_release(&r);
  leen_db_close(db);
}

/* One month alone gives the same figures as inside a range, and the
 * session's time zone does not move a loan to another month. */
Test(stats, one_month_and_any_session_time_zone)
{
  struct leen_db *db = open_db();
  struct leen_actor a = actor(LEEN_ROLE_ADMIN, 0);
  struct leen_stats_report r;
  struct leen_err err;
  for (size_t i = 0; i < 6; i++) {
    cr_assert_eq(leen_stats_library(db, &a, "fietsbieb", want[i].month, want[i].month, &r, &err),
                 0, "%s", err.message);
    cr_assert_eq(r.nmonths, 1);
    assert_month(&r.months[0], &want[i]);
    cr_assert_eq(r.summary.active_households, want[i].active_households);
    cr_assert_eq(r.summary.new_households_check.target, 6.7);
    leen_stats_report_release(&r);
  }
  PGconn *c = ts_connect(ci);
  PQclear(ts_sql(c, "SET TIME ZONE 'UTC'", 0, NULL));
  PGresult *res = ts_sql(c, "SELECT loans_started, \"returns\", deposits_refunded_cents"
                            " FROM leen_stats_months('{101}', '2026-10-01', '2026-11-01')",
                         0, NULL);
  cr_assert_eq(PQntuples(res), 2);
  cr_assert_str_eq(PQgetvalue(res, 0, 0), "2");
  cr_assert_str_eq(PQgetvalue(res, 0, 1), "3");
  cr_assert_str_eq(PQgetvalue(res, 0, 2), "5500");
  cr_assert_str_eq(PQgetvalue(res, 1, 0), "1");
  PQclear(res);
  PQfinish(c);
  leen_db_close(db);
}

Test(stats, all_libraries_of_the_org_for_a_month)
{
  struct leen_db *db = open_db();
  struct leen_actor admin = actor(LEEN_ROLE_ADMIN, 0);
  struct leen_stats_report *reps;
  size_t n;
  struct leen_err err;
  cr_assert_eq(leen_stats_org_month(db, &admin, "2026-09", &reps, &n, &err), 0, "%s", err.message);
  cr_assert_eq(n, 2, "the other org's library stays out");
  cr_assert_str_eq(reps[0].library, "babytheek");
  cr_assert_str_eq(reps[1].library, "fietsbieb");
  cr_assert_eq(reps[0].nmonths, 1);
  const struct leen_stats_month *b = &reps[0].months[0];
  cr_assert_eq(b->new_households, 1);
  cr_assert_eq(b->loans_started, 1);
  cr_assert_eq(b->opening_sessions, 1);
  cr_assert_eq(b->loans_per_session, 1.0);
  cr_assert_eq(b->fees_charged_cents, 3000);
  cr_assert_eq(b->reservations_waiting_end, 1);
  cr_assert_eq(reps[0].targets.loans_per_session, 2.5);
  cr_assert_eq(reps[0].targets.new_households_6m, NONE);
  cr_assert_eq(reps[0].summary.loans_per_session_check.verdict, LEEN_STATS_NOT_MET);
  cr_assert_eq(reps[0].summary.new_households_check.verdict, LEEN_STATS_NO_TARGET);
  assert_month(&reps[1].months[0], &want[2]);
  leen_stats_reports_free(reps, n);

  struct leen_actor coord = actor(LEEN_ROLE_COORDINATOR, 101);
  cr_assert_eq(leen_stats_org_month(db, &coord, "2026-09", &reps, &n, &err), 0, "%s", err.message);
  cr_assert_eq(n, 1);
  cr_assert_str_eq(reps[0].library, "fietsbieb");
  leen_stats_reports_free(reps, n);

  struct leen_actor vol = actor(LEEN_ROLE_VOLUNTEER, 101);
  cr_assert_eq(leen_stats_org_month(db, &vol, "2026-09", &reps, &n, &err), -1);
  cr_assert_eq(err.code, LEEN_E_FORBIDDEN);
  cr_assert_null(reps);
  cr_assert_eq(leen_stats_org_month(db, &admin, "2026-13", &reps, &n, &err), -1);
  cr_assert_eq(err.code, LEEN_E_INVALID_DATE);
  cr_assert_str_eq(err.field, "/month");
  leen_db_close(db);
}

Test(stats, refuses_bad_requests)
{
  struct leen_db *db = open_db();
  struct leen_actor coord = actor(LEEN_ROLE_COORDINATOR, 101);
  struct leen_actor other = actor(LEEN_ROLE_COORDINATOR, 102);
  struct leen_actor vol = actor(LEEN_ROLE_VOLUNTEER, 101);
  struct leen_actor sw = actor(LEEN_ROLE_SOCIAL_WORKER, 0);
  const struct {
    const struct leen_actor *who;
    const char *library, *from, *to;
    enum leen_code code;
    const char *field;
  } cases[] = {
    {&coord, "fietsbieb", "2026-7", "2026-12", LEEN_E_INVALID_DATE, "/from"},
    {&coord, "fietsbieb", "2026-00", "2026-12", LEEN_E_INVALID_DATE, "/from"},
    {&coord, "fietsbieb", "2026-07", "2026-13", LEEN_E_INVALID_DATE, "/to"},
    {&coord, "fietsbieb", "2026-07", "2026-07-01", LEEN_E_INVALID_DATE, "/to"},
    {&coord, "fietsbieb", "2026-07", NULL, LEEN_E_INVALID_DATE, "/to"},
    {&coord, "fietsbieb", "2026-07", "2026-06", LEEN_E_INVALID_FIELD, "/to"},
    {&coord, "fietsbieb", "2016-01", "2026-01", LEEN_E_INVALID_FIELD, "/to"},
    {&coord, "nergens", "2026-07", "2026-12", LEEN_E_NOT_FOUND, "/library"},
    {&coord, "elders", "2026-07", "2026-12", LEEN_E_NOT_FOUND, "/library"},
    {&coord, "", "2026-07", "2026-12", LEEN_E_INVALID_FIELD, "/library"},
    {&other, "fietsbieb", "2026-07", "2026-12", LEEN_E_FORBIDDEN, ""},
    {&vol, "fietsbieb", "2026-07", "2026-12", LEEN_E_FORBIDDEN, ""},
    {&sw, "fietsbieb", "2026-07", "2026-12", LEEN_E_FORBIDDEN, ""},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    struct leen_stats_report r;
    struct leen_err err;
    int rc = leen_stats_library(db, cases[i].who, cases[i].library, cases[i].from, cases[i].to,
                                &r, &err);
    cr_assert_eq(rc, -1, "case %zu", i);
    cr_assert_eq(err.code, cases[i].code, "case %zu: %s", i, err.message);
    cr_assert_str_eq(err.field, cases[i].field, "case %zu", i);
    cr_assert_eq(r.nmonths, 0);
    cr_assert_null(r.months);
  }
  /* 120 months is the limit, not past it */
  struct leen_stats_report r;
  struct leen_err err;
  cr_assert_eq(leen_stats_library(db, &coord, "fietsbieb", "2017-01", "2026-12", &r, &err), 0,
               "%s", err.message);
  cr_assert_eq(r.nmonths, 120);
  cr_assert_eq(r.summary.new_households, 7, "H1 in June 2026, H4 in March 2025");
  leen_stats_report_release(&r);
  leen_db_close(db);
}

/* The verdicts compare exact figures and scale the six-month target. */
Test(stats_summary, verdicts)
{
  struct leen_stats_month m[3];
  memset(m, 0, sizeof m);
  struct leen_stats_report r = {.months = m, .nmonths = 3, .from = "2026-01", .to = "2026-03"};
  r.targets = (struct leen_stats_targets){20, 25, 50, 10};
  /* 249 loans in 25 sessions: 9.96 shows as 10.0 but is short of 10 */
  m[0].loans_started = 249;
  m[0].opening_sessions = 25;
  m[0].new_households = 10; /* 10 of 20 needed in three months: met */
  m[1].new_households_reduced = 5; m[1].new_households = 10;
  m[2].items_lendable_end = 4;
  leen_stats_summarize(&r, 7, 2);
  const struct leen_stats_summary *s = &r.summary;
  cr_assert_eq(s->loans_per_session, 10.0);
  cr_assert_eq(s->loans_per_session_check.verdict, LEEN_STATS_NOT_MET);
  cr_assert_eq(s->new_households_check.target, 10.0);
  cr_assert_eq(s->new_households_check.verdict, LEEN_STATS_MET);
  cr_assert_eq(s->reduced_share, 25.0); /* 5 of 20: on the lower bound */
  cr_assert_eq(s->reduced_share_check.verdict, LEEN_STATS_MET);
  cr_assert_eq(s->avg_utilisation_end, 0.0);
  cr_assert_eq(s->active_households, 7);
  cr_assert_str_eq(leen_stats_verdict_name(s->reduced_share_check.verdict), "met");

  m[1].new_households_reduced = 11; /* 11 of 20 = 55 %: above the maximum */
  m[0].loans_started = 250;
  leen_stats_summarize(&r, 7, 2);
  cr_assert_eq(s->reduced_share_check.verdict, LEEN_STATS_NOT_MET);
  cr_assert_eq(s->loans_per_session_check.verdict, LEEN_STATS_MET);

  memset(m, 0, sizeof m);
  r.targets = (struct leen_stats_targets){NONE, NONE, NONE, 10};
  leen_stats_summarize(&r, 0, 0);
  cr_assert_eq(s->new_households_check.verdict, LEEN_STATS_NO_TARGET);
  cr_assert_eq(s->reduced_share_check.verdict, LEEN_STATS_NO_TARGET);
  cr_assert_eq(s->loans_per_session_check.verdict, LEEN_STATS_NO_DATA);
  cr_assert_eq(s->loans_per_session, NONE);
  cr_assert_eq(s->reduced_share, NONE);
  cr_assert_eq(s->avg_utilisation_end, NONE);
  cr_assert_str_eq(leen_stats_verdict_name(LEEN_STATS_NO_DATA), "no_data");
}

Test(stats_summary, month_format)
{
  static const char *const good[] = {"2026-01", "2026-12", "2000-06", "2999-09"};
  static const char *const bad[] = {"2026-1", "2026-13", "2026-00", "1999-12", "2026/01",
                                    "2026-01-01", "", "202a-01", " 2026-01"};
  for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
    cr_assert(leen_stats_month_valid(good[i]), "%s", good[i]);
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    cr_assert_not(leen_stats_month_valid(bad[i]), "%s", bad[i]);
  cr_assert_not(leen_stats_month_valid(NULL));
}
