/* Opening sessions and due dates: weekly rules, the n-th and the last
 * weekday of the month, closed months, closures and one-off openings. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "leen/library.h"
#include "leen/schedule.h"
#include "tsupport.h"

static char *ci;
static struct leen_db *db;
static PGconn *pg;
static struct leen_actor admin, coord_fb, coord_bt, volunteer, social;
static struct leen_library fb, bt;

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

/* Fietsbieb: every 3rd Saturday 10:00-12:00, closed in January. */
static const int64_t january[] = {1};
static const struct leen_schedule_rule_new fb_rules[] = {
  {.freq = "monthly", .nth = 3, .weekday = 6, .start = "10:00", .end = "12:00",
   .closed_months = january, .nclosed_months = 1},
};
/* Babytheek: every Wednesday 14:00-17:00 and the 1st Saturday 10:00-12:00. */
static const struct leen_schedule_rule_new bt_rules[] = {
  {.freq = "weekly", .weekday = 3, .start = "14:00", .end = "17:00"},
  {.freq = "monthly", .nth = 1, .weekday = 6, .start = "10:00", .end = "12:00"},
};

static struct leen_library library(const char *slug, const char *prefix,
                                   const struct leen_schedule_rule_new *rules, size_t n)
{
  struct leen_library_new l;
  leen_library_new_init(&l);
  l.slug = slug;
  l.name = slug;
  l.kind = slug;
  l.code_prefix = prefix;
  l.schedule = rules;
  l.nschedule = n;
  struct leen_library out;
  struct leen_err err;
  cr_assert_eq(leen_library_create(db, &admin, NULL, &l, &out, &err), 0, "%s %s", err.message,
               err.field);
  return out;
}

static void setup(void)
{
  ci = ts_db_create(1);
  struct leen_err err;
  cr_assert_eq(leen_db_open(&db, ci, &err), 0, "%s", err.message);
  pg = ts_connect(ci);
  admin = actor("beheer", LEEN_ROLE_ADMIN);
  fb = library("fietsbieb", "FB", fb_rules, 1);
  bt = library("babytheek", "BT", bt_rules, 2);
  coord_fb = actor("coord-fb", LEEN_ROLE_COORDINATOR);
  coord_fb.libraries[coord_fb.nlibraries++] = fb.id;
  coord_bt = actor("coord-bt", LEEN_ROLE_COORDINATOR);
  coord_bt.libraries[coord_bt.nlibraries++] = bt.id;
  volunteer = actor("vrijwilliger", LEEN_ROLE_VOLUNTEER);
  volunteer.libraries[volunteer.nlibraries++] = fb.id;
  volunteer.libraries[volunteer.nlibraries++] = bt.id;
  social = actor("sociaal", LEEN_ROLE_SOCIAL_WORKER);
}

static void teardown(void)
{
  PQfinish(pg);
  leen_db_close(db);
  ts_db_drop(ci);
}

TestSuite(schedule, .init = setup, .fini = teardown, .timeout = 120);

/* Asserts the sessions of `slug` from..to are exactly `want`, a list of
 * "YYYY-MM-DD HH:MM-HH:MM" strings. */
static void expect_sessions(const struct leen_actor *a, const char *slug, const char *from,
                            const char *to, const char *const *want, size_t nwant)
{
  struct leen_session *s;
  size_t n;
  struct leen_err err;
  cr_assert_eq(leen_session_list(db, a, slug, from, to, &s, &n, &err), 0, "%s", err.message);
  char got[2048] = "", exp[2048] = "";
  size_t gl = 0, el = 0;
  for (size_t i = 0; i < n; i++)
    gl += (size_t)snprintf(got + gl, sizeof got - gl, "%s %s-%s; ", s[i].date, s[i].start,
                           s[i].end);
  for (size_t i = 0; i < nwant; i++)
    el += (size_t)snprintf(exp + el, sizeof exp - el, "%s; ", want[i]);
  cr_assert_str_eq(got, exp);
  free(s);
}

static void expect_due(int64_t library_id, const char *start, int64_t days, const char *want)
{
  char due[11];
  struct leen_err err;
  cr_assert_eq(leen_due_date(db, library_id, start, days, due, &err), 0, "%s", err.message);
  cr_assert_str_eq(due, want, "start %s + %lld days", start, (long long)days);
}

