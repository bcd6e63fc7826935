#include "leen/reduction.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "household_internal.h"
#include "journal.h"

#define TS "'YYYY-MM-DD\"T\"HH24:MI:SSTZH:TZM'"
#define COLS                                                                              \
  "r.id, coalesce(h.number, 0), coalesce(r.voucher_code, ''), r.level,"                   \
  " to_char(r.valid_from, 'YYYY-MM-DD'), to_char(r.valid_until, 'YYYY-MM-DD'),"           \
  " coalesce(r.reference, ''), r.issued_by, to_char(r.issued_at, " TS "),"                \
  " coalesce(to_char(r.redeemed_at, " TS "), ''), coalesce(to_char(r.revoked_at, " TS     \
  "), ''), coalesce(r.revoked_by, 0)"                                                     \
  " FROM reductions r LEFT JOIN households h ON h.id = r.household_id"

static const struct leen_stmt stmts[] = {
  {"reduction_insert",
   "INSERT INTO reductions (org_id, household_id, voucher_code, level, valid_from,"
   " valid_until, reference, issued_by)"
   " VALUES ($1::bigint, nullif($2::bigint, 0), $3, $4, coalesce($5::date, current_date),"
   " $6::date, $7, $8::bigint)"
   " ON CONFLICT (voucher_code) DO NOTHING RETURNING id"},
  {"reduction_get", "SELECT " COLS " WHERE r.id = $1::bigint AND r.org_id = $2::bigint"},
  {"reduction_list",
   "SELECT " COLS " WHERE r.org_id = $1::bigint"
   " AND ($2::bigint = 0 OR r.household_id = $2::bigint)"
   " AND (NOT $3::boolean OR (r.revoked_at IS NULL"
   "      AND current_date BETWEEN r.valid_from AND r.valid_until))"
   " AND r.id > $4::bigint ORDER BY r.id LIMIT $5::integer"},
  {"reduction_revoke",
   "UPDATE reductions SET revoked_at = now(), revoked_by = $2::bigint"
   " WHERE id = $1::bigint AND org_id = $3::bigint AND revoked_at IS NULL RETURNING id"},
  {"reduction_exists",
   "SELECT revoked_at IS NOT NULL FROM reductions WHERE id = $1::bigint AND org_id = $2::bigint"},
  {"reduction_voucher_lock",
   "SELECT id, redeemed_at IS NOT NULL, revoked_at IS NOT NULL, valid_until < current_date,"
   " to_char(valid_until, 'YYYY-MM-DD')"
   " FROM reductions WHERE voucher_code = $1 AND org_id = $2::bigint FOR UPDATE"},
  {"reduction_redeem",
   "UPDATE reductions SET household_id = $2::bigint, redeemed_at = now() WHERE id = $1::bigint"},
  {"reduction_valid_order", "SELECT coalesce($1::date, current_date) <= $2::date"},
};
enum { S_INSERT, S_GET, S_LIST, S_REVOKE, S_EXISTS, S_VOUCHER, S_REDEEM, S_ORDER };

static int may_manage(const struct leen_actor *a, struct leen_err *err)
{
  if (!leen_actor_has_role(a, LEEN_ROLE_SOCIAL_WORKER))
    return leen_error(err, LEEN_E_FORBIDDEN, "only the social service manages reductions");
  return 0;
}

static void row_to_reduction(const PGresult *r, int i, struct leen_reduction *out)
{
  memset(out, 0, sizeof *out);
  out->id = db_int64(r, i, 0);
  out->household = db_int64(r, i, 1);
  hh_copy(out->voucher_code, sizeof out->voucher_code, db_text(r, i, 2));
  hh_copy(out->level, sizeof out->level, db_text(r, i, 3));
  hh_copy(out->valid_from, sizeof out->valid_from, db_text(r, i, 4));
  hh_copy(out->valid_until, sizeof out->valid_until, db_text(r, i, 5));
  hh_copy(out->reference, sizeof out->reference, db_text(r, i, 6));
  out->issued_by = db_int64(r, i, 7);
  hh_copy(out->issued_at, sizeof out->issued_at, db_text(r, i, 8));
  hh_copy(out->redeemed_at, sizeof out->redeemed_at, db_text(r, i, 9));
  hh_copy(out->revoked_at, sizeof out->revoked_at, db_text(r, i, 10));
  out->revoked_by = db_int64(r, i, 11);
}

