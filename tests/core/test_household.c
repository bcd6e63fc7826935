/* Households: numbers, children, checks, finding with a cursor, updates
 * guarded by the version, and who may do what. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "leen/household.h"
#include "leen/reduction.h"
#include "tsupport.h"

static char *ci;
static PGconn *pg;
static struct leen_db *db;

static const char seed_sql[] =
  "SET TIME ZONE 'Europe/Brussels';"
  "INSERT INTO libraries (org_id, slug, name, kind, code_prefix, fee_cents, social_fee_cents,"
  "  fee_per, max_slots)"
  " SELECT id, 'fietsbieb', 'Fietsbieb Izegem', 'fietsbieb', 'FB', 2000, 500, 'slot', 4"
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

TestSuite(household, .init = setup, .fini = teardown, .timeout = 60);

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

static int64_t create(const char *name, const char *email, const char *postcode)
{
  struct leen_actor vol = actor("vol");
  struct leen_household_new h = {.name = name, .email = email, .postcode = postcode};
  struct leen_household out;
  struct leen_err err;
  cr_assert_eq(leen_household_create(db, &vol, &h, &out, &err), 0, "%s (%s)", err.message,
               err.field);
  int64_t number = out.number;
  leen_household_release(&out);
  return number;
}

Test(household, create_assigns_numbers_and_keeps_children)
{
  struct leen_actor vol = actor("vol");
  const struct leen_child_new kids[] = {{.first_name = "Lien", .birth_month = "2020-05"},
                                        {.birth_month = "2027-02"}};
  struct leen_household_new in = {.name = "Gezin Peeters", .email = "peeters@example.be",
                                  .phone = "0471 12 34 56", .postcode = "8870",
                                  .children = kids, .nchildren = 2};
  struct leen_household h;
  struct leen_err err;
  cr_assert_eq(leen_household_create(db, &vol, &in, &h, &err), 0, "%s", err.message);
  cr_assert_eq(h.number, 10001);
  cr_assert_str_eq(h.name, "Gezin Peeters");
  cr_assert_str_eq(h.email, "peeters@example.be");
  cr_assert_str_eq(h.phone, "0471 12 34 56");
  cr_assert_str_eq(h.postcode, "8870");
  cr_assert_str_eq(h.language, "nl");
  cr_assert_eq(h.version, 1);
  cr_assert_eq(h.reduction.active, 0);
  cr_assert_str_eq(h.reduction.valid_until, "");
  cr_assert_eq(h.nchildren, 2);
  cr_assert_str_eq(h.children[0].first_name, "Lien");
  cr_assert_str_eq(h.children[0].birth_month, "2020-05");
  cr_assert_null(h.children[1].first_name);
  cr_assert_str_eq(h.children[1].birth_month, "2027-02");
  leen_household_release(&h);
  leen_household_release(&h);
  leen_household_release(NULL);

  struct leen_household_new bare = {.name = "Gezin Janssens", .language = "fr"};
  cr_assert_eq(leen_household_create(db, &vol, &bare, &h, &err), 0, "%s", err.message);
  cr_assert_eq(h.number, 10002);
  cr_assert_null(h.email);
  cr_assert_null(h.phone);
  cr_assert_null(h.postcode);
  cr_assert_str_eq(h.language, "fr");
  cr_assert_eq(h.nchildren, 0);
  leen_household_release(&h);

  cr_assert_eq(qint("SELECT count(*) FROM households h JOIN orgs o ON o.id = h.org_id"
                    " WHERE o.slug = 'default'"), 2);
  cr_assert_eq(qint("SELECT count(*) FROM children WHERE birth_month = '2020-05-01'"), 1);
  cr_assert_eq(qint("SELECT count(*) FROM audit a JOIN users u ON u.id = a.user_id"
                    " WHERE a.action = 'create' AND a.entity = 'household'"
                    " AND a.entity_id = '10001' AND u.username = 'vol'"), 1);
}

struct bad_case {
  struct leen_household_new in;
  enum leen_code code;
  const char *field;
};

Test(household, bad_input_is_refused)
{
  static const struct leen_child_new bad_month[] = {{.birth_month = "2020-13"}};
  static const struct leen_child_new short_month[] = {{.first_name = "Lien", .birth_month = "2020-5"}};
  static const struct leen_child_new no_month[] = {{.first_name = "Lien"}};
  static const struct leen_child_new ok_child[] = {{.birth_month = "2020-01"}};
  const struct bad_case cases[] = {
    {{.name = ""}, LEEN_E_INVALID_FIELD, "/name"},
    {{.name = "   "}, LEEN_E_INVALID_FIELD, "/name"},
    {{.name = "Gezin\tTab"}, LEEN_E_INVALID_FIELD, "/name"},
    {{.name = "Gezin \xff"}, LEEN_E_INVALID_FIELD, "/name"},
    {{.name = "Gezin", .email = "geen-adres"}, LEEN_E_INVALID_FIELD, "/email"},
    {{.name = "Gezin", .email = "a@b@c"}, LEEN_E_INVALID_FIELD, "/email"},
    {{.name = "Gezin", .email = "a b@c.be"}, LEEN_E_INVALID_FIELD, "/email"},
    {{.name = "Gezin", .phone = "12"}, LEEN_E_INVALID_FIELD, "/phone"},
    {{.name = "Gezin", .postcode = "88700"}, LEEN_E_INVALID_FIELD, "/postcode"},
    {{.name = "Gezin", .postcode = "88a0"}, LEEN_E_INVALID_FIELD, "/postcode"},
    {{.name = "Gezin", .language = "xx"}, LEEN_E_INVALID_FIELD, "/language"},
    {{.name = "Gezin", .children = bad_month, .nchildren = 1}, LEEN_E_INVALID_DATE,
     "/children/0/birth_month"},
    {{.name = "Gezin", .children = short_month, .nchildren = 1}, LEEN_E_INVALID_DATE,
     "/children/0/birth_month"},
    {{.name = "Gezin", .children = no_month, .nchildren = 1}, LEEN_E_INVALID_DATE,
     "/children/0/birth_month"},
    {{.name = "Gezin", .children = ok_child, .nchildren = 21}, LEEN_E_INVALID_FIELD,
     "/children"},
  };
  struct leen_actor vol = actor("vol");
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    struct leen_household h;
    struct leen_err err;
    cr_assert_eq(leen_household_create(db, &vol, &cases[i].in, &h, &err), -1, "case %zu", i);
    cr_expect_eq(err.code, cases[i].code, "case %zu: %s", i, err.message);
    cr_expect_str_eq(err.field, cases[i].field, "case %zu", i);
    cr_assert_null(h.name);
  }
  cr_assert_eq(qint("SELECT count(*) FROM households"), 0);
}

Test(household, who_may_do_what)
{
  int64_t n = create("Gezin Claes", NULL, NULL);
  struct leen_actor sw = actor("sw"), other = actor("vol-elders"), coord = actor("coord");
  struct leen_household h;
  struct leen_household_list l;
  struct leen_err err;
  struct leen_household_new in = {.name = "Gezin X"};
  cr_assert_eq(leen_household_create(db, &sw, &in, &h, &err), -1);
  cr_assert_eq(err.code, LEEN_E_FORBIDDEN);
  struct leen_household_query q = {.name = "claes"};
  cr_assert_eq(leen_household_find(db, &sw, &q, &l, &err), -1);
  cr_assert_eq(err.code, LEEN_E_FORBIDDEN);
  struct leen_household_patch p = {.set = LEEN_HOUSEHOLD_SET_NAME, .name = "X"};
  cr_assert_eq(leen_household_update(db, &sw, n, &p, &h, &err), -1);
  cr_assert_eq(err.code, LEEN_E_FORBIDDEN);
  /* by number only, for vouchers */
  cr_assert_eq(leen_household_get(db, &sw, n, &h, &err), 0, "%s", err.message);
  cr_assert_eq(h.number, n);
  leen_household_release(&h);
  /* another org does not see it at all */
  cr_assert_eq(leen_household_get(db, &other, n, &h, &err), -1);
  cr_assert_eq(err.code, LEEN_E_NOT_FOUND);
  cr_assert_eq(leen_household_find(db, &other, &q, &l, &err), 0);
  cr_assert_eq(l.n, 0);
  leen_household_list_release(&l);
  cr_assert_eq(leen_household_update(db, &other, n, &p, &h, &err), -1);
  cr_assert_eq(err.code, LEEN_E_NOT_FOUND);
  /* coordinators work at the counter too */
  cr_assert_eq(leen_household_find(db, &coord, &q, &l, &err), 0, "%s", err.message);
  cr_assert_eq(l.n, 1);
  leen_household_list_release(&l);
  cr_assert_eq(leen_household_get(db, &coord, 99999, &h, &err), -1);
  cr_assert_eq(err.code, LEEN_E_NOT_FOUND);
}

