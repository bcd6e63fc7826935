/* Reservations: the queue, setting a returned item aside, cancelling, and
 * renewals refused while someone waits. */
#include "test_loan_fixture.h"

TestSuite(reservation, .init = fx_setup, .fini = fx_teardown, .timeout = 60);

/* A reservation that must succeed; returns it. */
static struct leen_reservation reserve(int32_t household, int64_t category, const char *item,
                                       const char *wanted_from)
{
  struct leen_reservation_new in = {.household = household, .category_id = category,
                                    .item = item, .wanted_from = wanted_from};
  struct leen_reservation r;
  struct leen_err err;
  cr_assert_eq(leen_reservation_create(fx.db, &fx.vol, &in, &r, &err), 0, "reserve for %d: %s",
               (int)household, err.message);
  return r;
}

static struct leen_reservation get(int64_t id)
{
  struct leen_reservation r;
  struct leen_err err;
  cr_assert_eq(leen_reservation_get(fx.db, &fx.vol, id, &r, &err), 0, "%s", err.message);
  return r;
}

Test(reservation, queue_order_and_the_returned_item_set_aside_for_the_first)
{
  fx_lend("FB0001", 10004);
  fx_lend("FB0002", 10004);
  struct leen_reservation a = reserve(10001, CAT16, NULL, "2026-01-01");
  struct leen_reservation b = reserve(10002, CAT16, NULL, NULL);
  struct leen_reservation c = reserve(10003, CAT16, NULL, "2026-02-01");
  cr_assert_eq(a.position, 1);
  cr_assert_eq(b.position, 2);
  cr_assert_eq(c.position, 3);
  cr_assert_str_eq(a.status, "waiting");
  cr_assert_str_eq(a.library, "fietsbieb");
  cr_assert_eq(a.category_id, CAT16);
  cr_assert_str_eq(a.item, "");
  cr_assert_str_eq(a.wanted_from, "2026-01-01");
  fx_text_eq("SELECT to_char((now() AT TIME ZONE 'Europe/Brussels')::date, 'YYYY-MM-DD')",
             b.wanted_from);
  /* a wait for the 20" bikes is another queue */
  struct leen_reservation other = reserve(10003, CAT20, NULL, NULL);
  cr_assert_eq(other.position, 1);

  fx_take_back("FB0001", "reserved");
  fx_text_eq("SELECT h.number::text FROM items i JOIN households h ON h.id = i.reserved_for"
             " WHERE i.code = 'FB0001'",
             "10001");
  struct leen_reservation r = get(a.id);
  cr_assert_str_eq(r.status, "offered");
  cr_assert_str_eq(r.offered_item, "FB0001");
  cr_assert_eq(r.position, 1);

  struct leen_loan l;
  struct leen_err err;
  cr_assert_eq(fx_checkout(&fx.vol, "FB0001", 10002, NULL, &l, &err), -1);
  cr_assert_eq(err.code, LEEN_E_RESERVED_FOR_OTHER, "%s", err.message);
  cr_assert_eq(fx_checkout(&fx.vol, "FB0001", 10001, NULL, &l, &err), 0, "%s", err.message);
  leen_loan_release(&l);
  r = get(a.id);
  cr_assert_str_eq(r.status, "fulfilled");
  cr_assert_str_eq(r.offered_item, "");
  cr_assert_eq(r.position, 0);
  cr_assert_eq(get(b.id).position, 1);
  cr_assert_eq(get(c.id).position, 2);

  /* the next bike back goes to the next in line */
  fx_take_back("FB0002", "reserved");
  r = get(b.id);
  cr_assert_str_eq(r.status, "offered");
  cr_assert_str_eq(r.offered_item, "FB0002");
  /* a bike returned for repair is not offered */
  struct leen_loan ret;
  cr_assert_eq(fx_return(&fx.vol, "FB0001", "needs_repair", &ret, &err), 0, "%s", err.message);
  cr_assert_str_eq(ret.item_status, "in_repair");
  leen_loan_release(&ret);
  cr_assert_str_eq(get(c.id).status, "waiting");
  fx_ledger_balanced();
}