/* Reads one reduction of the actor's org; NOT_FOUND when there is none. */
static int fetch(struct leen_db *db, const struct leen_actor *a, int64_t id,
                 struct leen_reduction *out, struct leen_err *err)
{
  char rid[24], org[24];
  const char *p[] = {hh_i64(rid, id), hh_i64(org, a->org_id)};
  PGresult *r = db_exec(db, &stmts[S_GET], 2, p, err);
  if (!r)
    return -1;
  if (PQntuples(r) == 0) {
    PQclear(r);
    return leen_error(err, LEEN_E_NOT_FOUND, "no reduction %lld", (long long)id);
  }
  row_to_reduction(r, 0, out);
  PQclear(r);
  return 0;
}

/* ---- issue ---- */

struct issue_ctx {
  const struct leen_actor *a;
  const struct leen_reduction_new *in;
  const char *reference;
  struct leen_reduction out;
};

static void voucher_code(char code[LEEN_VOUCHER_CODE_LEN + 1])
{
  static const char alphabet[] = LEEN_VOUCHER_ALPHABET;
  for (int i = 0; i < LEEN_VOUCHER_CODE_LEN; i++)
    code[i] = alphabet[randombytes_uniform(sizeof alphabet - 1)];
  code[LEEN_VOUCHER_CODE_LEN] = '\0';
}

static int issue_tx(struct leen_db *db, void *p, struct leen_err *err)
{
  struct issue_ctx *c = p;
  const struct leen_reduction_new *in = c->in;
  int64_t hid = 0;
  if (!in->voucher) {
    int anonymized = 0;
    if (hh_household_id(db, c->a, in->household, 1, &hid, &anonymized, err) < 0)
      return -1;
    if (anonymized)
      return leen_error_field(err, LEEN_E_CONFLICT, "/household", "household %lld is anonymized",
                              (long long)in->household);
  }
  const char *order[] = {in->valid_from, in->valid_until};
  PGresult *r = db_exec(db, &stmts[S_ORDER], 2, order, err);
  if (!r)
    return -1;
  int ordered = db_bool(r, 0, 0);
  PQclear(r);
  if (!ordered)
    return leen_error_field(err, LEEN_E_INVALID_DATE, "/valid_until",
                            "valid_until \"%s\" is before valid_from", in->valid_until);

  char org[24], hh[24], uid[24], code[LEEN_VOUCHER_CODE_LEN + 1];
  int64_t id = 0;
  /* a code collision is astronomically rare; draw again when it happens */
  for (int attempt = 0; attempt < 8 && id == 0; attempt++) {
    if (in->voucher)
      voucher_code(code);
    const char *ip[] = {hh_i64(org, c->a->org_id), hh_i64(hh, hid), in->voucher ? code : NULL,
                        in->level, in->valid_from, in->valid_until, c->reference,
                        hh_i64(uid, c->a->user_id)};
    r = db_exec(db, &stmts[S_INSERT], 8, ip, err);
    if (!r)
      return -1;
    if (PQntuples(r) == 1)
      id = db_int64(r, 0, 0);
    PQclear(r);
  }
  if (id == 0)
    return leen_error(err, LEEN_E_BUSY, "could not draw a free voucher code");

  char rid[24], details[96];
  if (in->voucher)
    snprintf(details, sizeof details, "{\"voucher\": true}");
  else
    snprintf(details, sizeof details, "{\"household\": %lld}", (long long)in->household);
  if (audit_log(db, c->a, "issue", "reduction", hh_i64(rid, id), details, err) < 0)
    return -1;
  return fetch(db, c->a, id, &c->out, err);
}

int leen_reduction_issue(struct leen_db *db, const struct leen_actor *actor,
                         const struct leen_reduction_new *r, struct leen_reduction *out,
                         struct leen_err *err)
{
  if (may_manage(actor, err) < 0)
    return -1;
  if (actor->user_id == 0)
    return leen_error(err, LEEN_E_FORBIDDEN, "a reduction is issued by a person");
  if (r->voucher && r->household != 0)
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/voucher",
                            "give a household or ask for a voucher, not both");
  if (!r->voucher && r->household <= 0)
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/household",
                            "a household or a voucher is required");
  if (!r->level || (strcmp(r->level, "social") != 0 && strcmp(r->level, "full") != 0))
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/level",
                            "level is \"social\" or \"full\"");
  if (r->valid_from && !hh_date_ok(r->valid_from))
    return leen_error_field(err, LEEN_E_INVALID_DATE, "/valid_from",
                            "valid_from is a date YYYY-MM-DD");
  if (!r->valid_until)
    return leen_error_field(err, LEEN_E_INVALID_DATE, "/valid_until", "valid_until is required");
  if (!hh_date_ok(r->valid_until))
    return leen_error_field(err, LEEN_E_INVALID_DATE, "/valid_until",
                            "valid_until is a date YYYY-MM-DD");
  const char *reference = r->reference && *r->reference ? r->reference : NULL;
  if (reference && !hh_text_ok(reference, 1, 60))
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/reference",
                            "a reference has at most 60 characters");
  if (sodium_init() < 0)
    return leen_error(err, LEEN_E_INTERNAL, "could not initialise libsodium");
  struct issue_ctx c = {.a = actor, .in = r, .reference = reference};
  if (db_tx(db, issue_tx, &c, err) < 0)
    return -1;
  if (out)
    *out = c.out;
  return 0;
}