static size_t find(const struct leen_household_query *q, int64_t *numbers, int64_t *next)
{
  struct leen_actor vol = actor("vol");
  struct leen_household_list l;
  struct leen_err err;
  cr_assert_eq(leen_household_find(db, &vol, q, &l, &err), 0, "%s", err.message);
  size_t n = l.n;
  for (size_t i = 0; i < n; i++)
    numbers[i] = l.items[i].number;
  if (next)
    *next = l.next_after;
  leen_household_list_release(&l);
  return n;
}

Test(household, find_by_name_email_postcode)
{
  int64_t a = create("Gezin Peeters", "Peeters@Example.be", "8870");
  int64_t b = create("Peeters-Janssens", NULL, "8870");
  int64_t c = create("Gezin Maes", "maes@example.be", "8800");
  int64_t d = create("100% Gezin_X", NULL, NULL);
  int64_t got[10];

  struct leen_household_query q = {.name = "PEET"};
  cr_assert_eq(find(&q, got, NULL), 2);
  cr_assert_eq(got[0], a);
  cr_assert_eq(got[1], b);
  q.name_prefix = 1;
  cr_assert_eq(find(&q, got, NULL), 1);
  cr_assert_eq(got[0], b);
  q = (struct leen_household_query){.name = "gezin", .name_prefix = 1};
  cr_assert_eq(find(&q, got, NULL), 2);
  cr_assert_eq(got[0], a);
  cr_assert_eq(got[1], c);
  /* LIKE's wildcards are plain characters in a search */
  q = (struct leen_household_query){.name = "0%"};
  cr_assert_eq(find(&q, got, NULL), 1);
  cr_assert_eq(got[0], d);
  q = (struct leen_household_query){.name = "n_x"};
  cr_assert_eq(find(&q, got, NULL), 1);
  q = (struct leen_household_query){.name = "s_J"};
  cr_assert_eq(find(&q, got, NULL), 0);

  q = (struct leen_household_query){.email = "peeters@EXAMPLE.be"};
  cr_assert_eq(find(&q, got, NULL), 1);
  cr_assert_eq(got[0], a);
  q = (struct leen_household_query){.postcode = "8870"};
  cr_assert_eq(find(&q, got, NULL), 2);
  q = (struct leen_household_query){.postcode = "8870", .name = "gezin"};
  cr_assert_eq(find(&q, got, NULL), 1);
  cr_assert_eq(got[0], a);
  q = (struct leen_household_query){.number = c};
  cr_assert_eq(find(&q, got, NULL), 1);
  cr_assert_eq(got[0], c);
}

