#include "db_internal.h"

#include <stdlib.h>
#include <string.h>

struct leen_db {
  PGconn *conn;
  /* statements already prepared on this connection, by table address */
  const struct leen_stmt **prepared;
  size_t nprepared, cap;
};

PGconn *db_conn(struct leen_db *db) { return db->conn; }

static void forget_prepared(struct leen_db *db) { db->nprepared = 0; }

int leen_db_open(struct leen_db **out, const char *conninfo, struct leen_err *err)
{
  *out = NULL;
  struct leen_db *db = calloc(1, sizeof *db);
  if (!db)
    return leen_error(err, LEEN_E_INTERNAL, "out of memory");
  db->conn = PQconnectdb(conninfo ? conninfo : "");
  if (!db->conn || PQstatus(db->conn) != CONNECTION_OK) {
    leen_error(err, LEEN_E_DB_UNAVAILABLE, "could not connect to the database");
    if (db->conn && err)
      snprintf(err->detail, sizeof err->detail, "%s", PQerrorMessage(db->conn));
    leen_db_close(db);
    return -1;
  }
  /* Days, months and opening days are Brussels local. */
  PGresult *r = PQexec(db->conn, "SET TIME ZONE 'Europe/Brussels'");
  PQclear(r);
  *out = db;
  return 0;
}

void leen_db_close(struct leen_db *db)
{
  if (!db)
    return;
  if (db->conn)
    PQfinish(db->conn);
  free(db->prepared);
  free(db);
}

int leen_db_broken(const struct leen_db *db) { return !db->conn || PQstatus(db->conn) != CONNECTION_OK; }

static int reset(struct leen_db *db, struct leen_err *err)
{
  forget_prepared(db);
  PQreset(db->conn);
  if (PQstatus(db->conn) != CONNECTION_OK)
    return leen_error(err, LEEN_E_DB_UNAVAILABLE, "could not reconnect to the database");
  PGresult *r = PQexec(db->conn, "SET TIME ZONE 'Europe/Brussels'");
  PQclear(r);
  return 0;
}

int leen_db_ping(struct leen_db *db, struct leen_err *err)
{
  if (leen_db_broken(db) && reset(db, err) < 0)
    return -1;
  PGresult *r = PQexec(db->conn, "SELECT 1");
  int ok = PQresultStatus(r) == PGRES_TUPLES_OK;
  PQclear(r);
  if (ok)
    return 0;
  if (reset(db, err) < 0)
    return -1;
  r = PQexec(db->conn, "SELECT 1");
  ok = PQresultStatus(r) == PGRES_TUPLES_OK;
  PQclear(r);
  return ok ? 0 : leen_error(err, LEEN_E_DB_UNAVAILABLE, "could not reach the database");
}

/* Errors raised on purpose from SQL (sql/0002_domain.sql lists them). */
static const struct {
  const char *state;
  enum leen_code code;
} raised[] = {
  {"LNA01", LEEN_E_ITEM_NOT_AVAILABLE},  {"LNA02", LEEN_E_ALREADY_RETURNED},
  {"LNA03", LEEN_E_RESERVED_FOR_OTHER},  {"LNA04", LEEN_E_CONFLICT},
  {"LNB01", LEEN_E_MEMBERSHIP_REQUIRED}, {"LNB02", LEEN_E_LOAN_LIMIT_REACHED},
  {"LNB03", LEEN_E_ITEM_UNSAFE},         {"LNB04", LEEN_E_IDEMPOTENCY_MISMATCH},
  {"LNC01", LEEN_E_NOT_FOUND},           {"LNC02", LEEN_E_INVALID_FIELD},
  {"LNC03", LEEN_E_INVALID_AMOUNT},      {"LNC04", LEEN_E_INVALID_DATE},
  {"LND01", LEEN_E_FORBIDDEN},
};

static enum leen_code code_for_sqlstate(const char *s)
{
  if (!s || !*s)
    return LEEN_E_DB_UNAVAILABLE;
  for (size_t i = 0; i < sizeof raised / sizeof raised[0]; i++)
    if (strcmp(s, raised[i].state) == 0)
      return raised[i].code;
  if (strcmp(s, "23505") == 0 || strcmp(s, "23P01") == 0 || strcmp(s, "23503") == 0)
    return LEEN_E_CONFLICT;
  if (strcmp(s, "23514") == 0 || strcmp(s, "23502") == 0 || strcmp(s, "22P02") == 0 ||
      strcmp(s, "22003") == 0 || strcmp(s, "22001") == 0)
    return LEEN_E_INVALID_FIELD;
  if (strcmp(s, "22007") == 0 || strcmp(s, "22008") == 0)
    return LEEN_E_INVALID_DATE;
  if (strcmp(s, "40001") == 0 || strcmp(s, "40P01") == 0 || strcmp(s, "55P03") == 0)
    return LEEN_E_BUSY;
  if (strncmp(s, "08", 2) == 0 || strncmp(s, "57", 2) == 0 || strncmp(s, "53", 2) == 0)
    return LEEN_E_DB_UNAVAILABLE;
  return LEEN_E_INTERNAL;
}

