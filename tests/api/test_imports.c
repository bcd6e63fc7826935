/* The bulk import routes over HTTP: POST /v1/imports/items and
 * /v1/imports/households. A batch is one transaction; a row is created,
 * found unchanged by its source id, or refused with a pointer into the
 * body; dry runs and strict batches roll back; roles and the library are
 * checked; an Idempotency-Key replays the first answer. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "at.h"

#define J(...) #__VA_ARGS__
#define ITEMS "/v1/imports/items"
#define HOUSEHOLDS "/v1/imports/households"

static struct at_env env;

static void setup(void)
{
  at_setup(&env, NULL, 0);
  PGconn *c = ts_connect(env.ci);
  PQclear(ts_sql(c,
                 "INSERT INTO categories (library_id, name, loan_days, deposit_cents)"
                 " SELECT id, 'Fiets 16 inch', 365, 2000 FROM libraries WHERE slug = 'fietsbieb'",
                 0, NULL));
  PQfinish(c);
}

static void teardown(void) { at_teardown(&env); }

TestSuite(imports, .init = setup, .fini = teardown, .timeout = 120);

/* The token of who, logging in on first use (a login hashes a password). */
static const char *token(enum at_who who)
{
  if (who != AT_NONE && !env.token[who])
    env.token[who] = at_login(&env, at_username(who), AT_PASSWORD);
  return env.token[who];
}

static long long sql_int(const char *sql)
{
  PGconn *c = ts_connect(env.ci);
  long long v = ts_sql_int(c, sql);
  PQfinish(c);
  return v;
}

static char *sql_text(const char *sql)
{
  PGconn *c = ts_connect(env.ci);
  char *v = ts_sql_value(c, sql);
  PQfinish(c);
  return v;
}

/* POSTs body to path as who and asserts the status. */
static void post(const char *path, enum at_who who, const char *body, const char *const *headers,
                 long status, struct ts_http *h)
{
  at_call(&env, "POST", path, token(who), body, headers, h);
  cr_assert_eq(h->status, status, "POST %s as %s: %ld, expected %ld: %s", path,
               at_username(who), h->status, status, h->body);
}

static const cJSON *row(const struct ts_http *h, int i)
{
  const cJSON *r = cJSON_GetArrayItem(cJSON_GetObjectItem(h->json, "rows"), i);
  cr_assert(r, "no row %d in %s", i, h->body);
  return r;
}

/* The answer's counts and flags as one string: "created/unchanged/errors
 * dry_run committed". */
static void expect_counts(const struct ts_http *h, const char *want)
{
  char got[96];
  snprintf(got, sizeof got, "%d/%d/%d %s %s", (int)at_num(h->json, "created"),
           (int)at_num(h->json, "unchanged"), (int)at_num(h->json, "errors"),
           cJSON_IsTrue(cJSON_GetObjectItem(h->json, "dry_run")) ? "dry" : "real",
           cJSON_IsTrue(cJSON_GetObjectItem(h->json, "committed")) ? "committed" : "rolled-back");
  cr_assert_str_eq(got, want, "%s", h->body);
}

/* Row i was refused with code at pointer. */
static void expect_row_error(const struct ts_http *h, int i, const char *code, const char *pointer)
{
  const cJSON *r = row(h, i);
  cr_assert_str_eq(at_str(r, "result"), "error", "row %d: %s", i, h->body);
  const cJSON *e = cJSON_GetObjectItem(r, "error");
  cr_assert_str_eq(at_str(e, "code"), code, "row %d: %s", i, h->body);
  cr_assert_str_eq(at_str(e, "pointer"), pointer, "row %d: %s", i, h->body);
  cr_assert(at_str(e, "detail")[0], "row %d has no detail", i);
}

static const char three[] = J({
  "library": "fietsbieb", "rows": [
    {"line": 2, "external_id": "MT-1", "name": "Btwin 16 rood", "category": "Fiets 16 inch",
     "status": "available", "attributes": {"brand": "Btwin", "replacement_cost_cents": 5101}},
    {"line": 3, "external_id": "MT-2", "name": "Woom 2", "category": "Loopfietsen",
     "status": "in_repair", "loan_days": 180, "deposit_cents": 1500, "expires_on": "2030-01-31"},
    {"line": 5, "external_id": "MT-3", "name": "Woom 3", "category": "Loopfietsen"}]});

