/* Libraries: create, read, list, update; every field checked with its
 * pointer; who may do what. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "leen/item.h"
#include "leen/library.h"
#include "tsupport.h"

static char *ci;
static struct leen_db *db;
static PGconn *pg;
static struct leen_actor admin, volunteer, social;

static int64_t add_user(const char *name, const char *role, const char *org)
{
  const char *p[] = {name, role, org};
  PGresult *r = ts_sql(pg,
                       "INSERT INTO users (org_id, username, password_hash, role)"
                       " SELECT id, $1, 'x', $2 FROM orgs WHERE slug = $3 RETURNING id",
                       3, p);
  int64_t id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
  PQclear(r);
  return id;
}

static struct leen_actor actor(const char *name, enum leen_role role)
{
  struct leen_actor a = {.org_id = ts_sql_int(pg, "SELECT id FROM orgs WHERE slug = 'default'"),
                         .role = role};
  a.user_id = add_user(name, leen_role_name(role), "default");
  return a;
}

static void setup(void)
{
  ci = ts_db_create(1);
  struct leen_err err;
  cr_assert_eq(leen_db_open(&db, ci, &err), 0, "%s", err.message);
  pg = ts_connect(ci);
  admin = actor("beheer", LEEN_ROLE_ADMIN);
  volunteer = actor("vrijwilliger", LEEN_ROLE_VOLUNTEER);
  social = actor("sociaal", LEEN_ROLE_SOCIAL_WORKER);
}

static void teardown(void)
{
  PQfinish(pg);
  leen_db_close(db);
  ts_db_drop(ci);
}

TestSuite(library, .init = setup, .fini = teardown, .timeout = 120);

static const int64_t fb_closed[] = {1};
static const struct leen_schedule_rule_new fb_rules[] = {
  {.freq = "monthly", .nth = 3, .weekday = 6, .start = "10:00", .end = "12:00",
   .closed_months = fb_closed, .nclosed_months = 1},
};

static void fietsbieb(struct leen_library_new *l)
{
  leen_library_new_init(l);
  l->slug = "fietsbieb";
  l->name = "Fietsbieb Izegem";
  l->kind = "fietsbieb";
  l->code_prefix = "FB";
  l->fee_cents = 2000;
  l->social_fee_cents = 500;
  l->fee_per = "slot";
  l->social_deposit_percent = 50;
  l->membership_months = 12;
  l->max_slots = 4;
  l->default_loan_days = 365;
  l->schedule = fb_rules;
  l->nschedule = 1;
  l->targets.new_households_6m = 40;
  l->targets.reduced_share_min = 25;
  l->targets.reduced_share_max = 50;
  l->targets.loans_per_session = 10;
}

static void babytheek(struct leen_library_new *l)
{
  leen_library_new_init(l);
  l->slug = "babytheek";
  l->name = "Babytheek Izegem";
  l->kind = "babytheek";
  l->code_prefix = "BT";
  l->fee_cents = 3000;
  l->social_fee_cents = 500;
  l->fee_per = "household";
  l->max_slots = 5;
  l->default_loan_days = 90;
}

static struct leen_library create(void (*fill)(struct leen_library_new *))
{
  struct leen_library_new l;
  fill(&l);
  struct leen_library out;
  struct leen_err err;
  cr_assert_eq(leen_library_create(db, &admin, NULL, &l, &out, &err), 0, "%s %s", err.message,
               err.field);
  return out;
}

Test(library, create_stores_every_field)
{
  struct leen_library fb = create(fietsbieb);
  cr_assert_gt(fb.id, 0);
  cr_assert_eq(fb.org_id, admin.org_id);
  cr_assert_str_eq(fb.slug, "fietsbieb");
  cr_assert_str_eq(fb.name, "Fietsbieb Izegem");
  cr_assert_str_eq(fb.kind, "fietsbieb");
  cr_assert_str_eq(fb.code_prefix, "FB");
  cr_assert_eq(fb.fee_cents, 2000);
  cr_assert_eq(fb.social_fee_cents, 500);
  cr_assert_str_eq(fb.fee_per, "slot");
  cr_assert_eq(fb.social_deposit_percent, 50);
  cr_assert_eq(fb.membership_months, 12);
  cr_assert_eq(fb.max_slots, 4);
  cr_assert_eq(fb.default_loan_days, 365);
  cr_assert_eq(fb.nschedule, 1);
  cr_assert_str_eq(fb.schedule[0].freq, "monthly");
  cr_assert_eq(fb.schedule[0].nth, 3);
  cr_assert_eq(fb.schedule[0].weekday, 6);
  cr_assert_str_eq(fb.schedule[0].start, "10:00");
  cr_assert_str_eq(fb.schedule[0].end, "12:00");
  cr_assert_eq(fb.schedule[0].nclosed_months, 1);
  cr_assert_eq(fb.schedule[0].closed_months[0], 1);
  cr_assert_eq(fb.targets.new_households_6m, 40);
  cr_assert_eq(fb.targets.reduced_share_min, 25);
  cr_assert_eq(fb.targets.reduced_share_max, 50);
  cr_assert_eq(fb.targets.loans_per_session, 10);

  /* the same through get, by a volunteer and by a social worker */
  struct leen_library got;
  struct leen_err err;
  cr_assert_eq(leen_library_get(db, &volunteer, "fietsbieb", &got, &err), 0, "%s", err.message);
  cr_assert_eq(memcmp(&got, &fb, sizeof got), 0);
  cr_assert_eq(leen_library_get(db, &social, "fietsbieb", &got, &err), 0, "%s", err.message);

  cr_assert_eq(ts_sql_int(pg, "SELECT count(*) FROM audit WHERE action = 'library.create'"
                              " AND entity = 'library' AND user_id IS NOT NULL"
                              " AND details->>'slug' = 'fietsbieb'"), 1);
  cr_assert_eq(ts_sql_int(pg, "SELECT next_item_number FROM libraries WHERE slug = 'fietsbieb'"), 1);
}

