/* Memberships: a household in one library for a period, with a number of
 * slots (loans it may have open at once), paid at the counter.
 *
 * The fee: the library's fee_cents x slots (fee_per "slot") or fee_cents
 * (fee_per "household"). A reduction active on valid_from (any library of
 * the org: see leen/reduction.h) lowers what is due to the library's
 * social_fee_cents (x slots when fee_per "slot"; never more than the fee)
 * at level "social", or to 0 at level "full". The ledger gets three
 * journals, each balanced: membership_fee (household / fee_income, the
 * regular fee), fee_reduction (fee_reduction / household, the difference)
 * and payment (<method> / household, what is due); zero amounts post
 * nothing.
 *
 * Who may do what: volunteers, coordinators and admins start memberships
 * in the libraries they work in (leen_actor_in_library) and read those of
 * every library of their org; social workers may not (LEEN_E_FORBIDDEN).
 * Households and libraries of other orgs are LEEN_E_NOT_FOUND.
 *
 * Every function returns 0 on success (leen_membership_active: 1 or 0),
 * or -1 with err (may be NULL) filled; LEEN_E_DB_UNAVAILABLE or
 * LEEN_E_BUSY can come from any of them. */
#ifndef LEEN_MEMBERSHIP_H
#define LEEN_MEMBERSHIP_H

#include <stddef.h>
#include <stdint.h>

#include "leen/actor.h"
#include "leen/db.h"
#include "leen/error.h"
#include "leen/reduction.h"

/* A membership. Plain struct, owns no memory. */
struct leen_membership {
  int64_t id;
  int64_t household;         /* member number */
  char library[64];          /* library slug */
  char valid_from[11];       /* "YYYY-MM-DD" */
  char valid_until[11];      /* "YYYY-MM-DD", inclusive */
  int slots;
  int64_t fee_cents;         /* the regular fee */
  int64_t reduction_cents;   /* how much of it the reduction took off */
  int64_t due_cents;         /* fee_cents - reduction_cents: what the household pays */
  struct leen_reduction_status reduction;  /* the reduction applied, if any */
};

struct leen_membership_new {
  const char *library;       /* library slug; required */
  int slots;                 /* 1 .. the library's max_slots */
  const char *payment;       /* cash, payconiq, transfer or waived; may be NULL when nothing is due */
  const char *valid_from;    /* "YYYY-MM-DD"; NULL: see leen_membership_start */
};

/* Starts or renews household `number`'s membership in a library.
 *
 * valid_from, when not given, is today, or the day after the household's
 * last membership in that library ends when that is later: renewing early
 * continues the running period without a gap or an overlap. A valid_from
 * before today (back-dating, imports) is for coordinators and admins. A
 * period that overlaps an existing membership in that library is refused.
 * valid_until = valid_from + the library's membership_months - 1 day.
 *
 * On success *out (may be NULL) holds the new membership. Errors:
 * LEEN_E_FORBIDDEN (role or library; /valid_from in the past for a
 * volunteer), LEEN_E_NOT_FOUND (/household, /library),
 * LEEN_E_INVALID_FIELD (/library; /slots outside 1..max_slots; /payment
 * unknown, or missing while something is due), LEEN_E_INVALID_DATE
 * (/valid_from), LEEN_E_CONFLICT (/valid_from overlaps a membership;
 * household anonymised). */
int leen_membership_start(struct leen_db *db, const struct leen_actor *actor, int64_t number,
                          const struct leen_membership_new *m, struct leen_membership *out,
                          struct leen_err *err) __attribute__((warn_unused_result));

struct leen_membership_list {
  struct leen_membership *items;  /* newest valid_from first */
  size_t n;
};

/* Lists every membership of household `number` in every library of the
 * org. On success *out owns its items: free them with
 * leen_membership_list_release. Errors: LEEN_E_FORBIDDEN, LEEN_E_NOT_FOUND. */
int leen_membership_list(struct leen_db *db, const struct leen_actor *actor, int64_t number,
                         struct leen_membership_list *out, struct leen_err *err)
    __attribute__((warn_unused_result));

/* Frees the items and empties the list; NULL is harmless. */
void leen_membership_list_release(struct leen_membership_list *l);

/* The membership of household `number` in library `library` (slug) that
 * covers `day` ("YYYY-MM-DD"; NULL: today). Returns 1 with *out filled, 0
 * when there is none (*out zeroed), or -1 with err: LEEN_E_FORBIDDEN,
 * LEEN_E_NOT_FOUND (/household, /library), LEEN_E_INVALID_DATE (/day). */
int leen_membership_active(struct leen_db *db, const struct leen_actor *actor, int64_t number,
                           const char *library, const char *day, struct leen_membership *out,
                           struct leen_err *err) __attribute__((warn_unused_result));

#endif
