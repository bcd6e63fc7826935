/* Reservations: create and cancel are one call each of a function in
 * sql/0005_circulation.sql (they lock the item and move it along the
 * queue); reads are plain selects on leen_reservation_rows. */
#include <stdlib.h>
#include <string.h>

#include "loan_internal.h"
#include "leen/item.h"
#include "leen/reservation.h"

static const struct leen_stmt stmts[] = {
  {"reservation_create",
   "SELECT * FROM leen_reservation_create($1::bigint, $2::bigint, $3::bigint[], $4::integer,"
   " nullif($5::bigint, 0), $6, $7::date)"},
  {"reservation_cancel",
   "SELECT * FROM leen_reservation_cancel($1::bigint, $2::bigint, $3::bigint[], $4::bigint)"},
  {"reservation_get", "SELECT * FROM leen_reservation_rows WHERE id = $1::bigint"},
  {"reservation_list",
   "SELECT * FROM leen_reservation_rows v"
   " WHERE ($1::bigint = 0 OR v.org_id = $1::bigint)"
   "   AND ($2::bigint[] IS NULL OR v.library_id = ANY ($2::bigint[]))"
   "   AND ($3::integer IS NULL OR v.household = $3::integer)"
   "   AND ($4::text IS NULL OR v.library = $4::text)"
   "   AND ($5::bigint IS NULL OR v.category_id = $5::bigint)"
   "   AND (NOT $6::boolean OR v.status IN ('waiting', 'offered'))"
   "   AND ($7::bigint IS NULL OR v.id > $7::bigint)"
   " ORDER BY v.id LIMIT $8::integer"},
  {"reservation_library", "SELECT id, org_id FROM libraries WHERE slug = $1"},
};
enum { S_CREATE, S_CANCEL, S_GET, S_LIST, S_LIBRARY };

struct res_cols {
  int id, household, library, category_id, item, wanted_from, status, offered_item, created_at,
      position, library_id, org_id;
};

static void cols_find(const PGresult *r, struct res_cols *c)
{
  c->id = PQfnumber(r, "id");
  c->household = PQfnumber(r, "household");
  c->library = PQfnumber(r, "library");
  c->category_id = PQfnumber(r, "category_id");
  c->item = PQfnumber(r, "item");
  c->wanted_from = PQfnumber(r, "wanted_from");
  c->status = PQfnumber(r, "status");
  c->offered_item = PQfnumber(r, "offered_item");
  c->created_at = PQfnumber(r, "created_at");
  c->position = PQfnumber(r, "position");
  c->library_id = PQfnumber(r, "library_id");
  c->org_id = PQfnumber(r, "org_id");
}

static void from_row(const PGresult *r, int row, const struct res_cols *c,
                     struct leen_reservation *out)
{
  memset(out, 0, sizeof *out);
  out->id = db_int64(r, row, c->id);
  out->household = (int32_t)db_int64(r, row, c->household);
  circ_copy(out->library, sizeof out->library, db_text(r, row, c->library));
  out->category_id = db_int64(r, row, c->category_id);
  circ_copy(out->item, sizeof out->item, db_text(r, row, c->item));
  circ_copy(out->wanted_from, sizeof out->wanted_from, db_text(r, row, c->wanted_from));
  circ_copy(out->status, sizeof out->status, db_text(r, row, c->status));
  circ_copy(out->offered_item, sizeof out->offered_item, db_text(r, row, c->offered_item));
  circ_copy(out->created_at, sizeof out->created_at, db_text(r, row, c->created_at));
  out->position = (int)db_int64(r, row, c->position);
}

/* Fills out from the single row of r (when out is not NULL). */
static int take_one(PGresult *r, struct leen_reservation *out, struct leen_err *err)
{
  if (PQntuples(r) != 1)
    return leen_error(err, LEEN_E_INTERNAL, "the database returned no reservation");
  if (out) {
    struct res_cols c;
    cols_find(r, &c);
    from_row(r, 0, &c, out);
  }
  return 0;
}

int leen_reservation_create(struct leen_db *db, const struct leen_actor *who,
                            const struct leen_reservation_new *in, struct leen_reservation *out,
                            struct leen_err *err)
{
  memset(out, 0, sizeof *out);
  if (circ_require(who, LEEN_ROLE_VOLUNTEER, err) < 0)
    return -1;
  char code[16];
  if ((in->item != NULL) == (in->category_id != 0))
    return leen_error_field(err, LEEN_E_INVALID_FIELD, in->item ? "/item" : "/category",
                            "name either a category or an item");
  if (in->item && leen_item_code_normalize(in->item, code) < 0)
    return leen_error_field(err, LEEN_E_NOT_FOUND, "/item", "no item \"%s\"", in->item);
  if (in->category_id < 0)
    return leen_error_field(err, LEEN_E_NOT_FOUND, "/category", "no category %lld",
                            (long long)in->category_id);
  if (in->household <= 0)
    return leen_error_field(err, LEEN_E_NOT_FOUND, "/household", "no household %ld",
                            (long)in->household);
  if (in->wanted_from && !circ_valid_date(in->wanted_from))
    return leen_error_field(err, LEEN_E_INVALID_DATE, "/wanted_from",
                            "wanted_from is a date YYYY-MM-DD");
  struct circ_actor a;
  circ_actor_params(who, &a);
  char hh[24], cat[24];
  const char *p[] = {a.user, a.org, a.libs, circ_i64(hh, in->household),
                     circ_i64(cat, in->category_id), in->item ? code : NULL, in->wanted_from};
  PGresult *r = circ_call(db, &stmts[S_CREATE], 7, p, err);
  if (!r)
    return -1;
  int rc = take_one(r, out, err);
  PQclear(r);
  return rc;
}

