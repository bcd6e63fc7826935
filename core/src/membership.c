#include "leen/membership.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "household_internal.h"
#include "journal.h"

#define M_COLS                                                                            \
  "m.id, h.number, l.slug, to_char(m.valid_from, 'YYYY-MM-DD'),"                          \
  " to_char(m.valid_until, 'YYYY-MM-DD'), m.slots, m.fee_cents, m.reduction_cents,"       \
  " to_char(r.valid_until, 'YYYY-MM-DD')"
#define M_JOINS                                                                           \
  " JOIN households h ON h.id = m.household_id JOIN libraries l ON l.id = m.library_id"   \
  " LEFT JOIN reductions r ON r.id = m.reduction_id"

static const struct leen_stmt stmts[] = {
  {"membership_library",
   "SELECT id, fee_cents, social_fee_cents, fee_per = 'slot', membership_months, max_slots"
   " FROM libraries WHERE slug = $1 AND org_id = $2::bigint"},
  /* the period (default: today, or the day after the last membership in
   * the library ends), whether it starts in the past, the end of a
   * membership it would overlap, and the reduction active on its start */
  {"membership_period",
   "WITH p AS (SELECT coalesce($3::date, greatest(current_date,"
   "   (SELECT max(valid_until) + 1 FROM memberships"
   "    WHERE household_id = $1::bigint AND library_id = $2::bigint))) AS vf),"
   " q AS (SELECT vf, (vf + make_interval(months => $4::integer))::date - 1 AS vu FROM p)"
   " SELECT to_char(q.vf, 'YYYY-MM-DD'), to_char(q.vu, 'YYYY-MM-DD'), q.vf < current_date,"
   "  (SELECT to_char(max(m.valid_until), 'YYYY-MM-DD') FROM memberships m"
   "   WHERE m.household_id = $1::bigint AND m.library_id = $2::bigint"
   "     AND m.valid_from <= q.vu AND m.valid_until >= q.vf),"
   "  r.id, r.level, to_char(r.valid_until, 'YYYY-MM-DD')"
   " FROM q LEFT JOIN LATERAL leen_active_reduction($1::bigint, q.vf) r ON true"},
  {"membership_insert",
   "INSERT INTO memberships (household_id, library_id, valid_from, valid_until, slots,"
   " fee_cents, reduction_cents, reduction_id, created_by)"
   " VALUES ($1::bigint, $2::bigint, $3::date, $4::date, $5::integer, $6::bigint, $7::bigint,"
   " nullif($8::bigint, 0), nullif($9::bigint, 0)) RETURNING id"},
  {"membership_list",
   "SELECT " M_COLS " FROM memberships m" M_JOINS
   " WHERE m.household_id = $1::bigint ORDER BY m.valid_from DESC, m.id DESC"},
  {"membership_active",
   "SELECT " M_COLS
   " FROM leen_active_membership($1::bigint, $2::bigint, coalesce($3::date, current_date)) m"
   M_JOINS},
};
enum { S_LIBRARY, S_PERIOD, S_INSERT, S_LIST, S_ACTIVE };

static const char *const methods[] = {"cash", "payconiq", "transfer", "waived"};

static void row_to_membership(const PGresult *r, int i, struct leen_membership *m)
{
  memset(m, 0, sizeof *m);
  m->id = db_int64(r, i, 0);
  m->household = db_int64(r, i, 1);
  hh_copy(m->library, sizeof m->library, db_text(r, i, 2));
  hh_copy(m->valid_from, sizeof m->valid_from, db_text(r, i, 3));
  hh_copy(m->valid_until, sizeof m->valid_until, db_text(r, i, 4));
  m->slots = (int)db_int64(r, i, 5);
  m->fee_cents = db_int64(r, i, 6);
  m->reduction_cents = db_int64(r, i, 7);
  m->due_cents = m->fee_cents - m->reduction_cents;
  const char *until = db_text(r, i, 8);
  m->reduction.active = until != NULL;
  hh_copy(m->reduction.valid_until, sizeof m->reduction.valid_until, until);
}

struct library {
  int64_t id, fee_cents, social_fee_cents;
  int per_slot, months, max_slots;
};

static int library_by_slug(struct leen_db *db, const struct leen_actor *a, const char *slug,
                           struct library *lib, struct leen_err *err)
{
  char org[24];
  const char *p[] = {slug, hh_i64(org, a->org_id)};
  PGresult *r = db_exec(db, &stmts[S_LIBRARY], 2, p, err);
  if (!r)
    return -1;
  if (PQntuples(r) == 0) {
    PQclear(r);
    return leen_error_field(err, LEEN_E_NOT_FOUND, "/library", "no library \"%s\"", slug);
  }
  lib->id = db_int64(r, 0, 0);
  lib->fee_cents = db_int64(r, 0, 1);
  lib->social_fee_cents = db_int64(r, 0, 2);
  lib->per_slot = db_bool(r, 0, 3);
  lib->months = (int)db_int64(r, 0, 4);
  lib->max_slots = (int)db_int64(r, 0, 5);
  PQclear(r);
  return 0;
}

