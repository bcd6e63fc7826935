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

#endif
