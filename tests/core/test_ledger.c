/* Payments, donations, a household's ledger lines and balances. */
#include "test_loan_fixture.h"

TestSuite(ledger, .init = fx_setup, .fini = fx_teardown, .timeout = 60);

/* A membership fee of 2000 with a reduction of 1500 for household 10001,
 * posted as the membership code does (two journals' worth of postings). */
static void fee_owed(void)
{
  fx_exec("INSERT INTO ledger (journal_id, kind, account, amount_cents, household_id, library_id)"
          " SELECT 900, k, a, amt, h.id, 101 FROM households h,"
          " (VALUES ('membership_fee', 'household', 2000), ('membership_fee', 'fee_income', -2000),"
          "         ('fee_reduction', 'fee_reduction', 1500),"
          "         ('fee_reduction', 'household', -1500))"
          " AS v (k, a, amt) WHERE h.number = 10001");
}

Test(ledger, payment_settles_what_is_owed)
{
  fee_owed();
  struct leen_balance b;
  struct leen_err err;
  cr_assert_eq(leen_ledger_balance(fx.db, &fx.vol, 10001, &b, &err), 0, "%s", err.message);
  cr_assert_eq(b.balance_cents, 500);
  cr_assert_eq(b.deposits_held_cents, 0);

  struct leen_payment pay = {.household = 10001, .kind = "payment", .amount_cents = 500,
                             .method = "payconiq", .library = "fietsbieb"};
  struct leen_payment_result res;
  cr_assert_eq(leen_ledger_record_payment(fx.db, &fx.vol, &pay, &res, &err), 0, "%s",
               err.message);
  cr_assert_eq(res.balance_cents, 0);
  cr_assert_gt(res.journal_id, 0);
  char sql[300];
  snprintf(sql, sizeof sql,
           "SELECT string_agg(kind || ' ' || account || ' ' || amount_cents || ' '"
           " || library_id || ' ' || created_by, ',' ORDER BY id) FROM ledger"
           " WHERE journal_id = %lld",
           (long long)res.journal_id);
  fx_text_eq(sql, "payment payconiq 500 101 201,payment household -500 101 201");
  cr_assert_eq(fx_int("SELECT count(*) FROM audit WHERE action = 'ledger.payment'"
                      " AND entity = 'household' AND entity_id = '10001' AND user_id = 201"),
               1);

  struct leen_ledger_list list;
  cr_assert_eq(leen_ledger_list(fx.db, &fx.vol, 10001, 0, 0, 0, &list, &err), 0, "%s",
               err.message);
  cr_assert_eq(list.n, 3);
  const char *kinds[] = {"membership_fee", "fee_reduction", "payment"};
  const int64_t amounts[] = {2000, -1500, -500};
  for (size_t i = 0; i < 3; i++) {
    cr_assert_str_eq(list.items[i].kind, kinds[i]);
    cr_assert_str_eq(list.items[i].account, "household");
    cr_assert_eq(list.items[i].amount_cents, amounts[i]);
    cr_assert_str_eq(list.items[i].library, "fietsbieb");
    cr_assert_eq(strlen(list.items[i].created_at), 25);
  }
  cr_assert_eq(list.next_cursor, 0);
  leen_ledger_list_release(&list);
  fx_ledger_balanced();
}

Test(ledger, donation_and_deposits)
{
  fx_lend("FB0001", 10001);
  struct leen_payment gift = {.household = 10001, .kind = "donation", .amount_cents = 1000};
  struct leen_payment_result res;
  struct leen_err err;
  cr_assert_eq(leen_ledger_record_payment(fx.db, &fx.btvol, &gift, &res, &err), 0, "%s",
               err.message);
  cr_assert_eq(res.balance_cents, 0);
  struct leen_balance b;
  cr_assert_eq(leen_ledger_balance(fx.db, &fx.vol, 10001, &b, &err), 0, "%s", err.message);
  cr_assert_eq(b.balance_cents, 0);
  cr_assert_eq(b.deposits_held_cents, 2000);

  /* the household account has nothing; every account shows both journals */
  struct leen_ledger_list list;
  cr_assert_eq(leen_ledger_list(fx.db, &fx.vol, 10001, 0, 0, 0, &list, &err), 0, "%s",
               err.message);
  cr_assert_eq(list.n, 0);
  leen_ledger_list_release(&list);
  cr_assert_eq(leen_ledger_list(fx.db, &fx.vol, 10001, 1, 0, 3, &list, &err), 0, "%s",
               err.message);
  cr_assert_eq(list.n, 3);
  cr_assert_str_eq(list.items[0].kind, "deposit_taken");
  cr_assert_str_eq(list.items[0].account, "cash");
  cr_assert_eq(list.items[0].amount_cents, 2000);
  cr_assert_neq(list.items[0].loan_id, 0);
  cr_assert_str_eq(list.items[2].kind, "donation");
  cr_assert_str_eq(list.items[2].account, "cash");
  cr_assert_str_eq(list.items[2].library, "");
  cr_assert_neq(list.next_cursor, 0);
  int64_t cursor = list.next_cursor;
  leen_ledger_list_release(&list);
  cr_assert_eq(leen_ledger_list(fx.db, &fx.vol, 10001, 1, cursor, 3, &list, &err), 0, "%s",
               err.message);
  cr_assert_eq(list.n, 1);
  cr_assert_str_eq(list.items[0].account, "donations");
  cr_assert_eq(list.items[0].amount_cents, -1000);
  cr_assert_eq(list.next_cursor, 0);
  leen_ledger_list_release(&list);

  fx_take_back("FB0001", "available");
  cr_assert_eq(leen_ledger_balance(fx.db, &fx.vol, 10001, &b, &err), 0, "%s", err.message);
  cr_assert_eq(b.deposits_held_cents, 0);
  fx_ledger_balanced();
}

