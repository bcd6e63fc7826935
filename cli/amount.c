/* Amounts in euro as people type them, and back. One parser for every
 * command and the import, so "20", "20,00" and "20.00" mean 2000 cents
 * everywhere and anything else is refused the same way. */
#include <string.h>

#include "cli.h"

#define MAX_CENTS ((int64_t)100000000) /* EUR 1 000 000, the API's limit */

int cli_amount_parse(const char *s, int64_t *cents)
{
  if (!s)
    return -1;
  const char *p = s;
  int64_t euros = 0;
  int nd = 0;
  while (*p >= '0' && *p <= '9') {
    if (++nd > 7)
      return -1;
    euros = euros * 10 + (*p++ - '0');
  }
  if (nd == 0)
    return -1;
  int64_t frac = 0;
  if (*p == ',' || *p == '.') {
    p++;
    int nf = 0;
    while (*p >= '0' && *p <= '9' && nf < 3) {
      frac = frac * 10 + (*p++ - '0');
      nf++;
    }
    if (nf == 0 || nf > 2)
      return -1;
    if (nf == 1)
      frac *= 10;
  }
  if (*p != '\0')
    return -1;
  int64_t v = euros * 100 + frac;
  if (v > MAX_CENTS)
    return -1;
  *cents = v;
  return 0;
}

char *cli_amount_format(int64_t cents, int machine, char out[32])
{
  /* INT64_MIN has no positive counterpart; amounts never come near it */
  uint64_t a = cents < 0 ? (uint64_t)0 - (uint64_t)cents : (uint64_t)cents;
  snprintf(out, 32, "%s%llu%c%02llu", cents < 0 ? "-" : "", (unsigned long long)(a / 100),
           machine ? '.' : ',', (unsigned long long)(a % 100));
  return out;
}
