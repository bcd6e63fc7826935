/* Reading the fields of a JSON body: each reader checks one member and
 * records a problem "errors" entry when it is wrong, so a client learns
 * about every bad field in one answer. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "api.h"

/* The largest integer a double holds exactly: past it 2^53 + 1 would
 * silently read as 2^53. */
#define MAX_EXACT 9007199254740991.0
#define MONEY_MAX 100000000

const char *api_pointer_append(char *buf, size_t size, const char *base, const char *name)
{
  size_t n = (size_t)snprintf(buf, size, "%s/", base);
  for (const char *p = name; *p && n + 3 < size; p++) {
    if (*p == '~' || *p == '/') {
      buf[n++] = '~';
      buf[n++] = *p == '~' ? '0' : '1';
    } else {
      buf[n++] = *p;
    }
  }
  if (n < size)
    buf[n] = '\0';
  return buf;
}

void api_in_error(struct api_req *r, enum leen_code code, const char *pointer, const char *fmt,
                  ...)
{
  if (r->nerrors == 0)
    r->error_code = code;
  if (r->nerrors < API_MAX_ERRORS) {
    struct api_field_error *e = &r->errors[r->nerrors];
    snprintf(e->pointer, sizeof e->pointer, "%s", pointer ? pointer : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->detail, sizeof e->detail, fmt, ap);
    va_end(ap);
  }
  r->nerrors++;
}

void api_in_init(struct api_in *in, struct api_req *r, const cJSON *obj, const char *ptr)
{
  memset(in, 0, sizeof *in);
  in->r = r;
  in->obj = obj;
  snprintf(in->ptr, sizeof in->ptr, "%s", ptr ? ptr : "");
}

/* The member name of the object, marked read; NULL when absent. */
static const cJSON *find(struct api_in *in, const char *name)
{
  int i = 0;
  for (const cJSON *c = in->obj ? in->obj->child : NULL; c; c = c->next, i++)
    if (c->string && strcmp(c->string, name) == 0) {
      if (i < 64)
        in->seen |= (uint64_t)1 << i;
      return c;
    }
  return NULL;
}

/* Looks name up and marks it read. Returns the member, or NULL with *rc
 * 0 (absent or null, optional) or -1 (required: error recorded). */
static const cJSON *take(struct api_in *in, const char *name, int required, enum leen_code code,
                         int *rc)
{
  const cJSON *found = find(in, name);
  *rc = 0;
  if (found && !cJSON_IsNull(found))
    return found;
  if (required) {
    char ptr[128];
    api_in_error(in->r, code, api_pointer_append(ptr, sizeof ptr, in->ptr, name),
                 found ? "must not be null" : "is required");
    *rc = -1;
  }
  return NULL;
}

static int bad(struct api_in *in, const char *name, enum leen_code code, const char *detail)
{
  char ptr[128];
  api_in_error(in->r, code, api_pointer_append(ptr, sizeof ptr, in->ptr, name), "%s", detail);
  return -1;
}

static size_t utf8_chars(const char *s)
{
  size_t n = 0;
  for (; *s; s++)
    if (((unsigned char)*s & 0xc0) != 0x80)
      n++;
  return n;
}

int api_in_string(struct api_in *in, const char *name, int required, size_t max_chars,
                  const char **out)
{
  int rc;
  const cJSON *v = take(in, name, required, LEEN_E_INVALID_FIELD, &rc);
  if (!v)
    return rc;
  char detail[96];
  snprintf(detail, sizeof detail, "must be a string of %s%zu characters",
           required ? "1 to " : "at most ", max_chars);
  if (!cJSON_IsString(v) || utf8_chars(v->valuestring) > max_chars ||
      (required && !v->valuestring[0]))
    return bad(in, name, LEEN_E_INVALID_FIELD, detail);
  *out = v->valuestring;
  return 1;
}

/* 0 when v is a finite integral number within +-(2^53-1) and [min, max]. */
static int as_int(const cJSON *v, int64_t min, int64_t max, int64_t *out)
{
  if (!cJSON_IsNumber(v) || (v->type & API_JSON_INEXACT))
    return -1;
  double d = v->valuedouble;
  if (!isfinite(d) || d != floor(d) || d < -MAX_EXACT || d > MAX_EXACT)
    return -1;
  int64_t i = (int64_t)d;
  if (i < min || i > max)
    return -1;
  *out = i;
  return 0;
}

int api_in_int(struct api_in *in, const char *name, int required, int64_t min, int64_t max,
               int64_t *out)
{
  int rc;
  const cJSON *v = take(in, name, required, LEEN_E_INVALID_FIELD, &rc);
  if (!v)
    return rc;
  if (as_int(v, min, max, out) < 0) {
    char detail[96];
    snprintf(detail, sizeof detail, "must be a whole number from %lld to %lld", (long long)min,
             (long long)max);
    return bad(in, name, LEEN_E_INVALID_FIELD, detail);
  }
  return 1;
}

int api_in_money(struct api_in *in, const char *name, int required, int64_t min, int64_t max,
                 int64_t *out)
{
  if (min == 0 && max == 0)
    max = MONEY_MAX;
  int rc;
  const cJSON *v = take(in, name, required, LEEN_E_INVALID_AMOUNT, &rc);
  if (!v)
    return rc;
  if (as_int(v, min, max, out) < 0) {
    char detail[96];
    snprintf(detail, sizeof detail, "must be a whole number of cents from %lld to %lld",
             (long long)min, (long long)max);
    return bad(in, name, LEEN_E_INVALID_AMOUNT, detail);
  }
  return 1;
}

static int digits(const char *s, int n)
{
  for (int i = 0; i < n; i++)
    if (s[i] < '0' || s[i] > '9')
      return 0;
  return 1;
}

