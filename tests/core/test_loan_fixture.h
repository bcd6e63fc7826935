/* Shared by the circulation suites (test_loan*.c, test_reservation.c,
 * test_ledger.c, test_concurrency.c): a fresh migrated database per test
 * with a Fietsbieb and a Babytheek, their categories, items, households and
 * memberships inserted by plain SQL, and the actors who work there.
 *
 * Fietsbieb (FB, 101): 3rd Saturday 10:00-12:00, closed in January; social
 *   deposit 50 %. Categories 16" (301, deposit 2000, 365 days, bel+slot)
 *   and 20" (302, deposit 3000). Items FB0001, FB0002 (16"), FB0003,
 *   FB0004 (20").
 * Babytheek (BT, 102): Wednesdays 14:00-17:00 and the 1st Saturday.
 *   Car seats (303, deposit 1500, 90 days, safety check): BT0001 expired
 *   2026-01-31, BT0002 never checked, BT0003 checked and valid.
 *   Strollers (304, deposit 2500, 28 days, regenhoes+pomp): BT0004, BT0005.
 * Households 10001..10004 with a 2-slot membership in both libraries from
 *   2020-01-01 to a year from today; 10005 with none; 10006 with only an
 *   expired Fietsbieb membership. Child 401 belongs to 10001.
 * Users: 201 volunteer FB, 202 coordinator FB+BT, 203 volunteer BT,
 *   204 social worker, 205 admin.
 */
#ifndef TEST_LOAN_FIXTURE_H
#define TEST_LOAN_FIXTURE_H

#include <stdlib.h>
#include <string.h>

#include "leen/ledger.h"
#include "leen/loan.h"
#include "leen/reservation.h"
#include "tsupport.h"

enum { FB = 101, BT = 102, CAT16 = 301, CAT20 = 302, CATSEAT = 303, CATSTROLLER = 304 };

struct fixture {
  char *ci;
  PGconn *pg;
  struct leen_db *db;
  struct leen_actor vol, coord, btvol, social, admin, sys;
};
static struct fixture fx;

static const char fx_sql[] =
  "INSERT INTO libraries (id, org_id, slug, name, kind, code_prefix, fee_cents, social_fee_cents,"
  " fee_per, social_deposit_percent, max_slots, default_loan_days) VALUES"
  " (101, 1, 'fietsbieb', 'Fietsbieb Izegem', 'fietsbieb', 'FB', 2000, 500, 'slot', 50, 4, 365),"
  " (102, 1, 'babytheek', 'Babytheek Izegem', 'babytheek', 'BT', 3000, 500, 'household', 100,"
  " 5, 28);"
  "INSERT INTO schedule_rules (library_id, freq, nth, weekday, starts_at, ends_at, closed_months)"
  " VALUES (101, 'monthly', 3, 6, '10:00', '12:00', '{1}'),"
  " (102, 'weekly', NULL, 3, '14:00', '17:00', '{}'),"
  " (102, 'monthly', 1, 6, '10:00', '12:00', '{}');"
  "INSERT INTO users (id, org_id, username, password_hash, role) VALUES"
  " (201, 1, 'vol', 'x', 'volunteer'), (202, 1, 'coord', 'x', 'coordinator'),"
  " (203, 1, 'btvol', 'x', 'volunteer'), (204, 1, 'social', 'x', 'social_worker'),"
  " (205, 1, 'admin', 'x', 'admin');"
  "INSERT INTO user_libraries VALUES (201, 101), (202, 101), (202, 102), (203, 102);"
  "INSERT INTO categories (id, library_id, name, deposit_cents, loan_days, components,"
  " safety_check) VALUES"
  " (301, 101, 'Fiets 16 inch', 2000, 365, '{bel,slot}', false),"
  " (302, 101, 'Fiets 20 inch', 3000, 365, '{bel,slot}', false),"
  " (303, 102, 'Autostoel', 1500, 90, '{}', true),"
  " (304, 102, 'Kinderwagen', 2500, 28, '{regenhoes,pomp}', false);"
  "INSERT INTO items (library_id, category_id, number, code, name, expires_on, safety_checked_on)"
  " VALUES (101, 301, 1, 'FB0001', 'Btwin 16 rood', NULL, NULL),"
  " (101, 301, 2, 'FB0002', 'Btwin 16 blauw', NULL, NULL),"
  " (101, 302, 3, 'FB0003', 'Btwin 20 groen', NULL, NULL),"
  " (101, 302, 4, 'FB0004', 'Btwin 20 zwart', NULL, NULL),"
  " (102, 303, 1, 'BT0001', 'Maxi-Cosi 2019', '2026-01-31', '2025-01-10'),"
  " (102, 303, 2, 'BT0002', 'Maxi-Cosi nieuw', '2031-01-31', NULL),"
  " (102, 303, 3, 'BT0003', 'Cybex 2024', '2031-01-31', '2025-06-01'),"
  " (102, 304, 4, 'BT0004', 'Joolz wandelwagen', NULL, NULL),"
  " (102, 304, 5, 'BT0005', 'Bugaboo wandelwagen', NULL, NULL);"
  "INSERT INTO households (number, org_id, name) VALUES (10001, 1, 'Gezin Peeters'),"
  " (10002, 1, 'Gezin Janssens'), (10003, 1, 'Gezin Maes'), (10004, 1, 'Gezin Claes'),"
  " (10005, 1, 'Gezin Wouters'), (10006, 1, 'Gezin Goossens');"
  "INSERT INTO children (id, household_id, first_name, birth_month)"
  " SELECT 401, id, 'Lien', '2020-05-01' FROM households WHERE number = 10001;"
  "INSERT INTO memberships (household_id, library_id, valid_from, valid_until, slots, fee_cents,"
  " reduction_cents)"
  " SELECT h.id, l.id, '2020-01-01', current_date + 365, 2, 0, 0"
  " FROM households h, libraries l WHERE h.number BETWEEN 10001 AND 10004 AND l.id IN (101, 102);"
  "INSERT INTO memberships (household_id, library_id, valid_from, valid_until, slots, fee_cents,"
  " reduction_cents)"
  " SELECT id, 101, '2024-01-01', '2024-12-31', 2, 0, 0 FROM households WHERE number = 10006;";

