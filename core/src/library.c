#include "leen/library.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "journal.h"
#include "library_int.h"

#define TARGET(name) \
  ", CASE jsonb_typeof(l.targets->'" name "') WHEN 'number'" \
  " THEN round((l.targets->>'" name "')::numeric) END"
#define LIBRARY_COLS \
  "l.id, l.org_id, l.slug, l.name, l.kind, l.code_prefix, l.fee_cents, l.social_fee_cents," \
  " l.fee_per, l.social_deposit_percent, l.membership_months, l.max_slots, l.default_loan_days" \
  TARGET("new_households_6m") TARGET("reduced_share_min") TARGET("reduced_share_max") \
  TARGET("loans_per_session")

static const struct leen_stmt stmts[] = {
  {"library_org_by_slug", "SELECT id FROM orgs WHERE slug = $1"},
  {"library_org_only", "SELECT min(id), count(*) FROM orgs"},
  {"library_taken",
   "SELECT slug, code_prefix FROM libraries"
   " WHERE (slug = $1 OR code_prefix = $2) AND id <> $3::bigint ORDER BY slug = $1 DESC"},
  {"library_insert",
   "INSERT INTO libraries (org_id, slug, name, kind, code_prefix, fee_cents, social_fee_cents,"
   " fee_per, social_deposit_percent, membership_months, max_slots, default_loan_days, targets)"
   " VALUES ($1::bigint, $2, $3, $4, $5, $6::bigint, $7::bigint, $8, $9::int, $10::int,"
   " $11::int, $12::int, $13::jsonb) RETURNING id"},
  {"library_rule_insert",
   "INSERT INTO schedule_rules (library_id, freq, nth, weekday, starts_at, ends_at, closed_months)"
   " VALUES ($1::bigint, $2, $3::int, $4::int, $5::time, $6::time, $7::int[])"},
  {"library_rule_delete", "DELETE FROM schedule_rules WHERE library_id = $1::bigint"},
  {"library_by_slug", "SELECT " LIBRARY_COLS " FROM libraries l WHERE l.slug = $1"},
  {"library_by_slug_lock",
   "SELECT " LIBRARY_COLS " FROM libraries l WHERE l.slug = $1 FOR UPDATE"},
  {"library_by_id", "SELECT " LIBRARY_COLS " FROM libraries l WHERE l.id = $1::bigint"},
  {"library_by_org",
   "SELECT " LIBRARY_COLS " FROM libraries l"
   " WHERE $1::bigint = 0 OR l.org_id = $1::bigint ORDER BY l.slug"},
  {"library_rules",
   "SELECT r.library_id, r.freq, coalesce(r.nth, 0), r.weekday, to_char(r.starts_at, 'HH24:MI'),"
   " to_char(r.ends_at, 'HH24:MI'), array_to_string(r.closed_months, ',')"
   " FROM schedule_rules r JOIN libraries l ON l.id = r.library_id"
   " WHERE ($1::bigint = 0 OR l.org_id = $1::bigint)"
   " AND ($2::bigint IS NULL OR r.library_id = $2::bigint) ORDER BY r.library_id, r.id"},
  {"library_has_items", "SELECT EXISTS (SELECT 1 FROM items WHERE library_id = $1::bigint)"},
  {"library_update",
   "UPDATE libraries SET slug = $2, name = $3, kind = $4, code_prefix = $5,"
   " fee_cents = $6::bigint, social_fee_cents = $7::bigint, fee_per = $8,"
   " social_deposit_percent = $9::int, membership_months = $10::int, max_slots = $11::int,"
   " default_loan_days = $12::int, targets = coalesce($13::jsonb, targets)"
   " WHERE id = $1::bigint"},
  {"library_ref",
   "SELECT id, org_id, slug, code_prefix, default_loan_days FROM libraries WHERE slug = $1"},
  {"library_ref_lock",
   "SELECT id, org_id, slug, code_prefix, default_loan_days FROM libraries WHERE slug = $1"
   " FOR UPDATE"},
};
enum {
  S_ORG_BY_SLUG, S_ORG_ONLY, S_TAKEN, S_INSERT, S_RULE_INSERT, S_RULE_DELETE, S_BY_SLUG,
  S_BY_SLUG_LOCK, S_BY_ID, S_BY_ORG, S_RULES, S_HAS_ITEMS, S_UPDATE, S_REF, S_REF_LOCK
};

