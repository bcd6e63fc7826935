/* Social-fee reductions issued by the social service: to a household, or
 * as a one-time voucher code a household redeems at the counter. A
 * reduction records its level, validity, who issued it and an optional
 * dossier reference; never a reason, an income or an attest. An active
 * reduction applies in every library of the household's org.
 *
 * Who may do what: social workers and admins issue, revoke, list and read
 * reductions (every read of details writes an audit row: action "read",
 * entity "reduction"); volunteers, coordinators and admins redeem
 * vouchers. Everyone else gets LEEN_E_FORBIDDEN. Only reductions of the
 * actor's org exist for the actor: others are LEEN_E_NOT_FOUND.
 *
 * Every function returns 0 on success, or -1 with err (may be NULL) filled;
 * LEEN_E_DB_UNAVAILABLE or LEEN_E_BUSY can come from any of them. */
#ifndef LEEN_REDUCTION_H
#define LEEN_REDUCTION_H

#include <stddef.h>
#include <stdint.h>

#include "leen/actor.h"
#include "leen/db.h"
#include "leen/error.h"

/* What volunteers see of a household's reduction: "reduced until <date>".
 * Households and memberships carry this and nothing more. */
struct leen_reduction_status {
  int active;               /* 1 when a reduction applies */
  char valid_until[11];     /* "YYYY-MM-DD" of that reduction; "" when none applies */
};

/* A voucher code: this many characters from LEEN_VOUCHER_ALPHABET, which
 * leaves out the look-alikes 0/O and 1/I. */
#define LEEN_VOUCHER_CODE_LEN 10
#define LEEN_VOUCHER_ALPHABET "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

/* A reduction's details (social workers and admins only). Plain struct,
 * owns no memory. Timestamps are RFC 3339 in Brussels time. */
struct leen_reduction {
  int64_t id;
  int64_t household;         /* member number; 0 for a voucher not yet redeemed */
  char voucher_code[17];     /* "" when issued to a household directly */
  char level[8];             /* "social" or "full" */
  char valid_from[11];       /* "YYYY-MM-DD" */
  char valid_until[11];      /* "YYYY-MM-DD", inclusive */
  char reference[244];       /* dossier reference, "" when none */
  int64_t issued_by;         /* user id */
  char issued_at[40];
  char redeemed_at[40];      /* "" when not (yet) redeemed */
  char revoked_at[40];       /* "" when not revoked */
  int64_t revoked_by;        /* user id, 0 when not revoked */
};

struct leen_reduction_new {
  int64_t household;         /* member number; 0 when voucher is set */
  int voucher;               /* nonzero: issue a one-time voucher code instead */
  const char *level;         /* "social" (the library's social fee) or "full" (no fee, no deposit) */
  const char *valid_from;    /* "YYYY-MM-DD"; NULL: today */
  const char *valid_until;   /* "YYYY-MM-DD", inclusive; required */
  const char *reference;     /* dossier reference, at most 60 characters; NULL or "": none */
};

/* Issues a reduction, to a household or as a voucher with a fresh random
 * code. On success *out (may be NULL) holds it. Errors: LEEN_E_FORBIDDEN
 * (not a social worker or admin, or the system actor: a reduction is
 * issued by a person), LEEN_E_INVALID_FIELD (/household, /voucher: exactly
 * one of them; /level; /reference), LEEN_E_INVALID_DATE (/valid_from,
 * /valid_until: badly formed, or valid_until before valid_from),
 * LEEN_E_NOT_FOUND (/household), LEEN_E_CONFLICT (household anonymised). */
int leen_reduction_issue(struct leen_db *db, const struct leen_actor *actor,
                         const struct leen_reduction_new *r, struct leen_reduction *out,
                         struct leen_err *err) __attribute__((warn_unused_result));

/* Revokes reduction `id` from now on (memberships already paid keep their
 * fee). On success *out (may be NULL) holds it. Errors: LEEN_E_FORBIDDEN,
 * LEEN_E_NOT_FOUND, LEEN_E_CONFLICT (already revoked). */
int leen_reduction_revoke(struct leen_db *db, const struct leen_actor *actor, int64_t id,
                          struct leen_reduction *out, struct leen_err *err)
    __attribute__((warn_unused_result));

/* Reads reduction `id` into *out; audited. Errors: LEEN_E_FORBIDDEN,
 * LEEN_E_NOT_FOUND. */
int leen_reduction_get(struct leen_db *db, const struct leen_actor *actor, int64_t id,
                       struct leen_reduction *out, struct leen_err *err)
    __attribute__((warn_unused_result));

struct leen_reduction_query {
  int64_t household;         /* member number; 0: every reduction and voucher of the org */
  int active_only;           /* nonzero: not revoked and valid today */
  size_t limit;              /* 0: 50; at most 200 */
  int64_t after;             /* cursor: list ids greater than this; 0 from the start */
};

struct leen_reduction_list {
  struct leen_reduction *items;  /* in id order */
  size_t n;
  int64_t next_after;        /* cursor for the next page; 0 when this is the last */
};

/* Lists reductions (one audit row per reduction read). On success *out
 * owns its items: free them with leen_reduction_list_release. Errors:
 * LEEN_E_FORBIDDEN, LEEN_E_NOT_FOUND (/household). */
int leen_reduction_list(struct leen_db *db, const struct leen_actor *actor,
                        const struct leen_reduction_query *q, struct leen_reduction_list *out,
                        struct leen_err *err) __attribute__((warn_unused_result));

/* Frees the items and empties the list; NULL is harmless. */
void leen_reduction_list_release(struct leen_reduction_list *l);

/* Redeems voucher `code` for household `number`, once. The code is
 * matched case-insensitively, ignoring spaces and hyphens. On success
 * *out (may be NULL) holds what the volunteer may see: the household's
 * reduction status today. Errors: LEEN_E_FORBIDDEN (not volunteer,
 * coordinator or admin), LEEN_E_INVALID_FIELD (/code malformed),
 * LEEN_E_NOT_FOUND (/code unknown; /household), LEEN_E_CONFLICT (/code
 * already redeemed, revoked or expired; household anonymised). */
int leen_reduction_redeem(struct leen_db *db, const struct leen_actor *actor, int64_t number,
                          const char *code, struct leen_reduction_status *out,
                          struct leen_err *err) __attribute__((warn_unused_result));

#endif