Test(imports, items_created_then_unchanged)
{
  struct ts_http h;
  post(ITEMS, AT_COORDINATOR, three, NULL, 200, &h);
  expect_counts(&h, "3/0/0 real committed");
  const cJSON *cats = cJSON_GetObjectItem(h.json, "categories_created");
  cr_assert_eq(cJSON_GetArraySize(cats), 1, "%s", h.body);
  cr_assert_str_eq(cJSON_GetArrayItem(cats, 0)->valuestring, "Loopfietsen");
  static const char *const codes[] = {"FB0001", "FB0002", "FB0003"};
  static const char *const ids[] = {"MT-1", "MT-2", "MT-3"};
  static const int lines[] = {2, 3, 5};
  for (int i = 0; i < 3; i++) {
    cr_assert_str_eq(at_str(row(&h, i), "result"), "created");
    cr_assert_str_eq(at_str(row(&h, i), "code"), codes[i]);
    cr_assert_str_eq(at_str(row(&h, i), "external_id"), ids[i]);
    cr_assert_eq(at_num(row(&h, i), "line"), lines[i]);
  }
  ts_http_release(&h);

  /* what was stored: status, deposit, dates, attributes, the new category's loan days */
  char *got = sql_text("SELECT string_agg(concat_ws(' ', i.code, i.external_id, c.name, i.status,"
                       " coalesce(i.deposit_cents, -1), coalesce(i.expires_on::text, '-'),"
                       " i.attributes->>'brand', c.loan_days), '; ' ORDER BY i.code)"
                       " FROM items i JOIN categories c ON c.id = i.category_id");
  cr_assert_str_eq(got, "FB0001 MT-1 Fiets 16 inch available -1 - Btwin 365; "
                        "FB0002 MT-2 Loopfietsen in_repair 1500 2030-01-31 180; "
                        "FB0003 MT-3 Loopfietsen available -1 - 180");
  free(got);
  cr_assert_eq(sql_int("SELECT (attributes->>'replacement_cost_cents')::int FROM items"
                       " WHERE code = 'FB0001'"),
               5101);
  /* audited like items made one by one, and the batch itself */
  cr_assert_eq(sql_int("SELECT count(*) FROM audit WHERE action = 'item.create'"), 3);
  cr_assert_eq(sql_int("SELECT count(*) FROM audit WHERE action = 'category.create'"), 1);
  cr_assert_eq(sql_int("SELECT count(*) FROM audit a JOIN libraries l ON l.id::text = a.entity_id"
                       " WHERE a.action = 'import.items' AND a.entity = 'library'"
                       " AND l.slug = 'fietsbieb' AND (a.details->>'created')::int = 3"),
               1);

  /* the same rows again change nothing and name the same items */
  post(ITEMS, AT_COORDINATOR, three, NULL, 200, &h);
  expect_counts(&h, "0/3/0 real committed");
  cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(h.json, "categories_created")), 0);
  for (int i = 0; i < 3; i++) {
    cr_assert_str_eq(at_str(row(&h, i), "result"), "unchanged");
    cr_assert_str_eq(at_str(row(&h, i), "code"), codes[i]);
  }
  ts_http_release(&h);
  cr_assert_eq(sql_int("SELECT count(*) FROM items"), 3);
  cr_assert_eq(sql_int("SELECT count(*) FROM categories"), 2);
  cr_assert_eq(sql_int("SELECT count(*) FROM audit WHERE action = 'item.create'"), 3);

  /* a source id is per library: the Babytheek may have its own MT-1 */
  post(ITEMS, AT_ADMIN, J({"library": "babytheek", "rows": [{"external_id": "MT-1",
                                                            "name": "Maxi-Cosi"}]}),
       NULL, 200, &h);
  expect_counts(&h, "1/0/0 real committed");
  cr_assert_str_eq(at_str(row(&h, 0), "code"), "BT0001");
  /* a row without a category lands in the default one */
  cats = cJSON_GetObjectItem(h.json, "categories_created");
  cr_assert_str_eq(cJSON_GetArrayItem(cats, 0)->valuestring, "Zonder categorie");
  cr_assert(cJSON_IsNull(cJSON_GetObjectItem(row(&h, 0), "line")));
  ts_http_release(&h);
}