Test(reservation, a_wait_from_a_later_day_is_passed_over)
{
  fx_lend("FB0001", 10004);
  struct leen_reservation later = reserve(10001, CAT16, NULL, "2099-01-01");
  struct leen_reservation now = reserve(10002, CAT16, NULL, NULL);
  cr_assert_eq(later.position, 1);
  cr_assert_eq(now.position, 2);
  fx_take_back("FB0001", "reserved");
  cr_assert_str_eq(get(later.id).status, "waiting");
  cr_assert_str_eq(get(now.id).status, "offered");
  fx_ledger_balanced();
}

Test(reservation, cancel_passes_the_item_on_then_frees_it)
{
  fx_lend("FB0001", 10004);
  struct leen_reservation a = reserve(10001, CAT16, NULL, NULL);
  struct leen_reservation b = reserve(10002, CAT16, NULL, NULL);
  fx_take_back("FB0001", "reserved");
  cr_assert_str_eq(get(a.id).status, "offered");

  struct leen_reservation r;
  struct leen_err err;
  cr_assert_eq(leen_reservation_cancel(fx.db, &fx.vol, a.id, &r, &err), 0, "%s", err.message);
  cr_assert_str_eq(r.status, "cancelled");
  cr_assert_eq(r.position, 0);
  r = get(b.id);
  cr_assert_str_eq(r.status, "offered");
  cr_assert_str_eq(r.offered_item, "FB0001");
  cr_assert_eq(r.position, 1);
  fx_text_eq("SELECT h.number::text FROM items i JOIN households h ON h.id = i.reserved_for"
             " WHERE i.code = 'FB0001'",
             "10002");

  cr_assert_eq(leen_reservation_cancel(fx.db, &fx.vol, b.id, NULL, &err), 0, "%s", err.message);
  fx_text_eq("SELECT status || coalesce(reserved_for::text, '') FROM items WHERE code = 'FB0001'",
             "available");
  cr_assert_eq(leen_reservation_cancel(fx.db, &fx.vol, b.id, NULL, &err), -1);
  cr_assert_eq(err.code, LEEN_E_CONFLICT);
  cr_assert_eq(leen_reservation_cancel(fx.db, &fx.btvol, a.id, NULL, &err), -1);
  cr_assert_eq(err.code, LEEN_E_FORBIDDEN);
  cr_assert_eq(leen_reservation_cancel(fx.db, &fx.vol, 987654, NULL, &err), -1);
  cr_assert_eq(err.code, LEEN_E_NOT_FOUND);
  cr_assert_eq(fx_int("SELECT count(*) FROM audit WHERE action = 'reservation.cancel'"), 2);
  fx_ledger_balanced();
}

Test(reservation, renew_refused_while_someone_waits)
{
  int64_t loan = fx_lend("FB0001", 10004);
  reserve(10002, CAT20, NULL, NULL); /* another category does not block */
  struct leen_loan l;
  struct leen_err err;
  cr_assert_eq(leen_loan_renew(fx.db, &fx.vol, loan, &l, &err), 0, "%s", err.message);
  cr_assert_eq(l.renewals, 1);
  leen_loan_release(&l);

  struct leen_reservation a = reserve(10001, CAT16, NULL, NULL);
  cr_assert_eq(leen_loan_renew(fx.db, &fx.vol, loan, &l, &err), -1);
  cr_assert_eq(err.code, LEEN_E_CONFLICT);
  cr_assert_neq(err.message[0], '\0');
  cr_assert_eq(fx_int("SELECT renewals FROM loans"), 1);

  cr_assert_eq(leen_reservation_cancel(fx.db, &fx.vol, a.id, NULL, &err), 0, "%s", err.message);
  /* a wait for this very item blocks too */
  struct leen_reservation b = reserve(10003, 0, "FB0001", NULL);
  cr_assert_str_eq(b.status, "waiting");
  cr_assert_eq(leen_loan_renew(fx.db, &fx.vol, loan, &l, &err), -1);
  cr_assert_eq(err.code, LEEN_E_CONFLICT);
  cr_assert_eq(leen_reservation_cancel(fx.db, &fx.vol, b.id, NULL, &err), 0, "%s", err.message);
  cr_assert_eq(leen_loan_renew(fx.db, &fx.vol, loan, &l, &err), 0, "%s", err.message);
  cr_assert_eq(l.renewals, 2);
  leen_loan_release(&l);
  fx_ledger_balanced();
}

