/* Reading loans: one by id, and pages of a filtered list. */
#include <stdlib.h>
#include <string.h>

#include "loan_internal.h"

static const struct leen_stmt stmts[] = {
  {"loan_get", "SELECT * FROM leen_loan_rows WHERE id = $1::bigint"},
  {"loan_list",
   "SELECT * FROM leen_loan_rows v"
   " WHERE ($1::bigint = 0 OR v.org_id = $1::bigint)"
   "   AND ($2::bigint[] IS NULL OR v.library_id = ANY ($2::bigint[]))"
   "   AND ($3::bigint IS NULL OR v.household_id = $3::bigint)"
   "   AND ($4::bigint IS NULL OR v.library_id = $4::bigint)"
   "   AND ($5::boolean IS NULL OR (v.returned_at IS NULL) = $5::boolean)"
   "   AND (NOT $6::boolean OR v.overdue)"
   "   AND ($7::bigint IS NULL OR v.id < $7::bigint)"
   " ORDER BY v.id DESC LIMIT $8::integer"},
  {"loan_library", "SELECT id, org_id FROM libraries WHERE slug = $1"},
  {"loan_household",
   "SELECT id FROM households"
   " WHERE number = $1::integer AND ($2::bigint = 0 OR org_id = $2::bigint)"},
};
enum { S_GET, S_LIST, S_LIBRARY, S_HOUSEHOLD };

int leen_loan_get(struct leen_db *db, const struct leen_actor *who, int64_t loan_id,
                  struct leen_loan *out, struct leen_err *err)
{
  memset(out, 0, sizeof *out);
  if (circ_require(who, LEEN_ROLE_VOLUNTEER, err) < 0)
    return -1;
  char id[24];
  const char *p[] = {circ_i64(id, loan_id)};
  PGresult *r = db_exec(db, &stmts[S_GET], 1, p, err);
  if (!r)
    return -1;
  int rc = 0;
  int64_t org = PQntuples(r) ? db_int64(r, 0, PQfnumber(r, "org_id")) : 0;
  if (PQntuples(r) == 0 || !circ_sees_org(who, org))
    rc = leen_error(err, LEEN_E_NOT_FOUND, "no loan %lld", (long long)loan_id);
  else if (!leen_actor_in_library(who, db_int64(r, 0, PQfnumber(r, "library_id"))))
    rc = leen_error(err, LEEN_E_FORBIDDEN, "loan %lld belongs to a library you do not work in",
                    (long long)loan_id);
  else {
    struct loan_cols c;
    loan_cols_find(r, &c);
    if (loan_from_row(r, 0, &c, out) < 0)
      rc = leen_error(err, LEEN_E_INTERNAL, "out of memory");
  }
  PQclear(r);
  return rc;
}

/* Resolves the filter's library slug and household number to ids. */
static int resolve(struct leen_db *db, const struct leen_actor *who,
                   const struct leen_loan_filter *f, char *lib, char *hh, struct leen_err *err)
{
  char org[24];
  circ_i64(org, circ_reader_org(who));
  if (f->library) {
    const char *p[] = {f->library};
    PGresult *r = db_exec(db, &stmts[S_LIBRARY], 1, p, err);
    if (!r)
      return -1;
    int found = PQntuples(r) == 1 && circ_sees_org(who, db_int64(r, 0, 1));
    int64_t id = found ? db_int64(r, 0, 0) : 0;
    PQclear(r);
    if (!found)
      return leen_error_field(err, LEEN_E_NOT_FOUND, "/library", "no library \"%s\"", f->library);
    if (!leen_actor_in_library(who, id))
      return leen_error_field(err, LEEN_E_FORBIDDEN, "/library",
                              "you do not work in library \"%s\"", f->library);
    circ_i64(lib, id);
  }
  if (f->household) {
    char num[24];
    const char *p[] = {circ_i64(num, f->household), org};
    PGresult *r = db_exec(db, &stmts[S_HOUSEHOLD], 2, p, err);
    if (!r)
      return -1;
    int found = PQntuples(r) == 1;
    if (found)
      circ_i64(hh, db_int64(r, 0, 0));
    PQclear(r);
    if (!found)
      return leen_error_field(err, LEEN_E_NOT_FOUND, "/household", "no household %ld",
                              (long)f->household);
  }
  return 0;
}

int leen_loan_list(struct leen_db *db, const struct leen_actor *who,
                   const struct leen_loan_filter *f, struct leen_loan_list *out,
                   struct leen_err *err)
{
  memset(out, 0, sizeof *out);
  if (circ_require(who, LEEN_ROLE_VOLUNTEER, err) < 0)
    return -1;
  int limit = f->limit ? f->limit : 50;
  if (limit < 1 || limit > 200)
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/limit", "limit is 1 to 200");
  if (f->cursor < 0)
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/cursor", "not a cursor of this list");
  char lib[24], hh[24];
  if (resolve(db, who, f, lib, hh, err) < 0)
    return -1;
  struct circ_actor a;
  circ_actor_params(who, &a);
  char cursor[24], lim[24];
  const char *p[] = {a.org,
                     a.libs,
                     f->household ? hh : NULL,
                     f->library ? lib : NULL,
                     f->open < 0 ? NULL : f->open ? "true" : "false",
                     f->overdue ? "true" : "false",
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
  struct loan_cols c;
  loan_cols_find(r, &c);
  for (size_t i = 0; rc == 0 && i < n; i++) {
    if (loan_from_row(r, (int)i, &c, &out->items[i]) < 0)
      rc = leen_error(err, LEEN_E_INTERNAL, "out of memory");
    else
      out->n = i + 1;
  }
  if (rc == 0 && rows > n)
    out->next_cursor = out->items[n - 1].id;
  PQclear(r);
  if (rc < 0)
    leen_loan_list_release(out);
  return rc;
}

void leen_loan_list_release(struct leen_loan_list *list)
{
  if (!list)
    return;
  for (size_t i = 0; i < list->n; i++)
    leen_loan_release(&list->items[i]);
  free(list->items);
  list->items = NULL;
  list->n = 0;
  list->next_cursor = 0;
}
