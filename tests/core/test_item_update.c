/* Editing items: partial updates, optimistic versions, the status rules
 * (nothing moves an item onto or off a loan or a reservation but
 * check-out, return and reservations), the audit, and who may edit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "leen/category.h"
#include "leen/item.h"
#include "leen/library.h"
#include "tsupport.h"

static char *ci;
static struct leen_db *db;
static PGconn *pg;
static struct leen_actor admin, coord_fb, coord_bt, volunteer;
static struct leen_library fb, bt;
static struct leen_category bike16, bike20, carseat;

static struct leen_actor actor(const char *name, enum leen_role role)
{
  const char *p[] = {name, leen_role_name(role)};
  PGresult *r = ts_sql(pg,
                       "INSERT INTO users (org_id, username, password_hash, role)"
                       " SELECT id, $1, 'x', $2 FROM orgs WHERE slug = 'default' RETURNING id, org_id",
                       2, p);
  struct leen_actor a = {.user_id = strtoll(PQgetvalue(r, 0, 0), NULL, 10),
                         .org_id = strtoll(PQgetvalue(r, 0, 1), NULL, 10), .role = role};
  PQclear(r);
  return a;
}

static struct leen_library library(const char *slug, const char *prefix)
{
  struct leen_library_new l;
  leen_library_new_init(&l);
  l.slug = slug;
  l.name = slug;
  l.kind = slug;
  l.code_prefix = prefix;
  struct leen_library out;
  struct leen_err err;
  cr_assert_eq(leen_library_create(db, &admin, NULL, &l, &out, &err), 0, "%s", err.message);
  return out;
}

static struct leen_category category(const char *lib, const char *name)
{
  struct leen_category_new c;
  leen_category_new_init(&c);
  c.library = lib;
  c.name = name;
  c.deposit_cents = 2000;
  struct leen_category out;
  struct leen_err err;
  cr_assert_eq(leen_category_create(db, &admin, &c, &out, &err), 0, "%s", err.message);
  return out;
}

static void make(int64_t category_id, const char *name)
{
  struct leen_item_new it;
  leen_item_new_init(&it);
  it.category_id = category_id;
  it.name = name;
  it.attributes = "{\"wheel_inch\": 16}";
  it.expires_on = "2030-01-31";
  struct leen_err err;
  cr_assert_eq(leen_item_create(db, &admin, &it, NULL, &err), 0, "%s", err.message);
}

static void setup(void)
{
  ci = ts_db_create(1);
  struct leen_err err;
  cr_assert_eq(leen_db_open(&db, ci, &err), 0, "%s", err.message);
  pg = ts_connect(ci);
  admin = actor("beheer", LEEN_ROLE_ADMIN);
  fb = library("fietsbieb", "FB");
  bt = library("babytheek", "BT");
  coord_fb = actor("coord-fb", LEEN_ROLE_COORDINATOR);
  coord_fb.libraries[coord_fb.nlibraries++] = fb.id;
  coord_bt = actor("coord-bt", LEEN_ROLE_COORDINATOR);
  coord_bt.libraries[coord_bt.nlibraries++] = bt.id;
  volunteer = actor("vrijwilliger", LEEN_ROLE_VOLUNTEER);
  volunteer.libraries[volunteer.nlibraries++] = fb.id;
  bike16 = category("fietsbieb", "Fiets 16 inch");
  bike20 = category("fietsbieb", "Fiets 20 inch");
  carseat = category("babytheek", "Autostoel 0+");
  make(bike16.id, "Btwin 16 rood");   /* FB0001 */
  make(carseat.id, "Maxi-Cosi");      /* BT0001 */
}

static void teardown(void)
{
  PQfinish(pg);
  leen_db_close(db);
  ts_db_drop(ci);
}

TestSuite(item_update, .init = setup, .fini = teardown, .timeout = 120);

/* Sets FB0001's status by hand (as check-out and reservations would). */
static void force(const char *sql)
{
  PQclear(ts_sql(pg, sql, 0, NULL));
}

static int set_status(const struct leen_actor *a, const char *code, const char *status,
                      struct leen_err *err)
{
  struct leen_item_new it;
  leen_item_new_init(&it);
  it.status = status;
  return leen_item_update(db, a, code, &it, LEEN_ITEM_STATUS, 0, NULL, err);
}

