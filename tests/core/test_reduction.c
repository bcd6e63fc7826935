/* Reductions: who may issue, revoke, read and redeem; vouchers once; an
 * active reduction in every library of the org; revoked and expired ones
 * no longer applying; every read of details audited. */
#include <pthread.h>
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
  "         ('admin', 'admin')) AS u (name, role)"
  " WHERE o.slug = 'default';"
  "INSERT INTO user_libraries SELECT u.id, l.id FROM users u, libraries l"
  " WHERE u.username IN ('vol', 'coord');"
  "INSERT INTO orgs (slug, name) VALUES ('elders', 'Elders');"
  "INSERT INTO users (org_id, username, password_hash, role)"
  " SELECT id, 'sw-elders', 'x', 'social_worker' FROM orgs WHERE slug = 'elders';"
  "INSERT INTO users (org_id, username, password_hash, role)"
  " SELECT id, 'vol-elders', 'x', 'volunteer' FROM orgs WHERE slug = 'elders';";

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

TestSuite(reduction, .init = setup, .fini = teardown, .timeout = 60);

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
  struct leen_household_new h = {.name = name};
  struct leen_household out;
  struct leen_err err;
  cr_assert_eq(leen_household_create(db, &vol, &h, &out, &err), 0, "%s", err.message);
  int64_t number = out.number;
  leen_household_release(&out);
  return number;
}

/* Issues as the social worker; valid_from and valid_until are SQL date
 * expressions. */
static struct leen_reduction issue(int64_t number, const char *level, const char *from_expr,
                                   const char *until_expr, const char *reference)
{
  struct leen_actor sw = actor("sw");
  char from[11], until[11];
  day(from, from_expr);
  day(until, until_expr);
  struct leen_reduction_new r = {.household = number, .voucher = number == 0, .level = level,
                                 .valid_from = from, .valid_until = until,
                                 .reference = reference};
  struct leen_reduction out;
  struct leen_err err;
  cr_assert_eq(leen_reduction_issue(db, &sw, &r, &out, &err), 0, "%s (%s)", err.message,
               err.field);
  return out;
}

static int64_t due(int64_t number, const char *library, int slots)
{
  struct leen_actor vol = actor("vol");
  struct leen_membership_new in = {.library = library, .slots = slots, .payment = "cash"};
  struct leen_membership m;
  struct leen_err err;
  cr_assert_eq(leen_membership_start(db, &vol, number, &in, &m, &err), 0, "%s", err.message);
  return m.due_cents;
}

Test(reduction, issue_records_what_is_needed)
{
  int64_t hh = household("Gezin Peeters");
  struct leen_reduction r = issue(hh, "social", "current_date", "current_date + 180",
                                  "SH-2026-118");
  char from[11], until[11];
  day(from, "current_date");
  day(until, "current_date + 180");
  cr_assert_gt(r.id, 0);
  cr_assert_eq(r.household, hh);
  cr_assert_str_eq(r.voucher_code, "");
  cr_assert_str_eq(r.level, "social");
  cr_assert_str_eq(r.valid_from, from);
  cr_assert_str_eq(r.valid_until, until);
  cr_assert_str_eq(r.reference, "SH-2026-118");
  cr_assert_eq(r.issued_by, actor("sw").user_id);
  cr_assert_eq(strlen(r.issued_at), 25, "%s", r.issued_at);
  cr_assert_str_eq(r.revoked_at, "");
  cr_assert_str_eq(r.redeemed_at, "");
  cr_assert_eq(qint("SELECT count(*) FROM audit a JOIN users u ON u.id = a.user_id"
                    " WHERE a.action = 'issue' AND a.entity = 'reduction'"
                    " AND a.entity_id = '%lld' AND u.username = 'sw'", (long long)r.id), 1);
  /* the audit names the household, never the level or the reference */
  cr_assert_eq(qint("SELECT count(*) FROM audit WHERE entity = 'reduction'"
                    " AND (details ? 'level' OR details::text LIKE '%%SH-2026%%')"), 0);

  /* valid_from defaults to today */
  struct leen_actor sw = actor("sw");
  struct leen_reduction_new in = {.household = hh, .level = "full", .valid_until = until};
  struct leen_err err;
  cr_assert_eq(leen_reduction_issue(db, &sw, &in, &r, &err), 0, "%s", err.message);
  cr_assert_str_eq(r.valid_from, from);
  cr_assert_str_eq(r.reference, "");
}

