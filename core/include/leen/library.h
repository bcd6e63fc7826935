/* Libraries of an org (the Babytheek, the Fietsbieb): their slug, item
 * code prefix, fee settings, loan rules, opening schedule and the targets
 * the city judges them on.
 *
 * Who may do what: an admin creates libraries in their own org and updates
 * any field. A coordinator of a library may update its `schedule` and
 * `targets` (the opening hours and the goals are theirs to run), nothing
 * else: fees, slots and codes are the city's policy. Anyone who logged in
 * reads the libraries of their org; a library of another org is
 * LEEN_E_NOT_FOUND. The system actor (user_id 0) may do everything.
 *
 * Every function returns 0 on success, or -1 with err (may be NULL)
 * filled; LEEN_E_DB_UNAVAILABLE or LEEN_E_BUSY can come from any of them.
 * Field errors name a JSON pointer in err->field: /code_prefix,
 * /schedule/0/weekday, /targets/reduced_share_max ... */
#ifndef LEEN_LIBRARY_H
#define LEEN_LIBRARY_H

#include <stddef.h>
#include <stdint.h>

#include "leen/actor.h"
#include "leen/db.h"
#include "leen/error.h"
#include "leen/schedule.h"

/* "Not given" for an int64_t field of a *_new struct that may be absent. */
#define LEEN_UNSET INT64_MIN

/* What the city judges the library on; -1 when a target is not set. */
struct leen_library_targets {
  int new_households_6m;     /* new households per six months */
  int reduced_share_min;     /* percent of new households on a reduction: at least */
  int reduced_share_max;     /* ... and at most */
  int loans_per_session;
};

/* A library as stored. Plain struct, owns no memory. */
struct leen_library {
  int64_t id;
  int64_t org_id;
  char slug[64];
  char name[804];            /* up to 200 characters of UTF-8 */
  char kind[44];
  char code_prefix[8];       /* 1 to 4 capitals: "FB" */
  int64_t fee_cents;         /* regular fee per slot or per household, per membership */
  int64_t social_fee_cents;  /* the fee on the social tariff */
  char fee_per[12];          /* "slot" or "household" */
  int social_deposit_percent;/* share of the deposit a family on the social tariff pays */
  int membership_months;
  int max_slots;
  int default_loan_days;
  struct leen_schedule_rule schedule[LEEN_SCHEDULE_MAX_RULES];
  size_t nschedule;
  struct leen_library_targets targets;
};

/* Targets as a caller gives them: LEEN_UNSET leaves a target unset. */
struct leen_library_targets_new {
  int64_t new_households_6m;     /* 0..100000 */
  int64_t reduced_share_min;     /* 0..100 */
  int64_t reduced_share_max;     /* 0..100, at least reduced_share_min */
  int64_t loans_per_session;     /* 0..10000 */
};

/* A library as a caller gives it, for create and update. Pointers are
 * borrowed for the duration of the call. */
struct leen_library_new {
  const char *slug;              /* ^[a-z0-9][a-z0-9-]{0,62}$ */
  const char *name;              /* 1..200 characters */
  const char *kind;              /* ^[a-z0-9_-]{1,40}$: "babytheek", "fietsbieb" */
  const char *code_prefix;       /* ^[A-Z]{1,4}$, unique in the install */
  int64_t fee_cents;             /* 0..100000000 */
  int64_t social_fee_cents;      /* 0..fee_cents */
  const char *fee_per;           /* "slot" or "household" */
  int64_t social_deposit_percent;/* 0..100 */
  int64_t membership_months;     /* 1..120 */
  int64_t max_slots;             /* 1..100 */
  int64_t default_loan_days;     /* 1..3660 */
  const struct leen_schedule_rule_new *schedule;  /* may be NULL when nschedule is 0 */
  size_t nschedule;              /* 0..LEEN_SCHEDULE_MAX_RULES */
  struct leen_library_targets_new targets;
};

/* Fills l with the defaults of a new library: no strings, fee 0 per slot,
 * social deposit 100 %, 12 months, 1 slot, 28 loan days, no schedule, no
 * targets. */
void leen_library_new_init(struct leen_library_new *l);

/* Fields of a leen_library_new an update changes (an OR of these). */
enum leen_library_field {
  LEEN_LIBRARY_SLUG = 1u << 0,
  LEEN_LIBRARY_NAME = 1u << 1,
  LEEN_LIBRARY_KIND = 1u << 2,
  LEEN_LIBRARY_CODE_PREFIX = 1u << 3,
  LEEN_LIBRARY_FEE_CENTS = 1u << 4,
  LEEN_LIBRARY_SOCIAL_FEE_CENTS = 1u << 5,
  LEEN_LIBRARY_FEE_PER = 1u << 6,
  LEEN_LIBRARY_SOCIAL_DEPOSIT_PERCENT = 1u << 7,
  LEEN_LIBRARY_MEMBERSHIP_MONTHS = 1u << 8,
  LEEN_LIBRARY_MAX_SLOTS = 1u << 9,
  LEEN_LIBRARY_DEFAULT_LOAN_DAYS = 1u << 10,
  LEEN_LIBRARY_SCHEDULE = 1u << 11,   /* replaces every rule */
  LEEN_LIBRARY_TARGETS = 1u << 12,    /* replaces the targets object */
};

/* Creates library l in org `org` (an org slug; NULL: the actor's org, or
 * for the system actor the install's only org). On success *out (may be
 * NULL) holds the library as stored. Audited as "library.create".
 * Errors: LEEN_E_INVALID_FIELD / LEEN_E_INVALID_AMOUNT (money fields) with
 * the field's pointer, LEEN_E_FORBIDDEN (not an admin, or another org),
 * LEEN_E_NOT_FOUND (/org), LEEN_E_CONFLICT (/slug or /code_prefix taken). */
int leen_library_create(struct leen_db *db, const struct leen_actor *actor, const char *org,
                        const struct leen_library_new *l, struct leen_library *out,
                        struct leen_err *err) __attribute__((warn_unused_result));

/* Reads library `slug` into *out. Errors: LEEN_E_NOT_FOUND. */
int leen_library_get(struct leen_db *db, const struct leen_actor *actor, const char *slug,
                     struct leen_library *out, struct leen_err *err)
    __attribute__((warn_unused_result));

/* Lists the libraries of the actor's org in slug order. On success *out is
 * a malloc'ed array of *n libraries (NULL when *n is 0) that the caller
 * frees with free(). */
int leen_library_list(struct leen_db *db, const struct leen_actor *actor,
                      struct leen_library **out, size_t *n, struct leen_err *err)
    __attribute__((warn_unused_result));

/* Updates the `fields` (enum leen_library_field) of library `slug` from
 * l; other members of l are not read. LEEN_LIBRARY_SCHEDULE replaces all
 * rules with l->schedule; LEEN_LIBRARY_TARGETS replaces all targets. On
 * success *out (may be NULL) holds the library as stored. Audited as
 * "library.update" with the names of the fields. Errors: as create, and
 * LEEN_E_FORBIDDEN with the first field a coordinator may not change,
 * LEEN_E_CONFLICT (/code_prefix: the library already has items, whose
 * codes carry the old prefix), LEEN_E_NOT_FOUND. */
int leen_library_update(struct leen_db *db, const struct leen_actor *actor, const char *slug,
                        const struct leen_library_new *l, unsigned fields,
                        struct leen_library *out, struct leen_err *err)
    __attribute__((warn_unused_result));

#endif
