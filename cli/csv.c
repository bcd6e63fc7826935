/* An RFC 4180 reader with the variants exports have: a UTF-8 BOM, ';' as
 * the separator (Excel in Belgium), CRLF, LF or CR line ends, quoted
 * fields with "" and line breaks inside. A malformed record is reported
 * with its line and reading resumes on the line after its start, so one
 * broken quote costs one record, not the rest of the file. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void cli_csv_open(struct cli_csv *p, const char *buf, size_t len)
{
  memset(p, 0, sizeof *p);
  p->buf = buf;
  p->len = len;
  p->line = 1;
  if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
    p->pos = 3;
  size_t semi = 0, comma = 0;
  int quoted = 0;
  for (size_t i = p->pos; i < len; i++) {
    char c = buf[i];
    if (c == '"')
      quoted = !quoted;
    else if (!quoted && (c == '\n' || c == '\r'))
      break;
    else if (!quoted && c == ';')
      semi++;
    else if (!quoted && c == ',')
      comma++;
  }
  p->sep = semi > comma ? ';' : ',';
}

void cli_csv_record_release(struct cli_csv_record *rec)
{
  for (size_t i = 0; i < rec->n; i++)
    free(rec->fields[i]);
  free(rec->fields);
  rec->fields = NULL;
  rec->n = 0;
}

/* Consumes a line end at pos (CRLF, LF or CR); 1 when there was one. */
static int eol(struct cli_csv *p)
{
  if (p->pos >= p->len)
    return 0;
  if (p->buf[p->pos] == '\r') {
    p->pos++;
    if (p->pos < p->len && p->buf[p->pos] == '\n')
      p->pos++;
  } else if (p->buf[p->pos] == '\n') {
    p->pos++;
  } else {
    return 0;
  }
  p->line++;
  return 1;
}

static int push(struct cli_csv_record *rec, struct cli_buf *f)
{
  char **n = realloc(rec->fields, (rec->n + 1) * sizeof *n);
  if (!n)
    return -1;
  rec->fields = n;
  rec->fields[rec->n++] = f->data ? f->data : strdup("");
  memset(f, 0, sizeof *f);
  return rec->fields[rec->n - 1] ? 0 : -1;
}

/* Gives up on the record that started at start (line start_line): the
 * next record begins on the line after. */
static int broken(struct cli_csv *p, struct cli_csv_record *rec, size_t start, long start_line,
                  struct cli_buf *f, const char *why)
{
  cli_buf_release(f);
  cli_csv_record_release(rec);
  rec->line = start_line;
  snprintf(rec->error, sizeof rec->error, "%s", why);
  p->pos = start;
  p->line = start_line;
  while (p->pos < p->len && p->buf[p->pos] != '\r' && p->buf[p->pos] != '\n')
    p->pos++;
  if (!eol(p))
    p->pos = p->len;
  return -1;
}

int cli_csv_next(struct cli_csv *p, struct cli_csv_record *rec)
{
  cli_csv_record_release(rec);
  rec->error[0] = '\0';
  while (eol(p))
    ;
  if (p->pos >= p->len)
    return 0;
  size_t start = p->pos;
  long start_line = p->line;
  rec->line = start_line;
  struct cli_buf f = {0};
  for (;;) {
    if (p->pos < p->len && p->buf[p->pos] == '"') {
      p->pos++;
      for (;;) {
        if (p->pos >= p->len)
          return broken(p, rec, start, start_line, &f, _("een aanhalingsteken wordt niet gesloten"));
        char c = p->buf[p->pos];
        if (c == '"') {
          if (p->pos + 1 < p->len && p->buf[p->pos + 1] == '"') {
            cli_buf_add(&f, "\"");
            p->pos += 2;
            continue;
          }
          p->pos++;
          break;
        }
        if (c == '\r' || c == '\n') {
          eol(p);
          cli_buf_add(&f, "\n");
          continue;
        }
        char one[2] = {c, '\0'};
        cli_buf_add(&f, one);
        p->pos++;
      }
      if (p->pos < p->len && p->buf[p->pos] != p->sep && p->buf[p->pos] != '\r' &&
          p->buf[p->pos] != '\n')
        return broken(p, rec, start, start_line, &f,
                      _("tekst na een afsluitend aanhalingsteken (gebruik \"\" binnen een veld)"));
    } else {
      size_t b = p->pos;
      while (p->pos < p->len && p->buf[p->pos] != p->sep && p->buf[p->pos] != '\r' &&
             p->buf[p->pos] != '\n') {
        if (p->buf[p->pos] == '"')
          return broken(p, rec, start, start_line, &f,
                        _("een aanhalingsteken midden in een veld zonder aanhalingstekens"));
        p->pos++;
      }
      cli_buf_addf(&f, "%.*s", (int)(p->pos - b), p->buf + b);
    }
    if (f.oom || push(rec, &f) < 0)
      return broken(p, rec, start, start_line, &f, _("onvoldoende geheugen"));
    if (p->pos < p->len && p->buf[p->pos] == p->sep) {
      p->pos++;
      continue;
    }
    eol(p);
    return 1;
  }
}