Test(reduction, only_the_social_service_issues)
{
  int64_t hh = household("Gezin Janssens");
  const char *who[] = {"vol", "coord"};
  for (size_t i = 0; i < 2; i++) {
    struct leen_actor a = actor(who[i]);
    struct leen_reduction_new in = {.household = hh, .level = "social",
                                    .valid_until = "2030-01-01"};
    struct leen_reduction r;
    struct leen_err err;
    cr_assert_eq(leen_reduction_issue(db, &a, &in, &r, &err), -1);
    cr_assert_eq(err.code, LEEN_E_FORBIDDEN, "%s", who[i]);
    cr_assert_eq(leen_reduction_get(db, &a, 1, &r, &err), -1);
    cr_assert_eq(err.code, LEEN_E_FORBIDDEN);
    struct leen_reduction_query q = {0};
    struct leen_reduction_list l;
    cr_assert_eq(leen_reduction_list(db, &a, &q, &l, &err), -1);
    cr_assert_eq(err.code, LEEN_E_FORBIDDEN);
    cr_assert_eq(leen_reduction_revoke(db, &a, 1, NULL, &err), -1);
    cr_assert_eq(err.code, LEEN_E_FORBIDDEN);
  }
  /* an admin may */
  struct leen_actor admin = actor("admin");
  struct leen_reduction_new in = {.household = hh, .level = "social", .valid_until = "2030-01-01"};
  struct leen_err err;
  cr_assert_eq(leen_reduction_issue(db, &admin, &in, NULL, &err), 0, "%s", err.message);
  cr_assert_eq(qint("SELECT count(*) FROM reductions"), 1);
}

struct bad_case {
  struct leen_reduction_new in;
  enum leen_code code;
  const char *field;
};

Test(reduction, bad_input_is_refused)
{
  int64_t hh = household("Gezin Wouters");
  const char *long_ref = "0123456789012345678901234567890123456789012345678901234567890";
  const struct bad_case cases[] = {
    {{.household = hh, .level = "half", .valid_until = "2030-01-01"}, LEEN_E_INVALID_FIELD,
     "/level"},
    {{.household = hh, .level = "social", .valid_until = "2030-02-30"}, LEEN_E_INVALID_DATE,
     "/valid_until"},
    {{.household = hh, .level = "social"}, LEEN_E_INVALID_DATE, "/valid_until"},
    {{.household = hh, .level = "social", .valid_from = "2030-01-02", .valid_until = "2030-01-01"},
     LEEN_E_INVALID_DATE, "/valid_until"},
    {{.household = hh, .level = "social", .valid_from = "1/1/2030", .valid_until = "2030-01-01"},
     LEEN_E_INVALID_DATE, "/valid_from"},
    {{.household = hh, .level = "social", .valid_until = "2030-01-01", .reference = long_ref},
     LEEN_E_INVALID_FIELD, "/reference"},
    {{.household = hh, .voucher = 1, .level = "social", .valid_until = "2030-01-01"},
     LEEN_E_INVALID_FIELD, "/voucher"},
    {{.level = "social", .valid_until = "2030-01-01"}, LEEN_E_INVALID_FIELD, "/household"},
    {{.household = 99999, .level = "social", .valid_until = "2030-01-01"}, LEEN_E_NOT_FOUND,
     "/household"},
  };
  struct leen_actor sw = actor("sw");
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    struct leen_err err;
    cr_assert_eq(leen_reduction_issue(db, &sw, &cases[i].in, NULL, &err), -1, "case %zu", i);
    cr_expect_eq(err.code, cases[i].code, "case %zu: %s", i, err.message);
    cr_expect_str_eq(err.field, cases[i].field, "case %zu", i);
  }
  /* 60 characters is the most a reference may have */
  struct leen_reduction_new ok = {.household = hh, .level = "social",
                                  .valid_until = "2030-01-01", .reference = long_ref + 1};
  struct leen_err err;
  cr_assert_eq(leen_reduction_issue(db, &sw, &ok, NULL, &err), 0, "%s", err.message);
  cr_assert_eq(qint("SELECT count(*) FROM reductions"), 1);
}

Test(reduction, applies_in_every_library_of_the_org)
{
  int64_t hh = household("Gezin Maes");
  issue(hh, "social", "current_date - 5", "current_date + 100", NULL);
  cr_assert_eq(due(hh, "babytheek", 1), 500);
  cr_assert_eq(due(hh, "fietsbieb", 1), 500);
  cr_assert_eq(qint("SELECT count(*) FROM memberships WHERE reduction_id IS NOT NULL"), 2);
  /* a household without a reduction pays the regular fee */
  int64_t other = household("Gezin Claes");
  cr_assert_eq(due(other, "babytheek", 1), 3000);
  cr_assert_eq(due(other, "fietsbieb", 1), 2000);
}

