/* Categories and items: code assignment (also under concurrent creates),
 * the code forms a lookup accepts and refuses, lists, edits with
 * versions, the status rules, and who may do what. */
#include <pthread.h>
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
static struct leen_actor admin, coord_fb, coord_bt, volunteer, social;
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

static struct leen_library library(const char *slug, const char *prefix, int64_t loan_days)
{
  struct leen_library_new l;
  leen_library_new_init(&l);
  l.slug = slug;
  l.name = slug;
  l.kind = slug;
  l.code_prefix = prefix;
  l.default_loan_days = loan_days;
  struct leen_library out;
  struct leen_err err;
  cr_assert_eq(leen_library_create(db, &admin, NULL, &l, &out, &err), 0, "%s", err.message);
  return out;
}

static struct leen_category category(const struct leen_actor *a, const char *lib, const char *name,
                                     int64_t deposit)
{
  struct leen_category_new c;
  leen_category_new_init(&c);
  c.library = lib;
  c.name = name;
  c.deposit_cents = deposit;
  struct leen_category out;
  struct leen_err err;
  cr_assert_eq(leen_category_create(db, a, &c, &out, &err), 0, "%s %s", err.message, err.field);
  return out;
}

static void setup(void)
{
  ci = ts_db_create(1);
  struct leen_err err;
  cr_assert_eq(leen_db_open(&db, ci, &err), 0, "%s", err.message);
  pg = ts_connect(ci);
  admin = actor("beheer", LEEN_ROLE_ADMIN);
  fb = library("fietsbieb", "FB", 365);
  bt = library("babytheek", "BT", 90);
  coord_fb = actor("coord-fb", LEEN_ROLE_COORDINATOR);
  coord_fb.libraries[coord_fb.nlibraries++] = fb.id;
  coord_bt = actor("coord-bt", LEEN_ROLE_COORDINATOR);
  coord_bt.libraries[coord_bt.nlibraries++] = bt.id;
  volunteer = actor("vrijwilliger", LEEN_ROLE_VOLUNTEER);
  volunteer.libraries[volunteer.nlibraries++] = fb.id;
  social = actor("sociaal", LEEN_ROLE_SOCIAL_WORKER);
  bike16 = category(&coord_fb, "fietsbieb", "Fiets 16 inch", 2000);
  bike20 = category(&coord_fb, "fietsbieb", "Fiets 20 inch", 2500);
  carseat = category(&coord_bt, "babytheek", "Autostoel 0+", 0);
}

static void teardown(void)
{
  PQfinish(pg);
  leen_db_close(db);
  ts_db_drop(ci);
}

TestSuite(item, .init = setup, .fini = teardown, .timeout = 300);

static struct leen_item make(const struct leen_actor *a, int64_t category_id, const char *name)
{
  struct leen_item_new it;
  leen_item_new_init(&it);
  it.category_id = category_id;
  it.name = name;
  struct leen_item out;
  struct leen_err err;
  cr_assert_eq(leen_item_create(db, a, &it, &out, &err), 0, "%s %s", err.message, err.field);
  return out;
}

/* ---- categories ---- */