Test(item_update, changes_only_the_fields_given_and_counts_versions)
{
  struct leen_item_new it;
  leen_item_new_init(&it);
  it.name = "Btwin 16 rood (nieuwe banden)";
  it.attributes = "{\"wheel_inch\": 16, \"kleur\": \"rood\"}";
  it.category_id = 999; /* not among the fields: not read */
  struct leen_item out;
  struct leen_err err;
  cr_assert_eq(leen_item_update(db, &coord_fb, "fb-0001", &it, LEEN_ITEM_NAME | LEEN_ITEM_ATTRIBUTES,
                                1, &out, &err), 0, "%s", err.message);
  cr_assert_str_eq(out.name, "Btwin 16 rood (nieuwe banden)");
  cr_assert_str_eq(out.attributes, "{\"kleur\": \"rood\", \"wheel_inch\": 16}");
  cr_assert_eq(out.category_id, bike16.id);
  cr_assert_str_eq(out.expires_on, "2030-01-31");
  cr_assert_eq(out.version, 2);
  leen_item_release(&out);

  /* category, dates and deposit; "" clears a date, LEEN_UNSET the deposit override */
  leen_item_new_init(&it);
  it.category_id = bike20.id;
  it.expires_on = "";
  it.safety_checked_on = "2026-11-02";
  it.deposit_cents = 2500;
  cr_assert_eq(leen_item_update(db, &coord_fb, "FB0001", &it,
                                LEEN_ITEM_CATEGORY_ID | LEEN_ITEM_EXPIRES_ON |
                                    LEEN_ITEM_SAFETY_CHECKED_ON | LEEN_ITEM_DEPOSIT_CENTS,
                                2, &out, &err), 0, "%s", err.message);
  cr_assert_eq(out.category_id, bike20.id);
  cr_assert_str_eq(out.category, "Fiets 20 inch");
  cr_assert_str_eq(out.expires_on, "");
  cr_assert_str_eq(out.safety_checked_on, "2026-11-02");
  cr_assert_eq(out.deposit_cents, 2500);
  cr_assert_eq(out.version, 3);
  leen_item_release(&out);
  it.deposit_cents = LEEN_UNSET;
  cr_assert_eq(leen_item_update(db, &admin, "FB0001", &it, LEEN_ITEM_DEPOSIT_CENTS, 0, &out, &err),
               0);
  cr_assert_eq(out.deposit_cents, -1);
  cr_assert_eq(out.version, 4);
  leen_item_release(&out);

  cr_assert_eq(ts_sql_int(pg, "SELECT count(*) FROM audit WHERE action = 'item.update'"), 3);
  cr_assert_eq(ts_sql_int(pg, "SELECT count(*) FROM audit WHERE action = 'item.update' AND details ="
                              " '{\"code\": \"FB0001\", \"version\": 2, \"fields\": [\"name\","
                              " \"attributes\"]}'::jsonb"), 1);
}

Test(item_update, a_stale_version_is_refused_and_changes_nothing)
{
  struct leen_item_new it;
  leen_item_new_init(&it);
  it.name = "eerste";
  struct leen_err err;
  cr_assert_eq(leen_item_update(db, &coord_fb, "FB0001", &it, LEEN_ITEM_NAME, 1, NULL, &err), 0);
  /* a second editor who also read version 1 */
  it.name = "tweede";
  cr_assert_eq(leen_item_update(db, &coord_fb, "FB0001", &it, LEEN_ITEM_NAME, 1, NULL, &err), -1);
  cr_assert_eq(err.code, LEEN_E_PRECONDITION_FAILED);
  cr_assert_str_eq(err.message, "item \"FB0001\" changed since it was read: version 2, not 1");
  cr_assert_eq(leen_item_update(db, &coord_fb, "FB0001", &it, LEEN_ITEM_NAME, 3, NULL, &err), -1);
  cr_assert_eq(err.code, LEEN_E_PRECONDITION_FAILED);
  char *name = ts_sql_value(pg, "SELECT name FROM items WHERE code = 'FB0001'");
  cr_assert_str_eq(name, "eerste");
  free(name);
  cr_assert_eq(ts_sql_int(pg, "SELECT version FROM items WHERE code = 'FB0001'"), 2);
  cr_assert_eq(ts_sql_int(pg, "SELECT count(*) FROM audit WHERE action = 'item.update'"), 1);
  cr_assert_eq(leen_item_update(db, &coord_fb, "FB0001", &it, LEEN_ITEM_NAME, 2, NULL, &err), 0);
}