Test(library, defaults_and_list_in_slug_order)
{
  create(fietsbieb);
  struct leen_library bt = create(babytheek);
  cr_assert_str_eq(bt.fee_per, "household");
  cr_assert_eq(bt.social_deposit_percent, 100);
  cr_assert_eq(bt.membership_months, 12);
  cr_assert_eq(bt.nschedule, 0);
  cr_assert_eq(bt.targets.new_households_6m, -1);
  cr_assert_eq(bt.targets.loans_per_session, -1);

  struct leen_library *libs;
  size_t n;
  struct leen_err err;
  cr_assert_eq(leen_library_list(db, &volunteer, &libs, &n, &err), 0, "%s", err.message);
  cr_assert_eq(n, 2);
  cr_assert_str_eq(libs[0].slug, "babytheek");
  cr_assert_str_eq(libs[1].slug, "fietsbieb");
  cr_assert_eq(libs[0].nschedule, 0);
  cr_assert_eq(libs[1].nschedule, 1);
  cr_assert_eq(libs[1].schedule[0].nth, 3);
  free(libs);
}

/* One bad value each: the error code and the pointer it names. */
struct bad_case {
  const char *what;
  void (*spoil)(struct leen_library_new *l);
  enum leen_code code;
  const char *field;
};

static struct leen_schedule_rule_new rules[LEEN_SCHEDULE_MAX_RULES + 1];
static int64_t months[3];

static void one_rule(struct leen_library_new *l)
{
  rules[0] = (struct leen_schedule_rule_new){.freq = "monthly", .nth = 3, .weekday = 6,
                                              .start = "10:00", .end = "12:00"};
  rules[1] = (struct leen_schedule_rule_new){.freq = "weekly", .weekday = 3, .start = "14:00",
                                              .end = "17:00"};
  l->schedule = rules;
  l->nschedule = 2;
}