Test(household, find_pages_with_a_cursor)
{
  int64_t n[5];
  const char *names[] = {"Gezin A", "Gezin B", "Gezin C", "Gezin D", "Gezin E"};
  for (int i = 0; i < 5; i++)
    n[i] = create(names[i], NULL, NULL);
  int64_t got[10], next;
  struct leen_household_query q = {.name = "gezin", .limit = 2};
  cr_assert_eq(find(&q, got, &next), 2);
  cr_assert_eq(got[0], n[0]);
  cr_assert_eq(got[1], n[1]);
  cr_assert_eq(next, n[1]);
  q.after = next;
  cr_assert_eq(find(&q, got, &next), 2);
  cr_assert_eq(got[0], n[2]);
  cr_assert_eq(got[1], n[3]);
  q.after = next;
  cr_assert_eq(find(&q, got, &next), 1);
  cr_assert_eq(got[0], n[4]);
  cr_assert_eq(next, 0);
  /* exactly one page full: no next page */
  q = (struct leen_household_query){.limit = 5};
  cr_assert_eq(find(&q, got, &next), 5);
  cr_assert_eq(next, 0);
}

Test(household, find_returns_children)
{
  struct leen_actor vol = actor("vol");
  const struct leen_child_new one[] = {{.first_name = "Noor", .birth_month = "2021-03"}};
  const struct leen_child_new two[] = {{.first_name = "Mats", .birth_month = "2019-11"},
                                       {.first_name = "Fien", .birth_month = "2022-08"}};
  struct leen_household_new a = {.name = "Gezin Een", .children = one, .nchildren = 1};
  struct leen_household_new b = {.name = "Gezin Twee", .children = two, .nchildren = 2};
  struct leen_household_new c = {.name = "Gezin Geen"};
  struct leen_household h;
  struct leen_err err;
  cr_assert_eq(leen_household_create(db, &vol, &a, &h, &err), 0);
  leen_household_release(&h);
  cr_assert_eq(leen_household_create(db, &vol, &b, &h, &err), 0);
  leen_household_release(&h);
  cr_assert_eq(leen_household_create(db, &vol, &c, &h, &err), 0);
  leen_household_release(&h);
  struct leen_household_query q = {.name = "gezin"};
  struct leen_household_list l;
  cr_assert_eq(leen_household_find(db, &vol, &q, &l, &err), 0, "%s", err.message);
  cr_assert_eq(l.n, 3);
  cr_assert_eq(l.items[0].nchildren, 1);
  cr_assert_str_eq(l.items[0].children[0].first_name, "Noor");
  cr_assert_eq(l.items[1].nchildren, 2);
  cr_assert_str_eq(l.items[1].children[0].first_name, "Mats");
  cr_assert_str_eq(l.items[1].children[1].birth_month, "2022-08");
  cr_assert_eq(l.items[2].nchildren, 0);
  cr_assert_null(l.items[2].children);
  leen_household_list_release(&l);
  leen_household_list_release(NULL);
}

