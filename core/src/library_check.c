/* Checks shared by libraries, schedules, categories and items: text,
 * dates and times, and the fields of a library as a caller gives them. */
#include <stdio.h>
#include <string.h>

#include "library_int.h"

const char *lib_i64(char buf[24], int64_t v)
{
  snprintf(buf, 24, "%lld", (long long)v);
  return buf;
}

void lib_copy(char *dst, size_t n, const char *src)
{
  snprintf(dst, n, "%s", src ? src : "");
}

int lib_same_org(const struct leen_actor *a, int64_t org_id)
{
  return a->user_id == 0 || a->org_id == org_id;
}

int lib_text_ok(const char *s, size_t min, size_t max)
{
  if (!s)
    return 0;
  size_t chars = 0;
  const unsigned char *p = (const unsigned char *)s;
  while (*p) {
    unsigned c = *p;
    size_t len;
    unsigned cp;
    if (c < 0x80) {
      if (c < 0x20 || c == 0x7f)
        return 0;
      len = 1;
      cp = c;
    } else if ((c & 0xe0) == 0xc0) {
      len = 2;
      cp = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
      len = 3;
      cp = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return 0;
    }
    for (size_t i = 1; i < len; i++) {
      if ((p[i] & 0xc0) != 0x80)
        return 0;
      cp = (cp << 6) | (p[i] & 0x3f);
    }
    /* overlong forms, surrogates and code points past U+10FFFF are not UTF-8 */
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff || (cp >= 0x80 && cp < 0xa0))
      return 0;
    p += len;
    chars++;
  }
  return chars >= min && chars <= max;
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

int lib_date_ok(const char *s)
{
  if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-' || !digits(s, 4) ||
      !digits(s + 5, 2) || !digits(s + 8, 2))
    return 0;
  int y = num(s, 4), m = num(s + 5, 2), d = num(s + 8, 2);
  static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1900 || m < 1 || m > 12 || d < 1)
    return 0;
  int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= mdays[m - 1] + (m == 2 && leap);
}

int64_t lib_day_number(const char *s)
{
  /* days from civil (Howard Hinnant's algorithm) */
  int64_t y = num(s, 4), m = num(s + 5, 2), d = num(s + 8, 2);
  y -= m <= 2;
  int64_t era = y / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

int lib_time_ok(const char *s)
{
  if (!s || strlen(s) != 5 || s[2] != ':' || !digits(s, 2) || !digits(s + 3, 2))
    return 0;
  return num(s, 2) <= 23 && num(s + 3, 2) <= 59;
}

static int matches(const char *s, const char *first, const char *rest, size_t max)
{
  if (!s || !*s || strlen(s) > max || !strchr(first, s[0]))
    return 0;
  for (const char *p = s + 1; *p; p++)
    if (!strchr(rest, *p))
      return 0;
  return 1;
}

#define LOWER "abcdefghijklmnopqrstuvwxyz"
#define DIGIT "0123456789"
#define UPPER "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

static int range(struct leen_err *err, enum leen_code code, const char *field, int64_t v,
                 int64_t lo, int64_t hi)
{
  if (v >= lo && v <= hi)
    return 0;
  return leen_error_field(err, code, field, "%s must be between %lld and %lld", field + 1,
                          (long long)lo, (long long)hi);
}

static int check_rule(const struct leen_schedule_rule_new *r, size_t i, struct leen_err *err)
{
  char f[96];
  int weekly = r->freq && strcmp(r->freq, "weekly") == 0;
  int monthly = r->freq && strcmp(r->freq, "monthly") == 0;
  if (!weekly && !monthly) {
    snprintf(f, sizeof f, "/schedule/%zu/freq", i);
    return leen_error_field(err, LEEN_E_INVALID_FIELD, f, "freq must be \"weekly\" or \"monthly\"");
  }
  snprintf(f, sizeof f, "/schedule/%zu/nth", i);
  if (weekly && r->nth != 0)
    return leen_error_field(err, LEEN_E_INVALID_FIELD, f, "a weekly rule takes no nth");
  if (monthly && !(r->nth == -1 || (r->nth >= 1 && r->nth <= 5)))
    return leen_error_field(err, LEEN_E_INVALID_FIELD, f,
                            "nth must be 1 to 5, or -1 for the last weekday of the month");
  snprintf(f, sizeof f, "/schedule/%zu/weekday", i);
  if (r->weekday < 1 || r->weekday > 7)
    return leen_error_field(err, LEEN_E_INVALID_FIELD, f,
                            "weekday must be 1 (Monday) to 7 (Sunday)");
  snprintf(f, sizeof f, "/schedule/%zu/start", i);
  if (!lib_time_ok(r->start))
    return leen_error_field(err, LEEN_E_INVALID_FIELD, f, "start must be a time \"HH:MM\"");
  snprintf(f, sizeof f, "/schedule/%zu/end", i);
  if (!lib_time_ok(r->end))
    return leen_error_field(err, LEEN_E_INVALID_FIELD, f, "end must be a time \"HH:MM\"");
  if (strcmp(r->end, r->start) <= 0)
    return leen_error_field(err, LEEN_E_INVALID_FIELD, f, "end must come after start");
  if (r->nclosed_months > 12 || (r->nclosed_months && !r->closed_months)) {
    snprintf(f, sizeof f, "/schedule/%zu/closed_months", i);
    return leen_error_field(err, LEEN_E_INVALID_FIELD, f, "at most 12 closed months");
  }
  for (size_t j = 0; j < r->nclosed_months; j++) {
    snprintf(f, sizeof f, "/schedule/%zu/closed_months/%zu", i, j);
    if (r->closed_months[j] < 1 || r->closed_months[j] > 12)
      return leen_error_field(err, LEEN_E_INVALID_FIELD, f, "a month is 1 to 12");
    for (size_t k = 0; k < j; k++)
      if (r->closed_months[k] == r->closed_months[j])
        return leen_error_field(err, LEEN_E_INVALID_FIELD, f, "month %lld is listed twice",
                                (long long)r->closed_months[j]);
  }
  return 0;
}

static int check_targets(const struct leen_library_targets_new *t, struct leen_err *err)
{
  if (t->new_households_6m != LEEN_UNSET &&
      range(err, LEEN_E_INVALID_FIELD, "/targets/new_households_6m", t->new_households_6m, 0,
            100000) < 0)
    return -1;
  if (t->reduced_share_min != LEEN_UNSET &&
      range(err, LEEN_E_INVALID_FIELD, "/targets/reduced_share_min", t->reduced_share_min, 0,
            100) < 0)
    return -1;
  if (t->reduced_share_max != LEEN_UNSET &&
      range(err, LEEN_E_INVALID_FIELD, "/targets/reduced_share_max", t->reduced_share_max, 0,
            100) < 0)
    return -1;
  if (t->reduced_share_min != LEEN_UNSET && t->reduced_share_max != LEEN_UNSET &&
      t->reduced_share_max < t->reduced_share_min)
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/targets/reduced_share_max",
                            "reduced_share_max must be at least reduced_share_min");
  if (t->loans_per_session != LEEN_UNSET &&
      range(err, LEEN_E_INVALID_FIELD, "/targets/loans_per_session", t->loans_per_session, 0,
            10000) < 0)
    return -1;
  return 0;
}