/* Field names in the order of enum leen_library_field's bits. */
static const char *const field_names[] = {
  "slug", "name", "kind", "code_prefix", "fee_cents", "social_fee_cents", "fee_per",
  "social_deposit_percent", "membership_months", "max_slots", "default_loan_days", "schedule",
  "targets",
};
#define ALL_FIELDS ((1u << (sizeof field_names / sizeof field_names[0])) - 1)

void leen_library_new_init(struct leen_library_new *l)
{
  memset(l, 0, sizeof *l);
  l->fee_per = "slot";
  l->social_deposit_percent = 100;
  l->membership_months = 12;
  l->max_slots = 1;
  l->default_loan_days = 28;
  l->targets.new_households_6m = LEEN_UNSET;
  l->targets.reduced_share_min = LEEN_UNSET;
  l->targets.reduced_share_max = LEEN_UNSET;
  l->targets.loans_per_session = LEEN_UNSET;
}

static int target(const PGresult *r, int row, int col)
{
  return PQgetisnull(r, row, col) ? -1 : (int)db_int64(r, row, col);
}

static void read_library(const PGresult *r, int row, struct leen_library *l)
{
  memset(l, 0, sizeof *l);
  l->id = db_int64(r, row, 0);
  l->org_id = db_int64(r, row, 1);
  lib_copy(l->slug, sizeof l->slug, db_text(r, row, 2));
  lib_copy(l->name, sizeof l->name, db_text(r, row, 3));
  lib_copy(l->kind, sizeof l->kind, db_text(r, row, 4));
  lib_copy(l->code_prefix, sizeof l->code_prefix, db_text(r, row, 5));
  l->fee_cents = db_int64(r, row, 6);
  l->social_fee_cents = db_int64(r, row, 7);
  lib_copy(l->fee_per, sizeof l->fee_per, db_text(r, row, 8));
  l->social_deposit_percent = (int)db_int64(r, row, 9);
  l->membership_months = (int)db_int64(r, row, 10);
  l->max_slots = (int)db_int64(r, row, 11);
  l->default_loan_days = (int)db_int64(r, row, 12);
  l->targets.new_households_6m = target(r, row, 13);
  l->targets.reduced_share_min = target(r, row, 14);
  l->targets.reduced_share_max = target(r, row, 15);
  l->targets.loans_per_session = target(r, row, 16);
}

static void read_rule(const PGresult *r, int row, struct leen_schedule_rule *s)
{
  memset(s, 0, sizeof *s);
  lib_copy(s->freq, sizeof s->freq, db_text(r, row, 1));
  s->nth = (int)db_int64(r, row, 2);
  s->weekday = (int)db_int64(r, row, 3);
  lib_copy(s->start, sizeof s->start, db_text(r, row, 4));
  lib_copy(s->end, sizeof s->end, db_text(r, row, 5));
  const char *m = db_text(r, row, 6);
  while (m && *m && s->nclosed_months < 12) {
    char *end;
    s->closed_months[s->nclosed_months++] = (int)strtol(m, &end, 10);
    m = *end == ',' ? end + 1 : end;
  }
}

/* Attaches the schedule rules of org_id (0: every org; library_id 0: every
 * library) to the libraries in libs. */
static int load_rules(struct leen_db *db, int64_t org_id, int64_t library_id,
                      struct leen_library *libs, size_t n, struct leen_err *err)
{
  char org[24], lib[24];
  const char *p[] = {lib_i64(org, org_id), library_id ? lib_i64(lib, library_id) : NULL};
  PGresult *r = db_exec(db, &stmts[S_RULES], 2, p, err);
  if (!r)
    return -1;
  for (int i = 0; i < PQntuples(r); i++) {
    int64_t id = db_int64(r, i, 0);
    for (size_t j = 0; j < n; j++)
      if (libs[j].id == id && libs[j].nschedule < LEEN_SCHEDULE_MAX_RULES)
        read_rule(r, i, &libs[j].schedule[libs[j].nschedule++]);
  }
  PQclear(r);
  return 0;
}