Test(item_update, status_moves_an_edit_may_make)
{
  struct leen_err err;
  const char *path[] = {"in_repair", "available", "cleaning", "available", "retired", "available",
                        "lost", "available"};
  for (size_t i = 0; i < sizeof path / sizeof path[0]; i++) {
    cr_assert_eq(set_status(&coord_fb, "FB0001", path[i], &err), 0, "%s: %s", path[i],
                 err.message);
    char *status = ts_sql_value(pg, "SELECT status FROM items WHERE code = 'FB0001'");
    cr_assert_str_eq(status, path[i]);
    free(status);
  }
  cr_assert_eq(ts_sql_int(pg, "SELECT version FROM items WHERE code = 'FB0001'"), 9);
  cr_assert_eq(ts_sql_int(pg, "SELECT count(*) FROM audit WHERE action = 'item.update'"
                              " AND details->>'status_from' = 'in_repair'"
                              " AND details->>'status_to' = 'available'"), 1);
  cr_assert_eq(ts_sql_int(pg, "SELECT count(*) FROM audit WHERE action = 'item.update'"
                              " AND details ? 'status_to'"), 8);
  /* an unchanged status leaves status_changed_at alone */
  force("UPDATE items SET status_changed_at = '2026-01-01' WHERE code = 'FB0001'");
  cr_assert_eq(set_status(&coord_fb, "FB0001", "available", &err), 0);
  cr_assert_eq(ts_sql_int(pg, "SELECT count(*) FROM items WHERE code = 'FB0001'"
                              " AND status_changed_at = '2026-01-01'"), 1);
  cr_assert_eq(set_status(&coord_fb, "FB0001", "retired", &err), 0);
  cr_assert_eq(ts_sql_int(pg, "SELECT count(*) FROM items WHERE code = 'FB0001'"
                              " AND status_changed_at > now() - interval '1 minute'"), 1);

  /* statuses an edit never sets */
  const struct {
    const char *status;
    const char *message;
  } never[] = {
    {"on_loan", "status \"on_loan\" is set by a check-out, not by an edit"},
    {"reserved", "status \"reserved\" is set when a returned item is set aside for a reservation,"
                 " not by an edit"},
    {"weg", "unknown status \"weg\""},
    {"", "unknown status \"\""},
    {NULL, "unknown status \"\""},
  };
  for (size_t i = 0; i < sizeof never / sizeof never[0]; i++) {
    cr_assert_eq(set_status(&coord_fb, "FB0001", never[i].status, &err), -1, "%zu", i);
    cr_assert_eq(err.code, LEEN_E_INVALID_FIELD, "%zu", i);
    cr_assert_str_eq(err.field, "/status");
    cr_assert_str_eq(err.message, never[i].message);
  }
  char *status = ts_sql_value(pg, "SELECT status FROM items WHERE code = 'FB0001'");
  cr_assert_str_eq(status, "retired");
  free(status);
}

Test(item_update, an_item_back_from_repair_goes_to_the_first_in_line)
{
  force("INSERT INTO households (org_id, name) SELECT id, 'Gezin Janssens' FROM orgs");
  force("INSERT INTO reservations (library_id, household_id, category_id, wanted_from)"
        " SELECT i.library_id, h.id, i.category_id, current_date - 1"
        " FROM items i, households h WHERE i.code = 'FB0001' AND h.name = 'Gezin Janssens'");
  struct leen_err err;
  cr_assert_eq(set_status(&coord_fb, "FB0001", "in_repair", &err), 0, "%s", err.message);
  char *status = ts_sql_value(pg, "SELECT status FROM items WHERE code = 'FB0001'");
  cr_assert_str_eq(status, "in_repair");
  free(status);
  cr_assert_eq(set_status(&coord_fb, "FB0001", "available", &err), 0, "%s", err.message);
  status = ts_sql_value(pg, "SELECT i.status || ' ' || h.name FROM items i"
                            " JOIN households h ON h.id = i.reserved_for WHERE i.code = 'FB0001'");
  cr_assert_str_eq(status, "reserved Gezin Janssens");
  free(status);
  cr_assert_eq(ts_sql_int(pg, "SELECT count(*) FROM reservations WHERE status = 'offered'"
                              " AND offered_item = (SELECT id FROM items WHERE code = 'FB0001')"),
               1);
}

