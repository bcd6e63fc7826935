/* Internal to core: checks and look-ups shared by households, memberships
 * and reductions (household_common.c). */
#ifndef LEEN_HOUSEHOLD_INTERNAL_H
#define LEEN_HOUSEHOLD_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "db_internal.h"
#include "leen/actor.h"
#include "leen/reduction.h"

/* Formats v as decimal text into buf and returns buf. */
const char *hh_i64(char buf[24], int64_t v);

/* 1 when s is valid UTF-8 without control characters and holds min..max
 * characters (not bytes); 0 otherwise (NULL too). */
int hh_text_ok(const char *s, size_t min, size_t max);

/* 1 when s is exactly "YYYY-MM-DD" and names a real day; 0 otherwise. */
int hh_date_ok(const char *s);

/* 1 when s is exactly "YYYY-MM" with a month 01..12; 0 otherwise. */
int hh_month_ok(const char *s);

/* Copies src (NULL: "") into dst of size n, truncating. */
void hh_copy(char *dst, size_t n, const char *src);

/* Today, Brussels local, as "YYYY-MM-DD" into day. Returns 0 or -1. */
int hh_today(struct leen_db *db, char day[11], struct leen_err *err);

/* The row id of household `number` in the actor's org, locked FOR UPDATE
 * when lock is nonzero. *anonymized (may be NULL) tells whether the
 * household was anonymised. Returns 0, or -1 with LEEN_E_NOT_FOUND. */
int hh_household_id(struct leen_db *db, const struct leen_actor *a, int64_t number, int lock,
                    int64_t *id, int *anonymized, struct leen_err *err);

/* The reduction that applies to household row `household_id` on `day`
 * (NULL: today), as volunteers may see it. Returns 0 or -1. */
int hh_reduction_status(struct leen_db *db, int64_t household_id, const char *day,
                        struct leen_reduction_status *out, struct leen_err *err);

/* ---- household records (household.c) ---- */

struct leen_household;
struct leen_child_new;

/* Checks one field of a household against its rules, by its
 * LEEN_HOUSEHOLD_SET_* bit; NULL or "" is fine for optional fields.
 * Returns 0, or -1 with a field error. */
int hh_check_field(unsigned which, const char *value, struct leen_err *err);

/* Checks child i of a list whose JSON pointer is `list` ("/children").
 * Returns 0, or -1 with a field error. */
int hh_check_child(const struct leen_child_new *c, const char *list, size_t i,
                   struct leen_err *err);

/* Inserts n children for household row `household_id`. Returns 0 or -1. */
int hh_insert_children(struct leen_db *db, int64_t household_id, const struct leen_child_new *c,
                       size_t n, struct leen_err *err);

struct leen_household_new;

/* Checks every field of a new household (what leen_household_create
 * checks). Returns 0, or -1 with a field error. */
int hh_check_new(const struct leen_household_new *h, struct leen_err *err);

/* Inserts household h (checked with hh_check_new) and its children in the
 * actor's org inside the caller's transaction, with external_id (NULL:
 * none) as its source id; audited as "create". *number gets its member
 * number. Returns 0 or -1. */
int hh_insert(struct leen_db *db, const struct leen_actor *a, const struct leen_household_new *h,
              const char *external_id, int64_t *number, struct leen_err *err);

/* Loads household `number` of the actor's org into *out (children and
 * today's reduction status included). Returns 0, or -1 (NOT_FOUND). */
int hh_load(struct leen_db *db, const struct leen_actor *a, int64_t number,
            struct leen_household *out, struct leen_err *err);

#endif
