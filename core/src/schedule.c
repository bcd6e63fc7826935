#include "leen/schedule.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "journal.h"
#include "library_int.h"

static const struct leen_stmt stmts[] = {
  {"schedule_sessions",
   "SELECT to_char(day, 'YYYY-MM-DD'), to_char(starts_at, 'HH24:MI'), to_char(ends_at, 'HH24:MI')"
   " FROM leen_sessions($1::bigint, $2::date, $3::date) ORDER BY day"},
  {"schedule_exception_insert",
   "INSERT INTO schedule_exceptions (library_id, kind, from_date, to_date, starts_at, ends_at,"
   " note, created_by)"
   " VALUES ($1::bigint, $2, $3::date, $4::date, $5::time, $6::time, $7, nullif($8::bigint, 0))"
   " RETURNING id"},
  {"schedule_due_date",
   "SELECT to_char(leen_due_date(l.id, $2::date, $3::int), 'YYYY-MM-DD')"
   " FROM libraries l WHERE l.id = $1::bigint"},
};
enum { S_SESSIONS, S_EXCEPTION_INSERT, S_DUE_DATE };

int leen_session_list(struct leen_db *db, const struct leen_actor *actor, const char *slug,
                      const char *from, const char *to, struct leen_session **out, size_t *n,
                      struct leen_err *err)
{
  *out = NULL;
  *n = 0;
  if (!lib_date_ok(from))
    return leen_error_field(err, LEEN_E_INVALID_DATE, "/from", "from must be a date YYYY-MM-DD");
  if (!lib_date_ok(to))
    return leen_error_field(err, LEEN_E_INVALID_DATE, "/to", "to must be a date YYYY-MM-DD");
  int64_t days = lib_day_number(to) - lib_day_number(from);
  if (days < 0)
    return leen_error_field(err, LEEN_E_INVALID_DATE, "/to", "to cannot come before from");
  if (days >= LEEN_SESSIONS_MAX_DAYS)
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/to",
                            "ask for at most %d days of sessions at once", LEEN_SESSIONS_MAX_DAYS);
  struct library_ref lib;
  if (library_find(db, actor, slug, "/library", 0, &lib, err) < 0)
    return -1;
  char id[24];
  const char *p[] = {lib_i64(id, lib.id), from, to};
  PGresult *r = db_exec(db, &stmts[S_SESSIONS], 3, p, err);
  if (!r)
    return -1;
  size_t count = (size_t)PQntuples(r);
  struct leen_session *s = count ? calloc(count, sizeof *s) : NULL;
  if (count && !s) {
    PQclear(r);
    return leen_error(err, LEEN_E_INTERNAL, "out of memory");
  }
  for (size_t i = 0; i < count; i++) {
    lib_copy(s[i].date, sizeof s[i].date, db_text(r, (int)i, 0));
    lib_copy(s[i].start, sizeof s[i].start, db_text(r, (int)i, 1));
    lib_copy(s[i].end, sizeof s[i].end, db_text(r, (int)i, 2));
  }
  PQclear(r);
  *out = s;
  *n = count;
  return 0;
}

struct exception_ctx {
  const struct leen_actor *a;
  const char *slug;
  const char *kind;        /* "closed" or "open" */
  const char *from, *to, *start, *end, *note;
  int64_t id;
};

