/* Circulation over HTTP: POST /v1/loans, /v1/returns, /v1/swaps,
 * /v1/loans/{id}/renew, GET /v1/loans and /v1/loans/{id}. Every answer is
 * checked with the rows it changed (loans, items, ledger, audit) or did
 * not change. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "at.h"

static struct at_env env;
static PGconn *db;

/* Two libraries as at.c makes them, given settings, a Saturday opening,
 * categories, items and households:
 *   10001 Peeters  fietsbieb, 2 slots, child "Lien"
 *   10002 Janssens fietsbieb, 1 slot
 *   10003 Claes    no membership
 *   10004 Maes     fietsbieb, 2 slots, social reduction (deposit at 50 %)
 *   10005 Wouters  babytheek, 1 slot
 * FB0001-FB0008 16 inch (2000), FB0020-FB0021 20 inch (3000), FB0030
 * expired, FB0031 needs a safety check it never had, FB0040 retired,
 * BT0001 a stroller of the babytheek. */
static const char seed[] =
    "UPDATE libraries SET fee_cents = 2000, social_fee_cents = 500, social_deposit_percent = 50,"
    "  max_slots = 4, default_loan_days = 365 WHERE slug = 'fietsbieb';"
    "UPDATE libraries SET fee_cents = 3000, social_fee_cents = 500, fee_per = 'household',"
    "  max_slots = 5 WHERE slug = 'babytheek';"
    "INSERT INTO schedule_rules (library_id, freq, weekday, starts_at, ends_at)"
    "  SELECT id, 'weekly', 6, '10:00', '12:00' FROM libraries;"
    "INSERT INTO categories (library_id, name, deposit_cents, loan_days, components, safety_check)"
    "  SELECT l.id, c.name, c.dep, c.days, c.comp::text[], c.safety FROM libraries l"
    "  JOIN (VALUES ('fietsbieb', 'Fiets 16 inch', 2000, 365, '{bel,slot}', false),"
    "               ('fietsbieb', 'Fiets 20 inch', 3000, 365, '{bel}', false),"
    "               ('fietsbieb', 'Fietsstoeltje', 1000, 90, '{}', true),"
    "               ('babytheek', 'Kinderwagen', 2500, 90, '{regenhoes}', false))"
    "    AS c(lib, name, dep, days, comp, safety) ON c.lib = l.slug;"
    "INSERT INTO items (library_id, category_id, number, code, name, expires_on, status)"
    "  SELECT c.library_id, c.id, i.n, i.code, i.code, i.exp, i.st FROM categories c"
    "  JOIN (VALUES ('Fiets 16 inch', 1, 'FB0001', NULL::date, 'available'),"
    "    ('Fiets 16 inch', 2, 'FB0002', NULL, 'available'),"
    "    ('Fiets 16 inch', 3, 'FB0003', NULL, 'available'),"
    "    ('Fiets 16 inch', 4, 'FB0004', NULL, 'available'),"
    "    ('Fiets 16 inch', 5, 'FB0005', NULL, 'available'),"
    "    ('Fiets 16 inch', 6, 'FB0006', NULL, 'available'),"
    "    ('Fiets 16 inch', 7, 'FB0007', NULL, 'available'),"
    "    ('Fiets 16 inch', 8, 'FB0008', NULL, 'available'),"
    "    ('Fiets 20 inch', 20, 'FB0020', NULL, 'available'),"
    "    ('Fiets 20 inch', 21, 'FB0021', NULL, 'available'),"
    "    ('Fiets 16 inch', 30, 'FB0030', current_date - 1, 'available'),"
    "    ('Fietsstoeltje', 31, 'FB0031', NULL, 'available'),"
    "    ('Fiets 16 inch', 40, 'FB0040', NULL, 'retired'),"
    "    ('Kinderwagen', 1, 'BT0001', NULL, 'available'))"
    "    AS i(cat, n, code, exp, st) ON i.cat = c.name;"
    "INSERT INTO households (org_id, number, name) VALUES (1, 10001, 'Gezin Peeters'),"
    "  (1, 10002, 'Gezin Janssens'), (1, 10003, 'Gezin Claes'), (1, 10004, 'Gezin Maes'),"
    "  (1, 10005, 'Gezin Wouters');"
    "INSERT INTO children (household_id, first_name, birth_month)"
    "  SELECT id, 'Lien', '2020-05-01' FROM households WHERE number = 10001;"
    "INSERT INTO memberships (household_id, library_id, valid_from, valid_until, slots, fee_cents,"
    "  reduction_cents)"
    "  SELECT h.id, l.id, current_date - 30, current_date + 300, m.slots, 2000, 0"
    "  FROM (VALUES (10001, 'fietsbieb', 2), (10002, 'fietsbieb', 1), (10004, 'fietsbieb', 2),"
    "               (10005, 'babytheek', 1)) AS m(num, lib, slots)"
    "  JOIN households h ON h.number = m.num JOIN libraries l ON l.slug = m.lib;"
    "INSERT INTO reductions (org_id, household_id, level, valid_from, valid_until, issued_by)"
    "  SELECT 1, h.id, 'social', current_date - 60, current_date + 200, u.id"
    "  FROM households h, users u WHERE h.number = 10004 AND u.username = 'sw';";

