/* /v1/libraries over HTTP: the list and one library, create and PATCH
 * (admin; a coordinator only schedule and targets of their own library),
 * opening sessions, closures, one-off openings and categories. Each test
 * asserts the status, the problem code and the rows that changed or not. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "at.h"

/* JSON bodies written as C tokens: J({"a": 1}) is the string {"a": 1}. */
#define J(...) #__VA_ARGS__

static struct at_env env;

static void setup(void) { at_setup(&env, NULL, 0); }
static void teardown(void) { at_teardown(&env); }

TestSuite(libraries, .init = setup, .fini = teardown, .timeout = 120);

static const char *who_name(enum at_who w) { return w == AT_NONE ? "nobody" : at_username(w); }

/* The token of who, logging in on first use: a login costs a password hash
 * on purpose, so a test pays only for the callers it uses. */
static const char *token(enum at_who who)
{
  if (who != AT_NONE && !env.token[who])
    env.token[who] = at_login(&env, at_username(who), AT_PASSWORD);
  return env.token[who];
}

static void call(const char *method, const char *path, enum at_who who, const char *body,
                 struct ts_http *h)
{
  at_call(&env, method, path, token(who), body, NULL, h);
}

/* One request that must answer status with problem code (NULL: no check). */
static void expect(const char *method, const char *path, enum at_who who, const char *body,
                   long status, const char *code)
{
  struct ts_http h;
  call(method, path, who, body, &h);
  cr_assert_eq(h.status, status, "%s %s as %s: %ld, expected %ld: %s", method, path,
               who_name(who), h.status, status, h.body);
  if (code)
    cr_assert_str_eq(at_code(&h), code, "%s %s: %s", method, path, h.body);
  ts_http_release(&h);
}

/* Like expect, and the first error names pointer ("/x" or parameter "?x"). */
static void expect_field(const char *method, const char *path, enum at_who who, const char *body,
                         long status, const char *code, const char *pointer)
{
  struct ts_http h;
  call(method, path, who, body, &h);
  cr_assert_eq(h.status, status, "%s %s: %ld, expected %ld: %s", method, path, h.status, status,
               h.body);
  cr_assert_str_eq(at_code(&h), code, "%s", h.body);
  cJSON *e = cJSON_GetArrayItem(cJSON_GetObjectItem(h.json, "errors"), 0);
  const char *key = pointer[0] == '?' ? "parameter" : "pointer";
  const char *want = pointer[0] == '?' ? pointer + 1 : pointer;
  cJSON *got = cJSON_GetObjectItem(e, key);
  cr_assert(cJSON_IsString(got), "no %s in %s", key, h.body);
  cr_assert_str_eq(got->valuestring, want, "%s", h.body);
  ts_http_release(&h);
}

static long long sql_int(const char *sql)
{
  PGconn *c = ts_connect(env.ci);
  long long v = ts_sql_int(c, sql);
  PQfinish(c);
  return v;
}

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

static char *sql_text(const char *sql)
{
  PGconn *c = ts_connect(env.ci);
  char *v = ts_sql_value(c, sql);
  PQfinish(c);
  return v;
}

static const char speelotheek[] = J({
  "slug": "speelotheek", "name": "Speelotheek Izegem", "kind": "toys", "code_prefix": "SP",
  "fee_cents": 2000, "social_fee_cents": 500, "fee_per": "household",
  "social_deposit_percent": 50, "membership_months": 12, "max_slots": 4,
  "default_loan_days": 21,
  "schedule": [{"freq": "monthly", "nth": 3, "weekday": 6, "start": "10:00", "end": "12:00",
                "closed_months": [7, 8]},
               {"freq": "weekly", "weekday": 3, "start": "14:00", "end": "17:00"}],
  "targets": {"new_households_6m": 40, "reduced_share_min": 25, "reduced_share_max": 50,
              "loans_per_session": 10}
});

