#include "household_internal.h"

#include <stdio.h>
#include <string.h>

static const struct leen_stmt stmts[] = {
  {"household_today", "SELECT to_char(current_date, 'YYYY-MM-DD')"},
  {"household_id_by_number",
   "SELECT id, anonymized_at IS NOT NULL FROM households"
   " WHERE number = $1::integer AND org_id = $2::bigint"},
  {"household_id_by_number_lock",
   "SELECT id, anonymized_at IS NOT NULL FROM households"
   " WHERE number = $1::integer AND org_id = $2::bigint FOR UPDATE"},
  {"household_reduction_status",
   "SELECT to_char(valid_until, 'YYYY-MM-DD')"
   " FROM leen_active_reduction($1::bigint, coalesce($2::date, current_date))"},
};
enum { S_TODAY, S_ID, S_ID_LOCK, S_STATUS };

const char *hh_i64(char buf[24], int64_t v)
{
  snprintf(buf, 24, "%lld", (long long)v);
  return buf;
}

/* Length in characters of valid UTF-8 without control characters (C0,
 * DEL, C1), or -1. Overlong forms and surrogates are refused, as
 * PostgreSQL would refuse them. */
static long utf8_chars(const char *s)
{
  const unsigned char *p = (const unsigned char *)s;
  long n = 0;
  while (*p) {
    unsigned c = *p;
    size_t len;
    unsigned cp;
    if (c < 0x80) {
      if (c < 0x20 || c == 0x7f)
        return -1;
      p++;
      n++;
      continue;
    }
    if (c >= 0xc2 && c <= 0xdf) {
      len = 2;
      cp = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
      len = 3;
      cp = c & 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      len = 4;
      cp = c & 0x07;
    } else {
      return -1;
    }
    for (size_t i = 1; i < len; i++) {
      if ((p[i] & 0xc0) != 0x80)
        return -1;
      cp = (cp << 6) | (p[i] & 0x3f);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
        (cp >= 0xd800 && cp <= 0xdfff) || (cp >= 0x80 && cp <= 0x9f))
      return -1;
    p += len;
    n++;
  }
  return n;
}

int hh_text_ok(const char *s, size_t min, size_t max)
{
  if (!s)
    return 0;
  long n = utf8_chars(s);
  return n >= 0 && (size_t)n >= min && (size_t)n <= max;
}

static int digits(const char *s, size_t n)
{
  for (size_t i = 0; i < n; i++)
    if (s[i] < '0' || s[i] > '9')
      return 0;
  return 1;
}

static int num(const char *s, size_t n)
{
  int v = 0;
  for (size_t i = 0; i < n; i++)
    v = v * 10 + (s[i] - '0');
  return v;
}

int hh_month_ok(const char *s)
{
  if (!s || strlen(s) != 7 || s[4] != '-' || !digits(s, 4) || !digits(s + 5, 2))
    return 0;
  int y = num(s, 4), m = num(s + 5, 2);
  return y >= 1900 && m >= 1 && m <= 12;
}

int hh_date_ok(const char *s)
{
  if (!s || strlen(s) != 10 || s[7] != '-' || !digits(s + 8, 2))
    return 0;
  char month[8];
  memcpy(month, s, 7);
  month[7] = '\0';
  if (!hh_month_ok(month))
    return 0;
  static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int y = num(s, 4), m = num(s + 5, 2), d = num(s + 8, 2);
  int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  int last = mdays[m - 1] + (m == 2 && leap);
  return d >= 1 && d <= last;
}

void hh_copy(char *dst, size_t n, const char *src)
{
  snprintf(dst, n, "%s", src ? src : "");
}

int hh_today(struct leen_db *db, char day[11], struct leen_err *err)
{
  PGresult *r = db_exec(db, &stmts[S_TODAY], 0, NULL, err);
  if (!r)
    return -1;
  hh_copy(day, 11, db_text(r, 0, 0));
  PQclear(r);
  return 0;
}

int hh_household_id(struct leen_db *db, const struct leen_actor *a, int64_t number, int lock,
                    int64_t *id, int *anonymized, struct leen_err *err)
{
  if (number <= 0 || number > INT32_MAX)
    return leen_error_field(err, LEEN_E_NOT_FOUND, "/household", "no household %lld",
                            (long long)number);
  char nb[24], org[24];
  const char *p[] = {hh_i64(nb, number), hh_i64(org, a->org_id)};
  PGresult *r = db_exec(db, &stmts[lock ? S_ID_LOCK : S_ID], 2, p, err);
  if (!r)
    return -1;
  if (PQntuples(r) == 0) {
    PQclear(r);
    return leen_error_field(err, LEEN_E_NOT_FOUND, "/household", "no household %lld",
                            (long long)number);
  }
  *id = db_int64(r, 0, 0);
  if (anonymized)
    *anonymized = db_bool(r, 0, 1);
  PQclear(r);
  return 0;
}

int hh_reduction_status(struct leen_db *db, int64_t household_id, const char *day,
                        struct leen_reduction_status *out, struct leen_err *err)
{
  memset(out, 0, sizeof *out);
  char hid[24];
  const char *p[] = {hh_i64(hid, household_id), day};
  PGresult *r = db_exec(db, &stmts[S_STATUS], 2, p, err);
  if (!r)
    return -1;
  if (PQntuples(r) > 0) {
    out->active = 1;
    hh_copy(out->valid_until, sizeof out->valid_until, db_text(r, 0, 0));
  }
  PQclear(r);
  return 0;
}
