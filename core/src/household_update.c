/* Updating a household: fields and children as one change, guarded by
 * the version the caller read (the API's ETag / If-Match). */
#include <stdio.h>
#include <string.h>

#include "household_internal.h"
#include "journal.h"
#include "leen/household.h"

static const struct leen_stmt stmts[] = {
  {"household_lock_version",
   "SELECT id, version, anonymized_at IS NOT NULL FROM households"
   " WHERE number = $1::integer AND org_id = $2::bigint FOR UPDATE"},
  {"household_update",
   "UPDATE households SET"
   " name = CASE WHEN $2::boolean THEN $3 ELSE name END,"
   " email = CASE WHEN $4::boolean THEN $5 ELSE email END,"
   " phone = CASE WHEN $6::boolean THEN $7 ELSE phone END,"
   " postcode = CASE WHEN $8::boolean THEN $9 ELSE postcode END,"
   " language = CASE WHEN $10::boolean THEN $11 ELSE language END,"
   " version = version + 1"
   " WHERE id = $1::bigint"},
  {"household_child_delete",
   "DELETE FROM children WHERE id = $1::bigint AND household_id = $2::bigint RETURNING id"},
  {"household_child_count", "SELECT count(*) FROM children WHERE household_id = $1::bigint"},
};
enum { S_LOCK, S_UPDATE, S_CHILD_DELETE, S_CHILD_COUNT };

static const struct {
  unsigned bit;
  const char *name;
} field_bits[] = {
  {LEEN_HOUSEHOLD_SET_NAME, "name"},         {LEEN_HOUSEHOLD_SET_EMAIL, "email"},
  {LEEN_HOUSEHOLD_SET_PHONE, "phone"},       {LEEN_HOUSEHOLD_SET_POSTCODE, "postcode"},
  {LEEN_HOUSEHOLD_SET_LANGUAGE, "language"},
};
enum { NFIELDS = sizeof field_bits / sizeof field_bits[0] };

static const char *value_of(const struct leen_household_patch *p, unsigned bit)
{
  const char *v = bit == LEEN_HOUSEHOLD_SET_NAME       ? p->name
                  : bit == LEEN_HOUSEHOLD_SET_EMAIL    ? p->email
                  : bit == LEEN_HOUSEHOLD_SET_PHONE    ? p->phone
                  : bit == LEEN_HOUSEHOLD_SET_POSTCODE ? p->postcode
                                                       : p->language;
  return v && *v ? v : NULL;
}

struct update_ctx {
  const struct leen_actor *a;
  int64_t number;
  const struct leen_household_patch *p;
  struct leen_household out;
};

static int remove_children(struct leen_db *db, int64_t hid, const struct leen_household_patch *p,
                           struct leen_err *err)
{
  char hh[24];
  hh_i64(hh, hid);
  for (size_t i = 0; i < p->nremove; i++) {
    char cid[24], field[64];
    snprintf(field, sizeof field, "/remove_children/%zu", i);
    const char *dp[] = {hh_i64(cid, p->remove_children[i]), hh};
    PGresult *r = db_exec(db, &stmts[S_CHILD_DELETE], 2, dp, err);
    if (!r) {
      /* a loan names the child (foreign key): keep the history */
      if (err->code == LEEN_E_CONFLICT)
        leen_error_field(err, LEEN_E_CONFLICT, field, "child %lld is named on a loan",
                         (long long)p->remove_children[i]);
      return -1;
    }
    int found = PQntuples(r) == 1;
    PQclear(r);
    if (!found)
      return leen_error_field(err, LEEN_E_NOT_FOUND, field, "no child %lld in this household",
                              (long long)p->remove_children[i]);
  }
  return 0;
}

