/* /v1/items over HTTP: the paged list with its filters, one item by its
 * code in every form people and scanners give it, create (coordinator of
 * the item's library) and PATCH with If-Match. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "at.h"

#define J(...) #__VA_ARGS__

static struct at_env env;
static long long cat_fb, cat_fb2, cat_bt; /* category ids */

/* Runs statements separated by ";" (none of them holds one in a literal):
 * ts_sql takes one statement at a time. */
static void sql_run(const char *sql)
{
  PGconn *c = ts_connect(env.ci);
  for (const char *p = sql; *p;) {
    size_t n = strcspn(p, ";");
    char *one = strndup(p, n);
    cr_assert(one);
    PQclear(ts_sql(c, one, 0, NULL));
    free(one);
    p += n + (p[n] ? 1 : 0);
  }
  PQfinish(c);
}

static long long sql_int(const char *sql)
{
  PGconn *c = ts_connect(env.ci);
  long long v = ts_sql_int(c, sql);
  PQfinish(c);
  return v;
}

/* Two Fietsbieb categories with FB0001..FB0003, a Babytheek one with BT0001. */
static void setup(void)
{
  at_setup(&env, NULL, 0);
  sql_run("INSERT INTO categories (library_id, name, loan_days, deposit_cents)"
          " SELECT id, 'Fiets 16 inch', 365, 2000 FROM libraries WHERE slug = 'fietsbieb';"
          "INSERT INTO categories (library_id, name, loan_days)"
          " SELECT id, 'Loopfiets', 365 FROM libraries WHERE slug = 'fietsbieb';"
          "INSERT INTO categories (library_id, name, loan_days, safety_check)"
          " SELECT id, 'Autostoel', 90, true FROM libraries WHERE slug = 'babytheek';"
          "INSERT INTO items (library_id, category_id, number, code, name, attributes)"
          " SELECT c.library_id, c.id, n, 'FB' || lpad(n::text, 4, '0'), 'Btwin 16 nr ' || n,"
          " '{\"wheel_inch\": 16}' FROM categories c, generate_series(1, 3) n"
          " WHERE c.name = 'Fiets 16 inch';"
          "UPDATE items SET category_id = (SELECT id FROM categories WHERE name = 'Loopfiets'),"
          " status = 'in_repair' WHERE code = 'FB0003';"
          "INSERT INTO items (library_id, category_id, number, code, name, expires_on)"
          " SELECT c.library_id, c.id, 1, 'BT0001', 'Maxi-Cosi Pebble', '2030-06-30'"
          " FROM categories c WHERE c.name = 'Autostoel';"
          "UPDATE libraries SET next_item_number = 4 WHERE slug = 'fietsbieb';"
          "UPDATE libraries SET next_item_number = 2 WHERE slug = 'babytheek'");
  cat_fb = sql_int("SELECT id FROM categories WHERE name = 'Fiets 16 inch'");
  cat_fb2 = sql_int("SELECT id FROM categories WHERE name = 'Loopfiets'");
  cat_bt = sql_int("SELECT id FROM categories WHERE name = 'Autostoel'");
}

static void teardown(void) { at_teardown(&env); }

TestSuite(items, .init = setup, .fini = teardown, .timeout = 120);

/* The token of who, logging in on first use: a login costs a password hash
 * on purpose, so a test pays only for the callers it uses. */
static const char *token(enum at_who who)
{
  if (who != AT_NONE && !env.token[who])
    env.token[who] = at_login(&env, at_username(who), AT_PASSWORD);
  return env.token[who];
}

static void call(const char *method, const char *path, enum at_who who, const char *body,
                 const char *const *headers, struct ts_http *h)
{
  at_call(&env, method, path, token(who), body, headers, h);
}

static void expect(const char *method, const char *path, enum at_who who, const char *body,
                   const char *const *headers, long status, const char *code, const char *pointer)
{
  struct ts_http h;
  call(method, path, who, body, headers, &h);
  cr_assert_eq(h.status, status, "%s %s as %s: %ld, expected %ld: %s", method, path,
               who == AT_NONE ? "nobody" : at_username(who), h.status, status, h.body);
  if (code)
    cr_assert_str_eq(at_code(&h), code, "%s %s: %s", method, path, h.body);
  if (pointer) {
    cJSON *e = cJSON_GetArrayItem(cJSON_GetObjectItem(h.json, "errors"), 0);
    const char *key = pointer[0] == '?' ? "parameter" : "pointer";
    cJSON *got = cJSON_GetObjectItem(e, key);
    cr_assert(cJSON_IsString(got), "no %s in %s", key, h.body);
    cr_assert_str_eq(got->valuestring, pointer[0] == '?' ? pointer + 1 : pointer, "%s", h.body);
  }
  ts_http_release(&h);
}

