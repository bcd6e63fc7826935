/* Privacy requests: the export holds everything stored about a household
 * (and audits the reductions it shows); anonymising clears what names a
 * person, keeps the postcode and the append-only rows, and refuses while a
 * loan is open. Only admins. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "leen/household.h"
#include "leen/membership.h"
#include "leen/privacy.h"
#include "leen/reduction.h"
#include "tsupport.h"

static char *ci;
static PGconn *pg;
static struct leen_db *db;

static const char seed_sql[] =
  "SET TIME ZONE 'Europe/Brussels';"
  "UPDATE orgs SET name = 'Stad Izegem' WHERE slug = 'default';"
  "INSERT INTO libraries (org_id, slug, name, kind, code_prefix, fee_cents, social_fee_cents,"
  "  fee_per, max_slots)"
  " SELECT id, 'fietsbieb', 'Fietsbieb Izegem', 'fietsbieb', 'FB', 2000, 500, 'slot', 4"
  " FROM orgs WHERE slug = 'default';"
  "INSERT INTO categories (library_id, name, deposit_cents, loan_days)"
  " SELECT id, 'Fiets 16 inch', 2000, 365 FROM libraries WHERE slug = 'fietsbieb';"
  "INSERT INTO items (library_id, category_id, number, code, name)"
  " SELECT l.id, c.id, n, 'FB000' || n, 'Fiets ' || n FROM libraries l, categories c,"
  " generate_series(1, 3) n WHERE l.slug = 'fietsbieb';"
  "INSERT INTO users (org_id, username, password_hash, role)"
  " SELECT o.id, u.name, 'x', u.role FROM orgs o,"
  " (VALUES ('vol', 'volunteer'), ('coord', 'coordinator'), ('sw', 'social_worker'),"
  "         ('admin', 'admin')) AS u (name, role)"
  " WHERE o.slug = 'default';"
  "INSERT INTO user_libraries SELECT u.id, l.id FROM users u, libraries l"
  " WHERE u.username IN ('vol', 'coord');"
  "INSERT INTO orgs (slug, name) VALUES ('elders', 'Elders');"
  "INSERT INTO users (org_id, username, password_hash, role)"
  " SELECT id, 'admin2', 'x', 'admin' FROM orgs WHERE slug = 'elders';";

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

TestSuite(privacy, .init = setup, .fini = teardown, .timeout = 60);

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

static void qexec(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void qexec(const char *fmt, ...)
{
  char sql[2048];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(sql, sizeof sql, fmt, ap);
  va_end(ap);
  PQclear(ts_sql(pg, sql, 0, NULL));
}

static char *qtext(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *qtext(const char *fmt, ...)
{
  char sql[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(sql, sizeof sql, fmt, ap);
  va_end(ap);
  return ts_sql_value(pg, sql);
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

/* Gezin Peeters: contact details, two children, a social reduction with a
 * dossier reference, a paid Fietsbieb membership (ledger lines), a
 * returned loan and a waiting reservation. Returns the member number. */
static int64_t peeters(void)
{
  struct leen_actor vol = actor("vol"), sw = actor("sw");
  struct leen_child_new kids[] = {{"Lien", "2020-05"}, {"Mats", "2022-01"}};
  struct leen_household_new h = {.name = "Gezin Peeters", .email = "an.peeters@example.be",
                                 .phone = "051 12 34 56", .postcode = "8870",
                                 .children = kids, .nchildren = 2};
  struct leen_household out;
  struct leen_err err;
  cr_assert_eq(leen_household_create(db, &vol, &h, &out, &err), 0, "%s", err.message);
  int64_t number = out.number;
  leen_household_release(&out);
  struct leen_reduction_new rn = {.household = number, .level = "social",
                                  .valid_until = "2099-12-31", .reference = "SH-2026-118"};
  cr_assert_eq(leen_reduction_issue(db, &sw, &rn, NULL, &err), 0, "%s", err.message);
  struct leen_membership_new mn = {.library = "fietsbieb", .slots = 1, .payment = "cash"};
  cr_assert_eq(leen_membership_start(db, &vol, number, &mn, NULL, &err), 0, "%s", err.message);
  qexec("INSERT INTO loans (item_id, household_id, library_id, due_on, deposit_cents,"
        " returned_at, return_condition, refund_cents, started_at)"
        " SELECT i.id, h.id, i.library_id, current_date + 30, 1000, now(), 'ok', 1000,"
        " now() - interval '1 day'"
        " FROM items i, households h WHERE i.code = 'FB0001' AND h.number = %lld",
        (long long)number);
  qexec("INSERT INTO reservations (library_id, household_id, category_id, wanted_from)"
        " SELECT c.library_id, h.id, c.id, current_date FROM categories c, households h"
        " WHERE h.number = %lld",
        (long long)number);
  return number;
}

