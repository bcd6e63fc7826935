/* Return, swap, renew and reading loans. */
#include "test_loan_fixture.h"

TestSuite(loan_return, .init = fx_setup, .fini = fx_teardown, .timeout = 60);

/* The ledger lines of one loan as "kind account amount,..." in order. */
static void loan_lines_eq(int64_t loan, const char *want)
{
  char sql[300];
  snprintf(sql, sizeof sql,
           "SELECT string_agg(kind || ' ' || account || ' ' || amount_cents, ',' ORDER BY id)"
           " FROM ledger WHERE loan_id = %lld",
           (long long)loan);
  fx_text_eq(sql, want);
}

Test(loan_return, ok_refunds_the_whole_deposit)
{
  int64_t id = fx_lend("FB0001", 10001);
  struct leen_loan l;
  struct leen_err err;
  cr_assert_eq(fx_return(&fx.vol, "FB-0001", NULL, &l, &err), 0, "%s", err.message);
  cr_assert_eq(l.id, id);
  cr_assert_eq(l.refund_cents, 2000);
  cr_assert_eq(l.withheld_cents, 0);
  cr_assert_null(l.withheld_reason);
  cr_assert_eq(l.nmissing, 0);
  cr_assert_str_eq(l.return_condition, "ok");
  cr_assert_str_eq(l.item_status, "available");
  cr_assert_eq(strlen(l.returned_at), 25, "%s", l.returned_at);
  leen_loan_release(&l);
  loan_lines_eq(id, "deposit_taken cash 2000,deposit_taken deposits_held -2000,"
                    "deposit_refunded deposits_held 2000,deposit_refunded cash -2000");
  fx_text_eq("SELECT status FROM items WHERE code = 'FB0001'", "available");
  fx_text_eq("SELECT checked_in_by::text FROM loans", "201");
  cr_assert_eq(fx_int("SELECT count(*) FROM audit WHERE action = 'loan.return' AND user_id = 201"),
               1);
  fx_ledger_balanced();
}

Test(loan_return, withheld_part_needs_a_reason_and_goes_to_income)
{
  int64_t id = fx_lend("FB0001", 10001);
  static const char *const missing[] = {"bel"};
  struct leen_return in = {.item = "FB0001", .condition = "needs_repair", .withheld_cents = 500,
                           .withheld_reason = "bel ontbreekt", .missing_components = missing,
                           .nmissing = 1};
  struct leen_loan l;
  struct leen_err err;
  cr_assert_eq(leen_loan_return(fx.db, &fx.vol, &in, &l, &err), 0, "%s", err.message);
  cr_assert_eq(l.refund_cents, 1500);
  cr_assert_eq(l.withheld_cents, 500);
  cr_assert_str_eq(l.withheld_reason, "bel ontbreekt");
  cr_assert_eq(l.nmissing, 1);
  cr_assert_str_eq(l.missing_components[0], "bel");
  cr_assert_str_eq(l.item_status, "in_repair");
  leen_loan_release(&l);
  loan_lines_eq(id, "deposit_taken cash 2000,deposit_taken deposits_held -2000,"
                    "deposit_refunded deposits_held 1500,deposit_refunded cash -1500,"
                    "deposit_withheld deposits_held 500,deposit_withheld withheld_income -500");
  fx_text_eq("SELECT reason FROM ledger WHERE account = 'withheld_income'", "bel ontbreekt");
  fx_text_eq("SELECT status FROM items WHERE code = 'FB0001'", "in_repair");
  fx_ledger_balanced();
}

Test(loan_return, needs_cleaning_and_all_withheld)
{
  fx_lend("BT0004", 10001);
  static const char *const missing[] = {"regenhoes", "pomp"};
  struct leen_return in = {.item = "BT0004", .condition = "needs_cleaning",
                           .withheld_cents = 2500, .withheld_reason = "wandelwagen beschadigd",
                           .missing_components = missing, .nmissing = 2};
  struct leen_loan l;
  struct leen_err err;
  cr_assert_eq(leen_loan_return(fx.db, &fx.btvol, &in, &l, &err), 0, "%s", err.message);
  cr_assert_eq(l.refund_cents, 0);
  cr_assert_eq(l.withheld_cents, 2500);
  cr_assert_eq(l.nmissing, 2);
  cr_assert_str_eq(l.missing_components[1], "pomp");
  cr_assert_str_eq(l.item_status, "cleaning");
  leen_loan_release(&l);
  fx_text_eq("SELECT array_to_string(missing_components, '|') FROM loans", "regenhoes|pomp");
  cr_assert_eq(fx_int("SELECT count(*) FROM ledger WHERE kind = 'deposit_refunded'"), 0);
  fx_ledger_balanced();
}