/* Reads one library by the statement `which` with parameter key. Returns 1
 * found, 0 not found, -1 error. */
static int load_one(struct leen_db *db, int which, const char *key, struct leen_library *out,
                    struct leen_err *err)
{
  const char *p[] = {key};
  PGresult *r = db_exec(db, &stmts[which], 1, p, err);
  if (!r)
    return -1;
  if (PQntuples(r) == 0) {
    PQclear(r);
    return 0;
  }
  read_library(r, 0, out);
  PQclear(r);
  return load_rules(db, out->org_id, out->id, out, 1, err) < 0 ? -1 : 1;
}

static int cmp_i64(const void *a, const void *b)
{
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return (x > y) - (x < y);
}

static int insert_rules(struct leen_db *db, int64_t library_id,
                        const struct leen_schedule_rule_new *rules, size_t n,
                        struct leen_err *err)
{
  char lib[24], nth[24], wd[24];
  lib_i64(lib, library_id);
  for (size_t i = 0; i < n; i++) {
    const struct leen_schedule_rule_new *s = &rules[i];
    int64_t months[12];
    size_t nm = s->nclosed_months;
    if (nm)
      memcpy(months, s->closed_months, nm * sizeof months[0]);
    qsort(months, nm, sizeof months[0], cmp_i64);
    char arr[64];
    size_t len = (size_t)snprintf(arr, sizeof arr, "{");
    for (size_t j = 0; j < nm; j++)
      len += (size_t)snprintf(arr + len, sizeof arr - len, "%s%lld", j ? "," : "",
                              (long long)months[j]);
    snprintf(arr + len, sizeof arr - len, "}");
    const char *p[] = {lib, s->freq, strcmp(s->freq, "monthly") == 0 ? lib_i64(nth, s->nth) : NULL,
                       lib_i64(wd, s->weekday), s->start, s->end, arr};
    PGresult *r = db_exec(db, &stmts[S_RULE_INSERT], 7, p, err);
    if (!r)
      return -1;
    PQclear(r);
  }
  return 0;
}

/* Refuses a slug or code prefix another library (not self_id) holds. */
static int check_taken(struct leen_db *db, const char *slug, const char *prefix, int64_t self_id,
                       struct leen_err *err)
{
  char self[24];
  const char *p[] = {slug, prefix, lib_i64(self, self_id)};
  PGresult *r = db_exec(db, &stmts[S_TAKEN], 3, p, err);
  if (!r)
    return -1;
  int rc = 0;
  if (PQntuples(r) > 0) {
    const char *other = db_text(r, 0, 0);
    if (strcmp(other, slug) == 0)
      rc = leen_error_field(err, LEEN_E_CONFLICT, "/slug", "library \"%s\" already exists", slug);
    else
      rc = leen_error_field(err, LEEN_E_CONFLICT, "/code_prefix",
                            "code prefix \"%s\" is used by library \"%s\"", prefix, other);
  }
  PQclear(r);
  return rc;
}

/* The org a new library goes to. */
static int resolve_org(struct leen_db *db, const struct leen_actor *a, const char *org,
                       int64_t *org_id, struct leen_err *err)
{
  PGresult *r;
  if (org) {
    const char *p[] = {org};
    r = db_exec(db, &stmts[S_ORG_BY_SLUG], 1, p, err);
    if (!r)
      return -1;
    int found = PQntuples(r) == 1;
    *org_id = found ? db_int64(r, 0, 0) : 0;
    PQclear(r);
    if (!found)
      return leen_error_field(err, LEEN_E_NOT_FOUND, "/org", "no such org \"%s\"", org);
  } else if (a->org_id) {
    *org_id = a->org_id;
  } else {
    r = db_exec(db, &stmts[S_ORG_ONLY], 0, NULL, err);
    if (!r)
      return -1;
    int64_t count = db_int64(r, 0, 1);
    *org_id = db_int64(r, 0, 0);
    PQclear(r);
    if (count != 1)
      return leen_error_field(err, LEEN_E_INVALID_FIELD, "/org",
                              "the install has %lld orgs: name the org", (long long)count);
  }
  if (!lib_same_org(a, *org_id))
    return leen_error_field(err, LEEN_E_FORBIDDEN, "/org",
                            "you cannot create a library in another org");
  return 0;
}

