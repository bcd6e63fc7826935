/* scripts/demo-data.sql: it loads into a freshly migrated database (as
 * scripts/demo runs it) and the data it leaves keeps every rule the core
 * keeps: one open loan per item, slots, item status, balanced ledger,
 * due dates on opening sessions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tsupport.h"

static char *ci;
static PGconn *conn;

/* A conninfo for database `name` on the fixture's cluster (malloc'ed). */
static char *conninfo_for(const char *name)
{
  const char *admin = ts_admin_conninfo();
  const char *db = strstr(admin, "dbname=");
  cr_assert(db);
  size_t len = (size_t)(db - admin) + 7 + strlen(name) + 1;
  char *out = malloc(len);
  cr_assert(out);
  snprintf(out, len, "%.*sdbname=%s", (int)(db - admin), admin, name);
  return out;
}

/* Loading the script takes seconds, so it is loaded once per run of the
 * suite, into a template database, by whichever test comes first (the
 * others wait on an advisory lock); every test works on its own copy.
 * The template goes away with the fixture's cluster. */
static void load(void)
{
  char tpl[64], copy[96], sql[300];
  snprintf(tpl, sizeof tpl, "leen_demo_%d", (int)getppid());
  snprintf(copy, sizeof copy, "%s_%d", tpl, (int)getpid());
  PGconn *admin = ts_connect(ts_admin_conninfo());
  PQclear(ts_sql(admin, "SELECT pg_advisory_lock(hashtext('leen demo data'))", 0, NULL));
  const char *params[] = {tpl};
  PGresult *r = ts_sql(admin, "SELECT count(*) FROM pg_database WHERE datname = $1", 1, params);
  int exists = strcmp(PQgetvalue(r, 0, 0), "0") != 0;
  PQclear(r);
  if (!exists) {
    char *fresh = ts_db_create(1);
    const char *argv[] = {"/usr/bin/psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", fresh, "-f",
                          LEEN_SOURCE_DIR "/scripts/demo-data.sql", NULL};
    struct ts_run run;
    ts_run(argv, NULL, &run);
    if (run.exit_code != 0)
      ts_db_drop(fresh);
    cr_assert_eq(run.exit_code, 0, "demo-data.sql failed (%d): %s", run.exit_code, run.err);
    ts_run_release(&run);
    snprintf(sql, sizeof sql, "ALTER DATABASE %s RENAME TO %s", strstr(fresh, "dbname=") + 7, tpl);
    PQclear(ts_sql(admin, sql, 0, NULL));
    free(fresh);
  }
  snprintf(sql, sizeof sql, "CREATE DATABASE %s TEMPLATE %s", copy, tpl);
  PQclear(ts_sql(admin, sql, 0, NULL));
  PQclear(ts_sql(admin, "SELECT pg_advisory_unlock(hashtext('leen demo data'))", 0, NULL));
  PQfinish(admin);
  ci = conninfo_for(copy);
  conn = ts_connect(ci);
}

static void unload(void)
{
  if (conn)
    PQfinish(conn);
  conn = NULL;
  ts_db_drop(ci);
  ci = NULL;
}

TestSuite(demo_data, .init = load, .fini = unload, .timeout = 180);

static long long q(const char *sql)
{
  return ts_sql_int(conn, sql);
}

/* Asserts that a query's first cell is the expected text. */
static void q_eq(const char *sql, const char *expected)
{
  char *v = ts_sql_value(conn, sql);
  cr_assert(v, "NULL from: %s", sql);
  cr_assert_str_eq(v, expected, "%s", sql);
  free(v);
}

/* The same for a query about one library, named by slug in $1. */
static void q_lib_eq(const char *sql, const char *slug, const char *expected)
{
  const char *params[] = {slug};
  PGresult *r = ts_sql(conn, sql, 1, params);
  cr_assert_eq(PQntuples(r), 1, "%s", sql);
  cr_assert_str_eq(PQgetvalue(r, 0, 0), expected, "%s (%s)", sql, slug);
  PQclear(r);
}