static int num(const char *s, int n)
{
  int v = 0;
  for (int i = 0; i < n; i++)
    v = v * 10 + (s[i] - '0');
  return v;
}

int api_valid_month(const char *s)
{
  if (!s || strlen(s) != 7 || !digits(s, 4) || s[4] != '-' || !digits(s + 5, 2))
    return 0;
  int y = num(s, 4), m = num(s + 5, 2);
  return y >= 1 && m >= 1 && m <= 12;
}

int api_valid_date(const char *s)
{
  static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (!s || strlen(s) != 10 || !digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) ||
      s[7] != '-' || !digits(s + 8, 2))
    return 0;
  int y = num(s, 4), m = num(s + 5, 2), d = num(s + 8, 2);
  if (y < 1 || m < 1 || m > 12)
    return 0;
  int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  int last = mdays[m - 1] + (m == 2 && leap);
  return d >= 1 && d <= last;
}

int api_in_date(struct api_in *in, const char *name, int required, char out[11])
{
  int rc;
  const cJSON *v = take(in, name, required, LEEN_E_INVALID_DATE, &rc);
  if (!v)
    return rc;
  if (!cJSON_IsString(v) || !api_valid_date(v->valuestring))
    return bad(in, name, LEEN_E_INVALID_DATE, "must be a date that exists, as YYYY-MM-DD");
  memcpy(out, v->valuestring, 11);
  return 1;
}

int api_in_month(struct api_in *in, const char *name, int required, char out[8])
{
  int rc;
  const cJSON *v = take(in, name, required, LEEN_E_INVALID_DATE, &rc);
  if (!v)
    return rc;
  if (!cJSON_IsString(v) || !api_valid_month(v->valuestring))
    return bad(in, name, LEEN_E_INVALID_DATE, "must be a month as YYYY-MM");
  memcpy(out, v->valuestring, 8);
  return 1;
}

int api_in_enum(struct api_in *in, const char *name, int required, const char *const *values,
                int *out)
{
  int rc;
  const cJSON *v = take(in, name, required, LEEN_E_INVALID_FIELD, &rc);
  if (!v)
    return rc;
  for (int i = 0; cJSON_IsString(v) && values[i]; i++)
    if (strcmp(values[i], v->valuestring) == 0) {
      *out = i;
      return 1;
    }
  char detail[160];
  size_t n = (size_t)snprintf(detail, sizeof detail, "must be one of");
  for (int i = 0; values[i] && n < sizeof detail; i++)
    n += (size_t)snprintf(detail + n, sizeof detail - n, "%s %s", i ? "," : "", values[i]);
  return bad(in, name, LEEN_E_INVALID_FIELD, detail);
}

int api_in_bool(struct api_in *in, const char *name, int required, int *out)
{
  int rc;
  const cJSON *v = take(in, name, required, LEEN_E_INVALID_FIELD, &rc);
  if (!v)
    return rc;
  if (!cJSON_IsBool(v))
    return bad(in, name, LEEN_E_INVALID_FIELD, "must be true or false");
  *out = cJSON_IsTrue(v);
  return 1;
}

int api_in_array(struct api_in *in, const char *name, int required, int max_items,
                 const cJSON **out)
{
  int rc;
  const cJSON *v = take(in, name, required, LEEN_E_INVALID_FIELD, &rc);
  if (!v)
    return rc;
  if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) > max_items) {
    char detail[64];
    snprintf(detail, sizeof detail, "must be an array of at most %d items", max_items);
    return bad(in, name, LEEN_E_INVALID_FIELD, detail);
  }
  *out = v;
  return 1;
}

int api_in_string_array(struct api_in *in, const char *name, int required, int max_items,
                        size_t max_chars, const char **out, size_t *n)
{
  *n = 0;
  const cJSON *arr;
  int rc = api_in_array(in, name, required, max_items, &arr);
  if (rc <= 0)
    return rc;
  char base[128];
  api_pointer_append(base, sizeof base, in->ptr, name);
  int i = 0, ok = 1;
  const cJSON *c;
  cJSON_ArrayForEach(c, arr)
  {
    if (!cJSON_IsString(c) || !c->valuestring[0] || utf8_chars(c->valuestring) > max_chars) {
      char idx[16], ptr[160];
      snprintf(idx, sizeof idx, "%d", i);
      api_in_error(in->r, LEEN_E_INVALID_FIELD, api_pointer_append(ptr, sizeof ptr, base, idx),
                   "must be a string of 1 to %zu characters", max_chars);
      ok = 0;
    } else {
      out[(*n)++] = c->valuestring;
    }
    i++;
  }
  return ok ? 1 : -1;
}

int api_in_object(struct api_in *in, const char *name, int required, const cJSON **out)
{
  int rc;
  const cJSON *v = take(in, name, required, LEEN_E_INVALID_FIELD, &rc);
  if (!v)
    return rc;
  if (!cJSON_IsObject(v))
    return bad(in, name, LEEN_E_INVALID_FIELD, "must be an object");
  *out = v;
  return 1;
}

int api_in_is_null(struct api_in *in, const char *name)
{
  const cJSON *v = find(in, name);
  return v && cJSON_IsNull(v);
}

int api_in_end(struct api_in *in)
{
  int i = 0;
  for (const cJSON *c = in->obj ? in->obj->child : NULL; c; c = c->next, i++) {
    if (i < 64 && (in->seen & ((uint64_t)1 << i)))
      continue;
    bad(in, c->string ? c->string : "", LEEN_E_UNKNOWN_FIELD, "is not a known field");
  }
  return in->r->nerrors ? -1 : 0;
}
