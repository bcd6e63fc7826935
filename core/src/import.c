/* Bulk imports (leen/import.h). A batch is one transaction; each row runs
 * under a savepoint so a row the database refuses takes only its own
 * changes with it. The rows are made by the same code that makes one item,
 * category or household at a time (item_insert, category_insert,
 * hh_insert), so an imported record passes every check a typed one does. */
#include "leen/import.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "category_int.h"
#include "household_internal.h"
#include "item_int.h"
#include "journal.h"
#include "library_int.h"

/* Keys of the advisory locks that serialise imports into one library
 * (items) or one org (households): with them the look-up of a source id
 * and the insert that follows cannot race another import of the same
 * file. The two-int key space is apart from the migrations' bigint key. */
enum { LOCK_ITEMS = 1, LOCK_HOUSEHOLDS = 2 };

static const struct leen_stmt stmts[] = {
  {"import_lock", "SELECT pg_advisory_xact_lock($1::int, $2::int)"},
  {"import_item_by_external_id",
   "SELECT code FROM items WHERE library_id = $1::bigint AND external_id = $2"},
  {"import_category_by_name",
   "SELECT id FROM categories WHERE library_id = $1::bigint AND name = $2"},
  {"import_household_by_external_id",
   "SELECT number FROM households WHERE org_id = $1::bigint AND external_id = $2"},
};
enum { S_LOCK, S_ITEM_BY_EXTERNAL_ID, S_CATEGORY_BY_NAME, S_HOUSEHOLD_BY_EXTERNAL_ID };

void leen_import_item_init(struct leen_import_item *it)
{
  memset(it, 0, sizeof *it);
  it->loan_days = LEEN_UNSET;
  it->deposit_cents = LEEN_UNSET;
}

static void categories_clear(struct leen_import_report *r)
{
  for (size_t i = 0; i < r->ncategories; i++)
    free(r->categories_created[i]);
  free(r->categories_created);
  r->categories_created = NULL;
  r->ncategories = 0;
}

void leen_import_report_release(struct leen_import_report *r)
{
  if (!r)
    return;
  categories_clear(r);
  free(r->rows);
  memset(r, 0, sizeof *r);
}

/* ---- what both kinds of batch share ---- */

/* One batch in progress. */
struct batch {
  const struct leen_actor *a;
  const struct leen_import_options *opt;
  struct leen_import_report *out;
  size_t n;
  int rolled_back;           /* the batch was rolled back on purpose (dry run, strict) */
  /* items */
  const char *slug;
  const struct leen_import_item *items;
  struct library_ref lib;
  /* categories this batch found or made, so each is looked up once */
  struct {
    const char *name;        /* borrowed from a row */
    int64_t id;
  } cats[LEEN_IMPORT_MAX_ROWS];
  size_t ncats;
  /* households */
  const struct leen_import_household *households;
};

/* Errors after which the transaction cannot go on: the whole batch fails
 * (and db_tx retries it when the database asks for that). */
static int fatal(const struct leen_err *err)
{
  return err->code == LEEN_E_DB_UNAVAILABLE || err->code == LEEN_E_BUSY;
}

static int lock(struct leen_db *db, int kind, int64_t id, struct leen_err *err)
{
  char k[24], i[24];
  snprintf(k, sizeof k, "%d", kind);
  /* the int4 key wraps ids past 2^31: a shared lock then, never a missed one */
  snprintf(i, sizeof i, "%d", (int)(uint32_t)id);
  const char *p[] = {k, i};
  PGresult *r = db_exec(db, &stmts[S_LOCK], 2, p, err);
  if (!r)
    return -1;
  PQclear(r);
  return 0;
}

/* Resets the report for an attempt (db_tx may run the batch again). */
static void report_reset(struct batch *b)
{
  categories_clear(b->out);
  memset(b->out->rows, 0, b->n * sizeof *b->out->rows);
  b->out->created = b->out->unchanged = b->out->errors = 0;
  b->out->committed = 0;
  b->ncats = 0;
  b->rolled_back = 0;
}

static void row_error(struct batch *b, size_t i, const struct leen_err *err)
{
  struct leen_import_outcome *o = &b->out->rows[i];
  o->result = LEEN_IMPORT_ERROR;
  o->err = *err;
  b->out->errors++;
}