Test(loan_return, refusals)
{
  fx_lend("FB0001", 10001);
  struct leen_loan l;
  struct leen_err err;
  struct leen_return in = {.item = "FB0001", .withheld_cents = 2001, .withheld_reason = "kapot"};
  cr_assert_eq(leen_loan_return(fx.db, &fx.vol, &in, &l, &err), -1);
  cr_assert_eq(err.code, LEEN_E_INVALID_AMOUNT, "%s", err.message);
  cr_assert_str_eq(err.field, "/withheld_cents");

  in.withheld_cents = -1;
  cr_assert_eq(leen_loan_return(fx.db, &fx.vol, &in, &l, &err), -1);
  cr_assert_eq(err.code, LEEN_E_INVALID_AMOUNT);

  in.withheld_cents = 100;
  in.withheld_reason = NULL;
  cr_assert_eq(leen_loan_return(fx.db, &fx.vol, &in, &l, &err), -1);
  cr_assert_eq(err.code, LEEN_E_INVALID_FIELD);
  cr_assert_str_eq(err.field, "/withheld_reason");

  static const char *const unknown[] = {"pomp"};
  struct leen_return bad = {.item = "FB0001", .missing_components = unknown, .nmissing = 1};
  cr_assert_eq(leen_loan_return(fx.db, &fx.vol, &bad, &l, &err), -1);
  cr_assert_eq(err.code, LEEN_E_INVALID_FIELD);
  cr_assert_str_eq(err.field, "/missing_components");

  struct leen_return cond = {.item = "FB0001", .condition = "broken"};
  cr_assert_eq(leen_loan_return(fx.db, &fx.vol, &cond, &l, &err), -1);
  cr_assert_str_eq(err.field, "/condition");

  cr_assert_eq(fx_return(&fx.btvol, "FB0001", "ok", &l, &err), -1);
  cr_assert_eq(err.code, LEEN_E_FORBIDDEN);

  struct leen_return early = {.item = "FB0001", .at = "2020-01-01"};
  cr_assert_eq(leen_loan_return(fx.db, &fx.coord, &early, &l, &err), -1);
  cr_assert_eq(err.code, LEEN_E_INVALID_DATE);
  cr_assert_str_eq(err.field, "/at");

  /* nothing changed by the refusals */
  cr_assert_eq(fx_int("SELECT count(*) FROM loans WHERE returned_at IS NULL"), 1);
  cr_assert_eq(fx_int("SELECT count(*) FROM ledger"), 2);

  cr_assert_eq(fx_return(&fx.vol, "FB0001", "ok", &l, &err), 0, "%s", err.message);
  leen_loan_release(&l);
  cr_assert_eq(fx_return(&fx.vol, "FB0001", "ok", &l, &err), -1);
  cr_assert_eq(err.code, LEEN_E_ALREADY_RETURNED);
  cr_assert_eq(fx_return(&fx.vol, "FB0002", "ok", &l, &err), -1);
  cr_assert_eq(err.code, LEEN_E_ALREADY_RETURNED);
  cr_assert_eq(fx_return(&fx.vol, "FB0999", "ok", &l, &err), -1);
  cr_assert_eq(err.code, LEEN_E_NOT_FOUND);
  fx_ledger_balanced();
}

Test(loan_return, back_dated_return)
{
  struct leen_loan l;
  struct leen_err err;
  cr_assert_eq(fx_checkout(&fx.coord, "FB0001", 10001, "2026-03-01T11:00:00+01:00", &l, &err), 0,
               "%s", err.message);
  leen_loan_release(&l);
  struct leen_return in = {.item = "FB0001", .at = "2026-04-18T10:30:00+02:00"};
  cr_assert_eq(leen_loan_return(fx.db, &fx.coord, &in, &l, &err), 0, "%s", err.message);
  cr_assert_str_eq(l.returned_at, "2026-04-18T10:30:00+02:00");
  leen_loan_release(&l);
  fx_text_eq("SELECT to_char(max(created_at), 'YYYY-MM-DD') FROM ledger", "2026-04-18");
  fx_ledger_balanced();
}