static long long audit_count(const char *action, const char *entity)
{
  return qint("SELECT count(*) FROM audit WHERE action = '%s' AND entity = '%s'", action, entity);
}

static const cJSON *get(const cJSON *o, const char *name)
{
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
  cr_assert(v, "no member %s", name);
  return v;
}

Test(privacy, export_holds_everything_stored_and_audits_the_reductions)
{
  int64_t number = peeters();
  struct leen_actor admin = actor("admin");
  struct leen_err err;
  char *json = NULL;
  long long reads = audit_count("read", "reduction");
  cr_assert_eq(leen_privacy_export(db, &admin, number, &json, &err), 0, "%s", err.message);
  cJSON *doc = cJSON_Parse(json);
  cr_assert(doc, "%s", json);
  const cJSON *h = get(doc, "household");
  cr_assert_eq(get(h, "number")->valuedouble, (double)number);
  cr_assert_str_eq(get(h, "name")->valuestring, "Gezin Peeters");
  cr_assert_str_eq(get(h, "email")->valuestring, "an.peeters@example.be");
  cr_assert_str_eq(get(h, "phone")->valuestring, "051 12 34 56");
  cr_assert_str_eq(get(h, "postcode")->valuestring, "8870");
  cr_assert(cJSON_IsNull(get(h, "anonymized_at")));
  cr_assert_str_eq(get(get(doc, "controller"), "name")->valuestring, "Stad Izegem");
  const cJSON *kids = get(doc, "children");
  cr_assert_eq(cJSON_GetArraySize(kids), 2);
  cr_assert_str_eq(get(cJSON_GetArrayItem(kids, 0), "first_name")->valuestring, "Lien");
  cr_assert_str_eq(get(cJSON_GetArrayItem(kids, 1), "birth_month")->valuestring, "2022-01");
  const cJSON *m = cJSON_GetArrayItem(get(doc, "memberships"), 0);
  cr_assert_eq(cJSON_GetArraySize(get(doc, "memberships")), 1);
  cr_assert_str_eq(get(m, "library")->valuestring, "fietsbieb");
  cr_assert_eq(get(m, "fee_cents")->valuedouble, 2000);
  cr_assert_eq(get(m, "due_cents")->valuedouble, 500);
  const cJSON *loans = get(doc, "loans");
  cr_assert_eq(cJSON_GetArraySize(loans), 1);
  cr_assert_str_eq(get(cJSON_GetArrayItem(loans, 0), "item")->valuestring, "FB0001");
  const cJSON *reds = get(doc, "reductions");
  cr_assert_eq(cJSON_GetArraySize(reds), 1);
  cr_assert_str_eq(get(cJSON_GetArrayItem(reds, 0), "reference")->valuestring, "SH-2026-118");
  cr_assert_str_eq(get(cJSON_GetArrayItem(reds, 0), "level")->valuestring, "social");
  /* fee (2 lines), reduction (2), payment (2) */
  cr_assert_eq(cJSON_GetArraySize(get(doc, "ledger")), 6);
  cr_assert_eq(cJSON_GetArraySize(get(doc, "reservations")), 1);
  cr_assert_str_eq(get(cJSON_GetArrayItem(get(doc, "reservations"), 0), "status")->valuestring,
                   "waiting");
  cr_assert_geq(cJSON_GetArraySize(get(doc, "audit")), 1);
  cJSON_Delete(doc);
  free(json);
  cr_assert_eq(audit_count("read", "reduction"), reads + 1);
  cr_assert_eq(qint("SELECT count(*) FROM audit WHERE action = 'export' AND entity = 'household'"
                    " AND entity_id = '%lld' AND user_id = %lld",
                    (long long)number, (long long)admin.user_id),
               1);
}