static void setup(void)
{
  at_setup(&env, NULL, 0);
  db = ts_connect(env.ci);
  PGresult *r = PQexec(db, seed); /* several statements: the simple protocol */
  cr_assert_eq(PQresultStatus(r), PGRES_COMMAND_OK, "seed: %s", PQresultErrorMessage(r));
  PQclear(r);
}

static void teardown(void)
{
  PQfinish(db);
  at_teardown(&env);
}

TestSuite(loans, .init = setup, .fini = teardown, .timeout = 90);

/* A token of `who`, logged in on first use (a login costs a password hash). */
static const char *tok(enum at_who who)
{
  if (who == AT_NONE)
    return NULL;
  if (!env.token[who])
    env.token[who] = at_login(&env, at_username(who), AT_PASSWORD);
  return env.token[who];
}

static void call(enum at_who who, const char *method, const char *path, const char *body,
                 const char *key, struct ts_http *h)
{
  char header[240];
  const char *hl[] = {header, NULL};
  snprintf(header, sizeof header, "Idempotency-Key: %s", key ? key : "");
  at_call(&env, method, path, tok(who), body, key ? hl : NULL, h);
}

static long long q(const char *sql) { return ts_sql_int(db, sql); }

static char *qs(const char *sql) { return ts_sql_value(db, sql); }

static void expect(const struct ts_http *h, long status, const char *code)
{
  cr_assert_eq(h->status, status, "want %ld %s, got %ld %s", status, code, h->status, h->body);
  if (code)
    cr_assert_str_eq(at_code(h), code, "%s", h->body);
}

static int is_null(const cJSON *o, const char *name)
{
  return cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(o, name));
}

/* Checks an item out as the volunteer and returns the loan id. */
static long long checkout(const char *item, int household)
{
  char body[160];
  snprintf(body, sizeof body, "{\"item\":\"%s\",\"household\":%d}", item, household);
  struct ts_http h;
  call(AT_VOLUNTEER, "POST", "/v1/loans", body, NULL, &h);
  expect(&h, 201, NULL);
  long long id = at_int(h.json, "id");
  ts_http_release(&h);
  return id;
}

static void ledger_balances(void)
{
  cr_assert_eq(q("SELECT count(*) FROM (SELECT journal_id FROM ledger GROUP BY journal_id"
                 " HAVING sum(amount_cents) <> 0) j"),
               0);
}

/* A loan of the babytheek's stroller to Wouters, made directly: the
 * fietsbieb's volunteer must find it out of reach. Returns its id. */
static long long babytheek_loan(void)
{
  PQclear(ts_sql(db,
                 "INSERT INTO loans (item_id, household_id, library_id, due_on)"
                 " SELECT i.id, h.id, i.library_id, current_date + 90 FROM items i, households h"
                 " WHERE i.code = 'BT0001' AND h.number = 10005",
                 0, NULL));
  PQclear(ts_sql(db, "UPDATE items SET status = 'on_loan' WHERE code = 'BT0001'", 0, NULL));
  return q("SELECT id FROM loans WHERE item_id = (SELECT id FROM items WHERE code = 'BT0001')");
}

static char *item_status(const char *code)
{
  char sql[120];
  snprintf(sql, sizeof sql, "SELECT status FROM items WHERE code = '%s'", code);
  return qs(sql);
}

#define ASSERT_STATUS(code, want)                                                             \
  do {                                                                                        \
    char *st_ = item_status(code);                                                            \
    cr_assert_str_eq(st_, want, "%s", code);                                                  \
    free(st_);                                                                                \
  } while (0)

/* ---- check-out ---- */

