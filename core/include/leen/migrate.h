/* Schema migrations: sql/NNNN_name.sql, embedded in the binary at build
 * time, applied in order, one transaction each, recorded in
 * schema_migrations, under an advisory lock. */
#ifndef LEEN_MIGRATE_H
#define LEEN_MIGRATE_H

#include "leen/db.h"

/* Called once per migration applied, with its version and name. */
typedef void leen_migrate_cb(int version, const char *name, void *ctx);

/* The highest migration version this binary knows. */
int leen_schema_known_version(void);

/* Applies every pending migration. on_applied (may be NULL) is called for
 * each one applied. Returns the number applied (0 when up to date), or -1
 * with err filled: LEEN_E_CONFLICT when the database holds a schema newer
 * than this binary knows, LEEN_E_DB_UNAVAILABLE or LEEN_E_INTERNAL else. */
int leen_migrate(struct leen_db *db, leen_migrate_cb *on_applied, void *ctx,
                 struct leen_err *err) __attribute__((warn_unused_result));

/* The version the database is at (0 for an empty database), or -1 with
 * err filled. */
int leen_schema_version(struct leen_db *db, struct leen_err *err);

/* Checks the database is at exactly the version this binary knows.
 * Returns 0, or -1 with LEEN_E_CONFLICT (newer or older) in err. */
int leen_schema_check(struct leen_db *db, struct leen_err *err);

#endif
