/* Check-out: deposits, due dates, back-dating and every refusal. */
#include "test_loan_fixture.h"

TestSuite(loan, .init = fx_setup, .fini = fx_teardown, .timeout = 60);

enum who { VOL, COORD, BTVOL, SOCIAL, ADMIN };

static const struct leen_actor *actor(enum who w)
{
  switch (w) {
  case VOL: return &fx.vol;
  case COORD: return &fx.coord;
  case BTVOL: return &fx.btvol;
  case SOCIAL: return &fx.social;
  case ADMIN: return &fx.admin;
  }
  return NULL;
}

Test(loan, checkout_takes_the_category_deposit)
{
  struct leen_loan l;
  struct leen_err err;
  cr_assert_eq(fx_checkout(&fx.vol, "fb-0001", 10001, NULL, &l, &err), 0, "%s", err.message);
  cr_assert_str_eq(l.item, "FB0001");
  cr_assert_eq(l.household, 10001);
  cr_assert_str_eq(l.library, "fietsbieb");
  cr_assert_eq(l.deposit_cents, 2000);
  cr_assert_str_eq(l.deposit_method, "cash");
  cr_assert_str_eq(l.item_status, "on_loan");
  cr_assert_str_eq(l.returned_at, "");
  cr_assert_eq(l.child_id, 0);
  cr_assert_eq(l.renewals, 0);
  cr_assert_eq(l.overdue, 0);
  /* started now, Brussels offset, RFC 3339 */
  cr_assert_eq(strlen(l.started_at), 25, "%s", l.started_at);
  cr_assert_eq(l.started_at[10], 'T');
  char sql[300];
  snprintf(sql, sizeof sql,
           "SELECT to_char(leen_due_date(101, (now() AT TIME ZONE 'Europe/Brussels')::date, 365),"
           " 'YYYY-MM-DD')");
  fx_text_eq(sql, l.due_on);
  fx_text_eq("SELECT status FROM items WHERE code = 'FB0001'", "on_loan");
  snprintf(sql, sizeof sql,
           "SELECT string_agg(kind || ' ' || account || ' ' || amount_cents, ',' ORDER BY id)"
           " FROM ledger WHERE loan_id = %lld AND household_id IS NOT NULL AND library_id = 101",
           (long long)l.id);
  fx_text_eq(sql, "deposit_taken cash 2000,deposit_taken deposits_held -2000");
  snprintf(sql, sizeof sql,
           "SELECT count(*) FROM audit WHERE action = 'loan.checkout' AND entity = 'loan'"
           " AND entity_id = '%lld' AND user_id = 201",
           (long long)l.id);
  cr_assert_eq(fx_int(sql), 1);
  leen_loan_release(&l);
  fx_ledger_balanced();
}

Test(loan, due_date_skips_the_closed_january)
{
  /* the day after the 3rd Saturday of December 2025 (the 20th) plus 365
   * days is 2026-12-21; December's session (the 19th) is before it and
   * January is closed, so the bike is due on February's 3rd Saturday */
  struct leen_loan l;
  struct leen_err err;
  cr_assert_eq(fx_checkout(&fx.coord, "FB0001", 10001, "2025-12-21", &l, &err), 0, "%s",
               err.message);
  cr_assert_str_eq(l.started_at, "2025-12-21T00:00:00+01:00");
  cr_assert_str_eq(l.due_on, "2027-02-20");
  cr_assert_eq(l.overdue, 0);
  leen_loan_release(&l);

  /* a stroller of the Babytheek (28 days, Wednesdays and 1st Saturdays):
   * 2025-10-01 + 28 = Wednesday 2025-10-29 itself */
  cr_assert_eq(fx_checkout(&fx.coord, "BT0004", 10001, "2025-10-01T10:30:00+02:00", &l, &err), 0,
               "%s", err.message);
  cr_assert_str_eq(l.started_at, "2025-10-01T10:30:00+02:00");
  cr_assert_str_eq(l.due_on, "2025-10-29");
  cr_assert_eq(l.overdue, 1);
  leen_loan_release(&l);
  /* and a one-off closure pushes it to the first Saturday of November */
  fx_exec("INSERT INTO schedule_exceptions (library_id, kind, from_date, to_date)"
          " VALUES (102, 'closed', '2025-10-27', '2025-10-31')");
  cr_assert_eq(fx_checkout(&fx.coord, "BT0005", 10001, "2025-10-01", &l, &err), 0, "%s",
               err.message);
  cr_assert_str_eq(l.due_on, "2025-11-01");
  leen_loan_release(&l);
  fx_text_eq("SELECT to_char(min(created_at), 'YYYY-MM-DD') FROM ledger", "2025-10-01");
  fx_ledger_balanced();
}