Test(reduction, revoked_no_longer_applies)
{
  int64_t hh = household("Gezin Jacobs");
  struct leen_reduction r = issue(hh, "social", "current_date - 5", "current_date + 100", NULL);
  struct leen_actor sw = actor("sw");
  struct leen_reduction out;
  struct leen_err err;
  cr_assert_eq(leen_reduction_revoke(db, &sw, r.id, &out, &err), 0, "%s", err.message);
  cr_assert_neq(out.revoked_at[0], '\0');
  cr_assert_eq(out.revoked_by, sw.user_id);
  cr_assert_eq(qint("SELECT count(*) FROM reductions WHERE id = %lld AND revoked_at IS NOT NULL"
                    " AND revoked_by = %lld", (long long)r.id, (long long)sw.user_id), 1);
  cr_assert_eq(due(hh, "fietsbieb", 2), 4000);
  struct leen_actor vol = actor("vol");
  struct leen_household h;
  cr_assert_eq(leen_household_get(db, &vol, hh, &h, &err), 0);
  cr_assert_eq(h.reduction.active, 0);
  leen_household_release(&h);
  /* twice is a conflict; an unknown one is not found */
  cr_assert_eq(leen_reduction_revoke(db, &sw, r.id, &out, &err), -1);
  cr_assert_eq(err.code, LEEN_E_CONFLICT);
  cr_assert(strstr(err.message, "already revoked"), "%s", err.message);
  cr_assert_eq(leen_reduction_revoke(db, &sw, r.id + 1000, &out, &err), -1);
  cr_assert_eq(err.code, LEEN_E_NOT_FOUND);
  cr_assert_eq(qint("SELECT count(*) FROM audit WHERE action = 'revoke' AND entity = 'reduction'"),
               1);
}

Test(reduction, expired_does_not_apply)
{
  int64_t hh = household("Gezin Mertens");
  issue(hh, "full", "current_date - 400", "current_date - 1", NULL);
  cr_assert_eq(due(hh, "fietsbieb", 1), 2000);
  /* nor one that has not started yet */
  int64_t later = household("Gezin Dubois");
  issue(later, "full", "current_date + 1", "current_date + 100", NULL);
  cr_assert_eq(due(later, "babytheek", 1), 3000);
}

Test(reduction, voucher_is_redeemed_once)
{
  struct leen_reduction v = issue(0, "social", "current_date", "current_date + 90", NULL);
  cr_assert_eq(v.household, 0);
  cr_assert_eq(strlen(v.voucher_code), LEEN_VOUCHER_CODE_LEN);
  cr_assert_eq(strspn(v.voucher_code, LEEN_VOUCHER_ALPHABET), LEEN_VOUCHER_CODE_LEN,
               "%s", v.voucher_code);
  cr_assert_eq(qint("SELECT count(*) FROM reductions WHERE household_id IS NULL"
                    " AND voucher_code = upper(voucher_code)"), 1);
  cr_assert_eq(qint("SELECT count(*) FROM audit WHERE action = 'issue'"
                    " AND details @> '{\"voucher\": true}'"), 1);

  int64_t hh = household("Gezin Goossens");
  /* typed at the counter: lower case, with a hyphen and a space */
  char typed[32];
  snprintf(typed, sizeof typed, "%.5s-%.11s ", v.voucher_code, v.voucher_code + 5);
  for (char *c = typed; *c; c++)
    if (*c >= 'A' && *c <= 'Z')
      *c = (char)(*c - 'A' + 'a');
  struct leen_actor vol = actor("vol");
  struct leen_reduction_status st;
  struct leen_err err;
  cr_assert_eq(leen_reduction_redeem(db, &vol, hh, typed, &st, &err), 0, "%s", err.message);
  cr_assert_eq(st.active, 1);
  cr_assert_str_eq(st.valid_until, v.valid_until);
  cr_assert_eq(qint("SELECT count(*) FROM reductions r JOIN households h ON h.id = r.household_id"
                    " WHERE r.id = %lld AND h.number = %lld AND r.redeemed_at IS NOT NULL",
                    (long long)v.id, (long long)hh), 1);
  cr_assert_eq(due(hh, "fietsbieb", 1), 500);

  /* a second time, for any household: refused with a clear message */
  int64_t other = household("Gezin Hermans");
  cr_assert_eq(leen_reduction_redeem(db, &vol, other, v.voucher_code, &st, &err), -1);
  cr_assert_eq(err.code, LEEN_E_CONFLICT);
  cr_assert_str_eq(err.field, "/code");
  cr_assert(strstr(err.message, "already redeemed"), "%s", err.message);
  cr_assert_eq(leen_reduction_redeem(db, &vol, hh, v.voucher_code, &st, &err), -1);
  cr_assert_eq(err.code, LEEN_E_CONFLICT);
  cr_assert_eq(qint("SELECT count(*) FROM audit WHERE action = 'redeem'"), 1);
}

