/* Bulk imports (docs/import.md): a batch of rows from another system's
 * export (MyTurn items, a households list) in one transaction. Every row
 * carries the id it has in the source (external_id); a row whose id the
 * library (items) or the org (households) already has is left as it is
 * and reported "unchanged", so running the same file again changes
 * nothing. A bad row is reported with its error and does not stop the
 * others: each row runs under a savepoint. Categories named by item rows
 * are created as needed.
 *
 * Who may do what: a coordinator of the library (or an admin) imports
 * items; volunteers, coordinators and admins import households. Everyone
 * else gets LEEN_E_FORBIDDEN for the whole batch.
 *
 * Audit: every item, category and household made is audited as when it
 * is made one at a time ("item.create", "category.create", "create"), and
 * the batch itself as "import.items" (entity library) or
 * "import.households" (entity org) with its counts.
 *
 * Every function returns 0 when the batch ran (whatever its rows did), or
 * -1 with err (may be NULL) filled for the batch as a whole;
 * LEEN_E_DB_UNAVAILABLE or LEEN_E_BUSY can come from any of them. */
#ifndef LEEN_IMPORT_H
#define LEEN_IMPORT_H

#include <stddef.h>
#include <stdint.h>

#include "leen/actor.h"
#include "leen/db.h"
#include "leen/error.h"
#include "leen/household.h"
#include "leen/library.h"

/* The most rows one batch takes. */
#define LEEN_IMPORT_MAX_ROWS 100
/* The longest source id, in characters. */
#define LEEN_IMPORT_EXTERNAL_ID_MAX 100
/* The category of an item row that names none. */
#define LEEN_IMPORT_DEFAULT_CATEGORY "Zonder categorie"

/* How a batch runs. */
struct leen_import_options {
  int dry_run;    /* check and do every row, then roll the batch back */
  int strict;     /* roll the batch back when any row is bad */
};

/* One item row; pointers are borrowed for the call. */
struct leen_import_item {
  const char *external_id;       /* 1..LEEN_IMPORT_EXTERNAL_ID_MAX characters, unique in
                                    the batch */
  const char *name;              /* 1..200 characters */
  const char *category;          /* a category name of the library, created when missing;
                                    NULL or "": LEEN_IMPORT_DEFAULT_CATEGORY */
  const char *status;            /* NULL: "available"; else available, cleaning, in_repair,
                                    retired or lost */
  int64_t loan_days;             /* 1..3660 for a category the import creates;
                                    LEEN_UNSET: the library's default */
  int64_t deposit_cents;         /* the item's own deposit; LEEN_UNSET: the category's */
  const char *expires_on;        /* "YYYY-MM-DD"; NULL or "": none */
  const char *safety_checked_on; /* "YYYY-MM-DD"; NULL or "": none */
  const char *attributes;        /* a JSON object's text; NULL: {} */
};

/* Fills it with the defaults: no strings, loan_days and deposit LEEN_UNSET. */
void leen_import_item_init(struct leen_import_item *it);

/* One household row: its source id and the household as leen/household.h
 * takes it. */
struct leen_import_household {
  const char *external_id;       /* 1..LEEN_IMPORT_EXTERNAL_ID_MAX characters, unique in
                                    the batch */
  struct leen_household_new household;
};

enum leen_import_result {
  LEEN_IMPORT_CREATED,           /* made now (in a dry run or a rolled-back batch: would be) */
  LEEN_IMPORT_UNCHANGED,         /* the source id was there already: left as it is */
  LEEN_IMPORT_ERROR,             /* refused: see err */
};

/* What became of one row. */
struct leen_import_outcome {
  enum leen_import_result result;
  char code[16];                 /* items: the item's code (created or found) */
  int64_t number;                /* households: the member number (created or found) */
  struct leen_err err;           /* LEEN_IMPORT_ERROR: the reason; err.field is a JSON
                                    pointer into the row ("/name", "/category") */
};

/* What became of a batch. Owns categories_created: release with
 * leen_import_report_release. */
struct leen_import_report {
  struct leen_import_outcome *rows;   /* one per row given, in the same order */
  size_t nrows;
  size_t created, unchanged, errors;
  int committed;                 /* 1 when the batch's changes were committed */
  char **categories_created;     /* names of categories made (or that would be) */
  size_t ncategories;
};

/* Frees what the report owns and empties it; NULL is harmless. */
void leen_import_report_release(struct leen_import_report *r);

/* Imports n (0..LEEN_IMPORT_MAX_ROWS) item rows into library `slug` in
 * one transaction. *out (release it) gets an outcome per row. Errors for
 * the batch: LEEN_E_FORBIDDEN (not a coordinator of the library or an
 * admin), LEEN_E_NOT_FOUND (/library), LEEN_E_INVALID_FIELD (/rows: too
 * many). Row errors: as leen_item_create and leen_category_create
 * (/name, /category, /status, /loan_days, /deposit_cents, /expires_on,
 * /safety_checked_on, /attributes), and LEEN_E_INVALID_FIELD
 * /external_id (missing, too long, or twice in the batch). */
int leen_import_items(struct leen_db *db, const struct leen_actor *actor, const char *slug,
                      const struct leen_import_item *rows, size_t n,
                      const struct leen_import_options *opt, struct leen_import_report *out,
                      struct leen_err *err) __attribute__((warn_unused_result));

/* Imports n (0..LEEN_IMPORT_MAX_ROWS) household rows into the actor's org
 * in one transaction; member numbers are assigned as usual. Errors for
 * the batch: LEEN_E_FORBIDDEN, LEEN_E_INVALID_FIELD (/rows). Row errors:
 * as leen_household_create, and /external_id as for items. */
int leen_import_households(struct leen_db *db, const struct leen_actor *actor,
                           const struct leen_import_household *rows, size_t n,
                           const struct leen_import_options *opt, struct leen_import_report *out,
                           struct leen_err *err) __attribute__((warn_unused_result));

#endif