/* The codes of a list answer, comma separated, and its next_cursor. */
static char *codes(const char *path, char *cursor, size_t cursor_size)
{
  struct ts_http h;
  call("GET", path, AT_VOLUNTEER, NULL, NULL, &h);
  cr_assert_eq(h.status, 200, "%s: %s", path, h.body);
  char buf[256] = "";
  size_t n = 0;
  cJSON *it;
  cJSON_ArrayForEach(it, cJSON_GetObjectItem(h.json, "items"))
  {
    int w = snprintf(buf + n, sizeof buf - n, "%s%s", n ? "," : "", at_str(it, "code"));
    if (w > 0 && (size_t)w < sizeof buf - n)
      n += (size_t)w;
  }
  cJSON *next = cJSON_GetObjectItem(h.json, "next_cursor");
  if (cursor)
    snprintf(cursor, cursor_size, "%s", cJSON_IsString(next) ? next->valuestring : "");
  ts_http_release(&h);
  return strdup(buf);
}

static void expect_codes(const char *path, const char *want)
{
  char *got = codes(path, NULL, 0);
  cr_assert_str_eq(got, want, "%s", path);
  free(got);
}

Test(items, list_filters_and_pages)
{
  char path[256], cursor[128];
  expect_codes("/v1/items", "FB0001,FB0002,FB0003,BT0001");
  expect_codes("/v1/items?library=fietsbieb", "FB0001,FB0002,FB0003");
  snprintf(path, sizeof path, "/v1/items?category=%lld", cat_fb);
  expect_codes(path, "FB0001,FB0002");
  expect_codes("/v1/items?library=fietsbieb&status=in_repair", "FB0003");
  expect_codes("/v1/items?status=lost", "");
  /* a volunteer of the Fietsbieb may read the Babytheek's items */
  expect_codes("/v1/items?library=babytheek", "BT0001");

  char *page = codes("/v1/items?limit=3", cursor, sizeof cursor);
  cr_assert_str_eq(page, "FB0001,FB0002,FB0003");
  free(page);
  cr_assert(cursor[0]);
  snprintf(path, sizeof path, "/v1/items?limit=3&cursor=%s", cursor);
  page = codes(path, cursor, sizeof cursor);
  cr_assert_str_eq(page, "BT0001");
  free(page);
  cr_assert_str_eq(cursor, "");

  expect("GET", "/v1/items?status=broken", AT_VOLUNTEER, NULL, NULL, 422, "invalid_field",
         "?status");
  expect("GET", "/v1/items?category=abc", AT_VOLUNTEER, NULL, NULL, 422, "invalid_field",
         "?category");
  expect("GET", "/v1/items?library=", AT_VOLUNTEER, NULL, NULL, 422, "invalid_field",
         "?library");
  expect("GET", "/v1/items?limit=0", AT_VOLUNTEER, NULL, NULL, 422, "invalid_field", "?limit");
  expect("GET", "/v1/items?cursor=%%%", AT_VOLUNTEER, NULL, NULL, 422, "invalid_field",
         "?cursor");
  expect("GET", "/v1/items?library=nowhere", AT_VOLUNTEER, NULL, NULL, 404, "not_found",
         "?library");
  expect("GET", "/v1/items?category=999999", AT_VOLUNTEER, NULL, NULL, 200, NULL, NULL);
  expect("GET", "/v1/items", AT_SOCIAL_WORKER, NULL, NULL, 403, "forbidden", NULL);
  expect("GET", "/v1/items", AT_NONE, NULL, NULL, 401, "unauthenticated", NULL);
}

