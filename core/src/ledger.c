/* Reading a household's ledger and recording its payments. Postings go
 * through journal.c inside one transaction with the audit row. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "journal.h"
#include "leen/ledger.h"
#include "loan_internal.h"

static const struct leen_stmt stmts[] = {
  {"ledger_household_find",
   "SELECT id FROM households"
   " WHERE number = $1::integer AND ($2::bigint = 0 OR org_id = $2::bigint)"},
  {"ledger_lines",
   "SELECT l.id, l.journal_id, l.kind, l.account, l.amount_cents, lib.slug, l.loan_id,"
   " l.membership_id, to_char(l.created_at, 'YYYY-MM-DD\"T\"HH24:MI:SSTZH:TZM'), l.reason"
   " FROM ledger l LEFT JOIN libraries lib ON lib.id = l.library_id"
   " WHERE l.household_id = $1::bigint AND ($2::boolean OR l.account = 'household')"
   "   AND ($3::bigint IS NULL OR l.id > $3::bigint)"
   " ORDER BY l.id LIMIT $4::integer"},
  {"ledger_household_balance",
   "SELECT coalesce(sum(amount_cents) FILTER (WHERE account = 'household'), 0),"
   " coalesce(-sum(amount_cents) FILTER (WHERE account = 'deposits_held'), 0)"
   " FROM ledger WHERE household_id = $1::bigint"},
  {"ledger_payment_library", "SELECT id FROM libraries WHERE slug = $1 AND org_id = $2::bigint"},
};
enum { S_HOUSEHOLD, S_LINES, S_BALANCE, S_LIBRARY };

/* The household's id by member number, within the actor's org. */
static int household_id(struct leen_db *db, const struct leen_actor *who, int32_t number,
                        int64_t *id, struct leen_err *err)
{
  char num[24], org[24];
  const char *p[] = {circ_i64(num, number), circ_i64(org, circ_reader_org(who))};
  PGresult *r = db_exec(db, &stmts[S_HOUSEHOLD], 2, p, err);
  if (!r)
    return -1;
  int found = PQntuples(r) == 1;
  *id = found ? db_int64(r, 0, 0) : 0;
  PQclear(r);
  if (!found)
    return leen_error_field(err, LEEN_E_NOT_FOUND, "/household", "no household %ld", (long)number);
  return 0;
}

static int balance(struct leen_db *db, int64_t hh, struct leen_balance *out, struct leen_err *err)
{
  char id[24];
  const char *p[] = {circ_i64(id, hh)};
  PGresult *r = db_exec(db, &stmts[S_BALANCE], 1, p, err);
  if (!r)
    return -1;
  out->balance_cents = db_int64(r, 0, 0);
  out->deposits_held_cents = db_int64(r, 0, 1);
  PQclear(r);
  return 0;
}

int leen_ledger_balance(struct leen_db *db, const struct leen_actor *who, int32_t household,
                        struct leen_balance *out, struct leen_err *err)
{
  memset(out, 0, sizeof *out);
  int64_t hh;
  if (circ_require(who, LEEN_ROLE_VOLUNTEER, err) < 0 ||
      household_id(db, who, household, &hh, err) < 0)
    return -1;
  return balance(db, hh, out, err);
}

int leen_ledger_list(struct leen_db *db, const struct leen_actor *who, int32_t household,
                     int all_accounts, int64_t cursor, int limit, struct leen_ledger_list *out,
                     struct leen_err *err)
{
  memset(out, 0, sizeof *out);
  if (limit == 0)
    limit = 100;
  if (limit < 1 || limit > 500)
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/limit", "limit is 1 to 500");
  int64_t hh;
  if (circ_require(who, LEEN_ROLE_VOLUNTEER, err) < 0 ||
      household_id(db, who, household, &hh, err) < 0)
    return -1;
  char id[24], cur[24], lim[24];
  const char *p[] = {circ_i64(id, hh), all_accounts ? "true" : "false",
                     cursor > 0 ? circ_i64(cur, cursor) : NULL, circ_i64(lim, limit + 1)};
  PGresult *r = db_exec(db, &stmts[S_LINES], 4, p, err);
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
  for (size_t i = 0; rc == 0 && i < n; i++) {
    struct leen_ledger_line *l = &out->items[i];
    int row = (int)i;
    l->id = db_int64(r, row, 0);
    l->journal_id = db_int64(r, row, 1);
    circ_copy(l->kind, sizeof l->kind, db_text(r, row, 2));
    circ_copy(l->account, sizeof l->account, db_text(r, row, 3));
    l->amount_cents = db_int64(r, row, 4);
    circ_copy(l->library, sizeof l->library, db_text(r, row, 5));
    l->loan_id = db_int64(r, row, 6);
    l->membership_id = db_int64(r, row, 7);
    circ_copy(l->created_at, sizeof l->created_at, db_text(r, row, 8));
    const char *reason = db_text(r, row, 9);
    out->n = i + 1;
    if (reason && !(l->reason = strdup(reason)))
      rc = leen_error(err, LEEN_E_INTERNAL, "out of memory");
  }
  if (rc == 0 && rows > n)
    out->next_cursor = out->items[n - 1].id;
  PQclear(r);
  if (rc < 0)
    leen_ledger_list_release(out);
  return rc;
}

