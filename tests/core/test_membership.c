/* Memberships: fees per slot and per household, the social and full
 * tariffs, the ledger journals row by row, periods and renewals, roles. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "leen/household.h"
#include "leen/membership.h"
#include "leen/reduction.h"
#include "tsupport.h"

static char *ci;
static PGconn *pg;
static struct leen_db *db;

/* An org with a Babytheek (EUR 30 per household, social EUR 5, up to 5
 * items) and a Fietsbieb (EUR 20 per bike, social EUR 5 per bike, up to
 * 4 bikes), and one user per role. */
static const char seed_sql[] =
  "SET TIME ZONE 'Europe/Brussels';"
  "INSERT INTO libraries (org_id, slug, name, kind, code_prefix, fee_cents, social_fee_cents,"
  "  fee_per, max_slots, membership_months)"
  " SELECT id, 'babytheek', 'Babytheek Izegem', 'babytheek', 'BT', 3000, 500, 'household', 5, 12"
  " FROM orgs WHERE slug = 'default';"
  "INSERT INTO libraries (org_id, slug, name, kind, code_prefix, fee_cents, social_fee_cents,"
  "  fee_per, max_slots, membership_months)"
  " SELECT id, 'fietsbieb', 'Fietsbieb Izegem', 'fietsbieb', 'FB', 2000, 500, 'slot', 4, 12"
  " FROM orgs WHERE slug = 'default';"
  "INSERT INTO users (org_id, username, password_hash, role)"
  " SELECT o.id, u.name, 'x', u.role FROM orgs o,"
  " (VALUES ('vol', 'volunteer'), ('coord', 'coordinator'), ('sw', 'social_worker'),"
  "         ('admin', 'admin'), ('volbt', 'volunteer')) AS u (name, role)"
  " WHERE o.slug = 'default';"
  "INSERT INTO user_libraries SELECT u.id, l.id FROM users u, libraries l"
  " WHERE u.username IN ('vol', 'coord');"
  "INSERT INTO user_libraries SELECT u.id, l.id FROM users u, libraries l"
  " WHERE u.username = 'volbt' AND l.slug = 'babytheek';"
  "INSERT INTO orgs (slug, name) VALUES ('elders', 'Elders');"
  "INSERT INTO libraries (org_id, slug, name, kind, code_prefix, fee_cents)"
  " SELECT id, 'elders-bieb', 'Elders', 'fietsbieb', 'EB', 1000 FROM orgs WHERE slug = 'elders';";

static void setup(void)
{
  ci = ts_db_create(1);
  pg = ts_connect(ci);
  PGresult *r = PQexec(pg, seed_sql);
  cr_assert_eq(PQresultStatus(r), PGRES_COMMAND_OK, "%s", PQresultErrorMessage(r));
  PQclear(r);
  struct leen_err err;
  cr_assert_eq(leen_db_open(&db, ci, &err), 0, "%s", err.message);
}

static void teardown(void)
{
  leen_db_close(db);
  PQfinish(pg);
  ts_db_drop(ci);
}

TestSuite(membership, .init = setup, .fini = teardown, .timeout = 60);

