/* Libraries and their settings, opening sessions, closures, one-off
 * openings and categories: /v1/libraries and what hangs under it.
 *
 * Libraries carry no version column, so GET /v1/libraries/{slug} sends no
 * ETag and PATCH takes no If-Match: the last write wins. Settings change a
 * few times a year, by one admin or the library's coordinator. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "leen/schedule.h"
#include "libraries.h"

static const char *const fee_pers[] = {"slot", "household", NULL};
static const char *const freqs[] = {"weekly", "monthly", NULL};

int api_reply_param_error(struct api_req *r, const struct leen_err *err,
                          const char *const *params)
{
  for (size_t i = 0; params && params[i] && err->field[0] == '/'; i++) {
    if (strcmp(err->field + 1, params[i]) != 0)
      continue;
    char ptr[64];
    snprintf(ptr, sizeof ptr, "?%s", params[i]);
    api_in_error(r, err->code, ptr, "%s", err->message);
    return api_reply_fields(r);
  }
  return api_reply_error(r, err);
}

static void add_target(cJSON *o, const char *name, int v)
{
  if (v < 0)
    cJSON_AddNullToObject(o, name);
  else
    cJSON_AddNumberToObject(o, name, v);
}

cJSON *api_library_json(const struct leen_library *l)
{
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "slug", l->slug);
  cJSON_AddStringToObject(o, "name", l->name);
  cJSON_AddStringToObject(o, "kind", l->kind);
  cJSON_AddStringToObject(o, "code_prefix", l->code_prefix);
  cJSON_AddNumberToObject(o, "fee_cents", (double)l->fee_cents);
  cJSON_AddNumberToObject(o, "social_fee_cents", (double)l->social_fee_cents);
  cJSON_AddStringToObject(o, "fee_per", l->fee_per);
  cJSON_AddNumberToObject(o, "social_deposit_percent", l->social_deposit_percent);
  cJSON_AddNumberToObject(o, "membership_months", l->membership_months);
  cJSON_AddNumberToObject(o, "max_slots", l->max_slots);
  cJSON_AddNumberToObject(o, "default_loan_days", l->default_loan_days);
  cJSON *sched = cJSON_AddArrayToObject(o, "schedule");
  for (size_t i = 0; i < l->nschedule; i++) {
    const struct leen_schedule_rule *s = &l->schedule[i];
    cJSON *rule = cJSON_CreateObject();
    cJSON_AddStringToObject(rule, "freq", s->freq);
    /* a weekly rule has no "nth": null, which PATCH reads back as such */
    if (strcmp(s->freq, "monthly") == 0)
      cJSON_AddNumberToObject(rule, "nth", s->nth);
    else
      cJSON_AddNullToObject(rule, "nth");
    cJSON_AddNumberToObject(rule, "weekday", s->weekday);
    cJSON_AddStringToObject(rule, "start", s->start);
    cJSON_AddStringToObject(rule, "end", s->end);
    cJSON *months = cJSON_AddArrayToObject(rule, "closed_months");
    for (size_t m = 0; m < s->nclosed_months; m++)
      cJSON_AddItemToArray(months, cJSON_CreateNumber(s->closed_months[m]));
    cJSON_AddItemToArray(sched, rule);
  }
  cJSON *t = cJSON_AddObjectToObject(o, "targets");
  add_target(t, "new_households_6m", l->targets.new_households_6m);
  add_target(t, "reduced_share_min", l->targets.reduced_share_min);
  add_target(t, "reduced_share_max", l->targets.reduced_share_max);
  add_target(t, "loans_per_session", l->targets.loans_per_session);
  return o;
}

/* ---- reading a library body (POST and PATCH) ---- */

struct library_body {
  struct leen_library_new l;
  const char *org;
  unsigned fields;                 /* enum leen_library_field: what the body names */
  struct leen_schedule_rule_new rules[LEEN_SCHEDULE_MAX_RULES];
  int64_t months[LEEN_SCHEDULE_MAX_RULES][12];
};

/* A PATCH cannot set these to null: absent leaves them as they are. */
static void refuse_null(struct api_in *in, const char *name)
{
  if (api_in_is_null(in, name)) {
    char ptr[64];
    api_in_error(in->r, LEEN_E_INVALID_FIELD, api_pointer_append(ptr, sizeof ptr, in->ptr, name),
                 "must not be null");
  }
}