Test(loan_return, swap_16_to_20_and_back_settles_the_difference)
{
  struct leen_loan first;
  struct leen_err err;
  struct leen_checkout co = {.item = "FB0001", .household = 10001, .child_id = 401};
  cr_assert_eq(leen_loan_checkout(fx.db, &fx.vol, &co, &first, &err), 0, "%s", err.message);
  leen_loan_release(&first);

  struct leen_swap up = {.return_item = "FB0001", .item = "FB0003"};
  struct leen_swap_result s;
  cr_assert_eq(leen_loan_swap(fx.db, &fx.vol, &up, &s, &err), 0, "%s", err.message);
  cr_assert_eq(s.deposit_delta_cents, 1000);
  cr_assert_str_eq(s.returned.item, "FB0001");
  cr_assert_eq(s.returned.refund_cents, 2000);
  cr_assert_str_eq(s.returned.return_condition, "ok");
  cr_assert_str_eq(s.returned.item_status, "available");
  cr_assert_str_eq(s.loan.item, "FB0003");
  cr_assert_eq(s.loan.deposit_cents, 3000);
  cr_assert_eq(s.loan.swapped_from, s.returned.id);
  cr_assert_eq(s.loan.child_id, 401);
  cr_assert_eq(s.loan.household, 10001);
  int64_t loan1 = s.returned.id, loan2 = s.loan.id;
  leen_swap_result_release(&s);
  loan_lines_eq(loan1, "deposit_taken cash 2000,deposit_taken deposits_held -2000");
  loan_lines_eq(loan2, "deposit_taken cash 1000,deposit_taken deposits_held -1000");

  struct leen_swap down = {.return_item = "FB0003", .item = "FB0002"};
  cr_assert_eq(leen_loan_swap(fx.db, &fx.vol, &down, &s, &err), 0, "%s", err.message);
  cr_assert_eq(s.deposit_delta_cents, -1000);
  cr_assert_eq(s.returned.id, loan2);
  cr_assert_eq(s.returned.refund_cents, 3000);
  cr_assert_eq(s.loan.deposit_cents, 2000);
  int64_t loan3 = s.loan.id;
  leen_swap_result_release(&s);
  loan_lines_eq(loan2, "deposit_taken cash 1000,deposit_taken deposits_held -1000,"
                       "deposit_refunded deposits_held 1000,deposit_refunded cash -1000");
  loan_lines_eq(loan3, NULL);

  /* the family paid 2000 + 1000 - 1000 and the library holds 2000 for it */
  cr_assert_eq(fx_int("SELECT sum(amount_cents) FROM ledger WHERE account = 'cash'"), 2000);
  cr_assert_eq(fx_int("SELECT -sum(amount_cents) FROM ledger WHERE account = 'deposits_held'"),
               2000);
  fx_text_eq("SELECT string_agg(code || ' ' || status, ',' ORDER BY code) FROM items"
             " WHERE library_id = 101",
             "FB0001 available,FB0002 on_loan,FB0003 available,FB0004 available");
  cr_assert_eq(fx_int("SELECT count(*) FROM loans WHERE returned_at IS NULL"), 1);
  cr_assert_eq(fx_int("SELECT count(*) FROM audit WHERE action = 'loan.swap'"), 2);
  struct leen_balance b;
  cr_assert_eq(leen_ledger_balance(fx.db, &fx.vol, 10001, &b, &err), 0, "%s", err.message);
  cr_assert_eq(b.deposits_held_cents, 2000);
  cr_assert_eq(b.balance_cents, 0);
  fx_ledger_balanced();
}