static int exception_tx(struct leen_db *db, void *p, struct leen_err *err)
{
  struct exception_ctx *c = p;
  struct library_ref lib;
  if (library_find(db, c->a, c->slug, "/library", 0, &lib, err) < 0)
    return -1;
  if (library_coordinator(c->a, lib.id, strcmp(c->kind, "closed") == 0
                                            ? "close it" : "add an opening", err) < 0)
    return -1;
  char libid[24], uid[24];
  const char *params[] = {lib_i64(libid, lib.id), c->kind, c->from, c->to, c->start, c->end,
                          c->note && *c->note ? c->note : NULL, lib_i64(uid, c->a->user_id)};
  PGresult *r = db_exec(db, &stmts[S_EXCEPTION_INSERT], 8, params, err);
  if (!r)
    return -1;
  c->id = db_int64(r, 0, 0);
  PQclear(r);
  char id[24], details[200];
  if (c->start)
    snprintf(details, sizeof details,
             "{\"library\": \"%s\", \"date\": \"%s\", \"start\": \"%s\", \"end\": \"%s\"}",
             lib.slug, c->from, c->start, c->end);
  else
    snprintf(details, sizeof details, "{\"library\": \"%s\", \"from\": \"%s\", \"to\": \"%s\"}",
             lib.slug, c->from, c->to);
  return audit_log(db, c->a, c->start ? "schedule.opening" : "schedule.closure",
                   "schedule_exception", lib_i64(id, c->id), details, err);
}

static int note_ok(const char *note, struct leen_err *err)
{
  if (note && *note && !lib_text_ok(note, 1, 500))
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/note",
                            "a note is at most 500 characters without control characters");
  return 0;
}

int leen_closure_add(struct leen_db *db, const struct leen_actor *actor, const char *slug,
                     const char *from, const char *to, const char *note, int64_t *id,
                     struct leen_err *err)
{
  if (!lib_date_ok(from))
    return leen_error_field(err, LEEN_E_INVALID_DATE, "/from", "from must be a date YYYY-MM-DD");
  if (!lib_date_ok(to))
    return leen_error_field(err, LEEN_E_INVALID_DATE, "/to", "to must be a date YYYY-MM-DD");
  if (note_ok(note, err) < 0)
    return -1;
  int64_t days = lib_day_number(to) - lib_day_number(from);
  if (days < 0)
    return leen_error_field(err, LEEN_E_INVALID_DATE, "/to", "to cannot come before from");
  if (days >= 366)
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/to",
                            "a closure lasts at most 366 days: change the schedule instead");
  struct exception_ctx c = {actor, slug, "closed", from, to, NULL, NULL, note, 0};
  if (db_tx(db, exception_tx, &c, err) < 0)
    return -1;
  if (id)
    *id = c.id;
  return 0;
}

int leen_opening_add(struct leen_db *db, const struct leen_actor *actor, const char *slug,
                     const char *date, const char *start, const char *end, const char *note,
                     int64_t *id, struct leen_err *err)
{
  if (!lib_date_ok(date))
    return leen_error_field(err, LEEN_E_INVALID_DATE, "/date", "date must be a date YYYY-MM-DD");
  if (!lib_time_ok(start))
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/start", "start must be a time \"HH:MM\"");
  if (!lib_time_ok(end))
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/end", "end must be a time \"HH:MM\"");
  if (strcmp(end, start) <= 0)
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/end", "end must come after start");
  if (note_ok(note, err) < 0)
    return -1;
  struct exception_ctx c = {actor, slug, "open", date, date, start, end, note, 0};
  if (db_tx(db, exception_tx, &c, err) < 0)
    return -1;
  if (id)
    *id = c.id;
  return 0;
}

int leen_due_date(struct leen_db *db, int64_t library_id, const char *start_date, int64_t loan_days,
                  char out[11], struct leen_err *err)
{
  out[0] = '\0';
  if (!lib_date_ok(start_date))
    return leen_error_field(err, LEEN_E_INVALID_DATE, "/start_date",
                            "start_date must be a date YYYY-MM-DD");
  if (loan_days < 0 || loan_days > 3660)
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/loan_days",
                            "loan_days must be between 0 and 3660");
  char id[24], days[24];
  const char *p[] = {lib_i64(id, library_id), start_date, lib_i64(days, loan_days)};
  PGresult *r = db_exec(db, &stmts[S_DUE_DATE], 3, p, err);
  if (!r)
    return -1;
  int found = PQntuples(r) == 1;
  if (found)
    lib_copy(out, 11, db_text(r, 0, 0));
  PQclear(r);
  if (!found)
    return leen_error_field(err, LEEN_E_NOT_FOUND, "/library", "no such library %lld",
                            (long long)library_id);
  return 0;
}
