#include "leen/item.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "item_int.h"
#include "journal.h"
#include "library_int.h"

#define ITEM_SELECT \
  "SELECT i.id, i.code, i.library_id, l.slug, i.category_id, c.name, i.name, i.attributes::text," \
  " coalesce(to_char(i.expires_on, 'YYYY-MM-DD'), ''), coalesce(i.deposit_cents, -1)," \
  " coalesce(to_char(i.safety_checked_on, 'YYYY-MM-DD'), ''), i.status, coalesce(h.number, 0)," \
  " i.version, l.org_id" \
  " FROM items i JOIN libraries l ON l.id = i.library_id" \
  " JOIN categories c ON c.id = i.category_id LEFT JOIN households h ON h.id = i.reserved_for"

static const struct leen_stmt stmts[] = {
  {"item_by_code", ITEM_SELECT " WHERE i.code = $1"},
  {"item_list",
   ITEM_SELECT
   " WHERE ($1::bigint = 0 OR l.org_id = $1::bigint)"
   " AND ($2::bigint IS NULL OR i.library_id = $2::bigint)"
   " AND ($3::bigint IS NULL OR i.category_id = $3::bigint)"
   " AND ($4::text IS NULL OR i.status = $4) AND i.id > $5::bigint"
   " ORDER BY i.id LIMIT $6::int"},
  {"item_attributes_check", "SELECT jsonb_typeof($1::jsonb)"},
  {"item_category",
   "SELECT c.library_id, l.org_id FROM categories c JOIN libraries l ON l.id = c.library_id"
   " WHERE c.id = $1::bigint"},
  /* the library row's lock orders concurrent creates: each reads the
   * number the one before it left */
  {"item_insert",
   "WITH n AS (UPDATE libraries SET next_item_number = next_item_number + 1"
   "  WHERE id = $1::bigint RETURNING code_prefix, next_item_number - 1 AS number)"
   " INSERT INTO items (library_id, category_id, number, code, name, attributes, deposit_cents,"
   "  expires_on, safety_checked_on, status, external_id)"
   " SELECT $1::bigint, $2::bigint, n.number,"
   "  n.code_prefix || lpad(n.number::text, greatest(4, length(n.number::text)), '0'),"
   "  $3, coalesce($4::jsonb, '{}'::jsonb), $5::bigint, $6::date, $7::date,"
   "  coalesce($8, 'available'), $9 FROM n"
   " RETURNING id, code"},
};
enum { S_BY_CODE, S_LIST, S_ATTRIBUTES, S_CATEGORY, S_INSERT };

static const char *const statuses[] = {
  "available", "on_loan", "reserved", "cleaning", "in_repair", "retired", "lost",
};

int item_status_known(const char *s)
{
  for (size_t i = 0; s && i < sizeof statuses / sizeof statuses[0]; i++)
    if (strcmp(s, statuses[i]) == 0)
      return 1;
  return 0;
}

void leen_item_new_init(struct leen_item_new *it)
{
  memset(it, 0, sizeof *it);
  it->deposit_cents = LEEN_UNSET;
}

void leen_item_release(struct leen_item *item)
{
  if (!item)
    return;
  free(item->attributes);
  memset(item, 0, sizeof *item);
}

void leen_item_list_release(struct leen_item_list *l)
{
  if (!l)
    return;
  for (size_t i = 0; i < l->n; i++)
    leen_item_release(&l->items[i]);
  free(l->items);
  memset(l, 0, sizeof *l);
}

/* Reads one row of ITEM_SELECT; -1 when out of memory. */
static int read_item(const PGresult *r, int row, struct leen_item *it)
{
  memset(it, 0, sizeof *it);
  it->id = db_int64(r, row, 0);
  lib_copy(it->code, sizeof it->code, db_text(r, row, 1));
  it->library_id = db_int64(r, row, 2);
  lib_copy(it->library, sizeof it->library, db_text(r, row, 3));
  it->category_id = db_int64(r, row, 4);
  lib_copy(it->category, sizeof it->category, db_text(r, row, 5));
  lib_copy(it->name, sizeof it->name, db_text(r, row, 6));
  it->attributes = strdup(db_text(r, row, 7));
  lib_copy(it->expires_on, sizeof it->expires_on, db_text(r, row, 8));
  it->deposit_cents = db_int64(r, row, 9);
  lib_copy(it->safety_checked_on, sizeof it->safety_checked_on, db_text(r, row, 10));
  lib_copy(it->status, sizeof it->status, db_text(r, row, 11));
  it->reserved_for = db_int64(r, row, 12);
  it->version = db_int64(r, row, 13);
  return it->attributes ? 0 : -1;
}