Test(loan_return, swap_uses_the_freed_slot_and_stays_in_one_library)
{
  fx_exec("UPDATE memberships SET slots = 1");
  fx_lend("FB0001", 10001);
  struct leen_loan l;
  struct leen_err err;
  cr_assert_eq(fx_checkout(&fx.vol, "FB0003", 10001, NULL, &l, &err), -1);
  cr_assert_eq(err.code, LEEN_E_LOAN_LIMIT_REACHED);

  struct leen_swap_result s;
  struct leen_swap other = {.return_item = "FB0001", .item = "BT0004"};
  cr_assert_eq(leen_loan_swap(fx.db, &fx.coord, &other, &s, &err), -1);
  cr_assert_eq(err.code, LEEN_E_INVALID_FIELD);
  cr_assert_str_eq(err.field, "/item");
  struct leen_swap self = {.return_item = "FB0001", .item = "fb-0001"};
  cr_assert_eq(leen_loan_swap(fx.db, &fx.coord, &self, &s, &err), -1);
  cr_assert_eq(err.code, LEEN_E_INVALID_FIELD);
  struct leen_swap not_lent = {.return_item = "FB0002", .item = "FB0003"};
  cr_assert_eq(leen_loan_swap(fx.db, &fx.coord, &not_lent, &s, &err), -1);
  cr_assert_eq(err.code, LEEN_E_ALREADY_RETURNED);
  cr_assert_str_eq(err.field, "/return_item");
  /* a refused check-out half rolls the return back too */
  fx_exec("UPDATE items SET status = 'in_repair' WHERE code = 'FB0003'");
  struct leen_swap to_repair = {.return_item = "FB0001", .item = "FB0003"};
  cr_assert_eq(leen_loan_swap(fx.db, &fx.vol, &to_repair, &s, &err), -1);
  cr_assert_eq(err.code, LEEN_E_ITEM_NOT_AVAILABLE);
  cr_assert_str_eq(err.field, "/item");
  cr_assert_eq(fx_int("SELECT count(*) FROM loans WHERE returned_at IS NULL"), 1);
  fx_text_eq("SELECT status FROM items WHERE code = 'FB0001'", "on_loan");
  fx_exec("UPDATE items SET status = 'available' WHERE code = 'FB0003'");

  struct leen_swap up = {.return_item = "FB0001", .item = "FB0003", .condition = "needs_cleaning",
                         .deposit_method = "transfer"};
  cr_assert_eq(leen_loan_swap(fx.db, &fx.vol, &up, &s, &err), 0, "%s", err.message);
  cr_assert_str_eq(s.returned.item_status, "cleaning");
  cr_assert_str_eq(s.loan.deposit_method, "transfer");
  cr_assert_eq(s.deposit_delta_cents, 1000);
  leen_swap_result_release(&s);
  fx_text_eq("SELECT string_agg(account || ' ' || amount_cents, ',' ORDER BY id) FROM ledger"
             " WHERE kind = 'deposit_taken' AND amount_cents > 0",
             "cash 2000,transfer 1000");
  fx_ledger_balanced();
}

Test(loan_return, renew_sets_a_new_due_date)
{
  struct leen_loan l;
  struct leen_err err;
  cr_assert_eq(fx_checkout(&fx.coord, "BT0004", 10001, "2026-01-07", &l, &err), 0, "%s",
               err.message);
  cr_assert_str_eq(l.due_on, "2026-02-04");
  int64_t id = l.id;
  leen_loan_release(&l);
  cr_assert_eq(leen_loan_renew(fx.db, &fx.btvol, id, &l, &err), 0, "%s", err.message);
  cr_assert_eq(l.renewals, 1);
  fx_text_eq("SELECT to_char(leen_due_date(102, (now() AT TIME ZONE 'Europe/Brussels')::date, 28),"
             " 'YYYY-MM-DD')",
             l.due_on);
  cr_assert_eq(l.overdue, 0);
  leen_loan_release(&l);
  cr_assert_eq(leen_loan_renew(fx.db, &fx.vol, id, &l, &err), -1);
  cr_assert_eq(err.code, LEEN_E_FORBIDDEN);
  cr_assert_eq(leen_loan_renew(fx.db, &fx.btvol, 999999, &l, &err), -1);
  cr_assert_eq(err.code, LEEN_E_NOT_FOUND);
  fx_take_back("BT0004", "available");
  cr_assert_eq(leen_loan_renew(fx.db, &fx.btvol, id, &l, &err), -1);
  cr_assert_eq(err.code, LEEN_E_ALREADY_RETURNED);
  cr_assert_eq(fx_int("SELECT count(*) FROM audit WHERE action = 'loan.renew'"), 1);
  fx_ledger_balanced();
}