/* Checks a source id and that no earlier row of the batch has it. */
static int check_external_id(const char *id, const char *(*id_of)(const struct batch *, size_t),
                             const struct batch *b, size_t i, struct leen_err *err)
{
  if (!lib_text_ok(id, 1, LEEN_IMPORT_EXTERNAL_ID_MAX))
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/external_id",
                            "an external_id is 1 to %d characters without control characters",
                            LEEN_IMPORT_EXTERNAL_ID_MAX);
  for (size_t k = 0; k < i; k++)
    if (strcmp(id_of(b, k), id) == 0)
      return leen_error_field(err, LEEN_E_INVALID_FIELD, "/external_id",
                              "external_id \"%s\" is on an earlier row of this batch too", id);
  return 0;
}

/* Whether row i's source id is in the database already (statement stmt,
 * within scope: a library or an org): 1 with the record's code or number
 * in value and the row reported unchanged, 0 when it is new, -1 on error. */
static int known(struct leen_db *db, struct batch *b, size_t i, int stmt, const char *scope,
                 const char *external_id, char *value, size_t size, struct leen_err *err)
{
  const char *p[] = {scope, external_id};
  PGresult *r = db_exec(db, &stmts[stmt], 2, p, err);
  if (!r)
    return -1;
  int found = PQntuples(r) == 1;
  if (found) {
    lib_copy(value, size, db_text(r, 0, 0));
    b->out->rows[i].result = LEEN_IMPORT_UNCHANGED;
    b->out->unchanged++;
  }
  PQclear(r);
  return found;
}

/* Runs row i under a savepoint: row() returns 0 or -1 with err. A refused
 * row is rolled back to the savepoint and reported; -1 only when the
 * batch cannot go on. */
static int in_savepoint(struct leen_db *db, struct batch *b, size_t i,
                        int (*row)(struct leen_db *, struct batch *, size_t, struct leen_err *),
                        struct leen_err *err)
{
  if (db_simple(db, "SAVEPOINT import_row", err) < 0)
    return -1;
  struct leen_err row_err;
  leen_err_clear(&row_err);
  if (row(db, b, i, &row_err) == 0)
    return db_simple(db, "RELEASE SAVEPOINT import_row", err);
  if (fatal(&row_err)) {
    *err = row_err;
    return -1;
  }
  if (db_simple(db, "ROLLBACK TO SAVEPOINT import_row", err) < 0)
    return -1;
  row_error(b, i, &row_err);
  return 0;
}

/* The end of a batch: -1 with err clear when it is to be rolled back on
 * purpose (a dry run, or strict with a bad row), else the audit row. */
static int finish(struct leen_db *db, struct batch *b, const char *action, const char *entity,
                  int64_t entity_id, struct leen_err *err)
{
  if (b->opt->dry_run || (b->opt->strict && b->out->errors)) {
    b->rolled_back = 1;
    leen_err_clear(err);
    return -1;
  }
  char id[24], details[200];
  snprintf(details, sizeof details,
           "{\"created\": %zu, \"unchanged\": %zu, \"errors\": %zu, \"categories_created\": %zu}",
           b->out->created, b->out->unchanged, b->out->errors, b->out->ncategories);
  return audit_log(db, b->a, action, entity, lib_i64(id, entity_id), details, err);
}

/* Runs the batch with db_tx and settles the report. */
static int run(struct leen_db *db, struct batch *b, size_t n, db_tx_fn *fn,
               struct leen_import_report *out, struct leen_err *err)
{
  struct leen_err local;
  if (!err)
    err = &local;
  memset(out, 0, sizeof *out);
  if (n > LEEN_IMPORT_MAX_ROWS)
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/rows",
                            "a batch has at most %d rows", LEEN_IMPORT_MAX_ROWS);
  /* an empty batch still checks who may import where */
  out->rows = calloc(n ? n : 1, sizeof *out->rows);
  if (!out->rows)
    return leen_error(err, LEEN_E_INTERNAL, "out of memory");
  out->nrows = n;
  b->out = out;
  b->n = n;
  if (db_tx(db, fn, b, err) < 0 && !(b->rolled_back && err->code == LEEN_E_OK)) {
    leen_import_report_release(out);
    return -1;
  }
  out->committed = !b->rolled_back;
  return 0;
}

/* ---- items ---- */

static const char *item_id_of(const struct batch *b, size_t i) { return b->items[i].external_id; }