static void read_months(struct api_req *r, const cJSON *arr, const char *base, int64_t *months,
                        size_t *n)
{
  int i = 0;
  const cJSON *m;
  *n = 0;
  cJSON_ArrayForEach(m, arr)
  {
    double v = cJSON_GetNumberValue(m);
    if (!cJSON_IsNumber(m) || (m->type & API_JSON_INEXACT) || v < 1 || v > 12 ||
        v != (double)(int)v) {
      char ptr[96];
      snprintf(ptr, sizeof ptr, "%s/%d", base, i);
      api_in_error(r, LEEN_E_INVALID_FIELD, ptr, "must be a month number from 1 to 12");
    } else {
      months[(*n)++] = (int64_t)v;
    }
    i++;
  }
}

static void read_rule(struct api_req *r, const cJSON *node, int i, struct leen_schedule_rule_new *s,
                      int64_t *months)
{
  char ptr[64];
  snprintf(ptr, sizeof ptr, "/schedule/%d", i);
  if (!cJSON_IsObject(node)) {
    api_in_error(r, LEEN_E_INVALID_FIELD, ptr, "must be an object");
    return;
  }
  struct api_in in;
  api_in_init(&in, r, node, ptr);
  int freq = 0;
  const cJSON *closed = NULL;
  if (api_in_enum(&in, "freq", API_REQUIRED, freqs, &freq) > 0)
    s->freq = freqs[freq];
  api_in_int(&in, "nth", API_OPTIONAL, -1, 5, &s->nth);
  api_in_int(&in, "weekday", API_REQUIRED, 1, 7, &s->weekday);
  api_in_string(&in, "start", API_REQUIRED, 5, &s->start);
  api_in_string(&in, "end", API_REQUIRED, 5, &s->end);
  if (api_in_array(&in, "closed_months", API_OPTIONAL, 12, &closed) > 0) {
    char base[80];
    snprintf(base, sizeof base, "%s/closed_months", ptr);
    read_months(r, closed, base, months, &s->nclosed_months);
    s->closed_months = months;
  }
  api_in_end(&in);
}

static void read_schedule(struct api_in *in, struct library_body *b)
{
  const cJSON *arr = NULL;
  int null = api_in_is_null(in, "schedule");
  int rc = api_in_array(in, "schedule", API_OPTIONAL, LEEN_SCHEDULE_MAX_RULES, &arr);
  if (rc < 0 || (rc == 0 && !null))
    return;
  b->fields |= LEEN_LIBRARY_SCHEDULE;  /* null and [] both clear the schedule */
  int i = 0;
  const cJSON *node;
  cJSON_ArrayForEach(node, arr)
  {
    read_rule(in->r, node, i, &b->rules[i], b->months[i]);
    i++;
  }
  b->l.schedule = i ? b->rules : NULL;
  b->l.nschedule = (size_t)i;
}

static void read_targets(struct api_in *in, struct library_body *b)
{
  const cJSON *obj = NULL;
  int null = api_in_is_null(in, "targets");
  int rc = api_in_object(in, "targets", API_OPTIONAL, &obj);
  if (rc < 0 || (rc == 0 && !null))
    return;
  b->fields |= LEEN_LIBRARY_TARGETS;  /* null unsets every target */
  if (!obj)
    return;
  struct api_in t;
  api_in_init(&t, in->r, obj, "/targets");
  api_in_int(&t, "new_households_6m", API_OPTIONAL, 0, 100000, &b->l.targets.new_households_6m);
  api_in_int(&t, "reduced_share_min", API_OPTIONAL, 0, 100, &b->l.targets.reduced_share_min);
  api_in_int(&t, "reduced_share_max", API_OPTIONAL, 0, 100, &b->l.targets.reduced_share_max);
  api_in_int(&t, "loans_per_session", API_OPTIONAL, 0, 10000, &b->l.targets.loans_per_session);
  api_in_end(&t);
}

/* Reads the body of a POST (patch 0: slug, name, kind and code_prefix
 * required) or a PATCH (every member optional, none null but schedule and
 * targets). Returns -1 when the body has errors (recorded in r). */