Test(imports, dry_run_rolls_back)
{
  char body[2048];
  snprintf(body, sizeof body, "{\"dry_run\": true, %s", three + 1);
  struct ts_http h;
  post(ITEMS, AT_COORDINATOR, body, NULL, 200, &h);
  expect_counts(&h, "3/0/0 dry rolled-back");
  cr_assert_str_eq(cJSON_GetArrayItem(cJSON_GetObjectItem(h.json, "categories_created"), 0)
                       ->valuestring,
                   "Loopfietsen");
  cr_assert_str_eq(at_str(row(&h, 2), "code"), "FB0003");
  ts_http_release(&h);
  cr_assert_eq(sql_int("SELECT count(*) FROM items"), 0);
  cr_assert_eq(sql_int("SELECT count(*) FROM categories"), 1);
  cr_assert_eq(
      sql_int("SELECT count(*) FROM audit WHERE entity IN ('item', 'category', 'library')"), 0);
  /* nothing was used up: the real run gives the codes the dry run showed */
  post(ITEMS, AT_COORDINATOR, three, NULL, 200, &h);
  expect_counts(&h, "3/0/0 real committed");
  cr_assert_str_eq(at_str(row(&h, 2), "code"), "FB0003");
  ts_http_release(&h);
}

static const char mixed[] = J({
  "library": "fietsbieb", "rows": [
    {"line": 2, "name": "zonder id"},
    {"line": 3, "external_id": "B", "name": "Kleur", "colour": "rood"},
    {"line": 4, "external_id": "C", "name": "Uitgeleend", "status": "on_loan"},
    {"line": 5, "external_id": "D", "name": "Halve cent", "deposit_cents": 1.5},
    {"line": 6, "external_id": "E", "name": "Geen dag", "expires_on": "2030-02-30"},
    {"line": 7, "external_id": "F", "name": "Goed", "category": "Fiets 16 inch"},
    {"line": 8, "external_id": "F", "name": "Dubbel"},
    "geen rij",
    {"line": 10, "external_id": "G", "name": "Onbekend", "status": "zoek"},
    {"line": 11, "external_id": "H", "name": "Te lang", "loan_days": 0},
    {"line": 12, "external_id": "I", "name": "Ook goed", "category": "Nieuw"}]});

static void expect_mixed_errors(const struct ts_http *h)
{
  expect_row_error(h, 0, "invalid_field", "/rows/0/external_id");
  expect_row_error(h, 1, "unknown_field", "/rows/1/colour");
  expect_row_error(h, 2, "invalid_field", "/rows/2/status");
  expect_row_error(h, 3, "invalid_amount", "/rows/3/deposit_cents");
  expect_row_error(h, 4, "invalid_date", "/rows/4/expires_on");
  expect_row_error(h, 6, "invalid_field", "/rows/6/external_id");
  expect_row_error(h, 7, "invalid_field", "/rows/7");
  expect_row_error(h, 8, "invalid_field", "/rows/8/status");
  expect_row_error(h, 9, "invalid_field", "/rows/9/loan_days");
  cr_assert(cJSON_IsNull(cJSON_GetObjectItem(row(h, 0), "external_id")));
  cr_assert(cJSON_IsNull(cJSON_GetObjectItem(row(h, 7), "line")));
  cr_assert_eq(at_num(row(h, 8), "line"), 10);
}

Test(imports, bad_rows_are_reported_and_the_good_ones_kept)
{
  struct ts_http h;
  post(ITEMS, AT_COORDINATOR, mixed, NULL, 200, &h);
  expect_counts(&h, "2/0/9 real committed");
  expect_mixed_errors(&h);
  cr_assert_str_eq(at_str(row(&h, 5), "result"), "created");
  cr_assert_str_eq(at_str(row(&h, 5), "code"), "FB0001");
  cr_assert_str_eq(at_str(row(&h, 10), "code"), "FB0002");
  ts_http_release(&h);
  cr_assert_eq(sql_int("SELECT count(*) FROM items"), 2);
  cr_assert_eq(sql_int("SELECT count(*) FROM items WHERE external_id IN ('F', 'I')"), 2);
}