Test(libraries, list_and_get_show_the_design_shape)
{
  struct ts_http h;
  call("GET", "/v1/libraries", AT_VOLUNTEER, NULL, &h);
  cr_assert_eq(h.status, 200, "%s", h.body);
  cJSON *items = cJSON_GetObjectItem(h.json, "items");
  cr_assert_eq(cJSON_GetArraySize(items), 2);
  cr_assert_str_eq(at_str(cJSON_GetArrayItem(items, 0), "slug"), "babytheek");
  cr_assert_str_eq(at_str(cJSON_GetArrayItem(items, 1), "slug"), "fietsbieb");
  cr_assert(cJSON_IsNull(cJSON_GetObjectItem(h.json, "next_cursor")));
  ts_http_release(&h);

  sql_run("UPDATE libraries SET fee_cents = 2000, social_fee_cents = 500, max_slots = 4,"
          " default_loan_days = 365, social_deposit_percent = 50,"
          " targets = '{\"loans_per_session\": 10}' WHERE slug = 'fietsbieb';"
          "INSERT INTO schedule_rules (library_id, freq, nth, weekday, starts_at, ends_at,"
          " closed_months) SELECT id, 'monthly', 3, 6, '10:00', '12:00', '{1}' FROM libraries"
          " WHERE slug = 'fietsbieb'");
  call("GET", "/v1/libraries/fietsbieb", AT_VOLUNTEER, NULL, &h);
  cr_assert_eq(h.status, 200, "%s", h.body);
  cJSON *want = cJSON_Parse(J({
    "slug": "fietsbieb", "name": "Fietsbieb", "kind": "fietsbieb", "code_prefix": "FB",
    "fee_cents": 2000, "social_fee_cents": 500, "fee_per": "slot", "social_deposit_percent": 50,
    "membership_months": 12, "max_slots": 4, "default_loan_days": 365,
    "schedule": [{"freq": "monthly", "nth": 3, "weekday": 6, "start": "10:00", "end": "12:00",
                  "closed_months": [1]}],
    "targets": {"new_households_6m": null, "reduced_share_min": null,
                "reduced_share_max": null, "loans_per_session": 10}
  }));
  cr_assert(cJSON_Compare(h.json, want, 1), "got %s", h.body);
  cJSON_Delete(want);
  ts_http_release(&h);

  /* a social worker reaches reductions and nothing else */
  expect("GET", "/v1/libraries", AT_SOCIAL_WORKER, NULL, 403, "forbidden");
  expect("GET", "/v1/libraries/fietsbieb", AT_SOCIAL_WORKER, NULL, 403, "forbidden");
  expect("GET", "/v1/libraries", AT_NONE, NULL, 401, "unauthenticated");
  expect("GET", "/v1/libraries/nowhere", AT_VOLUNTEER, NULL, 404, "not_found");
  expect("GET", "/v1/libraries/..%2fusers", AT_VOLUNTEER, NULL, 404, "not_found");
  expect("GET", "/v1/libraries/fiets%00bieb", AT_VOLUNTEER, NULL, 404, "not_found");
  /* a library of another org is not there for this one */
  sql_run("INSERT INTO orgs (slug, name) VALUES ('elders', 'Elders');"
          "INSERT INTO libraries (org_id, slug, name, kind, code_prefix)"
          " SELECT id, 'elders-bieb', 'Elders', 'fietsbieb', 'EB' FROM orgs WHERE slug = 'elders'");
  expect("GET", "/v1/libraries/elders-bieb", AT_ADMIN, NULL, 404, "not_found");
  call("GET", "/v1/libraries", AT_ADMIN, NULL, &h);
  cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(h.json, "items")), 2, "%s", h.body);
  ts_http_release(&h);
}

