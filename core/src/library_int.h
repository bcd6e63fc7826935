/* Internal to core: checks and look-ups shared by libraries, schedules,
 * categories and items (library_check.c, library.c). */
#ifndef LEEN_LIBRARY_INT_H
#define LEEN_LIBRARY_INT_H

#include <stddef.h>
#include <stdint.h>

#include "db_internal.h"
#include "leen/actor.h"
#include "leen/library.h"

/* Formats v as decimal text into buf and returns buf. */
const char *lib_i64(char buf[24], int64_t v);

/* 1 when s is valid UTF-8 without control characters and holds min..max
 * characters (not bytes); 0 otherwise (NULL too). */
int lib_text_ok(const char *s, size_t min, size_t max);

/* 1 when s is exactly "YYYY-MM-DD" naming a real day; 0 otherwise. */
int lib_date_ok(const char *s);

/* Days since 1970-01-01 of a date lib_date_ok accepted. */
int64_t lib_day_number(const char *s);

/* 1 when s is exactly "HH:MM" (00:00 .. 23:59); 0 otherwise. */
int lib_time_ok(const char *s);

/* Copies src (NULL: "") into dst of size n, truncating. */
void lib_copy(char *dst, size_t n, const char *src);

/* 1 when the actor may see data of org_id: the same org, or the system. */
int lib_same_org(const struct leen_actor *a, int64_t org_id);

/* Checks the fields of l selected by `fields` (enum leen_library_field)
 * that can be checked alone. Returns 0, or -1 with err naming the field. */
int library_check(const struct leen_library_new *l, unsigned fields, struct leen_err *err);

/* The targets of t as a JSON object text into buf. */
void library_targets_json(const struct leen_library_targets_new *t, char *buf, size_t n);

/* A library found by slug in the actor's org. */
struct library_ref {
  int64_t id;
  int64_t org_id;
  char slug[64];
  char code_prefix[8];
  int default_loan_days;
};

/* Finds library `slug` visible to the actor; LEEN_E_NOT_FOUND naming
 * `field` (e.g. "/library") otherwise. `lock` nonzero takes a row lock
 * (FOR UPDATE) inside the caller's transaction. Returns 0 or -1. */
int library_find(struct leen_db *db, const struct leen_actor *a, const char *slug,
                 const char *field, int lock, struct library_ref *out, struct leen_err *err);

/* 0 when the actor is a coordinator of library_id (or an admin, or the
 * system); -1 with LEEN_E_FORBIDDEN otherwise. */
int library_coordinator(const struct leen_actor *a, int64_t library_id, const char *what,
                        struct leen_err *err);

#endif
