/* Households ("gezinnen"), the members: a member number assigned on
 * creation, a display name, optional contact details, a postcode, a
 * language and children. A household belongs to the org of the actor who
 * created it; actors of other orgs never see it (LEEN_E_NOT_FOUND).
 *
 * Who may do what: volunteers, coordinators and admins create, find, read
 * and update households; social workers may only read one by its number
 * (to issue a reduction or voucher). Everyone else gets LEEN_E_FORBIDDEN.
 *
 * Privacy: a household record shows its reduction only as {active,
 * valid_until}; the level, reference and issuer stay with the social
 * service (leen/reduction.h).
 *
 * Records returned through an out parameter own their strings: release
 * them with leen_household_release / leen_household_list_release. On
 * failure the out parameter is left empty (safe to release).
 * Every function returns 0 on success, or -1 with err (may be NULL)
 * filled; LEEN_E_DB_UNAVAILABLE or LEEN_E_BUSY can come from any of them. */
#ifndef LEEN_HOUSEHOLD_H
#define LEEN_HOUSEHOLD_H

#include <stddef.h>
#include <stdint.h>

#include "leen/actor.h"
#include "leen/db.h"
#include "leen/error.h"
#include "leen/reduction.h"

#define LEEN_HOUSEHOLD_MAX_CHILDREN 20

struct leen_child {
  int64_t id;
  char *first_name;          /* NULL when not given */
  char birth_month[8];       /* "YYYY-MM" (may lie ahead: an expected birth) */
};

struct leen_household {
  int64_t id;                /* internal row id (not shown to people) */
  int64_t number;            /* member number: how people and the API name it */
  char *name;
  char *email;               /* NULL when not given */
  char *phone;               /* NULL when not given */
  char *postcode;            /* four digits; NULL when not given */
  char language[4];          /* "nl", "fr", ... */
  struct leen_child *children;  /* in id order; NULL when nchildren is 0 */
  size_t nchildren;
  struct leen_reduction_status reduction;  /* today */
  int version;               /* bumped by every update: the API's ETag */
};

/* Frees what the record owns and zeroes it; NULL is harmless. */
void leen_household_release(struct leen_household *h);

struct leen_child_new {
  const char *first_name;    /* NULL or "": not given; else 1 to 100 characters */
  const char *birth_month;   /* "YYYY-MM"; required */
};

struct leen_household_new {
  const char *name;          /* 1 to 200 characters; required */
  const char *email;         /* NULL or "": none */
  const char *phone;         /* NULL or "": none; else 3 to 40 characters */
  const char *postcode;      /* NULL or "": none; else four digits */
  const char *language;      /* NULL: "nl"; else nl fr en de ar tr uk ru ro pl so ti prs ps */
  const struct leen_child_new *children;  /* may be NULL when nchildren is 0 */
  size_t nchildren;          /* at most LEEN_HOUSEHOLD_MAX_CHILDREN */
};

/* Creates a household in the actor's org; the member number comes from a
 * sequence. On success *out holds the new record. Errors:
 * LEEN_E_FORBIDDEN, LEEN_E_INVALID_FIELD (/name, /email, /phone,
 * /postcode, /language, /children, /children/N/first_name),
 * LEEN_E_INVALID_DATE (/children/N/birth_month). */
int leen_household_create(struct leen_db *db, const struct leen_actor *actor,
                          const struct leen_household_new *h, struct leen_household *out,
                          struct leen_err *err) __attribute__((warn_unused_result));

/* Reads household `number` into *out. Errors: LEEN_E_FORBIDDEN,
 * LEEN_E_NOT_FOUND. */
int leen_household_get(struct leen_db *db, const struct leen_actor *actor, int64_t number,
                       struct leen_household *out, struct leen_err *err)
    __attribute__((warn_unused_result));

/* Bits of leen_household_patch.set: which fields the patch changes. A set
 * bit with a NULL or "" value clears an optional field. */
enum {
  LEEN_HOUSEHOLD_SET_NAME = 1u << 0,
  LEEN_HOUSEHOLD_SET_EMAIL = 1u << 1,
  LEEN_HOUSEHOLD_SET_PHONE = 1u << 2,
  LEEN_HOUSEHOLD_SET_POSTCODE = 1u << 3,
  LEEN_HOUSEHOLD_SET_LANGUAGE = 1u << 4,
};

struct leen_household_patch {
  unsigned set;              /* LEEN_HOUSEHOLD_SET_* bits */
  const char *name, *email, *phone, *postcode, *language;  /* rules as in _new */
  const struct leen_child_new *add_children;   /* may be NULL when nadd is 0 */
  size_t nadd;
  const int64_t *remove_children;              /* child ids; may be NULL when nremove is 0 */
  size_t nremove;
  int expected_version;      /* the version the caller read (If-Match); 0: no check */
};

/* Updates household `number` as one change: fields, then children removed,
 * then children added; the version goes up by one. On success *out holds
 * the record as it is now. Errors: LEEN_E_FORBIDDEN, LEEN_E_NOT_FOUND
 * (the household; /remove_children/N: not a child of it),
 * LEEN_E_PRECONDITION_FAILED (version is not expected_version),
 * LEEN_E_INVALID_FIELD / LEEN_E_INVALID_DATE as for create (children
 * pointers are /add_children/N/...), LEEN_E_CONFLICT (anonymised
 * household; /remove_children/N: a child named on a loan; too many
 * children). */
int leen_household_update(struct leen_db *db, const struct leen_actor *actor, int64_t number,
                          const struct leen_household_patch *p, struct leen_household *out,
                          struct leen_err *err) __attribute__((warn_unused_result));

struct leen_household_query {
  int64_t number;            /* 0: any; else that member number only */
  const char *name;          /* NULL or "": any; else case-insensitive match */
  int name_prefix;           /* nonzero: name must start with it; 0: contain it */
  const char *email;         /* NULL or "": any; else equal, case-insensitive */
  const char *postcode;      /* NULL or "": any; else equal */
  size_t limit;              /* 0: 50; at most 200 */
  int64_t after;             /* cursor: member numbers greater than this; 0 from the start */
};

struct leen_household_list {
  struct leen_household *items;  /* in member number order */
  size_t n;
  int64_t next_after;        /* cursor for the next page; 0 when this is the last */
};

/* Finds households of the actor's org matching every given criterion.
 * On success *out owns its items. Errors: LEEN_E_FORBIDDEN. */
int leen_household_find(struct leen_db *db, const struct leen_actor *actor,
                        const struct leen_household_query *q, struct leen_household_list *out,
                        struct leen_err *err) __attribute__((warn_unused_result));

/* Frees every item and empties the list; NULL is harmless. */
void leen_household_list_release(struct leen_household_list *l);

#endif