int library_check(const struct leen_library_new *l, unsigned fields, struct leen_err *err)
{
  if ((fields & LEEN_LIBRARY_SLUG) && !matches(l->slug, LOWER DIGIT, LOWER DIGIT "-", 63))
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/slug",
                            "a slug is 1 to 63 lowercase letters, digits or hyphens, "
                            "starting with a letter or digit");
  if ((fields & LEEN_LIBRARY_NAME) && !lib_text_ok(l->name, 1, 200))
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/name",
                            "a name is 1 to 200 characters without control characters");
  if ((fields & LEEN_LIBRARY_KIND) && !matches(l->kind, LOWER DIGIT "_-", LOWER DIGIT "_-", 40))
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/kind",
                            "a kind is 1 to 40 lowercase letters, digits, _ or -");
  if ((fields & LEEN_LIBRARY_CODE_PREFIX) && !matches(l->code_prefix, UPPER, UPPER, 4))
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/code_prefix",
                            "a code prefix is 1 to 4 capital letters");
  if ((fields & LEEN_LIBRARY_FEE_CENTS) &&
      range(err, LEEN_E_INVALID_AMOUNT, "/fee_cents", l->fee_cents, 0, 100000000) < 0)
    return -1;
  if ((fields & LEEN_LIBRARY_SOCIAL_FEE_CENTS) &&
      range(err, LEEN_E_INVALID_AMOUNT, "/social_fee_cents", l->social_fee_cents, 0,
            100000000) < 0)
    return -1;
  if ((fields & LEEN_LIBRARY_FEE_PER) &&
      !(l->fee_per && (strcmp(l->fee_per, "slot") == 0 || strcmp(l->fee_per, "household") == 0)))
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/fee_per",
                            "fee_per must be \"slot\" or \"household\"");
  if ((fields & LEEN_LIBRARY_SOCIAL_DEPOSIT_PERCENT) &&
      range(err, LEEN_E_INVALID_FIELD, "/social_deposit_percent", l->social_deposit_percent, 0,
            100) < 0)
    return -1;
  if ((fields & LEEN_LIBRARY_MEMBERSHIP_MONTHS) &&
      range(err, LEEN_E_INVALID_FIELD, "/membership_months", l->membership_months, 1, 120) < 0)
    return -1;
  if ((fields & LEEN_LIBRARY_MAX_SLOTS) &&
      range(err, LEEN_E_INVALID_FIELD, "/max_slots", l->max_slots, 1, 100) < 0)
    return -1;
  if ((fields & LEEN_LIBRARY_DEFAULT_LOAN_DAYS) &&
      range(err, LEEN_E_INVALID_FIELD, "/default_loan_days", l->default_loan_days, 1, 3660) < 0)
    return -1;
  if (fields & LEEN_LIBRARY_SCHEDULE) {
    if (l->nschedule > LEEN_SCHEDULE_MAX_RULES || (l->nschedule && !l->schedule))
      return leen_error_field(err, LEEN_E_INVALID_FIELD, "/schedule",
                              "a schedule has at most %d rules", LEEN_SCHEDULE_MAX_RULES);
    for (size_t i = 0; i < l->nschedule; i++)
      if (check_rule(&l->schedule[i], i, err) < 0)
        return -1;
  }
  if ((fields & LEEN_LIBRARY_TARGETS) && check_targets(&l->targets, err) < 0)
    return -1;
  return 0;
}

void library_targets_json(const struct leen_library_targets_new *t, char *buf, size_t n)
{
  const struct {
    const char *name;
    int64_t v;
  } f[] = {
    {"new_households_6m", t->new_households_6m},
    {"reduced_share_min", t->reduced_share_min},
    {"reduced_share_max", t->reduced_share_max},
    {"loans_per_session", t->loans_per_session},
  };
  size_t len = 0;
  len += (size_t)snprintf(buf, n, "{");
  for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
    if (f[i].v == LEEN_UNSET)
      continue;
    len += (size_t)snprintf(buf + len, len < n ? n - len : 0, "%s\"%s\": %lld",
                            len > 1 ? ", " : "", f[i].name, (long long)f[i].v);
  }
  snprintf(buf + len, len < n ? n - len : 0, "}");
}