/* ---- revoke ---- */

struct one_ctx {
  const struct leen_actor *a;
  int64_t id;
  struct leen_reduction out;
};

static int revoke_tx(struct leen_db *db, void *p, struct leen_err *err)
{
  struct one_ctx *c = p;
  char rid[24], uid[24], org[24];
  const char *rp[] = {hh_i64(rid, c->id), hh_i64(uid, c->a->user_id), hh_i64(org, c->a->org_id)};
  PGresult *r = db_exec(db, &stmts[S_REVOKE], 3, rp, err);
  if (!r)
    return -1;
  int revoked = PQntuples(r) == 1;
  PQclear(r);
  if (!revoked) {
    const char *ep[] = {rid, org};
    r = db_exec(db, &stmts[S_EXISTS], 2, ep, err);
    if (!r)
      return -1;
    int exists = PQntuples(r) == 1;
    PQclear(r);
    if (exists)
      return leen_error(err, LEEN_E_CONFLICT, "reduction %lld is already revoked",
                        (long long)c->id);
    return leen_error(err, LEEN_E_NOT_FOUND, "no reduction %lld", (long long)c->id);
  }
  if (audit_log(db, c->a, "revoke", "reduction", rid, NULL, err) < 0)
    return -1;
  return fetch(db, c->a, c->id, &c->out, err);
}

int leen_reduction_revoke(struct leen_db *db, const struct leen_actor *actor, int64_t id,
                          struct leen_reduction *out, struct leen_err *err)
{
  if (may_manage(actor, err) < 0)
    return -1;
  if (actor->user_id == 0)
    return leen_error(err, LEEN_E_FORBIDDEN, "a reduction is revoked by a person");
  struct one_ctx c = {.a = actor, .id = id};
  if (db_tx(db, revoke_tx, &c, err) < 0)
    return -1;
  if (out)
    *out = c.out;
  return 0;
}

/* ---- read ---- */

static int get_tx(struct leen_db *db, void *p, struct leen_err *err)
{
  struct one_ctx *c = p;
  if (fetch(db, c->a, c->id, &c->out, err) < 0)
    return -1;
  char rid[24];
  return audit_log(db, c->a, "read", "reduction", hh_i64(rid, c->id), NULL, err);
}

int leen_reduction_get(struct leen_db *db, const struct leen_actor *actor, int64_t id,
                       struct leen_reduction *out, struct leen_err *err)
{
  memset(out, 0, sizeof *out);
  if (may_manage(actor, err) < 0)
    return -1;
  struct one_ctx c = {.a = actor, .id = id};
  if (db_tx(db, get_tx, &c, err) < 0)
    return -1;
  *out = c.out;
  return 0;
}

struct list_ctx {
  const struct leen_actor *a;
  const struct leen_reduction_query *q;
  size_t limit;
  struct leen_reduction_list out;
};

static int list_tx(struct leen_db *db, void *p, struct leen_err *err)
{
  struct list_ctx *c = p;
  leen_reduction_list_release(&c->out);
  int64_t hid = 0;
  if (c->q->household && hh_household_id(db, c->a, c->q->household, 0, &hid, NULL, err) < 0)
    return -1;
  char org[24], hh[24], after[24], lim[24];
  const char *lp[] = {hh_i64(org, c->a->org_id), hh_i64(hh, hid),
                      c->q->active_only ? "true" : "false", hh_i64(after, c->q->after),
                      hh_i64(lim, (int64_t)c->limit + 1)};
  PGresult *r = db_exec(db, &stmts[S_LIST], 5, lp, err);
  if (!r)
    return -1;
  size_t rows = (size_t)PQntuples(r);
  size_t n = rows > c->limit ? c->limit : rows;
  if (n > 0) {
    c->out.items = calloc(n, sizeof *c->out.items);
    if (!c->out.items) {
      PQclear(r);
      return leen_error(err, LEEN_E_INTERNAL, "out of memory");
    }
  }
  for (size_t i = 0; i < n; i++)
    row_to_reduction(r, (int)i, &c->out.items[i]);
  c->out.n = n;
  c->out.next_after = rows > c->limit ? c->out.items[n - 1].id : 0;
  PQclear(r);
  for (size_t i = 0; i < n; i++) {
    char rid[24];
    if (audit_log(db, c->a, "read", "reduction", hh_i64(rid, c->out.items[i].id), NULL, err) < 0)
      return -1;
  }
  return 0;
}