Test(libraries, admin_creates_a_library_with_schedule_and_targets)
{
  struct ts_http h;
  call("POST", "/v1/libraries", AT_ADMIN, speelotheek, &h);
  cr_assert_eq(h.status, 201, "%s", h.body);
  cJSON *want = cJSON_Parse(speelotheek);
  /* the weekly rule comes back with "nth": null and its empty closed months */
  cJSON *weekly = cJSON_GetArrayItem(cJSON_GetObjectItem(want, "schedule"), 1);
  cJSON_AddNullToObject(weekly, "nth");
  cJSON_AddItemToObject(weekly, "closed_months", cJSON_CreateArray());
  cr_assert(cJSON_Compare(h.json, want, 1), "got %s", h.body);
  ts_http_release(&h);
  call("GET", "/v1/libraries/speelotheek", AT_VOLUNTEER, NULL, &h);
  cr_assert_eq(h.status, 200);
  cr_assert(cJSON_Compare(h.json, want, 1), "got %s", h.body);
  cJSON_Delete(want);
  ts_http_release(&h);
  cr_assert_eq(sql_int("SELECT count(*) FROM libraries WHERE slug = 'speelotheek'"
                       " AND code_prefix = 'SP' AND fee_per = 'household' AND org_id = 1"), 1);
  cr_assert_eq(sql_int("SELECT count(*) FROM schedule_rules r JOIN libraries l"
                       " ON l.id = r.library_id WHERE l.slug = 'speelotheek'"), 2);
  cr_assert_eq(sql_int("SELECT count(*) FROM audit WHERE action = 'library.create'"), 1);

  /* defaults for what is left out */
  call("POST", "/v1/libraries", AT_ADMIN,
       J({"slug": "leesbieb", "name": "Leesbieb", "kind": "books", "code_prefix": "LB"}), &h);
  cr_assert_eq(h.status, 201, "%s", h.body);
  cr_assert_eq(at_num(h.json, "default_loan_days"), 28);
  cr_assert_eq(at_num(h.json, "max_slots"), 1);
  cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(h.json, "schedule")), 0);
  cr_assert(cJSON_IsNull(cJSON_GetObjectItem(cJSON_GetObjectItem(h.json, "targets"),
                                             "loans_per_session")));
  ts_http_release(&h);
}

Test(libraries, create_refuses_bad_bodies_and_changes_nothing)
{
  const char *lib = "/v1/libraries";
  expect_field("POST", lib, AT_ADMIN, "{}", 422, "invalid_field", "/slug");
  expect_field("POST", lib, AT_ADMIN,
               J({"slug": "x", "name": "X", "kind": "toys", "code_prefix": "XX", "colour": 1}),
               400, "unknown_field", "/colour");
  expect_field("POST", lib, AT_ADMIN,
               J({"slug": "x", "name": "X", "kind": "toys", "code_prefix": "XX",
                  "fee_cents": 12.5}),
               422, "invalid_amount", "/fee_cents");
  expect_field("POST", lib, AT_ADMIN,
               J({"slug": "x", "name": "X", "kind": "toys", "code_prefix": "XX",
                  "fee_cents": "2000"}),
               422, "invalid_amount", "/fee_cents");
  expect_field("POST", lib, AT_ADMIN,
               J({"slug": "x", "name": "X", "kind": "toys", "code_prefix": "XX",
                  "schedule": [{"freq": "weekly", "weekday": 8, "start": "10:00",
                                "end": "12:00"}]}),
               422, "invalid_field", "/schedule/0/weekday");
  expect_field("POST", lib, AT_ADMIN,
               J({"slug": "x", "name": "X", "kind": "toys", "code_prefix": "XX",
                  "schedule": [{"freq": "weekly", "weekday": 1, "start": "10:00",
                                "end": "12:00", "closed_months": [1, 13]}]}),
               422, "invalid_field", "/schedule/0/closed_months/1");
  expect_field("POST", lib, AT_ADMIN,
               J({"slug": "x", "name": "X", "kind": "toys", "code_prefix": "XX",
                  "schedule": [{"freq": "daily", "weekday": 1, "start": "10:00",
                                "end": "12:00"}]}),
               422, "invalid_field", "/schedule/0/freq");
  expect_field("POST", lib, AT_ADMIN,
               J({"slug": "x", "name": "X", "kind": "toys", "code_prefix": "XX",
                  "schedule": [{"freq": "weekly", "weekday": 1, "start": "12:00",
                                "end": "10:00"}]}),
               422, "invalid_field", "/schedule/0/end");
  expect_field("POST", lib, AT_ADMIN,
               J({"slug": "x", "name": "X", "kind": "toys", "code_prefix": "XX",
                  "targets": {"reduced_share_min": 101}}),
               422, "invalid_field", "/targets/reduced_share_min");
  expect_field("POST", lib, AT_ADMIN,
               J({"slug": "x", "name": "X", "kind": "toys", "code_prefix": "xx"}), 422,
               "invalid_field", "/code_prefix");
  expect_field("POST", lib, AT_ADMIN,
               J({"slug": "x", "name": "X", "kind": "toys", "code_prefix": "XX",
                  "fee_cents": 100, "social_fee_cents": 200}),
               422, "invalid_amount", "/social_fee_cents");
  expect_field("POST", lib, AT_ADMIN,
               J({"slug": "fietsbieb", "name": "X", "kind": "toys", "code_prefix": "XX"}), 409,
               "conflict", "/slug");
  expect_field("POST", lib, AT_ADMIN,
               J({"slug": "x", "name": "X", "kind": "toys", "code_prefix": "FB"}), 409,
               "conflict", "/code_prefix");
  expect("POST", lib, AT_ADMIN, "{\"slug\": ", 400, "invalid_json");
  /* only an admin creates libraries */
  expect("POST", lib, AT_COORDINATOR, speelotheek, 403, "forbidden");
  expect("POST", lib, AT_VOLUNTEER, speelotheek, 403, "forbidden");
  expect("POST", lib, AT_SOCIAL_WORKER, speelotheek, 403, "forbidden");
  expect("POST", lib, AT_NONE, speelotheek, 401, "unauthenticated");
  cr_assert_eq(sql_int("SELECT count(*) FROM libraries"), 2);
  cr_assert_eq(sql_int("SELECT count(*) FROM schedule_rules"), 0);
  cr_assert_eq(sql_int("SELECT count(*) FROM audit WHERE action = 'library.create'"), 0);
}

