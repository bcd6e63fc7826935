#include "leen/migrate.h"

#include <stdio.h>
#include <stdlib.h>

#include "db_internal.h"
#include "migrations.h"

/* Any fixed number will do; it only has to be the same in every leen-api. */
#define MIGRATE_LOCK_KEY "7461626c6565"

static const struct leen_stmt stmts[] = {
  {"migrate_version",
   "SELECT coalesce(max(version), 0) FROM schema_migrations"},
  {"migrate_is_applied",
   "SELECT 1 FROM schema_migrations WHERE version = $1::int"},
  {"migrate_record",
   "INSERT INTO schema_migrations (version, name) VALUES ($1::int, $2)"},
};
enum { S_VERSION, S_APPLIED, S_RECORD };

int leen_schema_known_version(void)
{
  return leen_migrations_count ? leen_migrations[leen_migrations_count - 1].version : 0;
}

static int ensure_table(struct leen_db *db, struct leen_err *err)
{
  return db_simple(db,
                   "SET client_min_messages = warning;"
                   "CREATE TABLE IF NOT EXISTS schema_migrations ("
                   " version integer PRIMARY KEY,"
                   " name text NOT NULL,"
                   " applied_at timestamptz NOT NULL DEFAULT now())",
                   err);
}

static int read_version(struct leen_db *db, struct leen_err *err)
{
  PGresult *r = db_exec(db, &stmts[S_VERSION], 0, NULL, err);
  if (!r)
    return -1;
  int v = (int)db_int64(r, 0, 0);
  PQclear(r);
  return v;
}

int leen_schema_version(struct leen_db *db, struct leen_err *err)
{
  PGresult *r = PQexec(db_conn(db), "SELECT to_regclass('schema_migrations') IS NOT NULL");
  if (PQresultStatus(r) != PGRES_TUPLES_OK) {
    db_error(db, r, err);
    PQclear(r);
    return -1;
  }
  int exists = db_bool(r, 0, 0);
  PQclear(r);
  return exists ? read_version(db, err) : 0;
}

static int apply_one(struct leen_db *db, const struct leen_migration *m, struct leen_err *err)
{
  char ver[16];
  snprintf(ver, sizeof ver, "%d", m->version);
  const char *params[] = {ver, m->name};
  if (db_simple(db, "BEGIN", err) < 0)
    return -1;
  if (db_simple(db, m->sql, err) < 0)
    goto fail;
  PGresult *r = db_exec(db, &stmts[S_RECORD], 2, params, err);
  if (!r)
    goto fail;
  PQclear(r);
  if (db_simple(db, "COMMIT", err) < 0)
    goto fail;
  return 0;
fail:;
  struct leen_err saved = *err;
  db_simple(db, "ROLLBACK", NULL);
  *err = saved;
  snprintf(err->detail, sizeof err->detail, "migration %04d_%s failed", m->version, m->name);
  return -1;
}

int leen_migrate(struct leen_db *db, leen_migrate_cb *on_applied, void *ctx, struct leen_err *err)
{
  struct leen_err local;
  if (!err)
    err = &local;
  if (db_simple(db, "SELECT pg_advisory_lock(x'" MIGRATE_LOCK_KEY "'::bigint)", err) < 0)
    return -1;
  int applied = -1;
  if (ensure_table(db, err) < 0)
    goto out;
  int current = read_version(db, err);
  if (current < 0)
    goto out;
  if (current > leen_schema_known_version()) {
    leen_error(err, LEEN_E_CONFLICT,
               "database schema version %d is newer than this program knows (%d)", current,
               leen_schema_known_version());
    goto out;
  }
  applied = 0;
  /* Apply every migration not recorded yet, not only those above the
   * highest: a migration merged later with a lower number still runs. */
  for (size_t i = 0; i < leen_migrations_count; i++) {
    const struct leen_migration *m = &leen_migrations[i];
    char ver[16];
    snprintf(ver, sizeof ver, "%d", m->version);
    const char *vp[] = {ver};
    PGresult *r = db_exec(db, &stmts[S_APPLIED], 1, vp, err);
    if (!r) {
      applied = -1;
      goto out;
    }
    int done = PQntuples(r) > 0;
    PQclear(r);
    if (done)
      continue;
    if (apply_one(db, m, err) < 0) {
      applied = -1;
      goto out;
    }
    applied++;
    if (on_applied)
      on_applied(m->version, m->name, ctx);
  }
out:
  db_simple(db, "SELECT pg_advisory_unlock(x'" MIGRATE_LOCK_KEY "'::bigint)", NULL);
  return applied;
}

int leen_schema_check(struct leen_db *db, struct leen_err *err)
{
  int v = leen_schema_version(db, err);
  if (v < 0)
    return -1;
  int known = leen_schema_known_version();
  if (v > known)
    return leen_error(err, LEEN_E_CONFLICT,
                      "database schema version %d is newer than this program knows (%d)", v, known);
  if (v < known)
    return leen_error(err, LEEN_E_CONFLICT,
                      "database schema version %d is older than this program needs (%d)", v, known);
  return 0;
}