static void s_slug_caps(struct leen_library_new *l) { l->slug = "Fietsbieb"; }
static void s_slug_empty(struct leen_library_new *l) { l->slug = ""; }
static void s_slug_null(struct leen_library_new *l) { l->slug = NULL; }
static void s_name_empty(struct leen_library_new *l) { l->name = ""; }
static void s_name_utf8(struct leen_library_new *l) { l->name = "Fiets\xff"; }
static void s_name_ctrl(struct leen_library_new *l) { l->name = "Fiets\nbieb"; }
static void s_kind(struct leen_library_new *l) { l->kind = "fiets bieb"; }
static void s_prefix_lower(struct leen_library_new *l) { l->code_prefix = "fb"; }
static void s_prefix_long(struct leen_library_new *l) { l->code_prefix = "FBXYZ"; }
static void s_prefix_digit(struct leen_library_new *l) { l->code_prefix = "F1"; }
static void s_fee_negative(struct leen_library_new *l) { l->fee_cents = -1; }
static void s_fee_huge(struct leen_library_new *l) { l->fee_cents = 100000001; }
static void s_social_above(struct leen_library_new *l) { l->social_fee_cents = 2001; }
static void s_fee_per(struct leen_library_new *l) { l->fee_per = "gezin"; }
static void s_percent(struct leen_library_new *l) { l->social_deposit_percent = 101; }
static void s_months(struct leen_library_new *l) { l->membership_months = 0; }
static void s_slots(struct leen_library_new *l) { l->max_slots = 101; }
static void s_loan_days(struct leen_library_new *l) { l->default_loan_days = 0; }
static void s_freq(struct leen_library_new *l) { one_rule(l); rules[0].freq = "daily"; }
static void s_weekday(struct leen_library_new *l) { one_rule(l); rules[1].weekday = 8; }
static void s_weekday0(struct leen_library_new *l) { one_rule(l); rules[0].weekday = 0; }
static void s_nth0(struct leen_library_new *l) { one_rule(l); rules[0].nth = 0; }
static void s_nth6(struct leen_library_new *l) { one_rule(l); rules[0].nth = 6; }
static void s_nth_minus2(struct leen_library_new *l) { one_rule(l); rules[0].nth = -2; }
static void s_weekly_nth(struct leen_library_new *l) { one_rule(l); rules[1].nth = 2; }
static void s_start(struct leen_library_new *l) { one_rule(l); rules[0].start = "25:00"; }
static void s_start_form(struct leen_library_new *l) { one_rule(l); rules[0].start = "9:00"; }
static void s_end_before(struct leen_library_new *l) { one_rule(l); rules[1].end = "14:00"; }
static void s_month13(struct leen_library_new *l)
{
  one_rule(l);
  months[0] = 1;
  months[1] = 13;
  rules[0].closed_months = months;
  rules[0].nclosed_months = 2;
}
static void s_month_twice(struct leen_library_new *l)
{
  one_rule(l);
  months[0] = 7;
  months[1] = 8;
  months[2] = 7;
  rules[0].closed_months = months;
  rules[0].nclosed_months = 3;
}
static void s_too_many_rules(struct leen_library_new *l)
{
  for (size_t i = 0; i <= LEEN_SCHEDULE_MAX_RULES; i++)
    rules[i] = (struct leen_schedule_rule_new){.freq = "weekly", .weekday = 1, .start = "10:00",
                                                .end = "11:00"};
  l->schedule = rules;
  l->nschedule = LEEN_SCHEDULE_MAX_RULES + 1;
}
static void s_share_max(struct leen_library_new *l) { l->targets.reduced_share_max = 101; }
static void s_share_order(struct leen_library_new *l)
{
  l->targets.reduced_share_min = 60;
  l->targets.reduced_share_max = 50;
}
static void s_households(struct leen_library_new *l) { l->targets.new_households_6m = -5; }