Test(reduction, voucher_refusals)
{
  int64_t hh = household("Gezin Smets");
  struct leen_actor vol = actor("vol"), sw = actor("sw");
  struct leen_reduction_status st;
  struct leen_err err;
  cr_assert_eq(leen_reduction_redeem(db, &vol, hh, "ABCDEFGHJK", &st, &err), -1);
  cr_assert_eq(err.code, LEEN_E_NOT_FOUND);
  cr_assert_str_eq(err.field, "/code");
  cr_assert_eq(leen_reduction_redeem(db, &vol, hh, "AB#", &st, &err), -1);
  cr_assert_eq(err.code, LEEN_E_INVALID_FIELD);

  struct leen_reduction revoked = issue(0, "social", "current_date", "current_date + 90", NULL);
  cr_assert_eq(leen_reduction_revoke(db, &sw, revoked.id, NULL, &err), 0, "%s", err.message);
  cr_assert_eq(leen_reduction_redeem(db, &vol, hh, revoked.voucher_code, &st, &err), -1);
  cr_assert_eq(err.code, LEEN_E_CONFLICT);
  cr_assert(strstr(err.message, "revoked"), "%s", err.message);

  struct leen_reduction expired = issue(0, "social", "current_date - 90", "current_date - 1",
                                        NULL);
  cr_assert_eq(leen_reduction_redeem(db, &vol, hh, expired.voucher_code, &st, &err), -1);
  cr_assert_eq(err.code, LEEN_E_CONFLICT);
  cr_assert(strstr(err.message, "expired"), "%s", err.message);

  /* the social service does not redeem; another org's volunteer cannot see the code */
  struct leen_reduction v = issue(0, "full", "current_date", "current_date + 90", NULL);
  cr_assert_eq(leen_reduction_redeem(db, &sw, hh, v.voucher_code, &st, &err), -1);
  cr_assert_eq(err.code, LEEN_E_FORBIDDEN);
  struct leen_actor elders = actor("vol-elders");
  cr_assert_eq(leen_reduction_redeem(db, &elders, hh, v.voucher_code, &st, &err), -1);
  cr_assert_eq(err.code, LEEN_E_NOT_FOUND);
  cr_assert_eq(qint("SELECT count(*) FROM reductions WHERE redeemed_at IS NOT NULL"), 0);
}

struct racer {
  struct leen_actor vol;
  int64_t household;
  const char *code;
  int rc;
  struct leen_err err;
};

static void *redeem_racer(void *p)
{
  struct racer *r = p;
  struct leen_db *own;
  r->rc = -2;
  if (leen_db_open(&own, ci, &r->err) < 0)
    return NULL;
  r->rc = leen_reduction_redeem(own, &r->vol, r->household, r->code, NULL, &r->err);
  leen_db_close(own);
  return NULL;
}

Test(reduction, concurrent_redeems_one_wins)
{
  enum { N = 8 };
  struct leen_reduction v = issue(0, "social", "current_date", "current_date + 90", NULL);
  struct racer r[N];
  pthread_t t[N];
  char name[32];
  for (int i = 0; i < N; i++) {
    snprintf(name, sizeof name, "Gezin %d", i);
    r[i] = (struct racer){.vol = actor("vol"), .household = household(name),
                          .code = v.voucher_code};
  }
  for (int i = 0; i < N; i++)
    pthread_create(&t[i], NULL, redeem_racer, &r[i]);
  int won = 0;
  for (int i = 0; i < N; i++) {
    pthread_join(t[i], NULL);
    if (r[i].rc == 0)
      won++;
    else
      cr_expect_eq(r[i].err.code, LEEN_E_CONFLICT, "racer %d: %s", i, r[i].err.message);
  }
  cr_assert_eq(won, 1);
  cr_assert_eq(qint("SELECT count(*) FROM reductions WHERE household_id IS NOT NULL"), 1);
  cr_assert_eq(qint("SELECT count(*) FROM audit WHERE action = 'redeem'"), 1);
}