static int read_library(struct api_req *r, int patch, struct library_body *b)
{
  static const char *const not_null[] = {
    "slug", "name", "kind", "code_prefix", "fee_cents", "social_fee_cents", "fee_per",
    "social_deposit_percent", "membership_months", "max_slots", "default_loan_days", NULL};
  struct api_in in;
  int req = patch ? API_OPTIONAL : API_REQUIRED;
  int fee_per = 0;
  memset(b, 0, sizeof *b);
  leen_library_new_init(&b->l);
  api_in_init(&in, r, r->json, "");
  for (size_t i = 0; patch && not_null[i]; i++)
    refuse_null(&in, not_null[i]);
  if (!patch)
    api_in_string(&in, "org", API_OPTIONAL, 63, &b->org);
  unsigned f = 0;
  f |= api_in_string(&in, "slug", req, 63, &b->l.slug) > 0 ? LEEN_LIBRARY_SLUG : 0;
  f |= api_in_string(&in, "name", req, 200, &b->l.name) > 0 ? LEEN_LIBRARY_NAME : 0;
  f |= api_in_string(&in, "kind", req, 40, &b->l.kind) > 0 ? LEEN_LIBRARY_KIND : 0;
  f |= api_in_string(&in, "code_prefix", req, 4, &b->l.code_prefix) > 0
           ? LEEN_LIBRARY_CODE_PREFIX
           : 0;
  f |= api_in_money(&in, "fee_cents", API_OPTIONAL, 0, 0, &b->l.fee_cents) > 0
           ? LEEN_LIBRARY_FEE_CENTS
           : 0;
  f |= api_in_money(&in, "social_fee_cents", API_OPTIONAL, 0, 0, &b->l.social_fee_cents) > 0
           ? LEEN_LIBRARY_SOCIAL_FEE_CENTS
           : 0;
  f |= api_in_enum(&in, "fee_per", API_OPTIONAL, fee_pers, &fee_per) > 0 ? LEEN_LIBRARY_FEE_PER
                                                                          : 0;
  f |= api_in_int(&in, "social_deposit_percent", API_OPTIONAL, 0, 100,
                  &b->l.social_deposit_percent) > 0
           ? LEEN_LIBRARY_SOCIAL_DEPOSIT_PERCENT
           : 0;
  f |= api_in_int(&in, "membership_months", API_OPTIONAL, 1, 120, &b->l.membership_months) > 0
           ? LEEN_LIBRARY_MEMBERSHIP_MONTHS
           : 0;
  f |= api_in_int(&in, "max_slots", API_OPTIONAL, 1, 100, &b->l.max_slots) > 0
           ? LEEN_LIBRARY_MAX_SLOTS
           : 0;
  f |= api_in_int(&in, "default_loan_days", API_OPTIONAL, 1, 3660, &b->l.default_loan_days) > 0
           ? LEEN_LIBRARY_DEFAULT_LOAN_DAYS
           : 0;
  b->fields = f;
  if (b->fields & LEEN_LIBRARY_FEE_PER)
    b->l.fee_per = fee_pers[fee_per];
  read_schedule(&in, b);
  read_targets(&in, b);
  if (api_in_end(&in) < 0)
    return -1;
  if (patch && !b->fields) {
    api_in_error(r, LEEN_E_INVALID_FIELD, "", "the body names no field to change");
    return -1;
  }
  return 0;
}

/* ---- libraries ---- */

int api_libraries_list(struct api_req *r)
{
  struct leen_err err;
  struct leen_db *db = api_db(r, &err);
  struct leen_library *libs = NULL;
  size_t n = 0;
  if (!db || leen_library_list(db, &r->actor, &libs, &n, &err) < 0)
    return api_reply_error(r, &err);
  cJSON *items = cJSON_CreateArray();
  for (size_t i = 0; i < n; i++)
    cJSON_AddItemToArray(items, api_library_json(&libs[i]));
  free(libs);
  return api_reply_page(r, items, NULL);
}

int api_libraries_create(struct api_req *r)
{
  struct library_body *b = malloc(sizeof *b);
  struct leen_library *out = malloc(sizeof *out);
  int rc;
  if (!b || !out) {
    rc = api_reply_code(r, LEEN_E_INTERNAL, NULL);
  } else if (read_library(r, 0, b) < 0) {
    rc = api_reply_fields(r);
  } else {
    struct leen_err err;
    struct leen_db *db = api_db(r, &err);
    if (!db || leen_library_create(db, &r->actor, b->org, &b->l, out, &err) < 0)
      rc = api_reply_error(r, &err);
    else
      rc = api_reply_json(r, 201, api_library_json(out));
  }
  free(b);
  free(out);
  return rc;
}