Test(schedule, fietsbieb_opens_the_third_saturday_except_in_january)
{
  const char *want[] = {
    "2026-11-21 10:00-12:00", "2026-12-19 10:00-12:00", "2027-02-20 10:00-12:00",
    "2027-03-20 10:00-12:00",
  };
  expect_sessions(&volunteer, "fietsbieb", "2026-11-01", "2027-03-31", want, 4);
  /* anyone logged in may read them, social workers too */
  expect_sessions(&social, "fietsbieb", "2026-11-21", "2026-11-21", want, 1);
}

Test(schedule, fietsbieb_due_dates)
{
  /* started the day after the 3rd-Saturday session of November 2026, for a
   * year: 2027-11-22 is a Monday, the next session the 3rd Saturday of
   * December 2027 */
  expect_due(fb.id, "2026-11-22", 365, "2027-12-18");
  /* four weeks after the day after the December session: January is
   * closed, so the February session */
  expect_due(fb.id, "2026-12-20", 28, "2027-02-20");
  /* two weeks: 2027-01-03 would be due on the closed 2027-01-16 */
  expect_due(fb.id, "2026-12-20", 14, "2027-02-20");
  /* on a session day itself */
  expect_due(fb.id, "2026-11-21", 0, "2026-11-21");
  expect_due(fb.id, "2026-11-14", 7, "2026-11-21");

  /* without the closed month the same loan is due in January */
  struct leen_library_new l;
  leen_library_new_init(&l);
  struct leen_schedule_rule_new open_all_year = fb_rules[0];
  open_all_year.nclosed_months = 0;
  l.schedule = &open_all_year;
  l.nschedule = 1;
  struct leen_err err;
  cr_assert_eq(leen_library_update(db, &coord_fb, "fietsbieb", &l, LEEN_LIBRARY_SCHEDULE, NULL,
                                   &err), 0, "%s", err.message);
  expect_due(fb.id, "2026-12-20", 14, "2027-01-16");
}

Test(schedule, babytheek_wednesdays_and_first_saturday)
{
  const char *want[] = {
    "2026-11-04 14:00-17:00", "2026-11-07 10:00-12:00", "2026-11-11 14:00-17:00",
    "2026-11-18 14:00-17:00", "2026-11-25 14:00-17:00",
  };
  expect_sessions(&volunteer, "babytheek", "2026-11-01", "2026-11-30", want, 5);
  expect_due(bt.id, "2026-11-04", 3, "2026-11-07");
  expect_due(bt.id, "2026-11-04", 4, "2026-11-11");
  expect_due(bt.id, "2026-11-04", 7, "2026-11-11");
  /* 2026-12-05 is the 1st Saturday of December */
  expect_due(bt.id, "2026-11-26", 8, "2026-12-05");
}

Test(schedule, a_closure_moves_the_due_date_to_the_next_session)
{
  struct leen_err err;
  int64_t id;
  cr_assert_eq(leen_closure_add(db, &coord_bt, "babytheek", "2026-11-11", "2026-11-11",
                                "personeelsvergadering", &id, &err), 0, "%s", err.message);
  cr_assert_gt(id, 0);
  expect_due(bt.id, "2026-11-04", 7, "2026-11-18");
  /* the Christmas holidays: the 23rd, 30th and the 1st Saturday of January go */
  cr_assert_eq(leen_closure_add(db, &coord_bt, "babytheek", "2026-12-21", "2027-01-03", NULL,
                                NULL, &err), 0, "%s", err.message);
  const char *want[] = {"2026-12-16 14:00-17:00", "2027-01-06 14:00-17:00"};
  expect_sessions(&volunteer, "babytheek", "2026-12-14", "2027-01-06", want, 2);
  expect_due(bt.id, "2026-12-20", 1, "2027-01-06");
  /* other libraries are not closed */
  expect_due(fb.id, "2026-12-19", 0, "2026-12-19");

  cr_assert_eq(ts_sql_int(pg, "SELECT count(*) FROM schedule_exceptions WHERE kind = 'closed'"
                              " AND created_by IS NOT NULL"), 2);
  cr_assert_eq(ts_sql_int(pg, "SELECT count(*) FROM audit WHERE action = 'schedule.closure'"
                              " AND details = '{\"library\": \"babytheek\", \"from\": \"2026-12-21\","
                              " \"to\": \"2027-01-03\"}'::jsonb"), 1);
}