Test(item_update, an_item_on_loan_moves_only_by_its_return)
{
  force("INSERT INTO households (org_id, name) SELECT id, 'Gezin Peeters' FROM orgs");
  force("INSERT INTO loans (item_id, household_id, library_id, due_on)"
        " SELECT i.id, h.id, i.library_id, '2027-11-20' FROM items i, households h"
        " WHERE i.code = 'FB0001'");
  force("UPDATE items SET status = 'on_loan' WHERE code = 'FB0001'");
  struct leen_err err;
  const char *refused[] = {"retired", "lost", "available", "in_repair", "cleaning"};
  for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
    cr_assert_eq(set_status(&coord_fb, "FB0001", refused[i], &err), -1, "%s", refused[i]);
    cr_assert_eq(err.code, LEEN_E_CONFLICT, "%s", refused[i]);
    cr_assert_str_eq(err.field, "/status");
    cr_assert_str_eq(err.message, "item \"FB0001\" is on loan: only its return can change its status");
  }
  cr_assert_eq(set_status(&admin, "FB0001", "reserved", &err), -1);
  cr_assert_eq(err.code, LEEN_E_INVALID_FIELD);
  /* other fields may change while it is out; repeating its status is no change */
  struct leen_item_new it;
  leen_item_new_init(&it);
  it.name = "Btwin 16 rood";
  it.status = "on_loan";
  struct leen_item out;
  cr_assert_eq(leen_item_update(db, &coord_fb, "FB0001", &it, LEEN_ITEM_NAME | LEEN_ITEM_STATUS, 0,
                                &out, &err), 0, "%s", err.message);
  cr_assert_str_eq(out.status, "on_loan");
  leen_item_release(&out);
  /* the open loan counts even if the status were out of step */
  force("UPDATE items SET status = 'available' WHERE code = 'FB0001'");
  cr_assert_eq(set_status(&coord_fb, "FB0001", "retired", &err), -1);
  cr_assert_eq(err.code, LEEN_E_CONFLICT);
  cr_assert_eq(ts_sql_int(pg, "SELECT count(*) FROM audit WHERE action = 'item.update'"
                              " AND details ? 'status_to'"), 0);
}

Test(item_update, a_reserved_item_waits_for_its_reservation)
{
  force("INSERT INTO households (org_id, name) SELECT id, 'Gezin Peeters' FROM orgs");
  force("UPDATE items SET status = 'reserved', reserved_for = (SELECT id FROM households)"
        " WHERE code = 'FB0001'");
  struct leen_err err;
  cr_assert_eq(set_status(&coord_fb, "FB0001", "retired", &err), -1);
  cr_assert_eq(err.code, LEEN_E_CONFLICT);
  cr_assert_str_eq(err.field, "/status");
  cr_assert_str_eq(err.message,
                   "item \"FB0001\" is reserved for a household: cancel the reservation first");
  struct leen_item got;
  cr_assert_eq(leen_item_get(db, &volunteer, "FB0001", &got, &err), 0);
  cr_assert_str_eq(got.status, "reserved");
  cr_assert_eq(got.reserved_for, 10001);
  leen_item_release(&got);
}