static int slug_ok(const char *s)
{
  return s && *s && strlen(s) <= 63 && hh_text_ok(s, 1, 63);
}

/* ---- start ---- */

struct start_ctx {
  const struct leen_actor *a;
  int64_t number;
  const struct leen_membership_new *in;
  struct leen_membership out;
};

/* Posts one journal of two lines; nothing for a zero amount. */
static int post(struct leen_db *db, const struct leen_actor *a, struct ledger_line *l,
                const char *kind, const char *debit, const char *credit, int64_t amount,
                struct leen_err *err)
{
  if (amount == 0)
    return 0;
  l->kind = kind;
  l->journal_id = ledger_journal(db, err);
  if (l->journal_id < 0)
    return -1;
  return ledger_post(db, a, l, debit, credit, amount, err);
}

static int start_tx(struct leen_db *db, void *p, struct leen_err *err)
{
  struct start_ctx *c = p;
  const struct leen_membership_new *in = c->in;
  int64_t hid;
  int anonymized = 0;
  if (hh_household_id(db, c->a, c->number, 1, &hid, &anonymized, err) < 0)
    return -1;
  if (anonymized)
    return leen_error_field(err, LEEN_E_CONFLICT, "/household", "household %lld is anonymized",
                            (long long)c->number);
  struct library lib;
  if (library_by_slug(db, c->a, in->library, &lib, err) < 0)
    return -1;
  if (!leen_actor_in_library(c->a, lib.id))
    return leen_error_field(err, LEEN_E_FORBIDDEN, "/library",
                            "you do not work in library \"%s\"", in->library);
  if (in->slots > lib.max_slots)
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/slots",
                            "slots is between 1 and %d in library \"%s\"", lib.max_slots,
                            in->library);

  char hh[24], lid[24], months[24];
  const char *pp[] = {hh_i64(hh, hid), hh_i64(lid, lib.id), in->valid_from,
                      hh_i64(months, lib.months)};
  PGresult *r = db_exec(db, &stmts[S_PERIOD], 4, pp, err);
  if (!r)
    return -1;
  char from[11], until[11], overlap[11], level[8], red_until[11];
  hh_copy(from, sizeof from, db_text(r, 0, 0));
  hh_copy(until, sizeof until, db_text(r, 0, 1));
  int past = db_bool(r, 0, 2);
  hh_copy(overlap, sizeof overlap, db_text(r, 0, 3));
  int64_t reduction_id = db_int64(r, 0, 4);
  hh_copy(level, sizeof level, db_text(r, 0, 5));
  hh_copy(red_until, sizeof red_until, db_text(r, 0, 6));
  PQclear(r);
  if (past && !leen_actor_has_role(c->a, LEEN_ROLE_COORDINATOR))
    return leen_error_field(err, LEEN_E_FORBIDDEN, "/valid_from",
                            "only a coordinator can start a membership in the past");
  if (*overlap)
    return leen_error_field(err, LEEN_E_CONFLICT, "/valid_from",
                            "household %lld already has a membership in \"%s\" until %s",
                            (long long)c->number, in->library, overlap);

  int64_t fee = lib.per_slot ? lib.fee_cents * in->slots : lib.fee_cents;
  int64_t due = fee;
  if (reduction_id && strcmp(level, "full") == 0) {
    due = 0;
  } else if (reduction_id) {
    int64_t social = lib.per_slot ? lib.social_fee_cents * in->slots : lib.social_fee_cents;
    due = social < fee ? social : fee;
  }
  int64_t reduction = fee - due;
  if (due > 0 && !in->payment)
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/payment",
                            "a payment method is required: %lld cents are due", (long long)due);

  char slots[24], fee_s[24], red_s[24], rid[24], uid[24];
  const char *ip[] = {hh, lid, from, until, hh_i64(slots, in->slots), hh_i64(fee_s, fee),
                      hh_i64(red_s, reduction), hh_i64(rid, reduction_id),
                      hh_i64(uid, c->a->user_id)};
  r = db_exec(db, &stmts[S_INSERT], 9, ip, err);
  if (!r)
    return -1;
  int64_t id = db_int64(r, 0, 0);
  PQclear(r);

  struct ledger_line l = {.household_id = hid, .library_id = lib.id, .membership_id = id};
  if (post(db, c->a, &l, "membership_fee", "household", "fee_income", fee, err) < 0 ||
      post(db, c->a, &l, "fee_reduction", "fee_reduction", "household", reduction, err) < 0 ||
      post(db, c->a, &l, "payment", in->payment, "household", due, err) < 0)
    return -1;

  char mid[24], details[400];
  snprintf(details, sizeof details,
           "{\"household\": %lld, \"library\": \"%s\", \"slots\": %d, \"valid_from\": \"%s\","
           " \"fee_cents\": %lld, \"reduction_cents\": %lld, \"due_cents\": %lld,"
           " \"payment\": \"%s\"}",
           (long long)c->number, in->library, in->slots, from, (long long)fee,
           (long long)reduction, (long long)due, due > 0 ? in->payment : "none");
  if (audit_log(db, c->a, "create", "membership", hh_i64(mid, id), details, err) < 0)
    return -1;

  struct leen_membership *m = &c->out;
  memset(m, 0, sizeof *m);
  m->id = id;
  m->household = c->number;
  hh_copy(m->library, sizeof m->library, in->library);
  hh_copy(m->valid_from, sizeof m->valid_from, from);
  hh_copy(m->valid_until, sizeof m->valid_until, until);
  m->slots = in->slots;
  m->fee_cents = fee;
  m->reduction_cents = reduction;
  m->due_cents = due;
  m->reduction.active = reduction_id != 0;
  hh_copy(m->reduction.valid_until, sizeof m->reduction.valid_until, red_until);
  return 0;
}

