/* Typed parameters: query parameters (?from=2026-01-01&open=true) and
 * path captures. Like the api_in_* readers: 1 read, 0 absent (optional),
 * -1 error recorded as {"parameter": name}. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"

static void bad(struct api_req *r, enum leen_code code, const char *name, const char *detail)
{
  char ptr[80];
  snprintf(ptr, sizeof ptr, "?%s", name);
  api_in_error(r, code, ptr, "%s", detail);
}

/* The value, or NULL with *rc 0 (absent, optional) or -1 (error recorded).
 * Present but empty ("?open=") says nothing: an error even when optional. */
static const char *need(struct api_req *r, const char *name, const char *v, int required,
                        int *rc)
{
  *rc = 0;
  if (v && *v)
    return v;
  if (required || v) {
    bad(r, LEEN_E_INVALID_FIELD, name, v ? "is empty" : "is required");
    *rc = -1;
  }
  return NULL;
}

int api_param_int(struct api_req *r, const char *name, const char *value, int required,
                  int64_t min, int64_t max, int64_t *out)
{
  int rc;
  const char *v = need(r, name, value, required, &rc);
  if (!v)
    return rc;
  const char *d = v[0] == '-' ? v + 1 : v;
  size_t n = strlen(d);
  int ok = n >= 1 && n <= 18 && strspn(d, "0123456789") == n;
  int64_t x = ok ? strtoll(v, NULL, 10) : 0;
  if (!ok || x < min || x > max) {
    bad(r, LEEN_E_INVALID_FIELD, name, "must be a whole number in range");
    return -1;
  }
  *out = x;
  return 1;
}

int api_param_date(struct api_req *r, const char *name, const char *value, int required,
                   char out[11])
{
  int rc;
  const char *v = need(r, name, value, required, &rc);
  if (!v)
    return rc;
  if (!api_valid_date(v)) {
    bad(r, LEEN_E_INVALID_DATE, name, "must be a date that exists, as YYYY-MM-DD");
    return -1;
  }
  memcpy(out, v, 11);
  return 1;
}

int api_param_month(struct api_req *r, const char *name, const char *value, int required,
                    char out[8])
{
  int rc;
  const char *v = need(r, name, value, required, &rc);
  if (!v)
    return rc;
  if (!api_valid_month(v)) {
    bad(r, LEEN_E_INVALID_DATE, name, "must be a month as YYYY-MM");
    return -1;
  }
  memcpy(out, v, 8);
  return 1;
}

int api_param_bool(struct api_req *r, const char *name, const char *value, int required,
                   int *out)
{
  int rc;
  const char *v = need(r, name, value, required, &rc);
  if (!v)
    return rc;
  if (strcmp(v, "true") == 0 || strcmp(v, "1") == 0) {
    *out = 1;
  } else if (strcmp(v, "false") == 0 || strcmp(v, "0") == 0) {
    *out = 0;
  } else {
    bad(r, LEEN_E_INVALID_FIELD, name, "must be true or false");
    return -1;
  }
  return 1;
}

int api_param_enum(struct api_req *r, const char *name, const char *value, int required,
                   const char *const *values, int *out)
{
  int rc;
  const char *v = need(r, name, value, required, &rc);
  if (!v)
    return rc;
  for (int i = 0; values[i]; i++)
    if (strcmp(values[i], v) == 0) {
      *out = i;
      return 1;
    }
  bad(r, LEEN_E_INVALID_FIELD, name, "is not one of the values this parameter takes");
  return -1;
}

int api_query_int(struct api_req *r, const char *name, int required, int64_t min, int64_t max,
                  int64_t *out)
{
  return api_param_int(r, name, api_query(r, name), required, min, max, out);
}

int api_query_date(struct api_req *r, const char *name, int required, char out[11])
{
  return api_param_date(r, name, api_query(r, name), required, out);
}

int api_query_month(struct api_req *r, const char *name, int required, char out[8])
{
  return api_param_month(r, name, api_query(r, name), required, out);
}

int api_query_bool(struct api_req *r, const char *name, int required, int *out)
{
  return api_param_bool(r, name, api_query(r, name), required, out);
}

int api_query_enum(struct api_req *r, const char *name, int required, const char *const *values,
                   int *out)
{
  return api_param_enum(r, name, api_query(r, name), required, values, out);
}
