/* Items a library lends, named by their code: the library's prefix and a
 * number ("FB0042", shown to people as "FB-0042"). Codes are assigned per
 * library in order (FB0001, FB0002 ...) and never reused.
 *
 * Statuses: "available", "on_loan", "reserved", "cleaning", "in_repair",
 * "retired", "lost". Check-out sets "on_loan" and a return moves the item
 * off it; a returned item set aside for a reservation becomes "reserved".
 * An edit (leen_item_update) may set "available", "cleaning", "in_repair",
 * "retired" or "lost", never "on_loan" or "reserved", and cannot change the
 * status of an item on loan (return it first) or reserved (cancel the
 * reservation first).
 *
 * Who may do what: a coordinator of the item's library (or an admin)
 * creates and edits items; volunteers, coordinators and admins of the org
 * read them (items hold no personal data). Social workers get
 * LEEN_E_FORBIDDEN. Items of another org are LEEN_E_NOT_FOUND.
 *
 * Every function returns 0 on success, or -1 with err (may be NULL)
 * filled; LEEN_E_DB_UNAVAILABLE or LEEN_E_BUSY can come from any of them. */
#ifndef LEEN_ITEM_H
#define LEEN_ITEM_H

#include <stddef.h>
#include <stdint.h>

#include "leen/actor.h"
#include "leen/db.h"
#include "leen/error.h"
#include "leen/library.h"

/* The largest attributes object accepted, in bytes of JSON text. */
#define LEEN_ITEM_ATTRIBUTES_MAX 8192

/* An item as stored. Owns `attributes`: release with leen_item_release. */
struct leen_item {
  int64_t id;
  char code[16];               /* "FB0042" */
  int64_t library_id;
  char library[64];            /* the library's slug */
  int64_t category_id;
  char category[404];          /* the category's name */
  char name[804];              /* up to 200 characters */
  char *attributes;            /* JSON object text, e.g. {"wheel_inch": 16}; never NULL once read */
  char expires_on[11];         /* "YYYY-MM-DD"; "" when the item does not expire */
  int64_t deposit_cents;       /* the item's own deposit; -1: the category's applies */
  char safety_checked_on[11];  /* "YYYY-MM-DD"; "" when never checked */
  char status[12];
  int64_t reserved_for;        /* member number of the household it waits for; 0 when none */
  int64_t version;             /* 1 when created, +1 on every change: the ETag */
};

/* Frees what the item owns and empties it; NULL is harmless. */
void leen_item_release(struct leen_item *item);

/* An item as a caller gives it; pointers are borrowed for the call. */
struct leen_item_new {
  const char *library;           /* library slug; NULL on create: the category's library.
                                    Not changed by an update. */
  int64_t category_id;           /* a category of the library */
  const char *name;              /* 1..200 characters */
  const char *attributes;        /* a JSON object's text, at most LEEN_ITEM_ATTRIBUTES_MAX
                                    bytes; NULL on create: {} */
  const char *expires_on;        /* "YYYY-MM-DD"; NULL or "": none */
  int64_t deposit_cents;         /* 0..100000000; LEEN_UNSET: the category's deposit */
  const char *safety_checked_on; /* "YYYY-MM-DD"; NULL or "": none */
  const char *status;            /* update only; NULL on create (a new item is available) */
};

/* Fills it with the defaults: no strings, category 0, deposit LEEN_UNSET. */
void leen_item_new_init(struct leen_item_new *it);

/* Fields of a leen_item_new an update changes (an OR of these). */
enum leen_item_field {
  LEEN_ITEM_NAME = 1u << 0,
  LEEN_ITEM_ATTRIBUTES = 1u << 1,
  LEEN_ITEM_EXPIRES_ON = 1u << 2,
  LEEN_ITEM_CATEGORY_ID = 1u << 3,
  LEEN_ITEM_SAFETY_CHECKED_ON = 1u << 4,
  LEEN_ITEM_STATUS = 1u << 5,
  LEEN_ITEM_DEPOSIT_CENTS = 1u << 6,
};

