/* Editing an item: its fields, and the status changes a coordinator may
 * make by hand. Moving an item onto or off a loan or a reservation belongs
 * to check-out, return and reservations, which keep loans, deposits and
 * queues consistent; an edit must never bypass them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "item_int.h"
#include "journal.h"
#include "library_int.h"

static const struct leen_stmt stmts[] = {
  {"item_update_lock",
   "SELECT i.id, i.library_id, l.org_id, i.status, i.version,"
   " EXISTS (SELECT 1 FROM loans o WHERE o.item_id = i.id AND o.returned_at IS NULL)"
   " FROM items i JOIN libraries l ON l.id = i.library_id WHERE i.code = $1 FOR UPDATE OF i"},
  {"item_update_category", "SELECT library_id FROM categories WHERE id = $1::bigint"},
  {"item_update_apply",
   "UPDATE items SET"
   " name = CASE WHEN $2::boolean THEN $3 ELSE name END,"
   " attributes = CASE WHEN $4::boolean THEN $5::jsonb ELSE attributes END,"
   " expires_on = CASE WHEN $6::boolean THEN $7::date ELSE expires_on END,"
   " category_id = CASE WHEN $8::boolean THEN $9::bigint ELSE category_id END,"
   " safety_checked_on = CASE WHEN $10::boolean THEN $11::date ELSE safety_checked_on END,"
   " status_changed_at = CASE WHEN $12::boolean AND $13 <> status THEN now()"
   "   ELSE status_changed_at END,"
   " status = CASE WHEN $12::boolean THEN $13 ELSE status END,"
   " deposit_cents = CASE WHEN $14::boolean THEN $15::bigint ELSE deposit_cents END,"
   " version = version + 1"
   " WHERE id = $1::bigint"},
  /* an item back from cleaning or repair goes to the first household
   * waiting for it, as a returned item does */
  {"item_update_offer",
   "SELECT leen_offer_item(i.id, current_date) FROM items i WHERE i.id = $1::bigint"
   " AND EXISTS (SELECT 1 FROM reservations r WHERE r.status = 'waiting'"
   "  AND r.wanted_from <= current_date"
   "  AND (r.item_id = i.id OR (r.item_id IS NULL AND r.category_id = i.category_id)))"},
};
enum { S_LOCK, S_CATEGORY, S_APPLY, S_OFFER };

/* Field names in the order of enum leen_item_field's bits. */
static const char *const field_names[] = {
  "name", "attributes", "expires_on", "category_id", "safety_checked_on", "status",
  "deposit_cents",
};
#define ALL_FIELDS ((1u << (sizeof field_names / sizeof field_names[0])) - 1)

static int check(const struct leen_item_new *it, unsigned f, struct leen_err *err)
{
  if ((f & LEEN_ITEM_NAME) && !lib_text_ok(it->name, 1, 200))
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/name",
                            "a name is 1 to 200 characters without control characters");
  if ((f & LEEN_ITEM_ATTRIBUTES) &&
      (!it->attributes || strlen(it->attributes) > LEEN_ITEM_ATTRIBUTES_MAX))
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/attributes",
                            "attributes are a JSON object of at most %d bytes",
                            LEEN_ITEM_ATTRIBUTES_MAX);
  if ((f & LEEN_ITEM_EXPIRES_ON) && item_check_date(it->expires_on, "/expires_on", err) < 0)
    return -1;
  if ((f & LEEN_ITEM_SAFETY_CHECKED_ON) &&
      item_check_date(it->safety_checked_on, "/safety_checked_on", err) < 0)
    return -1;
  if ((f & LEEN_ITEM_CATEGORY_ID) && it->category_id <= 0)
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/category_id", "a category is required");
  if ((f & LEEN_ITEM_DEPOSIT_CENTS) && it->deposit_cents != LEEN_UNSET &&
      (it->deposit_cents < 0 || it->deposit_cents > 100000000))
    return leen_error_field(err, LEEN_E_INVALID_AMOUNT, "/deposit_cents",
                            "deposit_cents must be between 0 and 100000000");
  if ((f & LEEN_ITEM_STATUS) && !item_status_known(it->status))
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/status", "unknown status \"%s\"",
                            it->status ? it->status : "");
  return 0;
}