Test(loans, checkout_lends_the_item_and_takes_the_deposit)
{
  long long child = q("SELECT c.id FROM children c JOIN households h ON h.id = c.household_id"
                      " WHERE h.number = 10001");
  char body[200];
  snprintf(body, sizeof body, "{\"item\":\"fb-0001\",\"household\":10001,\"child\":%lld}", child);
  struct ts_http h;
  call(AT_VOLUNTEER, "POST", "/v1/loans", body, NULL, &h);
  expect(&h, 201, NULL);
  long long id = at_int(h.json, "id");
  cr_assert_str_eq(at_str(h.json, "item"), "FB0001");
  cr_assert_eq(at_int(h.json, "household"), 10001);
  cr_assert_eq(at_int(h.json, "child_id"), child);
  cr_assert_str_eq(at_str(h.json, "library"), "fietsbieb");
  cr_assert_eq(at_int(h.json, "deposit_cents"), 2000);
  cr_assert_str_eq(at_str(h.json, "deposit_method"), "cash");
  cr_assert(is_null(h.json, "returned_at"));
  cr_assert_eq(strlen(at_str(h.json, "started_at")), 25, "%s", at_str(h.json, "started_at"));
  /* due on the first opening (a Saturday) on or after start + 365 days */
  char sql[300];
  snprintf(sql, sizeof sql,
           "SELECT ('%s'::date - current_date) BETWEEN 365 AND 371"
           " AND extract(isodow FROM '%s'::date) = 6",
           at_str(h.json, "due_on"), at_str(h.json, "due_on"));
  char *ok = qs(sql);
  cr_assert_str_eq(ok, "t", "due_on %s", at_str(h.json, "due_on"));
  free(ok);
  char *where = ts_header(&h, "Location");
  snprintf(sql, sizeof sql, "/v1/loans/%lld", id);
  cr_assert_str_eq(where, sql);
  free(where);
  ts_http_release(&h);

  cr_assert_eq(q("SELECT count(*) FROM loans WHERE returned_at IS NULL"), 1);
  ASSERT_STATUS("FB0001", "on_loan");
  cr_assert_eq(q("SELECT amount_cents FROM ledger WHERE kind = 'deposit_taken' AND account = 'cash'"),
               2000);
  cr_assert_eq(q("SELECT amount_cents FROM ledger WHERE kind = 'deposit_taken'"
                 " AND account = 'deposits_held'"),
               -2000);
  cr_assert_eq(q("SELECT count(*) FROM audit WHERE action = 'loan.checkout'"
                 " AND user_id = (SELECT id FROM users WHERE username = 'vol')"),
               1);

  /* a social reduction pays half; payment (or deposit_method) names the method */
  call(AT_VOLUNTEER, "POST", "/v1/loans",
       "{\"item\":\"FB0002\",\"household\":10004,\"payment\":\"payconiq\"}", NULL, &h);
  expect(&h, 201, NULL);
  cr_assert_eq(at_int(h.json, "deposit_cents"), 1000);
  cr_assert_str_eq(at_str(h.json, "deposit_method"), "payconiq");
  ts_http_release(&h);
  cr_assert_eq(q("SELECT amount_cents FROM ledger WHERE account = 'payconiq'"), 1000);
  call(AT_VOLUNTEER, "POST", "/v1/loans",
       "{\"item\":\"FB0003\",\"household\":10001,\"deposit_method\":\"transfer\"}", NULL, &h);
  expect(&h, 201, NULL);
  cr_assert_str_eq(at_str(h.json, "deposit_method"), "transfer");
  ts_http_release(&h);
  cr_assert_eq(q("SELECT amount_cents FROM ledger WHERE account = 'transfer'"), 2000);
  cr_assert_eq(q("SELECT count(*) FROM loans WHERE returned_at IS NULL"), 3);
  ledger_balances();
}

/* Refusals change nothing: no loan, no money, no audit, the item as it was. */
Test(loans, checkout_refusals_change_nothing)
{
  static const struct {
    enum at_who who;
    const char *body;
    long status;
    const char *code, *pointer;
  } cases[] = {
    {AT_VOLUNTEER, "{\"item\":\"FB0099\",\"household\":10001}", 404, "not_found", "/item"},
    {AT_VOLUNTEER, "{\"item\":\"FB0001\",\"household\":99999}", 404, "not_found", "/household"},
    {AT_VOLUNTEER, "{\"item\":\"FB0001\",\"household\":10003}", 422, "membership_required",
     "/household"},
    {AT_VOLUNTEER, "{\"item\":\"FB0030\",\"household\":10001}", 422, "item_unsafe", "/item"},
    {AT_VOLUNTEER, "{\"item\":\"FB0031\",\"household\":10001}", 422, "item_unsafe", "/item"},
    {AT_VOLUNTEER, "{\"item\":\"FB0040\",\"household\":10001}", 409, "item_not_available",
     "/item"},
    {AT_VOLUNTEER, "{\"item\":\"BT0001\",\"household\":10005}", 403, "forbidden", "/item"},
    {AT_COORDINATOR, "{\"item\":\"BT0001\",\"household\":10005}", 403, "forbidden", "/item"},
    {AT_VOLUNTEER, "{\"item\":\"FB0001\",\"household\":10001,\"at\":\"2026-01-05\"}", 403,
     "forbidden", "/at"},
    {AT_COORDINATOR, "{\"item\":\"FB0001\",\"household\":10001,\"at\":\"2999-01-01\"}", 422,
     "invalid_date", "/at"},
    {AT_COORDINATOR, "{\"item\":\"FB0001\",\"household\":10001,\"at\":\"2026-02-30\"}", 422,
     "invalid_date", "/at"},
    {AT_VOLUNTEER, "{\"item\":\"FB0001\",\"household\":10001,\"child\":999999}", 422,
     "invalid_field", "/child"},
    {AT_VOLUNTEER, "{\"item\":\"FB0001\"}", 422, "invalid_field", "/household"},
    {AT_VOLUNTEER, "{\"household\":10001}", 422, "invalid_field", "/item"},
    {AT_VOLUNTEER, "{\"item\":\"FB0001\",\"household\":\"10001\"}", 422, "invalid_field",
     "/household"},
    {AT_VOLUNTEER, "{\"item\":\"FB0001\",\"household\":10001,\"colour\":\"red\"}", 400,
     "unknown_field", "/colour"},
    {AT_VOLUNTEER, "{\"item\":\"FB0001\",\"household\":10001,\"payment\":\"bitcoin\"}", 422,
     "invalid_field", "/payment"},
    {AT_VOLUNTEER,
     "{\"item\":\"FB0001\",\"household\":10001,\"payment\":\"cash\",\"deposit_method\":\"cash\"}",
     422, "invalid_field", "/payment"},
    {AT_VOLUNTEER, "{\"item\":\"FB0001\",\"household\":10001", 400, "invalid_json", NULL},
    {AT_SOCIAL_WORKER, "{\"item\":\"FB0001\",\"household\":10001}", 403, "forbidden", NULL},
    {AT_NONE, "{\"item\":\"FB0001\",\"household\":10001}", 401, "unauthenticated", NULL},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    struct ts_http h;
    call(cases[i].who, "POST", "/v1/loans", cases[i].body, NULL, &h);
    cr_assert_eq(h.status, cases[i].status, "case %zu %s: %ld %s", i, cases[i].body, h.status,
                 h.body);
    cr_assert_str_eq(at_code(&h), cases[i].code, "case %zu: %s", i, h.body);
    if (cases[i].pointer) {
      const cJSON *e = cJSON_GetArrayItem(cJSON_GetObjectItem(h.json, "errors"), 0);
      cr_assert_str_eq(at_str(e, "pointer"), cases[i].pointer, "case %zu: %s", i, h.body);
    }
    ts_http_release(&h);
  }
  cr_assert_eq(q("SELECT count(*) FROM loans"), 0);
  cr_assert_eq(q("SELECT count(*) FROM ledger"), 0);
  cr_assert_eq(q("SELECT count(*) FROM audit WHERE action LIKE 'loan.%'"), 0);
  cr_assert_eq(q("SELECT count(*) FROM items WHERE status = 'on_loan'"), 0);

  /* what the volunteer may not do, the coordinator may: back-date (ten
   * days ago, 10:30 Brussels time) */
  char *at = qs("SELECT to_char(((current_date - 10) + time '10:30') AT TIME ZONE"
                " 'Europe/Brussels', 'YYYY-MM-DD\"T\"HH24:MI:SSTZH:TZM')");
  char body[200], sql[200];
  snprintf(body, sizeof body, "{\"item\":\"FB0001\",\"household\":10001,\"at\":\"%s\"}", at);
  struct ts_http h;
  call(AT_COORDINATOR, "POST", "/v1/loans", body, NULL, &h);
  expect(&h, 201, NULL);
  cr_assert_str_eq(at_str(h.json, "started_at"), at);
  ts_http_release(&h);
  snprintf(sql, sizeof sql, "SELECT count(*) FROM loans WHERE started_at = '%s'", at);
  cr_assert_eq(q(sql), 1);
  cr_assert_eq(q("SELECT count(*) FROM audit WHERE details->>'back_dated' = 'true'"), 1);
  free(at);
}