Test(household, update_fields_and_children)
{
  struct leen_actor vol = actor("vol");
  const struct leen_child_new kids[] = {{.first_name = "Lien", .birth_month = "2020-05"},
                                        {.first_name = "Jef", .birth_month = "2022-01"}};
  struct leen_household_new in = {.name = "Gezin Peeters", .email = "p@example.be",
                                  .postcode = "8870", .children = kids, .nchildren = 2};
  struct leen_household h;
  struct leen_err err;
  cr_assert_eq(leen_household_create(db, &vol, &in, &h, &err), 0);
  int64_t number = h.number, lien = h.children[0].id;
  leen_household_release(&h);

  const struct leen_child_new add[] = {{.birth_month = "2027-01"}};
  struct leen_household_patch p = {
    .set = LEEN_HOUSEHOLD_SET_NAME | LEEN_HOUSEHOLD_SET_EMAIL | LEEN_HOUSEHOLD_SET_LANGUAGE,
    .name = "Gezin Peeters-Claes", .email = NULL, .language = "en",
    .add_children = add, .nadd = 1, .remove_children = &lien, .nremove = 1,
    .expected_version = 1};
  cr_assert_eq(leen_household_update(db, &vol, number, &p, &h, &err), 0, "%s (%s)", err.message,
               err.field);
  cr_assert_str_eq(h.name, "Gezin Peeters-Claes");
  cr_assert_null(h.email);
  cr_assert_str_eq(h.postcode, "8870");
  cr_assert_str_eq(h.language, "en");
  cr_assert_eq(h.version, 2);
  cr_assert_eq(h.nchildren, 2);
  cr_assert_str_eq(h.children[0].first_name, "Jef");
  cr_assert_null(h.children[1].first_name);
  cr_assert_str_eq(h.children[1].birth_month, "2027-01");
  leen_household_release(&h);
  cr_assert_eq(qint("SELECT count(*) FROM audit WHERE action = 'update' AND entity = 'household'"
                    " AND entity_id = '%lld' AND details->'fields' = '[\"name\", \"email\","
                    " \"language\"]' AND (details->>'children_added')::int = 1",
                    (long long)number), 1);
  /* the audit keeps no personal data */
  cr_assert_eq(qint("SELECT count(*) FROM audit WHERE details::text LIKE '%%Peeters%%'"), 0);
}

