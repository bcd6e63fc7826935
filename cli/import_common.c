/* What the two importers share: the error list, header lookup, a set of
 * ids seen, and field checks. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "import_int.h"

void cli_import_batch_release(struct cli_import_batch *b)
{
  cJSON_Delete(b->rows);
  free(b->errors);
  memset(b, 0, sizeof *b);
}

void cli_import_error_add(struct cli_import_batch *b, long line, const char *fmt, ...)
{
  if (b->nerrors == b->cap) {
    size_t cap = b->cap ? 2 * b->cap : 32;
    struct cli_import_error *e = realloc(b->errors, cap * sizeof *e);
    if (!e)
      return;
    b->errors = e;
    b->cap = cap;
  }
  struct cli_import_error *e = &b->errors[b->nerrors++];
  e->line = line;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(e->reason, sizeof e->reason, fmt, ap);
  va_end(ap);
}

int imp_find_column(const struct cli_csv_record *header, const char *const *names)
{
  for (size_t i = 0; i < header->n; i++) {
    const char *h = header->fields[i];
    while (*h == ' ')
      h++;
    size_t n = strlen(h);
    while (n && h[n - 1] == ' ')
      n--;
    for (const char *const *nm = names; *nm; nm++)
      if (strlen(*nm) == n && strncasecmp(h, *nm, n) == 0)
        return (int)i;
  }
  return -1;
}

const char *imp_field(const struct cli_csv_record *rec, int col, char *buf, size_t size)
{
  buf[0] = '\0';
  if (col < 0 || (size_t)col >= rec->n)
    return buf;
  const char *s = rec->fields[col];
  while (*s == ' ' || *s == '\t')
    s++;
  size_t n = strlen(s);
  while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
    n--;
  if (n >= size)
    n = size - 1;
  memcpy(buf, s, n);
  buf[n] = '\0';
  return buf;
}

int imp_utf8_valid(const char *s)
{
  const unsigned char *p = (const unsigned char *)s;
  while (*p) {
    int n = *p < 0x80 ? 0 : (*p & 0xE0) == 0xC0 ? 1 : (*p & 0xF0) == 0xE0 ? 2 : (*p & 0xF8) == 0xF0 ? 3 : -1;
    if (n < 0 || (n == 1 && *p < 0xC2))
      return 0;
    p++;
    for (int i = 0; i < n; i++, p++)
      if ((*p & 0xC0) != 0x80)
        return 0;
  }
  return 1;
}

/* ---- a set of ids with the line each was first seen on ---- */

static uint64_t hash(const char *s)
{
  uint64_t h = 1469598103934665603ULL;
  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 1099511628211ULL;
  return h;
}

long imp_seen(struct imp_seen *set, const char *id, long line)
{
  if ((set->n + 1) * 2 > set->cap) {
    size_t cap = set->cap ? set->cap * 2 : 256;
    struct imp_seen_slot *s = calloc(cap, sizeof *s);
    if (!s)
      return 0;
    for (size_t i = 0; i < set->cap; i++)
      if (set->slots[i].id) {
        size_t k = hash(set->slots[i].id) & (cap - 1);
        while (s[k].id)
          k = (k + 1) & (cap - 1);
        s[k] = set->slots[i];
      }
    free(set->slots);
    set->slots = s;
    set->cap = cap;
  }
  size_t k = hash(id) & (set->cap - 1);
  while (set->slots[k].id) {
    if (strcmp(set->slots[k].id, id) == 0)
      return set->slots[k].line;
    k = (k + 1) & (set->cap - 1);
  }
  set->slots[k].id = strdup(id);
  set->slots[k].line = line;
  set->n++;
  return 0;
}

void imp_seen_release(struct imp_seen *set)
{
  for (size_t i = 0; i < set->cap; i++)
    free(set->slots[i].id);
  free(set->slots);
  memset(set, 0, sizeof *set);
}

/* A record must have as many fields as the header; extra empty ones at
 * the end (a trailing separator) are harmless. */
int imp_check_width(struct cli_import_batch *b, const struct cli_csv_record *header,
                    const struct cli_csv_record *rec)
{
  size_t n = rec->n;
  while (n > header->n && rec->fields[n - 1][0] == '\0')
    n--;
  if (n != header->n) {
    cli_import_error_add(b, rec->line, _("%zu kolommen in plaats van %zu"), n, header->n);
    return -1;
  }
  for (size_t i = 0; i < rec->n; i++)
    if (!imp_utf8_valid(rec->fields[i])) {
      cli_import_error_add(b, rec->line, "%s",
                           _("geen geldige UTF-8-tekst (bewaar het bestand als UTF-8)"));
      return -1;
    }
  return 0;
}