Test(libraries, admin_patches_any_field_and_a_read_library_round_trips)
{
  struct ts_http h;
  call("PATCH", "/v1/libraries/babytheek", AT_ADMIN,
       J({"fee_cents": 3000, "social_fee_cents": 500, "fee_per": "household",
          "schedule": [{"freq": "monthly", "nth": -1, "weekday": 5, "start": "13:30",
                        "end": "16:00"}]}),
       &h);
  cr_assert_eq(h.status, 200, "%s", h.body);
  cr_assert_eq(at_num(h.json, "fee_cents"), 3000);
  cr_assert_str_eq(at_str(h.json, "fee_per"), "household");
  cJSON *rule = cJSON_GetArrayItem(cJSON_GetObjectItem(h.json, "schedule"), 0);
  cr_assert_eq(at_num(rule, "nth"), -1);
  cr_assert_str_eq(at_str(rule, "start"), "13:30");
  /* what GET answers goes back as a PATCH unchanged */
  char *body = cJSON_PrintUnformatted(h.json);
  ts_http_release(&h);
  call("PATCH", "/v1/libraries/babytheek", AT_ADMIN, body, &h);
  cr_assert_eq(h.status, 200, "%s", h.body);
  char *again = cJSON_PrintUnformatted(h.json);
  cr_assert_str_eq(again, body);
  free(again);
  free(body);
  ts_http_release(&h);
  cr_assert_eq(sql_int("SELECT fee_cents FROM libraries WHERE slug = 'babytheek'"), 3000);
  cr_assert_eq(sql_int("SELECT count(*) FROM schedule_rules WHERE nth = -1 AND weekday = 5"), 1);
  /* null clears the schedule and the targets */
  call("PATCH", "/v1/libraries/babytheek", AT_ADMIN, J({"schedule": null, "targets": null}), &h);
  cr_assert_eq(h.status, 200, "%s", h.body);
  ts_http_release(&h);
  cr_assert_eq(sql_int("SELECT count(*) FROM schedule_rules"), 0);
  /* renaming the slug moves the library */
  expect("PATCH", "/v1/libraries/babytheek", AT_ADMIN, J({"slug": "babytheek-izegem"}), 200,
         NULL);
  expect("GET", "/v1/libraries/babytheek-izegem", AT_VOLUNTEER, NULL, 200, NULL);
  expect("GET", "/v1/libraries/babytheek", AT_VOLUNTEER, NULL, 404, "not_found");
}

