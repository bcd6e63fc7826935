/* Reservations over HTTP: GET and POST /v1/reservations, DELETE
 * /v1/reservations/{id}: queues per category and per item, places in
 * line, items set aside and passed on, and the rows behind each answer. */
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

TestSuite(reservations, .init = setup, .fini = teardown, .timeout = 90);

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

static long long category(const char *name)
{
  char sql[160];
  snprintf(sql, sizeof sql, "SELECT id FROM categories WHERE name = '%s'", name);
  return q(sql);
}

/* Wouters waits for a stroller of the babytheek, made directly: out of
 * the fietsbieb volunteer's reach. Returns its id. */
static long long babytheek_reservation(void)
{
  return q("INSERT INTO reservations (library_id, household_id, category_id, wanted_from)"
           " SELECT c.library_id, h.id, c.id, current_date FROM categories c, households h"
           " WHERE c.name = 'Kinderwagen' AND h.number = 10005 RETURNING id");
}

/* Puts a household in line as the volunteer; returns the reservation. */
static cJSON *reserve(const char *body)
{
  struct ts_http h;
  call(AT_VOLUNTEER, "POST", "/v1/reservations", body, NULL, &h);
  expect(&h, 201, NULL);
  cJSON *o = h.json;
  h.json = NULL;
  ts_http_release(&h);
  return o;
}

static cJSON *reserve_category(int household, const char *name)
{
  char body[160];
  snprintf(body, sizeof body, "{\"household\":%d,\"category_id\":%lld}", household,
           category(name));
  return reserve(body);
}

static cJSON *list(enum at_who who, const char *path)
{
  struct ts_http h;
  call(who, "GET", path, NULL, NULL, &h);
  expect(&h, 200, NULL);
  cJSON *o = h.json;
  h.json = NULL;
  ts_http_release(&h);
  return o;
}

Test(reservations, households_queue_for_a_category_in_order)
{
  cJSON *a = reserve_category(10001, "Fiets 16 inch");
  cJSON *b = reserve_category(10002, "Fiets 16 inch");
  cr_assert_eq(at_int(a, "position"), 1);
  cr_assert_eq(at_int(b, "position"), 2);
  cr_assert_str_eq(at_str(a, "status"), "waiting");
  cr_assert_eq(at_int(a, "household"), 10001);
  cr_assert_str_eq(at_str(a, "library"), "fietsbieb");
  cr_assert_eq(at_int(a, "category_id"), category("Fiets 16 inch"));
  cr_assert(is_null(a, "item"));
  cr_assert(is_null(a, "offered_item"));
  char *today = qs("SELECT to_char(current_date, 'YYYY-MM-DD')");
  cr_assert_str_eq(at_str(a, "wanted_from"), today);
  free(today);
  cr_assert_eq(q("SELECT count(*) FROM reservations WHERE status = 'waiting'"), 2);
  cr_assert_eq(q("SELECT count(*) FROM audit WHERE action = 'reservation.create'"), 2);

  char path[96];
  snprintf(path, sizeof path, "/v1/reservations?category=%lld", category("Fiets 16 inch"));
  cJSON *l = list(AT_VOLUNTEER, path);
  const cJSON *items = cJSON_GetObjectItem(l, "items");
  cr_assert_eq(cJSON_GetArraySize(items), 2);
  cr_assert_eq(at_int(cJSON_GetArrayItem(items, 0), "id"), at_int(a, "id"));
  cr_assert_eq(at_int(cJSON_GetArrayItem(items, 1), "position"), 2);
  cr_assert(is_null(l, "next_cursor"));
  cJSON_Delete(l);
  snprintf(path, sizeof path, "/v1/reservations?category_id=%lld", category("Fiets 20 inch"));
  l = list(AT_VOLUNTEER, path);
  cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(l, "items")), 0);
  cJSON_Delete(l);

  /* one household waits once per queue */
  char body[120];
  snprintf(body, sizeof body, "{\"household\":10001,\"category\":%lld}", category("Fiets 16 inch"));
  struct ts_http h;
  call(AT_VOLUNTEER, "POST", "/v1/reservations", body, NULL, &h);
  expect(&h, 409, "conflict");
  ts_http_release(&h);
  cr_assert_eq(q("SELECT count(*) FROM reservations"), 2);
  cJSON_Delete(a);
  cJSON_Delete(b);
}

Test(reservations, a_wait_for_an_available_item_sets_it_aside)
{
  cJSON *a = reserve("{\"household\":10001,\"item\":\"fb-0001\"}");
  cr_assert_str_eq(at_str(a, "status"), "offered");
  cr_assert_str_eq(at_str(a, "item"), "FB0001");
  cr_assert_str_eq(at_str(a, "offered_item"), "FB0001");
  cr_assert(is_null(a, "category_id"));
  cr_assert_eq(at_int(a, "position"), 1);
  char *st = qs("SELECT i.status || ' ' || h.number FROM items i"
                " JOIN households h ON h.id = i.reserved_for WHERE i.code = 'FB0001'");
  cr_assert_str_eq(st, "reserved 10001");
  free(st);
  /* later in the future: waits without setting anything aside */
  cJSON *b = reserve("{\"household\":10002,\"item\":\"FB0002\",\"wanted_from\":\"2099-01-01\"}");
  cr_assert_str_eq(at_str(b, "status"), "waiting");
  cr_assert_str_eq(at_str(b, "wanted_from"), "2099-01-01");
  st = qs("SELECT status FROM items WHERE code = 'FB0002'");
  cr_assert_str_eq(st, "available");
  free(st);
  cJSON_Delete(a);
  cJSON_Delete(b);
}