static long long qint(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static long long qint(const char *fmt, ...)
{
  char sql[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(sql, sizeof sql, fmt, ap);
  va_end(ap);
  return ts_sql_int(pg, sql);
}

/* A day relative to today (Brussels) as YYYY-MM-DD. */
static void day(char out[11], const char *expr)
{
  char sql[256];
  snprintf(sql, sizeof sql, "SELECT to_char(%s, 'YYYY-MM-DD')", expr);
  char *v = ts_sql_value(pg, sql);
  cr_assert(v);
  snprintf(out, 11, "%s", v);
  free(v);
}

static struct leen_actor actor(const char *username)
{
  struct leen_actor a;
  memset(&a, 0, sizeof a);
  const char *p[] = {username};
  PGresult *r = ts_sql(pg, "SELECT id, org_id, role FROM users WHERE username = $1", 1, p);
  cr_assert_eq(PQntuples(r), 1);
  a.user_id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
  a.org_id = strtoll(PQgetvalue(r, 0, 1), NULL, 10);
  cr_assert_eq(leen_role_parse(PQgetvalue(r, 0, 2), &a.role), 0);
  PQclear(r);
  r = ts_sql(pg,
             "SELECT library_id FROM user_libraries JOIN users ON users.id = user_id"
             " WHERE username = $1 ORDER BY library_id",
             1, p);
  for (int i = 0; i < PQntuples(r); i++)
    a.libraries[a.nlibraries++] = strtoll(PQgetvalue(r, i, 0), NULL, 10);
  PQclear(r);
  return a;
}

static int64_t household(const char *name)
{
  struct leen_actor vol = actor("vol");
  struct leen_household_new h = {.name = name, .postcode = "8870"};
  struct leen_household out;
  struct leen_err err;
  cr_assert_eq(leen_household_create(db, &vol, &h, &out, &err), 0, "%s", err.message);
  int64_t number = out.number;
  leen_household_release(&out);
  return number;
}

/* Issues a reduction valid from 10 days ago to 200 days ahead. */
static int64_t reduce(int64_t number, const char *level)
{
  struct leen_actor sw = actor("sw");
  char from[11], until[11];
  day(from, "current_date - 10");
  day(until, "current_date + 200");
  struct leen_reduction_new r = {.household = number, .level = level, .valid_from = from,
                                 .valid_until = until};
  struct leen_reduction out;
  struct leen_err err;
  cr_assert_eq(leen_reduction_issue(db, &sw, &r, &out, &err), 0, "%s", err.message);
  return out.id;
}

static void start_ok(const char *user, int64_t number, const char *library, int slots,
                     const char *payment, const char *valid_from, struct leen_membership *m)
{
  struct leen_actor a = actor(user);
  struct leen_membership_new in = {.library = library, .slots = slots, .payment = payment,
                                   .valid_from = valid_from};
  struct leen_err err;
  cr_assert_eq(leen_membership_start(db, &a, number, &in, m, &err), 0, "%s (%s)", err.message,
               err.field);
}

static void start_fails(const char *user, int64_t number, const char *library, int slots,
                        const char *payment, const char *valid_from, enum leen_code code,
                        const char *field)
{
  struct leen_actor a = actor(user);
  struct leen_membership_new in = {.library = library, .slots = slots, .payment = payment,
                                   .valid_from = valid_from};
  struct leen_membership m;
  struct leen_err err;
  cr_assert_eq(leen_membership_start(db, &a, number, &in, &m, &err), -1);
  cr_assert_eq(err.code, code, "got %s: %s", leen_code_name(err.code), err.message);
  cr_assert_str_eq(err.field, field, "%s", err.message);
}

struct line {
  const char *kind, *account;
  long long amount;
};

/* The membership's ledger rows in order, each journal balanced, all on
 * the household and the library. */
static void expect_ledger(int64_t membership, const struct line *want, int n, int journals)
{
  char mid[24];
  snprintf(mid, sizeof mid, "%lld", (long long)membership);
  const char *p[] = {mid};
  PGresult *r = ts_sql(pg,
                       "SELECT kind, account, amount_cents, household_id IS NOT NULL,"
                       " library_id IS NOT NULL FROM ledger WHERE membership_id = $1::bigint"
                       " ORDER BY id",
                       1, p);
  cr_assert_eq(PQntuples(r), n);
  for (int i = 0; i < n; i++) {
    cr_expect_str_eq(PQgetvalue(r, i, 0), want[i].kind, "row %d", i);
    cr_expect_str_eq(PQgetvalue(r, i, 1), want[i].account, "row %d", i);
    cr_expect_eq(strtoll(PQgetvalue(r, i, 2), NULL, 10), want[i].amount, "row %d", i);
    cr_expect_str_eq(PQgetvalue(r, i, 3), "t");
    cr_expect_str_eq(PQgetvalue(r, i, 4), "t");
  }
  PQclear(r);
  cr_assert_eq(qint("SELECT count(DISTINCT journal_id) FROM ledger WHERE membership_id = %s", mid),
               journals);
  cr_assert_eq(qint("SELECT count(*) FROM (SELECT journal_id FROM ledger WHERE membership_id = %s"
                    " GROUP BY journal_id HAVING sum(amount_cents) <> 0) j", mid), 0);
  cr_assert_eq(qint("SELECT count(*) FROM (SELECT journal_id FROM ledger WHERE membership_id = %s"
                    " GROUP BY journal_id HAVING count(DISTINCT kind) <> 1) j", mid), 0);
}

Test(membership, fietsbieb_two_slots_social_tariff)
{
  int64_t hh = household("Gezin Peeters");
  reduce(hh, "social");
  struct leen_membership m;
  start_ok("vol", hh, "fietsbieb", 2, "cash", NULL, &m);
  char today[11], until[11], red_until[11];
  day(today, "current_date");
  day(until, "(current_date + interval '12 months')::date - 1");
  day(red_until, "current_date + 200");
  cr_assert_str_eq(m.library, "fietsbieb");
  cr_assert_eq(m.household, hh);
  cr_assert_str_eq(m.valid_from, today);
  cr_assert_str_eq(m.valid_until, until);
  cr_assert_eq(m.slots, 2);
  cr_assert_eq(m.fee_cents, 4000);
  cr_assert_eq(m.reduction_cents, 3000);
  cr_assert_eq(m.due_cents, 1000);
  cr_assert_eq(m.reduction.active, 1);
  cr_assert_str_eq(m.reduction.valid_until, red_until);

  const struct line want[] = {
    {"membership_fee", "household", 4000}, {"membership_fee", "fee_income", -4000},
    {"fee_reduction", "fee_reduction", 3000}, {"fee_reduction", "household", -3000},
    {"payment", "cash", 1000},              {"payment", "household", -1000},
  };
  expect_ledger(m.id, want, 6, 3);
  cr_assert_eq(qint("SELECT sum(amount_cents) FROM ledger WHERE account = 'household'"), 0);
  cr_assert_eq(qint("SELECT count(*) FROM memberships WHERE id = %lld AND fee_cents = 4000"
                    " AND reduction_cents = 3000 AND reduction_id IS NOT NULL",
                    (long long)m.id), 1);
  cr_assert_eq(qint("SELECT count(*) FROM audit a JOIN users u ON u.id = a.user_id"
                    " WHERE a.action = 'create' AND a.entity = 'membership'"
                    " AND a.entity_id = '%lld' AND u.username = 'vol'"
                    " AND (a.details->>'due_cents')::int = 1000",
                    (long long)m.id), 1);
}

Test(membership, fietsbieb_two_slots_full_level_costs_nothing)
{
  int64_t hh = household("Gezin Claes");
  reduce(hh, "full");
  struct leen_membership m;
  /* nothing is due, so no payment method is needed */
  start_ok("vol", hh, "fietsbieb", 2, NULL, NULL, &m);
  cr_assert_eq(m.fee_cents, 4000);
  cr_assert_eq(m.reduction_cents, 4000);
  cr_assert_eq(m.due_cents, 0);
  cr_assert_eq(m.reduction.active, 1);
  const struct line want[] = {
    {"membership_fee", "household", 4000}, {"membership_fee", "fee_income", -4000},
    {"fee_reduction", "fee_reduction", 4000}, {"fee_reduction", "household", -4000},
  };
  expect_ledger(m.id, want, 4, 2);
}

Test(membership, fietsbieb_regular_fee_per_slot)
{
  int64_t hh = household("Gezin Maes");
  struct leen_membership m;
  start_ok("vol", hh, "fietsbieb", 3, "payconiq", NULL, &m);
  cr_assert_eq(m.fee_cents, 6000);
  cr_assert_eq(m.reduction_cents, 0);
  cr_assert_eq(m.due_cents, 6000);
  cr_assert_eq(m.reduction.active, 0);
  cr_assert_str_eq(m.reduction.valid_until, "");
  const struct line want[] = {
    {"membership_fee", "household", 6000}, {"membership_fee", "fee_income", -6000},
    {"payment", "payconiq", 6000},          {"payment", "household", -6000},
  };
  expect_ledger(m.id, want, 4, 2);
}

Test(membership, babytheek_fee_per_household)
{
  int64_t regular = household("Gezin Jacobs");
  int64_t social = household("Gezin Mertens");
  reduce(social, "social");
  struct leen_membership m;
  start_ok("vol", regular, "babytheek", 5, "transfer", NULL, &m);
  cr_assert_eq(m.slots, 5);
  cr_assert_eq(m.fee_cents, 3000);
  cr_assert_eq(m.reduction_cents, 0);
  cr_assert_eq(m.due_cents, 3000);
  const struct line plain[] = {
    {"membership_fee", "household", 3000}, {"membership_fee", "fee_income", -3000},
    {"payment", "transfer", 3000},          {"payment", "household", -3000},
  };
  expect_ledger(m.id, plain, 4, 2);

  start_ok("vol", social, "babytheek", 3, "cash", NULL, &m);
  cr_assert_eq(m.fee_cents, 3000);
  cr_assert_eq(m.reduction_cents, 2500);
  cr_assert_eq(m.due_cents, 500);
  const struct line reduced[] = {
    {"membership_fee", "household", 3000}, {"membership_fee", "fee_income", -3000},
    {"fee_reduction", "fee_reduction", 2500}, {"fee_reduction", "household", -2500},
    {"payment", "cash", 500},               {"payment", "household", -500},
  };
  expect_ledger(m.id, reduced, 6, 3);
}

Test(membership, social_worker_cannot_start_memberships)
{
  int64_t hh = household("Gezin Wouters");
  start_fails("sw", hh, "fietsbieb", 1, "cash", NULL, LEEN_E_FORBIDDEN, "");
  /* nor a volunteer in a library they do not work in */
  start_fails("volbt", hh, "fietsbieb", 1, "cash", NULL, LEEN_E_FORBIDDEN, "/library");
  cr_assert_eq(qint("SELECT count(*) FROM memberships"), 0);
  cr_assert_eq(qint("SELECT count(*) FROM ledger"), 0);
}

Test(membership, slots_are_checked)
{
  int64_t hh = household("Gezin Dubois");
  start_fails("vol", hh, "fietsbieb", 5, "cash", NULL, LEEN_E_INVALID_FIELD, "/slots");
  start_fails("vol", hh, "fietsbieb", 0, "cash", NULL, LEEN_E_INVALID_FIELD, "/slots");
  start_fails("vol", hh, "babytheek", 6, "cash", NULL, LEEN_E_INVALID_FIELD, "/slots");
  struct leen_membership m;
  start_ok("vol", hh, "fietsbieb", 4, "cash", NULL, &m);
  cr_assert_eq(m.fee_cents, 8000);
}

Test(membership, payment_and_library_are_checked)
{
  int64_t hh = household("Gezin Lambert");
  start_fails("vol", hh, "fietsbieb", 1, NULL, NULL, LEEN_E_INVALID_FIELD, "/payment");
  start_fails("vol", hh, "fietsbieb", 1, "bitcoin", NULL, LEEN_E_INVALID_FIELD, "/payment");
  start_fails("vol", hh, "nergens", 1, "cash", NULL, LEEN_E_NOT_FOUND, "/library");
  /* another org's library does not exist for this org */
  start_fails("admin", hh, "elders-bieb", 1, "cash", NULL, LEEN_E_NOT_FOUND, "/library");
  start_fails("vol", 99999, "fietsbieb", 1, "cash", NULL, LEEN_E_NOT_FOUND, "/household");
  start_fails("vol", hh, "fietsbieb", 1, "cash", "2026-02-30", LEEN_E_INVALID_DATE,
              "/valid_from");
}

Test(membership, past_start_is_for_coordinators)
{
  int64_t hh = household("Gezin Willems");
  start_fails("vol", hh, "fietsbieb", 1, "cash", "2025-03-01", LEEN_E_FORBIDDEN, "/valid_from");
  struct leen_membership m;
  start_ok("coord", hh, "fietsbieb", 1, "cash", "2025-03-01", &m);
  cr_assert_str_eq(m.valid_from, "2025-03-01");
  cr_assert_str_eq(m.valid_until, "2026-02-28");
  cr_assert_eq(m.due_cents, 2000);
}

Test(membership, renewal_continues_the_running_period)
{
  int64_t hh = household("Gezin Goossens");
  char from[11], until[11], next_from[11], next_until[11];
  day(from, "current_date - 30");
  day(until, "(current_date - 30 + interval '12 months')::date - 1");
  day(next_from, "(current_date - 30 + interval '12 months')::date");
  day(next_until, "(current_date - 30 + interval '24 months')::date - 1");
  struct leen_membership m;
  start_ok("coord", hh, "fietsbieb", 1, "cash", from, &m);
  cr_assert_str_eq(m.valid_until, until);
  /* a volunteer renews early: the new period starts when the running one ends */
  start_ok("vol", hh, "fietsbieb", 2, "cash", NULL, &m);
  cr_assert_str_eq(m.valid_from, next_from);
  cr_assert_str_eq(m.valid_until, next_until);
  cr_assert_eq(m.fee_cents, 4000);
  /* an explicit start inside a period is refused */
  start_fails("vol", hh, "fietsbieb", 1, "cash", next_from, LEEN_E_CONFLICT, "/valid_from");
  /* the Babytheek has its own periods */
  start_ok("vol", hh, "babytheek", 1, "cash", NULL, &m);
  day(from, "current_date");
  cr_assert_str_eq(m.valid_from, from);
}

Test(membership, lapsed_membership_renews_from_today)
{
  int64_t hh = household("Gezin Hermans");
  struct leen_membership m;
  start_ok("coord", hh, "babytheek", 1, "cash", "2024-01-01", &m);
  cr_assert_str_eq(m.valid_until, "2024-12-31");
  start_ok("vol", hh, "babytheek", 1, "cash", NULL, &m);
  char today[11];
  day(today, "current_date");
  cr_assert_str_eq(m.valid_from, today);
}

Test(membership, reduction_is_taken_on_the_start_day)
{
  /* a reduction that ends before a renewal starts does not apply to it */
  int64_t hh = household("Gezin Smets");
  reduce(hh, "social");
  struct leen_membership m;
  char from[11];
  day(from, "current_date + 201");
  start_ok("vol", hh, "fietsbieb", 1, "cash", from, &m);
  cr_assert_eq(m.due_cents, 2000);
  cr_assert_eq(m.reduction.active, 0);
  cr_assert_eq(qint("SELECT count(*) FROM ledger WHERE kind = 'fee_reduction'"), 0);
}

Test(membership, list_and_active)
{
  int64_t hh = household("Gezin Vermeulen");
  reduce(hh, "social");
  struct leen_membership m1, m2, m;
  start_ok("coord", hh, "fietsbieb", 1, "cash", "2024-05-01", &m1);
  start_ok("vol", hh, "babytheek", 2, "cash", NULL, &m2);
  struct leen_actor vol = actor("vol"), sw = actor("sw");
  struct leen_membership_list l;
  struct leen_err err;
  cr_assert_eq(leen_membership_list(db, &vol, hh, &l, &err), 0, "%s", err.message);
  cr_assert_eq(l.n, 2);
  cr_assert_eq(l.items[0].id, m2.id);
  cr_assert_str_eq(l.items[0].library, "babytheek");
  cr_assert_eq(l.items[0].due_cents, 500);
  cr_assert_eq(l.items[0].reduction_cents, 2500);
  cr_assert_eq(l.items[0].reduction.active, 1);
  cr_assert_eq(l.items[1].id, m1.id);
  cr_assert_str_eq(l.items[1].valid_until, "2025-04-30");
  cr_assert_eq(l.items[1].due_cents, 2000);
  cr_assert_eq(l.items[1].reduction.active, 0);
  leen_membership_list_release(&l);
  leen_membership_list_release(&l);

  cr_assert_eq(leen_membership_active(db, &vol, hh, "babytheek", NULL, &m, &err), 1);
  cr_assert_eq(m.id, m2.id);
  cr_assert_eq(m.slots, 2);
  cr_assert_eq(leen_membership_active(db, &vol, hh, "fietsbieb", NULL, &m, &err), 0);
  cr_assert_eq(m.id, 0);
  cr_assert_eq(leen_membership_active(db, &vol, hh, "fietsbieb", "2025-04-30", &m, &err), 1);
  cr_assert_eq(m.id, m1.id);
  cr_assert_eq(leen_membership_active(db, &vol, hh, "fietsbieb", "2025-05-01", &m, &err), 0);
  cr_assert_eq(leen_membership_active(db, &vol, hh, "fietsbieb", "2025-5-1", &m, &err), -1);
  cr_assert_eq(err.code, LEEN_E_INVALID_DATE);
  cr_assert_eq(leen_membership_active(db, &sw, hh, "fietsbieb", NULL, &m, &err), -1);
  cr_assert_eq(err.code, LEEN_E_FORBIDDEN);
  cr_assert_eq(leen_membership_list(db, &sw, hh, &l, &err), -1);
  cr_assert_eq(err.code, LEEN_E_FORBIDDEN);
  cr_assert_eq(leen_membership_list(db, &vol, 99999, &l, &err), -1);
  cr_assert_eq(err.code, LEEN_E_NOT_FOUND);
}