Test(libraries, patch_refuses_bad_bodies)
{
  const char *p = "/v1/libraries/fietsbieb";
  expect_field("PATCH", p, AT_ADMIN, "{}", 422, "invalid_field", "");
  expect_field("PATCH", p, AT_ADMIN, J({"name": null}), 422, "invalid_field", "/name");
  expect_field("PATCH", p, AT_ADMIN, J({"name": ""}), 422, "invalid_field", "/name");
  expect_field("PATCH", p, AT_ADMIN, J({"id": 1}), 400, "unknown_field", "/id");
  expect_field("PATCH", p, AT_ADMIN, J({"max_slots": 0}), 422, "invalid_field", "/max_slots");
  expect_field("PATCH", p, AT_ADMIN, J({"fee_per": "child"}), 422, "invalid_field", "/fee_per");
  expect_field("PATCH", p, AT_ADMIN, J({"targets": {"loans": 3}}), 400, "unknown_field",
               "/targets/loans");
  expect_field("PATCH", p, AT_ADMIN, J({"schedule": {"freq": "weekly"}}), 422, "invalid_field",
               "/schedule");
  expect_field("PATCH", p, AT_ADMIN, J({"code_prefix": "BT"}), 409, "conflict", "/code_prefix");
  expect("PATCH", "/v1/libraries/nowhere", AT_ADMIN, J({"name": "X"}), 404, "not_found");
  char *name = sql_text("SELECT name || max_slots || fee_per FROM libraries"
                        " WHERE slug = 'fietsbieb'");
  cr_assert_str_eq(name, "Fietsbieb1slot");
  free(name);
  cr_assert_eq(sql_int("SELECT count(*) FROM audit WHERE action = 'library.update'"), 0);
}

Test(libraries, a_coordinator_patches_only_schedule_and_targets_of_their_library)
{
  struct ts_http h;
  call("PATCH", "/v1/libraries/fietsbieb", AT_COORDINATOR,
       J({"schedule": [{"freq": "weekly", "weekday": 3, "start": "14:00", "end": "17:00",
                        "closed_months": [7]}],
          "targets": {"loans_per_session": 12}}),
       &h);
  cr_assert_eq(h.status, 200, "%s", h.body);
  cr_assert_eq(at_num(cJSON_GetObjectItem(h.json, "targets"), "loans_per_session"), 12);
  ts_http_release(&h);
  cr_assert_eq(sql_int("SELECT count(*) FROM schedule_rules r JOIN libraries l"
                       " ON l.id = r.library_id WHERE l.slug = 'fietsbieb' AND r.weekday = 3"), 1);
  /* fees are the city's policy */
  expect_field("PATCH", "/v1/libraries/fietsbieb", AT_COORDINATOR, J({"fee_cents": 0}), 403,
               "forbidden", "/fee_cents");
  /* and the Babytheek is not theirs */
  expect("PATCH", "/v1/libraries/babytheek", AT_COORDINATOR,
         J({"targets": {"loans_per_session": 1}}), 403, "forbidden");
  expect("PATCH", "/v1/libraries/fietsbieb", AT_VOLUNTEER, J({"targets": null}), 403,
         "forbidden");
  expect("PATCH", "/v1/libraries/fietsbieb", AT_SOCIAL_WORKER, J({"targets": null}), 403,
         "forbidden");
  cr_assert_eq(sql_int("SELECT fee_cents FROM libraries WHERE slug = 'fietsbieb'"), 0);
  cr_assert_eq(sql_int("SELECT count(*) FROM libraries WHERE slug = 'babytheek'"
                       " AND targets = '{}'"), 1);
  cr_assert_eq(sql_int("SELECT count(*) FROM audit WHERE action = 'library.update'"), 1);
}