static const struct bad_case bad_cases[] = {
  {"slug with capitals", s_slug_caps, LEEN_E_INVALID_FIELD, "/slug"},
  {"empty slug", s_slug_empty, LEEN_E_INVALID_FIELD, "/slug"},
  {"no slug", s_slug_null, LEEN_E_INVALID_FIELD, "/slug"},
  {"empty name", s_name_empty, LEEN_E_INVALID_FIELD, "/name"},
  {"name not UTF-8", s_name_utf8, LEEN_E_INVALID_FIELD, "/name"},
  {"name with a newline", s_name_ctrl, LEEN_E_INVALID_FIELD, "/name"},
  {"kind with a space", s_kind, LEEN_E_INVALID_FIELD, "/kind"},
  {"lowercase prefix", s_prefix_lower, LEEN_E_INVALID_FIELD, "/code_prefix"},
  {"five-letter prefix", s_prefix_long, LEEN_E_INVALID_FIELD, "/code_prefix"},
  {"prefix with a digit", s_prefix_digit, LEEN_E_INVALID_FIELD, "/code_prefix"},
  {"negative fee", s_fee_negative, LEEN_E_INVALID_AMOUNT, "/fee_cents"},
  {"huge fee", s_fee_huge, LEEN_E_INVALID_AMOUNT, "/fee_cents"},
  {"social fee above the fee", s_social_above, LEEN_E_INVALID_AMOUNT, "/social_fee_cents"},
  {"fee_per", s_fee_per, LEEN_E_INVALID_FIELD, "/fee_per"},
  {"deposit percent", s_percent, LEEN_E_INVALID_FIELD, "/social_deposit_percent"},
  {"membership months", s_months, LEEN_E_INVALID_FIELD, "/membership_months"},
  {"max slots", s_slots, LEEN_E_INVALID_FIELD, "/max_slots"},
  {"loan days", s_loan_days, LEEN_E_INVALID_FIELD, "/default_loan_days"},
  {"freq", s_freq, LEEN_E_INVALID_FIELD, "/schedule/0/freq"},
  {"weekday 8", s_weekday, LEEN_E_INVALID_FIELD, "/schedule/1/weekday"},
  {"weekday 0", s_weekday0, LEEN_E_INVALID_FIELD, "/schedule/0/weekday"},
  {"monthly without nth", s_nth0, LEEN_E_INVALID_FIELD, "/schedule/0/nth"},
  {"nth 6", s_nth6, LEEN_E_INVALID_FIELD, "/schedule/0/nth"},
  {"nth -2", s_nth_minus2, LEEN_E_INVALID_FIELD, "/schedule/0/nth"},
  {"weekly with nth", s_weekly_nth, LEEN_E_INVALID_FIELD, "/schedule/1/nth"},
  {"start 25:00", s_start, LEEN_E_INVALID_FIELD, "/schedule/0/start"},
  {"start 9:00", s_start_form, LEEN_E_INVALID_FIELD, "/schedule/0/start"},
  {"end not after start", s_end_before, LEEN_E_INVALID_FIELD, "/schedule/1/end"},
  {"month 13", s_month13, LEEN_E_INVALID_FIELD, "/schedule/0/closed_months/1"},
  {"month twice", s_month_twice, LEEN_E_INVALID_FIELD, "/schedule/0/closed_months/2"},
  {"17 rules", s_too_many_rules, LEEN_E_INVALID_FIELD, "/schedule"},
  {"share over 100", s_share_max, LEEN_E_INVALID_FIELD, "/targets/reduced_share_max"},
  {"share max below min", s_share_order, LEEN_E_INVALID_FIELD, "/targets/reduced_share_max"},
  {"negative target", s_households, LEEN_E_INVALID_FIELD, "/targets/new_households_6m"},
};

Test(library, refuses_each_bad_field_with_its_pointer)
{
  for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
    struct leen_library_new l;
    fietsbieb(&l);
    bad_cases[i].spoil(&l);
    struct leen_err err;
    cr_assert_eq(leen_library_create(db, &admin, NULL, &l, NULL, &err), -1, "%s",
                 bad_cases[i].what);
    cr_assert_eq(err.code, bad_cases[i].code, "%s: %s", bad_cases[i].what,
                 leen_code_name(err.code));
    cr_assert_str_eq(err.field, bad_cases[i].field, "%s", bad_cases[i].what);
    /* and the same value as an update */
    create(babytheek);
    unsigned all = ~0u;
    cr_assert_eq(leen_library_update(db, &admin, "babytheek", &l, all, NULL, &err), -1, "%s",
                 bad_cases[i].what);
    cr_assert_eq(err.code, bad_cases[i].code, "%s (update): %s", bad_cases[i].what,
                 leen_code_name(err.code));
    cr_assert_str_eq(err.field, bad_cases[i].field, "%s (update)", bad_cases[i].what);
    PQclear(ts_sql(pg, "DELETE FROM schedule_rules", 0, NULL));
    PQclear(ts_sql(pg, "DELETE FROM libraries", 0, NULL));
  }
  cr_assert_eq(ts_sql_int(pg, "SELECT count(*) FROM libraries"), 0);
}

