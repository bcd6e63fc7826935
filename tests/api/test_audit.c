/* GET /v1/audit over HTTP: rows written by core (a check-out, household
 * creations) and by SQL (a reduction, a row without a user, another org's
 * row, a run of rows to page through) come back with their filters; an
 * admin sees the org, a coordinator their own rows and their libraries'
 * entities; reading the trail writes nothing to it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "at.h"
#include "leen/audit.h"
#include "leen/household.h"
#include "leen/loan.h"

static struct at_env env;
static char *token_bt;            /* coordbt: coordinator of the babytheek only */
static long long vol_id, coord_id, admin_id, loan_id;
static long long hh_coord, hh_admin; /* member numbers of the households core created */
static char today[11];

/* Logs in on first use: a login costs a password hash (and writes a
 * "login" row), and each test starts afresh. */
static const char *tok(enum at_who w)
{
  if (!env.token[w])
    env.token[w] = at_login(&env, at_username(w), AT_PASSWORD);
  return env.token[w];
}

static const char dataset[] =
  "INSERT INTO users (org_id, username, password_hash, role)"
  "  SELECT org_id, 'coordbt', password_hash, 'coordinator' FROM users WHERE username = 'coord';\n"
  "INSERT INTO user_libraries (user_id, library_id) SELECT u.id, l.id FROM users u, libraries l"
  "  WHERE u.username = 'coordbt' AND l.slug = 'babytheek';\n"
  "INSERT INTO orgs (id, slug, name) VALUES (2, 'elders', 'Elders');\n"
  "INSERT INTO users (org_id, username, password_hash, role) VALUES (2, 'other', 'x', 'admin');\n"
  "INSERT INTO schedule_rules (library_id, freq, nth, weekday, starts_at, ends_at)"
  "  SELECT id, 'weekly', NULL, w, '09:00', '17:00' FROM libraries, generate_series(1, 7) w"
  "  WHERE slug = 'fietsbieb';\n"
  "INSERT INTO categories (id, library_id, name, deposit_cents, loan_days) VALUES"
  "  (701, (SELECT id FROM libraries WHERE slug = 'fietsbieb'), 'Fiets', 0, 28),"
  "  (702, (SELECT id FROM libraries WHERE slug = 'babytheek'), 'Kinderwagen', 0, 28);\n"
  "INSERT INTO items (id, library_id, category_id, number, code, name) VALUES"
  "  (801, (SELECT id FROM libraries WHERE slug = 'fietsbieb'), 701, 1, 'FB0001', 'Fiets 1'),"
  "  (811, (SELECT id FROM libraries WHERE slug = 'babytheek'), 702, 1, 'BT0001', 'Wagen 1');\n"
  "INSERT INTO households (id, org_id, number, name) VALUES (601, 1, 601, 'Gezin Fiets');\n"
  "INSERT INTO memberships (household_id, library_id, valid_from, valid_until, slots, fee_cents,"
  "                         reduction_cents)"
  "  SELECT 601, id, current_date - 30, current_date + 300, 1, 0, 0 FROM libraries"
  "  WHERE slug = 'fietsbieb';\n"
  /* a reduction issued by the social worker, a row without a user about
   * the babytheek's item, a row of another org, and rows to page through */
  "INSERT INTO audit (user_id, action, entity, entity_id, details)"
  "  SELECT id, 'issue', 'reduction', '1', '{\"level\": \"social\"}' FROM users"
  "  WHERE username = 'sw';\n"
  "INSERT INTO audit (at, user_id, action, entity, entity_id, details) VALUES"
  "  ('2025-03-10 12:00+01', NULL, 'item.update', 'item', '811', '{\"code\": \"BT0001\"}');\n"
  "INSERT INTO audit (user_id, action, entity, entity_id)"
  "  SELECT id, 'create', 'household', '999999' FROM users WHERE username = 'other';\n"
  "INSERT INTO audit (user_id, action, entity, entity_id, details)"
  "  SELECT u.id, 'page', 'pagetest', 'p' || n, jsonb_build_object('n', n)"
  "  FROM users u, generate_series(1, 7) n WHERE u.username = 'admin' ORDER BY n;\n";

static long long user_id(PGconn *c, const char *name)
{
  char sql[128];
  snprintf(sql, sizeof sql, "SELECT id FROM users WHERE username = '%s'", name);
  return ts_sql_int(c, sql);
}

static struct leen_actor actor(long long id, enum leen_role role, long long library)
{
  struct leen_actor a = {.user_id = id, .org_id = 1, .role = role};
  if (library)
    a.libraries[a.nlibraries++] = library;
  return a;
}