Test(demo_data, org_and_libraries_as_in_izegem)
{
  q_eq("SELECT string_agg(slug || '|' || name, ',') FROM orgs", "izegem|Stad Izegem");
  cr_assert_eq(q("SELECT count(*) FROM libraries"), 2);
  const char *settings = "SELECT concat_ws('|', code_prefix, kind, fee_cents, social_fee_cents, fee_per,"
                         " social_deposit_percent, max_slots, default_loan_days, membership_months)"
                         " FROM libraries WHERE slug = $1";
  q_lib_eq(settings, "babytheek", "BT|babytheek|3000|500|household|0|5|90|12");
  q_lib_eq(settings, "fietsbieb", "FB|fietsbieb|2000|500|slot|50|4|365|12");
  cr_assert_eq(q("SELECT count(*) FROM libraries WHERE targets = '{\"new_households_6m\": 40,"
                 " \"reduced_share_min\": 25, \"reduced_share_max\": 50, \"loans_per_session\": 10}'"),
               2);

  const char *rules = "SELECT string_agg(concat_ws(' ', freq, nth, weekday, starts_at, ends_at,"
                      " closed_months), '; ' ORDER BY freq DESC, weekday)"
                      " FROM schedule_rules r JOIN libraries l ON l.id = r.library_id"
                      " WHERE l.slug = $1";
  q_lib_eq(rules, "babytheek", "weekly 3 14:00:00 17:00:00 {}; monthly 1 6 10:00:00 12:00:00 {}");
  q_lib_eq(rules, "fietsbieb", "monthly 3 6 10:00:00 12:00:00 {1}");
  /* sessions far from the dated exceptions, which follow today */
  q_eq("SELECT string_agg(day::text, ',') FROM leen_sessions("
       " (SELECT id FROM libraries WHERE slug = 'babytheek'), '2040-05-01', '2040-05-31')",
       "2040-05-02,2040-05-05,2040-05-09,2040-05-16,2040-05-23,2040-05-30");
  q_eq("SELECT string_agg(day::text, ',') FROM leen_sessions("
       " (SELECT id FROM libraries WHERE slug = 'fietsbieb'), '2040-01-01', '2040-03-31')",
       "2040-02-18,2040-03-17");

  /* EUR 20 deposit per bike in every bike category; car seats need a check */
  cr_assert_geq(q("SELECT count(*) FROM categories c JOIN libraries l ON l.id = c.library_id"
                  " WHERE l.slug = 'fietsbieb' AND (c.name LIKE 'Fiets % inch' OR c.name = 'Loopfiets')"
                  " AND c.deposit_cents = 2000"),
                6);
  cr_assert_eq(q("SELECT count(*) FROM categories c JOIN libraries l ON l.id = c.library_id"
                 " WHERE l.slug = 'fietsbieb' AND (c.name LIKE 'Fiets % inch' OR c.name = 'Loopfiets')"
                 " AND c.deposit_cents <> 2000"),
               0);
  cr_assert_eq(q("SELECT count(*) FROM categories WHERE name = 'Autostoel' AND safety_check"), 1);
  cr_assert_eq(q("SELECT count(*) FROM categories WHERE safety_check"), 1);
}

