/* Shared helpers of the labels module: buffers, QR masks, text in mm. */
#include "label_int.h"

#include <cairo-pdf.h>
#include <fontconfig/fontconfig.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- buffers ------------------------------------------------------------ */

static int buf_reserve(struct Label_buf *b, size_t extra)
{
  if (b->failed)
    return -1;
  if (b->len + extra < b->cap)
    return 0;
  size_t cap = b->cap ? b->cap : 4096;
  while (cap <= b->len + extra)
    cap *= 2;
  char *d = realloc(b->data, cap);
  if (!d) {
    b->failed = 1;
    return -1;
  }
  b->data = d;
  b->cap = cap;
  return 0;
}

void Label_buf_add(struct Label_buf *b, const void *p, size_t n)
{
  if (buf_reserve(b, n) == 0) {
    memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
  }
}

void Label_buf_printf(struct Label_buf *b, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0) {
    b->failed = 1;
    return;
  }
  if (buf_reserve(b, (size_t)n) != 0)
    return;
  va_start(ap, fmt);
  vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
  va_end(ap);
  b->len += (size_t)n;
}

void Label_buf_xml(struct Label_buf *b, const char *s)
{
  for (const char *p = s; p && *p; p++) {
    switch (*p) {
    case '&': Label_buf_add(b, "&amp;", 5); break;
    case '<': Label_buf_add(b, "&lt;", 4); break;
    case '>': Label_buf_add(b, "&gt;", 4); break;
    case '"': Label_buf_add(b, "&quot;", 6); break;
    case '\'': Label_buf_add(b, "&apos;", 6); break;
    default: Label_buf_add(b, p, 1);
    }
  }
}