static int update_tx(struct leen_db *db, void *ctx, struct leen_err *err)
{
  struct update_ctx *c = ctx;
  const struct leen_household_patch *p = c->p;
  leen_household_release(&c->out);
  char nb[24], org[24];
  const char *lp[] = {hh_i64(nb, c->number), hh_i64(org, c->a->org_id)};
  PGresult *r = db_exec(db, &stmts[S_LOCK], 2, lp, err);
  if (!r)
    return -1;
  if (PQntuples(r) == 0) {
    PQclear(r);
    return leen_error(err, LEEN_E_NOT_FOUND, "no household %lld", (long long)c->number);
  }
  int64_t hid = db_int64(r, 0, 0);
  int version = (int)db_int64(r, 0, 1), anonymized = db_bool(r, 0, 2);
  PQclear(r);
  if (p->expected_version != 0 && p->expected_version != version)
    return leen_error(err, LEEN_E_PRECONDITION_FAILED,
                      "household %lld changed since it was read (version %d, not %d)",
                      (long long)c->number, version, p->expected_version);
  if (anonymized)
    return leen_error(err, LEEN_E_CONFLICT, "household %lld is anonymized",
                      (long long)c->number);

  char hid_s[24];
  const char *up[1 + 2 * NFIELDS];
  up[0] = hh_i64(hid_s, hid);
  for (size_t i = 0; i < NFIELDS; i++) {
    int set = (p->set & field_bits[i].bit) != 0;
    up[1 + 2 * i] = set ? "true" : "false";
    up[2 + 2 * i] = set ? value_of(p, field_bits[i].bit) : NULL;
  }
  r = db_exec(db, &stmts[S_UPDATE], 1 + 2 * NFIELDS, up, err);
  if (!r)
    return -1;
  PQclear(r);

  if (remove_children(db, hid, p, err) < 0)
    return -1;
  if (p->nadd > 0) {
    const char *cp[] = {hid_s};
    r = db_exec(db, &stmts[S_CHILD_COUNT], 1, cp, err);
    if (!r)
      return -1;
    int64_t have = db_int64(r, 0, 0);
    PQclear(r);
    if (have + (int64_t)p->nadd > LEEN_HOUSEHOLD_MAX_CHILDREN)
      return leen_error_field(err, LEEN_E_CONFLICT, "/add_children",
                              "a household has at most %d children",
                              LEEN_HOUSEHOLD_MAX_CHILDREN);
    if (hh_insert_children(db, hid, p->add_children, p->nadd, err) < 0)
      return -1;
  }

  /* the audit names what changed, not the values: they are personal data */
  char details[256];
  size_t len = (size_t)snprintf(details, sizeof details, "{\"fields\": [");
  int first = 1;
  for (size_t i = 0; i < NFIELDS; i++)
    if (p->set & field_bits[i].bit) {
      len += (size_t)snprintf(details + len, sizeof details - len, "%s\"%s\"", first ? "" : ", ",
                              field_bits[i].name);
      first = 0;
    }
  snprintf(details + len, sizeof details - len,
           "], \"children_added\": %zu, \"children_removed\": %zu}", p->nadd, p->nremove);
  if (audit_log(db, c->a, "update", "household", nb, details, err) < 0)
    return -1;
  return hh_load(db, c->a, c->number, &c->out, err);
}

int leen_household_update(struct leen_db *db, const struct leen_actor *actor, int64_t number,
                          const struct leen_household_patch *p, struct leen_household *out,
                          struct leen_err *err)
{
  memset(out, 0, sizeof *out);
  if (!leen_actor_has_role(actor, LEEN_ROLE_VOLUNTEER))
    return leen_error(err, LEEN_E_FORBIDDEN, "households are managed at the counter");
  if (number <= 0 || number > INT32_MAX)
    return leen_error(err, LEEN_E_NOT_FOUND, "no household %lld", (long long)number);
  for (size_t i = 0; i < NFIELDS; i++)
    if ((p->set & field_bits[i].bit) &&
        hh_check_field(field_bits[i].bit, value_of(p, field_bits[i].bit), err) < 0)
      return -1;
  if (p->nadd > LEEN_HOUSEHOLD_MAX_CHILDREN)
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/add_children",
                            "a household has at most %d children", LEEN_HOUSEHOLD_MAX_CHILDREN);
  for (size_t i = 0; i < p->nadd; i++)
    if (hh_check_child(&p->add_children[i], "/add_children", i, err) < 0)
      return -1;
  struct update_ctx c = {.a = actor, .number = number, .p = p};
  if (db_tx(db, update_tx, &c, err) < 0) {
    leen_household_release(&c.out);
    return -1;
  }
  *out = c.out;
  return 0;
}