Test(imports, strict_keeps_nothing_when_a_row_is_bad)
{
  char body[4096];
  snprintf(body, sizeof body, "{\"strict\": true, %s", mixed + 1);
  struct ts_http h;
  post(ITEMS, AT_COORDINATOR, body, NULL, 200, &h);
  expect_counts(&h, "2/0/9 real rolled-back");
  expect_mixed_errors(&h);
  ts_http_release(&h);
  cr_assert_eq(sql_int("SELECT count(*) FROM items"), 0);
  cr_assert_eq(sql_int("SELECT count(*) FROM categories"), 1);

  snprintf(body, sizeof body, "{\"strict\": true, %s", three + 1);
  post(ITEMS, AT_COORDINATOR, body, NULL, 200, &h);
  expect_counts(&h, "3/0/0 real committed");
  ts_http_release(&h);
  cr_assert_eq(sql_int("SELECT count(*) FROM items"), 3);
}

Test(imports, the_batch_itself_is_checked)
{
  struct ts_http h;
  post(ITEMS, AT_COORDINATOR, "{}", NULL, 422, &h);
  cr_assert_str_eq(at_code(&h), "invalid_field");
  ts_http_release(&h);
  post(ITEMS, AT_COORDINATOR, J({"library": "fietsbieb", "rows": []}), NULL, 422, &h);
  cr_assert(strstr(h.body, "\"/rows\""), "%s", h.body);
  ts_http_release(&h);
  post(ITEMS, AT_COORDINATOR, J({"library": "nergens", "rows": [{"external_id": "A",
                                                               "name": "B"}]}),
       NULL, 404, &h);
  cr_assert_str_eq(at_code(&h), "not_found");
  ts_http_release(&h);
  post(ITEMS, AT_COORDINATOR, J({"library": "fietsbieb", "dry_run": 1, "rows": [{}]}), NULL, 422,
       &h);
  cr_assert(strstr(h.body, "\"/dry_run\""), "%s", h.body);
  ts_http_release(&h);

  /* 101 rows are too many; 100 rows of 5 KiB each (far over the 64 KiB
   * other routes take) are fine */
  char desc[5001];
  memset(desc, 'x', 5000);
  desc[5000] = '\0';
  for (int rows = 101; rows >= 100; rows--) {
    size_t cap = (size_t)rows * 5200 + 100, n = 0;
    char *body = malloc(cap);
    n += (size_t)snprintf(body + n, cap - n, "{\"library\": \"fietsbieb\", \"rows\": [");
    for (int i = 0; i < rows; i++)
      n += (size_t)snprintf(body + n, cap - n,
                            "%s{\"external_id\": \"X%d\", \"name\": \"Fiets %d\","
                            " \"attributes\": {\"description\": \"%s\"}}",
                            i ? "," : "", i, i, desc);
    snprintf(body + n, cap - n, "]}");
    post(ITEMS, AT_COORDINATOR, body, NULL, rows == 101 ? 422 : 200, &h);
    if (rows == 100)
      expect_counts(&h, "100/0/0 real committed");
    ts_http_release(&h);
    free(body);
  }
  cr_assert_eq(sql_int("SELECT count(*) FROM items"), 100);
  /* past the import routes' own limit (1 MiB) */
  size_t big = 1100 * 1024;
  char *body = malloc(big + 1);
  int n = snprintf(body, big, "{\"library\": \"fietsbieb\", \"rows\": [{\"external_id\": \"Y\","
                              " \"name\": \"Y\", \"attributes\": {\"d\": \"");
  memset(body + n, 'y', big - (size_t)n - 8);
  snprintf(body + big - 8, 9, "\"}}]}   ");
  post(ITEMS, AT_COORDINATOR, body, NULL, 413, &h);
  cr_assert_str_eq(at_code(&h), "payload_too_large");
  ts_http_release(&h);
  free(body);
}