static inline void fx_actor(struct leen_actor *a, int64_t user, enum leen_role role, int64_t lib1,
                     int64_t lib2)
{
  memset(a, 0, sizeof *a);
  a->user_id = user;
  a->org_id = 1;
  a->role = role;
  if (lib1)
    a->libraries[a->nlibraries++] = lib1;
  if (lib2)
    a->libraries[a->nlibraries++] = lib2;
}

static inline void fx_exec(const char *sql)
{
  PGresult *r = PQexec(fx.pg, sql);
  ExecStatusType st = PQresultStatus(r);
  cr_assert(st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK, "SQL failed: %s\n%s",
            PQresultErrorMessage(r), sql);
  PQclear(r);
}

static inline long long fx_int(const char *sql) { return ts_sql_int(fx.pg, sql); }

/* The first cell as text compared to want (NULL: SQL NULL). */
static inline void fx_text_eq(const char *sql, const char *want)
{
  char *v = ts_sql_value(fx.pg, sql);
  if (!want)
    cr_assert_null(v, "%s gave %s", sql, v);
  else
    cr_assert(v && strcmp(v, want) == 0, "%s gave %s, want %s", sql, v ? v : "NULL", want);
  free(v);
}

static inline void fx_setup(void)
{
  memset(&fx, 0, sizeof fx);
  fx.ci = ts_db_create(1);
  fx.pg = ts_connect(fx.ci);
  fx_exec("SET TIME ZONE 'Europe/Brussels'");
  fx_exec(fx_sql);
  struct leen_err err;
  cr_assert_eq(leen_db_open(&fx.db, fx.ci, &err), 0, "%s", err.message);
  fx_actor(&fx.vol, 201, LEEN_ROLE_VOLUNTEER, FB, 0);
  fx_actor(&fx.coord, 202, LEEN_ROLE_COORDINATOR, FB, BT);
  fx_actor(&fx.btvol, 203, LEEN_ROLE_VOLUNTEER, BT, 0);
  fx_actor(&fx.social, 204, LEEN_ROLE_SOCIAL_WORKER, 0, 0);
  fx_actor(&fx.admin, 205, LEEN_ROLE_ADMIN, 0, 0);
  fx_actor(&fx.sys, 0, LEEN_ROLE_ADMIN, 0, 0);
}

/* Every journal balances: checked at the end of every test. */
static inline void fx_ledger_balanced(void)
{
  cr_assert_eq(fx_int("SELECT count(*) FROM (SELECT journal_id FROM ledger GROUP BY 1"
                      " HAVING sum(amount_cents) <> 0) s"),
               0, "a journal does not balance");
}

static inline void fx_teardown(void)
{
  leen_db_close(fx.db);
  if (fx.pg)
    PQfinish(fx.pg);
  ts_db_drop(fx.ci);
}

/* Check-out with the common fields; returns the call's result. */
static inline int fx_checkout(const struct leen_actor *who, const char *item, int32_t household,
                       const char *at, struct leen_loan *out, struct leen_err *err)
{
  struct leen_checkout in = {.item = item, .household = household, .at = at};
  return leen_loan_checkout(fx.db, who, &in, out, err);
}

/* A check-out that must succeed; the loan's id. */
static inline int64_t fx_lend(const char *item, int32_t household)
{
  struct leen_loan l;
  struct leen_err err;
  cr_assert_eq(fx_checkout(&fx.coord, item, household, NULL, &l, &err), 0, "check-out %s: %s",
               item, err.message);
  int64_t id = l.id;
  leen_loan_release(&l);
  return id;
}

static inline int fx_return(const struct leen_actor *who, const char *item, const char *condition,
                     struct leen_loan *out, struct leen_err *err)
{
  struct leen_return in = {.item = item, .condition = condition};
  return leen_loan_return(fx.db, who, &in, out, err);
}

/* A return that must succeed, condition ok; the item's status after it. */
static inline void fx_take_back(const char *item, const char *want_status)
{
  struct leen_loan l;
  struct leen_err err;
  cr_assert_eq(fx_return(&fx.coord, item, "ok", &l, &err), 0, "return %s: %s", item,
               err.message);
  cr_assert_str_eq(l.item_status, want_status);
  leen_loan_release(&l);
}

#endif