Test(privacy, only_admins_of_the_org_export)
{
  int64_t number = peeters();
  const char *users[] = {"vol", "coord", "sw"};
  struct leen_err err;
  char *json = NULL;
  for (size_t i = 0; i < 3; i++) {
    struct leen_actor a = actor(users[i]);
    cr_assert_eq(leen_privacy_export(db, &a, number, &json, &err), -1);
    cr_assert_eq(err.code, LEEN_E_FORBIDDEN, "%s", users[i]);
    cr_assert_null(json);
  }
  struct leen_actor other = actor("admin2");
  cr_assert_eq(leen_privacy_export(db, &other, number, &json, &err), -1);
  cr_assert_eq(err.code, LEEN_E_NOT_FOUND);
  struct leen_actor admin = actor("admin");
  cr_assert_eq(leen_privacy_export(db, &admin, 999999, &json, &err), -1);
  cr_assert_eq(err.code, LEEN_E_NOT_FOUND);
  cr_assert_str_eq(err.field, "/household");
  cr_assert_eq(audit_count("export", "household"), 0);
}

Test(privacy, anonymize_clears_what_names_a_person_and_keeps_the_rest)
{
  int64_t number = peeters();
  /* an imported household: its id in the other register names it too */
  qexec("UPDATE households SET external_id = 'MT-17' WHERE number = %lld", (long long)number);
  struct leen_actor admin = actor("admin");
  long long ledger = qint("SELECT count(*) FROM ledger");
  long long audit = qint("SELECT count(*) FROM audit");
  struct leen_household h;
  char at[40];
  struct leen_err err;
  cr_assert_eq(leen_privacy_anonymize(db, &admin, number, &h, at, &err), 0, "%s", err.message);
  char want[64];
  snprintf(want, sizeof want, "Geanonimiseerd gezin %lld", (long long)number);
  cr_assert_str_eq(h.name, want);
  cr_assert_null(h.email);
  cr_assert_null(h.phone);
  cr_assert_str_eq(h.postcode, "8870");
  cr_assert_eq(h.nchildren, 2);
  cr_assert_null(h.children[0].first_name);
  cr_assert_str_eq(h.children[0].birth_month, "2020-05");
  cr_assert_eq(h.version, 2);
  cr_assert_eq(strlen(at), 25, "%s", at);
  leen_household_release(&h);

  cr_assert_eq(qint("SELECT count(*) FROM households WHERE number = %lld AND email IS NULL"
                    " AND phone IS NULL AND external_id IS NULL AND anonymized_at IS NOT NULL"
                    " AND postcode = '8870'",
                    (long long)number),
               1);
  cr_assert_eq(qint("SELECT count(*) FROM children WHERE first_name IS NOT NULL"), 0);
  cr_assert_eq(qint("SELECT count(*) FROM reductions WHERE reference IS NOT NULL"), 0);
  cr_assert_eq(qint("SELECT count(*) FROM reductions"), 1);
  cr_assert_eq(qint("SELECT count(*) FROM memberships"), 1);
  cr_assert_eq(qint("SELECT count(*) FROM loans"), 1);
  cr_assert_eq(qint("SELECT count(*) FROM reservations WHERE status = 'cancelled'"
                    " AND closed_at IS NOT NULL"),
               1);
  cr_assert_eq(qint("SELECT count(*) FROM ledger"), ledger);
  cr_assert_eq(qint("SELECT count(*) FROM audit"), audit + 1);
  char *details = qtext("SELECT details::text FROM audit WHERE action = 'anonymize'"
                        " AND entity = 'household' AND entity_id = '%lld'",
                        (long long)number);
  cr_assert_str_eq(details,
                   "{\"children\": 2, \"reductions\": 1, \"reservations_cancelled\": 1}");
  free(details);

  /* nothing personal is left to export */
  char *json = NULL;
  cr_assert_eq(leen_privacy_export(db, &admin, number, &json, &err), 0, "%s", err.message);
  cr_assert_null(strstr(json, "Peeters"));
  cr_assert_null(strstr(json, "example.be"));
  cr_assert_null(strstr(json, "Lien"));
  cr_assert_null(strstr(json, "SH-2026"));
  cr_assert_null(strstr(json, "51 12"));
  free(json);
}

Test(privacy, an_anonymized_household_takes_no_new_rights)
{
  int64_t number = peeters();
  struct leen_actor admin = actor("admin"), vol = actor("vol");
  struct leen_err err;
  cr_assert_eq(leen_privacy_anonymize(db, &admin, number, NULL, NULL, &err), 0, "%s",
               err.message);
  cr_assert_eq(leen_privacy_anonymize(db, &admin, number, NULL, NULL, &err), -1);
  cr_assert_eq(err.code, LEEN_E_CONFLICT);
  cr_assert_str_eq(err.field, "/household");
  cr_assert_eq(audit_count("anonymize", "household"), 1);
  struct leen_household_patch p = {.set = LEEN_HOUSEHOLD_SET_NAME, .name = "Gezin Peeters"};
  struct leen_household h;
  cr_assert_eq(leen_household_update(db, &vol, number, &p, &h, &err), -1);
  cr_assert_eq(err.code, LEEN_E_CONFLICT);
}

