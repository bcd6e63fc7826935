#include "leen/category.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "category_int.h"
#include "journal.h"
#include "library_int.h"

#define CATEGORY_COLS \
  "c.id, c.library_id, l.slug, c.name, c.deposit_cents, c.loan_days," \
  " coalesce(c.min_age_months, -1), coalesce(c.max_age_months, -1), c.safety_check, l.org_id"

static const struct leen_stmt stmts[] = {
  {"category_insert",
   "INSERT INTO categories (library_id, name, deposit_cents, loan_days, components,"
   " min_age_months, max_age_months, safety_check)"
   " VALUES ($1::bigint, $2, $3::bigint, $4::int, $5::text[], $6::int, $7::int, $8::boolean)"
   " RETURNING id"},
  {"category_name_taken",
   "SELECT EXISTS (SELECT 1 FROM categories WHERE library_id = $1::bigint AND name = $2)"},
  {"category_by_id",
   "SELECT " CATEGORY_COLS " FROM categories c JOIN libraries l ON l.id = c.library_id"
   " WHERE c.id = $1::bigint"},
  {"category_by_library",
   "SELECT " CATEGORY_COLS " FROM categories c JOIN libraries l ON l.id = c.library_id"
   " WHERE c.library_id = $1::bigint ORDER BY c.name, c.id"},
  {"category_components",
   "SELECT c.id, u.comp FROM categories c, unnest(c.components) WITH ORDINALITY AS u(comp, ord)"
   " WHERE ($1::bigint IS NULL OR c.id = $1::bigint)"
   " AND ($2::bigint IS NULL OR c.library_id = $2::bigint) ORDER BY c.id, u.ord"},
};
enum { S_INSERT, S_NAME_TAKEN, S_BY_ID, S_BY_LIBRARY, S_COMPONENTS };

void leen_category_new_init(struct leen_category_new *c)
{
  memset(c, 0, sizeof *c);
  c->loan_days = LEEN_UNSET;
  c->min_age_months = LEEN_UNSET;
  c->max_age_months = LEEN_UNSET;
}

static void read_category(const PGresult *r, int row, struct leen_category *c)
{
  memset(c, 0, sizeof *c);
  c->id = db_int64(r, row, 0);
  c->library_id = db_int64(r, row, 1);
  lib_copy(c->library, sizeof c->library, db_text(r, row, 2));
  lib_copy(c->name, sizeof c->name, db_text(r, row, 3));
  c->deposit_cents = db_int64(r, row, 4);
  c->loan_days = (int)db_int64(r, row, 5);
  c->min_age_months = (int)db_int64(r, row, 6);
  c->max_age_months = (int)db_int64(r, row, 7);
  c->safety_check = db_bool(r, row, 8);
}

/* Attaches the components of category `id` (0: every category of
 * library_id) to the categories in cs. */
static int load_components(struct leen_db *db, int64_t id, int64_t library_id,
                           struct leen_category *cs, size_t n, struct leen_err *err)
{
  char idt[24], libt[24];
  const char *p[] = {id ? lib_i64(idt, id) : NULL, id ? NULL : lib_i64(libt, library_id)};
  PGresult *r = db_exec(db, &stmts[S_COMPONENTS], 2, p, err);
  if (!r)
    return -1;
  for (int i = 0; i < PQntuples(r); i++) {
    int64_t cid = db_int64(r, i, 0);
    for (size_t j = 0; j < n; j++)
      if (cs[j].id == cid && cs[j].ncomponents < LEEN_CATEGORY_MAX_COMPONENTS) {
        lib_copy(cs[j].components[cs[j].ncomponents], sizeof cs[j].components[0],
                 db_text(r, i, 1));
        cs[j].ncomponents++;
      }
  }
  PQclear(r);
  return 0;
}

/* The components as a PostgreSQL array literal (malloc'ed): every element
 * quoted, with " and \ escaped, so no text can break out of it. */
static char *array_literal(const char *const *items, size_t n)
{
  size_t cap = 3;
  for (size_t i = 0; i < n; i++)
    cap += 2 * strlen(items[i]) + 3;
  char *out = malloc(cap);
  if (!out)
    return NULL;
  size_t len = 0;
  out[len++] = '{';
  for (size_t i = 0; i < n; i++) {
    if (i)
      out[len++] = ',';
    out[len++] = '"';
    for (const char *s = items[i]; *s; s++) {
      if (*s == '"' || *s == '\\')
        out[len++] = '\\';
      out[len++] = *s;
    }
    out[len++] = '"';
  }
  out[len++] = '}';
  out[len] = '\0';
  return out;
}

