/* Internal to core: creating a category inside a transaction someone else
 * runs (category.c, import.c). */
#ifndef LEEN_CATEGORY_INT_H
#define LEEN_CATEGORY_INT_H

#include <stdint.h>

#include "db_internal.h"
#include "leen/actor.h"
#include "leen/category.h"

/* Checks c's fields that need no database (what leen_category_create
 * checks). Returns 0, or -1 with a field error. */
int category_check(const struct leen_category_new *c, struct leen_err *err);

/* Inserts category c (checked with category_check) inside the caller's
 * transaction; components is its components as a PostgreSQL array
 * literal ("{}" for none). Checks the library and that the actor
 * coordinates it; audited as "category.create". *id (may be NULL) gets
 * the new id. Returns 0, or -1 with err as leen_category_create. */
int category_insert(struct leen_db *db, const struct leen_actor *a,
                    const struct leen_category_new *c, const char *components, int64_t *id,
                    struct leen_err *err);

#endif