Test(loans, checkout_conflicts_and_replays)
{
  /* an item on loan */
  checkout("FB0001", 10002);
  struct ts_http h;
  call(AT_VOLUNTEER, "POST", "/v1/loans", "{\"item\":\"FB0001\",\"household\":10001}", NULL, &h);
  expect(&h, 409, "item_not_available");
  ts_http_release(&h);
  /* Janssens has one slot, in use */
  call(AT_VOLUNTEER, "POST", "/v1/loans", "{\"item\":\"FB0002\",\"household\":10002}", NULL, &h);
  expect(&h, 422, "loan_limit_reached");
  ts_http_release(&h);
  cr_assert_eq(q("SELECT count(*) FROM loans"), 1);
  cr_assert_eq(q("SELECT count(*) FROM ledger"), 2);
  ASSERT_STATUS("FB0002", "available");

  /* an item set aside for Maes goes to Maes only */
  call(AT_VOLUNTEER, "POST", "/v1/reservations", "{\"household\":10004,\"item\":\"FB0003\"}",
       NULL, &h);
  expect(&h, 201, NULL);
  cr_assert_str_eq(at_str(h.json, "status"), "offered");
  ts_http_release(&h);
  call(AT_VOLUNTEER, "POST", "/v1/loans", "{\"item\":\"FB0003\",\"household\":10001}", NULL, &h);
  expect(&h, 409, "reserved_for_other");
  ts_http_release(&h);
  cr_assert_eq(q("SELECT count(*) FROM loans"), 1);
  ASSERT_STATUS("FB0003", "reserved");
  checkout("FB0003", 10004);
  char *st = qs("SELECT status FROM reservations");
  cr_assert_str_eq(st, "fulfilled");
  free(st);

  /* the same key and body lends once; the key with another body is refused */
  static const char body[] = "{\"item\":\"FB0004\",\"household\":10001}";
  struct ts_http a, b;
  call(AT_VOLUNTEER, "POST", "/v1/loans", body, "co-1", &a);
  expect(&a, 201, NULL);
  call(AT_VOLUNTEER, "POST", "/v1/loans", body, "co-1", &b);
  expect(&b, 201, NULL);
  cr_assert_str_eq(a.body, b.body);
  char *replayed = ts_header(&b, "Idempotent-Replayed");
  cr_assert_str_eq(replayed, "true");
  free(replayed);
  call(AT_VOLUNTEER, "POST", "/v1/loans", "{\"item\":\"FB0005\",\"household\":10001}", "co-1",
       &h);
  expect(&h, 422, "idempotency_mismatch");
  ts_http_release(&a);
  ts_http_release(&b);
  ts_http_release(&h);
  cr_assert_eq(q("SELECT count(*) FROM loans WHERE item_id ="
                 " (SELECT id FROM items WHERE code = 'FB0004')"),
               1);
  ASSERT_STATUS("FB0005", "available");
  cr_assert_eq(q("SELECT count(*) FROM loans"), 3);
  ledger_balances();
}

/* ---- return ---- */