Test(demo_data, items_and_households_in_realistic_numbers)
{
  long long items = q("SELECT count(*) FROM items");
  cr_assert(items >= 140 && items <= 165, "%lld items", items);
  cr_assert_geq(q("SELECT count(*) FROM items WHERE code LIKE 'BT%'"), 75);
  cr_assert_geq(q("SELECT count(*) FROM items WHERE code LIKE 'FB%'"), 55);
  cr_assert_eq(q("SELECT count(*) FROM items WHERE code IN ('BT0001', 'FB0001')"), 2);
  cr_assert_eq(q("SELECT count(*) FROM items i JOIN libraries l ON l.id = i.library_id"
                 " WHERE i.code <> l.code_prefix || lpad(i.number::text, 4, '0')"),
               0);
  cr_assert_eq(q("SELECT count(*) FROM libraries l WHERE next_item_number <>"
                 " 1 + (SELECT max(number) FROM items i WHERE i.library_id = l.id)"),
               0);
  cr_assert_eq(q("SELECT count(*) FROM items i JOIN categories c ON c.id = i.category_id"
                 " WHERE c.name LIKE 'Fiets % inch' AND NOT (i.attributes ? 'wheel_inch')"),
               0);
  /* every car seat has an expiry date, some have passed it, and none was
   * lent past it */
  cr_assert_eq(q("SELECT count(*) FROM items i JOIN categories c ON c.id = i.category_id"
                 " WHERE c.name = 'Autostoel' AND i.expires_on IS NULL"),
               0);
  cr_assert_geq(q("SELECT count(*) FROM items WHERE expires_on < current_date"), 1);
  cr_assert_eq(q("SELECT count(*) FROM loans o JOIN items i ON i.id = o.item_id"
                 " WHERE i.expires_on < o.started_at::date"),
               0);
  cr_assert_eq(q("SELECT count(*) FROM loans o JOIN items i ON i.id = o.item_id"
                 " JOIN categories c ON c.id = i.category_id"
                 " WHERE c.safety_check AND i.safety_checked_on IS NULL"),
               0);

  long long hh = q("SELECT count(*) FROM households");
  cr_assert(hh >= 75 && hh <= 85, "%lld households", hh);
  cr_assert_eq(q("SELECT count(*) FROM households WHERE name NOT LIKE 'Gezin %'"), 0);
  cr_assert_eq(q("SELECT count(*) FROM households WHERE postcode NOT IN"
                 " ('8870', '8800', '8880', '8860', '8760', '8810')"),
               0);
  cr_assert_eq(q("SELECT count(*) FROM households h"
                 " WHERE NOT EXISTS (SELECT 1 FROM children c WHERE c.household_id = h.id)"),
               0);
  cr_assert_eq(q("SELECT count(*) FROM households h"
                 " WHERE NOT EXISTS (SELECT 1 FROM memberships m WHERE m.household_id = h.id)"),
               0);

  /* a quarter with an active reduction, some at level full, vouchers waiting */
  long long reduced = q("SELECT count(*) FROM households h"
                        " WHERE EXISTS (SELECT 1 FROM leen_active_reduction(h.id, current_date))");
  cr_assert(reduced * 100 >= hh * 20 && reduced * 100 <= hh * 30, "%lld of %lld reduced", reduced,
            hh);
  cr_assert_geq(q("SELECT count(*) FROM households h, leen_active_reduction(h.id, current_date) r"
                  " WHERE r.level = 'full'"),
                1);
  cr_assert_geq(q("SELECT count(*) FROM reductions WHERE household_id IS NULL"
                  " AND voucher_code IS NOT NULL"),
                1);
  cr_assert_geq(q("SELECT count(*) FROM reductions WHERE revoked_at IS NOT NULL"), 1);
  cr_assert_eq(q("SELECT count(*) FROM reductions r JOIN users u ON u.id = r.issued_by"
                 " WHERE u.username <> 'demo-system'"),
               0);
}