static void setup(void)
{
  at_setup(&env, NULL, 0);
  PGconn *c = ts_connect(env.ci);
  PGresult *r = PQexec(c, dataset);
  cr_assert_eq(PQresultStatus(r), PGRES_COMMAND_OK, "%s", PQresultErrorMessage(r));
  PQclear(r);
  vol_id = user_id(c, "vol");
  coord_id = user_id(c, "coord");
  admin_id = user_id(c, "admin");
  long long fb = ts_sql_int(c, "SELECT id FROM libraries WHERE slug = 'fietsbieb'");
  char *t = ts_sql_value(c, "SELECT to_char(now() AT TIME ZONE 'Europe/Brussels', 'YYYY-MM-DD')");
  snprintf(today, sizeof today, "%s", t);
  free(t);

  /* through core, as the API would */
  struct leen_db *db;
  struct leen_err err;
  cr_assert_eq(leen_db_open(&db, env.ci, &err), 0, "%s", err.message);
  struct leen_actor vol = actor(vol_id, LEEN_ROLE_VOLUNTEER, fb);
  struct leen_actor coord = actor(coord_id, LEEN_ROLE_COORDINATOR, fb);
  struct leen_actor admin = actor(admin_id, LEEN_ROLE_ADMIN, 0);
  struct leen_checkout co = {.item = "FB0001", .household = 601};
  struct leen_loan loan;
  cr_assert_eq(leen_loan_checkout(db, &vol, &co, &loan, &err), 0, "%s", err.message);
  loan_id = loan.id;
  leen_loan_release(&loan);
  struct leen_household h;
  struct leen_household_new hn = {.name = "Gezin Nieuw"};
  cr_assert_eq(leen_household_create(db, &coord, &hn, &h, &err), 0, "%s", err.message);
  hh_coord = h.number;
  leen_household_release(&h);
  hn.name = "Gezin Baby";
  cr_assert_eq(leen_household_create(db, &admin, &hn, &h, &err), 0, "%s", err.message);
  hh_admin = h.number;
  leen_household_release(&h);
  leen_db_close(db);

  /* the admin's household becomes a babytheek member */
  char sql[300];
  snprintf(sql, sizeof sql,
           "INSERT INTO memberships (household_id, library_id, valid_from, valid_until, slots,"
           " fee_cents, reduction_cents) SELECT h.id, l.id, current_date, current_date + 300,"
           " 1, 0, 0 FROM households h, libraries l WHERE h.number = %lld"
           " AND l.slug = 'babytheek'", hh_admin);
  PQclear(ts_sql(c, sql, 0, NULL));
  PQfinish(c);
}

static void teardown(void)
{
  free(token_bt);
  at_teardown(&env);
}

TestSuite(audit, .init = setup, .fini = teardown, .timeout = 120);

static void reading_is_not_audited(void);
static void core_checks(void);

/* GET path as token; asserts 200 and returns the reply (release it). */
static void list(const char *path, const char *token, struct ts_http *h)
{
  at_call(&env, "GET", path, token, NULL, NULL, h);
  cr_assert_eq(h->status, 200, "%s: %ld %s", path, h->status, h->body);
  cr_assert(cJSON_IsArray(cJSON_GetObjectItem(h->json, "items")), "%s", h->body);
}

static const cJSON *items(const struct ts_http *h) { return cJSON_GetObjectItem(h->json, "items"); }