Test(loan, social_tariff_pays_the_library_share_and_full_pays_nothing)
{
  fx_exec("INSERT INTO reductions (org_id, household_id, level, valid_from, valid_until, issued_by)"
          " SELECT 1, id, 'social', '2020-01-01', current_date + 30, 204 FROM households"
          " WHERE number = 10002;"
          "INSERT INTO reductions (org_id, household_id, level, valid_from, valid_until, issued_by)"
          " SELECT 1, id, 'full', '2020-01-01', current_date + 30, 204 FROM households"
          " WHERE number = 10003;"
          /* a revoked full reduction does not count */
          "INSERT INTO reductions (org_id, household_id, level, valid_from, valid_until, issued_by,"
          " revoked_at, revoked_by) SELECT 1, id, 'full', '2020-01-01', current_date + 30, 204,"
          " now(), 204 FROM households WHERE number = 10004;");
  struct leen_loan l;
  struct leen_err err;
  cr_assert_eq(fx_checkout(&fx.vol, "FB0001", 10002, NULL, &l, &err), 0, "%s", err.message);
  cr_assert_eq(l.deposit_cents, 1000); /* 50 % of 2000 */
  leen_loan_release(&l);
  cr_assert_eq(fx_checkout(&fx.vol, "FB0002", 10003, NULL, &l, &err), 0, "%s", err.message);
  cr_assert_eq(l.deposit_cents, 0);
  int64_t full_loan = l.id;
  leen_loan_release(&l);
  cr_assert_eq(fx_checkout(&fx.vol, "FB0003", 10004, NULL, &l, &err), 0, "%s", err.message);
  cr_assert_eq(l.deposit_cents, 3000);
  leen_loan_release(&l);
  /* the social share rounds down to whole cents: 50 % of 1999 is 999 */
  fx_exec("UPDATE items SET deposit_cents = 1999 WHERE code = 'FB0004'");
  cr_assert_eq(fx_checkout(&fx.vol, "FB0004", 10002, NULL, &l, &err), 0, "%s", err.message);
  cr_assert_eq(l.deposit_cents, 999);
  leen_loan_release(&l);

  char sql[200];
  snprintf(sql, sizeof sql, "SELECT count(*) FROM ledger WHERE loan_id = %lld",
           (long long)full_loan);
  cr_assert_eq(fx_int(sql), 0);
  cr_assert_eq(fx_int("SELECT -sum(amount_cents) FROM ledger WHERE account = 'deposits_held'"),
               1000 + 3000 + 999);
  fx_ledger_balanced();
}

Test(loan, item_deposit_child_method_and_reserved_for_this_household)
{
  fx_exec("UPDATE items SET deposit_cents = 1234 WHERE code = 'FB0001';"
          "UPDATE items SET status = 'reserved', reserved_for ="
          " (SELECT id FROM households WHERE number = 10001) WHERE code = 'FB0002';"
          "INSERT INTO reservations (library_id, household_id, category_id, wanted_from, status,"
          " offered_item) SELECT 101, h.id, 301, '2026-01-01', 'offered', i.id"
          " FROM households h, items i WHERE h.number = 10001 AND i.code = 'FB0002';");
  struct leen_checkout in = {.item = "FB0001", .household = 10001, .child_id = 401,
                             .deposit_method = "payconiq"};
  struct leen_loan l;
  struct leen_err err;
  cr_assert_eq(leen_loan_checkout(fx.db, &fx.vol, &in, &l, &err), 0, "%s", err.message);
  cr_assert_eq(l.deposit_cents, 1234);
  cr_assert_eq(l.child_id, 401);
  cr_assert_str_eq(l.deposit_method, "payconiq");
  leen_loan_release(&l);
  fx_text_eq("SELECT string_agg(account || ' ' || amount_cents, ',' ORDER BY id) FROM ledger",
             "payconiq 1234,deposits_held -1234");

  cr_assert_eq(fx_checkout(&fx.vol, "FB0002", 10001, NULL, &l, &err), 0, "%s", err.message);
  cr_assert_str_eq(l.item_status, "on_loan");
  leen_loan_release(&l);
  fx_text_eq("SELECT status FROM reservations", "fulfilled");
  fx_text_eq("SELECT reserved_for::text FROM items WHERE code = 'FB0002'", NULL);
  fx_ledger_balanced();
}