static const char *category_of(const struct leen_import_item *it)
{
  return it->category && *it->category ? it->category : LEEN_IMPORT_DEFAULT_CATEGORY;
}

/* The category row i names, as a leen_category_new. */
static void category_new(const struct batch *b, const struct leen_import_item *it,
                         struct leen_category_new *c)
{
  leen_category_new_init(c);
  c->library = b->lib.slug;
  c->name = category_of(it);
  c->loan_days = it->loan_days;
}

/* A category error names the row's /category, not the category's /name. */
static int category_field(struct leen_err *err)
{
  if (strcmp(err->field, "/name") == 0 || strcmp(err->field, "/category_id") == 0)
    snprintf(err->field, sizeof err->field, "/category");
  return -1;
}

/* The id of the category row i names, made when the library has none by
 * that name; *made tells which. */
static int item_category(struct leen_db *db, struct batch *b, const struct leen_import_item *it,
                         int64_t *id, int *made, struct leen_err *err)
{
  const char *name = category_of(it);
  *made = 0;
  for (size_t k = 0; k < b->ncats; k++)
    if (strcmp(b->cats[k].name, name) == 0) {
      *id = b->cats[k].id;
      return 0;
    }
  char libid[24];
  const char *p[] = {lib_i64(libid, b->lib.id), name};
  PGresult *r = db_exec(db, &stmts[S_CATEGORY_BY_NAME], 2, p, err);
  if (!r)
    return -1;
  int found = PQntuples(r) == 1;
  *id = found ? db_int64(r, 0, 0) : 0;
  PQclear(r);
  if (found)
    return 0;
  struct leen_category_new c;
  category_new(b, it, &c);
  if (category_insert(db, b->a, &c, "{}", id, err) < 0)
    return category_field(err);
  *made = 1;
  return 0;
}

/* The item an import row describes, without its category. */
static void item_new_of(const struct leen_import_item *row, struct leen_item_new *it)
{
  leen_item_new_init(it);
  it->name = row->name;
  it->attributes = row->attributes;
  it->expires_on = row->expires_on;
  it->deposit_cents = row->deposit_cents;
  it->safety_checked_on = row->safety_checked_on;
  it->status = row->status;
}

/* Makes item row i (checked already) and its category. */
static int item_row(struct leen_db *db, struct batch *b, size_t i, struct leen_err *err)
{
  const struct leen_import_item *row = &b->items[i];
  struct leen_item_new it;
  int made;
  item_new_of(row, &it);
  if (item_category(db, b, row, &it.category_id, &made, err) < 0)
    return -1;
  struct leen_import_outcome *o = &b->out->rows[i];
  if (item_insert(db, b->a, &it, row->external_id, o->code, err) < 0)
    return category_field(err);
  /* the row stands: remember its category (and that it is new) */
  if (made) {
    char **names = realloc(b->out->categories_created,
                           (b->out->ncategories + 1) * sizeof *names);
    char *copy = strdup(category_of(row));
    if (!names || !copy) {
      if (names)
        b->out->categories_created = names;
      free(copy);
      return leen_error(err, LEEN_E_INTERNAL, "out of memory");
    }
    b->out->categories_created = names;
    names[b->out->ncategories++] = copy;
  }
  int cached = 0;
  for (size_t k = 0; k < b->ncats && !cached; k++)
    cached = b->cats[k].id == it.category_id;
  if (!cached && b->ncats < LEEN_IMPORT_MAX_ROWS) {
    b->cats[b->ncats].name = category_of(row);
    b->cats[b->ncats++].id = it.category_id;
  }
  o->result = LEEN_IMPORT_CREATED;
  b->out->created++;
  return 0;
}

/* The checks of row i that need no database. */
static int item_check(const struct batch *b, size_t i, struct leen_err *err)
{
  const struct leen_import_item *row = &b->items[i];
  if (check_external_id(row->external_id, item_id_of, b, i, err) < 0)
    return -1;
  struct leen_item_new it;
  item_new_of(row, &it);
  it.category_id = 1; /* found or made later; checked there */
  if (item_check_new(&it, 1, err) < 0)
    return -1;
  struct leen_category_new c;
  category_new(b, row, &c);
  if (category_check(&c, err) < 0)
    return category_field(err);
  return 0;
}