int item_load(struct leen_db *db, const struct leen_actor *a, const char *code,
              struct leen_item *out, struct leen_err *err)
{
  const char *p[] = {code};
  PGresult *r = db_exec(db, &stmts[S_BY_CODE], 1, p, err);
  if (!r)
    return -1;
  int found = PQntuples(r) == 1 && lib_same_org(a, db_int64(r, 0, 14));
  int rc = found;
  if (found && read_item(r, 0, out) < 0) {
    leen_item_release(out);
    rc = leen_error(err, LEEN_E_INTERNAL, "out of memory");
  }
  PQclear(r);
  return rc;
}

int item_check_attributes(struct leen_db *db, const char *json, struct leen_err *err)
{
  const char *p[] = {json};
  PGresult *r = db_exec(db, &stmts[S_ATTRIBUTES], 1, p, err);
  if (!r) {
    /* whatever PostgreSQL found wrong in the text, it is the caller's JSON */
    if (err->code != LEEN_E_DB_UNAVAILABLE && err->code != LEEN_E_BUSY)
      leen_error_field(err, LEEN_E_INVALID_FIELD, "/attributes", "attributes are not valid JSON");
    return -1;
  }
  const char *type = db_text(r, 0, 0);
  int object = type && strcmp(type, "object") == 0;
  PQclear(r);
  if (!object)
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/attributes",
                            "attributes must be a JSON object");
  return 0;
}

int item_check_date(const char *value, const char *field, struct leen_err *err)
{
  if (value && *value && !lib_date_ok(value))
    return leen_error_field(err, LEEN_E_INVALID_DATE, field, "%s must be a date YYYY-MM-DD",
                            field + 1);
  return 0;
}

int item_check_new(const struct leen_item_new *it, int any_status, struct leen_err *err)
{
  if (!lib_text_ok(it->name, 1, 200))
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/name",
                            "a name is 1 to 200 characters without control characters");
  if (it->category_id <= 0)
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/category_id", "a category is required");
  if (it->attributes && strlen(it->attributes) > LEEN_ITEM_ATTRIBUTES_MAX)
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/attributes",
                            "attributes are at most %d bytes", LEEN_ITEM_ATTRIBUTES_MAX);
  if (item_check_date(it->expires_on, "/expires_on", err) < 0 ||
      item_check_date(it->safety_checked_on, "/safety_checked_on", err) < 0)
    return -1;
  if (it->deposit_cents != LEEN_UNSET && (it->deposit_cents < 0 || it->deposit_cents > 100000000))
    return leen_error_field(err, LEEN_E_INVALID_AMOUNT, "/deposit_cents",
                            "deposit_cents must be between 0 and 100000000");
  if (it->status && !any_status && strcmp(it->status, "available") != 0)
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/status", "a new item is available");
  /* on_loan and reserved come from a loan or a reservation, which an
   * import does not make */
  if (it->status && (!item_status_known(it->status) || strcmp(it->status, "on_loan") == 0 ||
                     strcmp(it->status, "reserved") == 0))
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/status",
                            "a new item is available, cleaning, in_repair, retired or lost");
  return 0;
}

int item_insert(struct leen_db *db, const struct leen_actor *a, const struct leen_item_new *it,
                const char *external_id, char code[16], struct leen_err *err)
{
  struct library_ref lib = {0};
  if (it->library && library_find(db, a, it->library, "/library", 0, &lib, err) < 0)
    return -1;
  char cat[24];
  const char *cp[] = {lib_i64(cat, it->category_id)};
  PGresult *r = db_exec(db, &stmts[S_CATEGORY], 1, cp, err);
  if (!r)
    return -1;
  int found = PQntuples(r) == 1 && lib_same_org(a, db_int64(r, 0, 1));
  int64_t library_id = found ? db_int64(r, 0, 0) : 0;
  PQclear(r);
  if (!found)
    return leen_error_field(err, LEEN_E_NOT_FOUND, "/category_id", "no such category %s", cat);
  if (it->library && library_id != lib.id)
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/category_id",
                            "category %s is not a category of library \"%s\"", cat, lib.slug);
  if (library_coordinator(a, library_id, "create items", err) < 0)
    return -1;
  if (it->attributes && item_check_attributes(db, it->attributes, err) < 0)
    return -1;
  char libid[24], dep[24];
  const char *params[] = {
    lib_i64(libid, library_id), cat, it->name, it->attributes,
    it->deposit_cents == LEEN_UNSET ? NULL : lib_i64(dep, it->deposit_cents),
    it->expires_on && *it->expires_on ? it->expires_on : NULL,
    it->safety_checked_on && *it->safety_checked_on ? it->safety_checked_on : NULL, it->status,
    external_id};
  r = db_exec(db, &stmts[S_INSERT], 9, params, err);
  if (!r)
    return -1;
  char id[24];
  lib_i64(id, db_int64(r, 0, 0));
  lib_copy(code, 16, db_text(r, 0, 1));
  PQclear(r);
  char details[160];
  snprintf(details, sizeof details, "{\"code\": \"%s\", \"category_id\": %s}", code, cat);
  return audit_log(db, a, "item.create", "item", id, details, err);
}