Test(imports, roles)
{
  struct ts_http h;
  /* volunteers cannot import items; a coordinator only into their library */
  post(ITEMS, AT_VOLUNTEER, three, NULL, 403, &h);
  cr_assert_str_eq(at_code(&h), "forbidden");
  ts_http_release(&h);
  post(ITEMS, AT_COORDINATOR,
       J({"library": "babytheek", "rows": [{"external_id": "A", "name": "Box"}]}), NULL, 403,
       &h);
  cr_assert_str_eq(at_code(&h), "forbidden");
  ts_http_release(&h);
  /* even a batch whose every row is bad */
  post(ITEMS, AT_COORDINATOR, J({"library": "babytheek", "rows": [{"name": "Box"}]}), NULL, 403,
       &h);
  ts_http_release(&h);
  post(ITEMS, AT_SOCIAL_WORKER, three, NULL, 403, &h);
  ts_http_release(&h);
  at_call(&env, "POST", ITEMS, NULL, three, NULL, &h);
  cr_assert_eq(h.status, 401);
  ts_http_release(&h);
  cr_assert_eq(sql_int("SELECT count(*) FROM items"), 0);
  /* households: volunteers too, social workers not */
  const char *one = J({"rows": [{"external_id": "H1", "name": "Gezin Peeters"}]});
  post(HOUSEHOLDS, AT_SOCIAL_WORKER, one, NULL, 403, &h);
  ts_http_release(&h);
  post(HOUSEHOLDS, AT_VOLUNTEER, one, NULL, 200, &h);
  expect_counts(&h, "1/0/0 real committed");
  ts_http_release(&h);
  post(HOUSEHOLDS, AT_ADMIN, one, NULL, 200, &h);
  expect_counts(&h, "0/1/0 real committed");
  ts_http_release(&h);
}

Test(imports, idempotent_replay)
{
  const char *key[] = {"Idempotency-Key: import-batch-1", NULL};
  struct ts_http h, again;
  post(ITEMS, AT_COORDINATOR, three, key, 200, &h);
  expect_counts(&h, "3/0/0 real committed");
  post(ITEMS, AT_COORDINATOR, three, key, 200, &again);
  /* the first answer, not a second run's "unchanged" */
  cr_assert_str_eq(again.body, h.body);
  char *replayed = ts_header(&again, "Idempotent-Replayed");
  cr_assert(replayed && strcmp(replayed, "true") == 0);
  free(replayed);
  ts_http_release(&again);
  ts_http_release(&h);
  cr_assert_eq(sql_int("SELECT count(*) FROM audit WHERE action = 'import.items'"), 1);
  char body[2048];
  snprintf(body, sizeof body, "{\"dry_run\": true, %s", three + 1);
  post(ITEMS, AT_COORDINATOR, body, key, 422, &h);
  cr_assert_str_eq(at_code(&h), "idempotency_mismatch");
  ts_http_release(&h);
  cr_assert_eq(sql_int("SELECT count(*) FROM items"), 3);
}

Test(imports, households)
{
  const char *batch = J({"rows": [
    {"line": 2, "external_id": "H1", "name": "Gezin Peeters", "email": "an@example.be",
     "postcode": "8870", "language": "nl",
     "children": [{"first_name": "Lien", "birth_month": "2020-05"}, {"birth_month": "2022-01"}]},
    {"line": 3, "external_id": "H2", "name": "Gezin Janssens", "language": "fr", "children": []},
    {"line": 4, "external_id": "H3", "name": "Gezin Fout", "postcode": "123"},
    {"line": 5, "external_id": "H4", "name": "Gezin Taal", "language": "xx"},
    {"line": 6, "external_id": "H5", "name": "Gezin Kind",
     "children": [{"birth_month": "2020-13"}]},
    {"line": 7, "external_id": "H6", "name": "Gezin Mail", "email": "geen-mail"}]});
  struct ts_http h;
  post(HOUSEHOLDS, AT_VOLUNTEER, batch, NULL, 200, &h);
  expect_counts(&h, "2/0/4 real committed");
  int64_t first = (int64_t)at_num(row(&h, 0), "number");
  cr_assert_gt(first, 0);
  cr_assert_eq((int64_t)at_num(row(&h, 1), "number"), first + 1);
  cr_assert_null(cJSON_GetObjectItem(row(&h, 0), "code"));
  expect_row_error(&h, 2, "invalid_field", "/rows/2/postcode");
  expect_row_error(&h, 3, "invalid_field", "/rows/3/language");
  expect_row_error(&h, 4, "invalid_date", "/rows/4/children/0/birth_month");
  expect_row_error(&h, 5, "invalid_field", "/rows/5/email");
  ts_http_release(&h);
  char *got = sql_text("SELECT string_agg(concat_ws(' ', h.external_id, h.name, h.language,"
                       " (SELECT string_agg(coalesce(c.first_name, '-') || ':' ||"
                       "  to_char(c.birth_month, 'YYYY-MM'), ',' ORDER BY c.id)"
                       "  FROM children c WHERE c.household_id = h.id)), '; ' ORDER BY h.number)"
                       " FROM households h");
  cr_assert_str_eq(got, "H1 Gezin Peeters nl Lien:2020-05,-:2022-01; H2 Gezin Janssens fr");
  free(got);
  cr_assert_eq(sql_int("SELECT count(*) FROM audit WHERE action = 'create'"
                       " AND entity = 'household'"),
               2);
  cr_assert_eq(sql_int("SELECT count(*) FROM audit WHERE action = 'import.households'"
                       " AND entity = 'org'"),
               1);

  /* again: the same households, the same numbers, nothing new */
  post(HOUSEHOLDS, AT_VOLUNTEER, batch, NULL, 200, &h);
  expect_counts(&h, "0/2/4 real committed");
  cr_assert_eq((int64_t)at_num(row(&h, 0), "number"), first);
  ts_http_release(&h);
  cr_assert_eq(sql_int("SELECT count(*) FROM households"), 2);

  /* a dry run of new ones leaves nothing behind */
  post(HOUSEHOLDS, AT_VOLUNTEER,
       J({"dry_run": true, "rows": [{"external_id": "H9", "name": "Gezin Proef"}]}), NULL, 200,
       &h);
  expect_counts(&h, "1/0/0 dry rolled-back");
  ts_http_release(&h);
  cr_assert_eq(sql_int("SELECT count(*) FROM households"), 2);
}