int leen_reservation_cancel(struct leen_db *db, const struct leen_actor *who, int64_t id,
                            struct leen_reservation *out, struct leen_err *err)
{
  if (out)
    memset(out, 0, sizeof *out);
  if (circ_require(who, LEEN_ROLE_VOLUNTEER, err) < 0)
    return -1;
  struct circ_actor a;
  circ_actor_params(who, &a);
  char rid[24];
  const char *p[] = {a.user, a.org, a.libs, circ_i64(rid, id)};
  PGresult *r = circ_call(db, &stmts[S_CANCEL], 4, p, err);
  if (!r)
    return -1;
  int rc = take_one(r, out, err);
  PQclear(r);
  return rc;
}

int leen_reservation_get(struct leen_db *db, const struct leen_actor *who, int64_t id,
                         struct leen_reservation *out, struct leen_err *err)
{
  memset(out, 0, sizeof *out);
  if (circ_require(who, LEEN_ROLE_VOLUNTEER, err) < 0)
    return -1;
  char rid[24];
  const char *p[] = {circ_i64(rid, id)};
  PGresult *r = db_exec(db, &stmts[S_GET], 1, p, err);
  if (!r)
    return -1;
  struct res_cols c;
  cols_find(r, &c);
  int rc = 0;
  if (PQntuples(r) == 0 || !circ_sees_org(who, db_int64(r, 0, c.org_id)))
    rc = leen_error(err, LEEN_E_NOT_FOUND, "no reservation %lld", (long long)id);
  else if (!leen_actor_in_library(who, db_int64(r, 0, c.library_id)))
    rc = leen_error(err, LEEN_E_FORBIDDEN, "reservation %lld belongs to another library",
                    (long long)id);
  else
    from_row(r, 0, &c, out);
  PQclear(r);
  return rc;
}

static int check_library(struct leen_db *db, const struct leen_actor *who, const char *slug,
                         struct leen_err *err)
{
  const char *p[] = {slug};
  PGresult *r = db_exec(db, &stmts[S_LIBRARY], 1, p, err);
  if (!r)
    return -1;
  int found = PQntuples(r) == 1 && circ_sees_org(who, db_int64(r, 0, 1));
  int64_t id = found ? db_int64(r, 0, 0) : 0;
  PQclear(r);
  if (!found)
    return leen_error_field(err, LEEN_E_NOT_FOUND, "/library", "no library \"%s\"", slug);
  if (!leen_actor_in_library(who, id))
    return leen_error_field(err, LEEN_E_FORBIDDEN, "/library", "you do not work in library \"%s\"",
                            slug);
  return 0;
}

int leen_reservation_list(struct leen_db *db, const struct leen_actor *who,
                          const struct leen_reservation_filter *f,
                          struct leen_reservation_list *out, struct leen_err *err)
{
  memset(out, 0, sizeof *out);
  if (circ_require(who, LEEN_ROLE_VOLUNTEER, err) < 0)
    return -1;
  int limit = f->limit ? f->limit : 50;
  if (limit < 1 || limit > 200)
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/limit", "limit is 1 to 200");
  if (f->library && check_library(db, who, f->library, err) < 0)
    return -1;
  struct circ_actor a;
  circ_actor_params(who, &a);
  char hh[24], cat[24], cursor[24], lim[24];
  const char *p[] = {a.org,
                     a.libs,
                     f->household ? circ_i64(hh, f->household) : NULL,
                     f->library,
                     f->category_id ? circ_i64(cat, f->category_id) : NULL,
                     f->open ? "true" : "false",
                     f->cursor ? circ_i64(cursor, f->cursor) : NULL,
                     circ_i64(lim, limit + 1)};
  PGresult *r = db_exec(db, &stmts[S_LIST], 8, p, err);
  if (!r)
    return -1;
  size_t rows = (size_t)PQntuples(r);
  size_t n = rows > (size_t)limit ? (size_t)limit : rows;
  int rc = 0;
  if (n) {
    out->items = calloc(n, sizeof *out->items);
    if (!out->items)
      rc = leen_error(err, LEEN_E_INTERNAL, "out of memory");
  }
  struct res_cols c;
  cols_find(r, &c);
  for (size_t i = 0; rc == 0 && i < n; i++)
    from_row(r, (int)i, &c, &out->items[i]);
  if (rc == 0) {
    out->n = n;
    if (rows > n)
      out->next_cursor = out->items[n - 1].id;
  }
  PQclear(r);
  return rc;
}

void leen_reservation_list_release(struct leen_reservation_list *list)
{
  if (!list)
    return;
  free(list->items);
  list->items = NULL;
  list->n = 0;
  list->next_cursor = 0;
}