Test(demo_data, memberships_charge_the_right_fee)
{
  /* regular fee, social tariff (per slot at the Fietsbieb) or nothing */
  cr_assert_eq(q("SELECT count(*) FROM memberships m JOIN libraries l ON l.id = m.library_id"
                 " WHERE m.fee_cents <> CASE l.fee_per WHEN 'household' THEN l.fee_cents"
                 "                     ELSE l.fee_cents * m.slots END"),
               0);
  cr_assert_eq(q("SELECT count(*) FROM memberships m JOIN libraries l ON l.id = m.library_id"
                 " LEFT JOIN leen_active_reduction(m.household_id, m.valid_from) r ON true"
                 " WHERE m.fee_cents - m.reduction_cents <> CASE"
                 "   WHEN r.level IS NULL THEN m.fee_cents WHEN r.level = 'full' THEN 0"
                 "   WHEN l.fee_per = 'household' THEN l.social_fee_cents"
                 "   ELSE l.social_fee_cents * m.slots END"
                 " OR m.reduction_id IS DISTINCT FROM r.id"),
               0);
  cr_assert_geq(q("SELECT count(*) FROM memberships WHERE reduction_cents > 0"), 10);
  cr_assert_eq(q("SELECT count(*) FROM memberships m JOIN libraries l ON l.id = m.library_id"
                 " WHERE m.slots > l.max_slots"
                 " OR m.valid_until <> (m.valid_from + interval '12 months')::date - 1"),
               0);
}

