/* Internal to the statistics renderers (stats_render.c, stats_render_svg.c):
 * a growing text buffer that remembers running out of memory, and
 * locale-free number formatting. */
#ifndef LEEN_API_STATS_RENDER_INT_H
#define LEEN_API_STATS_RENDER_INT_H

#include <stddef.h>
#include <stdint.h>

struct sr_buf {
  char *p;
  size_t len, cap;
  int oom;                       /* set once an append failed; later appends do nothing */
};

void sr_put(struct sr_buf *b, const char *s, size_t n);
void sr_puts(struct sr_buf *b, const char *s);
void sr_printf(struct sr_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* x rounded to one decimal, always with one decimal: "12.5", "-0.3", "7.0" */
void sr_tenths(struct sr_buf *b, double x, char point);
/* x with up to three decimals, trailing zeros dropped: "40", "2.5" */
void sr_number(struct sr_buf *b, double x, char point);
/* cents as euros with two decimals: "12,50" */
void sr_euros(struct sr_buf *b, int64_t cents, char point);
/* text with XML's five special characters escaped */
void sr_xml(struct sr_buf *b, const char *s);
/* The text (NUL-terminated, length in *len when len is not NULL), or NULL
 * after running out of memory; the buffer is handed over either way. */
char *sr_finish(struct sr_buf *b, size_t *len);

#endif