/* Two imports of the same rows at the same moment: each row is made once,
 * and the other batch finds it (no unique-key error for either). */
struct racer {
  const char *body;
  char auth[256], url[256];
  pthread_barrier_t *start;
  long status;
  int created, unchanged, errors;
};

/* Runs on its own thread: no cr_assert here. */
static void *race(void *arg)
{
  struct racer *x = arg;
  const char *headers[] = {"Content-Type: application/json", x->auth, NULL};
  struct ts_http h;
  pthread_barrier_wait(x->start);
  x->status = ts_request("POST", x->url, x->body, headers, &h) == 0 ? h.status : -1;
  if (x->status == 200) {
    x->created = (int)cJSON_GetObjectItem(h.json, "created")->valuedouble;
    x->unchanged = (int)cJSON_GetObjectItem(h.json, "unchanged")->valuedouble;
    x->errors = (int)cJSON_GetObjectItem(h.json, "errors")->valuedouble;
  }
  ts_http_release(&h);
  return NULL;
}

Test(imports, concurrent_batches_make_each_row_once)
{
  enum { ROUNDS = 5, ROWS = 20 };
  for (int round = 0; round < ROUNDS; round++) {
    char body[4096];
    size_t n = (size_t)snprintf(body, sizeof body, "{\"library\": \"fietsbieb\", \"rows\": [");
    for (int i = 0; i < ROWS; i++)
      n += (size_t)snprintf(body + n, sizeof body - n,
                            "%s{\"external_id\": \"R%d-%d\", \"name\": \"Fiets\","
                            " \"category\": \"Ronde %d\"}",
                            i ? "," : "", round, i, round);
    snprintf(body + n, sizeof body - n, "]}");
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, 2);
    struct racer x[2];
    pthread_t t[2];
    for (int k = 0; k < 2; k++) {
      memset(&x[k], 0, sizeof x[k]);
      x[k].body = body;
      x[k].start = &start;
      snprintf(x[k].auth, sizeof x[k].auth, "Authorization: Bearer %s",
               token(k ? AT_ADMIN : AT_COORDINATOR));
      snprintf(x[k].url, sizeof x[k].url, "%s%s", env.api.url, ITEMS);
      pthread_create(&t[k], NULL, race, &x[k]);
    }
    for (int k = 0; k < 2; k++)
      pthread_join(t[k], NULL);
    pthread_barrier_destroy(&start);
    for (int k = 0; k < 2; k++)
      cr_assert_eq(x[k].status, 200, "round %d, batch %d: %ld", round, k, x[k].status);
    cr_assert_eq(x[0].created + x[1].created, ROWS, "round %d", round);
    cr_assert_eq(x[0].unchanged + x[1].unchanged, ROWS, "round %d", round);
    cr_assert_eq(x[0].errors + x[1].errors, 0, "round %d", round);
  }
  cr_assert_eq(sql_int("SELECT count(*) FROM items"), ROUNDS * ROWS);
  cr_assert_eq(sql_int("SELECT count(*) FROM categories WHERE name LIKE 'Ronde %'"), ROUNDS);
}
