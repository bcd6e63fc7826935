/* Internals shared by the files of labels/ (the Label_ tier, as curl's
 * Curl_): growable buffers, QR drawing, text measuring and fitting. */
#ifndef LEEN_LABEL_INT_H
#define LEEN_LABEL_INT_H

#include <cairo.h>
#include <qrencode.h>
#include <stddef.h>

#include "leen/label.h"
#include "leen/qr.h"

#define LABEL_MM_PER_PT (25.4 / 72.0)

/* A growable byte buffer; failed sticks after the first allocation error
 * so callers check once at the end. */
struct Label_buf {
  char *data;
  size_t len, cap;
  int failed;
};
void Label_buf_add(struct Label_buf *b, const void *p, size_t n);
void Label_buf_printf(struct Label_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Appends s with XML's five special characters escaped. */
void Label_buf_xml(struct Label_buf *b, const char *s);
/* A cairo_write_func_t appending to a struct Label_buf. */
cairo_status_t Label_buf_write(void *closure, const unsigned char *data, unsigned int length);
/* Hands the buffer over (NUL-terminated) or frees it; 0 / -1. */
int Label_buf_finish(struct Label_buf *b, char **out, size_t *len);

/* libqrencode, 8-bit mode; NULL for empty, over-long text or no memory. */
QRcode *Label_qr_encode(const char *text, enum label_ecc ecc);
/* Draws qr with its top-left quiet-zone corner at (x, y), module units
 * per module, in the current source colour: one A1 pixel per module used
 * as a mask and scaled without smoothing, so modules stay sharp and a PDF
 * gets one small stencil image. Returns 0, -1 when out of memory. */
int Label_draw_qr(cairo_t *cr, const QRcode *qr, double x, double y, double module);

/* Fonts and a scratch context to measure text in mm. */
struct Label_text {
  cairo_surface_t *scratch;
  cairo_t *cr;
  cairo_font_face_t *face[2]; /* regular, bold: DejaVu Sans */
  cairo_font_options_t *opts;
};
int Label_text_init(struct Label_text *t);
void Label_text_release(struct Label_text *t);
/* Selects the font on cr (any context) for drawing. */
void Label_text_use(const struct Label_text *t, cairo_t *cr, int bold, double size);
double Label_text_width(struct Label_text *t, int bold, double size, const char *s, size_t n);
/* Ascent and descent of the font at size (mm). */
void Label_text_extents(struct Label_text *t, int bold, double size, double *ascent,
                        double *descent);
/* Copies into out (size outsz) as much of s as fits in max_w; when not all
 * of it fits, the copy ends in an ellipsis. Returns bytes of s consumed. */
size_t Label_text_fit(struct Label_text *t, int bold, double size, const char *s, double max_w,
                      char *out, size_t outsz);
/* Fills out with the longest run of whole words from s that fits max_w
 * (a lone over-long word is cut); *next gets where the next line starts.
 * With last set, the rest that does not fit ends in an ellipsis. */
void Label_text_wrap(struct Label_text *t, int bold, double size, const char *s, double max_w,
                     int last, char *out, size_t outsz, const char **next);
/* Draws one line (as laid out) on cr. */
void Label_text_draw(const struct Label_text *t, cairo_t *cr, const struct label_line *l);

/* 1 when s is NULL or valid UTF-8 with no control characters. */
int Label_utf8_ok(const char *s);
/* A copy of untrusted s fit to quote in a message: printable ASCII only,
 * at most 40 characters. */
void Label_quote(const char *s, char *out, size_t outsz);

/* A PDF surface of w x h mm writing into b, user units mm. */
cairo_surface_t *Label_pdf_create(struct Label_buf *b, double w, double h, const char *title);
/* Finishes the surface, checks cairo's status and hands the PDF over. */
int Label_pdf_finish(cairo_t *cr, cairo_surface_t *s, struct Label_buf *b, unsigned char **out,
                     size_t *len, struct leen_err *err);

/* A render call's checked options, resolved once. */
struct Label_job {
  const struct label_template *t;
  int start;          /* 1-based */
  double off_x, off_y;
  char base[208];     /* public base URL without a trailing slash */
  int single;         /* one label, page = label (SVG, PNG) */
  struct Label_text text;
};
/* Checks opts (NULL means all defaults) and sets j up; -1 with err. */
int Label_job_init(struct Label_job *j, const struct label_options *opts, int single,
                   struct leen_err *err);
void Label_job_release(struct Label_job *j);
/* Checks one item's fields; -1 with err naming "/items/<index>/..." (or
 * "/..." for a single label). */
int Label_job_check(const struct Label_job *j, const struct label_item *item, size_t index,
                    struct leen_err *err);
/* Lays item out as label number index; *qr (when qr is not NULL) gets
 * the encoded symbol, freed with QRcode_free. */
int Label_job_layout(struct Label_job *j, const struct label_item *item, size_t index,
                     struct label_layout *out, QRcode **qr, struct leen_err *err);

#endif
