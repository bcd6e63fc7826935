/* Loans: check-out, return, swap and renew, and reading loans.
 *
 * Every operation here is one call to a function in sql/0005_circulation.sql,
 * so it is one round trip and one transaction; serialisation failures and
 * deadlocks are retried. All take the acting user (leen/actor.h): the role
 * must be volunteer or higher and the actor must work in the item's library
 * (LEEN_E_FORBIDDEN otherwise). Item codes may be in any form that
 * leen_item_code_normalize (leen/item.h) accepts ("FB0042", "fb-0042", a label
 * URL). Households are named by their member number.
 *
 * Records are plain structs. A struct leen_loan filled by these functions
 * owns two pieces of memory (withheld_reason, missing_components): release
 * it with leen_loan_release. On failure nothing is allocated.
 */
#ifndef LEEN_LOAN_H
#define LEEN_LOAN_H

#include <stddef.h>
#include <stdint.h>

#include "leen/actor.h"
#include "leen/db.h"

/* A loan, with the field names of the API's JSON "loan". */
struct leen_loan {
  int64_t id;
  char item[16];               /* item code, "FB0042" */
  int32_t household;           /* member number */
  int64_t child_id;            /* 0: no child named */
  char library[64];            /* library slug */
  char started_at[40];         /* RFC 3339 with the Brussels offset */
  char due_on[11];             /* YYYY-MM-DD */
  int64_t deposit_cents;       /* deposit taken for this loan */
  char deposit_method[12];     /* cash, payconiq, transfer, waived */
  char returned_at[40];        /* RFC 3339; "" while the loan is open */
  char return_condition[16];   /* ok, needs_cleaning, needs_repair; "" while open */
  int64_t refund_cents;        /* 0 while open */
  int64_t withheld_cents;      /* 0 while open */
  char *withheld_reason;       /* owned; NULL when nothing was withheld */
  char **missing_components;   /* owned array of owned strings; NULL when none */
  size_t nmissing;
  int renewals;
  int64_t swapped_from;        /* the loan this one replaced in a swap; 0: none */
  char item_status[12];        /* the item's status now (after a return: where it went) */
  int overdue;                 /* 1: open and due_on lies before today */
};

/* Frees what a loan owns and clears those fields; NULL is harmless. */
void leen_loan_release(struct leen_loan *loan);

struct leen_checkout {
  const char *item;            /* item code; required */
  int32_t household;           /* member number; required */
  int64_t child_id;            /* 0: none; else a child of the household */
  const char *at;              /* back-dated start (RFC 3339, or YYYY-MM-DD for the start of
                                  that day) or NULL for now; coordinator or higher */
  const char *deposit_method;  /* cash (NULL), payconiq, transfer or waived */
};

/* Lends an item. The deposit is the item's own deposit or its category's;
 * with an active reduction on the start day, level social pays the
 * library's social_deposit_percent of it (rounded down), level full pays
 * nothing. due_on is the first opening session on or after the start day
 * plus the category's loan days. An item reserved for this household is
 * lent and the reservation fulfilled.
 * Errors: LEEN_E_NOT_FOUND (/item, /household), LEEN_E_INVALID_FIELD (/child,
 * /deposit_method), LEEN_E_INVALID_DATE (/at: malformed, or in the future),
 * LEEN_E_ITEM_NOT_AVAILABLE (on loan, cleaning, in repair, retired, lost),
 * LEEN_E_RESERVED_FOR_OTHER, LEEN_E_MEMBERSHIP_REQUIRED (no membership in the
 * item's library on the start day), LEEN_E_LOAN_LIMIT_REACHED (open loans in
 * that library >= the membership's slots), LEEN_E_ITEM_UNSAFE (past expires_on,
 * or no safety check recorded where the category needs one), LEEN_E_FORBIDDEN.
 * Returns 0 and fills *out (release it), or -1 with err. */
int leen_loan_checkout(struct leen_db *db, const struct leen_actor *who,
                       const struct leen_checkout *in, struct leen_loan *out,
                       struct leen_err *err) __attribute__((warn_unused_result));

struct leen_return {
  const char *item;                        /* item code; required */
  const char *condition;                   /* ok (NULL), needs_cleaning, needs_repair */
  int64_t withheld_cents;                  /* 0..deposit */
  const char *withheld_reason;             /* required when withheld_cents > 0 (1-500 chars) */
  const char *const *missing_components;   /* names from the category's components */
  size_t nmissing;
  const char *at;                          /* back-dated return or NULL; coordinator or higher */
};