/* Refuses a status change an edit may not make. Giving the status the
 * item already has changes nothing and is no change. */
static int status_allowed(const char *code, const char *from, int open_loan, const char *to,
                          struct leen_err *err)
{
  if (strcmp(from, to) == 0)
    return 0;
  if (strcmp(to, "on_loan") == 0)
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/status",
                            "status \"on_loan\" is set by a check-out, not by an edit");
  if (strcmp(to, "reserved") == 0)
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/status",
                            "status \"reserved\" is set when a returned item is set aside for a"
                            " reservation, not by an edit");
  if (open_loan || strcmp(from, "on_loan") == 0)
    return leen_error_field(err, LEEN_E_CONFLICT, "/status",
                            "item \"%s\" is on loan: only its return can change its status", code);
  if (strcmp(from, "reserved") == 0)
    return leen_error_field(err, LEEN_E_CONFLICT, "/status",
                            "item \"%s\" is reserved for a household: cancel the reservation"
                            " first", code);
  return 0;
}

struct update_ctx {
  const struct leen_actor *a;
  const char *code;
  const struct leen_item_new *it;
  unsigned fields;
  int64_t expected_version;
  struct leen_item *out;
};

static const char *flag(unsigned fields, unsigned bit) { return (fields & bit) ? "true" : "false"; }

static const char *date_or_null(const char *d) { return d && *d ? d : NULL; }