struct create_ctx {
  const struct leen_actor *a;
  const char *org;
  const struct leen_library_new *l;
  struct leen_library *out;
};

static int create_tx(struct leen_db *db, void *p, struct leen_err *err)
{
  struct create_ctx *c = p;
  const struct leen_library_new *l = c->l;
  int64_t org_id;
  if (resolve_org(db, c->a, c->org, &org_id, err) < 0)
    return -1;
  if (check_taken(db, l->slug, l->code_prefix, 0, err) < 0)
    return -1;
  char org[24], fee[24], sfee[24], sdp[24], mm[24], ms[24], dld[24], targets[256];
  library_targets_json(&l->targets, targets, sizeof targets);
  const char *params[] = {lib_i64(org, org_id), l->slug, l->name, l->kind, l->code_prefix,
                          lib_i64(fee, l->fee_cents), lib_i64(sfee, l->social_fee_cents),
                          l->fee_per, lib_i64(sdp, l->social_deposit_percent),
                          lib_i64(mm, l->membership_months), lib_i64(ms, l->max_slots),
                          lib_i64(dld, l->default_loan_days), targets};
  PGresult *r = db_exec(db, &stmts[S_INSERT], 13, params, err);
  if (!r)
    return -1;
  int64_t id = db_int64(r, 0, 0);
  PQclear(r);
  if (insert_rules(db, id, l->schedule, l->nschedule, err) < 0)
    return -1;
  char idtext[24], details[160];
  snprintf(details, sizeof details, "{\"slug\": \"%s\", \"code_prefix\": \"%s\"}", l->slug,
           l->code_prefix);
  if (audit_log(db, c->a, "library.create", "library", lib_i64(idtext, id), details, err) < 0)
    return -1;
  if (c->out && load_one(db, S_BY_ID, idtext, c->out, err) < 0)
    return -1;
  return 0;
}

int leen_library_create(struct leen_db *db, const struct leen_actor *actor, const char *org,
                        const struct leen_library_new *l, struct leen_library *out,
                        struct leen_err *err)
{
  if (!leen_actor_has_role(actor, LEEN_ROLE_ADMIN))
    return leen_error(err, LEEN_E_FORBIDDEN, "only an admin can create a library");
  if (library_check(l, ALL_FIELDS, err) < 0)
    return -1;
  if (l->social_fee_cents > l->fee_cents)
    return leen_error_field(err, LEEN_E_INVALID_AMOUNT, "/social_fee_cents",
                            "the social fee cannot be more than the regular fee");
  struct create_ctx c = {actor, org, l, out};
  return db_tx(db, create_tx, &c, err);
}

int leen_library_get(struct leen_db *db, const struct leen_actor *actor, const char *slug,
                     struct leen_library *out, struct leen_err *err)
{
  struct leen_library l;
  int found = slug ? load_one(db, S_BY_SLUG, slug, &l, err) : 0;
  if (found < 0)
    return -1;
  if (!found || !lib_same_org(actor, l.org_id))
    return leen_error_field(err, LEEN_E_NOT_FOUND, "/library", "no such library \"%s\"",
                            slug ? slug : "");
  *out = l;
  return 0;
}

int leen_library_list(struct leen_db *db, const struct leen_actor *actor,
                      struct leen_library **out, size_t *n, struct leen_err *err)
{
  *out = NULL;
  *n = 0;
  char org[24];
  const char *p[] = {lib_i64(org, actor->user_id == 0 ? 0 : actor->org_id)};
  PGresult *r = db_exec(db, &stmts[S_BY_ORG], 1, p, err);
  if (!r)
    return -1;
  size_t count = (size_t)PQntuples(r);
  struct leen_library *libs = count ? calloc(count, sizeof *libs) : NULL;
  if (count && !libs) {
    PQclear(r);
    return leen_error(err, LEEN_E_INTERNAL, "out of memory");
  }
  for (size_t i = 0; i < count; i++)
    read_library(r, (int)i, &libs[i]);
  PQclear(r);
  if (count && load_rules(db, actor->user_id == 0 ? 0 : actor->org_id, 0, libs, count, err) < 0) {
    free(libs);
    return -1;
  }
  *out = libs;
  *n = count;
  return 0;
}