Test(loans, return_refunds_what_is_not_withheld)
{
  long long id = checkout("FB0001", 10001);
  checkout("FB0002", 10001);
  struct ts_http h;
  call(AT_VOLUNTEER, "POST", "/v1/returns", "{\"item\":\"https://leen.example/i/FB0001\"}", NULL,
       &h);
  expect(&h, 200, NULL);
  const cJSON *loan = cJSON_GetObjectItem(h.json, "loan");
  cr_assert_eq(at_int(loan, "id"), id);
  cr_assert(!is_null(loan, "returned_at"));
  cr_assert_str_eq(at_str(loan, "return_condition"), "ok");
  cr_assert_eq(at_int(h.json, "refund_cents"), 2000);
  cr_assert_eq(at_int(h.json, "withheld_cents"), 0);
  cr_assert_str_eq(at_str(h.json, "item_status"), "available");
  ts_http_release(&h);
  char sql[200];
  snprintf(sql, sizeof sql,
           "SELECT count(*) FROM loans WHERE id = %lld AND returned_at IS NOT NULL"
           " AND refund_cents = 2000"
           " AND checked_in_by = (SELECT id FROM users WHERE username = 'vol')", id);
  cr_assert_eq(q(sql), 1);
  ASSERT_STATUS("FB0001", "available");
  cr_assert_eq(q("SELECT amount_cents FROM ledger WHERE kind = 'deposit_refunded'"
                 " AND account = 'deposits_held'"),
               2000);
  cr_assert_eq(q("SELECT amount_cents FROM ledger WHERE kind = 'deposit_refunded'"
                 " AND account = 'cash'"),
               -2000);
  cr_assert_eq(q("SELECT count(*) FROM audit WHERE action = 'loan.return'"), 1);
  /* a second return of it finds no loan */
  call(AT_VOLUNTEER, "POST", "/v1/returns", "{\"item\":\"FB0001\"}", NULL, &h);
  expect(&h, 409, "already_returned");
  ts_http_release(&h);
  cr_assert_eq(q("SELECT count(*) FROM ledger WHERE kind = 'deposit_refunded'"), 2);

  /* part withheld, with a reason and a missing component */
  call(AT_VOLUNTEER, "POST", "/v1/returns",
       "{\"item\":\"FB0002\",\"condition\":\"needs_repair\",\"withheld_cents\":500,"
       "\"withheld_reason\":\"bel kapot\",\"missing_components\":[\"bel\"]}",
       NULL, &h);
  expect(&h, 200, NULL);
  loan = cJSON_GetObjectItem(h.json, "loan");
  cr_assert_eq(at_int(h.json, "refund_cents"), 1500);
  cr_assert_eq(at_int(h.json, "withheld_cents"), 500);
  cr_assert_str_eq(at_str(h.json, "item_status"), "in_repair");
  cr_assert_str_eq(at_str(loan, "withheld_reason"), "bel kapot");
  cr_assert_str_eq(
      cJSON_GetArrayItem(cJSON_GetObjectItem(loan, "missing_components"), 0)->valuestring, "bel");
  ts_http_release(&h);
  cr_assert_eq(q("SELECT amount_cents FROM ledger WHERE account = 'withheld_income'"), -500);
  cr_assert_eq(q("SELECT count(*) FROM ledger WHERE kind = 'deposit_withheld'"
                 " AND reason = 'bel kapot'"),
               2);
  cr_assert_eq(q("SELECT sum(amount_cents) FROM ledger WHERE kind = 'deposit_refunded'"
                 " AND account = 'cash'"),
               -3500);
  ASSERT_STATUS("FB0002", "in_repair");
  ledger_balances();

  /* with a household in line for the category, a bike back in order is
   * set aside for it */
  checkout("FB0003", 10001);
  char body[120];
  snprintf(body, sizeof body, "{\"household\":10002,\"category_id\":%lld}",
           q("SELECT id FROM categories WHERE name = 'Fiets 16 inch'"));
  call(AT_VOLUNTEER, "POST", "/v1/reservations", body, NULL, &h);
  expect(&h, 201, NULL);
  ts_http_release(&h);
  call(AT_VOLUNTEER, "POST", "/v1/returns", "{\"item\":\"FB0003\"}", NULL, &h);
  expect(&h, 200, NULL);
  cr_assert_str_eq(at_str(h.json, "item_status"), "reserved");
  ts_http_release(&h);
  char *st = qs("SELECT status || ' ' || (SELECT code FROM items WHERE id = offered_item)"
                " FROM reservations");
  cr_assert_str_eq(st, "offered FB0003");
  free(st);
  ASSERT_STATUS("FB0003", "reserved");
}

