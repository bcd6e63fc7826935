/* Internal to core: what item.c and item_update.c share. */
#ifndef LEEN_ITEM_INT_H
#define LEEN_ITEM_INT_H

#include <stdint.h>

#include "db_internal.h"
#include "leen/actor.h"
#include "leen/item.h"

/* 1 when s is one of the seven item statuses. */
int item_status_known(const char *s);

/* Checks that json is the text of a JSON object, in the caller's
 * transaction. Returns 0, or -1 with LEEN_E_INVALID_FIELD /attributes. */
int item_check_attributes(struct leen_db *db, const char *json, struct leen_err *err);

/* Reads the item with canonical code `code` into *out when the actor's
 * org holds it. Returns 1 found, 0 not found, -1 error. */
int item_load(struct leen_db *db, const struct leen_actor *a, const char *code,
              struct leen_item *out, struct leen_err *err);

/* Checks the date fields of it: NULL or "" (none) or a real day. */
int item_check_date(const char *value, const char *field, struct leen_err *err);

/* Checks a new item's fields that need no database (what
 * leen_item_create checks). any_status nonzero lets it->status be any
 * status an edit may set (imports); zero allows NULL or "available". */
int item_check_new(const struct leen_item_new *it, int any_status, struct leen_err *err);

/* Inserts item it (checked with item_check_new) inside the caller's
 * transaction with the library's next code, which goes to code, and
 * external_id (NULL: none) as its source id; audited as "item.create".
 * Checks the category, the actor's library and the attributes. Returns 0,
 * or -1 with err as leen_item_create. */
int item_insert(struct leen_db *db, const struct leen_actor *a, const struct leen_item_new *it,
                const char *external_id, char code[16], struct leen_err *err);

#endif