Test(reservation, waits_for_one_item)
{
  /* an available item is set aside at once */
  struct leen_reservation a = reserve(10001, 0, "fb-0002", NULL);
  cr_assert_str_eq(a.status, "offered");
  cr_assert_str_eq(a.item, "FB0002");
  cr_assert_str_eq(a.offered_item, "FB0002");
  cr_assert_eq(a.category_id, 0);
  struct leen_loan l;
  struct leen_err err;
  cr_assert_eq(fx_checkout(&fx.vol, "FB0002", 10002, NULL, &l, &err), -1);
  cr_assert_eq(err.code, LEEN_E_RESERVED_FOR_OTHER);

  /* an item on loan: the earliest wait for it or its category gets it */
  fx_lend("FB0001", 10004);
  struct leen_reservation cat = reserve(10002, CAT16, NULL, NULL);
  struct leen_reservation one = reserve(10003, 0, "FB0001", NULL);
  cr_assert_str_eq(one.status, "waiting");
  cr_assert_eq(one.position, 1);
  fx_take_back("FB0001", "reserved");
  cr_assert_str_eq(get(cat.id).status, "offered");
  cr_assert_str_eq(get(one.id).status, "waiting");
  cr_assert_eq(leen_reservation_cancel(fx.db, &fx.vol, cat.id, NULL, &err), 0, "%s", err.message);
  cr_assert_str_eq(get(one.id).status, "offered");
  cr_assert_eq(fx_checkout(&fx.vol, "FB0001", 10003, NULL, &l, &err), 0, "%s", err.message);
  leen_loan_release(&l);
  cr_assert_str_eq(get(one.id).status, "fulfilled");
  fx_ledger_balanced();
}

Test(reservation, lending_any_item_of_the_category_serves_the_wait)
{
  fx_lend("FB0001", 10004);
  struct leen_reservation a = reserve(10001, CAT16, NULL, NULL);
  fx_lend("FB0002", 10001);
  cr_assert_str_eq(get(a.id).status, "fulfilled");
  fx_take_back("FB0001", "available");
  fx_ledger_balanced();
}

Test(reservation, refusals)
{
  struct leen_reservation r;
  struct leen_err err;
  reserve(10001, CAT16, NULL, NULL);
  struct {
    const struct leen_actor *who;
    struct leen_reservation_new in;
    enum leen_code code;
    const char *field;
  } cases[] = {
    {&fx.vol, {.household = 10001, .category_id = CAT16}, LEEN_E_CONFLICT, ""},
    {&fx.vol, {.household = 10001}, LEEN_E_INVALID_FIELD, "/category"},
    {&fx.vol, {.household = 10001, .category_id = CAT16, .item = "FB0001"}, LEEN_E_INVALID_FIELD,
     "/item"},
    {&fx.vol, {.household = 10001, .category_id = 999}, LEEN_E_NOT_FOUND, "/category"},
    {&fx.vol, {.household = 10001, .item = "FB0999"}, LEEN_E_NOT_FOUND, "/item"},
    {&fx.vol, {.household = 99999, .category_id = CAT20}, LEEN_E_NOT_FOUND, "/household"},
    {&fx.vol, {.household = 10002, .category_id = CAT20, .wanted_from = "2026-02-29"},
     LEEN_E_INVALID_DATE, "/wanted_from"},
    {&fx.btvol, {.household = 10002, .category_id = CAT20}, LEEN_E_FORBIDDEN, ""},
    {&fx.social, {.household = 10002, .category_id = CAT20}, LEEN_E_FORBIDDEN, ""},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    cr_assert_eq(leen_reservation_create(fx.db, cases[i].who, &cases[i].in, &r, &err), -1,
                 "case %zu", i);
    cr_assert_eq(err.code, cases[i].code, "case %zu: %s (%s)", i, leen_code_name(err.code),
                 err.message);
    cr_assert_str_eq(err.field, cases[i].field, "case %zu", i);
  }
  fx_exec("UPDATE items SET status = 'retired' WHERE code = 'FB0004'");
  struct leen_reservation_new retired = {.household = 10002, .item = "FB0004"};
  cr_assert_eq(leen_reservation_create(fx.db, &fx.vol, &retired, &r, &err), -1);
  cr_assert_eq(err.code, LEEN_E_ITEM_NOT_AVAILABLE);
  cr_assert_eq(fx_int("SELECT count(*) FROM reservations"), 1);
  fx_ledger_balanced();
}