Test(privacy, anonymize_waits_for_open_loans)
{
  int64_t number = peeters();
  qexec("INSERT INTO loans (item_id, household_id, library_id, due_on, deposit_cents)"
        " SELECT i.id, h.id, i.library_id, current_date + 30, 2000"
        " FROM items i, households h WHERE i.code = 'FB0002' AND h.number = %lld",
        (long long)number);
  struct leen_actor admin = actor("admin");
  struct leen_err err;
  struct leen_household h;
  char at[40];
  cr_assert_eq(leen_privacy_anonymize(db, &admin, number, &h, at, &err), -1);
  cr_assert_eq(err.code, LEEN_E_CONFLICT);
  cr_assert_str_eq(err.field, "/household");
  cr_assert(strstr(err.message, "open loan"), "%s", err.message);
  cr_assert_null(h.name);
  cr_assert_str_eq(at, "");
  cr_assert_eq(qint("SELECT count(*) FROM households WHERE name = 'Gezin Peeters'"
                    " AND anonymized_at IS NULL"),
               1);
  cr_assert_eq(qint("SELECT count(*) FROM reservations WHERE status = 'waiting'"), 1);
  cr_assert_eq(audit_count("anonymize", "household"), 0);
}

Test(privacy, anonymize_waits_for_an_item_held_for_the_household)
{
  int64_t number = peeters();
  qexec("UPDATE items SET status = 'reserved', reserved_for = h.id FROM households h"
        " WHERE items.code = 'FB0003' AND h.number = %lld",
        (long long)number);
  qexec("UPDATE reservations SET status = 'offered',"
        " offered_item = (SELECT id FROM items WHERE code = 'FB0003')");
  struct leen_actor admin = actor("admin");
  struct leen_err err;
  cr_assert_eq(leen_privacy_anonymize(db, &admin, number, NULL, NULL, &err), -1);
  cr_assert_eq(err.code, LEEN_E_CONFLICT);
  cr_assert_eq(qint("SELECT count(*) FROM households WHERE anonymized_at IS NOT NULL"), 0);
}

Test(privacy, only_a_person_who_is_admin_anonymizes)
{
  int64_t number = peeters();
  const char *users[] = {"vol", "coord", "sw"};
  struct leen_err err;
  for (size_t i = 0; i < 3; i++) {
    struct leen_actor a = actor(users[i]);
    cr_assert_eq(leen_privacy_anonymize(db, &a, number, NULL, NULL, &err), -1);
    cr_assert_eq(err.code, LEEN_E_FORBIDDEN, "%s", users[i]);
  }
  struct leen_actor system = {.user_id = 0, .org_id = 1, .role = LEEN_ROLE_ADMIN};
  cr_assert_eq(leen_privacy_anonymize(db, &system, number, NULL, NULL, &err), -1);
  cr_assert_eq(err.code, LEEN_E_FORBIDDEN);
  struct leen_actor other = actor("admin2");
  cr_assert_eq(leen_privacy_anonymize(db, &other, number, NULL, NULL, &err), -1);
  cr_assert_eq(err.code, LEEN_E_NOT_FOUND);
  cr_assert_eq(qint("SELECT count(*) FROM households WHERE anonymized_at IS NOT NULL"), 0);
}

Test(privacy, the_controller_is_the_org_of_the_actor)
{
  struct leen_actor sw = actor("sw"), other = actor("admin2");
  char name[804];
  struct leen_err err;
  cr_assert_eq(leen_privacy_controller(db, &sw, name, sizeof name, &err), 0, "%s", err.message);
  cr_assert_str_eq(name, "Stad Izegem");
  cr_assert_eq(leen_privacy_controller(db, &other, name, sizeof name, &err), 0);
  cr_assert_str_eq(name, "Elders");
  struct leen_actor ghost = {.user_id = 1, .org_id = 999, .role = LEEN_ROLE_ADMIN};
  cr_assert_eq(leen_privacy_controller(db, &ghost, name, sizeof name, &err), -1);
  cr_assert_eq(err.code, LEEN_E_NOT_FOUND);
}
