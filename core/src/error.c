#include "leen/error.h"

#include <stdio.h>
#include <string.h>

static const struct {
  const char *name;
  int http;
  int exitc;
  const char *msg;
} table[] = {
#define LEEN_X_ROW(e, name, http, exitc, msg) {name, http, exitc, msg},
  LEEN_ERRORS(LEEN_X_ROW)
#undef LEEN_X_ROW
};

static int valid(enum leen_code code) { return (int)code >= 0 && code < LEEN_E__COUNT; }

const char *leen_code_name(enum leen_code code) { return valid(code) ? table[code].name : "internal"; }
int leen_code_http(enum leen_code code) { return valid(code) ? table[code].http : 500; }
int leen_code_exit(enum leen_code code) { return valid(code) ? table[code].exitc : 1; }
const char *leen_code_message(enum leen_code code) { return valid(code) ? table[code].msg : "internal error"; }

enum leen_code leen_code_from_name(const char *name)
{
  for (int i = 0; name && i < LEEN_E__COUNT; i++)
    if (strcmp(table[i].name, name) == 0)
      return (enum leen_code)i;
  return LEEN_E_INTERNAL;
}

void leen_err_clear(struct leen_err *err)
{
  if (err)
    memset(err, 0, sizeof *err);
}

static int fill(struct leen_err *err, enum leen_code code, const char *field, const char *fmt,
                va_list ap)
{
  if (!err)
    return -1;
  leen_err_clear(err);
  err->code = code;
  if (field)
    snprintf(err->field, sizeof err->field, "%s", field);
  if (fmt)
    vsnprintf(err->message, sizeof err->message, fmt, ap);
  else
    snprintf(err->message, sizeof err->message, "%s", leen_code_message(code));
  return -1;
}

int leen_error(struct leen_err *err, enum leen_code code, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  fill(err, code, NULL, fmt, ap);
  va_end(ap);
  return -1;
}

int leen_error_field(struct leen_err *err, enum leen_code code, const char *field,
                     const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  fill(err, code, field, fmt, ap);
  va_end(ap);
  return -1;
}