static const char *str(const cJSON *o, const char *name)
{
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
  return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* The row with this action and entity id in a reply, or NULL. */
static const cJSON *find(const struct ts_http *h, const char *action, const char *entity_id)
{
  const cJSON *row;
  cJSON_ArrayForEach(row, items(h))
  {
    const char *a = str(row, "action"), *id = str(row, "entity_id");
    if (a && strcmp(a, action) == 0 && id && strcmp(id, entity_id) == 0)
      return row;
  }
  return NULL;
}

static char *num_text(long long v)
{
  static char buf[4][24];
  static int next;
  char *b = buf[next++ % 4];
  snprintf(b, 24, "%lld", v);
  return b;
}

Test(audit, admin_sees_the_org)
{
  struct ts_http h;
  list("/v1/audit?limit=200", tok(AT_ADMIN), &h);
  const cJSON *co = find(&h, "loan.checkout", num_text(loan_id));
  cr_assert_not_null(co, "the check-out is there: %s", h.body);
  cr_assert(cJSON_IsNumber(cJSON_GetObjectItem(co, "id")));
  const char *at = str(co, "at");
  cr_assert(at && strlen(at) == 25 && at[10] == 'T' && (at[19] == '+' || at[19] == '-') &&
                strncmp(at, today, 10) == 0,
            "RFC 3339 in Brussels time: %s", at);
  const cJSON *user = cJSON_GetObjectItem(co, "user");
  cr_assert_eq(cJSON_GetObjectItem(user, "id")->valuedouble, (double)vol_id);
  cr_assert_str_eq(str(user, "username"), "vol");
  cr_assert_str_eq(str(co, "entity"), "loan");
  const cJSON *details = cJSON_GetObjectItem(co, "details");
  cr_assert(cJSON_IsObject(details));
  cr_assert_str_eq(str(details, "item"), "FB0001");
  cr_assert_eq(cJSON_GetObjectItem(details, "household")->valuedouble, 601);

  cr_assert_not_null(find(&h, "create", num_text(hh_coord)));
  cr_assert_not_null(find(&h, "create", num_text(hh_admin)));
  cr_assert_not_null(find(&h, "issue", "1"), "the reduction row");
  const cJSON *sys = find(&h, "item.update", "811");
  cr_assert_not_null(sys, "a row without a user, traced to the org by its item");
  cr_assert(cJSON_IsNull(cJSON_GetObjectItem(sys, "user")));
  cr_assert_str_eq(str(sys, "at"), "2025-03-10T12:00:00+01:00");
  cr_assert_str_eq(str(cJSON_GetObjectItem(sys, "details"), "code"), "BT0001");
  cr_assert_null(find(&h, "create", "999999"), "another org's row");

  /* newest first */
  double prev = 1e18;
  const cJSON *row;
  cJSON_ArrayForEach(row, items(&h))
  {
    double id = cJSON_GetObjectItem(row, "id")->valuedouble;
    cr_assert_lt(id, prev);
    prev = id;
  }
  ts_http_release(&h);
}

Test(audit, filters)
{
  struct ts_http h;
  char path[256];
  list("/v1/audit?entity=loan", tok(AT_ADMIN), &h);
  cr_assert_eq(cJSON_GetArraySize(items(&h)), 1, "%s", h.body);
  cr_assert_not_null(find(&h, "loan.checkout", num_text(loan_id)));
  ts_http_release(&h);

  snprintf(path, sizeof path, "/v1/audit?entity=household&entity_id=%lld", hh_coord);
  list(path, tok(AT_ADMIN), &h);
  cr_assert_eq(cJSON_GetArraySize(items(&h)), 1, "%s", h.body);
  const cJSON *row = cJSON_GetArrayItem(items(&h), 0);
  cr_assert_str_eq(str(row, "action"), "create");
  cr_assert_str_eq(str(cJSON_GetObjectItem(row, "user"), "username"), "coord");
  cr_assert_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(row, "details"), "number")->valuedouble,
               (double)hh_coord);
  ts_http_release(&h);

  tok(AT_VOLUNTEER); /* writes vol's login row */
  list("/v1/audit?user=vol&limit=200", tok(AT_ADMIN), &h);
  cr_assert_geq(cJSON_GetArraySize(items(&h)), 2, "the login and the check-out: %s", h.body);
  cJSON_ArrayForEach(row, items(&h))
    cr_assert_str_eq(str(cJSON_GetObjectItem(row, "user"), "username"), "vol");
  ts_http_release(&h);

  list("/v1/audit?action=loan.checkout&user=vol&entity=loan", tok(AT_ADMIN), &h);
  cr_assert_eq(cJSON_GetArraySize(items(&h)), 1, "%s", h.body);
  ts_http_release(&h);

  list("/v1/audit?user=nobody", tok(AT_ADMIN), &h);
  cr_assert_eq(cJSON_GetArraySize(items(&h)), 0, "%s", h.body);
  ts_http_release(&h);

  /* days are Brussels days, both ends included */
  list("/v1/audit?from=2025-03-10&to=2025-03-10", tok(AT_ADMIN), &h);
  cr_assert_eq(cJSON_GetArraySize(items(&h)), 1, "%s", h.body);
  cr_assert_not_null(find(&h, "item.update", "811"));
  ts_http_release(&h);
  list("/v1/audit?to=2025-03-09", tok(AT_ADMIN), &h);
  cr_assert_eq(cJSON_GetArraySize(items(&h)), 0, "%s", h.body);
  ts_http_release(&h);
  snprintf(path, sizeof path, "/v1/audit?from=%s&limit=200", today);
  list(path, tok(AT_ADMIN), &h);
  cr_assert_not_null(find(&h, "loan.checkout", num_text(loan_id)));
  cr_assert_null(find(&h, "item.update", "811"));
  ts_http_release(&h);
}