Test(library, slug_and_prefix_are_unique)
{
  create(fietsbieb);
  struct leen_library_new l;
  babytheek(&l);
  l.slug = "fietsbieb";
  struct leen_err err;
  cr_assert_eq(leen_library_create(db, &admin, NULL, &l, NULL, &err), -1);
  cr_assert_eq(err.code, LEEN_E_CONFLICT);
  cr_assert_str_eq(err.field, "/slug");
  cr_assert_str_eq(err.message, "library \"fietsbieb\" already exists");
  babytheek(&l);
  l.code_prefix = "FB";
  cr_assert_eq(leen_library_create(db, &admin, NULL, &l, NULL, &err), -1);
  cr_assert_eq(err.code, LEEN_E_CONFLICT);
  cr_assert_str_eq(err.field, "/code_prefix");
  cr_assert_str_eq(err.message, "code prefix \"FB\" is used by library \"fietsbieb\"");
  /* and by update */
  create(babytheek);
  l.code_prefix = "FB";
  cr_assert_eq(leen_library_update(db, &admin, "babytheek", &l, LEEN_LIBRARY_CODE_PREFIX, NULL,
                                   &err), -1);
  cr_assert_eq(err.code, LEEN_E_CONFLICT);
  cr_assert_str_eq(err.field, "/code_prefix");
  l.slug = "fietsbieb";
  cr_assert_eq(leen_library_update(db, &admin, "babytheek", &l, LEEN_LIBRARY_SLUG, NULL, &err),
               -1);
  cr_assert_eq(err.code, LEEN_E_CONFLICT);
  cr_assert_str_eq(err.field, "/slug");
  /* keeping its own slug and prefix is no conflict */
  babytheek(&l);
  cr_assert_eq(leen_library_update(db, &admin, "babytheek", &l,
                                   LEEN_LIBRARY_SLUG | LEEN_LIBRARY_CODE_PREFIX, NULL, &err), 0,
               "%s", err.message);
}

Test(library, only_admins_of_the_org_create)
{
  struct leen_library_new l;
  fietsbieb(&l);
  struct leen_err err;
  struct leen_actor coordinator = actor("coordinator", LEEN_ROLE_COORDINATOR);
  const struct leen_actor *refused[] = {&volunteer, &coordinator, &social};
  for (size_t i = 0; i < 3; i++) {
    cr_assert_eq(leen_library_create(db, refused[i], NULL, &l, NULL, &err), -1);
    cr_assert_eq(err.code, LEEN_E_FORBIDDEN);
  }
  cr_assert_eq(leen_library_create(db, &admin, "nergens", &l, NULL, &err), -1);
  cr_assert_eq(err.code, LEEN_E_NOT_FOUND);
  cr_assert_str_eq(err.field, "/org");

  /* an admin of another org cannot create here, nor see this org's libraries */
  PQclear(ts_sql(pg, "INSERT INTO orgs (slug, name) VALUES ('gent', 'Stad Gent')", 0, NULL));
  struct leen_actor gent = {.org_id = ts_sql_int(pg, "SELECT id FROM orgs WHERE slug = 'gent'"),
                            .role = LEEN_ROLE_ADMIN};
  gent.user_id = add_user("gent-beheer", "admin", "gent");
  cr_assert_eq(leen_library_create(db, &gent, "default", &l, NULL, &err), -1);
  cr_assert_eq(err.code, LEEN_E_FORBIDDEN);
  cr_assert_str_eq(err.field, "/org");
  create(fietsbieb);
  struct leen_library got;
  cr_assert_eq(leen_library_get(db, &gent, "fietsbieb", &got, &err), -1);
  cr_assert_eq(err.code, LEEN_E_NOT_FOUND);
  struct leen_library *libs;
  size_t n;
  cr_assert_eq(leen_library_list(db, &gent, &libs, &n, &err), 0);
  cr_assert_eq(n, 0);
  cr_assert_null(libs);
  struct leen_library_new g;
  babytheek(&g);
  g.slug = "gent-speelotheek";
  g.code_prefix = "GS";
  cr_assert_eq(leen_library_update(db, &gent, "fietsbieb", &g, LEEN_LIBRARY_FEE_CENTS, NULL, &err),
               -1);
  cr_assert_eq(err.code, LEEN_E_NOT_FOUND);
  /* with the install's two orgs, the system actor must name one */
  struct leen_actor sys = {0};
  cr_assert_eq(leen_library_create(db, &sys, NULL, &g, NULL, &err), -1);
  cr_assert_eq(err.code, LEEN_E_INVALID_FIELD);
  cr_assert_str_eq(err.field, "/org");
  cr_assert_eq(leen_library_create(db, &gent, NULL, &g, &got, &err), 0, "%s", err.message);
  cr_assert_eq(got.org_id, gent.org_id);
  cr_assert_eq(leen_library_list(db, &gent, &libs, &n, &err), 0);
  cr_assert_eq(n, 1);
  cr_assert_str_eq(libs[0].slug, "gent-speelotheek");
  free(libs);
}