Test(loan, admin_and_system_act_in_every_library)
{
  struct leen_loan l;
  struct leen_err err;
  cr_assert_eq(fx_checkout(&fx.admin, "BT0004", 10001, NULL, &l, &err), 0, "%s", err.message);
  cr_assert_eq(l.deposit_cents, 2500);
  leen_loan_release(&l);
  cr_assert_eq(fx_checkout(&fx.sys, "FB0001", 10001, "2026-01-05", &l, &err), 0, "%s",
               err.message);
  leen_loan_release(&l);
  fx_text_eq("SELECT string_agg(coalesce(checked_out_by::text, 'system'), ',' ORDER BY id)"
             " FROM loans",
             "205,system");
  fx_ledger_balanced();
}

/* The refusals, in one database: each case sets its state up, checks
 * that the refused check-out changed nothing, and puts the state back. */
struct refusal {
  const char *name;
  const char *setup;        /* SQL run first, or NULL */
  const char *undo;         /* SQL that undoes setup, or NULL */
  const char *lend1, *lend2; /* items lent to 10001 first, or NULL */
  enum who who;
  const char *item;
  int32_t household;
  const char *at;
  const char *method;
  int64_t child;
  enum leen_code code;
  const char *field;
};

/* undoes the status set-ups below */
#define AVAILABLE "UPDATE items SET status = 'available', reserved_for = NULL WHERE code = 'FB0001'"

static const struct refusal refusal_cases[] = {
  {"on loan", NULL, NULL, "FB0001", NULL, VOL, "FB0001", 10002, NULL, NULL, 0,
   LEEN_E_ITEM_NOT_AVAILABLE, "/item"},
  {"cleaning", "UPDATE items SET status = 'cleaning' WHERE code = 'FB0001'", AVAILABLE, NULL,
   NULL, VOL, "FB0001", 10002, NULL, NULL, 0, LEEN_E_ITEM_NOT_AVAILABLE, "/item"},
  {"in repair", "UPDATE items SET status = 'in_repair' WHERE code = 'FB0001'", AVAILABLE, NULL,
   NULL, VOL, "FB0001", 10002, NULL, NULL, 0, LEEN_E_ITEM_NOT_AVAILABLE, "/item"},
  {"retired", "UPDATE items SET status = 'retired' WHERE code = 'FB0001'", AVAILABLE, NULL, NULL,
   VOL, "FB0001", 10002, NULL, NULL, 0, LEEN_E_ITEM_NOT_AVAILABLE, "/item"},
  {"lost", "UPDATE items SET status = 'lost' WHERE code = 'FB0001'", AVAILABLE, NULL, NULL, VOL,
   "FB0001", 10002, NULL, NULL, 0, LEEN_E_ITEM_NOT_AVAILABLE, "/item"},
  {"reserved for another household",
   "UPDATE items SET status = 'reserved', reserved_for = (SELECT id FROM households"
   " WHERE number = 10003) WHERE code = 'FB0001'",
   AVAILABLE, NULL, NULL, VOL, "FB0001", 10002, NULL, NULL, 0, LEEN_E_RESERVED_FOR_OTHER, "/item"},
  {"no membership at all", NULL, NULL, NULL, NULL, VOL, "FB0001", 10005, NULL, NULL, 0,
   LEEN_E_MEMBERSHIP_REQUIRED, "/household"},
  {"membership expired", NULL, NULL, NULL, NULL, VOL, "FB0001", 10006, NULL, NULL, 0,
   LEEN_E_MEMBERSHIP_REQUIRED, "/household"},
  {"membership only in the other library",
   "DELETE FROM memberships WHERE library_id = 101 AND household_id = (SELECT id FROM households"
   " WHERE number = 10004)",
   "INSERT INTO memberships (household_id, library_id, valid_from, valid_until, slots, fee_cents,"
   " reduction_cents) SELECT id, 101, '2020-01-01', current_date + 365, 2, 0, 0 FROM households"
   " WHERE number = 10004",
   NULL, NULL, VOL, "FB0001", 10004, NULL, NULL, 0, LEEN_E_MEMBERSHIP_REQUIRED, "/household"},
  {"back-dated before the membership", NULL, NULL, NULL, NULL, COORD, "FB0001", 10002,
   "2019-06-01", NULL, 0, LEEN_E_MEMBERSHIP_REQUIRED, "/household"},
  {"both slots in use", NULL, NULL, "FB0002", "FB0003", VOL, "FB0001", 10001, NULL, NULL, 0,
   LEEN_E_LOAN_LIMIT_REACHED, "/household"},
  {"expired car seat", NULL, NULL, NULL, NULL, BTVOL, "BT0001", 10001, NULL, NULL, 0,
   LEEN_E_ITEM_UNSAFE, "/item"},
  {"car seat without safety check", NULL, NULL, NULL, NULL, BTVOL, "BT0002", 10001, NULL, NULL, 0,
   LEEN_E_ITEM_UNSAFE, "/item"},
  {"unknown item", NULL, NULL, NULL, NULL, VOL, "FB9999", 10001, NULL, NULL, 0, LEEN_E_NOT_FOUND,
   "/item"},
  {"not an item code", NULL, NULL, NULL, NULL, VOL, "..%2fFB0001", 10001, NULL, NULL, 0,
   LEEN_E_NOT_FOUND, "/item"},
  {"unknown household", NULL, NULL, NULL, NULL, VOL, "FB0001", 99999, NULL, NULL, 0,
   LEEN_E_NOT_FOUND, "/household"},
  {"volunteer of another library", NULL, NULL, NULL, NULL, BTVOL, "FB0001", 10001, NULL, NULL, 0,
   LEEN_E_FORBIDDEN, "/item"},
  {"social worker", NULL, NULL, NULL, NULL, SOCIAL, "FB0001", 10001, NULL, NULL, 0,
   LEEN_E_FORBIDDEN, ""},
  {"volunteer back-dating", NULL, NULL, NULL, NULL, VOL, "FB0001", 10001, "2026-01-05", NULL, 0,
   LEEN_E_FORBIDDEN, "/at"},
  {"start in the future", NULL, NULL, NULL, NULL, COORD, "FB0001", 10001, "2099-01-01", NULL, 0,
   LEEN_E_INVALID_DATE, "/at"},
  {"start on a day that does not exist", NULL, NULL, NULL, NULL, COORD, "FB0001", 10001,
   "2026-02-30", NULL, 0, LEEN_E_INVALID_DATE, "/at"},
  {"unknown deposit method", NULL, NULL, NULL, NULL, VOL, "FB0001", 10001, NULL, "bitcoin", 0,
   LEEN_E_INVALID_FIELD, "/deposit_method"},
  {"child of another household", NULL, NULL, NULL, NULL, VOL, "FB0001", 10002, NULL, NULL, 401,
   LEEN_E_INVALID_FIELD, "/child"},
};
enum { NREFUSALS = sizeof refusal_cases / sizeof refusal_cases[0] };