Test(loans, return_refusals_change_nothing)
{
  checkout("FB0001", 10001);
  babytheek_loan();
  long long lines = q("SELECT count(*) FROM ledger");
  static const struct {
    enum at_who who;
    const char *body;
    long status;
    const char *code, *pointer;
  } cases[] = {
    {AT_VOLUNTEER, "{\"item\":\"FB0001\",\"withheld_cents\":2500,\"withheld_reason\":\"weg\"}",
     422, "invalid_amount", "/withheld_cents"},
    {AT_VOLUNTEER, "{\"item\":\"FB0001\",\"withheld_cents\":-500,\"withheld_reason\":\"x\"}",
     422, "invalid_amount", "/withheld_cents"},
    {AT_VOLUNTEER, "{\"item\":\"FB0001\",\"withheld_cents\":12.5,\"withheld_reason\":\"x\"}",
     422, "invalid_amount", "/withheld_cents"},
    {AT_VOLUNTEER, "{\"item\":\"FB0001\",\"withheld_cents\":\"500\",\"withheld_reason\":\"x\"}",
     422, "invalid_amount", "/withheld_cents"},
    {AT_VOLUNTEER, "{\"item\":\"FB0001\",\"withheld_cents\":500}", 422, "invalid_field",
     "/withheld_reason"},
    {AT_VOLUNTEER, "{\"item\":\"FB0001\",\"missing_components\":[\"pomp\"]}", 422,
     "invalid_field", "/missing_components"},
    {AT_VOLUNTEER, "{\"item\":\"FB0001\",\"condition\":\"broken\"}", 422, "invalid_field",
     "/condition"},
    {AT_VOLUNTEER, "{\"item\":\"FB0001\",\"at\":\"2026-01-05\"}", 403, "forbidden", "/at"},
    {AT_COORDINATOR, "{\"item\":\"FB0001\",\"at\":\"2000-01-01\"}", 422, "invalid_date", "/at"},
    {AT_VOLUNTEER, "{\"item\":\"FB0002\"}", 409, "already_returned", "/item"},
    {AT_VOLUNTEER, "{\"item\":\"FB0099\"}", 404, "not_found", "/item"},
    {AT_VOLUNTEER, "{\"item\":\"BT0001\"}", 403, "forbidden", "/item"},
    {AT_VOLUNTEER, "{\"item\":\"FB0001\",\"extra\":1}", 400, "unknown_field", "/extra"},
    {AT_SOCIAL_WORKER, "{\"item\":\"FB0001\"}", 403, "forbidden", NULL},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    struct ts_http h;
    call(cases[i].who, "POST", "/v1/returns", cases[i].body, NULL, &h);
    cr_assert_eq(h.status, cases[i].status, "case %zu %s: %ld %s", i, cases[i].body, h.status,
                 h.body);
    cr_assert_str_eq(at_code(&h), cases[i].code, "case %zu: %s", i, h.body);
    if (cases[i].pointer) {
      const cJSON *e = cJSON_GetArrayItem(cJSON_GetObjectItem(h.json, "errors"), 0);
      cr_assert_str_eq(at_str(e, "pointer"), cases[i].pointer, "case %zu: %s", i, h.body);
    }
    ts_http_release(&h);
  }
  cr_assert_eq(q("SELECT count(*) FROM loans WHERE returned_at IS NULL"), 2);
  cr_assert_eq(q("SELECT count(*) FROM ledger"), lines);
  cr_assert_eq(q("SELECT count(*) FROM audit WHERE action = 'loan.return'"), 0);
  ASSERT_STATUS("FB0001", "on_loan");
}

/* ---- swap ---- */