/* The dates of a sessions answer, comma separated. */
static char *session_dates(const char *path)
{
  struct ts_http h;
  call("GET", path, AT_VOLUNTEER, NULL, &h);
  cr_assert_eq(h.status, 200, "%s: %s", path, h.body);
  char buf[512] = "";
  size_t n = 0;
  cJSON *s;
  cJSON_ArrayForEach(s, cJSON_GetObjectItem(h.json, "items"))
  {
    int w = snprintf(buf + n, sizeof buf - n, "%s%s", n ? "," : "", at_str(s, "date"));
    if (w > 0 && (size_t)w < sizeof buf - n)
      n += (size_t)w;
  }
  ts_http_release(&h);
  return strdup(buf);
}

#define JANUARY "/v1/libraries/fietsbieb/sessions?from=2026-01-01&to=2026-01-31"

Test(libraries, sessions_closures_and_openings)
{
  /* every Wednesday 14:00-17:00: 7, 14, 21 and 28 January 2026 */
  sql_run("INSERT INTO schedule_rules (library_id, freq, weekday, starts_at, ends_at)"
          " SELECT id, 'weekly', 3, '14:00', '17:00' FROM libraries WHERE slug = 'fietsbieb'");
  char *d = session_dates(JANUARY);
  cr_assert_str_eq(d, "2026-01-07,2026-01-14,2026-01-21,2026-01-28");
  free(d);
  struct ts_http h;
  call("GET", JANUARY, AT_VOLUNTEER, NULL, &h);
  cJSON *first = cJSON_GetArrayItem(cJSON_GetObjectItem(h.json, "items"), 0);
  cr_assert_str_eq(at_str(first, "start"), "14:00");
  cr_assert_str_eq(at_str(first, "end"), "17:00");
  ts_http_release(&h);

  /* one day, then a period */
  call("POST", "/v1/libraries/fietsbieb/closures", AT_COORDINATOR,
       J({"date": "2026-01-14", "note": "staff training"}), &h);
  cr_assert_eq(h.status, 201, "%s", h.body);
  cr_assert_str_eq(at_str(h.json, "from"), "2026-01-14");
  cr_assert_str_eq(at_str(h.json, "to"), "2026-01-14");
  cr_assert_str_eq(at_str(h.json, "note"), "staff training");
  cr_assert(at_num(h.json, "id") > 0);
  ts_http_release(&h);
  call("POST", "/v1/libraries/fietsbieb/closures", AT_ADMIN,
       J({"from": "2026-01-20", "to": "2026-01-31"}), &h);
  cr_assert_eq(h.status, 201, "%s", h.body);
  cr_assert(cJSON_IsNull(cJSON_GetObjectItem(h.json, "note")));
  ts_http_release(&h);
  /* a one-off opening on a Saturday */
  call("POST", "/v1/libraries/fietsbieb/openings", AT_COORDINATOR,
       J({"date": "2026-01-24", "start": "10:00", "end": "12:00", "note": "repair cafe"}), &h);
  cr_assert_eq(h.status, 201, "%s", h.body);
  cr_assert_str_eq(at_str(h.json, "date"), "2026-01-24");
  ts_http_release(&h);
  d = session_dates(JANUARY);
  cr_assert_str_eq(d, "2026-01-07,2026-01-24");
  free(d);
  cr_assert_eq(sql_int("SELECT count(*) FROM schedule_exceptions WHERE kind = 'closed'"), 2);
  cr_assert_eq(sql_int("SELECT count(*) FROM schedule_exceptions WHERE kind = 'open'"), 1);
  cr_assert_eq(sql_int("SELECT count(*) FROM audit WHERE action IN"
                       " ('schedule.closure', 'schedule.opening')"), 3);
}