Test(item_update, refuses_bad_values_and_other_people)
{
  struct leen_item_new it;
  struct leen_err err;
  const struct {
    unsigned field;
    const char *name, *attributes, *date;
    int64_t category_id, deposit;
    enum leen_code code;
    const char *pointer;
  } bad[] = {
    {LEEN_ITEM_NAME, "", NULL, NULL, 0, 0, LEEN_E_INVALID_FIELD, "/name"},
    {LEEN_ITEM_NAME, NULL, NULL, NULL, 0, 0, LEEN_E_INVALID_FIELD, "/name"},
    {LEEN_ITEM_ATTRIBUTES, NULL, NULL, NULL, 0, 0, LEEN_E_INVALID_FIELD, "/attributes"},
    {LEEN_ITEM_ATTRIBUTES, NULL, "[]", NULL, 0, 0, LEEN_E_INVALID_FIELD, "/attributes"},
    {LEEN_ITEM_ATTRIBUTES, NULL, "{", NULL, 0, 0, LEEN_E_INVALID_FIELD, "/attributes"},
    {LEEN_ITEM_EXPIRES_ON, NULL, NULL, "2027-02-29", 0, 0, LEEN_E_INVALID_DATE, "/expires_on"},
    {LEEN_ITEM_SAFETY_CHECKED_ON, NULL, NULL, "gisteren", 0, 0, LEEN_E_INVALID_DATE,
     "/safety_checked_on"},
    {LEEN_ITEM_CATEGORY_ID, NULL, NULL, NULL, 0, 0, LEEN_E_INVALID_FIELD, "/category_id"},
    {LEEN_ITEM_CATEGORY_ID, NULL, NULL, NULL, 999, 0, LEEN_E_NOT_FOUND, "/category_id"},
    {LEEN_ITEM_CATEGORY_ID, NULL, NULL, NULL, -1, 0, LEEN_E_INVALID_FIELD, "/category_id"},
    {LEEN_ITEM_DEPOSIT_CENTS, NULL, NULL, NULL, 0, 100000001, LEEN_E_INVALID_AMOUNT,
     "/deposit_cents"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    leen_item_new_init(&it);
    it.name = bad[i].name;
    it.attributes = bad[i].attributes;
    it.expires_on = bad[i].date;
    it.safety_checked_on = bad[i].date;
    it.category_id = bad[i].category_id;
    it.deposit_cents = bad[i].deposit;
    cr_assert_eq(leen_item_update(db, &coord_fb, "FB0001", &it, bad[i].field, 0, NULL, &err), -1,
                 "%zu", i);
    cr_assert_eq(err.code, bad[i].code, "%zu: %s", i, err.message);
    cr_assert_str_eq(err.field, bad[i].pointer, "%zu", i);
  }
  /* a category of another library */
  leen_item_new_init(&it);
  it.category_id = carseat.id;
  cr_assert_eq(leen_item_update(db, &coord_fb, "FB0001", &it, LEEN_ITEM_CATEGORY_ID, 0, NULL, &err),
               -1);
  cr_assert_eq(err.code, LEEN_E_INVALID_FIELD);
  cr_assert_str_eq(err.field, "/category_id");

  it.name = "x";
  cr_assert_eq(leen_item_update(db, &coord_fb, "FB0009", &it, LEEN_ITEM_NAME, 0, NULL, &err), -1);
  cr_assert_eq(err.code, LEEN_E_NOT_FOUND);
  cr_assert_str_eq(err.field, "/code");
  cr_assert_eq(leen_item_update(db, &coord_fb, "FB/0001", &it, LEEN_ITEM_NAME, 0, NULL, &err), -1);
  cr_assert_eq(err.code, LEEN_E_INVALID_FIELD);
  cr_assert_str_eq(err.field, "/code");
  cr_assert_eq(leen_item_update(db, &volunteer, "FB0001", &it, LEEN_ITEM_NAME, 0, NULL, &err), -1);
  cr_assert_eq(err.code, LEEN_E_FORBIDDEN);
  cr_assert_eq(leen_item_update(db, &coord_bt, "FB0001", &it, LEEN_ITEM_NAME, 0, NULL, &err), -1);
  cr_assert_eq(err.code, LEEN_E_FORBIDDEN);
  cr_assert_eq(leen_item_update(db, &coord_fb, "BT0001", &it, LEEN_ITEM_NAME, 0, NULL, &err), -1);
  cr_assert_eq(err.code, LEEN_E_FORBIDDEN);
  cr_assert_eq(leen_item_update(db, &coord_bt, "BT0001", &it, LEEN_ITEM_NAME, 0, NULL, &err), 0);

  cr_assert_eq(ts_sql_int(pg, "SELECT version FROM items WHERE code = 'FB0001'"), 1);
  cr_assert_eq(ts_sql_int(pg, "SELECT count(*) FROM audit WHERE action = 'item.update'"), 1);
}