Test(loan, refusals)
{
  for (size_t i = 0; i < NREFUSALS; i++) {
    const struct refusal *c = &refusal_cases[i];
    if (c->setup)
      fx_exec(c->setup);
    if (c->lend1)
      fx_lend(c->lend1, 10001);
    if (c->lend2)
      fx_lend(c->lend2, 10001);
    long long loans = fx_int("SELECT count(*) FROM loans");
    long long lines = fx_int("SELECT count(*) FROM ledger");
    char *status = ts_sql_value(fx.pg, "SELECT string_agg(status, ',' ORDER BY id) FROM items");

    struct leen_checkout in = {.item = c->item, .household = c->household, .at = c->at,
                               .deposit_method = c->method, .child_id = c->child};
    struct leen_loan l;
    struct leen_err err;
    leen_err_clear(&err);
    cr_assert_eq(leen_loan_checkout(fx.db, actor(c->who), &in, &l, &err), -1, "%s: lent",
                 c->name);
    cr_assert_eq(err.code, c->code, "%s: got %s (%s)", c->name, leen_code_name(err.code),
                 err.message);
    cr_assert_str_eq(err.field, c->field, "%s: field %s", c->name, err.field);
    cr_assert_neq(err.message[0], '\0', "%s", c->name);

    cr_assert_eq(fx_int("SELECT count(*) FROM loans"), loans, "%s", c->name);
    cr_assert_eq(fx_int("SELECT count(*) FROM ledger"), lines, "%s", c->name);
    fx_text_eq("SELECT string_agg(status, ',' ORDER BY id) FROM items", status);
    free(status);
    if (c->undo)
      fx_exec(c->undo);
    if (c->lend1)
      fx_take_back(c->lend1, "available");
    if (c->lend2)
      fx_take_back(c->lend2, "available");
  }
  cr_assert_eq(fx_int("SELECT count(*) FROM loans WHERE returned_at IS NULL"), 0);
  fx_ledger_balanced();
}