struct update_ctx {
  const struct leen_actor *a;
  const char *slug;
  const struct leen_library_new *l;
  unsigned fields;
  struct leen_library *out;
};

/* What a coordinator of the library may change. */
#define COORDINATOR_FIELDS (LEEN_LIBRARY_SCHEDULE | LEEN_LIBRARY_TARGETS)

static int update_allowed(const struct leen_actor *a, const struct leen_library *cur,
                          unsigned fields, struct leen_err *err)
{
  if (!lib_same_org(a, cur->org_id))
    return leen_error_field(err, LEEN_E_NOT_FOUND, "/library", "no such library \"%s\"",
                            cur->slug);
  if (a->user_id == 0 || a->role == LEEN_ROLE_ADMIN)
    return 0;
  if (a->role != LEEN_ROLE_COORDINATOR || !leen_actor_in_library(a, cur->id))
    return leen_error(err, LEEN_E_FORBIDDEN, "only an admin or a coordinator of library \"%s\""
                      " can change it", cur->slug);
  for (size_t i = 0; i < sizeof field_names / sizeof field_names[0]; i++)
    if ((fields & (1u << i)) && !(COORDINATOR_FIELDS & (1u << i))) {
      char f[40];
      snprintf(f, sizeof f, "/%s", field_names[i]);
      return leen_error_field(err, LEEN_E_FORBIDDEN, f,
                              "a coordinator can change the schedule and targets, not %s",
                              field_names[i]);
    }
  return 0;
}

static int update_tx(struct leen_db *db, void *p, struct leen_err *err)
{
  struct update_ctx *c = p;
  const struct leen_library_new *l = c->l;
  unsigned f = c->fields;
  struct leen_library cur;
  int found = load_one(db, S_BY_SLUG_LOCK, c->slug, &cur, err);
  if (found < 0)
    return -1;
  if (!found)
    return leen_error_field(err, LEEN_E_NOT_FOUND, "/library", "no such library \"%s\"", c->slug);
  if (update_allowed(c->a, &cur, f, err) < 0)
    return -1;
  const char *slug = (f & LEEN_LIBRARY_SLUG) ? l->slug : cur.slug;
  const char *prefix = (f & LEEN_LIBRARY_CODE_PREFIX) ? l->code_prefix : cur.code_prefix;
  int64_t fee = (f & LEEN_LIBRARY_FEE_CENTS) ? l->fee_cents : cur.fee_cents;
  int64_t sfee = (f & LEEN_LIBRARY_SOCIAL_FEE_CENTS) ? l->social_fee_cents : cur.social_fee_cents;
  if (sfee > fee)
    return leen_error_field(err, LEEN_E_INVALID_AMOUNT, "/social_fee_cents",
                            "the social fee cannot be more than the regular fee");
  if (check_taken(db, slug, prefix, cur.id, err) < 0)
    return -1;
  char id[24];
  lib_i64(id, cur.id);
  if (strcmp(prefix, cur.code_prefix) != 0) {
    const char *hp[] = {id};
    PGresult *r = db_exec(db, &stmts[S_HAS_ITEMS], 1, hp, err);
    if (!r)
      return -1;
    int has = db_bool(r, 0, 0);
    PQclear(r);
    if (has)
      return leen_error_field(err, LEEN_E_CONFLICT, "/code_prefix",
                              "cannot change the code prefix of library \"%s\": it has items"
                              " whose codes carry \"%s\"", cur.slug, cur.code_prefix);
  }
  char feet[24], sfeet[24], sdp[24], mm[24], ms[24], dld[24], targets[256];
  if (f & LEEN_LIBRARY_TARGETS)
    library_targets_json(&l->targets, targets, sizeof targets);
  const char *params[] = {
    id, slug, (f & LEEN_LIBRARY_NAME) ? l->name : cur.name,
    (f & LEEN_LIBRARY_KIND) ? l->kind : cur.kind, prefix, lib_i64(feet, fee),
    lib_i64(sfeet, sfee), (f & LEEN_LIBRARY_FEE_PER) ? l->fee_per : cur.fee_per,
    lib_i64(sdp, (f & LEEN_LIBRARY_SOCIAL_DEPOSIT_PERCENT) ? l->social_deposit_percent
                                                           : cur.social_deposit_percent),
    lib_i64(mm, (f & LEEN_LIBRARY_MEMBERSHIP_MONTHS) ? l->membership_months
                                                     : cur.membership_months),
    lib_i64(ms, (f & LEEN_LIBRARY_MAX_SLOTS) ? l->max_slots : cur.max_slots),
    lib_i64(dld, (f & LEEN_LIBRARY_DEFAULT_LOAN_DAYS) ? l->default_loan_days
                                                      : cur.default_loan_days),
    (f & LEEN_LIBRARY_TARGETS) ? targets : NULL};
  PGresult *r = db_exec(db, &stmts[S_UPDATE], 13, params, err);
  if (!r)
    return -1;
  PQclear(r);
  if (f & LEEN_LIBRARY_SCHEDULE) {
    const char *dp[] = {id};
    r = db_exec(db, &stmts[S_RULE_DELETE], 1, dp, err);
    if (!r)
      return -1;
    PQclear(r);
    if (insert_rules(db, cur.id, l->schedule, l->nschedule, err) < 0)
      return -1;
  }
  /* the audit names the fields, never their values */
  char details[512];
  size_t len = (size_t)snprintf(details, sizeof details, "{\"slug\": \"%s\", \"fields\": [", slug);
  int first = 1;
  for (size_t i = 0; i < sizeof field_names / sizeof field_names[0]; i++)
    if (f & (1u << i)) {
      len += (size_t)snprintf(details + len, sizeof details - len, "%s\"%s\"", first ? "" : ", ",
                              field_names[i]);
      first = 0;
    }
  snprintf(details + len, sizeof details - len, "]}");
  if (audit_log(db, c->a, "library.update", "library", id, details, err) < 0)
    return -1;
  if (c->out && load_one(db, S_BY_ID, id, c->out, err) < 0)
    return -1;
  return 0;
}