int leen_membership_start(struct leen_db *db, const struct leen_actor *actor, int64_t number,
                          const struct leen_membership_new *m, struct leen_membership *out,
                          struct leen_err *err)
{
  if (!leen_actor_has_role(actor, LEEN_ROLE_VOLUNTEER))
    return leen_error(err, LEEN_E_FORBIDDEN, "memberships are started at the counter");
  if (!slug_ok(m->library))
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/library", "a library slug is required");
  if (m->slots < 1)
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/slots", "slots is at least 1");
  if (m->valid_from && !hh_date_ok(m->valid_from))
    return leen_error_field(err, LEEN_E_INVALID_DATE, "/valid_from",
                            "valid_from is a date YYYY-MM-DD");
  if (m->payment) {
    int known = 0;
    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++)
      known |= strcmp(m->payment, methods[i]) == 0;
    if (!known)
      return leen_error_field(err, LEEN_E_INVALID_FIELD, "/payment",
                              "payment is cash, payconiq, transfer or waived");
  }
  struct start_ctx c = {.a = actor, .number = number, .in = m};
  if (db_tx(db, start_tx, &c, err) < 0)
    return -1;
  if (out)
    *out = c.out;
  return 0;
}

/* ---- read ---- */

static int may_read(const struct leen_actor *a, struct leen_err *err)
{
  if (!leen_actor_has_role(a, LEEN_ROLE_VOLUNTEER))
    return leen_error(err, LEEN_E_FORBIDDEN, "memberships are read at the counter");
  return 0;
}

int leen_membership_list(struct leen_db *db, const struct leen_actor *actor, int64_t number,
                         struct leen_membership_list *out, struct leen_err *err)
{
  memset(out, 0, sizeof *out);
  if (may_read(actor, err) < 0)
    return -1;
  int64_t hid;
  if (hh_household_id(db, actor, number, 0, &hid, NULL, err) < 0)
    return -1;
  char hh[24];
  const char *p[] = {hh_i64(hh, hid)};
  PGresult *r = db_exec(db, &stmts[S_LIST], 1, p, err);
  if (!r)
    return -1;
  size_t n = (size_t)PQntuples(r);
  if (n > 0) {
    out->items = calloc(n, sizeof *out->items);
    if (!out->items) {
      PQclear(r);
      return leen_error(err, LEEN_E_INTERNAL, "out of memory");
    }
  }
  for (size_t i = 0; i < n; i++)
    row_to_membership(r, (int)i, &out->items[i]);
  out->n = n;
  PQclear(r);
  return 0;
}

void leen_membership_list_release(struct leen_membership_list *l)
{
  if (!l)
    return;
  free(l->items);
  memset(l, 0, sizeof *l);
}

int leen_membership_active(struct leen_db *db, const struct leen_actor *actor, int64_t number,
                           const char *library, const char *day, struct leen_membership *out,
                           struct leen_err *err)
{
  memset(out, 0, sizeof *out);
  if (may_read(actor, err) < 0)
    return -1;
  if (!slug_ok(library))
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/library", "a library slug is required");
  if (day && !hh_date_ok(day))
    return leen_error_field(err, LEEN_E_INVALID_DATE, "/day", "a day is YYYY-MM-DD");
  int64_t hid;
  struct library lib;
  if (hh_household_id(db, actor, number, 0, &hid, NULL, err) < 0 ||
      library_by_slug(db, actor, library, &lib, err) < 0)
    return -1;
  char hh[24], lid[24];
  const char *p[] = {hh_i64(hh, hid), hh_i64(lid, lib.id), day};
  PGresult *r = db_exec(db, &stmts[S_ACTIVE], 3, p, err);
  if (!r)
    return -1;
  int found = PQntuples(r) > 0;
  if (found)
    row_to_membership(r, 0, out);
  PQclear(r);
  return found;
}
