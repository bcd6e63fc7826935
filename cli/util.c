/* Small helpers: a growing string, URL escaping, strict numbers and dates. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void reserve(struct cli_buf *b, size_t more)
{
  if (b->oom || b->len + more + 1 <= b->cap)
    return;
  size_t cap = b->cap ? b->cap : 64;
  while (cap < b->len + more + 1)
    cap *= 2;
  char *d = realloc(b->data, cap);
  if (!d) {
    b->oom = 1;
    return;
  }
  b->data = d;
  b->cap = cap;
}

static void add_n(struct cli_buf *b, const char *s, size_t n)
{
  reserve(b, n);
  if (b->oom)
    return;
  memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = '\0';
}

void cli_buf_add(struct cli_buf *b, const char *s) { add_n(b, s, strlen(s)); }

void cli_buf_addf(struct cli_buf *b, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0)
    return;
  reserve(b, (size_t)n);
  if (b->oom)
    return;
  va_start(ap, fmt);
  vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  b->len += (size_t)n;
}

void cli_buf_add_escaped(struct cli_buf *b, const char *s)
{
  static const char hex[] = "0123456789ABCDEF";
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
        *p == '-' || *p == '_' || *p == '.' || *p == '~') {
      add_n(b, (const char *)p, 1);
    } else {
      char e[3] = {'%', hex[*p >> 4], hex[*p & 15]};
      add_n(b, e, 3);
    }
  }
}

void cli_buf_query(struct cli_buf *b, const char *name, const char *value)
{
  if (!value)
    return;
  add_n(b, b->data && strchr(b->data, '?') ? "&" : "?", 1);
  cli_buf_add(b, name);
  add_n(b, "=", 1);
  cli_buf_add_escaped(b, value);
}

void cli_buf_release(struct cli_buf *b)
{
  free(b->data);
  memset(b, 0, sizeof *b);
}

const char *cli_item_arg(const char *s)
{
  const char *slash = strrchr(s, '/');
  return slash && slash[1] ? slash + 1 : s;
}

int cli_parse_int(const char *s, int64_t min, int64_t max, int64_t *out)
{
  if (!s || !*s || strlen(s) > 18)
    return -1;
  int64_t v = 0;
  for (const char *p = s; *p; p++) {
    if (*p < '0' || *p > '9')
      return -1;
    v = v * 10 + (*p - '0');
  }
  if (v < min || v > max)
    return -1;
  *out = v;
  return 0;
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

int cli_parse_month(const char *s)
{
  if (!s || strlen(s) != 7 || s[4] != '-' || !digits(s, 4) || !digits(s + 5, 2))
    return -1;
  int y = num(s, 4), m = num(s + 5, 2);
  return y >= 1900 && y <= 2999 && m >= 1 && m <= 12 ? 0 : -1;
}

int cli_parse_date(const char *s)
{
  if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-' || !digits(s, 4) || !digits(s + 5, 2) ||
      !digits(s + 8, 2))
    return -1;
  static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int y = num(s, 4), m = num(s + 5, 2), d = num(s + 8, 2);
  if (y < 1900 || y > 2999 || m < 1 || m > 12)
    return -1;
  int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  int max = mdays[m - 1] + (m == 2 && leap);
  return d >= 1 && d <= max ? 0 : -1;
}
