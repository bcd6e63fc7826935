/* Internal to core: the statement table type and helpers over libpq.
 * Only core/src includes this; libpq never leaks into a public header. */
#ifndef LEEN_DB_INTERNAL_H
#define LEEN_DB_INTERNAL_H

#include <libpq-fe.h>
#include <stdint.h>

#include "leen/db.h"

/* A named prepared statement. Each core file keeps its statements in one
 * static table; a connection prepares a statement the first time it runs it. */
struct leen_stmt {
  const char *name;
  const char *sql;
};

PGconn *db_conn(struct leen_db *db);

/* Runs a prepared statement with text parameters (NULL entries are SQL
 * NULL). Returns a result with status TUPLES_OK or COMMAND_OK that the
 * caller must PQclear, or NULL with err filled from the SQLSTATE. */
PGresult *db_exec(struct leen_db *db, const struct leen_stmt *stmt, int nparams,
                  const char *const *params, struct leen_err *err);

/* Runs plain SQL without parameters (BEGIN, COMMIT, migrations).
 * Returns 0, or -1 with err filled. */
int db_simple(struct leen_db *db, const char *sql, struct leen_err *err);

/* Runs fn inside BEGIN ... COMMIT, retrying on serialization failures and
 * deadlocks (40001, 40P01). fn returns 0 to commit, -1 to roll back. */
typedef int db_tx_fn(struct leen_db *db, void *ctx, struct leen_err *err);
int db_tx(struct leen_db *db, db_tx_fn *fn, void *ctx, struct leen_err *err);

/* Fills err from a failed result (or the connection when res is NULL)
 * by SQLSTATE; returns -1. */
int db_error(struct leen_db *db, const PGresult *res, struct leen_err *err);

/* Small helpers to read a result cell. */
int64_t db_int64(const PGresult *res, int row, int col);
const char *db_text(const PGresult *res, int row, int col); /* NULL for SQL NULL */
int db_bool(const PGresult *res, int row, int col);

#endif