Test(audit, coordinator_scope)
{
  struct ts_http h;
  tok(AT_VOLUNTEER); /* a login row that is no library's */
  token_bt = at_login(&env, "coordbt", AT_PASSWORD);
  list("/v1/audit?limit=200", tok(AT_COORDINATOR), &h);
  cr_assert_not_null(find(&h, "loan.checkout", num_text(loan_id)), "a loan of their library");
  cr_assert_not_null(find(&h, "create", num_text(hh_coord)), "their own action");
  cr_assert_not_null(find(&h, "login", num_text(coord_id)), "their own login");
  cr_assert_null(find(&h, "login", num_text(vol_id)), "others' logins are no library's");
  cr_assert_null(find(&h, "issue", "1"), "reductions are the social service's");
  cr_assert_null(find(&h, "item.update", "811"), "the babytheek's item");
  cr_assert_null(find(&h, "create", num_text(hh_admin)), "a babytheek household");
  cr_assert_null(find(&h, "page", "p1"), "the admin's own rows");
  cr_assert_null(find(&h, "create", "999999"));
  ts_http_release(&h);

  list("/v1/audit?entity=reduction", tok(AT_COORDINATOR), &h);
  cr_assert_eq(cJSON_GetArraySize(items(&h)), 0, "%s", h.body);
  ts_http_release(&h);

  list("/v1/audit?limit=200", token_bt, &h);
  cr_assert_not_null(find(&h, "item.update", "811"), "their library's item");
  cr_assert_not_null(find(&h, "create", num_text(hh_admin)), "a household of their library");
  cr_assert_null(find(&h, "loan.checkout", num_text(loan_id)));
  cr_assert_null(find(&h, "create", num_text(hh_coord)));
  cr_assert_null(find(&h, "issue", "1"));
  ts_http_release(&h);
}

Test(audit, roles)
{
  struct ts_http h;
  at_call(&env, "GET", "/v1/audit", NULL, NULL, NULL, &h);
  cr_assert_eq(h.status, 401, "%s", h.body);
  cr_assert_str_eq(at_code(&h), "unauthenticated");
  ts_http_release(&h);
  at_call(&env, "GET", "/v1/audit", tok(AT_VOLUNTEER), NULL, NULL, &h);
  cr_assert_eq(h.status, 403, "%s", h.body);
  cr_assert_str_eq(at_code(&h), "forbidden");
  ts_http_release(&h);
  at_call(&env, "GET", "/v1/audit?entity=reduction", tok(AT_SOCIAL_WORKER), NULL, NULL,
          &h);
  cr_assert_eq(h.status, 403, "%s", h.body);
  cr_assert_str_eq(at_code(&h), "forbidden");
  ts_http_release(&h);
  reading_is_not_audited();
}

Test(audit, pages)
{
  char path[512] = "/v1/audit?entity=pagetest&limit=3";
  const int want[] = {3, 3, 1};
  int n = 7;
  for (int page = 0; page < 3; page++) {
    struct ts_http h;
    list(path, tok(AT_ADMIN), &h);
    cr_assert_eq(cJSON_GetArraySize(items(&h)), want[page], "page %d: %s", page, h.body);
    const cJSON *row;
    cJSON_ArrayForEach(row, items(&h))
    {
      char id[16];
      snprintf(id, sizeof id, "p%d", n--);
      cr_assert_str_eq(str(row, "entity_id"), id, "newest first, none twice or missed");
    }
    const cJSON *next = cJSON_GetObjectItem(h.json, "next_cursor");
    if (page < 2) {
      cr_assert(cJSON_IsString(next), "%s", h.body);
      snprintf(path, sizeof path, "/v1/audit?entity=pagetest&limit=3&cursor=%s",
               next->valuestring);
    } else {
      cr_assert(cJSON_IsNull(next), "%s", h.body);
    }
    ts_http_release(&h);
  }
  cr_assert_eq(n, 0);
}

static void assert_bad(const char *path, const char *code, const char *parameter)
{
  struct ts_http h;
  at_call(&env, "GET", path, tok(AT_ADMIN), NULL, NULL, &h);
  cr_assert_eq(h.status, 422, "%s: %ld %s", path, h.status, h.body);
  cr_assert_str_eq(at_code(&h), code, "%s: %s", path, h.body);
  const cJSON *e = cJSON_GetArrayItem(cJSON_GetObjectItem(h.json, "errors"), 0);
  cr_assert_str_eq(str(e, "parameter"), parameter, "%s: %s", path, h.body);
  ts_http_release(&h);
}

