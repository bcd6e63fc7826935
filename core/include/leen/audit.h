/* Reading the audit trail: who did what to which record, newest first,
 * a page at a time. The trail is written by core itself inside each
 * change's transaction; this header only reads it, and reading it is
 * not audited (the trail would otherwise grow with every look at it).
 *
 * Who sees which rows (the same rule docs/statistics.md and the API
 * documentation state):
 *   - an admin sees every row of the org: rows written by a user of the
 *     org, and rows written without a user (imports, demo data) whose
 *     entity belongs to the org;
 *   - a coordinator sees the rows they wrote themselves, and the rows
 *     about an entity of one of their libraries: the library itself, and
 *     a loan, reservation, item, category, membership or schedule
 *     exception of it; a household counts when it holds (or held) a
 *     membership in, or a loan from, one of their libraries. Rows about
 *     reductions, users and tokens are never a library's: a coordinator
 *     sees them only when they wrote them;
 *   - everyone else: LEEN_E_FORBIDDEN.
 * A row whose entity no longer exists (or names no id) counts as
 * belonging to no library. */
#ifndef LEEN_AUDIT_H
#define LEEN_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include "leen/actor.h"
#include "leen/db.h"

/* The longest page one call returns. */
#define LEEN_AUDIT_MAX_LIMIT 200

/* One audit row. */
struct leen_audit_entry {
  int64_t id;
  char at[32];                 /* RFC 3339 with the Brussels offset */
  int64_t user_id;             /* 0: written without a user (imports, demo data) */
  char username[65];           /* "" when user_id is 0 */
  char action[61];             /* "loan.checkout", "create", "read", ... */
  char entity[41];             /* "loan", "household", "reduction", ... */
  char *entity_id;             /* owned; NULL when the row names no record */
  char *details;               /* owned; a JSON object as text, "{}" at least */
};

/* What to list. Every NULL (or "") condition is left out. */
struct leen_audit_filter {
  const char *entity;          /* exactly this entity */
  const char *entity_id;       /* exactly this id (text as written: "42", "10042") */
  const char *username;        /* rows written by this user */
  const char *action;          /* exactly this action */
  const char *from;            /* YYYY-MM-DD: rows from this Brussels day on */
  const char *to;              /* YYYY-MM-DD: rows up to and including this day */
  int64_t cursor;              /* 0: from the newest; else a next_cursor */
  int limit;                   /* 1..LEEN_AUDIT_MAX_LIMIT; 0: 50 */
};

struct leen_audit_list {
  struct leen_audit_entry *items;  /* owned, newest first (descending id) */
  size_t n;
  int64_t next_cursor;             /* 0: this is the last page */
};

/* Lists the audit rows `who` may see (see above) that match f, newest
 * first (in the order they were written: descending id), at most
 * f->limit of them. A username nobody has simply matches no row.
 * Errors: LEEN_E_FORBIDDEN (not a coordinator or admin), LEEN_E_INVALID_DATE
 * (/from, /to: not a date that exists), LEEN_E_INVALID_FIELD (/to before
 * /from; /limit out of range; /cursor negative; /entity, /entity_id,
 * /username, /action longer than the column allows),
 * LEEN_E_DB_UNAVAILABLE. Returns 0 and fills *out (release it with
 * leen_audit_list_release), or -1 with err and *out empty. */
int leen_audit_list(struct leen_db *db, const struct leen_actor *who,
                    const struct leen_audit_filter *f, struct leen_audit_list *out,
                    struct leen_err *err) __attribute__((warn_unused_result));

/* Frees what the list owns and empties it; NULL is harmless. */
void leen_audit_list_release(struct leen_audit_list *list);

#endif