Test(household, version_mismatch_is_a_failed_precondition)
{
  int64_t number = create("Gezin Maes", NULL, "8870");
  struct leen_actor vol = actor("vol"), coord = actor("coord");
  struct leen_household h;
  struct leen_err err;
  struct leen_household_patch first = {.set = LEEN_HOUSEHOLD_SET_POSTCODE, .postcode = "8800",
                                       .expected_version = 1};
  cr_assert_eq(leen_household_update(db, &vol, number, &first, &h, &err), 0, "%s", err.message);
  cr_assert_eq(h.version, 2);
  leen_household_release(&h);
  /* a second editor still holding version 1 */
  struct leen_household_patch stale = {.set = LEEN_HOUSEHOLD_SET_POSTCODE, .postcode = "8870",
                                       .expected_version = 1};
  cr_assert_eq(leen_household_update(db, &coord, number, &stale, &h, &err), -1);
  cr_assert_eq(err.code, LEEN_E_PRECONDITION_FAILED, "%s", err.message);
  cr_assert_null(h.name);
  cr_assert_eq(qint("SELECT count(*) FROM households WHERE number = %lld AND postcode = '8800'"
                    " AND version = 2", (long long)number), 1);
  /* with the current version it goes through; without one, unconditionally */
  stale.expected_version = 2;
  cr_assert_eq(leen_household_update(db, &coord, number, &stale, &h, &err), 0, "%s", err.message);
  cr_assert_eq(h.version, 3);
  leen_household_release(&h);
  stale.expected_version = 0;
  stale.postcode = NULL;
  cr_assert_eq(leen_household_update(db, &coord, number, &stale, &h, &err), 0, "%s", err.message);
  cr_assert_null(h.postcode);
  cr_assert_eq(h.version, 4);
  leen_household_release(&h);
}

