/* Categories of items in a library ("Fiets 16 inch", "Autostoel 0+"):
 * the deposit, the loan period, the components a volunteer checks at a
 * return, the children's age window and whether a safety check must be
 * recorded before an item may be lent.
 *
 * Who may do what: a coordinator of the library (or an admin) creates
 * categories; volunteers, coordinators and admins of the org read them
 * (categories hold no personal data, so a volunteer may look at another
 * counter's). Social workers get LEEN_E_FORBIDDEN. A library or category
 * of another org is LEEN_E_NOT_FOUND.
 *
 * Every function returns 0 on success, or -1 with err (may be NULL)
 * filled; LEEN_E_DB_UNAVAILABLE or LEEN_E_BUSY can come from any of them. */
#ifndef LEEN_CATEGORY_H
#define LEEN_CATEGORY_H

#include <stddef.h>
#include <stdint.h>

#include "leen/actor.h"
#include "leen/db.h"
#include "leen/error.h"
#include "leen/library.h"

#define LEEN_CATEGORY_MAX_COMPONENTS 20

/* A category as stored. Plain struct, owns no memory. */
struct leen_category {
  int64_t id;
  int64_t library_id;
  char library[64];                  /* the library's slug */
  char name[404];                    /* up to 100 characters */
  int64_t deposit_cents;
  int loan_days;
  char components[LEEN_CATEGORY_MAX_COMPONENTS][244];  /* up to 60 characters each */
  size_t ncomponents;
  int min_age_months;                /* -1 when not set */
  int max_age_months;                /* -1 when not set */
  int safety_check;                  /* 1: a safety check must be recorded before lending */
};

/* A category as a caller gives it; pointers are borrowed for the call. */
struct leen_category_new {
  const char *library;               /* library slug */
  const char *name;                  /* 1..100 characters, unique in the library */
  int64_t deposit_cents;             /* 0..100000000 */
  int64_t loan_days;                 /* 1..3660; LEEN_UNSET: the library's default_loan_days */
  const char *const *components;     /* 1..60 characters each, no repeats; NULL when none */
  size_t ncomponents;                /* 0..LEEN_CATEGORY_MAX_COMPONENTS */
  int64_t min_age_months;            /* 0..240; LEEN_UNSET: no lower bound */
  int64_t max_age_months;            /* 0..240, at least min; LEEN_UNSET: no upper bound */
  int safety_check;
};

/* Fills c with the defaults: deposit 0, the library's loan days, no
 * components, no age window, no safety check; no library or name. */
void leen_category_new_init(struct leen_category_new *c);

/* Creates category c. On success *out (may be NULL) holds it as stored.
 * Audited as "category.create". Errors: LEEN_E_INVALID_FIELD (/name,
 * /loan_days, /components/3, /min_age_months, /max_age_months),
 * LEEN_E_INVALID_AMOUNT (/deposit_cents), LEEN_E_FORBIDDEN (not a
 * coordinator of the library or an admin), LEEN_E_NOT_FOUND (/library),
 * LEEN_E_CONFLICT (/name taken in the library). */
int leen_category_create(struct leen_db *db, const struct leen_actor *actor,
                         const struct leen_category_new *c, struct leen_category *out,
                         struct leen_err *err) __attribute__((warn_unused_result));

/* Reads category `id` into *out. Errors: LEEN_E_FORBIDDEN, LEEN_E_NOT_FOUND. */
int leen_category_get(struct leen_db *db, const struct leen_actor *actor, int64_t id,
                      struct leen_category *out, struct leen_err *err)
    __attribute__((warn_unused_result));

/* Lists the categories of library `slug` by name. On success *out is a
 * malloc'ed array of *n categories (NULL when *n is 0) that the caller
 * frees with free(). Errors: LEEN_E_FORBIDDEN, LEEN_E_NOT_FOUND (/library). */
int leen_category_list(struct leen_db *db, const struct leen_actor *actor, const char *slug,
                       struct leen_category **out, size_t *n, struct leen_err *err)
    __attribute__((warn_unused_result));

#endif