Test(items, get_takes_the_code_in_any_form)
{
  static const char *const forms[] = {
    "FB0002", "fb0002", "FB-0002", "fb-0002", "%20FB-0002%20",
    "https%3A%2F%2Fleen.example%2Fi%2FFB0002", "http%3A%2F%2F127.0.0.1%3A8080%2Fi%2Ffb-0002",
  };
  for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
    char path[256];
    snprintf(path, sizeof path, "/v1/items/%s", forms[i]);
    struct ts_http h;
    call("GET", path, AT_VOLUNTEER, NULL, NULL, &h);
    cr_assert_eq(h.status, 200, "%s: %ld %s", forms[i], h.status, h.body);
    cr_assert_str_eq(at_str(h.json, "code"), "FB0002", "%s", forms[i]);
    char *etag = ts_header(&h, "ETag");
    cr_assert_str_eq(etag, "\"v1\"");
    free(etag);
    ts_http_release(&h);
  }
  struct ts_http h;
  call("GET", "/v1/items/BT0001", AT_VOLUNTEER, NULL, NULL, &h);
  char want[512];
  snprintf(want, sizeof want,
           J({"code": "BT0001", "library": "babytheek", "category_id": %lld,
              "category": "Autostoel", "name": "Maxi-Cosi Pebble", "attributes": {},
              "expires_on": "2030-06-30", "deposit_cents": null, "safety_checked_on": null,
              "status": "available", "reserved_for": null, "version": 1}),
           cat_bt);
  cJSON *w = cJSON_Parse(want);
  cr_assert(cJSON_Compare(h.json, w, 1), "got %s", h.body);
  cJSON_Delete(w);
  ts_http_release(&h);

  static const char *const bad[] = {
    "FB9999", "XX0001", "x1", "..%2f..%2fusers", "FB0002%00", "%00", "FB00%2e%2e",
    "FB0002%3Fx%3D1", "https%3A%2F%2Fleen.example%2Fi%2F..%2FFB0002", "FB0000", "FB1000000",
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    char path[256];
    snprintf(path, sizeof path, "/v1/items/%s", bad[i]);
    expect("GET", path, AT_VOLUNTEER, NULL, NULL, 404, "not_found", NULL);
  }
  expect("GET", "/v1/items/FB0001", AT_SOCIAL_WORKER, NULL, NULL, 403, "forbidden", NULL);
  expect("GET", "/v1/items/FB0001", AT_NONE, NULL, NULL, 401, "unauthenticated", NULL);
}

Test(items, a_coordinator_creates_items_of_their_library)
{
  char body[512];
  snprintf(body, sizeof body,
           J({"category_id": %lld, "name": "Btwin 16 rood",
              "attributes": {"wheel_inch": 16, "brand": "Btwin", "serial": "12345678901234567890"},
              "deposit_cents": 1500}),
           cat_fb);
  struct ts_http h;
  call("POST", "/v1/items", AT_COORDINATOR, body, NULL, &h);
  cr_assert_eq(h.status, 201, "%s", h.body);
  cr_assert_str_eq(at_str(h.json, "code"), "FB0004");
  cr_assert_str_eq(at_str(h.json, "library"), "fietsbieb");
  cr_assert_str_eq(at_str(h.json, "status"), "available");
  cr_assert_str_eq(at_str(cJSON_GetObjectItem(h.json, "attributes"), "serial"),
                   "12345678901234567890");
  cr_assert_eq(cJSON_GetObjectItem(h.json, "deposit_cents")->valueint, 1500);
  char *etag = ts_header(&h, "ETag");
  cr_assert_str_eq(etag, "\"v1\"");
  free(etag);
  ts_http_release(&h);
  cr_assert_eq(sql_int("SELECT count(*) FROM items WHERE code = 'FB0004' AND deposit_cents = 1500"
                       " AND attributes->>'brand' = 'Btwin'"),
               1);
  cr_assert_eq(sql_int("SELECT count(*) FROM audit WHERE action = 'item.create'"), 1);

  /* an admin registers a Babytheek car seat, naming the library */
  snprintf(body, sizeof body,
           J({"library": "babytheek", "category_id": %lld, "name": "Cybex Aton",
              "expires_on": "2031-01-31", "safety_checked_on": "2026-01-05"}),
           cat_bt);
  call("POST", "/v1/items", AT_ADMIN, body, NULL, &h);
  cr_assert_eq(h.status, 201, "%s", h.body);
  cr_assert_str_eq(at_str(h.json, "code"), "BT0002");
  cr_assert_str_eq(at_str(h.json, "expires_on"), "2031-01-31");
  cr_assert_str_eq(at_str(h.json, "safety_checked_on"), "2026-01-05");
  ts_http_release(&h);
}