int db_error(struct leen_db *db, const PGresult *res, struct leen_err *err)
{
  const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
  if (leen_db_broken(db))
    state = NULL;
  enum leen_code code = code_for_sqlstate(state);
  const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
  if (!msg)
    msg = PQerrorMessage(db->conn);
  leen_error(err, code, "%s", code == LEEN_E_DB_UNAVAILABLE ? "the database is not available" : msg);
  if (err) {
    snprintf(err->sqlstate, sizeof err->sqlstate, "%s", state ? state : "");
    const char *detail = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL) : NULL;
    snprintf(err->detail, sizeof err->detail, "%s", detail ? detail : "");
    /* a raised field error names its JSON pointer in COLUMN */
    const char *column = res ? PQresultErrorField(res, PG_DIAG_COLUMN_NAME) : NULL;
    if (column && column[0] == '/')
      snprintf(err->field, sizeof err->field, "%s", column);
  }
  return -1;
}

static int is_prepared(struct leen_db *db, const struct leen_stmt *stmt)
{
  for (size_t i = 0; i < db->nprepared; i++)
    if (db->prepared[i] == stmt)
      return 1;
  return 0;
}

static int prepare(struct leen_db *db, const struct leen_stmt *stmt, struct leen_err *err)
{
  if (db->nprepared == db->cap) {
    size_t cap = db->cap ? db->cap * 2 : 64;
    const struct leen_stmt **p = realloc(db->prepared, cap * sizeof *p);
    if (!p)
      return leen_error(err, LEEN_E_INTERNAL, "out of memory");
    db->prepared = p;
    db->cap = cap;
  }
  PGresult *r = PQprepare(db->conn, stmt->name, stmt->sql, 0, NULL);
  if (PQresultStatus(r) != PGRES_COMMAND_OK) {
    db_error(db, r, err);
    PQclear(r);
    return -1;
  }
  PQclear(r);
  db->prepared[db->nprepared++] = stmt;
  return 0;
}

PGresult *db_exec(struct leen_db *db, const struct leen_stmt *stmt, int nparams,
                  const char *const *params, struct leen_err *err)
{
  if (leen_db_broken(db) && PQtransactionStatus(db->conn) == PQTRANS_UNKNOWN &&
      reset(db, err) < 0)
    return NULL;
  if (!is_prepared(db, stmt) && prepare(db, stmt, err) < 0)
    return NULL;
  PGresult *r = PQexecPrepared(db->conn, stmt->name, nparams, params, NULL, NULL, 0);
  ExecStatusType st = PQresultStatus(r);
  if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK)
    return r;
  db_error(db, r, err);
  PQclear(r);
  return NULL;
}

int db_simple(struct leen_db *db, const char *sql, struct leen_err *err)
{
  PGresult *r = PQexec(db->conn, sql);
  ExecStatusType st = PQresultStatus(r);
  int rc = 0;
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
    rc = db_error(db, r, err);
  PQclear(r);
  return rc;
}

static int retryable(const struct leen_err *e)
{
  return strcmp(e->sqlstate, "40001") == 0 || strcmp(e->sqlstate, "40P01") == 0;
}

int db_tx(struct leen_db *db, db_tx_fn *fn, void *ctx, struct leen_err *err)
{
  struct leen_err local;
  if (!err)
    err = &local;
  if (leen_db_broken(db) && reset(db, err) < 0)
    return -1;
  for (int attempt = 0;; attempt++) {
    if (db_simple(db, "BEGIN", err) < 0) {
      /* a connection dropped while idle shows up here: reset once and retry */
      if (attempt == 0 && leen_db_broken(db) && reset(db, err) == 0)
        continue;
      return -1;
    }
    leen_err_clear(err);
    if (fn(db, ctx, err) == 0 && db_simple(db, "COMMIT", err) == 0)
      return 0;
    struct leen_err saved = *err;
    if (!leen_db_broken(db))
      db_simple(db, "ROLLBACK", NULL);
    *err = saved;
    if (!retryable(err) || attempt >= 8)
      return -1;
  }
}

int64_t db_int64(const PGresult *res, int row, int col)
{
  if (PQgetisnull(res, row, col))
    return 0;
  return strtoll(PQgetvalue(res, row, col), NULL, 10);
}

const char *db_text(const PGresult *res, int row, int col)
{
  return PQgetisnull(res, row, col) ? NULL : PQgetvalue(res, row, col);
}

int db_bool(const PGresult *res, int row, int col)
{
  return !PQgetisnull(res, row, col) && PQgetvalue(res, row, col)[0] == 't';
}
