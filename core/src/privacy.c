#include "leen/privacy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "household_internal.h"
#include "journal.h"

static const struct leen_stmt stmts[] = {
  {"privacy_export", "SELECT leen_privacy_export($1::bigint)::text"},
  {"privacy_export_reductions",
   "SELECT id FROM reductions WHERE household_id = $1::bigint ORDER BY id"},
  {"privacy_open_loans",
   "SELECT count(*) FROM loans WHERE household_id = $1::bigint AND returned_at IS NULL"},
  {"privacy_offered",
   "SELECT count(*) FROM reservations WHERE household_id = $1::bigint AND status = 'offered'"},
  {"privacy_cancel_waiting",
   "UPDATE reservations SET status = 'cancelled', closed_at = now()"
   " WHERE household_id = $1::bigint AND status = 'waiting'"},
  {"privacy_anonymize",
   "UPDATE households SET name = 'Geanonimiseerd gezin ' || number, email = NULL,"
   " phone = NULL, external_id = NULL, anonymized_at = now(), version = version + 1"
   " WHERE id = $1::bigint RETURNING leen_privacy_ts(anonymized_at)"},
  {"privacy_children", "UPDATE children SET first_name = NULL WHERE household_id = $1::bigint"},
  {"privacy_references",
   "UPDATE reductions SET reference = NULL WHERE household_id = $1::bigint"},
  {"privacy_org_name", "SELECT name FROM orgs WHERE id = $1::bigint"},
};
enum {
  S_EXPORT,
  S_EXPORT_REDUCTIONS,
  S_OPEN_LOANS,
  S_OFFERED,
  S_CANCEL_WAITING,
  S_ANONYMIZE,
  S_CHILDREN,
  S_REFERENCES,
  S_ORG_NAME
};

static int admin_only(const struct leen_actor *a, struct leen_err *err)
{
  if (a->role != LEEN_ROLE_ADMIN && a->user_id != 0)
    return leen_error(err, LEEN_E_FORBIDDEN, "only an admin answers privacy requests");
  return 0;
}

/* Runs a statement with the household row id as its one parameter. */
static PGresult *by_household(struct leen_db *db, int s, int64_t hid, struct leen_err *err)
{
  char id[24];
  const char *p[] = {hh_i64(id, hid)};
  return db_exec(db, &stmts[s], 1, p, err);
}

/* ---- export ---- */

struct export_ctx {
  const struct leen_actor *a;
  int64_t number;
  char *json;
};

static int export_tx(struct leen_db *db, void *p, struct leen_err *err)
{
  struct export_ctx *c = p;
  free(c->json);
  c->json = NULL;
  int64_t hid;
  if (hh_household_id(db, c->a, c->number, 0, &hid, NULL, err) < 0)
    return -1;
  PGresult *r = by_household(db, S_EXPORT, hid, err);
  if (!r)
    return -1;
  c->json = strdup(db_text(r, 0, 0) ? db_text(r, 0, 0) : "{}");
  PQclear(r);
  if (!c->json)
    return leen_error(err, LEEN_E_INTERNAL, "out of memory");

  /* the export shows the reductions' details: each is a read */
  r = by_household(db, S_EXPORT_REDUCTIONS, hid, err);
  if (!r)
    return -1;
  for (int i = 0; i < PQntuples(r); i++) {
    if (audit_log(db, c->a, "read", "reduction", db_text(r, i, 0), "{\"export\": true}", err) <
        0) {
      PQclear(r);
      return -1;
    }
  }
  PQclear(r);
  char nb[24];
  return audit_log(db, c->a, "export", "household", hh_i64(nb, c->number), NULL, err);
}

int leen_privacy_export(struct leen_db *db, const struct leen_actor *actor, int64_t number,
                        char **json, struct leen_err *err)
{
  *json = NULL;
  if (admin_only(actor, err) < 0)
    return -1;
  struct export_ctx c = {.a = actor, .number = number};
  if (db_tx(db, export_tx, &c, err) < 0) {
    free(c.json);
    return -1;
  }
  *json = c.json;
  return 0;
}

/* ---- anonymise ---- */

struct anon_ctx {
  const struct leen_actor *a;
  int64_t number;
  char at[40];
  struct leen_household out;
};