Test(library, admin_updates_only_the_fields_given)
{
  struct leen_library before = create(fietsbieb);
  struct leen_library_new l;
  leen_library_new_init(&l);
  l.fee_cents = 2500;
  l.name = "Fietsbieb Izegem-Emelgem";
  l.fee_cents = 2500;
  l.max_slots = 999; /* not in the fields: not read */
  struct leen_library after;
  struct leen_err err;
  cr_assert_eq(leen_library_update(db, &admin, "fietsbieb", &l,
                                   LEEN_LIBRARY_FEE_CENTS | LEEN_LIBRARY_NAME, &after, &err), 0,
               "%s", err.message);
  cr_assert_eq(after.fee_cents, 2500);
  cr_assert_str_eq(after.name, "Fietsbieb Izegem-Emelgem");
  cr_assert_eq(after.max_slots, 4);
  cr_assert_eq(after.social_fee_cents, 500);
  cr_assert_eq(after.nschedule, 1);
  cr_assert_eq(after.targets.loans_per_session, 10);
  cr_assert_eq(after.id, before.id);
  cr_assert_eq(ts_sql_int(pg, "SELECT count(*) FROM audit WHERE action = 'library.update'"
                              " AND details = '{\"slug\": \"fietsbieb\", \"fields\": [\"name\","
                              " \"fee_cents\"]}'::jsonb"), 1);

  /* a lower fee than the social fee is refused against the stored value */
  l.fee_cents = 400;
  cr_assert_eq(leen_library_update(db, &admin, "fietsbieb", &l, LEEN_LIBRARY_FEE_CENTS, NULL,
                                   &err), -1);
  cr_assert_eq(err.code, LEEN_E_INVALID_AMOUNT);
  cr_assert_str_eq(err.field, "/social_fee_cents");

  /* the schedule is replaced whole; the slug can change */
  struct leen_schedule_rule_new two[] = {
    {.freq = "weekly", .weekday = 3, .start = "14:00", .end = "17:00"},
    {.freq = "monthly", .nth = -1, .weekday = 6, .start = "09:30", .end = "11:45"},
  };
  l.schedule = two;
  l.nschedule = 2;
  l.slug = "fietsbib";
  cr_assert_eq(leen_library_update(db, &admin, "fietsbieb", &l,
                                   LEEN_LIBRARY_SCHEDULE | LEEN_LIBRARY_SLUG, &after, &err), 0,
               "%s", err.message);
  cr_assert_str_eq(after.slug, "fietsbib");
  cr_assert_eq(after.nschedule, 2);
  cr_assert_str_eq(after.schedule[0].freq, "weekly");
  cr_assert_eq(after.schedule[0].nth, 0);
  cr_assert_eq(after.schedule[0].nclosed_months, 0);
  cr_assert_eq(after.schedule[1].nth, -1);
  cr_assert_str_eq(after.schedule[1].start, "09:30");
  cr_assert_str_eq(after.schedule[1].end, "11:45");
  cr_assert_eq(ts_sql_int(pg, "SELECT count(*) FROM schedule_rules"), 2);
  cr_assert_eq(leen_library_get(db, &admin, "fietsbieb", &after, &err), -1);
  cr_assert_eq(err.code, LEEN_E_NOT_FOUND);

  /* an empty schedule removes every rule; targets are replaced whole */
  l.nschedule = 0;
  l.targets.loans_per_session = 12;
  cr_assert_eq(leen_library_update(db, &admin, "fietsbib", &l,
                                   LEEN_LIBRARY_SCHEDULE | LEEN_LIBRARY_TARGETS, &after, &err), 0);
  cr_assert_eq(after.nschedule, 0);
  cr_assert_eq(after.targets.loans_per_session, 12);
  cr_assert_eq(after.targets.new_households_6m, -1);

  cr_assert_eq(leen_library_update(db, &admin, "nergens", &l, LEEN_LIBRARY_NAME, NULL, &err), -1);
  cr_assert_eq(err.code, LEEN_E_NOT_FOUND);
  cr_assert_str_eq(err.field, "/library");
}