Test(audit, bad_parameters)
{
  char longer[128];
  assert_bad("/v1/audit?from=2026-02-30", "invalid_date", "from");
  assert_bad("/v1/audit?to=2026-13-01", "invalid_date", "to");
  assert_bad("/v1/audit?from=2026-03", "invalid_date", "from");
  assert_bad("/v1/audit?from=2026-03-01&to=2026-02-01", "invalid_field", "to");
  assert_bad("/v1/audit?entity=", "invalid_field", "entity");
  assert_bad("/v1/audit?action=", "invalid_field", "action");
  snprintf(longer, sizeof longer, "/v1/audit?entity=%041d", 0);
  assert_bad(longer, "invalid_field", "entity");
  snprintf(longer, sizeof longer, "/v1/audit?user=%065d", 0);
  assert_bad(longer, "invalid_field", "user");
  assert_bad("/v1/audit?limit=0", "invalid_field", "limit");
  assert_bad("/v1/audit?limit=201", "invalid_field", "limit");
  assert_bad("/v1/audit?cursor=!!", "invalid_field", "cursor");
  assert_bad("/v1/audit?cursor=YWJj", "invalid_field", "cursor"); /* "abc": not an id */
  assert_bad("/v1/audit?cursor=LTU", "invalid_field", "cursor");  /* "-5" */
  core_checks();
}

/* Reading the trail leaves no trace in it. */
static void reading_is_not_audited(void)
{
  PGconn *c = ts_connect(env.ci);
  const char *tokens[] = {tok(AT_ADMIN), tok(AT_COORDINATOR)};
  long long before = ts_sql_int(c, "SELECT count(*) FROM audit");
  for (int i = 0; i < 2; i++) {
    struct ts_http h;
    list("/v1/audit?limit=5", tokens[i], &h);
    ts_http_release(&h);
  }
  cr_assert_eq(ts_sql_int(c, "SELECT count(*) FROM audit"), before);
  PQfinish(c);
}

/* The core function alone: the checks the API cannot reach. */
static void core_checks(void)
{
  struct leen_db *db;
  struct leen_err err;
  cr_assert_eq(leen_db_open(&db, env.ci, &err), 0, "%s", err.message);
  struct leen_actor sw = actor(1, LEEN_ROLE_SOCIAL_WORKER, 0);
  struct leen_actor admin = actor(admin_id, LEEN_ROLE_ADMIN, 0);
  struct leen_audit_filter f = {0};
  struct leen_audit_list l;
  cr_assert_eq(leen_audit_list(db, &sw, &f, &l, &err), -1);
  cr_assert_eq(err.code, LEEN_E_FORBIDDEN);
  cr_assert_eq(leen_audit_list(db, NULL, &f, &l, &err), -1);
  cr_assert_eq(err.code, LEEN_E_FORBIDDEN);
  f.limit = LEEN_AUDIT_MAX_LIMIT + 1;
  cr_assert_eq(leen_audit_list(db, &admin, &f, &l, &err), -1);
  cr_assert_str_eq(err.field, "/limit");
  f.limit = 0;
  f.cursor = -1;
  cr_assert_eq(leen_audit_list(db, &admin, &f, &l, &err), -1);
  cr_assert_str_eq(err.field, "/cursor");
  f.cursor = 0;
  f.from = "2024-02-29"; /* a leap day exists */
  f.to = "2025-02-29";   /* this one does not */
  cr_assert_eq(leen_audit_list(db, &admin, &f, &l, &err), -1);
  cr_assert_eq(err.code, LEEN_E_INVALID_DATE);
  cr_assert_str_eq(err.field, "/to");
  f.to = NULL;
  f.entity_id = "not a number"; /* text ids are compared, never cast */
  cr_assert_eq(leen_audit_list(db, &admin, &f, &l, &err), 0, "%s", err.message);
  cr_assert_eq(l.n, 0);
  leen_audit_list_release(&l);
  leen_audit_list_release(NULL);
  /* the system actor sees every org */
  struct leen_actor sys = {.user_id = 0, .role = LEEN_ROLE_ADMIN};
  f = (struct leen_audit_filter){.entity_id = "999999"};
  cr_assert_eq(leen_audit_list(db, &sys, &f, &l, &err), 0, "%s", err.message);
  cr_assert_eq(l.n, 1);
  cr_assert_eq(l.next_cursor, 0);
  leen_audit_list_release(&l);
  leen_db_close(db);
}