Test(schedule, the_last_weekday_of_the_month)
{
  const struct leen_schedule_rule_new last_friday[] = {
    {.freq = "monthly", .nth = -1, .weekday = 5, .start = "14:00", .end = "16:00"},
  };
  struct leen_library sp = library("speelotheek", "SP", last_friday, 1);
  const char *want[] = {
    "2026-11-27 14:00-16:00", "2026-12-25 14:00-16:00", "2027-01-29 14:00-16:00",
    "2027-02-26 14:00-16:00",
  };
  expect_sessions(&admin, "speelotheek", "2026-11-01", "2027-02-28", want, 4);
  expect_due(sp.id, "2026-11-27", 1, "2026-12-25");
  /* a 5th weekday that some months lack: the 5th Wednesday */
  const struct leen_schedule_rule_new fifth[] = {
    {.freq = "monthly", .nth = 5, .weekday = 3, .start = "14:00", .end = "16:00"},
  };
  struct leen_library_new l;
  leen_library_new_init(&l);
  l.schedule = fifth;
  l.nschedule = 1;
  struct leen_err err;
  cr_assert_eq(leen_library_update(db, &admin, "speelotheek", &l, LEEN_LIBRARY_SCHEDULE, NULL,
                                   &err), 0, "%s", err.message);
  const char *want5[] = {"2026-12-30 14:00-16:00", "2027-03-31 14:00-16:00"};
  expect_sessions(&admin, "speelotheek", "2026-11-01", "2027-04-30", want5, 2);
}

Test(schedule, a_one_off_opening_counts)
{
  struct leen_err err;
  int64_t id;
  cr_assert_eq(leen_opening_add(db, &coord_fb, "fietsbieb", "2026-12-05", "09:00", "11:00",
                                "extra: Sinterklaas", &id, &err), 0, "%s", err.message);
  const char *want[] = {"2026-12-05 09:00-11:00", "2026-12-19 10:00-12:00"};
  expect_sessions(&volunteer, "fietsbieb", "2026-11-22", "2026-12-31", want, 2);
  expect_due(fb.id, "2026-11-22", 7, "2026-12-05");
  /* even inside a closure, and even in a closed month */
  cr_assert_eq(leen_closure_add(db, &coord_fb, "fietsbieb", "2026-12-01", "2026-12-31", NULL, NULL,
                                &err), 0);
  expect_sessions(&volunteer, "fietsbieb", "2026-11-22", "2026-12-31", want, 1);
  cr_assert_eq(leen_opening_add(db, &coord_fb, "fietsbieb", "2027-01-09", "10:00", "12:00", NULL,
                                NULL, &err), 0);
  expect_due(fb.id, "2026-12-06", 1, "2027-01-09");
  cr_assert_eq(ts_sql_int(pg, "SELECT count(*) FROM audit WHERE action = 'schedule.opening'"
                              " AND details->>'date' = '2026-12-05'"
                              " AND details->>'start' = '09:00'"), 1);
}

Test(schedule, a_library_without_sessions_is_due_after_the_loan_days)
{
  struct leen_library none = library("zonder", "ZO", NULL, 0);
  expect_due(none.id, "2026-11-22", 30, "2026-12-22");
  struct leen_session *s = (void *)1;
  size_t n = 9;
  struct leen_err err;
  cr_assert_eq(leen_session_list(db, &admin, "zonder", "2026-01-01", "2026-12-31", &s, &n, &err),
               0);
  cr_assert_eq(n, 0);
  cr_assert_null(s);
}