int api_libraries_get(struct api_req *r)
{
  struct leen_err err;
  struct leen_db *db = api_db(r, &err);
  struct leen_library *l = malloc(sizeof *l);
  int rc;
  if (!l)
    rc = api_reply_code(r, LEEN_E_INTERNAL, NULL);
  else if (!db || leen_library_get(db, &r->actor, r->params[0], l, &err) < 0)
    rc = api_reply_error(r, &err);
  else
    rc = api_reply_json(r, 200, api_library_json(l));
  free(l);
  return rc;
}

int api_libraries_update(struct api_req *r)
{
  struct library_body *b = malloc(sizeof *b);
  struct leen_library *out = malloc(sizeof *out);
  int rc;
  if (!b || !out) {
    rc = api_reply_code(r, LEEN_E_INTERNAL, NULL);
  } else if (read_library(r, 1, b) < 0) {
    rc = api_reply_fields(r);
  } else {
    struct leen_err err;
    struct leen_db *db = api_db(r, &err);
    if (!db || leen_library_update(db, &r->actor, r->params[0], &b->l, b->fields, out, &err) < 0)
      rc = api_reply_error(r, &err);
    else
      rc = api_reply_json(r, 200, api_library_json(out));
  }
  free(b);
  free(out);
  return rc;
}

/* ---- opening sessions, closures, one-off openings ---- */

int api_sessions_list(struct api_req *r)
{
  static const char *const params[] = {"from", "to", NULL};
  char from[11], to[11];
  api_query_date(r, "from", API_REQUIRED, from);
  api_query_date(r, "to", API_REQUIRED, to);
  if (r->nerrors)
    return api_reply_fields(r);
  struct leen_err err;
  struct leen_db *db = api_db(r, &err);
  struct leen_session *s = NULL;
  size_t n = 0;
  if (!db || leen_session_list(db, &r->actor, r->params[0], from, to, &s, &n, &err) < 0)
    return api_reply_param_error(r, &err, params);
  cJSON *items = cJSON_CreateArray();
  for (size_t i = 0; i < n; i++) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "date", s[i].date);
    cJSON_AddStringToObject(o, "start", s[i].start);
    cJSON_AddStringToObject(o, "end", s[i].end);
    cJSON_AddItemToArray(items, o);
  }
  free(s);
  return api_reply_page(r, items, NULL);
}

static void add_note(cJSON *o, const char *note)
{
  if (note)
    cJSON_AddStringToObject(o, "note", note);
  else
    cJSON_AddNullToObject(o, "note");
}

/* {"date": d} closes one day, {"from": d, "to": d} a period ("to" absent:
 * the one day "from"). */
int api_closures_create(struct api_req *r)
{
  struct api_in in;
  char date[11] = "", from[11] = "", to[11] = "";
  const char *note = NULL;
  api_in_init(&in, r, r->json, "");
  int has_date = api_in_date(&in, "date", API_OPTIONAL, date);
  int has_from = api_in_date(&in, "from", API_OPTIONAL, from);
  int has_to = api_in_date(&in, "to", API_OPTIONAL, to);
  api_in_string(&in, "note", API_OPTIONAL, 500, &note);
  if (api_in_end(&in) < 0)
    return api_reply_fields(r);
  if (has_date > 0 && (has_from > 0 || has_to > 0))
    api_in_error(r, LEEN_E_INVALID_FIELD, "/date",
                 "give date for one day, or from and to for a period, not both");
  else if (has_date == 0 && has_from == 0)
    api_in_error(r, LEEN_E_INVALID_FIELD, "/from",
                 "is required (or date, to close a single day)");
  if (r->nerrors)
    return api_reply_fields(r);
  if (has_date > 0) {
    memcpy(from, date, sizeof from);
    memcpy(to, date, sizeof to);
  } else if (has_to == 0) {
    memcpy(to, from, sizeof to);
  }
  struct leen_err err;
  struct leen_db *db = api_db(r, &err);
  int64_t id = 0;
  if (!db || leen_closure_add(db, &r->actor, r->params[0], from, to, note, &id, &err) < 0)
    return api_reply_error(r, &err);
  cJSON *o = cJSON_CreateObject();
  cJSON_AddNumberToObject(o, "id", (double)id);
  cJSON_AddStringToObject(o, "library", r->params[0]);
  cJSON_AddStringToObject(o, "from", from);
  cJSON_AddStringToObject(o, "to", to);
  add_note(o, note);
  return api_reply_json(r, 201, o);
}

