/* Opening sessions of a library: generated from its schedule rules
 * ("every Wednesday 14:00-17:00", "the 3rd Saturday 10:00-12:00, closed in
 * January", "the last Friday"), plus one-off openings, minus closures. A
 * one-off opening counts even inside a closure: it was added on purpose.
 * Days and hours are Europe/Brussels local.
 *
 * Who may do what: anyone who logged in reads the sessions of a library of
 * their org; a coordinator of the library (or an admin) adds closures and
 * one-off openings. A library of another org is LEEN_E_NOT_FOUND.
 *
 * Every function returns 0 on success, or -1 with err (may be NULL)
 * filled; LEEN_E_DB_UNAVAILABLE or LEEN_E_BUSY can come from any of them. */
#ifndef LEEN_SCHEDULE_H
#define LEEN_SCHEDULE_H

#include <stddef.h>
#include <stdint.h>

#include "leen/actor.h"
#include "leen/db.h"
#include "leen/error.h"

/* A library has at most this many schedule rules. */
#define LEEN_SCHEDULE_MAX_RULES 16

/* One schedule rule as stored (see leen/library.h for writing them). */
struct leen_schedule_rule {
  char freq[8];              /* "weekly" or "monthly" */
  int nth;                   /* monthly: 1..5, or -1 for the last; weekly: 0 */
  int weekday;               /* ISO: 1 Monday ... 7 Sunday */
  char start[6];             /* "HH:MM" */
  char end[6];               /* "HH:MM", after start */
  int closed_months[12];     /* months (1..12) in which the rule does not hold, ascending */
  size_t nclosed_months;
};

/* One rule as a caller gives it: the core checks every value and names the
 * offending one (/schedule/0/weekday ...). Numbers are int64_t so that no
 * value is cut short before it is checked. */
struct leen_schedule_rule_new {
  const char *freq;              /* "weekly" or "monthly" */
  int64_t nth;                   /* monthly: 1..5 or -1; weekly: 0 */
  int64_t weekday;               /* 1..7 */
  const char *start;             /* "HH:MM" */
  const char *end;               /* "HH:MM", after start */
  const int64_t *closed_months;  /* 1..12, no repeats; may be NULL when nclosed_months is 0 */
  size_t nclosed_months;
};

/* One opening session. */
struct leen_session {
  char date[11];             /* "YYYY-MM-DD" */
  char start[6];             /* "HH:MM"; the earliest start when rules overlap */
  char end[6];               /* "HH:MM"; the latest end */
};

/* The longest period leen_session_list answers for, in days. */
#define LEEN_SESSIONS_MAX_DAYS 731

/* Lists the sessions of library `slug` from `from` to `to` (inclusive,
 * "YYYY-MM-DD"), in date order. On success *out is a malloc'ed array of
 * *n sessions (NULL when *n is 0) that the caller frees with free().
 * Errors: LEEN_E_INVALID_DATE (/from, /to: badly formed, or to before
 * from), LEEN_E_INVALID_FIELD (/to: more than LEEN_SESSIONS_MAX_DAYS),
 * LEEN_E_NOT_FOUND (/library). */
int leen_session_list(struct leen_db *db, const struct leen_actor *actor, const char *slug,
                      const char *from, const char *to, struct leen_session **out, size_t *n,
                      struct leen_err *err) __attribute__((warn_unused_result));

/* Closes library `slug` from `from` to `to` (inclusive; the same day for a
 * single day; at most 366 days). note (may be NULL) is at most 500
 * characters. Sets *id (may be NULL) to the closure's id; audited as
 * "schedule.closure". Errors: LEEN_E_INVALID_DATE (/from, /to),
 * LEEN_E_INVALID_FIELD (/to: period too long; /note), LEEN_E_FORBIDDEN (not
 * a coordinator of the library or an admin), LEEN_E_NOT_FOUND (/library). */
int leen_closure_add(struct leen_db *db, const struct leen_actor *actor, const char *slug,
                     const char *from, const char *to, const char *note, int64_t *id,
                     struct leen_err *err) __attribute__((warn_unused_result));

/* Adds a one-off opening of library `slug` on `date` from `start` to `end`
 * ("HH:MM"). Sets *id (may be NULL); audited as "schedule.opening".
 * Errors: LEEN_E_INVALID_DATE (/date), LEEN_E_INVALID_FIELD (/start, /end:
 * badly formed or end not after start; /note), LEEN_E_FORBIDDEN,
 * LEEN_E_NOT_FOUND (/library). */
int leen_opening_add(struct leen_db *db, const struct leen_actor *actor, const char *slug,
                     const char *date, const char *start, const char *end, const char *note,
                     int64_t *id, struct leen_err *err) __attribute__((warn_unused_result));

/* The due date of a loan in library `library_id` started on `start_date`
 * ("YYYY-MM-DD") for `loan_days` days (0..3660): the first session on or
 * after start + loan days, or start + loan days itself when no session
 * comes in the 400 days after it. Writes "YYYY-MM-DD" into out. Checks no
 * actor (other core operations call it); runs inside the caller's
 * transaction when there is one. Errors: LEEN_E_INVALID_DATE
 * (/start_date), LEEN_E_INVALID_FIELD (/loan_days), LEEN_E_NOT_FOUND
 * (/library). */
int leen_due_date(struct leen_db *db, int64_t library_id, const char *start_date, int64_t loan_days,
                  char out[11], struct leen_err *err) __attribute__((warn_unused_result));

#endif
