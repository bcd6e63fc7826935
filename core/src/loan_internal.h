/* Internal to core: helpers shared by the circulation files (loan*.c,
 * reservation.c, ledger.c). */
#ifndef LEEN_LOAN_INTERNAL_H
#define LEEN_LOAN_INTERNAL_H

#include <stdint.h>

#include "db_internal.h"
#include "leen/actor.h"
#include "leen/loan.h"

/* The actor as the SQL functions of 0005 take it: the user id, the org
 * (0: any, for the system user) and the libraries as an array literal
 * (libs NULL: every library of the org, for admins and the system). */
struct circ_actor {
  char user[24];
  char org[24];
  char buf[LEEN_ACTOR_MAX_LIBRARIES * 21 + 3];
  const char *libs;
};
void circ_actor_params(const struct leen_actor *who, struct circ_actor *out);

/* The org an actor sees: its own, or every org (0) for the system user. */
int64_t circ_reader_org(const struct leen_actor *who);
/* 1 when the actor sees records of org. */
int circ_sees_org(const struct leen_actor *who, int64_t org);

/* LEEN_E_FORBIDDEN unless the actor has at least `role`; returns 0 or -1. */
int circ_require(const struct leen_actor *who, enum leen_role role, struct leen_err *err);

/* Runs one statement that is a whole operation (autocommit), retrying on
 * serialisation failures and deadlocks unless the caller has a transaction
 * open (then the retry belongs to the caller). Same contract as db_exec. */
PGresult *circ_call(struct leen_db *db, const struct leen_stmt *stmt, int nparams,
                    const char *const *params, struct leen_err *err);

/* 1 when s is a date YYYY-MM-DD that exists. */
int circ_valid_date(const char *s);
/* 1 when s is YYYY-MM-DD or an RFC 3339 date-time (offset optional: then
 * Brussels time) with a date and time that exist. */
int circ_valid_timestamp(const char *s);

/* Decimal text of v; buf needs 24 bytes. */
const char *circ_i64(char *buf, int64_t v);

/* Column positions of a result of leen_loan_rows, looked up once per result. */
struct loan_cols {
  int id, item, household, child_id, library, started_at, due_on, deposit_cents, deposit_method,
      returned_at, return_condition, refund_cents, withheld_cents, withheld_reason,
      missing_components, renewals, swapped_from, item_status, overdue;
};
void loan_cols_find(const PGresult *r, struct loan_cols *c);
/* Fills out from one row; returns 0, or -1 (out of memory, nothing held). */
int loan_from_row(const PGresult *r, int row, const struct loan_cols *c, struct leen_loan *out);

/* Number of UTF-8 characters in s (continuation bytes not counted). */
size_t circ_utf8_len(const char *s);

/* Copies src into a fixed field, truncating; NULL gives "". */
void circ_copy(char *dst, size_t size, const char *src);

#endif