int api_openings_create(struct api_req *r)
{
  struct api_in in;
  char date[11] = "";
  const char *start = NULL, *end = NULL, *note = NULL;
  api_in_init(&in, r, r->json, "");
  api_in_date(&in, "date", API_REQUIRED, date);
  api_in_string(&in, "start", API_REQUIRED, 5, &start);
  api_in_string(&in, "end", API_REQUIRED, 5, &end);
  api_in_string(&in, "note", API_OPTIONAL, 500, &note);
  if (api_in_end(&in) < 0)
    return api_reply_fields(r);
  struct leen_err err;
  struct leen_db *db = api_db(r, &err);
  int64_t id = 0;
  if (!db || leen_opening_add(db, &r->actor, r->params[0], date, start, end, note, &id, &err) < 0)
    return api_reply_error(r, &err);
  cJSON *o = cJSON_CreateObject();
  cJSON_AddNumberToObject(o, "id", (double)id);
  cJSON_AddStringToObject(o, "library", r->params[0]);
  cJSON_AddStringToObject(o, "date", date);
  cJSON_AddStringToObject(o, "start", start);
  cJSON_AddStringToObject(o, "end", end);
  add_note(o, note);
  return api_reply_json(r, 201, o);
}

/* ---- categories ---- */

static void add_age(cJSON *o, const char *name, int months)
{
  if (months < 0)
    cJSON_AddNullToObject(o, name);
  else
    cJSON_AddNumberToObject(o, name, months);
}

cJSON *api_category_json(const struct leen_category *c)
{
  cJSON *o = cJSON_CreateObject();
  cJSON_AddNumberToObject(o, "id", (double)c->id);
  cJSON_AddStringToObject(o, "library", c->library);
  cJSON_AddStringToObject(o, "name", c->name);
  cJSON_AddNumberToObject(o, "deposit_cents", (double)c->deposit_cents);
  cJSON_AddNumberToObject(o, "loan_days", c->loan_days);
  cJSON *comps = cJSON_AddArrayToObject(o, "components");
  for (size_t i = 0; i < c->ncomponents; i++)
    cJSON_AddItemToArray(comps, cJSON_CreateString(c->components[i]));
  add_age(o, "min_age_months", c->min_age_months);
  add_age(o, "max_age_months", c->max_age_months);
  cJSON_AddBoolToObject(o, "safety_check", c->safety_check);
  return o;
}

int api_categories_list(struct api_req *r)
{
  struct leen_err err;
  struct leen_db *db = api_db(r, &err);
  struct leen_category *cats = NULL;
  size_t n = 0;
  if (!db || leen_category_list(db, &r->actor, r->params[0], &cats, &n, &err) < 0)
    return api_reply_error(r, &err);
  cJSON *items = cJSON_CreateArray();
  for (size_t i = 0; i < n; i++)
    cJSON_AddItemToArray(items, api_category_json(&cats[i]));
  free(cats);
  return api_reply_page(r, items, NULL);
}

int api_categories_create(struct api_req *r)
{
  struct api_in in;
  struct leen_category_new c;
  const char *comps[LEEN_CATEGORY_MAX_COMPONENTS];
  int safety = 0;
  leen_category_new_init(&c);
  c.library = r->params[0];
  api_in_init(&in, r, r->json, "");
  api_in_string(&in, "name", API_REQUIRED, 100, &c.name);
  api_in_money(&in, "deposit_cents", API_OPTIONAL, 0, 0, &c.deposit_cents);
  api_in_int(&in, "loan_days", API_OPTIONAL, 1, 3660, &c.loan_days);
  api_in_string_array(&in, "components", API_OPTIONAL, LEEN_CATEGORY_MAX_COMPONENTS, 60, comps,
                      &c.ncomponents);
  api_in_int(&in, "min_age_months", API_OPTIONAL, 0, 240, &c.min_age_months);
  api_in_int(&in, "max_age_months", API_OPTIONAL, 0, 240, &c.max_age_months);
  if (api_in_bool(&in, "safety_check", API_OPTIONAL, &safety) > 0)
    c.safety_check = safety;
  if (api_in_end(&in) < 0)
    return api_reply_fields(r);
  c.components = c.ncomponents ? comps : NULL;
  struct leen_err err;
  struct leen_db *db = api_db(r, &err);
  struct leen_category *out = malloc(sizeof *out);
  int rc;
  if (!out)
    rc = api_reply_code(r, LEEN_E_INTERNAL, NULL);
  else if (!db || leen_category_create(db, &r->actor, &c, out, &err) < 0)
    rc = api_reply_error(r, &err);
  else
    rc = api_reply_json(r, 201, api_category_json(out));
  free(out);
  return rc;
}