/* Creates an item with the library's next code, under a lock on the
 * library so concurrent creates never share a number. On success *out
 * (may be NULL) holds it; release it with leen_item_release. Audited as
 * "item.create". Errors: LEEN_E_INVALID_FIELD (/name, /attributes,
 * /category_id: not a category of /library, /status), LEEN_E_INVALID_DATE
 * (/expires_on, /safety_checked_on), LEEN_E_INVALID_AMOUNT
 * (/deposit_cents), LEEN_E_FORBIDDEN (not a coordinator of the library or
 * an admin), LEEN_E_NOT_FOUND (/library, /category_id). */
int leen_item_create(struct leen_db *db, const struct leen_actor *actor,
                     const struct leen_item_new *it, struct leen_item *out, struct leen_err *err)
    __attribute__((warn_unused_result));

/* Reads the item named by `code` in any form leen_item_code_normalize
 * accepts. On success *out holds it (release with leen_item_release).
 * Errors: LEEN_E_INVALID_FIELD (/code: not a code), LEEN_E_FORBIDDEN,
 * LEEN_E_NOT_FOUND (/code). */
int leen_item_get(struct leen_db *db, const struct leen_actor *actor, const char *code,
                  struct leen_item *out, struct leen_err *err) __attribute__((warn_unused_result));

struct leen_item_query {
  const char *library;       /* library slug; NULL: every library of the org */
  int64_t category_id;       /* 0: any */
  const char *status;        /* NULL: any */
  size_t limit;              /* 0: 50; at most 500 */
  int64_t after;             /* cursor: items created after item id `after`; 0 from the start */
};

struct leen_item_list {
  struct leen_item *items;   /* in the order they were created (code order in a library) */
  size_t n;
  int64_t next_after;        /* cursor for the next page; 0 when this is the last */
};

/* Lists items. On success *out owns its items: free them with
 * leen_item_list_release. Errors: LEEN_E_INVALID_FIELD (/status, /limit,
 * /after), LEEN_E_FORBIDDEN, LEEN_E_NOT_FOUND (/library). */
int leen_item_list(struct leen_db *db, const struct leen_actor *actor,
                   const struct leen_item_query *q, struct leen_item_list *out,
                   struct leen_err *err) __attribute__((warn_unused_result));

/* Frees the items and empties the list; NULL is harmless. */
void leen_item_list_release(struct leen_item_list *l);

/* Changes the `fields` (enum leen_item_field) of the item named by `code`
 * from it; other members of it are not read. expected_version is the
 * version the caller read (If-Match); 0 skips the check. A category must
 * belong to the item's library. On success *out (may be NULL) holds the
 * item with its new version (release with leen_item_release). Audited as
 * "item.update" with the fields changed and the status before and after.
 * Errors: as create, and LEEN_E_PRECONDITION_FAILED (the version moved
 * on), LEEN_E_INVALID_FIELD (/status: unknown, or "on_loan"/"reserved"),
 * LEEN_E_CONFLICT (/status: the item is on loan or reserved),
 * LEEN_E_NOT_FOUND (/code, /category_id). */
int leen_item_update(struct leen_db *db, const struct leen_actor *actor, const char *code,
                     const struct leen_item_new *it, unsigned fields, int64_t expected_version,
                     struct leen_item *out, struct leen_err *err)
    __attribute__((warn_unused_result));

/* Normalises an item code as people and scanners give it: "FB0042",
 * "fb-0042", "FB-0042", or a label URL ending in the code
 * ("https://leen.example/i/FB0042"); surrounding white space is ignored.
 * Writes the canonical code ("FB0042": capitals, the number with at least
 * four digits) into out and returns 0; returns -1 (out holds "") for
 * anything else: empty, longer than 256 bytes, other characters, "..",
 * "%" escapes, a URL with a query, or a number that is 0 or over 999999.
 * in may be NULL (-1). Touches no database. */
int leen_item_code_normalize(const char *in, char out[16]);

#endif