Test(reduction, reading_details_is_audited)
{
  int64_t hh = household("Gezin Vermeulen");
  struct leen_reduction r = issue(hh, "social", "current_date", "current_date + 30", "D-1");
  struct leen_actor sw = actor("sw");
  struct leen_reduction got;
  struct leen_err err;
  cr_assert_eq(leen_reduction_get(db, &sw, r.id, &got, &err), 0, "%s", err.message);
  cr_assert_eq(got.id, r.id);
  cr_assert_str_eq(got.reference, "D-1");
  cr_assert_eq(qint("SELECT count(*) FROM audit a JOIN users u ON u.id = a.user_id"
                    " WHERE a.action = 'read' AND a.entity = 'reduction'"
                    " AND a.entity_id = '%lld' AND u.username = 'sw'", (long long)r.id), 1);
  /* another org's social worker sees nothing, and nothing is logged as read */
  struct leen_actor elders = actor("sw-elders");
  cr_assert_eq(leen_reduction_get(db, &elders, r.id, &got, &err), -1);
  cr_assert_eq(err.code, LEEN_E_NOT_FOUND);
  cr_assert_eq(qint("SELECT count(*) FROM audit WHERE action = 'read'"), 1);
}

Test(reduction, list_filters_pages_and_audits)
{
  int64_t a = household("Gezin Lambert"), b = household("Gezin Willems");
  struct leen_reduction r1 = issue(a, "social", "current_date - 400", "current_date - 1", NULL);
  struct leen_reduction r2 = issue(a, "full", "current_date", "current_date + 30", NULL);
  struct leen_reduction r3 = issue(b, "social", "current_date", "current_date + 30", NULL);
  struct leen_reduction r4 = issue(0, "social", "current_date", "current_date + 30", NULL);
  struct leen_actor sw = actor("sw");
  struct leen_reduction_list l;
  struct leen_err err;

  struct leen_reduction_query q = {.household = a};
  cr_assert_eq(leen_reduction_list(db, &sw, &q, &l, &err), 0, "%s", err.message);
  cr_assert_eq(l.n, 2);
  cr_assert_eq(l.items[0].id, r1.id);
  cr_assert_eq(l.items[1].id, r2.id);
  cr_assert_eq(l.next_after, 0);
  leen_reduction_list_release(&l);
  cr_assert_eq(qint("SELECT count(*) FROM audit WHERE action = 'read'"), 2);

  q.active_only = 1;
  cr_assert_eq(leen_reduction_list(db, &sw, &q, &l, &err), 0);
  cr_assert_eq(l.n, 1);
  cr_assert_eq(l.items[0].id, r2.id);
  cr_assert_str_eq(l.items[0].level, "full");
  leen_reduction_list_release(&l);

  /* the whole org, two at a time */
  struct leen_reduction_query all = {.limit = 2};
  cr_assert_eq(leen_reduction_list(db, &sw, &all, &l, &err), 0);
  cr_assert_eq(l.n, 2);
  cr_assert_eq(l.items[1].id, r2.id);
  cr_assert_eq(l.next_after, r2.id);
  all.after = l.next_after;
  leen_reduction_list_release(&l);
  cr_assert_eq(leen_reduction_list(db, &sw, &all, &l, &err), 0);
  cr_assert_eq(l.n, 2);
  cr_assert_eq(l.items[0].id, r3.id);
  cr_assert_eq(l.items[0].household, b);
  cr_assert_eq(l.items[1].id, r4.id);
  cr_assert_eq(l.items[1].household, 0);
  cr_assert_str_eq(l.items[1].voucher_code, r4.voucher_code);
  cr_assert_eq(l.next_after, 0);
  leen_reduction_list_release(&l);
  leen_reduction_list_release(NULL);

  q.household = 99999;
  cr_assert_eq(leen_reduction_list(db, &sw, &q, &l, &err), -1);
  cr_assert_eq(err.code, LEEN_E_NOT_FOUND);
}

Test(reduction, volunteers_see_only_active_and_until)
{
  int64_t hh = household("Gezin Hendrickx");
  struct leen_reduction r = issue(hh, "full", "current_date - 3", "current_date + 60", "SH-9");
  struct leen_actor vol = actor("vol"), sw = actor("sw");
  struct leen_household h;
  struct leen_err err;
  cr_assert_eq(leen_household_get(db, &vol, hh, &h, &err), 0, "%s", err.message);
  cr_assert_eq(h.reduction.active, 1);
  cr_assert_str_eq(h.reduction.valid_until, r.valid_until);
  leen_household_release(&h);
  /* the social worker looks the household up by number to issue */
  cr_assert_eq(leen_household_get(db, &sw, hh, &h, &err), 0, "%s", err.message);
  cr_assert_str_eq(h.name, "Gezin Hendrickx");
  leen_household_release(&h);
  /* looking households up is not an audited read of a reduction */
  cr_assert_eq(qint("SELECT count(*) FROM audit WHERE action = 'read'"), 0);
}
