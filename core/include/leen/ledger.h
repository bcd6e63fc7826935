/* The money of a household: its ledger lines, its balance, and payments.
 *
 * The ledger is double entry (sql/0002_domain.sql): every journal's lines
 * sum to zero. The "household" account holds what a family owes (positive:
 * it owes; a membership fee adds, a reduction and a payment take off).
 * Deposits do not pass through it: they sit in "deposits_held" until the
 * return. All functions take the acting user: volunteer or higher, of the
 * household's org (LEEN_E_FORBIDDEN / LEEN_E_NOT_FOUND otherwise).
 */
#ifndef LEEN_LEDGER_H
#define LEEN_LEDGER_H

#include <stddef.h>
#include <stdint.h>

#include "leen/actor.h"
#include "leen/db.h"

struct leen_ledger_line {
  int64_t id;
  int64_t journal_id;         /* the lines of one journal balance */
  char kind[20];              /* membership_fee, fee_reduction, deposit_taken, deposit_refunded,
                                 deposit_withheld, donation, payment, correction */
  char account[20];           /* household, cash, payconiq, transfer, waived, fee_income,
                                 fee_reduction, deposits_held, withheld_income, donations */
  int64_t amount_cents;       /* signed: debit positive, credit negative */
  char library[64];           /* slug, or "" when the line belongs to no library */
  int64_t loan_id;            /* 0: none */
  int64_t membership_id;      /* 0: none */
  char created_at[40];        /* RFC 3339 */
  char *reason;               /* owned; NULL when none */
};

struct leen_ledger_list {
  struct leen_ledger_line *items;  /* owned, oldest first */
  size_t n;
  int64_t next_cursor;             /* 0: this is the last page */
};

/* Lines of a household, oldest first, a page at a time. all_accounts 0:
 * the household account only (what the family owes and paid); 1: every
 * line posted for the household (deposits, donations and the counter
 * accounts too). cursor 0 starts at the beginning; limit 1..500 (0: 100).
 * Errors: LEEN_E_NOT_FOUND (/household), LEEN_E_INVALID_FIELD (/limit),
 * LEEN_E_FORBIDDEN. Returns 0 and fills *out (release with
 * leen_ledger_list_release), or -1 with err. */
int leen_ledger_list(struct leen_db *db, const struct leen_actor *who, int32_t household,
                     int all_accounts, int64_t cursor, int limit, struct leen_ledger_list *out,
                     struct leen_err *err) __attribute__((warn_unused_result));
void leen_ledger_list_release(struct leen_ledger_list *list);

struct leen_balance {
  int64_t balance_cents;        /* the household account: > 0 the family owes, < 0 in credit */
  int64_t deposits_held_cents;  /* deposits the libraries hold for the family now */
};

/* The balances of a household. Errors: LEEN_E_NOT_FOUND (/household),
 * LEEN_E_FORBIDDEN. Returns 0 and fills *out, or -1 with err. */
int leen_ledger_balance(struct leen_db *db, const struct leen_actor *who, int32_t household,
                        struct leen_balance *out, struct leen_err *err)
    __attribute__((warn_unused_result));

struct leen_payment {
  int32_t household;          /* member number; required */
  const char *kind;           /* payment (NULL): pays what is owed; donation: a gift */
  int64_t amount_cents;       /* 1 .. 100000000 */
  const char *method;         /* cash (NULL), payconiq, transfer; waived (a payment only,
                                 coordinator or higher: the library forgives the debt) */
  const char *library;        /* slug of the library taking it, or NULL */
};

struct leen_payment_result {
  int64_t journal_id;
  int64_t balance_cents;      /* the household account after the payment */
};

/* Records money received as one balanced journal: a payment debits the
 * method's account and credits the household; a donation credits
 * "donations". Errors: LEEN_E_INVALID_AMOUNT (/amount_cents),
 * LEEN_E_INVALID_FIELD (/kind, /method), LEEN_E_NOT_FOUND (/household,
 * /library), LEEN_E_FORBIDDEN. Returns 0 and fills *out, or -1 with err. */
int leen_ledger_record_payment(struct leen_db *db, const struct leen_actor *who,
                               const struct leen_payment *in, struct leen_payment_result *out,
                               struct leen_err *err) __attribute__((warn_unused_result));

#endif