struct create_ctx {
  const struct leen_actor *a;
  const struct leen_item_new *it;
  struct leen_item *out;
};

static int create_tx(struct leen_db *db, void *p, struct leen_err *err)
{
  struct create_ctx *c = p;
  leen_item_release(c->out); /* from an attempt that was retried */
  char code[16];
  if (item_insert(db, c->a, c->it, NULL, code, err) < 0)
    return -1;
  if (c->out && item_load(db, c->a, code, c->out, err) < 0)
    return -1;
  return 0;
}

int leen_item_create(struct leen_db *db, const struct leen_actor *actor,
                     const struct leen_item_new *it, struct leen_item *out, struct leen_err *err)
{
  if (out)
    memset(out, 0, sizeof *out);
  if (!leen_actor_has_role(actor, LEEN_ROLE_COORDINATOR))
    return leen_error(err, LEEN_E_FORBIDDEN, "only a coordinator can create items");
  if (item_check_new(it, 0, err) < 0)
    return -1;
  struct create_ctx c = {actor, it, out};
  if (db_tx(db, create_tx, &c, err) < 0) {
    leen_item_release(out);
    return -1;
  }
  return 0;
}

static int may_read(const struct leen_actor *a, struct leen_err *err)
{
  if (!leen_actor_has_role(a, LEEN_ROLE_VOLUNTEER))
    return leen_error(err, LEEN_E_FORBIDDEN, "only library staff can read items");
  return 0;
}

int leen_item_get(struct leen_db *db, const struct leen_actor *actor, const char *code,
                  struct leen_item *out, struct leen_err *err)
{
  memset(out, 0, sizeof *out);
  if (may_read(actor, err) < 0)
    return -1;
  char canon[16];
  if (leen_item_code_normalize(code, canon) < 0)
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/code",
                            "not an item code: give e.g. FB0042, FB-0042 or a label URL");
  int found = item_load(db, actor, canon, out, err);
  if (found < 0)
    return -1;
  if (!found)
    return leen_error_field(err, LEEN_E_NOT_FOUND, "/code", "no item \"%s\"", canon);
  return 0;
}

int leen_item_list(struct leen_db *db, const struct leen_actor *actor,
                   const struct leen_item_query *q, struct leen_item_list *out,
                   struct leen_err *err)
{
  memset(out, 0, sizeof *out);
  if (may_read(actor, err) < 0)
    return -1;
  if (q->status && !item_status_known(q->status))
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/status", "unknown status \"%s\"",
                            q->status);
  if (q->limit > 500)
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/limit", "limit is at most 500");
  if (q->after < 0)
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/after", "not a cursor");
  if (q->category_id < 0)
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/category_id", "not a category");
  size_t limit = q->limit ? q->limit : 50;
  struct library_ref lib;
  if (q->library && library_find(db, actor, q->library, "/library", 0, &lib, err) < 0)
    return -1;
  char org[24], libid[24], cat[24], after[24], lim[24];
  const char *p[] = {lib_i64(org, actor->user_id == 0 ? 0 : actor->org_id),
                     q->library ? lib_i64(libid, lib.id) : NULL,
                     q->category_id ? lib_i64(cat, q->category_id) : NULL, q->status,
                     lib_i64(after, q->after), lib_i64(lim, (int64_t)limit + 1)};
  PGresult *r = db_exec(db, &stmts[S_LIST], 6, p, err);
  if (!r)
    return -1;
  size_t rows = (size_t)PQntuples(r);
  size_t n = rows > limit ? limit : rows;
  out->items = n ? calloc(n, sizeof *out->items) : NULL;
  if (n && !out->items) {
    PQclear(r);
    return leen_error(err, LEEN_E_INTERNAL, "out of memory");
  }
  for (size_t i = 0; i < n; i++) {
    out->n = i + 1;
    if (read_item(r, (int)i, &out->items[i]) < 0) {
      PQclear(r);
      leen_item_list_release(out);
      return leen_error(err, LEEN_E_INTERNAL, "out of memory");
    }
  }
  PQclear(r);
  out->next_after = rows > limit ? out->items[n - 1].id : 0;
  return 0;
}