Test(schedule, refuses_bad_input_and_other_people)
{
  struct leen_session *s;
  size_t n;
  struct leen_err err;
  const struct {
    const char *from, *to;
    enum leen_code code;
    const char *field;
  } bad[] = {
    {"2026-02-30", "2026-03-01", LEEN_E_INVALID_DATE, "/from"},
    {"2026-1-01", "2026-03-01", LEEN_E_INVALID_DATE, "/from"},
    {"2026-01-01", "2026-13-01", LEEN_E_INVALID_DATE, "/to"},
    {"2026-01-01", "", LEEN_E_INVALID_DATE, "/to"},
    {"2026-03-01", "2026-02-28", LEEN_E_INVALID_DATE, "/to"},
    {"2026-01-01", "2028-01-02", LEEN_E_INVALID_FIELD, "/to"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    cr_assert_eq(leen_session_list(db, &admin, "fietsbieb", bad[i].from, bad[i].to, &s, &n, &err),
                 -1, "%zu", i);
    cr_assert_eq(err.code, bad[i].code, "%zu: %s", i, err.message);
    cr_assert_str_eq(err.field, bad[i].field, "%zu", i);
  }
  /* 2024 is a leap year; 731 days is the most */
  cr_assert_eq(leen_session_list(db, &admin, "fietsbieb", "2024-02-29", "2026-02-28", &s, &n, &err),
               0, "%s", err.message);
  free(s);
  cr_assert_eq(leen_session_list(db, &admin, "nergens", "2026-01-01", "2026-01-31", &s, &n, &err),
               -1);
  cr_assert_eq(err.code, LEEN_E_NOT_FOUND);
  cr_assert_str_eq(err.field, "/library");

  /* closures and openings: the library's coordinator or an admin */
  cr_assert_eq(leen_closure_add(db, &volunteer, "fietsbieb", "2026-12-01", "2026-12-01", NULL,
                                NULL, &err), -1);
  cr_assert_eq(err.code, LEEN_E_FORBIDDEN);
  cr_assert_eq(leen_closure_add(db, &coord_bt, "fietsbieb", "2026-12-01", "2026-12-01", NULL,
                                NULL, &err), -1);
  cr_assert_eq(err.code, LEEN_E_FORBIDDEN);
  cr_assert_eq(leen_opening_add(db, &social, "fietsbieb", "2026-12-01", "10:00", "11:00", NULL,
                                NULL, &err), -1);
  cr_assert_eq(err.code, LEEN_E_FORBIDDEN);
  cr_assert_eq(leen_closure_add(db, &admin, "fietsbieb", "2026-12-01", "2026-12-01", NULL, NULL,
                                &err), 0);
  cr_assert_eq(leen_closure_add(db, &coord_fb, "fietsbieb", "2026-12-02", "2026-12-01", NULL,
                                NULL, &err), -1);
  cr_assert_eq(err.code, LEEN_E_INVALID_DATE);
  cr_assert_str_eq(err.field, "/to");
  cr_assert_eq(leen_closure_add(db, &coord_fb, "fietsbieb", "2026-01-01", "2027-01-02", NULL,
                                NULL, &err), -1);
  cr_assert_eq(err.code, LEEN_E_INVALID_FIELD);
  cr_assert_str_eq(err.field, "/to");
  cr_assert_eq(leen_closure_add(db, &coord_fb, "fietsbieb", "2026-01-01", "2026-12-31", "a\x01",
                                NULL, &err), -1);
  cr_assert_str_eq(err.field, "/note");
  cr_assert_eq(leen_opening_add(db, &coord_fb, "fietsbieb", "2026-12-01", "11:00", "11:00", NULL,
                                NULL, &err), -1);
  cr_assert_eq(err.code, LEEN_E_INVALID_FIELD);
  cr_assert_str_eq(err.field, "/end");
  cr_assert_eq(leen_opening_add(db, &coord_fb, "fietsbieb", "2026-12-01", "24:00", "25:00", NULL,
                                NULL, &err), -1);
  cr_assert_str_eq(err.field, "/start");
  cr_assert_eq(leen_opening_add(db, &coord_fb, "fietsbieb", "2026-11-31", "10:00", "11:00", NULL,
                                NULL, &err), -1);
  cr_assert_eq(err.code, LEEN_E_INVALID_DATE);
  cr_assert_str_eq(err.field, "/date");
  cr_assert_eq(ts_sql_int(pg, "SELECT count(*) FROM schedule_exceptions"), 1);

  char due[11];
  cr_assert_eq(leen_due_date(db, fb.id, "2026-02-29", 7, due, &err), -1);
  cr_assert_eq(err.code, LEEN_E_INVALID_DATE);
  cr_assert_str_eq(err.field, "/start_date");
  cr_assert_eq(leen_due_date(db, fb.id, "2026-02-28", -1, due, &err), -1);
  cr_assert_eq(err.code, LEEN_E_INVALID_FIELD);
  cr_assert_str_eq(err.field, "/loan_days");
  cr_assert_eq(leen_due_date(db, 999999, "2026-02-28", 7, due, &err), -1);
  cr_assert_eq(err.code, LEEN_E_NOT_FOUND);
}