Test(loans, swaps_settle_only_the_difference)
{
  checkout("FB0001", 10001);
  checkout("FB0002", 10002);
  long long lines = q("SELECT count(*) FROM ledger");
  static const struct {
    const char *body;
    long status;
    const char *code, *pointer;
  } cases[] = {
    {"{\"return_item\":\"FB0001\",\"item\":\"FB0002\"}", 409, "item_not_available", "/item"},
    {"{\"return_item\":\"FB0001\",\"item\":\"FB0001\"}", 422, "invalid_field", "/item"},
    {"{\"return_item\":\"FB0003\",\"item\":\"FB0004\"}", 409, "already_returned",
     "/return_item"},
    {"{\"return_item\":\"FB0001\",\"item\":\"FB0030\"}", 422, "item_unsafe", "/item"},
    {"{\"return_item\":\"FB0001\",\"item\":\"BT0001\"}", 422, "invalid_field", "/item"},
    {"{\"return_item\":\"FB0001\",\"item\":\"FB0099\"}", 404, "not_found", "/item"},
    {"{\"return_item\":\"FB0001\",\"item\":\"FB0003\",\"condition\":\"bad\"}", 422,
     "invalid_field", "/condition"},
    {"{\"return_item\":\"FB0001\"}", 422, "invalid_field", "/item"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    struct ts_http h;
    call(AT_VOLUNTEER, "POST", "/v1/swaps", cases[i].body, NULL, &h);
    cr_assert_eq(h.status, cases[i].status, "case %zu %s: %ld %s", i, cases[i].body, h.status,
                 h.body);
    cr_assert_str_eq(at_code(&h), cases[i].code, "case %zu: %s", i, h.body);
    const cJSON *e = cJSON_GetArrayItem(cJSON_GetObjectItem(h.json, "errors"), 0);
    cr_assert_str_eq(at_str(e, "pointer"), cases[i].pointer, "case %zu: %s", i, h.body);
    ts_http_release(&h);
  }
  cr_assert_eq(q("SELECT count(*) FROM loans WHERE returned_at IS NULL"), 2);
  cr_assert_eq(q("SELECT count(*) FROM loans"), 2);
  cr_assert_eq(q("SELECT count(*) FROM ledger"), lines);
  ASSERT_STATUS("FB0001", "on_loan");

  /* the old loan closes with its whole deposit carried over */
  long long old = q("SELECT id FROM loans WHERE item_id = (SELECT id FROM items"
                    " WHERE code = 'FB0001')");
  struct ts_http h;
  call(AT_VOLUNTEER, "POST", "/v1/swaps", "{\"return_item\":\"FB0001\",\"item\":\"fb-0020\"}",
       "sw-1", &h);
  expect(&h, 201, NULL);
  const cJSON *back = cJSON_GetObjectItem(h.json, "returned");
  const cJSON *loan = cJSON_GetObjectItem(h.json, "loan");
  cr_assert_eq(at_int(back, "id"), old);
  cr_assert(!is_null(back, "returned_at"));
  cr_assert_eq(at_int(back, "refund_cents"), 2000);
  cr_assert_str_eq(at_str(loan, "item"), "FB0020");
  cr_assert_eq(at_int(loan, "swapped_from"), old);
  cr_assert_eq(at_int(loan, "deposit_cents"), 3000);
  cr_assert_eq(at_int(h.json, "deposit_delta_cents"), 1000);
  ts_http_release(&h);
  cr_assert_eq(q("SELECT count(*) FROM loans WHERE returned_at IS NULL"), 2);
  cr_assert_eq(q("SELECT amount_cents FROM ledger WHERE kind = 'deposit_taken'"
                 " AND account = 'cash' ORDER BY id DESC LIMIT 1"),
               1000);
  cr_assert_eq(q("SELECT count(*) FROM ledger WHERE kind = 'deposit_refunded'"), 0);
  cr_assert_eq(q("SELECT count(*) FROM audit WHERE action = 'loan.swap'"), 1);
  ASSERT_STATUS("FB0001", "available");
  ASSERT_STATUS("FB0020", "on_loan");

  /* back to a cheaper one: the difference is refunded */
  call(AT_VOLUNTEER, "POST", "/v1/swaps",
       "{\"return_item\":\"FB0020\",\"item\":\"FB0003\",\"condition\":\"needs_cleaning\"}", NULL,
       &h);
  expect(&h, 201, NULL);
  cr_assert_eq(at_int(h.json, "deposit_delta_cents"), -1000);
  ts_http_release(&h);
  cr_assert_eq(q("SELECT amount_cents FROM ledger WHERE kind = 'deposit_refunded'"
                 " AND account = 'cash'"),
               -1000);
  ASSERT_STATUS("FB0020", "cleaning");
  ASSERT_STATUS("FB0003", "on_loan");
  cr_assert_eq(q("SELECT count(*) FROM loans WHERE returned_at IS NULL"), 2);
  cr_assert_eq(q("SELECT coalesce(sum(amount_cents), 0) FROM ledger"
                 " WHERE account = 'deposits_held'"),
               -4000);
  ledger_balances();
}

/* ---- renew, get and list ---- */

Test(loans, renew_moves_the_due_date_unless_someone_waits)
{
  long long id = checkout("FB0001", 10001);
  PQclear(ts_sql(db, "UPDATE loans SET due_on = current_date - 3", 0, NULL));
  char path[64];
  snprintf(path, sizeof path, "/v1/loans/%lld/renew", id);
  struct ts_http h;
  call(AT_VOLUNTEER, "POST", path, NULL, "rn-1", &h);
  expect(&h, 200, NULL);
  cr_assert_eq(at_int(h.json, "renewals"), 1);
  cr_assert(cJSON_IsFalse(cJSON_GetObjectItem(h.json, "overdue")));
  ts_http_release(&h);
  cr_assert_eq(q("SELECT count(*) FROM loans WHERE due_on > current_date + 360 AND renewals = 1"),
               1);
  cr_assert_eq(q("SELECT count(*) FROM audit WHERE action = 'loan.renew'"), 1);

  /* refusals */
  call(AT_VOLUNTEER, "POST", "/v1/loans/987654/renew", NULL, NULL, &h);
  expect(&h, 404, "not_found");
  ts_http_release(&h);
  call(AT_VOLUNTEER, "POST", "/v1/loans/abc/renew", NULL, NULL, &h);
  expect(&h, 404, "not_found");
  ts_http_release(&h);
  snprintf(path, sizeof path, "/v1/loans/%lld/renew", babytheek_loan());
  call(AT_VOLUNTEER, "POST", path, NULL, NULL, &h);
  expect(&h, 403, "forbidden");
  ts_http_release(&h);
  char body[120];
  snprintf(body, sizeof body, "{\"household\":10002,\"category_id\":%lld}",
           q("SELECT id FROM categories WHERE name = 'Fiets 16 inch'"));
  call(AT_VOLUNTEER, "POST", "/v1/reservations", body, NULL, &h);
  expect(&h, 201, NULL);
  ts_http_release(&h);
  snprintf(path, sizeof path, "/v1/loans/%lld/renew", id);
  call(AT_VOLUNTEER, "POST", path, NULL, NULL, &h);
  expect(&h, 409, "conflict");
  ts_http_release(&h);
  call(AT_VOLUNTEER, "POST", "/v1/returns", "{\"item\":\"FB0001\"}", NULL, &h);
  expect(&h, 200, NULL);
  ts_http_release(&h);
  call(AT_VOLUNTEER, "POST", path, NULL, NULL, &h);
  expect(&h, 409, "already_returned");
  ts_http_release(&h);
  cr_assert_eq(q("SELECT sum(renewals) FROM loans"), 1);
  cr_assert_eq(q("SELECT count(*) FROM audit WHERE action = 'loan.renew'"), 1);
}

static int list_count(enum at_who who, const char *path, long long first_id, char *next,
                      size_t next_size)
{
  struct ts_http h;
  call(who, "GET", path, NULL, NULL, &h);
  expect(&h, 200, NULL);
  const cJSON *items = cJSON_GetObjectItem(h.json, "items");
  int n = cJSON_GetArraySize(items);
  if (first_id)
    cr_assert_eq(at_int(cJSON_GetArrayItem(items, 0), "id"), first_id, "%s", path);
  const cJSON *c = cJSON_GetObjectItem(h.json, "next_cursor");
  snprintf(next, next_size, "%s", cJSON_IsString(c) ? c->valuestring : "");
  ts_http_release(&h);
  return n;
}

Test(loans, get_and_list)
{
  long long a = checkout("FB0001", 10001);
  long long b = checkout("FB0002", 10001);
  long long c = checkout("FB0003", 10004);
  long long bt = babytheek_loan();
  struct ts_http h;
  char path[256], next[128];
  /* one loan, with an ETag that moves when it changes */
  snprintf(path, sizeof path, "/v1/loans/%lld", b);
  call(AT_VOLUNTEER, "GET", path, NULL, NULL, &h);
  expect(&h, 200, NULL);
  cr_assert_eq(at_int(h.json, "id"), b);
  cr_assert_str_eq(at_str(h.json, "item"), "FB0002");
  char *etag = ts_header(&h, "ETag");
  cr_assert_str_eq(etag, "\"v1\"");
  free(etag);
  ts_http_release(&h);
  call(AT_VOLUNTEER, "POST", "/v1/returns", "{\"item\":\"FB0002\"}", NULL, &h);
  ts_http_release(&h);
  call(AT_VOLUNTEER, "GET", path, NULL, NULL, &h);
  expect(&h, 200, NULL);
  etag = ts_header(&h, "ETag");
  cr_assert_str_eq(etag, "\"v2\"");
  free(etag);
  ts_http_release(&h);
  snprintf(path, sizeof path, "/v1/loans/%lld", bt);
  call(AT_VOLUNTEER, "GET", path, NULL, NULL, &h);
  expect(&h, 403, "forbidden");
  ts_http_release(&h);
  call(AT_VOLUNTEER, "GET", "/v1/loans/424242", NULL, NULL, &h);
  expect(&h, 404, "not_found");
  ts_http_release(&h);
  call(AT_VOLUNTEER, "GET", "/v1/loans/12x", NULL, NULL, &h);
  expect(&h, 404, "not_found");
  ts_http_release(&h);

  PQclear(ts_sql(db, "UPDATE loans SET due_on = current_date - 1 WHERE item_id ="
                     " (SELECT id FROM items WHERE code = 'FB0003')", 0, NULL));
  /* the volunteer sees the fietsbieb only, newest first */
  cr_assert_eq(list_count(AT_VOLUNTEER, "/v1/loans", c, next, sizeof next), 3);
  cr_assert_str_eq(next, "");
  cr_assert_eq(list_count(AT_ADMIN, "/v1/loans", bt, next, sizeof next), 4);
  cr_assert_eq(list_count(AT_ADMIN, "/v1/loans?library=babytheek", bt, next, sizeof next), 1);
  cr_assert_eq(list_count(AT_VOLUNTEER, "/v1/loans?household=10001", b, next, sizeof next), 2);
  cr_assert_eq(list_count(AT_VOLUNTEER, "/v1/loans?household=10001&open=true", a, next,
                          sizeof next), 1);
  cr_assert_eq(list_count(AT_VOLUNTEER, "/v1/loans?open=false", b, next, sizeof next), 1);
  cr_assert_eq(list_count(AT_VOLUNTEER, "/v1/loans?overdue=true", c, next, sizeof next), 1);
  cr_assert_eq(list_count(AT_VOLUNTEER, "/v1/loans?library=fietsbieb&open=true", c, next,
                          sizeof next), 2);
  /* pages of one */
  cr_assert_eq(list_count(AT_VOLUNTEER, "/v1/loans?limit=1", c, next, sizeof next), 1);
  cr_assert_neq(next[0], '\0');
  snprintf(path, sizeof path, "/v1/loans?limit=1&cursor=%s", next);
  cr_assert_eq(list_count(AT_VOLUNTEER, path, b, next, sizeof next), 1);
  snprintf(path, sizeof path, "/v1/loans?limit=1&cursor=%s", next);
  cr_assert_eq(list_count(AT_VOLUNTEER, path, a, next, sizeof next), 1);
  cr_assert_str_eq(next, "");

  static const struct {
    const char *path;
    long status;
    const char *code;
  } bad[] = {
    {"/v1/loans?open=maybe", 422, "invalid_field"},
    {"/v1/loans?household=abc", 422, "invalid_field"},
    {"/v1/loans?limit=0", 422, "invalid_field"},
    {"/v1/loans?cursor=not-a-cursor", 422, "invalid_field"},
    {"/v1/loans?library=nowhere", 404, "not_found"},
    {"/v1/loans?library=babytheek", 403, "forbidden"},
    {"/v1/loans?household=99999", 404, "not_found"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    call(AT_VOLUNTEER, "GET", bad[i].path, NULL, NULL, &h);
    cr_assert_eq(h.status, bad[i].status, "%s: %ld %s", bad[i].path, h.status, h.body);
    cr_assert_str_eq(at_code(&h), bad[i].code, "%s: %s", bad[i].path, h.body);
    ts_http_release(&h);
  }
}