int leen_reduction_list(struct leen_db *db, const struct leen_actor *actor,
                        const struct leen_reduction_query *q, struct leen_reduction_list *out,
                        struct leen_err *err)
{
  memset(out, 0, sizeof *out);
  if (may_manage(actor, err) < 0)
    return -1;
  struct list_ctx c = {.a = actor, .q = q};
  c.limit = q->limit == 0 ? 50 : q->limit > 200 ? 200 : q->limit;
  if (db_tx(db, list_tx, &c, err) < 0) {
    leen_reduction_list_release(&c.out);
    return -1;
  }
  *out = c.out;
  return 0;
}

void leen_reduction_list_release(struct leen_reduction_list *l)
{
  if (!l)
    return;
  free(l->items);
  memset(l, 0, sizeof *l);
}

/* ---- redeem ---- */

struct redeem_ctx {
  const struct leen_actor *a;
  int64_t number;
  char code[17];
  struct leen_reduction_status out;
};

static int redeem_tx(struct leen_db *db, void *p, struct leen_err *err)
{
  struct redeem_ctx *c = p;
  int64_t hid;
  int anonymized = 0;
  if (hh_household_id(db, c->a, c->number, 0, &hid, &anonymized, err) < 0)
    return -1;
  if (anonymized)
    return leen_error_field(err, LEEN_E_CONFLICT, "/household", "household %lld is anonymized",
                            (long long)c->number);
  char org[24];
  const char *vp[] = {c->code, hh_i64(org, c->a->org_id)};
  PGresult *r = db_exec(db, &stmts[S_VOUCHER], 2, vp, err);
  if (!r)
    return -1;
  if (PQntuples(r) == 0) {
    PQclear(r);
    return leen_error_field(err, LEEN_E_NOT_FOUND, "/code", "no voucher \"%s\"", c->code);
  }
  int64_t id = db_int64(r, 0, 0);
  int redeemed = db_bool(r, 0, 1), revoked = db_bool(r, 0, 2), expired = db_bool(r, 0, 3);
  char until[11];
  hh_copy(until, sizeof until, db_text(r, 0, 4));
  PQclear(r);
  if (redeemed)
    return leen_error_field(err, LEEN_E_CONFLICT, "/code",
                            "voucher \"%s\" was already redeemed", c->code);
  if (revoked)
    return leen_error_field(err, LEEN_E_CONFLICT, "/code", "voucher \"%s\" was revoked",
                            c->code);
  if (expired)
    return leen_error_field(err, LEEN_E_CONFLICT, "/code", "voucher \"%s\" expired on %s",
                            c->code, until);
  char rid[24], hh[24];
  const char *rp[] = {hh_i64(rid, id), hh_i64(hh, hid)};
  r = db_exec(db, &stmts[S_REDEEM], 2, rp, err);
  if (!r)
    return -1;
  PQclear(r);
  char details[64];
  snprintf(details, sizeof details, "{\"household\": %lld}", (long long)c->number);
  if (audit_log(db, c->a, "redeem", "reduction", rid, details, err) < 0)
    return -1;
  return hh_reduction_status(db, hid, NULL, &c->out, err);
}

/* Uppercases the code and drops spaces and hyphens; 0 when what is left
 * is not 8..16 letters and digits. */
static int normalize_code(const char *in, char out[17])
{
  size_t n = 0;
  for (const char *s = in; *s; s++) {
    char ch = *s;
    if (ch == ' ' || ch == '-')
      continue;
    if (ch >= 'a' && ch <= 'z')
      ch = (char)(ch - 'a' + 'A');
    if (!((ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')) || n == 16)
      return 0;
    out[n++] = ch;
  }
  out[n] = '\0';
  return n >= 8;
}

int leen_reduction_redeem(struct leen_db *db, const struct leen_actor *actor, int64_t number,
                          const char *code, struct leen_reduction_status *out,
                          struct leen_err *err)
{
  if (!leen_actor_has_role(actor, LEEN_ROLE_VOLUNTEER))
    return leen_error(err, LEEN_E_FORBIDDEN, "vouchers are redeemed at the counter");
  struct redeem_ctx c = {.a = actor, .number = number};
  if (!code || !normalize_code(code, c.code))
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/code",
                            "a voucher code has %d letters and digits", LEEN_VOUCHER_CODE_LEN);
  if (db_tx(db, redeem_tx, &c, err) < 0)
    return -1;
  if (out)
    *out = c.out;
  return 0;
}