Test(items, create_refuses_the_wrong_caller_and_bad_bodies)
{
  char fb[160], bt[160], body[256];
  snprintf(fb, sizeof fb, J({"category_id": %lld, "name": "Fiets"}), cat_fb);
  snprintf(bt, sizeof bt, J({"category_id": %lld, "name": "Kinderwagen"}), cat_bt);
  /* a volunteer creates items nowhere; a coordinator only in their library */
  expect("POST", "/v1/items", AT_VOLUNTEER, fb, NULL, 403, "forbidden", NULL);
  expect("POST", "/v1/items", AT_VOLUNTEER, bt, NULL, 403, "forbidden", NULL);
  expect("POST", "/v1/items", AT_SOCIAL_WORKER, fb, NULL, 403, "forbidden", NULL);
  expect("POST", "/v1/items", AT_NONE, fb, NULL, 401, "unauthenticated", NULL);
  expect("POST", "/v1/items", AT_COORDINATOR, bt, NULL, 403, "forbidden", NULL);

  expect("POST", "/v1/items", AT_COORDINATOR, "{}", NULL, 422, "invalid_field", "/category_id");
  snprintf(body, sizeof body, J({"category_id": %lld}), cat_fb);
  expect("POST", "/v1/items", AT_COORDINATOR, body, NULL, 422, "invalid_field", "/name");
  expect("POST", "/v1/items", AT_COORDINATOR, J({"category_id": 999999, "name": "X"}), NULL, 404,
         "not_found", "/category_id");
  snprintf(body, sizeof body, J({"library": "fietsbieb", "category_id": %lld, "name": "X"}),
           cat_bt);
  expect("POST", "/v1/items", AT_COORDINATOR, body, NULL, 422, "invalid_field", "/category_id");
  snprintf(body, sizeof body, J({"category_id": %lld, "name": "X", "attributes": [16]}), cat_fb);
  expect("POST", "/v1/items", AT_COORDINATOR, body, NULL, 422, "invalid_field", "/attributes");
  snprintf(body, sizeof body, J({"category_id": %lld, "name": "X", "expires_on": "2026-02-30"}),
           cat_fb);
  expect("POST", "/v1/items", AT_COORDINATOR, body, NULL, 422, "invalid_date", "/expires_on");
  snprintf(body, sizeof body, J({"category_id": %lld, "name": "X", "deposit_cents": 12.5}),
           cat_fb);
  expect("POST", "/v1/items", AT_COORDINATOR, body, NULL, 422, "invalid_amount",
         "/deposit_cents");
  snprintf(body, sizeof body, J({"category_id": %lld, "name": "X", "status": "lost"}), cat_fb);
  expect("POST", "/v1/items", AT_COORDINATOR, body, NULL, 400, "unknown_field", "/status");
  snprintf(body, sizeof body, J({"category_id": "%lld", "name": "X"}), cat_fb);
  expect("POST", "/v1/items", AT_COORDINATOR, body, NULL, 422, "invalid_field", "/category_id");
  cr_assert_eq(sql_int("SELECT count(*) FROM items"), 4);
  cr_assert_eq(sql_int("SELECT count(*) FROM audit WHERE action = 'item.create'"), 0);
}

static const char *const if_v1[] = {"If-Match: \"v1\"", NULL};