Test(reservation, list)
{
  struct leen_reservation a = reserve(10001, CAT16, NULL, NULL);
  reserve(10002, CAT16, NULL, NULL);
  reserve(10003, CAT20, NULL, NULL);
  struct leen_reservation_new bt = {.household = 10001, .category_id = CATSTROLLER};
  struct leen_reservation r;
  struct leen_err err;
  cr_assert_eq(leen_reservation_create(fx.db, &fx.btvol, &bt, &r, &err), 0, "%s", err.message);
  cr_assert_eq(leen_reservation_cancel(fx.db, &fx.vol, a.id, NULL, &err), 0, "%s", err.message);

  struct leen_reservation_list list;
  struct leen_reservation_filter f = {0};
  cr_assert_eq(leen_reservation_list(fx.db, &fx.coord, &f, &list, &err), 0, "%s", err.message);
  cr_assert_eq(list.n, 4);
  leen_reservation_list_release(&list);
  cr_assert_eq(leen_reservation_list(fx.db, &fx.vol, &f, &list, &err), 0, "%s", err.message);
  cr_assert_eq(list.n, 3);
  leen_reservation_list_release(&list);

  f = (struct leen_reservation_filter){.open = 1, .category_id = CAT16};
  cr_assert_eq(leen_reservation_list(fx.db, &fx.vol, &f, &list, &err), 0, "%s", err.message);
  cr_assert_eq(list.n, 1);
  cr_assert_eq(list.items[0].household, 10002);
  cr_assert_eq(list.items[0].position, 1);
  leen_reservation_list_release(&list);

  f = (struct leen_reservation_filter){.household = 10001, .library = "babytheek"};
  cr_assert_eq(leen_reservation_list(fx.db, &fx.coord, &f, &list, &err), 0, "%s", err.message);
  cr_assert_eq(list.n, 1);
  cr_assert_eq(list.items[0].category_id, CATSTROLLER);
  leen_reservation_list_release(&list);

  f = (struct leen_reservation_filter){.limit = 2};
  cr_assert_eq(leen_reservation_list(fx.db, &fx.coord, &f, &list, &err), 0, "%s", err.message);
  cr_assert_eq(list.n, 2);
  cr_assert_eq(list.items[0].id, a.id);
  cr_assert_neq(list.next_cursor, 0);
  f.cursor = list.next_cursor;
  leen_reservation_list_release(&list);
  cr_assert_eq(leen_reservation_list(fx.db, &fx.coord, &f, &list, &err), 0, "%s", err.message);
  cr_assert_eq(list.n, 2);
  cr_assert_eq(list.next_cursor, 0);
  leen_reservation_list_release(&list);

  f = (struct leen_reservation_filter){.library = "babytheek"};
  cr_assert_eq(leen_reservation_list(fx.db, &fx.vol, &f, &list, &err), -1);
  cr_assert_eq(err.code, LEEN_E_FORBIDDEN);
  cr_assert_eq(leen_reservation_get(fx.db, &fx.btvol, a.id, &r, &err), -1);
  cr_assert_eq(err.code, LEEN_E_FORBIDDEN);
  fx_ledger_balanced();
}
