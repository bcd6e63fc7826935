/* Internal to core: the audit trail and the ledger, written inside the
 * caller's transaction so they commit or vanish with the change. */
#ifndef LEEN_JOURNAL_H
#define LEEN_JOURNAL_H

#include <stdint.h>

#include "db_internal.h"
#include "leen/actor.h"

/* Appends an audit row. details_json is a JSON object text or NULL.
 * Returns 0, or -1 with err. */
int audit_log(struct leen_db *db, const struct leen_actor *who, const char *action,
              const char *entity, const char *entity_id, const char *details_json,
              struct leen_err *err);

/* A new journal id for a group of ledger lines that must balance. */
int64_t ledger_journal(struct leen_db *db, struct leen_err *err);

struct ledger_line {
  int64_t journal_id;
  const char *kind;        /* membership_fee, fee_reduction, deposit_taken, ... */
  int64_t household_id;    /* 0: none */
  int64_t library_id;      /* 0: none */
  int64_t loan_id;         /* 0: none */
  int64_t membership_id;   /* 0: none */
  const char *reason;      /* or NULL */
  const char *at;          /* timestamptz text or NULL for now() */
};

/* Posts amount_cents from account `credit` to account `debit` as two
 * lines of one journal (debit +amount, credit -amount). A zero amount
 * posts nothing. Returns 0, or -1 with err. */
int ledger_post(struct leen_db *db, const struct leen_actor *who, const struct ledger_line *l,
                const char *debit, const char *credit, int64_t amount_cents,
                struct leen_err *err);

#endif