void leen_ledger_list_release(struct leen_ledger_list *list)
{
  if (!list)
    return;
  for (size_t i = 0; i < list->n; i++)
    free(list->items[i].reason);
  free(list->items);
  list->items = NULL;
  list->n = 0;
  list->next_cursor = 0;
}

struct pay_ctx {
  const struct leen_actor *who;
  const struct leen_payment *in;
  const char *kind, *method;
  struct leen_payment_result *out;
};

static int pay_tx(struct leen_db *db, void *p, struct leen_err *err)
{
  struct pay_ctx *c = p;
  int64_t hh, lib = 0;
  if (household_id(db, c->who, c->in->household, &hh, err) < 0)
    return -1;
  if (c->in->library) {
    char org[24];
    const char *lp[] = {c->in->library, circ_i64(org, c->who->org_id)};
    PGresult *r = db_exec(db, &stmts[S_LIBRARY], 2, lp, err);
    if (!r)
      return -1;
    int found = PQntuples(r) == 1;
    lib = found ? db_int64(r, 0, 0) : 0;
    PQclear(r);
    if (!found)
      return leen_error_field(err, LEEN_E_NOT_FOUND, "/library", "no library \"%s\"",
                              c->in->library);
    if (!leen_actor_in_library(c->who, lib))
      return leen_error_field(err, LEEN_E_FORBIDDEN, "/library",
                              "you do not work in library \"%s\"", c->in->library);
  }
  int64_t journal = ledger_journal(db, err);
  if (journal < 0)
    return -1;
  int donation = strcmp(c->kind, "donation") == 0;
  struct ledger_line line = {.journal_id = journal, .kind = c->kind, .household_id = hh,
                             .library_id = lib};
  if (ledger_post(db, c->who, &line, c->method, donation ? "donations" : "household",
                  c->in->amount_cents, err) < 0)
    return -1;
  char id[24], details[200];
  snprintf(details, sizeof details,
           "{\"kind\": \"%s\", \"method\": \"%s\", \"amount_cents\": %lld, \"journal_id\": %lld}",
           c->kind, c->method, (long long)c->in->amount_cents, (long long)journal);
  if (audit_log(db, c->who, donation ? "ledger.donation" : "ledger.payment", "household",
                circ_i64(id, c->in->household), details, err) < 0)
    return -1;
  struct leen_balance b;
  if (balance(db, hh, &b, err) < 0)
    return -1;
  c->out->journal_id = journal;
  c->out->balance_cents = b.balance_cents;
  return 0;
}

int leen_ledger_record_payment(struct leen_db *db, const struct leen_actor *who,
                               const struct leen_payment *in, struct leen_payment_result *out,
                               struct leen_err *err)
{
  memset(out, 0, sizeof *out);
  if (circ_require(who, LEEN_ROLE_VOLUNTEER, err) < 0)
    return -1;
  const char *kind = in->kind ? in->kind : "payment";
  const char *method = in->method ? in->method : "cash";
  if (strcmp(kind, "payment") != 0 && strcmp(kind, "donation") != 0)
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/kind", "kind is payment or donation");
  if (strcmp(method, "cash") != 0 && strcmp(method, "payconiq") != 0 &&
      strcmp(method, "transfer") != 0 && strcmp(method, "waived") != 0)
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/method",
                            "method is cash, payconiq, transfer or waived");
  if (strcmp(method, "waived") == 0) {
    if (strcmp(kind, "donation") == 0)
      return leen_error_field(err, LEEN_E_INVALID_FIELD, "/method", "a donation cannot be waived");
    if (!leen_actor_has_role(who, LEEN_ROLE_COORDINATOR))
      return leen_error_field(err, LEEN_E_FORBIDDEN, "/method", "only a coordinator may waive");
  }
  if (in->amount_cents <= 0 || in->amount_cents > 100000000)
    return leen_error_field(err, LEEN_E_INVALID_AMOUNT, "/amount_cents",
                            "amount_cents is a whole number of cents from 1 to 100000000");
  struct pay_ctx c = {who, in, kind, method, out};
  return db_tx(db, pay_tx, &c, err);
}