Test(demo_data, circulation_is_consistent)
{
  long long open = q("SELECT count(*) FROM loans WHERE returned_at IS NULL");
  cr_assert_gt(open, 0);
  cr_assert_eq(open, q("SELECT count(*) FROM items WHERE status = 'on_loan'"));
  cr_assert_eq(q("SELECT count(*) FROM items i WHERE (i.status = 'on_loan') <> EXISTS"
                 " (SELECT 1 FROM loans o WHERE o.item_id = i.id AND o.returned_at IS NULL)"),
               0);
  cr_assert_eq(q("SELECT count(*) FROM loans a JOIN loans b ON a.item_id = b.item_id AND a.id < b.id"
                 " WHERE tstzrange(a.started_at, coalesce(a.returned_at, 'infinity'))"
                 "    && tstzrange(b.started_at, coalesce(b.returned_at, 'infinity'))"),
               0);
  /* at the start of every loan the household was within its slots */
  cr_assert_eq(q("SELECT count(*) FROM loans a JOIN memberships m ON m.id = a.membership_id"
                 " WHERE a.started_at::date NOT BETWEEN m.valid_from AND m.valid_until"
                 " OR m.household_id <> a.household_id OR m.library_id <> a.library_id"
                 " OR m.slots < (SELECT count(*) FROM loans b WHERE b.household_id = a.household_id"
                 "   AND b.library_id = a.library_id AND b.started_at <= a.started_at"
                 "   AND coalesce(b.returned_at, 'infinity') > a.started_at)"),
               0);
  cr_assert_eq(q("SELECT count(*) FROM loans WHERE membership_id IS NULL"), 0);
  cr_assert_eq(q("SELECT count(*) FROM loans o JOIN children c ON c.id = o.child_id"
                 " WHERE c.household_id <> o.household_id"),
               0);
  cr_assert_eq(q("SELECT count(*) FROM loans o JOIN items i ON i.id = o.item_id"
                 " WHERE i.library_id <> o.library_id"),
               0);
  /* the deposit: item or category amount, the library's share on the
   * social tariff, nothing at level full */
  cr_assert_eq(q("SELECT count(*) FROM loans o JOIN items i ON i.id = o.item_id"
                 " JOIN categories c ON c.id = i.category_id JOIN libraries l ON l.id = o.library_id"
                 " LEFT JOIN leen_active_reduction(o.household_id, o.started_at::date) r ON true"
                 " WHERE o.deposit_cents <> CASE r.level WHEN 'full' THEN 0"
                 "   WHEN 'social' THEN coalesce(i.deposit_cents, c.deposit_cents)"
                 "                      * l.social_deposit_percent / 100"
                 "   ELSE coalesce(i.deposit_cents, c.deposit_cents) END"),
               0);

  /* a year of it: returns, swaps, renewals, overdue loans */
  cr_assert_geq(q("SELECT count(*) FROM loans"), 200);
  cr_assert_geq(q("SELECT count(*) FROM loans WHERE returned_at IS NOT NULL"), 100);
  cr_assert_geq(q("SELECT count(*) FROM loans WHERE started_at < current_date - 300"), 5);
  cr_assert_geq(q("SELECT count(*) FROM loans WHERE started_at > current_date - 60"), 5);
  cr_assert_geq(q("SELECT count(*) FROM loans WHERE swapped_from IS NOT NULL"), 1);
  cr_assert_geq(q("SELECT count(*) FROM loans WHERE renewals > 0"), 1);
  cr_assert_geq(q("SELECT count(*) FROM loans WHERE returned_at IS NULL AND due_on < current_date"),
                1);
  cr_assert_geq(q("SELECT count(*) FROM loans WHERE withheld_cents > 0"), 1);
  /* a swap closes the old loan at that moment with its whole deposit
   * carried over, for the same household */
  cr_assert_eq(q("SELECT count(*) FROM loans n JOIN loans o ON o.id = n.swapped_from"
                 " WHERE o.returned_at IS NULL OR o.returned_at > n.started_at"
                 " OR o.refund_cents <> o.deposit_cents OR o.household_id <> n.household_id"),
               0);

  /* reserved exactly for the household whose reservation was offered it */
  cr_assert_eq(q("SELECT count(*) FROM items i WHERE i.status = 'reserved' AND NOT EXISTS"
                 " (SELECT 1 FROM reservations r WHERE r.status = 'offered'"
                 "  AND r.offered_item = i.id AND r.household_id = i.reserved_for)"),
               0);
  cr_assert_eq(q("SELECT count(*) FROM reservations WHERE status = 'offered'"),
               q("SELECT count(*) FROM items WHERE status = 'reserved'"));
  cr_assert_geq(q("SELECT count(*) FROM reservations WHERE status = 'waiting'"), 1);
  cr_assert_eq(q("SELECT count(*) FROM (SELECT household_id, category_id FROM reservations"
                 " WHERE status IN ('waiting', 'offered') GROUP BY 1, 2 HAVING count(*) > 1) x"),
               0);
  cr_assert_geq(q("SELECT count(*) FROM items WHERE status = 'cleaning'"), 1);
  cr_assert_geq(q("SELECT count(*) FROM items WHERE status = 'in_repair'"), 1);
  cr_assert_geq(q("SELECT count(*) FROM items WHERE status = 'retired'"), 1);

  /* all in the past, and after the household was registered */
  cr_assert_eq(q("SELECT count(*) FROM loans WHERE started_at > now() OR returned_at > now()"), 0);
  cr_assert_eq(q("SELECT count(*) FROM loans o JOIN households h ON h.id = o.household_id"
                 " WHERE o.started_at < h.created_at"),
               0);
  cr_assert_eq(q("SELECT count(*) FROM memberships m JOIN households h ON h.id = m.household_id"
                 " WHERE m.created_at < h.created_at OR m.created_at > now()"),
               0);
}