cairo_status_t Label_buf_write(void *closure, const unsigned char *data, unsigned int length)
{
  struct Label_buf *b = closure;
  Label_buf_add(b, data, length);
  return b->failed ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

int Label_buf_finish(struct Label_buf *b, char **out, size_t *len)
{
  if (b->failed || !b->data) {
    free(b->data);
    *b = (struct Label_buf){0};
    return -1;
  }
  *out = b->data;
  *len = b->len;
  *b = (struct Label_buf){0};
  return 0;
}

/* ---- QR ----------------------------------------------------------------- */

QRcode *Label_qr_encode(const char *text, enum label_ecc ecc)
{
  if (!text || !*text || strlen(text) > 1000)
    return NULL;
  return QRcode_encodeString8bit(text, 0, ecc == LABEL_ECC_Q ? QR_ECLEVEL_Q : QR_ECLEVEL_M);
}

int Label_draw_qr(cairo_t *cr, const QRcode *qr, double x, double y, double module)
{
  int w = qr->width;
  cairo_surface_t *m = cairo_image_surface_create(CAIRO_FORMAT_A1, w, w);
  if (cairo_surface_status(m) != CAIRO_STATUS_SUCCESS) {
    cairo_surface_destroy(m);
    return -1;
  }
  cairo_surface_flush(m);
  unsigned char *data = cairo_image_surface_get_data(m);
  int stride = cairo_image_surface_get_stride(m);
  /* A1 packs pixels into 32-bit words in the machine's bit order. */
  int big = __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__;
  for (int r = 0; r < w; r++) {
    uint32_t *row = (uint32_t *)(void *)(data + (size_t)r * (size_t)stride);
    for (int c = 0; c < w; c++)
      if (qr->data[r * w + c] & 1)
        row[c >> 5] |= big ? 0x80000000u >> (c & 31) : 1u << (c & 31);
  }
  cairo_surface_mark_dirty(m);

  cairo_save(cr);
  cairo_translate(cr, x + LABEL_QUIET_MODULES * module, y + LABEL_QUIET_MODULES * module);
  cairo_scale(cr, module, module);
  cairo_pattern_t *p = cairo_pattern_create_for_surface(m);
  cairo_pattern_set_filter(p, CAIRO_FILTER_NEAREST);
  cairo_mask(cr, p);
  cairo_pattern_destroy(p);
  cairo_restore(cr);
  cairo_surface_destroy(m);
  return 0;
}

/* ---- text --------------------------------------------------------------- */

/* The measuring context draws at 16 device units per mm so FreeType's
 * fixed-point advances stay precise at label sizes. */
#define MEASURE_SCALE 16.0

int Label_text_init(struct Label_text *t)
{
  memset(t, 0, sizeof *t);
  t->scratch = cairo_image_surface_create(CAIRO_FORMAT_A8, 1, 1);
  t->cr = cairo_create(t->scratch);
  t->face[0] = cairo_toy_font_face_create("DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                                          CAIRO_FONT_WEIGHT_NORMAL);
  t->face[1] = cairo_toy_font_face_create("DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                                          CAIRO_FONT_WEIGHT_BOLD);
  /* Unhinted metrics: widths measured here equal widths drawn in a PDF
   * and in a PNG at any resolution. */
  t->opts = cairo_font_options_create();
  cairo_font_options_set_hint_metrics(t->opts, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style(t->opts, CAIRO_HINT_STYLE_NONE);
  cairo_scale(t->cr, MEASURE_SCALE, MEASURE_SCALE);
  cairo_set_font_options(t->cr, t->opts);
  if (cairo_status(t->cr) != CAIRO_STATUS_SUCCESS ||
      cairo_font_face_status(t->face[0]) != CAIRO_STATUS_SUCCESS ||
      cairo_font_face_status(t->face[1]) != CAIRO_STATUS_SUCCESS ||
      cairo_font_options_status(t->opts) != CAIRO_STATUS_SUCCESS) {
    Label_text_release(t);
    return -1;
  }
  return 0;
}

void Label_text_release(struct Label_text *t)
{
  if (t->cr)
    cairo_destroy(t->cr);
  if (t->scratch)
    cairo_surface_destroy(t->scratch);
  for (int i = 0; i < 2; i++)
    if (t->face[i])
      cairo_font_face_destroy(t->face[i]);
  if (t->opts)
    cairo_font_options_destroy(t->opts);
  memset(t, 0, sizeof *t);
}

void Label_text_use(const struct Label_text *t, cairo_t *cr, int bold, double size)
{
  cairo_set_font_face(cr, t->face[bold ? 1 : 0]);
  cairo_set_font_size(cr, size);
  cairo_set_font_options(cr, t->opts);
}

double Label_text_width(struct Label_text *t, int bold, double size, const char *s, size_t n)
{
  char small[512];
  char *copy = n < sizeof small ? small : malloc(n + 1);
  if (!copy)
    return 1e9; /* nothing fits: the caller shortens */
  memcpy(copy, s, n);
  copy[n] = '\0';
  Label_text_use(t, t->cr, bold, size);
  cairo_text_extents_t e;
  cairo_text_extents(t->cr, copy, &e);
  if (copy != small)
    free(copy);
  return e.x_advance;
}

void Label_text_extents(struct Label_text *t, int bold, double size, double *ascent,
                        double *descent)
{
  Label_text_use(t, t->cr, bold, size);
  cairo_font_extents_t fe;
  cairo_font_extents(t->cr, &fe);
  *ascent = fe.ascent;
  *descent = fe.descent;
}

static size_t utf8_back(const char *s, size_t k)
{
  while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
    k--;
  return k;
}

static void copy_n(char *out, size_t outsz, const char *s, size_t n, const char *suffix)
{
  size_t sl = suffix ? strlen(suffix) : 0;
  if (n + sl >= outsz)
    n = utf8_back(s, outsz > sl + 1 ? outsz - sl - 1 : 0);
  memcpy(out, s, n);
  if (sl)
    memcpy(out + n, suffix, sl);
  out[n + sl] = '\0';
}

#define ELLIPSIS "\xE2\x80\xA6"

size_t Label_text_fit(struct Label_text *t, int bold, double size, const char *s, double max_w,
                      char *out, size_t outsz)
{
  size_t n = strlen(s);
  if (n < outsz && Label_text_width(t, bold, size, s, n) <= max_w) {
    copy_n(out, outsz, s, n, NULL);
    return n;
  }
  double ew = Label_text_width(t, bold, size, ELLIPSIS, strlen(ELLIPSIS));
  if (ew > max_w) {
    out[0] = '\0';
    return n;
  }
  /* Widths grow with the prefix, so the longest prefix that fits with the
   * ellipsis is found by bisection: prefix lo fits, none longer than hi. */
  size_t lo = 0, hi = n < outsz - 4 ? n : outsz - 4;
  while (lo < hi) {
    size_t mid = utf8_back(s, lo + (hi - lo + 1) / 2);
    if (mid <= lo) {
      mid = lo + 1;
      while (mid < n && ((unsigned char)s[mid] & 0xC0) == 0x80)
        mid++;
      if (mid > hi)
        break;
    }
    if (Label_text_width(t, bold, size, s, mid) + ew <= max_w)
      lo = mid;
    else
      hi = mid - 1;
  }
  while (lo > 0 && s[lo - 1] == ' ')
    lo--;
  copy_n(out, outsz, s, lo, ELLIPSIS);
  return n;
}

void Label_text_wrap(struct Label_text *t, int bold, double size, const char *s, double max_w,
                     int last, char *out, size_t outsz, const char **next)
{
  while (*s == ' ')
    s++;
  if (last) {
    Label_text_fit(t, bold, size, s, max_w, out, outsz);
    *next = s + strlen(s);
    return;
  }
  size_t best = 0, n = strlen(s);
  for (size_t k = 0; k <= n; k++) {
    if (k < n && s[k] != ' ')
      continue;
    if (k >= outsz || Label_text_width(t, bold, size, s, k) > max_w)
      break;
    best = k;
  }
  if (best == 0) {
    /* a single word wider than the line: cut it where it stops fitting */
    size_t k = 0;
    for (;;) {
      size_t nk = k + 1;
      while (nk < n && ((unsigned char)s[nk] & 0xC0) == 0x80)
        nk++;
      if (nk > n || nk >= outsz || Label_text_width(t, bold, size, s, nk) > max_w)
        break;
      k = nk;
    }
    if (k == 0 && n > 0) {
      /* not even one character fits: take one anyway so the caller moves
       * on; its fitting shortens what is drawn */
      k = 1;
      while (k < n && ((unsigned char)s[k] & 0xC0) == 0x80)
        k++;
    }
    best = k;
  }
  copy_n(out, outsz, s, best, NULL);
  *next = s + best;
}

void Label_text_draw(const struct Label_text *t, cairo_t *cr, const struct label_line *l)
{
  if (!l->text[0])
    return;
  Label_text_use(t, cr, l->bold, l->size);
  cairo_move_to(cr, l->x, l->baseline);
  cairo_show_text(cr, l->text);
}

/* ---- checks ------------------------------------------------------------- */

int Label_utf8_ok(const char *s)
{
  const unsigned char *p = (const unsigned char *)s;
  while (p && *p) {
    unsigned c = *p;
    int extra;
    unsigned cp, min;
    if (c < 0x80) {
      if (c < 0x20 || c == 0x7F)
        return 0;
      p++;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      extra = 1, cp = c & 0x1F, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2, cp = c & 0x0F, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3, cp = c & 0x07, min = 0x10000;
    } else {
      return 0;
    }
    for (int i = 1; i <= extra; i++) {
      if ((p[i] & 0xC0) != 0x80)
        return 0;
      cp = (cp << 6) | (p[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) || cp < 0xA0)
      return 0;
    p += extra + 1;
  }
  return 1;
}

void Label_quote(const char *s, char *out, size_t outsz)
{
  size_t o = 0;
  for (const char *p = s; p && *p && o + 1 < outsz && o < 40; p++)
    out[o++] = (*p >= 0x20 && *p < 0x7F) ? *p : '?';
  out[o] = '\0';
}

/* ---- PDF ---------------------------------------------------------------- */

cairo_surface_t *Label_pdf_create(struct Label_buf *b, double w, double h, const char *title)
{
  cairo_surface_t *s = cairo_pdf_surface_create_for_stream(Label_buf_write, b,
                                                           w / LABEL_MM_PER_PT, h / LABEL_MM_PER_PT);
  cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, title);
  cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "leen");
  return s;
}

int Label_pdf_finish(cairo_t *cr, cairo_surface_t *s, struct Label_buf *b, unsigned char **out,
                     size_t *len, struct leen_err *err)
{
  cairo_status_t st = cairo_status(cr);
  cairo_destroy(cr);
  cairo_surface_finish(s);
  if (st == CAIRO_STATUS_SUCCESS)
    st = cairo_surface_status(s);
  cairo_surface_destroy(s);
  char *data = NULL;
  if (st != CAIRO_STATUS_SUCCESS || Label_buf_finish(b, &data, len) != 0) {
    free(b->data);
    *b = (struct Label_buf){0};
    *len = 0;
    return leen_error(err, LEEN_E_INTERNAL, "could not render the pdf: %s",
                      st != CAIRO_STATUS_SUCCESS ? cairo_status_to_string(st) : "out of memory");
  }
  *out = (unsigned char *)data;
  return 0;
}

void label_global_cleanup(void)
{
  cairo_debug_reset_static_data();
  FcFini();
}