Test(ledger, waiving_is_for_coordinators)
{
  fee_owed();
  struct leen_payment waive = {.household = 10001, .amount_cents = 500, .method = "waived"};
  struct leen_payment_result res;
  struct leen_err err;
  cr_assert_eq(leen_ledger_record_payment(fx.db, &fx.vol, &waive, &res, &err), -1);
  cr_assert_eq(err.code, LEEN_E_FORBIDDEN);
  cr_assert_eq(leen_ledger_record_payment(fx.db, &fx.coord, &waive, &res, &err), 0, "%s",
               err.message);
  cr_assert_eq(res.balance_cents, 0);
  fx_text_eq("SELECT kind FROM ledger WHERE account = 'waived'", "payment");
  fx_ledger_balanced();
}

Test(ledger, refusals)
{
  struct {
    const struct leen_actor *who;
    struct leen_payment in;
    enum leen_code code;
    const char *field;
  } cases[] = {
    {&fx.vol, {.household = 10001, .amount_cents = 0}, LEEN_E_INVALID_AMOUNT, "/amount_cents"},
    {&fx.vol, {.household = 10001, .amount_cents = -500}, LEEN_E_INVALID_AMOUNT, "/amount_cents"},
    {&fx.vol, {.household = 10001, .amount_cents = 100000001}, LEEN_E_INVALID_AMOUNT,
     "/amount_cents"},
    {&fx.vol, {.household = 10001, .amount_cents = 5, .kind = "refund"}, LEEN_E_INVALID_FIELD,
     "/kind"},
    {&fx.vol, {.household = 10001, .amount_cents = 5, .method = "bitcoin"}, LEEN_E_INVALID_FIELD,
     "/method"},
    {&fx.coord, {.household = 10001, .amount_cents = 5, .kind = "donation", .method = "waived"},
     LEEN_E_INVALID_FIELD, "/method"},
    {&fx.vol, {.household = 99999, .amount_cents = 5}, LEEN_E_NOT_FOUND, "/household"},
    {&fx.vol, {.household = 10001, .amount_cents = 5, .library = "speelotheek"}, LEEN_E_NOT_FOUND,
     "/library"},
    {&fx.vol, {.household = 10001, .amount_cents = 5, .library = "babytheek"}, LEEN_E_FORBIDDEN,
     "/library"},
    {&fx.social, {.household = 10001, .amount_cents = 5}, LEEN_E_FORBIDDEN, ""},
  };
  struct leen_payment_result res;
  struct leen_err err;
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    cr_assert_eq(leen_ledger_record_payment(fx.db, cases[i].who, &cases[i].in, &res, &err), -1,
                 "case %zu", i);
    cr_assert_eq(err.code, cases[i].code, "case %zu: %s (%s)", i, leen_code_name(err.code),
                 err.message);
    cr_assert_str_eq(err.field, cases[i].field, "case %zu", i);
  }
  cr_assert_eq(fx_int("SELECT count(*) FROM ledger"), 0);
  cr_assert_eq(fx_int("SELECT count(*) FROM audit"), 0);

  struct leen_ledger_list list;
  cr_assert_eq(leen_ledger_list(fx.db, &fx.vol, 99999, 0, 0, 0, &list, &err), -1);
  cr_assert_eq(err.code, LEEN_E_NOT_FOUND);
  cr_assert_eq(leen_ledger_list(fx.db, &fx.vol, 10001, 0, 0, 501, &list, &err), -1);
  cr_assert_eq(err.code, LEEN_E_INVALID_FIELD);
  cr_assert_eq(leen_ledger_list(fx.db, &fx.social, 10001, 0, 0, 0, &list, &err), -1);
  cr_assert_eq(err.code, LEEN_E_FORBIDDEN);
  struct leen_balance b;
  cr_assert_eq(leen_ledger_balance(fx.db, &fx.vol, 99999, &b, &err), -1);
  cr_assert_eq(err.code, LEEN_E_NOT_FOUND);
  fx_ledger_balanced();
}