Test(demo_data, every_journal_balances)
{
  cr_assert_gt(q("SELECT count(*) FROM ledger"), 100);
  cr_assert_eq(q("SELECT count(*) FROM (SELECT journal_id FROM ledger GROUP BY journal_id"
                 " HAVING sum(amount_cents) <> 0 OR count(*) <> 2 OR count(DISTINCT kind) <> 1) x"),
               0);
  cr_assert_eq(q("SELECT count(*) FROM ledger WHERE created_at > now()"), 0);
  /* the accounts agree with the rows they describe */
  cr_assert_eq(q("SELECT coalesce(sum(amount_cents), 0) FROM ledger WHERE account = 'deposits_held'")
                 + q("SELECT coalesce(sum(deposit_cents), 0) FROM loans WHERE returned_at IS NULL"),
               0);
  cr_assert_eq(q("SELECT coalesce(sum(amount_cents), 0) FROM ledger WHERE account = 'fee_income'"),
               -q("SELECT sum(fee_cents) FROM memberships"));
  cr_assert_eq(q("SELECT coalesce(sum(amount_cents), 0) FROM ledger WHERE account = 'fee_reduction'"),
               q("SELECT sum(reduction_cents) FROM memberships"));
  cr_assert_eq(q("SELECT coalesce(sum(amount_cents), 0) FROM ledger WHERE account = 'withheld_income'"),
               -q("SELECT coalesce(sum(withheld_cents), 0) FROM loans"));
  /* every family paid what it owed */
  cr_assert_eq(q("SELECT coalesce(sum(amount_cents), 0) FROM ledger WHERE account = 'household'"), 0);
  cr_assert_eq(q("SELECT count(*) FROM ledger WHERE kind = 'deposit_withheld' AND reason IS NULL"), 0);
}

Test(demo_data, due_dates_follow_both_schedules)
{
  /* the first session on or after start + loan days: a first Saturday at
   * the Babytheek; the Fietsbieb skips its closed January */
  q_eq("SELECT leen_due_date((SELECT id FROM libraries WHERE slug = 'babytheek'), '2040-03-04', 90)",
       "2040-06-02");
  q_eq("SELECT leen_due_date((SELECT id FROM libraries WHERE slug = 'fietsbieb'), '2040-01-10', 365)",
       "2041-02-16");
  q_eq("SELECT leen_due_date((SELECT id FROM libraries WHERE slug = 'fietsbieb'), '2040-05-20', 365)",
       "2041-06-15");
  /* a loan never renewed is due when leen_due_date says */
  cr_assert_eq(q("SELECT count(*) FROM loans o JOIN items i ON i.id = o.item_id"
                 " JOIN categories c ON c.id = i.category_id WHERE o.renewals = 0"
                 " AND o.due_on <> leen_due_date(o.library_id, o.started_at::date, c.loan_days)"),
               0);
  /* every loan falls due on an opening session of its library */
  cr_assert_eq(q("SELECT count(*) FROM loans o"
                 " WHERE NOT EXISTS (SELECT 1 FROM leen_sessions(o.library_id, o.due_on, o.due_on))"),
               0);
  cr_assert_eq(q("SELECT count(*) FROM loans o JOIN libraries l ON l.id = o.library_id"
                 " WHERE l.slug = 'fietsbieb' AND extract(month FROM o.due_on) = 1"),
               0);
}

Test(demo_data, leaves_the_logins_to_scripts_demo)
{
  /* only the system user that signs the rows, and it cannot log in */
  q_eq("SELECT string_agg(username || '|' || role || '|' || password_hash, ',') FROM users",
       "demo-system|admin|!");
  /* what scripts/demo does next works: a coordinator in both libraries */
  char path[] = "/tmp/leen-demo-pw.XXXXXX";
  int fd = mkstemp(path);
  cr_assert_geq(fd, 0);
  cr_assert_eq(write(fd, "leen-demo-coordinator\n", 22), 22);
  close(fd);
  char dburl[900];
  snprintf(dburl, sizeof dburl, "DATABASE_URL=%s", ci);
  const char *env[] = {dburl, NULL};
  const char *argv[] = {LEEN_API_BIN, "create-user", "--username", "demo-coordinator", "--role",
                        "coordinator", "--password-file", path, "--library", "babytheek",
                        "--library", "fietsbieb", NULL};
  struct ts_run run;
  ts_run(argv, env, &run);
  unlink(path);
  cr_assert_eq(run.exit_code, 0, "%s", run.err);
  ts_run_release(&run);
  cr_assert_eq(q("SELECT count(*) FROM user_libraries ul JOIN users u ON u.id = ul.user_id"
                 " WHERE u.username = 'demo-coordinator'"),
               2);
}