/* The first cell of a count(*) statement. */
static int count_of(struct leen_db *db, int s, int64_t hid, int64_t *n, struct leen_err *err)
{
  PGresult *r = by_household(db, s, hid, err);
  if (!r)
    return -1;
  *n = db_int64(r, 0, 0);
  PQclear(r);
  return 0;
}

static int exec_by_household(struct leen_db *db, int s, int64_t hid, int64_t *rows,
                             struct leen_err *err)
{
  PGresult *r = by_household(db, s, hid, err);
  if (!r)
    return -1;
  if (rows)
    *rows = strtoll(PQcmdTuples(r), NULL, 10);
  PQclear(r);
  return 0;
}

static int anon_tx(struct leen_db *db, void *p, struct leen_err *err)
{
  struct anon_ctx *c = p;
  leen_household_release(&c->out);
  int64_t hid, n;
  int anonymized = 0;
  long long number = (long long)c->number;
  /* the lock keeps a check-out from slipping in between the check and the update */
  if (hh_household_id(db, c->a, c->number, 1, &hid, &anonymized, err) < 0)
    return -1;
  if (anonymized)
    return leen_error_field(err, LEEN_E_CONFLICT, "/household",
                            "household %lld is already anonymized", number);
  if (count_of(db, S_OPEN_LOANS, hid, &n, err) < 0)
    return -1;
  if (n > 0)
    return leen_error_field(err, LEEN_E_CONFLICT, "/household",
                            "household %lld still has %lld open loans", number, (long long)n);
  if (count_of(db, S_OFFERED, hid, &n, err) < 0)
    return -1;
  if (n > 0)
    return leen_error_field(err, LEEN_E_CONFLICT, "/household",
                            "an item is held for household %lld", number);

  int64_t cancelled = 0, children = 0, references = 0;
  if (exec_by_household(db, S_CANCEL_WAITING, hid, &cancelled, err) < 0)
    return -1;
  PGresult *r = by_household(db, S_ANONYMIZE, hid, err);
  if (!r)
    return -1;
  hh_copy(c->at, sizeof c->at, db_text(r, 0, 0));
  PQclear(r);
  if (exec_by_household(db, S_CHILDREN, hid, &children, err) < 0 ||
      exec_by_household(db, S_REFERENCES, hid, &references, err) < 0)
    return -1;

  char nb[24], details[160];
  snprintf(details, sizeof details,
           "{\"children\": %lld, \"reductions\": %lld, \"reservations_cancelled\": %lld}",
           (long long)children, (long long)references, (long long)cancelled);
  if (audit_log(db, c->a, "anonymize", "household", hh_i64(nb, c->number), details, err) < 0)
    return -1;
  return hh_load(db, c->a, c->number, &c->out, err);
}

int leen_privacy_anonymize(struct leen_db *db, const struct leen_actor *actor, int64_t number,
                           struct leen_household *out, char anonymized_at[40],
                           struct leen_err *err)
{
  if (out)
    memset(out, 0, sizeof *out);
  if (anonymized_at)
    anonymized_at[0] = '\0';
  if (admin_only(actor, err) < 0)
    return -1;
  if (actor->user_id == 0)
    return leen_error(err, LEEN_E_FORBIDDEN, "a privacy request is answered by a person");
  struct anon_ctx c = {.a = actor, .number = number};
  if (db_tx(db, anon_tx, &c, err) < 0) {
    leen_household_release(&c.out);
    return -1;
  }
  if (anonymized_at)
    hh_copy(anonymized_at, 40, c.at);
  if (out)
    *out = c.out;
  else
    leen_household_release(&c.out);
  return 0;
}

/* ---- controller ---- */

int leen_privacy_controller(struct leen_db *db, const struct leen_actor *actor, char *name,
                            size_t size, struct leen_err *err)
{
  if (size > 0)
    name[0] = '\0';
  char org[24];
  const char *p[] = {hh_i64(org, actor->org_id)};
  PGresult *r = db_exec(db, &stmts[S_ORG_NAME], 1, p, err);
  if (!r)
    return -1;
  if (PQntuples(r) == 0) {
    PQclear(r);
    return leen_error(err, LEEN_E_NOT_FOUND, "no org %lld", (long long)actor->org_id);
  }
  hh_copy(name, size, db_text(r, 0, 0));
  PQclear(r);
  return 0;
}