Test(item, category_stores_every_field)
{
  const char *components[] = {"bel", "slot", "rem \"achter\" \\ voor"};
  struct leen_category_new c;
  leen_category_new_init(&c);
  c.library = "fietsbieb";
  c.name = "Fiets 24 inch";
  c.deposit_cents = 3000;
  c.loan_days = 180;
  c.components = components;
  c.ncomponents = 3;
  c.min_age_months = 96;
  c.max_age_months = 156;
  c.safety_check = 1;
  struct leen_category out;
  struct leen_err err;
  cr_assert_eq(leen_category_create(db, &coord_fb, &c, &out, &err), 0, "%s", err.message);
  cr_assert_gt(out.id, 0);
  cr_assert_eq(out.library_id, fb.id);
  cr_assert_str_eq(out.library, "fietsbieb");
  cr_assert_str_eq(out.name, "Fiets 24 inch");
  cr_assert_eq(out.deposit_cents, 3000);
  cr_assert_eq(out.loan_days, 180);
  cr_assert_eq(out.ncomponents, 3);
  cr_assert_str_eq(out.components[0], "bel");
  cr_assert_str_eq(out.components[1], "slot");
  cr_assert_str_eq(out.components[2], "rem \"achter\" \\ voor");
  cr_assert_eq(out.min_age_months, 96);
  cr_assert_eq(out.max_age_months, 156);
  cr_assert_eq(out.safety_check, 1);

  struct leen_category got;
  cr_assert_eq(leen_category_get(db, &volunteer, out.id, &got, &err), 0, "%s", err.message);
  cr_assert_eq(memcmp(&got, &out, sizeof got), 0);
  /* defaults: the library's loan days, no age window, nothing to check */
  cr_assert_eq(bike16.loan_days, 365);
  cr_assert_eq(carseat.loan_days, 90);
  cr_assert_eq(bike16.min_age_months, -1);
  cr_assert_eq(bike16.max_age_months, -1);
  cr_assert_eq(bike16.ncomponents, 0);
  cr_assert_eq(bike16.safety_check, 0);
  cr_assert_eq(ts_sql_int(pg, "SELECT count(*) FROM audit WHERE action = 'category.create'"), 4);

  struct leen_category *list;
  size_t n;
  cr_assert_eq(leen_category_list(db, &volunteer, "fietsbieb", &list, &n, &err), 0);
  cr_assert_eq(n, 3);
  cr_assert_str_eq(list[0].name, "Fiets 16 inch");
  cr_assert_str_eq(list[1].name, "Fiets 20 inch");
  cr_assert_str_eq(list[2].name, "Fiets 24 inch");
  cr_assert_eq(list[2].ncomponents, 3);
  cr_assert_str_eq(list[2].components[2], "rem \"achter\" \\ voor");
  free(list);
}