Test(household, update_refusals)
{
  int64_t a = create("Gezin A", NULL, NULL);
  struct leen_actor vol = actor("vol");
  const struct leen_child_new kid[] = {{.birth_month = "2021-06"}};
  struct leen_household_new bin = {.name = "Gezin B", .children = kid, .nchildren = 1};
  struct leen_household h;
  struct leen_err err;
  cr_assert_eq(leen_household_create(db, &vol, &bin, &h, &err), 0);
  int64_t other_child = h.children[0].id;
  leen_household_release(&h);

  struct leen_household_patch p = {.remove_children = &other_child, .nremove = 1};
  cr_assert_eq(leen_household_update(db, &vol, a, &p, &h, &err), -1);
  cr_assert_eq(err.code, LEEN_E_NOT_FOUND);
  cr_assert_str_eq(err.field, "/remove_children/0");
  cr_assert_eq(qint("SELECT count(*) FROM children"), 1);

  p = (struct leen_household_patch){.set = LEEN_HOUSEHOLD_SET_NAME, .name = ""};
  cr_assert_eq(leen_household_update(db, &vol, a, &p, &h, &err), -1);
  cr_assert_eq(err.code, LEEN_E_INVALID_FIELD);
  cr_assert_str_eq(err.field, "/name");
  const struct leen_child_new bad[] = {{.birth_month = "2021-00"}};
  p = (struct leen_household_patch){.add_children = bad, .nadd = 1};
  cr_assert_eq(leen_household_update(db, &vol, a, &p, &h, &err), -1);
  cr_assert_eq(err.code, LEEN_E_INVALID_DATE);
  cr_assert_str_eq(err.field, "/add_children/0/birth_month");
  p = (struct leen_household_patch){.set = LEEN_HOUSEHOLD_SET_LANGUAGE, .language = NULL};
  cr_assert_eq(leen_household_update(db, &vol, a, &p, &h, &err), -1);
  cr_assert_str_eq(err.field, "/language");
  cr_assert_eq(leen_household_update(db, &vol, 99999, &p, &h, &err), -1);
  cr_assert_eq(err.code, LEEN_E_INVALID_FIELD);
  p.language = "nl";
  cr_assert_eq(leen_household_update(db, &vol, 99999, &p, &h, &err), -1);
  cr_assert_eq(err.code, LEEN_E_NOT_FOUND);
  /* nothing changed: still version 1 */
  cr_assert_eq(qint("SELECT version FROM households WHERE number = %lld", (long long)a), 1);
}

Test(household, record_shows_only_whether_and_until_when_reduced)
{
  int64_t n = create("Gezin Hendrickx", NULL, NULL);
  struct leen_actor vol = actor("vol");
  struct leen_household h;
  struct leen_err err;
  /* revoked, expired and not yet started reductions do not count */
  char sql[1024];
  snprintf(sql, sizeof sql,
           "INSERT INTO reductions (org_id, household_id, level, valid_from, valid_until,"
           " reference, issued_by, revoked_at, revoked_by)"
           " SELECT h.org_id, h.id, v.level, current_date + v.f, current_date + v.u, 'SH-1', u.id,"
           "  CASE WHEN v.revoked THEN now() END, CASE WHEN v.revoked THEN u.id END"
           " FROM households h, users u,"
           " (VALUES ('full', -10, 50, true), ('full', -100, -1, false),"
           "         ('full', 1, 300, false)) AS v (level, f, u, revoked)"
           " WHERE h.number = %lld AND u.username = 'sw'",
           (long long)n);
  PQclear(ts_sql(pg, sql, 0, NULL));
  cr_assert_eq(leen_household_get(db, &vol, n, &h, &err), 0, "%s", err.message);
  cr_assert_eq(h.reduction.active, 0);
  cr_assert_str_eq(h.reduction.valid_until, "");
  leen_household_release(&h);

  snprintf(sql, sizeof sql,
           "INSERT INTO reductions (org_id, household_id, level, valid_from, valid_until,"
           " reference, issued_by) SELECT h.org_id, h.id, 'social', current_date - 1,"
           " DATE '2099-06-30', 'SH-2', u.id FROM households h, users u"
           " WHERE h.number = %lld AND u.username = 'sw'",
           (long long)n);
  PQclear(ts_sql(pg, sql, 0, NULL));
  cr_assert_eq(leen_household_get(db, &vol, n, &h, &err), 0, "%s", err.message);
  cr_assert_eq(h.reduction.active, 1);
  cr_assert_str_eq(h.reduction.valid_until, "2099-06-30");
  leen_household_release(&h);
  struct leen_household_query q = {.number = n};
  struct leen_household_list l;
  cr_assert_eq(leen_household_find(db, &vol, &q, &l, &err), 0, "%s", err.message);
  cr_assert_eq(l.n, 1);
  cr_assert_eq(l.items[0].reduction.active, 1);
  cr_assert_str_eq(l.items[0].reduction.valid_until, "2099-06-30");
  leen_household_list_release(&l);
}