static int items_tx(struct leen_db *db, void *p, struct leen_err *err)
{
  struct batch *b = p;
  report_reset(b);
  if (library_find(db, b->a, b->slug, "/library", 0, &b->lib, err) < 0 ||
      library_coordinator(b->a, b->lib.id, "import items", err) < 0 ||
      lock(db, LOCK_ITEMS, b->lib.id, err) < 0)
    return -1;
  char libid[24];
  lib_i64(libid, b->lib.id);
  for (size_t i = 0; i < b->n; i++) {
    struct leen_import_outcome *o = &b->out->rows[i];
    struct leen_err row_err;
    leen_err_clear(&row_err);
    if (item_check(b, i, &row_err) < 0) {
      row_error(b, i, &row_err);
      continue;
    }
    int found = known(db, b, i, S_ITEM_BY_EXTERNAL_ID, libid, b->items[i].external_id, o->code,
                      sizeof o->code, err);
    if (found < 0 || (!found && in_savepoint(db, b, i, item_row, err) < 0))
      return -1;
  }
  return finish(db, b, "import.items", "library", b->lib.id, err);
}

int leen_import_items(struct leen_db *db, const struct leen_actor *actor, const char *slug,
                      const struct leen_import_item *rows, size_t n,
                      const struct leen_import_options *opt, struct leen_import_report *out,
                      struct leen_err *err)
{
  memset(out, 0, sizeof *out);
  if (!leen_actor_has_role(actor, LEEN_ROLE_COORDINATOR))
    return leen_error(err, LEEN_E_FORBIDDEN, "only a coordinator can import items");
  if (!slug || !*slug)
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/library", "a library is required");
  struct batch *b = calloc(1, sizeof *b);
  if (!b)
    return leen_error(err, LEEN_E_INTERNAL, "out of memory");
  b->a = actor;
  b->opt = opt;
  b->slug = slug;
  b->items = rows;
  int rc = run(db, b, n, items_tx, out, err);
  free(b);
  return rc;
}

/* ---- households ---- */

static const char *household_id_of(const struct batch *b, size_t i)
{
  return b->households[i].external_id;
}

static int household_row(struct leen_db *db, struct batch *b, size_t i, struct leen_err *err)
{
  struct leen_import_outcome *o = &b->out->rows[i];
  if (hh_insert(db, b->a, &b->households[i].household, b->households[i].external_id, &o->number,
                err) < 0)
    return -1;
  o->result = LEEN_IMPORT_CREATED;
  b->out->created++;
  return 0;
}

static int households_tx(struct leen_db *db, void *p, struct leen_err *err)
{
  struct batch *b = p;
  report_reset(b);
  if (lock(db, LOCK_HOUSEHOLDS, b->a->org_id, err) < 0)
    return -1;
  char org[24];
  lib_i64(org, b->a->org_id);
  for (size_t i = 0; i < b->n; i++) {
    const struct leen_import_household *row = &b->households[i];
    struct leen_import_outcome *o = &b->out->rows[i];
    struct leen_err row_err;
    leen_err_clear(&row_err);
    if (check_external_id(row->external_id, household_id_of, b, i, &row_err) < 0 ||
        hh_check_new(&row->household, &row_err) < 0) {
      row_error(b, i, &row_err);
      continue;
    }
    char number[24];
    int found = known(db, b, i, S_HOUSEHOLD_BY_EXTERNAL_ID, org, row->external_id, number,
                      sizeof number, err);
    if (found > 0)
      o->number = strtoll(number, NULL, 10);
    if (found < 0 || (!found && in_savepoint(db, b, i, household_row, err) < 0))
      return -1;
  }
  return finish(db, b, "import.households", "org", b->a->org_id, err);
}

int leen_import_households(struct leen_db *db, const struct leen_actor *actor,
                           const struct leen_import_household *rows, size_t n,
                           const struct leen_import_options *opt, struct leen_import_report *out,
                           struct leen_err *err)
{
  memset(out, 0, sizeof *out);
  if (!leen_actor_has_role(actor, LEEN_ROLE_VOLUNTEER))
    return leen_error(err, LEEN_E_FORBIDDEN, "households are imported by library staff");
  struct batch *b = calloc(1, sizeof *b);
  if (!b)
    return leen_error(err, LEEN_E_INTERNAL, "out of memory");
  b->a = actor;
  b->opt = opt;
  b->households = rows;
  int rc = run(db, b, n, households_tx, out, err);
  free(b);
  return rc;
}