Test(loan_return, list_and_get)
{
  struct leen_loan l;
  struct leen_err err;
  /* 10001: an overdue stroller and a bike; 10002: a returned bike */
  cr_assert_eq(fx_checkout(&fx.coord, "BT0004", 10001, "2026-01-07", &l, &err), 0, "%s",
               err.message);
  leen_loan_release(&l);
  int64_t bike = fx_lend("FB0001", 10001);
  fx_lend("FB0002", 10002);
  fx_take_back("FB0002", "available");

  struct leen_loan_list list;
  struct leen_loan_filter f = {.open = -1};
  cr_assert_eq(leen_loan_list(fx.db, &fx.coord, &f, &list, &err), 0, "%s", err.message);
  cr_assert_eq(list.n, 3);
  cr_assert_str_eq(list.items[0].item, "FB0002");
  cr_assert_eq(list.next_cursor, 0);
  leen_loan_list_release(&list);

  /* a volunteer sees only the loans of the library they work in */
  cr_assert_eq(leen_loan_list(fx.db, &fx.vol, &f, &list, &err), 0, "%s", err.message);
  cr_assert_eq(list.n, 2);
  leen_loan_list_release(&list);

  f = (struct leen_loan_filter){.open = 1, .household = 10001};
  cr_assert_eq(leen_loan_list(fx.db, &fx.coord, &f, &list, &err), 0, "%s", err.message);
  cr_assert_eq(list.n, 2);
  leen_loan_list_release(&list);

  f = (struct leen_loan_filter){.open = -1, .overdue = 1};
  cr_assert_eq(leen_loan_list(fx.db, &fx.coord, &f, &list, &err), 0, "%s", err.message);
  cr_assert_eq(list.n, 1);
  cr_assert_str_eq(list.items[0].item, "BT0004");
  cr_assert_eq(list.items[0].overdue, 1);
  leen_loan_list_release(&list);

  f = (struct leen_loan_filter){.open = 0, .library = "fietsbieb"};
  cr_assert_eq(leen_loan_list(fx.db, &fx.vol, &f, &list, &err), 0, "%s", err.message);
  cr_assert_eq(list.n, 1);
  cr_assert_eq(list.items[0].household, 10002);
  leen_loan_list_release(&list);

  /* pages of one, newest first */
  f = (struct leen_loan_filter){.open = -1, .limit = 1};
  const char *want[] = {"FB0002", "FB0001", "BT0004"};
  for (int page = 0; page < 3; page++) {
    cr_assert_eq(leen_loan_list(fx.db, &fx.coord, &f, &list, &err), 0, "%s", err.message);
    cr_assert_eq(list.n, 1);
    cr_assert_str_eq(list.items[0].item, want[page]);
    cr_assert_eq(list.next_cursor != 0, page < 2);
    f.cursor = list.next_cursor;
    leen_loan_list_release(&list);
  }

  f = (struct leen_loan_filter){.open = -1, .library = "babytheek"};
  cr_assert_eq(leen_loan_list(fx.db, &fx.vol, &f, &list, &err), -1);
  cr_assert_eq(err.code, LEEN_E_FORBIDDEN);
  f.library = "speelotheek";
  cr_assert_eq(leen_loan_list(fx.db, &fx.vol, &f, &list, &err), -1);
  cr_assert_eq(err.code, LEEN_E_NOT_FOUND);
  f = (struct leen_loan_filter){.open = -1, .household = 99999};
  cr_assert_eq(leen_loan_list(fx.db, &fx.vol, &f, &list, &err), -1);
  cr_assert_eq(err.code, LEEN_E_NOT_FOUND);
  f = (struct leen_loan_filter){.open = -1, .limit = 201};
  cr_assert_eq(leen_loan_list(fx.db, &fx.vol, &f, &list, &err), -1);
  cr_assert_eq(err.code, LEEN_E_INVALID_FIELD);
  cr_assert_eq(leen_loan_list(fx.db, &fx.social, &f, &list, &err), -1);
  cr_assert_eq(err.code, LEEN_E_FORBIDDEN);

  cr_assert_eq(leen_loan_get(fx.db, &fx.vol, bike, &l, &err), 0, "%s", err.message);
  cr_assert_str_eq(l.item, "FB0001");
  cr_assert_eq(l.deposit_cents, 2000);
  leen_loan_release(&l);
  cr_assert_eq(leen_loan_get(fx.db, &fx.btvol, bike, &l, &err), -1);
  cr_assert_eq(err.code, LEEN_E_FORBIDDEN);
  cr_assert_eq(leen_loan_get(fx.db, &fx.vol, 424242, &l, &err), -1);
  cr_assert_eq(err.code, LEEN_E_NOT_FOUND);
  fx_ledger_balanced();
}