Test(libraries, sessions_closures_and_openings_refuse_bad_requests)
{
  const char *s = "/v1/libraries/fietsbieb/sessions";
  char path[256];
  expect_field("GET", s, AT_VOLUNTEER, NULL, 422, "invalid_field", "?from");
  snprintf(path, sizeof path, "%s?from=2026-02-30&to=2026-03-01", s);
  expect_field("GET", path, AT_VOLUNTEER, NULL, 422, "invalid_date", "?from");
  snprintf(path, sizeof path, "%s?from=2026-03-01&to=2026-02-01", s);
  expect_field("GET", path, AT_VOLUNTEER, NULL, 422, "invalid_date", "?to");
  snprintf(path, sizeof path, "%s?from=2026-01-01&to=2029-01-01", s);
  expect_field("GET", path, AT_VOLUNTEER, NULL, 422, "invalid_field", "?to");
  expect("GET", "/v1/libraries/nowhere/sessions?from=2026-01-01&to=2026-01-31", AT_VOLUNTEER,
         NULL, 404, "not_found");
  expect("GET", JANUARY, AT_SOCIAL_WORKER, NULL, 403, "forbidden");
  expect("GET", JANUARY, AT_NONE, NULL, 401, "unauthenticated");

  const char *c = "/v1/libraries/fietsbieb/closures";
  expect_field("POST", c, AT_COORDINATOR, "{}", 422, "invalid_field", "/from");
  expect_field("POST", c, AT_COORDINATOR, J({"date": "2026-01-14", "from": "2026-01-14"}), 422,
               "invalid_field", "/date");
  expect_field("POST", c, AT_COORDINATOR, J({"from": "2026-01-14", "to": "2026-01-13"}), 422,
               "invalid_date", "/to");
  expect_field("POST", c, AT_COORDINATOR, J({"from": "2026-01-01", "to": "2027-06-01"}), 422,
               "invalid_field", "/to");
  expect_field("POST", c, AT_COORDINATOR, J({"date": "2026-13-01"}), 422, "invalid_date",
               "/date");
  expect_field("POST", c, AT_COORDINATOR, J({"date": "2026-01-14", "why": "x"}), 400,
               "unknown_field", "/why");
  expect("POST", c, AT_VOLUNTEER, J({"date": "2026-01-14"}), 403, "forbidden");
  expect("POST", "/v1/libraries/babytheek/closures", AT_COORDINATOR, J({"date": "2026-01-14"}),
         403, "forbidden");
  expect("POST", "/v1/libraries/nowhere/closures", AT_ADMIN, J({"date": "2026-01-14"}), 404,
         "not_found");

  const char *o = "/v1/libraries/fietsbieb/openings";
  expect_field("POST", o, AT_COORDINATOR, J({"start": "10:00", "end": "12:00"}), 422,
               "invalid_date", "/date");
  expect_field("POST", o, AT_COORDINATOR, J({"date": "2026-01-24", "start": "12:00",
                                             "end": "10:00"}),
               422, "invalid_field", "/end");
  expect_field("POST", o, AT_COORDINATOR, J({"date": "2026-01-24", "start": "25:00",
                                             "end": "26:00"}),
               422, "invalid_field", "/start");
  expect("POST", o, AT_VOLUNTEER, J({"date": "2026-01-24", "start": "10:00", "end": "12:00"}),
         403, "forbidden");
  expect("POST", "/v1/libraries/babytheek/openings", AT_COORDINATOR,
         J({"date": "2026-01-24", "start": "10:00", "end": "12:00"}), 403, "forbidden");
  cr_assert_eq(sql_int("SELECT count(*) FROM schedule_exceptions"), 0);
}

