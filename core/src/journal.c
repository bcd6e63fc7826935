#include "journal.h"

#include <stdio.h>

static const struct leen_stmt stmts[] = {
  {"audit_insert",
   "INSERT INTO audit (user_id, action, entity, entity_id, details)"
   " VALUES (nullif($1::bigint, 0), $2, $3, $4, coalesce($5::jsonb, '{}'::jsonb))"},
  {"ledger_journal", "SELECT nextval('ledger_journal_seq')"},
  {"ledger_insert",
   "INSERT INTO ledger (journal_id, kind, account, amount_cents, household_id, library_id,"
   " loan_id, membership_id, reason, created_by, created_at)"
   " VALUES ($1::bigint, $2, $3, $4::bigint, nullif($5::bigint, 0), nullif($6::bigint, 0),"
   " nullif($7::bigint, 0), nullif($8::bigint, 0), $9, nullif($10::bigint, 0),"
   " coalesce($11::timestamptz, now())),"
   " ($1::bigint, $2, $12, -$4::bigint, nullif($5::bigint, 0), nullif($6::bigint, 0),"
   " nullif($7::bigint, 0), nullif($8::bigint, 0), $9, nullif($10::bigint, 0),"
   " coalesce($11::timestamptz, now()))"},
};
enum { S_AUDIT, S_JOURNAL, S_LEDGER };

int audit_log(struct leen_db *db, const struct leen_actor *who, const char *action,
              const char *entity, const char *entity_id, const char *details_json,
              struct leen_err *err)
{
  char uid[24];
  snprintf(uid, sizeof uid, "%lld", (long long)(who ? who->user_id : 0));
  const char *p[] = {uid, action, entity, entity_id, details_json};
  PGresult *r = db_exec(db, &stmts[S_AUDIT], 5, p, err);
  if (!r)
    return -1;
  PQclear(r);
  return 0;
}

int64_t ledger_journal(struct leen_db *db, struct leen_err *err)
{
  PGresult *r = db_exec(db, &stmts[S_JOURNAL], 0, NULL, err);
  if (!r)
    return -1;
  int64_t id = db_int64(r, 0, 0);
  PQclear(r);
  return id;
}

int ledger_post(struct leen_db *db, const struct leen_actor *who, const struct ledger_line *l,
                const char *debit, const char *credit, int64_t amount_cents,
                struct leen_err *err)
{
  if (amount_cents == 0)
    return 0;
  char j[24], amt[24], hh[24], lib[24], loan[24], mem[24], uid[24];
  snprintf(j, sizeof j, "%lld", (long long)l->journal_id);
  snprintf(amt, sizeof amt, "%lld", (long long)amount_cents);
  snprintf(hh, sizeof hh, "%lld", (long long)l->household_id);
  snprintf(lib, sizeof lib, "%lld", (long long)l->library_id);
  snprintf(loan, sizeof loan, "%lld", (long long)l->loan_id);
  snprintf(mem, sizeof mem, "%lld", (long long)l->membership_id);
  snprintf(uid, sizeof uid, "%lld", (long long)(who ? who->user_id : 0));
  const char *p[] = {j, l->kind, debit, amt, hh, lib, loan, mem, l->reason, uid, l->at, credit};
  PGresult *r = db_exec(db, &stmts[S_LEDGER], 12, p, err);
  if (!r)
    return -1;
  PQclear(r);
  return 0;
}