Test(reservations, create_refusals_change_nothing)
{
  char both[160], cat404[120], alias404[120], bt[120], dup[120];
  long long c16 = category("Fiets 16 inch");
  snprintf(both, sizeof both, "{\"household\":10001,\"category_id\":%lld,\"item\":\"FB0001\"}",
           c16);
  snprintf(cat404, sizeof cat404, "{\"household\":10001,\"category_id\":987654}");
  snprintf(alias404, sizeof alias404, "{\"household\":10001,\"category\":987654}");
  snprintf(bt, sizeof bt, "{\"household\":10005,\"category_id\":%lld}", category("Kinderwagen"));
  snprintf(dup, sizeof dup, "{\"household\":10001,\"category_id\":%lld,\"category\":%lld}", c16,
           c16);
  const struct {
    enum at_who who;
    const char *body;
    long status;
    const char *code, *pointer;
  } cases[] = {
    {AT_VOLUNTEER, both, 422, "invalid_field", "/item"},
    {AT_VOLUNTEER, "{\"household\":10001}", 422, "invalid_field", "/category_id"},
    {AT_VOLUNTEER, dup, 422, "invalid_field", "/category"},
    {AT_VOLUNTEER, cat404, 404, "not_found", "/category_id"},
    {AT_VOLUNTEER, alias404, 404, "not_found", "/category"},
    {AT_VOLUNTEER, "{\"household\":99999,\"item\":\"FB0001\"}", 404, "not_found", "/household"},
    {AT_VOLUNTEER, "{\"household\":10001,\"item\":\"FB0099\"}", 404, "not_found", "/item"},
    {AT_VOLUNTEER, "{\"household\":10001,\"item\":\"FB0040\"}", 409, "item_not_available",
     "/item"},
    {AT_VOLUNTEER, bt, 403, "forbidden", NULL},
    {AT_VOLUNTEER, "{\"household\":10001,\"item\":\"FB0001\",\"wanted_from\":\"2026-02-30\"}",
     422, "invalid_date", "/wanted_from"},
    {AT_VOLUNTEER, "{\"household\":10001,\"category_id\":\"3\"}", 422, "invalid_field",
     "/category_id"},
    {AT_VOLUNTEER, "{\"household\":10001,\"item\":\"FB0001\",\"note\":\"x\"}", 400,
     "unknown_field", "/note"},
    {AT_SOCIAL_WORKER, "{\"household\":10001,\"item\":\"FB0001\"}", 403, "forbidden", NULL},
    {AT_NONE, "{\"household\":10001,\"item\":\"FB0001\"}", 401, "unauthenticated", NULL},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    struct ts_http h;
    call(cases[i].who, "POST", "/v1/reservations", cases[i].body, NULL, &h);
    cr_assert_eq(h.status, cases[i].status, "case %zu %s: %ld %s", i, cases[i].body, h.status,
                 h.body);
    cr_assert_str_eq(at_code(&h), cases[i].code, "case %zu: %s", i, h.body);
    if (cases[i].pointer) {
      const cJSON *e = cJSON_GetArrayItem(cJSON_GetObjectItem(h.json, "errors"), 0);
      cr_assert_str_eq(at_str(e, "pointer"), cases[i].pointer, "case %zu: %s", i, h.body);
    }
    ts_http_release(&h);
  }
  cr_assert_eq(q("SELECT count(*) FROM reservations"), 0);
  cr_assert_eq(q("SELECT count(*) FROM items WHERE status <> 'available' AND code <> 'FB0040'"),
               0);
  cr_assert_eq(q("SELECT count(*) FROM audit WHERE action LIKE 'reservation.%'"), 0);
}