Test(libraries, categories_list_and_create)
{
  struct ts_http h;
  call("POST", "/v1/libraries/fietsbieb/categories", AT_COORDINATOR,
       J({"name": "Fiets 16 inch", "deposit_cents": 2000, "loan_days": 365,
          "components": ["bel", "slot"], "min_age_months": 48, "max_age_months": 84}),
       &h);
  cr_assert_eq(h.status, 201, "%s", h.body);
  long long id = (long long)at_num(h.json, "id");
  char want[512];
  snprintf(want, sizeof want,
           J({"id": %lld, "library": "fietsbieb", "name": "Fiets 16 inch", "deposit_cents": 2000,
              "loan_days": 365, "components": ["bel", "slot"], "min_age_months": 48,
              "max_age_months": 84, "safety_check": false}),
           id);
  cJSON *w = cJSON_Parse(want);
  cr_assert(cJSON_Compare(h.json, w, 1), "got %s", h.body);
  ts_http_release(&h);
  /* defaults: the library's loan days, no components, no age window */
  call("POST", "/v1/libraries/fietsbieb/categories", AT_ADMIN, J({"name": "Loopfiets"}), &h);
  cr_assert_eq(h.status, 201, "%s", h.body);
  cr_assert_eq(at_num(h.json, "loan_days"), 28);
  cr_assert(cJSON_IsNull(cJSON_GetObjectItem(h.json, "min_age_months")));
  cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(h.json, "components")), 0);
  ts_http_release(&h);

  call("GET", "/v1/libraries/fietsbieb/categories", AT_VOLUNTEER, NULL, &h);
  cr_assert_eq(h.status, 200, "%s", h.body);
  cJSON *items = cJSON_GetObjectItem(h.json, "items");
  cr_assert_eq(cJSON_GetArraySize(items), 2);
  cr_assert(cJSON_Compare(cJSON_GetArrayItem(items, 0), w, 1), "got %s", h.body);
  cr_assert_str_eq(at_str(cJSON_GetArrayItem(items, 1), "name"), "Loopfiets");
  ts_http_release(&h);
  cJSON_Delete(w);
  /* a volunteer may look at another counter's categories */
  expect("GET", "/v1/libraries/babytheek/categories", AT_VOLUNTEER, NULL, 200, NULL);
  cr_assert_eq(sql_int("SELECT count(*) FROM categories"), 2);
  cr_assert_eq(sql_int("SELECT count(*) FROM audit WHERE action = 'category.create'"), 2);
}

Test(libraries, categories_refuse_bad_requests)
{
  const char *c = "/v1/libraries/fietsbieb/categories";
  sql_run("INSERT INTO categories (library_id, name, loan_days) SELECT id, 'Fiets 20 inch', 365"
          " FROM libraries WHERE slug = 'fietsbieb'");
  expect_field("POST", c, AT_COORDINATOR, "{}", 422, "invalid_field", "/name");
  expect_field("POST", c, AT_COORDINATOR, J({"name": "Fiets 20 inch"}), 409, "conflict",
               "/name");
  expect_field("POST", c, AT_COORDINATOR, J({"name": "X", "deposit_cents": -500}), 422,
               "invalid_amount", "/deposit_cents");
  expect_field("POST", c, AT_COORDINATOR, J({"name": "X", "components": ["bel", ""]}), 422,
               "invalid_field", "/components/1");
  expect_field("POST", c, AT_COORDINATOR,
               J({"name": "X", "min_age_months": 84, "max_age_months": 48}), 422,
               "invalid_field", "/max_age_months");
  expect_field("POST", c, AT_COORDINATOR, J({"name": "X", "loan_days": 0}), 422,
               "invalid_field", "/loan_days");
  expect_field("POST", c, AT_COORDINATOR, J({"name": "X", "safety_check": "yes"}), 422,
               "invalid_field", "/safety_check");
  expect_field("POST", c, AT_COORDINATOR, J({"name": "X", "library": "babytheek"}), 400,
               "unknown_field", "/library");
  expect("POST", c, AT_VOLUNTEER, J({"name": "X"}), 403, "forbidden");
  expect("POST", "/v1/libraries/babytheek/categories", AT_COORDINATOR, J({"name": "X"}), 403,
         "forbidden");
  expect("POST", "/v1/libraries/nowhere/categories", AT_ADMIN, J({"name": "X"}), 404,
         "not_found");
  expect("GET", c, AT_SOCIAL_WORKER, NULL, 403, "forbidden");
  expect("GET", "/v1/libraries/nowhere/categories", AT_VOLUNTEER, NULL, 404, "not_found");
  cr_assert_eq(sql_int("SELECT count(*) FROM categories"), 1);
}