Test(item, category_rules_and_actors)
{
  struct leen_category_new c;
  leen_category_new_init(&c);
  c.library = "fietsbieb";
  c.name = "Fiets 16 inch";
  struct leen_err err;
  cr_assert_eq(leen_category_create(db, &coord_fb, &c, NULL, &err), -1);
  cr_assert_eq(err.code, LEEN_E_CONFLICT);
  cr_assert_str_eq(err.field, "/name");
  /* the same name in another library is another category */
  c.library = "babytheek";
  cr_assert_eq(leen_category_create(db, &coord_bt, &c, NULL, &err), 0, "%s", err.message);

  const char *dup[] = {"bel", "bel"};
  const char *empty[] = {"bel", ""};
  const struct {
    int64_t deposit, loan_days, min_age, max_age;
    const char *const *components;
    size_t ncomponents;
    const char *name;
    enum leen_code code;
    const char *field;
  } bad[] = {
    {-1, LEEN_UNSET, LEEN_UNSET, LEEN_UNSET, NULL, 0, "x", LEEN_E_INVALID_AMOUNT, "/deposit_cents"},
    {0, 0, LEEN_UNSET, LEEN_UNSET, NULL, 0, "x", LEEN_E_INVALID_FIELD, "/loan_days"},
    {0, 3661, LEEN_UNSET, LEEN_UNSET, NULL, 0, "x", LEEN_E_INVALID_FIELD, "/loan_days"},
    {0, LEEN_UNSET, 24, 12, NULL, 0, "x", LEEN_E_INVALID_FIELD, "/max_age_months"},
    {0, LEEN_UNSET, -1, LEEN_UNSET, NULL, 0, "x", LEEN_E_INVALID_FIELD, "/min_age_months"},
    {0, LEEN_UNSET, LEEN_UNSET, 241, NULL, 0, "x", LEEN_E_INVALID_FIELD, "/max_age_months"},
    {0, LEEN_UNSET, LEEN_UNSET, LEEN_UNSET, dup, 2, "x", LEEN_E_INVALID_FIELD, "/components/1"},
    {0, LEEN_UNSET, LEEN_UNSET, LEEN_UNSET, empty, 2, "x", LEEN_E_INVALID_FIELD, "/components/1"},
    {0, LEEN_UNSET, LEEN_UNSET, LEEN_UNSET, NULL, 0, "", LEEN_E_INVALID_FIELD, "/name"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    leen_category_new_init(&c);
    c.library = "fietsbieb";
    c.name = bad[i].name;
    c.deposit_cents = bad[i].deposit;
    c.loan_days = bad[i].loan_days;
    c.min_age_months = bad[i].min_age;
    c.max_age_months = bad[i].max_age;
    c.components = bad[i].components;
    c.ncomponents = bad[i].ncomponents;
    cr_assert_eq(leen_category_create(db, &coord_fb, &c, NULL, &err), -1, "%zu", i);
    cr_assert_eq(err.code, bad[i].code, "%zu: %s", i, err.message);
    cr_assert_str_eq(err.field, bad[i].field, "%zu", i);
  }

  leen_category_new_init(&c);
  c.library = "babytheek";
  c.name = "Kinderwagen";
  cr_assert_eq(leen_category_create(db, &coord_fb, &c, NULL, &err), -1);
  cr_assert_eq(err.code, LEEN_E_FORBIDDEN);
  cr_assert_eq(leen_category_create(db, &volunteer, &c, NULL, &err), -1);
  cr_assert_eq(err.code, LEEN_E_FORBIDDEN);
  c.library = "nergens";
  cr_assert_eq(leen_category_create(db, &admin, &c, NULL, &err), -1);
  cr_assert_eq(err.code, LEEN_E_NOT_FOUND);
  cr_assert_str_eq(err.field, "/library");

  struct leen_category *list;
  size_t n;
  cr_assert_eq(leen_category_list(db, &social, "fietsbieb", &list, &n, &err), -1);
  cr_assert_eq(err.code, LEEN_E_FORBIDDEN);
  struct leen_category got;
  cr_assert_eq(leen_category_get(db, &social, bike16.id, &got, &err), -1);
  cr_assert_eq(err.code, LEEN_E_FORBIDDEN);
  cr_assert_eq(leen_category_get(db, &volunteer, 999999, &got, &err), -1);
  cr_assert_eq(err.code, LEEN_E_NOT_FOUND);
  cr_assert_eq(ts_sql_int(pg, "SELECT count(*) FROM categories"), 4);
}

/* ---- creating items ---- */

Test(item, codes_follow_the_library_prefix_in_order)
{
  struct leen_item_new it;
  leen_item_new_init(&it);
  it.category_id = bike16.id;
  it.name = "Btwin 16 rood";
  it.attributes = "{\"wheel_inch\": 16, \"merk\": \"Btwin\"}";
  it.deposit_cents = 1500;
  it.safety_checked_on = "2026-10-01";
  struct leen_item a;
  struct leen_err err;
  cr_assert_eq(leen_item_create(db, &coord_fb, &it, &a, &err), 0, "%s", err.message);
  cr_assert_str_eq(a.code, "FB0001");
  cr_assert_str_eq(a.library, "fietsbieb");
  cr_assert_eq(a.library_id, fb.id);
  cr_assert_eq(a.category_id, bike16.id);
  cr_assert_str_eq(a.category, "Fiets 16 inch");
  cr_assert_str_eq(a.name, "Btwin 16 rood");
  cr_assert_str_eq(a.attributes, "{\"merk\": \"Btwin\", \"wheel_inch\": 16}");
  cr_assert_str_eq(a.expires_on, "");
  cr_assert_eq(a.deposit_cents, 1500);
  cr_assert_str_eq(a.safety_checked_on, "2026-10-01");
  cr_assert_str_eq(a.status, "available");
  cr_assert_eq(a.reserved_for, 0);
  cr_assert_eq(a.version, 1);
  leen_item_release(&a);

  struct leen_item b = make(&coord_fb, bike20.id, "Puky 20");
  cr_assert_str_eq(b.code, "FB0002");
  cr_assert_str_eq(b.attributes, "{}");
  cr_assert_eq(b.deposit_cents, -1);
  leen_item_release(&b);
  /* the Babytheek counts on its own; an admin may create too */
  leen_item_new_init(&it);
  it.library = "babytheek";
  it.category_id = carseat.id;
  it.name = "Maxi-Cosi Pebble";
  it.expires_on = "2031-06-30";
  cr_assert_eq(leen_item_create(db, &admin, &it, &a, &err), 0, "%s", err.message);
  cr_assert_str_eq(a.code, "BT0001");
  cr_assert_str_eq(a.expires_on, "2031-06-30");
  leen_item_release(&a);
  b = make(&coord_fb, bike16.id, "Btwin 16 blauw");
  cr_assert_str_eq(b.code, "FB0003");
  leen_item_release(&b);

  /* past 9999 the number grows a digit */
  PQclear(ts_sql(pg, "UPDATE libraries SET next_item_number = 9999 WHERE slug = 'fietsbieb'", 0,
                 NULL));
  b = make(&coord_fb, bike16.id, "negen");
  cr_assert_str_eq(b.code, "FB9999");
  leen_item_release(&b);
  b = make(&coord_fb, bike16.id, "tien");
  cr_assert_str_eq(b.code, "FB10000");
  leen_item_release(&b);
  cr_assert_eq(leen_item_get(db, &volunteer, "fb-10000", &b, &err), 0, "%s", err.message);
  cr_assert_str_eq(b.name, "tien");
  leen_item_release(&b);

  cr_assert_eq(ts_sql_int(pg, "SELECT count(*) FROM audit WHERE action = 'item.create'"), 6);
  char sql[200];
  snprintf(sql, sizeof sql,
           "SELECT count(*) FROM audit WHERE action = 'item.create' AND details ="
           " '{\"code\": \"BT0001\", \"category_id\": %lld}'::jsonb AND user_id = %lld",
           (long long)carseat.id, (long long)admin.user_id);
  cr_assert_eq(ts_sql_int(pg, sql), 1);
}

Test(item, create_refuses_bad_input_and_other_people)
{
  struct leen_item_new it;
  struct leen_err err;
  struct leen_item out;
  const struct {
    const char *name, *attributes, *expires_on, *status, *library;
    int64_t category_id, deposit;
    enum leen_code code;
    const char *field;
  } bad[] = {
    {"", NULL, NULL, NULL, NULL, 1, LEEN_UNSET, LEEN_E_INVALID_FIELD, "/name"},
    {"x", NULL, NULL, NULL, NULL, 0, LEEN_UNSET, LEEN_E_INVALID_FIELD, "/category_id"},
    {"x", NULL, NULL, NULL, NULL, 999, LEEN_UNSET, LEEN_E_NOT_FOUND, "/category_id"},
    {"x", "[1, 2]", NULL, NULL, NULL, 1, LEEN_UNSET, LEEN_E_INVALID_FIELD, "/attributes"},
    {"x", "{\"a\": ", NULL, NULL, NULL, 1, LEEN_UNSET, LEEN_E_INVALID_FIELD, "/attributes"},
    {"x", "{\"a\": \"\\u0000\"}", NULL, NULL, NULL, 1, LEEN_UNSET, LEEN_E_INVALID_FIELD,
     "/attributes"},
    {"x", "\"tekst\"", NULL, NULL, NULL, 1, LEEN_UNSET, LEEN_E_INVALID_FIELD, "/attributes"},
    {"x", NULL, "2026-02-29", NULL, NULL, 1, LEEN_UNSET, LEEN_E_INVALID_DATE, "/expires_on"},
    {"x", NULL, "31/12/2030", NULL, NULL, 1, LEEN_UNSET, LEEN_E_INVALID_DATE, "/expires_on"},
    {"x", NULL, NULL, NULL, NULL, 1, -5, LEEN_E_INVALID_AMOUNT, "/deposit_cents"},
    {"x", NULL, NULL, "lost", NULL, 1, LEEN_UNSET, LEEN_E_INVALID_FIELD, "/status"},
    {"x", NULL, NULL, NULL, "babytheek", 1, LEEN_UNSET, LEEN_E_INVALID_FIELD, "/category_id"},
    {"x", NULL, NULL, NULL, "nergens", 1, LEEN_UNSET, LEEN_E_NOT_FOUND, "/library"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    leen_item_new_init(&it);
    it.name = bad[i].name;
    it.attributes = bad[i].attributes;
    it.expires_on = bad[i].expires_on;
    it.status = bad[i].status;
    it.library = bad[i].library;
    it.category_id = bad[i].category_id == 1 ? bike16.id : bad[i].category_id;
    it.deposit_cents = bad[i].deposit;
    cr_assert_eq(leen_item_create(db, &admin, &it, &out, &err), -1, "%zu", i);
    cr_assert_eq(err.code, bad[i].code, "%zu: %s %s", i, leen_code_name(err.code), err.message);
    cr_assert_str_eq(err.field, bad[i].field, "%zu", i);
  }
  char big[LEEN_ITEM_ATTRIBUTES_MAX + 32];
  memset(big, ' ', sizeof big - 1);
  big[0] = '{';
  big[sizeof big - 2] = '}';
  big[sizeof big - 1] = '\0';
  leen_item_new_init(&it);
  it.name = "x";
  it.category_id = bike16.id;
  it.attributes = big;
  cr_assert_eq(leen_item_create(db, &admin, &it, &out, &err), -1);
  cr_assert_str_eq(err.field, "/attributes");

  /* a volunteer cannot create items; a Fietsbieb coordinator not in the Babytheek */
  it.attributes = NULL;
  cr_assert_eq(leen_item_create(db, &volunteer, &it, &out, &err), -1);
  cr_assert_eq(err.code, LEEN_E_FORBIDDEN);
  cr_assert_eq(leen_item_create(db, &social, &it, &out, &err), -1);
  cr_assert_eq(err.code, LEEN_E_FORBIDDEN);
  it.category_id = carseat.id;
  cr_assert_eq(leen_item_create(db, &coord_fb, &it, &out, &err), -1);
  cr_assert_eq(err.code, LEEN_E_FORBIDDEN);
  it.library = "babytheek";
  cr_assert_eq(leen_item_create(db, &coord_fb, &it, &out, &err), -1);
  cr_assert_eq(err.code, LEEN_E_FORBIDDEN);

  cr_assert_eq(ts_sql_int(pg, "SELECT count(*) FROM items"), 0);
  cr_assert_eq(ts_sql_int(pg, "SELECT max(next_item_number) FROM libraries"), 1);
}

struct racer {
  int64_t category_id;
  int n;
  char codes[25][16];
  int failures;
  struct leen_err err;
};

static void *race(void *p)
{
  struct racer *r = p;
  struct leen_db *mine;
  if (leen_db_open(&mine, ci, &r->err) < 0) {
    r->failures = r->n;
    return NULL;
  }
  for (int i = 0; i < r->n; i++) {
    struct leen_item_new it;
    leen_item_new_init(&it);
    it.category_id = r->category_id;
    it.name = "race";
    struct leen_item out;
    if (leen_item_create(mine, &coord_fb, &it, &out, &r->err) < 0) {
      r->failures++;
      continue;
    }
    snprintf(r->codes[i], sizeof r->codes[i], "%s", out.code);
    leen_item_release(&out);
  }
  leen_db_close(mine);
  return NULL;
}

Test(item, concurrent_creates_get_distinct_codes_in_order)
{
  enum { THREADS = 2, EACH = 25 };
  pthread_t t[THREADS];
  struct racer r[THREADS];
  memset(r, 0, sizeof r);
  for (int i = 0; i < THREADS; i++) {
    r[i].category_id = i ? bike20.id : bike16.id;
    r[i].n = EACH;
    pthread_create(&t[i], NULL, race, &r[i]);
  }
  for (int i = 0; i < THREADS; i++) {
    pthread_join(t[i], NULL);
    cr_assert_eq(r[i].failures, 0, "racer %d: %s", i, r[i].err.message);
  }
  /* every code FB0001 .. FB0050 exactly once, each racer's in rising order */
  int seen[THREADS * EACH + 1] = {0};
  for (int i = 0; i < THREADS; i++) {
    int last = 0;
    for (int j = 0; j < EACH; j++) {
      int number = (int)strtol(r[i].codes[j] + 2, NULL, 10);
      cr_assert_eq(strncmp(r[i].codes[j], "FB", 2), 0);
      cr_assert(number >= 1 && number <= THREADS * EACH, "%s", r[i].codes[j]);
      cr_assert_gt(number, last);
      last = number;
      seen[number]++;
    }
  }
  for (int k = 1; k <= THREADS * EACH; k++)
    cr_assert_eq(seen[k], 1, "FB%04d seen %d times", k, seen[k]);
  cr_assert_eq(ts_sql_int(pg, "SELECT count(DISTINCT code) FROM items"), THREADS * EACH);
  cr_assert_eq(ts_sql_int(pg, "SELECT next_item_number FROM libraries WHERE slug = 'fietsbieb'"),
               THREADS * EACH + 1);
  cr_assert_eq(ts_sql_int(pg, "SELECT count(*) FROM items WHERE number = substr(code, 3)::int"),
               THREADS * EACH);
}

/* ---- looking items up ---- */

Test(item, code_forms_accepted)
{
  const struct {
    const char *in, *out;
  } ok[] = {
    {"FB0042", "FB0042"},
    {"fb0042", "FB0042"},
    {"fb-0042", "FB0042"},
    {"FB-0042", "FB0042"},
    {"Fb-0042", "FB0042"},
    {"https://x/i/FB0042", "FB0042"},
    {"http://leen.izegem.be/i/fb-0042", "FB0042"},
    {"HTTPS://leen.izegem.be:8443/i/FB0042", "FB0042"},
    {"  FB0042\r\n", "FB0042"},
    {"\tFB-0042", "FB0042"},
    {"BTFX123456", "BTFX123456"},
    {"b-0001", "B0001"},
    {"FB00042", "FB0042"},
    {"FB10000", "FB10000"},
  };
  for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
    char out[16] = "junk";
    cr_assert_eq(leen_item_code_normalize(ok[i].in, out), 0, "%s", ok[i].in);
    cr_assert_str_eq(out, ok[i].out, "%s", ok[i].in);
  }
}

Test(item, code_forms_refused)
{
  char long_url[400];
  memset(long_url, 'a', sizeof long_url - 1);
  memcpy(long_url, "https://", 8);
  memcpy(long_url + sizeof long_url - 9, "/FB0042", 7);
  long_url[sizeof long_url - 2] = '\0';
  const char *bad[] = {
    "", "   ", "\r\n", "FB", "0042", "FB42", "FB042", "FB1234567", "FB0000", "FBXYZ0042",
    "FB--0042", "FB_0042", "FB 0042", "FB0042x", "FB-", "-0042", "../FB0042", "..\\FB0042",
    "FB0042%00", "%00", "FB%300042", "https://x/i/../FB0042", "https://x/i/FB0042/",
    "https://x/i/FB0042?x=1", "https://x/i/FB0042#top", "ftp://x/i/FB0042", "/i/FB0042",
    "x/FB0042", "https:///FB0042", "https://FB0042", "FB0042\x01", "FB\xc3\xa9" "0042",
    "FB0042\xff", long_url,
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    char out[16] = "junk";
    cr_assert_eq(leen_item_code_normalize(bad[i], out), -1, "\"%s\"", bad[i]);
    cr_assert_str_eq(out, "", "\"%s\"", bad[i]);
  }
  char out[16];
  cr_assert_eq(leen_item_code_normalize(NULL, out), -1);
}

Test(item, get_by_any_code_form)
{
  struct leen_item a = make(&coord_fb, bike16.id, "Btwin 16 rood");
  leen_item_release(&a);
  const char *forms[] = {"FB0001", "fb-0001", "FB-0001", "https://leen.example/i/FB0001",
                         " fb0001\n"};
  struct leen_err err;
  for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
    struct leen_item got;
    cr_assert_eq(leen_item_get(db, &volunteer, forms[i], &got, &err), 0, "%s: %s", forms[i],
                 err.message);
    cr_assert_str_eq(got.code, "FB0001");
    cr_assert_str_eq(got.library, "fietsbieb");
    cr_assert_str_eq(got.category, "Fiets 16 inch");
    leen_item_release(&got);
  }
  struct leen_item got;
  cr_assert_eq(leen_item_get(db, &volunteer, "FB0002", &got, &err), -1);
  cr_assert_eq(err.code, LEEN_E_NOT_FOUND);
  cr_assert_str_eq(err.field, "/code");
  cr_assert_str_eq(err.message, "no item \"FB0002\"");
  cr_assert_eq(leen_item_get(db, &volunteer, "../FB0001", &got, &err), -1);
  cr_assert_eq(err.code, LEEN_E_INVALID_FIELD);
  cr_assert_str_eq(err.field, "/code");
  cr_assert_eq(leen_item_get(db, &social, "FB0001", &got, &err), -1);
  cr_assert_eq(err.code, LEEN_E_FORBIDDEN);
  /* a Babytheek coordinator may look a Fietsbieb item up */
  cr_assert_eq(leen_item_get(db, &coord_bt, "FB0001", &got, &err), 0);
  leen_item_release(&got);
}