/* Takes an item back and closes its open loan. refund = deposit - withheld
 * goes back by the loan's deposit method; the withheld part goes to
 * withheld_income with the reason. The item becomes: ok -> reserved for the
 * first household in line for it or its category (whose wanted date has
 * come; that reservation becomes "offered"), else available;
 * needs_cleaning -> cleaning; needs_repair -> in_repair.
 * out->refund_cents, out->withheld_cents and out->item_status give the
 * outcome. Errors: LEEN_E_NOT_FOUND (/item), LEEN_E_ALREADY_RETURNED (no open
 * loan), LEEN_E_INVALID_AMOUNT (/withheld_cents negative or above the
 * deposit), LEEN_E_INVALID_FIELD (/condition, /withheld_reason,
 * /missing_components), LEEN_E_INVALID_DATE (/at), LEEN_E_FORBIDDEN.
 * Returns 0 and fills *out (release it), or -1 with err. */
int leen_loan_return(struct leen_db *db, const struct leen_actor *who,
                     const struct leen_return *in, struct leen_loan *out,
                     struct leen_err *err) __attribute__((warn_unused_result));

struct leen_swap {
  const char *return_item;     /* the item coming back; required */
  const char *item;            /* the item going out; required, same library */
  const char *condition;       /* of the returned item; NULL: ok */
  const char *deposit_method;  /* how a difference is paid; NULL: the returned loan's method */
};

struct leen_swap_result {
  struct leen_loan returned;   /* the closed loan; refund_cents = its whole deposit */
  struct leen_loan loan;       /* the new loan (swapped_from = returned.id, same child) */
  int64_t deposit_delta_cents; /* > 0: the family pays it; < 0: the family gets it back */
};

/* Returns one item and lends another to the same household in one
 * transaction. The deposit carries over; only the difference is posted
 * (deposit_taken on the new loan or deposit_refunded on the old). The new
 * loan uses the slot the returned one frees. Errors: those of return and
 * check-out, and LEEN_E_INVALID_FIELD (/item: the same item, or another
 * library). Returns 0 and fills *out (release with leen_swap_result_release),
 * or -1 with err. */
int leen_loan_swap(struct leen_db *db, const struct leen_actor *who, const struct leen_swap *in,
                   struct leen_swap_result *out, struct leen_err *err)
    __attribute__((warn_unused_result));
void leen_swap_result_release(struct leen_swap_result *r);

/* Extends an open loan: due_on becomes the first session on or after today
 * plus the category's loan days, renewals goes up by one. Errors:
 * LEEN_E_NOT_FOUND, LEEN_E_ALREADY_RETURNED, LEEN_E_CONFLICT (a reservation
 * waits for the item or its category), LEEN_E_FORBIDDEN.
 * Returns 0 and fills *out (release it), or -1 with err. */
int leen_loan_renew(struct leen_db *db, const struct leen_actor *who, int64_t loan_id,
                    struct leen_loan *out, struct leen_err *err)
    __attribute__((warn_unused_result));

/* One loan by id. Errors: LEEN_E_NOT_FOUND, LEEN_E_FORBIDDEN (another
 * library's loan). Returns 0 and fills *out (release it), or -1 with err. */
int leen_loan_get(struct leen_db *db, const struct leen_actor *who, int64_t loan_id,
                  struct leen_loan *out, struct leen_err *err)
    __attribute__((warn_unused_result));

struct leen_loan_filter {
  int32_t household;           /* member number; 0: any */
  const char *library;         /* slug; NULL: every library the actor works in */
  int open;                    /* -1: any, 1: open only, 0: returned only */
  int overdue;                 /* 1: only open loans due before today */
  int64_t cursor;              /* 0: from the newest; else a next_cursor */
  int limit;                   /* 1..200; 0: 50 */
};

struct leen_loan_list {
  struct leen_loan *items;     /* owned, newest first */
  size_t n;
  int64_t next_cursor;         /* 0: this is the last page */
};

/* Lists loans, newest first, a page at a time (keyset on the id).
 * Errors: LEEN_E_NOT_FOUND (/library, /household), LEEN_E_FORBIDDEN (a library
 * the actor does not work in), LEEN_E_INVALID_FIELD (/limit).
 * Returns 0 and fills *out (release with leen_loan_list_release), or -1. */
int leen_loan_list(struct leen_db *db, const struct leen_actor *who,
                   const struct leen_loan_filter *f, struct leen_loan_list *out,
                   struct leen_err *err) __attribute__((warn_unused_result));
void leen_loan_list_release(struct leen_loan_list *list);

#endif
