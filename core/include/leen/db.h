/* A connection to leen's PostgreSQL database. One handle per thread: a
 * handle is never shared between threads at the same time. */
#ifndef LEEN_DB_H
#define LEEN_DB_H

#include "leen/error.h"

struct leen_db;

/* Opens a connection. conninfo is a libpq connection string or URL; NULL or
 * "" uses libpq's PG* environment variables. On success *out owns the handle
 * (free with leen_db_close). Returns 0, or -1 with err filled
 * (LEEN_E_DB_UNAVAILABLE when the server cannot be reached). */
int leen_db_open(struct leen_db **out, const char *conninfo, struct leen_err *err)
    __attribute__((warn_unused_result));

/* Closes the connection and frees the handle; NULL is harmless. */
void leen_db_close(struct leen_db *db);

/* Checks the server answers, resetting a broken connection once first.
 * Returns 0, or -1 with LEEN_E_DB_UNAVAILABLE. */
int leen_db_ping(struct leen_db *db, struct leen_err *err);

/* Returns nonzero when the connection is known to be broken. */
int leen_db_broken(const struct leen_db *db);

#endif