Test(items, patch_needs_if_match_and_changes_the_version)
{
  const char *p = "/v1/items/fb-0001";
  const char *body = J({"name": "Btwin 16 blauw", "status": "cleaning", "expires_on": null});
  expect("PATCH", p, AT_COORDINATOR, body, NULL, 428, "precondition_required", NULL);
  const char *const v9[] = {"If-Match: \"v9\"", NULL};
  expect("PATCH", p, AT_COORDINATOR, body, v9, 412, "precondition_failed", NULL);
  const char *const weak[] = {"If-Match: W/\"v1\"", NULL};
  expect("PATCH", p, AT_COORDINATOR, body, weak, 412, "precondition_failed", NULL);
  const char *const v0[] = {"If-Match: \"v0\"", NULL};
  expect("PATCH", p, AT_COORDINATOR, body, v0, 412, "precondition_failed", NULL);
  cr_assert_eq(sql_int("SELECT version FROM items WHERE code = 'FB0001'"), 1);

  struct ts_http h;
  call("PATCH", p, AT_COORDINATOR, body, if_v1, &h);
  cr_assert_eq(h.status, 200, "%s", h.body);
  cr_assert_str_eq(at_str(h.json, "name"), "Btwin 16 blauw");
  cr_assert_str_eq(at_str(h.json, "status"), "cleaning");
  cr_assert_eq(cJSON_GetObjectItem(h.json, "version")->valueint, 2);
  char *etag = ts_header(&h, "ETag");
  cr_assert_str_eq(etag, "\"v2\"");
  free(etag);
  ts_http_release(&h);
  cr_assert_eq(sql_int("SELECT count(*) FROM items WHERE code = 'FB0001' AND version = 2"
                       " AND status = 'cleaning' AND name = 'Btwin 16 blauw'"),
               1);
  cr_assert_eq(sql_int("SELECT count(*) FROM audit WHERE action = 'item.update'"), 1);

  /* the one who read version 1 is now too late */
  expect("PATCH", p, AT_COORDINATOR, J({"name": "Stale"}), if_v1, 412, "precondition_failed",
         NULL);
  cr_assert_eq(sql_int("SELECT count(*) FROM items WHERE name = 'Stale'"), 0);
  /* "*" takes whatever is stored; null sets the category's deposit again */
  const char *const any[] = {"If-Match: *", NULL};
  char move[128];
  snprintf(move, sizeof move, J({"category_id": %lld, "deposit_cents": null}), cat_fb2);
  call("PATCH", "/v1/items/FB0001", AT_ADMIN, move, any, &h);
  cr_assert_eq(h.status, 200, "%s", h.body);
  cr_assert_eq(cJSON_GetObjectItem(h.json, "category_id")->valuedouble, (double)cat_fb2);
  cr_assert(cJSON_IsNull(cJSON_GetObjectItem(h.json, "deposit_cents")));
  ts_http_release(&h);
  /* a BT item expiry cleared with null */
  call("PATCH", "/v1/items/BT0001", AT_ADMIN, J({"expires_on": null}), any, &h);
  cr_assert_eq(h.status, 200, "%s", h.body);
  cr_assert(cJSON_IsNull(cJSON_GetObjectItem(h.json, "expires_on")));
  ts_http_release(&h);
  cr_assert_eq(sql_int("SELECT count(*) FROM items WHERE code = 'BT0001' AND expires_on IS NULL"),
               1);
}

Test(items, patch_refuses_the_wrong_caller_and_bad_bodies)
{
  const char *name = J({"name": "X"});
  /* the coordinator of the Fietsbieb cannot touch a Babytheek item */
  expect("PATCH", "/v1/items/BT0001", AT_COORDINATOR, name, if_v1, 403, "forbidden", NULL);
  expect("PATCH", "/v1/items/FB0001", AT_VOLUNTEER, name, if_v1, 403, "forbidden", NULL);
  expect("PATCH", "/v1/items/FB0001", AT_SOCIAL_WORKER, name, if_v1, 403, "forbidden", NULL);
  expect("PATCH", "/v1/items/FB0001", AT_NONE, name, if_v1, 401, "unauthenticated", NULL);
  expect("PATCH", "/v1/items/FB9999", AT_COORDINATOR, name, if_v1, 404, "not_found", NULL);
  expect("PATCH", "/v1/items/..%2fFB0001", AT_COORDINATOR, name, if_v1, 404, "not_found", NULL);

  const char *p = "/v1/items/FB0001";
  expect("PATCH", p, AT_COORDINATOR, "{}", if_v1, 422, "invalid_field", "");
  expect("PATCH", p, AT_COORDINATOR, J({"name": null}), if_v1, 422, "invalid_field", "/name");
  expect("PATCH", p, AT_COORDINATOR, J({"status": "on_loan"}), if_v1, 422, "invalid_field",
         "/status");
  expect("PATCH", p, AT_COORDINATOR, J({"status": "gone"}), if_v1, 422, "invalid_field",
         "/status");
  expect("PATCH", p, AT_COORDINATOR, J({"code": "FB0009"}), if_v1, 400, "unknown_field",
         "/code");
  char body[128];
  snprintf(body, sizeof body, J({"category_id": %lld}), cat_bt);
  expect("PATCH", p, AT_COORDINATOR, body, if_v1, 422, "invalid_field", "/category_id");
  expect("PATCH", p, AT_COORDINATOR, J({"safety_checked_on": "2026-13-01"}), if_v1, 422,
         "invalid_date", "/safety_checked_on");
  /* an item on loan keeps its status until it comes back */
  sql_run("UPDATE items SET status = 'on_loan' WHERE code = 'FB0002'");
  expect("PATCH", "/v1/items/FB0002", AT_COORDINATOR, J({"status": "lost"}), if_v1, 409,
         "conflict", "/status");
  cr_assert_eq(sql_int("SELECT count(*) FROM items WHERE version <> 1"), 0);
  cr_assert_eq(sql_int("SELECT count(*) FROM audit WHERE action = 'item.update'"), 0);
}