Test(reservations, cancel_passes_the_item_on)
{
  cJSON *a = reserve("{\"household\":10001,\"item\":\"FB0001\"}");
  cJSON *b = reserve("{\"household\":10002,\"item\":\"FB0001\"}");
  cr_assert_str_eq(at_str(b, "status"), "waiting");
  cr_assert_eq(at_int(b, "position"), 2);
  char path[64];
  snprintf(path, sizeof path, "/v1/reservations/%lld", at_int(a, "id"));
  struct ts_http h;
  call(AT_VOLUNTEER, "DELETE", path, NULL, NULL, &h);
  expect(&h, 204, NULL);
  cr_assert_eq(h.len, 0);
  ts_http_release(&h);
  char sql[160];
  snprintf(sql, sizeof sql, "SELECT status FROM reservations WHERE id = %lld"
           " AND closed_at IS NOT NULL", at_int(a, "id"));
  char *st = qs(sql);
  cr_assert_str_eq(st, "cancelled");
  free(st);
  st = qs("SELECT i.status || ' ' || h.number FROM items i"
          " JOIN households h ON h.id = i.reserved_for WHERE i.code = 'FB0001'");
  cr_assert_str_eq(st, "reserved 10002");
  free(st);
  cr_assert_eq(q("SELECT count(*) FROM audit WHERE action = 'reservation.cancel'"), 1);
  /* the next in line moved up */
  cJSON *l = list(AT_VOLUNTEER, "/v1/reservations?open=true");
  const cJSON *first = cJSON_GetArrayItem(cJSON_GetObjectItem(l, "items"), 0);
  cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(l, "items")), 1);
  cr_assert_eq(at_int(first, "position"), 1);
  cr_assert_str_eq(at_str(first, "status"), "offered");
  cJSON_Delete(l);

  call(AT_VOLUNTEER, "DELETE", path, NULL, NULL, &h);
  expect(&h, 409, "conflict");
  ts_http_release(&h);
  call(AT_VOLUNTEER, "DELETE", "/v1/reservations/987654", NULL, NULL, &h);
  expect(&h, 404, "not_found");
  ts_http_release(&h);
  call(AT_VOLUNTEER, "DELETE", "/v1/reservations/one", NULL, NULL, &h);
  expect(&h, 404, "not_found");
  ts_http_release(&h);
  call(AT_SOCIAL_WORKER, "DELETE", path, NULL, NULL, &h);
  expect(&h, 403, "forbidden");
  ts_http_release(&h);
  snprintf(path, sizeof path, "/v1/reservations/%lld", babytheek_reservation());
  call(AT_VOLUNTEER, "DELETE", path, NULL, NULL, &h);
  expect(&h, 403, "forbidden");
  ts_http_release(&h);
  cr_assert_eq(q("SELECT count(*) FROM reservations WHERE status = 'cancelled'"), 1);
  cJSON_Delete(a);
  cJSON_Delete(b);
}

Test(reservations, lists_filter_and_page)
{
  cJSON *a = reserve_category(10001, "Fiets 16 inch");
  cJSON *b = reserve_category(10002, "Fiets 16 inch");
  cJSON *c = reserve_category(10001, "Fiets 20 inch");
  char path[160];
  struct ts_http h;
  babytheek_reservation();
  snprintf(path, sizeof path, "/v1/reservations/%lld", at_int(b, "id"));
  call(AT_VOLUNTEER, "DELETE", path, NULL, NULL, &h);
  expect(&h, 204, NULL);
  ts_http_release(&h);

  cJSON *l = list(AT_VOLUNTEER, "/v1/reservations");
  cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(l, "items")), 3);
  cJSON_Delete(l);
  l = list(AT_ADMIN, "/v1/reservations");
  cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(l, "items")), 4);
  cJSON_Delete(l);
  l = list(AT_ADMIN, "/v1/reservations?library=babytheek");
  cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(l, "items")), 1);
  cJSON_Delete(l);
  l = list(AT_VOLUNTEER, "/v1/reservations?household=10001");
  cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(l, "items")), 2);
  cJSON_Delete(l);
  l = list(AT_VOLUNTEER, "/v1/reservations?open=true&household=10002");
  cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(l, "items")), 0);
  cJSON_Delete(l);
  /* pages of one, oldest first */
  l = list(AT_VOLUNTEER, "/v1/reservations?open=true&limit=1");
  const cJSON *items = cJSON_GetObjectItem(l, "items");
  cr_assert_eq(at_int(cJSON_GetArrayItem(items, 0), "id"), at_int(a, "id"));
  snprintf(path, sizeof path, "/v1/reservations?open=true&limit=1&cursor=%s",
           at_str(l, "next_cursor"));
  cJSON_Delete(l);
  l = list(AT_VOLUNTEER, path);
  items = cJSON_GetObjectItem(l, "items");
  cr_assert_eq(at_int(cJSON_GetArrayItem(items, 0), "id"), at_int(c, "id"));
  cr_assert(is_null(l, "next_cursor"));
  cJSON_Delete(l);

  static const struct {
    const char *path;
    long status;
    const char *code;
  } bad[] = {
    {"/v1/reservations?household=abc", 422, "invalid_field"},
    {"/v1/reservations?open=sometimes", 422, "invalid_field"},
    {"/v1/reservations?category=1&category_id=2", 422, "invalid_field"},
    {"/v1/reservations?limit=500", 422, "invalid_field"},
    {"/v1/reservations?library=nowhere", 404, "not_found"},
    {"/v1/reservations?library=babytheek", 403, "forbidden"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    call(AT_VOLUNTEER, "GET", bad[i].path, NULL, NULL, &h);
    cr_assert_eq(h.status, bad[i].status, "%s: %ld %s", bad[i].path, h.status, h.body);
    cr_assert_str_eq(at_code(&h), bad[i].code, "%s: %s", bad[i].path, h.body);
    ts_http_release(&h);
  }
  cJSON_Delete(a);
  cJSON_Delete(b);
  cJSON_Delete(c);
}
