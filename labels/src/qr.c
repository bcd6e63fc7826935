#include "leen/qr.h"

#include <cairo.h>
#include <qrencode.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define QUIET 4

static QRcode *encode(const char *text, enum label_ecc ecc)
{
  if (!text || !*text || strlen(text) > 1000)
    return NULL;
  return QRcode_encodeString8bit(text, 0, ecc == LABEL_ECC_Q ? QR_ECLEVEL_Q : QR_ECLEVEL_M);
}

struct buf {
  char *data;
  size_t len, cap;
  int failed;
};

static void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void buf_printf(struct buf *b, const char *fmt, ...)
{
  if (b->failed)
    return;
  for (;;) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(b->data ? b->data + b->len : NULL, b->data ? b->cap - b->len : 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
      b->failed = 1;
      return;
    }
    if (b->data && b->len + (size_t)n < b->cap) {
      b->len += (size_t)n;
      return;
    }
    size_t cap = b->cap ? b->cap * 2 : 4096;
    while (cap <= b->len + (size_t)n)
      cap *= 2;
    char *d = realloc(b->data, cap);
    if (!d) {
      b->failed = 1;
      return;
    }
    b->data = d;
    b->cap = cap;
  }
}

int label_qr_svg(const char *text, enum label_ecc ecc, double module_px, char **out, size_t *len)
{
  QRcode *qr = encode(text, ecc);
  if (!qr)
    return -1;
  int w = qr->width, total = w + 2 * QUIET;
  struct buf b = {0};
  buf_printf(&b,
             "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
             "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%g\" height=\"%g\" "
             "viewBox=\"0 0 %d %d\" shape-rendering=\"crispEdges\">\n"
             "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>\n<path fill=\"#000\" d=\"",
             total * module_px, total * module_px, total, total, total, total);
  /* one path, a run of dark modules per segment, keeps the file small */
  for (int y = 0; y < w; y++) {
    for (int x = 0; x < w;) {
      if (!(qr->data[y * w + x] & 1)) {
        x++;
        continue;
      }
      int run = 1;
      while (x + run < w && (qr->data[y * w + x + run] & 1))
        run++;
      buf_printf(&b, "M%d %dh%dv1h-%dz", x + QUIET, y + QUIET, run, run);
      x += run;
    }
  }
  buf_printf(&b, "\"/>\n</svg>\n");
  QRcode_free(qr);
  if (b.failed) {
    free(b.data);
    return -1;
  }
  *out = b.data;
  *len = b.len;
  return 0;
}

static cairo_status_t write_png(void *closure, const unsigned char *data, unsigned int length)
{
  struct buf *b = closure;
  if (b->len + length > b->cap) {
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + length)
      cap *= 2;
    char *d = realloc(b->data, cap);
    if (!d)
      return CAIRO_STATUS_NO_MEMORY;
    b->data = d;
    b->cap = cap;
  }
  memcpy(b->data + b->len, data, length);
  b->len += length;
  return CAIRO_STATUS_SUCCESS;
}

int label_qr_png(const char *text, enum label_ecc ecc, int module_px, unsigned char **out,
                 size_t *len)
{
  if (module_px < 1 || module_px > 64)
    return -1;
  QRcode *qr = encode(text, ecc);
  if (!qr)
    return -1;
  int w = qr->width, side = (w + 2 * QUIET) * module_px;
  cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, side, side);
  cairo_t *cr = cairo_create(s);
  cairo_set_antialias(cr, CAIRO_ANTIALIAS_NONE);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
  cairo_set_source_rgb(cr, 0, 0, 0);
  for (int y = 0; y < w; y++)
    for (int x = 0; x < w; x++)
      if (qr->data[y * w + x] & 1)
        cairo_rectangle(cr, (x + QUIET) * module_px, (y + QUIET) * module_px, module_px,
                        module_px);
  cairo_fill(cr);
  cairo_destroy(cr);
  QRcode_free(qr);
  struct buf b = {0};
  cairo_status_t st = cairo_surface_write_to_png_stream(s, write_png, &b);
  cairo_surface_destroy(s);
  if (st != CAIRO_STATUS_SUCCESS) {
    free(b.data);
    return -1;
  }
  *out = (unsigned char *)b.data;
  *len = b.len;
  return 0;
}