int category_check(const struct leen_category_new *c, struct leen_err *err)
{
  if (!lib_text_ok(c->name, 1, 100))
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/name",
                            "a name is 1 to 100 characters without control characters");
  if (c->deposit_cents < 0 || c->deposit_cents > 100000000)
    return leen_error_field(err, LEEN_E_INVALID_AMOUNT, "/deposit_cents",
                            "deposit_cents must be between 0 and 100000000");
  if (c->loan_days != LEEN_UNSET && (c->loan_days < 1 || c->loan_days > 3660))
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/loan_days",
                            "loan_days must be between 1 and 3660");
  if (c->ncomponents > LEEN_CATEGORY_MAX_COMPONENTS || (c->ncomponents && !c->components))
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/components",
                            "a category has at most %d components", LEEN_CATEGORY_MAX_COMPONENTS);
  for (size_t i = 0; i < c->ncomponents; i++) {
    char f[40];
    snprintf(f, sizeof f, "/components/%zu", i);
    if (!lib_text_ok(c->components[i], 1, 60))
      return leen_error_field(err, LEEN_E_INVALID_FIELD, f,
                              "a component is 1 to 60 characters without control characters");
    for (size_t j = 0; j < i; j++)
      if (strcmp(c->components[i], c->components[j]) == 0)
        return leen_error_field(err, LEEN_E_INVALID_FIELD, f, "component \"%s\" is listed twice",
                                c->components[i]);
  }
  if (c->min_age_months != LEEN_UNSET && (c->min_age_months < 0 || c->min_age_months > 240))
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/min_age_months",
                            "min_age_months must be between 0 and 240");
  if (c->max_age_months != LEEN_UNSET && (c->max_age_months < 0 || c->max_age_months > 240))
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/max_age_months",
                            "max_age_months must be between 0 and 240");
  if (c->min_age_months != LEEN_UNSET && c->max_age_months != LEEN_UNSET &&
      c->max_age_months < c->min_age_months)
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/max_age_months",
                            "max_age_months cannot be less than min_age_months");
  return 0;
}

struct create_ctx {
  const struct leen_actor *a;
  const struct leen_category_new *c;
  const char *components;
  struct leen_category *out;
};

/* Reads category `id` into *out and its org into *org. Returns 1 found,
 * 0 not found, -1 error. */
static int read_one(struct leen_db *db, const char *id, struct leen_category *out, int64_t *org,
                    struct leen_err *err)
{
  const char *p[] = {id};
  PGresult *r = db_exec(db, &stmts[S_BY_ID], 1, p, err);
  if (!r)
    return -1;
  int found = PQntuples(r) == 1;
  if (found) {
    read_category(r, 0, out);
    *org = db_int64(r, 0, 9);
  }
  PQclear(r);
  if (!found)
    return 0;
  return load_components(db, out->id, 0, out, 1, err) < 0 ? -1 : 1;
}