Test(item, list_filters_and_pages)
{
  for (int i = 0; i < 5; i++) {
    struct leen_item a = make(&coord_fb, i % 2 ? bike20.id : bike16.id, "fiets");
    leen_item_release(&a);
  }
  struct leen_item b = make(&coord_bt, carseat.id, "autostoel");
  leen_item_release(&b);
  PQclear(ts_sql(pg, "UPDATE items SET status = 'in_repair' WHERE code IN ('FB0002', 'FB0005')", 0,
                 NULL));

  struct leen_item_query q = {.limit = 2};
  struct leen_item_list page;
  struct leen_err err;
  char codes[256] = "";
  size_t len = 0;
  int pages = 0;
  do {
    cr_assert_eq(leen_item_list(db, &volunteer, &q, &page, &err), 0, "%s", err.message);
    cr_assert_leq(page.n, 2);
    for (size_t i = 0; i < page.n; i++)
      len += (size_t)snprintf(codes + len, sizeof codes - len, "%s ", page.items[i].code);
    q.after = page.next_after;
    pages++;
    leen_item_list_release(&page);
  } while (q.after);
  cr_assert_str_eq(codes, "FB0001 FB0002 FB0003 FB0004 FB0005 BT0001 ");
  cr_assert_eq(pages, 3);

  const struct {
    const char *library;
    int64_t category;
    const char *status;
    const char *want;
  } filters[] = {
    {"fietsbieb", 0, NULL, "FB0001 FB0002 FB0003 FB0004 FB0005 "},
    {"babytheek", 0, NULL, "BT0001 "},
    {NULL, 0, "in_repair", "FB0002 FB0005 "},
    {NULL, 0, "lost", ""},
    {"fietsbieb", 0, "available", "FB0001 FB0003 FB0004 "},
    {NULL, 1, NULL, "FB0001 FB0003 FB0005 "},
    {"fietsbieb", 2, "in_repair", "FB0002 "},
  };
  for (size_t i = 0; i < sizeof filters / sizeof filters[0]; i++) {
    struct leen_item_query f = {.library = filters[i].library,
                                .category_id = filters[i].category ? (filters[i].category == 1
                                                                          ? bike16.id
                                                                          : bike20.id)
                                                                    : 0,
                                .status = filters[i].status};
    cr_assert_eq(leen_item_list(db, &volunteer, &f, &page, &err), 0, "%s", err.message);
    len = 0;
    codes[0] = '\0';
    for (size_t k = 0; k < page.n; k++)
      len += (size_t)snprintf(codes + len, sizeof codes - len, "%s ", page.items[k].code);
    cr_assert_str_eq(codes, filters[i].want, "filter %zu", i);
    cr_assert_eq(page.next_after, 0);
    leen_item_list_release(&page);
  }

  struct leen_item_query badq = {.status = "weg"};
  cr_assert_eq(leen_item_list(db, &volunteer, &badq, &page, &err), -1);
  cr_assert_eq(err.code, LEEN_E_INVALID_FIELD);
  cr_assert_str_eq(err.field, "/status");
  badq = (struct leen_item_query){.library = "nergens"};
  cr_assert_eq(leen_item_list(db, &volunteer, &badq, &page, &err), -1);
  cr_assert_eq(err.code, LEEN_E_NOT_FOUND);
  cr_assert_str_eq(err.field, "/library");
  badq = (struct leen_item_query){.limit = 501};
  cr_assert_eq(leen_item_list(db, &volunteer, &badq, &page, &err), -1);
  cr_assert_str_eq(err.field, "/limit");
  badq = (struct leen_item_query){0};
  cr_assert_eq(leen_item_list(db, &social, &badq, &page, &err), -1);
  cr_assert_eq(err.code, LEEN_E_FORBIDDEN);
}