Test(library, coordinator_changes_schedule_and_targets_of_their_own_library_only)
{
  struct leen_library fb = create(fietsbieb);
  struct leen_library bt = create(babytheek);
  struct leen_actor coord = actor("coordinator", LEEN_ROLE_COORDINATOR);
  coord.libraries[0] = fb.id;
  coord.nlibraries = 1;
  struct leen_library_new l;
  leen_library_new_init(&l);
  struct leen_schedule_rule_new r = {.freq = "monthly", .nth = 3, .weekday = 6, .start = "10:00",
                                     .end = "13:00"};
  l.schedule = &r;
  l.nschedule = 1;
  l.targets.loans_per_session = 15;
  struct leen_library after;
  struct leen_err err;
  cr_assert_eq(leen_library_update(db, &coord, "fietsbieb", &l,
                                   LEEN_LIBRARY_SCHEDULE | LEEN_LIBRARY_TARGETS, &after, &err), 0,
               "%s", err.message);
  cr_assert_str_eq(after.schedule[0].end, "13:00");
  cr_assert_eq(after.targets.loans_per_session, 15);

  l.fee_cents = 0;
  cr_assert_eq(leen_library_update(db, &coord, "fietsbieb", &l,
                                   LEEN_LIBRARY_SCHEDULE | LEEN_LIBRARY_FEE_CENTS, NULL, &err), -1);
  cr_assert_eq(err.code, LEEN_E_FORBIDDEN);
  cr_assert_str_eq(err.field, "/fee_cents");
  cr_assert_eq(ts_sql_int(pg, "SELECT fee_cents FROM libraries WHERE slug = 'fietsbieb'"), 2000);

  cr_assert_eq(leen_library_update(db, &coord, "babytheek", &l, LEEN_LIBRARY_SCHEDULE, NULL,
                                   &err), -1);
  cr_assert_eq(err.code, LEEN_E_FORBIDDEN);
  cr_assert_eq(ts_sql_int(pg, "SELECT count(*) FROM schedule_rules WHERE library_id = (SELECT id"
                              " FROM libraries WHERE slug = 'babytheek')"), 0);
  (void)bt;

  struct leen_actor vol = volunteer;
  vol.libraries[0] = fb.id;
  vol.nlibraries = 1;
  cr_assert_eq(leen_library_update(db, &vol, "fietsbieb", &l, LEEN_LIBRARY_TARGETS, NULL, &err),
               -1);
  cr_assert_eq(err.code, LEEN_E_FORBIDDEN);
  cr_assert_eq(leen_library_update(db, &social, "fietsbieb", &l, LEEN_LIBRARY_TARGETS, NULL, &err),
               -1);
  cr_assert_eq(err.code, LEEN_E_FORBIDDEN);
}

Test(library, code_prefix_is_fixed_once_items_exist)
{
  create(fietsbieb);
  struct leen_library_new l;
  leen_library_new_init(&l);
  l.code_prefix = "FI";
  struct leen_library after;
  struct leen_err err;
  cr_assert_eq(leen_library_update(db, &admin, "fietsbieb", &l, LEEN_LIBRARY_CODE_PREFIX, &after,
                                   &err), 0, "%s", err.message);
  cr_assert_str_eq(after.code_prefix, "FI");
  PQclear(ts_sql(pg,
                 "INSERT INTO categories (library_id, name, loan_days)"
                 " SELECT id, 'Loopfiets', 365 FROM libraries WHERE slug = 'fietsbieb'",
                 0, NULL));
  struct leen_item_new it;
  leen_item_new_init(&it);
  it.category_id = ts_sql_int(pg, "SELECT id FROM categories");
  it.name = "Loopfiets rood";
  struct leen_item item;
  cr_assert_eq(leen_item_create(db, &admin, &it, &item, &err), 0, "%s", err.message);
  cr_assert_str_eq(item.code, "FI0001");
  leen_item_release(&item);
  l.code_prefix = "FB";
  cr_assert_eq(leen_library_update(db, &admin, "fietsbieb", &l, LEEN_LIBRARY_CODE_PREFIX, NULL,
                                   &err), -1);
  cr_assert_eq(err.code, LEEN_E_CONFLICT);
  cr_assert_str_eq(err.field, "/code_prefix");
  char *prefix = ts_sql_value(pg, "SELECT code_prefix FROM libraries");
  cr_assert_str_eq(prefix, "FI");
  free(prefix);
}