static int update_tx(struct leen_db *db, void *p, struct leen_err *err)
{
  struct update_ctx *c = p;
  const struct leen_item_new *it = c->it;
  unsigned f = c->fields;
  leen_item_release(c->out); /* from an attempt that was retried */
  const char *lp[] = {c->code};
  PGresult *r = db_exec(db, &stmts[S_LOCK], 1, lp, err);
  if (!r)
    return -1;
  int found = PQntuples(r) == 1 && lib_same_org(c->a, db_int64(r, 0, 2));
  int64_t item_id = 0, library_id = 0, version = 0;
  int open_loan = 0;
  char status[16] = "";
  if (found) {
    item_id = db_int64(r, 0, 0);
    library_id = db_int64(r, 0, 1);
    lib_copy(status, sizeof status, db_text(r, 0, 3));
    version = db_int64(r, 0, 4);
    open_loan = db_bool(r, 0, 5);
  }
  PQclear(r);
  if (!found)
    return leen_error_field(err, LEEN_E_NOT_FOUND, "/code", "no item \"%s\"", c->code);
  if (library_coordinator(c->a, library_id, "change its items", err) < 0)
    return -1;
  if (c->expected_version && c->expected_version != version)
    return leen_error(err, LEEN_E_PRECONDITION_FAILED,
                      "item \"%s\" changed since it was read: version %lld, not %lld", c->code,
                      (long long)version, (long long)c->expected_version);
  char cat[24];
  if (f & LEEN_ITEM_CATEGORY_ID) {
    const char *cp[] = {lib_i64(cat, it->category_id)};
    r = db_exec(db, &stmts[S_CATEGORY], 1, cp, err);
    if (!r)
      return -1;
    int exists = PQntuples(r) == 1;
    int64_t cat_library = exists ? db_int64(r, 0, 0) : 0;
    PQclear(r);
    if (!exists)
      return leen_error_field(err, LEEN_E_NOT_FOUND, "/category_id", "no such category %s", cat);
    if (cat_library != library_id)
      return leen_error_field(err, LEEN_E_INVALID_FIELD, "/category_id",
                              "category %s belongs to another library than item \"%s\"", cat,
                              c->code);
  }
  int status_changes = (f & LEEN_ITEM_STATUS) && strcmp(it->status, status) != 0;
  if ((f & LEEN_ITEM_STATUS) && status_allowed(c->code, status, open_loan, it->status, err) < 0)
    return -1;
  if ((f & LEEN_ITEM_ATTRIBUTES) && item_check_attributes(db, it->attributes, err) < 0)
    return -1;
  char id[24], dep[24];
  lib_i64(id, item_id);
  if (f) {
    const char *params[] = {
      id,
      flag(f, LEEN_ITEM_NAME), (f & LEEN_ITEM_NAME) ? it->name : NULL,
      flag(f, LEEN_ITEM_ATTRIBUTES), (f & LEEN_ITEM_ATTRIBUTES) ? it->attributes : NULL,
      flag(f, LEEN_ITEM_EXPIRES_ON), (f & LEEN_ITEM_EXPIRES_ON) ? date_or_null(it->expires_on) : NULL,
      flag(f, LEEN_ITEM_CATEGORY_ID), (f & LEEN_ITEM_CATEGORY_ID) ? cat : NULL,
      flag(f, LEEN_ITEM_SAFETY_CHECKED_ON),
      (f & LEEN_ITEM_SAFETY_CHECKED_ON) ? date_or_null(it->safety_checked_on) : NULL,
      flag(f, LEEN_ITEM_STATUS), (f & LEEN_ITEM_STATUS) ? it->status : NULL,
      flag(f, LEEN_ITEM_DEPOSIT_CENTS),
      (f & LEEN_ITEM_DEPOSIT_CENTS) && it->deposit_cents != LEEN_UNSET
          ? lib_i64(dep, it->deposit_cents) : NULL,
    };
    r = db_exec(db, &stmts[S_APPLY], 15, params, err);
    if (!r)
      return -1;
    PQclear(r);
    if (status_changes && strcmp(it->status, "available") == 0) {
      const char *op[] = {id};
      r = db_exec(db, &stmts[S_OFFER], 1, op, err);
      if (!r)
        return -1;
      PQclear(r);
    }
    /* the audit names the fields and the status move, never free text */
    char details[512];
    size_t len = (size_t)snprintf(details, sizeof details,
                                  "{\"code\": \"%s\", \"version\": %lld, \"fields\": [", c->code,
                                  (long long)version + 1);
    int first = 1;
    for (size_t i = 0; i < sizeof field_names / sizeof field_names[0]; i++)
      if (f & (1u << i)) {
        len += (size_t)snprintf(details + len, sizeof details - len, "%s\"%s\"",
                                first ? "" : ", ", field_names[i]);
        first = 0;
      }
    if (status_changes)
      snprintf(details + len, sizeof details - len,
               "], \"status_from\": \"%s\", \"status_to\": \"%s\"}", status, it->status);
    else
      snprintf(details + len, sizeof details - len, "]}");
    if (audit_log(db, c->a, "item.update", "item", id, details, err) < 0)
      return -1;
  }
  if (c->out && item_load(db, c->a, c->code, c->out, err) < 0)
    return -1;
  return 0;
}

int leen_item_update(struct leen_db *db, const struct leen_actor *actor, const char *code,
                     const struct leen_item_new *it, unsigned fields, int64_t expected_version,
                     struct leen_item *out, struct leen_err *err)
{
  if (out)
    memset(out, 0, sizeof *out);
  if (!leen_actor_has_role(actor, LEEN_ROLE_COORDINATOR))
    return leen_error(err, LEEN_E_FORBIDDEN, "only a coordinator can change items");
  char canon[16];
  if (leen_item_code_normalize(code, canon) < 0)
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/code",
                            "not an item code: give e.g. FB0042, FB-0042 or a label URL");
  fields &= ALL_FIELDS;
  if (check(it, fields, err) < 0)
    return -1;
  if (expected_version < 0)
    return leen_error(err, LEEN_E_PRECONDITION_FAILED, "version %lld does not exist",
                      (long long)expected_version);
  struct update_ctx c = {actor, canon, it, fields, expected_version, out};
  if (db_tx(db, update_tx, &c, err) < 0) {
    leen_item_release(out);
    return -1;
  }
  return 0;
}
