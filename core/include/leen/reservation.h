/* Reservations: a household waits for a category, or for one item, from a
 * day on (e.g. the expected birth). One queue per category and one per
 * item, in order of creation. A returned item (condition ok) is set aside
 * ("reserved") for the first household in line for it or its category
 * whose wanted day has come; its reservation becomes "offered" until that
 * household borrows the item (then "fulfilled") or cancels.
 *
 * All functions take the acting user: volunteer or higher, working in the
 * library of the category or item (LEEN_E_FORBIDDEN otherwise). Records
 * own no memory; a list owns its array (leen_reservation_list_release).
 */
#ifndef LEEN_RESERVATION_H
#define LEEN_RESERVATION_H

#include <stddef.h>
#include <stdint.h>

#include "leen/actor.h"
#include "leen/db.h"

struct leen_reservation {
  int64_t id;
  int32_t household;        /* member number */
  char library[64];         /* library slug */
  int64_t category_id;      /* 0 for a wait for one item */
  char item[16];            /* item code of a wait for one item; "" for a category */
  char wanted_from[11];     /* YYYY-MM-DD */
  char status[12];          /* waiting, offered, fulfilled, cancelled */
  char offered_item[16];    /* the item set aside while "offered"; else "" */
  char created_at[40];      /* RFC 3339 */
  int position;             /* 1-based place among the waiting and offered reservations of
                               the same queue; 0 once fulfilled or cancelled */
};

struct leen_reservation_new {
  int32_t household;        /* member number; required */
  int64_t category_id;      /* the category, or 0 when item is given */
  const char *item;         /* one item's code, or NULL (exactly one of the two) */
  const char *wanted_from;  /* YYYY-MM-DD; NULL: today */
};

/* Puts a household in line. A wait for one item that is available now is
 * served at once (the item is set aside, status "offered").
 * Errors: LEEN_E_INVALID_FIELD (/category, /item: neither or both given),
 * LEEN_E_INVALID_DATE (/wanted_from), LEEN_E_NOT_FOUND (/household,
 * /category, /item), LEEN_E_ITEM_NOT_AVAILABLE (a retired or lost item),
 * LEEN_E_CONFLICT (the household already waits in that queue, or has that
 * item), LEEN_E_FORBIDDEN. Returns 0 and fills *out, or -1 with err. */
int leen_reservation_create(struct leen_db *db, const struct leen_actor *who,
                            const struct leen_reservation_new *in, struct leen_reservation *out,
                            struct leen_err *err) __attribute__((warn_unused_result));

/* Cancels a waiting or offered reservation; an item set aside for it goes
 * to the next household in line, or back to available. Errors:
 * LEEN_E_NOT_FOUND, LEEN_E_CONFLICT (already fulfilled or cancelled),
 * LEEN_E_FORBIDDEN. Returns 0 and fills *out (may be NULL), or -1. */
int leen_reservation_cancel(struct leen_db *db, const struct leen_actor *who, int64_t id,
                            struct leen_reservation *out, struct leen_err *err)
    __attribute__((warn_unused_result));

/* One reservation. Errors: LEEN_E_NOT_FOUND, LEEN_E_FORBIDDEN. */
int leen_reservation_get(struct leen_db *db, const struct leen_actor *who, int64_t id,
                         struct leen_reservation *out, struct leen_err *err)
    __attribute__((warn_unused_result));

struct leen_reservation_filter {
  int32_t household;        /* member number; 0: any */
  const char *library;      /* slug; NULL: every library the actor works in */
  int64_t category_id;      /* 0: any */
  int open;                 /* 1: only waiting and offered; 0: all */
  int64_t cursor;           /* 0: from the oldest; else a next_cursor */
  int limit;                /* 1..200; 0: 50 */
};

struct leen_reservation_list {
  struct leen_reservation *items;  /* owned, oldest first */
  size_t n;
  int64_t next_cursor;             /* 0: this is the last page */
};

/* Lists reservations in order of creation, a page at a time (an unknown
 * household gives an empty list). Errors: LEEN_E_NOT_FOUND (/library),
 * LEEN_E_FORBIDDEN,
 * LEEN_E_INVALID_FIELD (/limit). Returns 0 and fills *out, or -1. */
int leen_reservation_list(struct leen_db *db, const struct leen_actor *who,
                          const struct leen_reservation_filter *f,
                          struct leen_reservation_list *out, struct leen_err *err)
    __attribute__((warn_unused_result));
void leen_reservation_list_release(struct leen_reservation_list *list);

#endif
