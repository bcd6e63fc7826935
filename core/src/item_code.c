/* Item codes as people type them and scanners read them. A scanned label
 * gives the URL its QR holds; a counter keyboard gives "fb-0042". Anything
 * that is not plainly one of those is refused rather than guessed at, so a
 * crafted "code" can never reach a path or a query as something else. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "leen/item.h"

#define CODE_INPUT_MAX 256

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
static int is_alpha(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* s..s+n is "<1-4 letters>[-]<4-6 digits>". */
static int code_part(const char *s, size_t n, char out[16])
{
  size_t i = 0, letters = 0;
  char prefix[5];
  while (i < n && is_alpha(s[i]) && letters < 4) {
    prefix[letters++] = (char)(s[i] >= 'a' ? s[i] - 'a' + 'A' : s[i]);
    i++;
  }
  if (letters == 0)
    return -1;
  prefix[letters] = '\0';
  if (i < n && s[i] == '-')
    i++;
  size_t start = i;
  int number = 0;
  while (i < n && is_digit(s[i])) {
    number = number * 10 + (s[i] - '0');
    i++;
    if (i - start > 6)
      return -1;
  }
  if (i != n || i - start < 4 || number < 1)
    return -1;
  snprintf(out, 16, "%.4s%04d", prefix, number % 1000000);
  return 0;
}

static int starts_with_nocase(const char *s, size_t n, const char *prefix)
{
  size_t len = strlen(prefix);
  return n >= len && strncasecmp(s, prefix, len) == 0;
}

int leen_item_code_normalize(const char *in, char out[16])
{
  out[0] = '\0';
  if (!in)
    return -1;
  size_t n = strnlen(in, CODE_INPUT_MAX + 1);
  if (n > CODE_INPUT_MAX)
    return -1;
  const char *s = in;
  while (n && is_space(*s)) {
    s++;
    n--;
  }
  while (n && is_space(s[n - 1]))
    n--;
  if (n == 0)
    return -1;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    /* printable ASCII only, and never an escape, a query, a fragment or a backslash */
    if (c <= 0x20 || c >= 0x7f || c == '%' || c == '?' || c == '#' || c == '\\')
      return -1;
  }
  for (size_t i = 0; i + 1 < n; i++)
    if (s[i] == '.' && s[i + 1] == '.')
      return -1;
  const char *slash = memrchr(s, '/', n);
  if (!slash)
    return code_part(s, n, out);
  /* a label URL: http(s)://host/.../CODE */
  size_t skip;
  if (starts_with_nocase(s, n, "https://"))
    skip = 8;
  else if (starts_with_nocase(s, n, "http://"))
    skip = 7;
  else
    return -1;
  const char *host = s + skip;
  if (host >= slash || *host == '/')
    return -1;
  const char *code = slash + 1;
  int rc = code_part(code, n - (size_t)(code - s), out);
  if (rc < 0)
    out[0] = '\0';
  return rc;
}