int leen_library_update(struct leen_db *db, const struct leen_actor *actor, const char *slug,
                        const struct leen_library_new *l, unsigned fields,
                        struct leen_library *out, struct leen_err *err)
{
  if (!slug)
    return leen_error_field(err, LEEN_E_NOT_FOUND, "/library", "no such library \"\"");
  fields &= ALL_FIELDS;
  if (library_check(l, fields, err) < 0)
    return -1;
  struct update_ctx c = {actor, slug, l, fields, out};
  return db_tx(db, update_tx, &c, err);
}

static int ref_from(const PGresult *r, struct library_ref *out)
{
  memset(out, 0, sizeof *out);
  out->id = db_int64(r, 0, 0);
  out->org_id = db_int64(r, 0, 1);
  lib_copy(out->slug, sizeof out->slug, db_text(r, 0, 2));
  lib_copy(out->code_prefix, sizeof out->code_prefix, db_text(r, 0, 3));
  out->default_loan_days = (int)db_int64(r, 0, 4);
  return 0;
}

int library_find(struct leen_db *db, const struct leen_actor *a, const char *slug,
                 const char *field, int lock, struct library_ref *out, struct leen_err *err)
{
  if (!slug || !*slug)
    return leen_error_field(err, LEEN_E_NOT_FOUND, field, "no such library \"\"");
  const char *p[] = {slug};
  PGresult *r = db_exec(db, &stmts[lock ? S_REF_LOCK : S_REF], 1, p, err);
  if (!r)
    return -1;
  int found = PQntuples(r) == 1;
  if (found)
    ref_from(r, out);
  PQclear(r);
  if (!found || !lib_same_org(a, out->org_id))
    return leen_error_field(err, LEEN_E_NOT_FOUND, field, "no such library \"%s\"", slug);
  return 0;
}

int library_coordinator(const struct leen_actor *a, int64_t library_id, const char *what,
                        struct leen_err *err)
{
  if (leen_actor_has_role(a, LEEN_ROLE_COORDINATOR) && leen_actor_in_library(a, library_id))
    return 0;
  return leen_error(err, LEEN_E_FORBIDDEN, "only a coordinator of the library can %s", what);
}