int category_insert(struct leen_db *db, const struct leen_actor *a,
                    const struct leen_category_new *c, const char *components, int64_t *id_out,
                    struct leen_err *err)
{
  struct library_ref lib;
  if (library_find(db, a, c->library, "/library", 0, &lib, err) < 0)
    return -1;
  if (library_coordinator(a, lib.id, "create categories", err) < 0)
    return -1;
  char libid[24];
  const char *tp[] = {lib_i64(libid, lib.id), c->name};
  PGresult *r = db_exec(db, &stmts[S_NAME_TAKEN], 2, tp, err);
  if (!r)
    return -1;
  int taken = db_bool(r, 0, 0);
  PQclear(r);
  if (taken)
    return leen_error_field(err, LEEN_E_CONFLICT, "/name",
                            "library \"%s\" already has a category \"%s\"", lib.slug, c->name);
  char dep[24], days[24], minage[24], maxage[24];
  const char *params[] = {
    libid, c->name, lib_i64(dep, c->deposit_cents),
    lib_i64(days, c->loan_days == LEEN_UNSET ? lib.default_loan_days : c->loan_days),
    components, c->min_age_months == LEEN_UNSET ? NULL : lib_i64(minage, c->min_age_months),
    c->max_age_months == LEEN_UNSET ? NULL : lib_i64(maxage, c->max_age_months),
    c->safety_check ? "true" : "false"};
  r = db_exec(db, &stmts[S_INSERT], 8, params, err);
  if (!r) {
    /* the only unique key a new row can hit is (library, name) */
    if (err->code == LEEN_E_CONFLICT)
      leen_error_field(err, LEEN_E_CONFLICT, "/name",
                       "library \"%s\" already has a category \"%s\"", lib.slug, c->name);
    return -1;
  }
  int64_t id = db_int64(r, 0, 0);
  PQclear(r);
  char idt[24], details[120];
  snprintf(details, sizeof details, "{\"library\": \"%s\"}", lib.slug);
  if (audit_log(db, a, "category.create", "category", lib_i64(idt, id), details, err) < 0)
    return -1;
  if (id_out)
    *id_out = id;
  return 0;
}

static int create_tx(struct leen_db *db, void *p, struct leen_err *err)
{
  struct create_ctx *x = p;
  int64_t id;
  if (category_insert(db, x->a, x->c, x->components, &id, err) < 0)
    return -1;
  char idt[24];
  int64_t org;
  if (x->out && read_one(db, lib_i64(idt, id), x->out, &org, err) < 0)
    return -1;
  return 0;
}

int leen_category_create(struct leen_db *db, const struct leen_actor *actor,
                         const struct leen_category_new *c, struct leen_category *out,
                         struct leen_err *err)
{
  if (!leen_actor_has_role(actor, LEEN_ROLE_COORDINATOR))
    return leen_error(err, LEEN_E_FORBIDDEN, "only a coordinator can create categories");
  if (category_check(c, err) < 0)
    return -1;
  char *components = array_literal(c->components, c->ncomponents);
  if (!components)
    return leen_error(err, LEEN_E_INTERNAL, "out of memory");
  struct create_ctx x = {actor, c, components, out};
  int rc = db_tx(db, create_tx, &x, err);
  free(components);
  return rc;
}

static int may_read(const struct leen_actor *a, struct leen_err *err)
{
  if (!leen_actor_has_role(a, LEEN_ROLE_VOLUNTEER))
    return leen_error(err, LEEN_E_FORBIDDEN, "only library staff can read categories");
  return 0;
}

int leen_category_get(struct leen_db *db, const struct leen_actor *actor, int64_t id,
                      struct leen_category *out, struct leen_err *err)
{
  if (may_read(actor, err) < 0)
    return -1;
  char idt[24];
  struct leen_category c;
  int64_t org = 0;
  int found = read_one(db, lib_i64(idt, id), &c, &org, err);
  if (found < 0)
    return -1;
  if (!found || !lib_same_org(actor, org))
    return leen_error_field(err, LEEN_E_NOT_FOUND, "/category_id", "no such category %lld",
                            (long long)id);
  *out = c;
  return 0;
}

int leen_category_list(struct leen_db *db, const struct leen_actor *actor, const char *slug,
                       struct leen_category **out, size_t *n, struct leen_err *err)
{
  *out = NULL;
  *n = 0;
  if (may_read(actor, err) < 0)
    return -1;
  struct library_ref lib;
  if (library_find(db, actor, slug, "/library", 0, &lib, err) < 0)
    return -1;
  char libid[24];
  const char *p[] = {lib_i64(libid, lib.id)};
  PGresult *r = db_exec(db, &stmts[S_BY_LIBRARY], 1, p, err);
  if (!r)
    return -1;
  size_t count = (size_t)PQntuples(r);
  struct leen_category *cs = count ? calloc(count, sizeof *cs) : NULL;
  if (count && !cs) {
    PQclear(r);
    return leen_error(err, LEEN_E_INTERNAL, "out of memory");
  }
  for (size_t i = 0; i < count; i++)
    read_category(r, (int)i, &cs[i]);
  PQclear(r);
  if (count && load_components(db, 0, lib.id, cs, count, err) < 0) {
    free(cs);
    return -1;
  }
  *out = cs;
  *n = count;
  return 0;
}
