/* Labels, member cards and voucher letters: PDF, SVG and PNG.
 *
 * Contract shared by every function here:
 *  - Lengths are millimetres; a layout's origin is the top-left corner of
 *    the page, x to the right, y down.
 *  - Rendering functions return 0 and hand over *out, a malloc'ed buffer
 *    the caller frees with free(), and *len, its length in bytes. On error
 *    they return -1, leave *out NULL and *len 0, and fill err (which may be
 *    NULL) with a code from leen/error.h and a message meant for the person
 *    who asked (the API answers 4xx for LEEN_E_INVALID_FIELD and
 *    LEEN_E_INVALID_DATE, 500 for LEEN_E_INTERNAL), with err->field set to
 *    a JSON pointer of the offending input ("/template", "/items/3/code").
 *  - Strings are UTF-8 and only read during the call; nothing is kept.
 *  - Nothing here prints, and nothing keeps global mutable state: calls may
 *    run on several threads at once.
 *  - Text that does not fit is shortened with an ellipsis; it is never
 *    drawn over a QR code or outside its label. */
#ifndef LEEN_LABEL_H
#define LEEN_LABEL_H

#include <stddef.h>
#include <stdint.h>

#include "leen/error.h"

/* ---- templates --------------------------------------------------------- */

/* A sheet (or roll) of labels. Position n (1-based) on a sheet is column
 * (n-1) % columns, row (n-1) / columns: left to right, then down. */
struct label_template {
  const char *name;        /* "avery-l7160": what the API and CLI accept */
  const char *description; /* one line for people choosing a template */
  double page_w, page_h;   /* the page the printer gets */
  double label_w, label_h;
  double margin_left;      /* page edge to the first column's left edge */
  double margin_top;       /* page edge to the first row's top edge */
  double pitch_x, pitch_y; /* left edge to left edge, top edge to top edge */
  int columns, rows;
  double corner_radius;
};

/* The template called name (exact, lowercase), or NULL when there is none
 * or name is NULL. The result points into a static const table. */
const struct label_template *label_template_find(const char *name);

/* All templates, in a stable order for listings; *count gets how many
 * (count may be NULL). Static const data; never NULL. */
const struct label_template *label_templates(size_t *count);

/* ---- item labels ------------------------------------------------------- */

/* One item to label. Only code is required; NULL and "" are the same for
 * the rest. */
struct label_item {
  const char *code;         /* "FB0042": 1-32 of A-Z and 0-9 */
  const char *name;         /* "Btwin 16 rood"; printed when not empty */
  const char *category;     /* printed when name is empty */
  const char *library_name; /* "Fietsbieb Izegem" */
  int outdoor;              /* non-zero: QR error correction Q (Fietsbieb) */
};

struct label_options {
  const char *template_name; /* NULL: "avery-l7160" for sheets, "single" for SVG/PNG */
  int start;                 /* first position used on the first sheet, 1-based; 0 means 1 */
  double offset_x, offset_y; /* moves everything on the page, -10..10 mm, for one printer */
  const char *base_url;      /* required: "https://leen.example.be"; the QR holds <base>/i/<code> */
  int dpi;                   /* PNG only, 72..1200; 0 means 300 */
  int outline;               /* non-zero: draw each label's outline (test print on plain paper) */
};

#define LABEL_MAX_ITEMS 10000
#define LABEL_MIN_MODULE_MM 0.5
#define LABEL_QUIET_MODULES 4
#define LABEL_MAX_LINES 5

struct label_rect {
  double x, y, w, h;
};

/* One line of text as it is drawn. */
struct label_line {
  char text[192];        /* UTF-8, ending in U+2026 when it was shortened */
  double x, baseline;    /* start of the baseline */
  double size;           /* font size (em) in mm; DejaVu Sans */
  int bold;
  struct label_rect box; /* x, baseline - ascent, advance width, ascent + descent */
};

/* Where everything of one label goes. */
struct label_layout {
  int page;                /* 0-based page of the PDF */
  int position;            /* 1-based position on that sheet */
  struct label_rect label; /* the label, offsets applied */
  struct label_rect qr;    /* the QR symbol including its quiet zone */
  int qr_modules;          /* modules across, quiet zone included */
  double module;           /* size of one module, >= LABEL_MIN_MODULE_MM */
  struct label_rect text;  /* the area text may use: right of the QR's quiet zone */
  int nlines;
  struct label_line lines[LABEL_MAX_LINES];
  char url[256];           /* what the QR holds */
};

/* Computes where label number index (0-based, in the order given to
 * label_render_pdf) with this item goes under opts. The renderers draw
 * exactly this. Returns 0, or -1 with err filled for the same input
 * errors label_render_pdf reports. out must not be NULL. */
int label_layout(const struct label_item *item, size_t index, const struct label_options *opts,
                 struct label_layout *out, struct leen_err *err);

/* How many sheets (pages of label_render_pdf) n labels take on template t
 * when the first goes on position start (1-based; 0 means 1): 0 for n 0.
 * Returns -1 when t is NULL, start is outside the sheet or n is over
 * LABEL_MAX_ITEMS, the inputs label_render_pdf refuses. */
int label_sheet_count(const struct label_template *t, int start, size_t n);

/* Renders n items as a PDF, in order, one label per position, as many
 * pages as needed (sheet templates; "single" makes one page per label).
 * Errors (LEEN_E_INVALID_FIELD unless said otherwise):
 *   "/items"     items NULL, n 0 ("no items selected") or n > LABEL_MAX_ITEMS
 *   "/template"  unknown template
 *   "/start"     start < 0 or past the last position of the sheet
 *   "/offset_x", "/offset_y"  not finite or beyond 10 mm
 *   "/base_url"  missing, not http(s), not printable ASCII, over 200 chars
 *   "/items/N/code"  empty, too long, or anything but A-Z and 0-9 ("../")
 *   "/items/N/name" (category, library_name)  not UTF-8, or control chars
 *   "/items/N"   the QR would need modules under 0.5 mm on this template
 *   LEEN_E_INTERNAL  out of memory or cairo failed */
int label_render_pdf(const struct label_item *items, size_t n, const struct label_options *opts,
                     unsigned char **out, size_t *len, struct leen_err *err);

/* One label as a standalone SVG document (mm units, the label's size from
 * the template; start and offsets ignored): the QR as one path, text as
 * <text> in DejaVu Sans, so the code can be searched. NUL-terminated.
 * Errors as label_render_pdf's, with fields named without "/items/N"
 * ("/code", "/name"; "/base_url" when the QR would be too dense). */
int label_render_svg(const struct label_item *item, const struct label_options *opts, char **out,
                     size_t *len, struct leen_err *err);

/* One label as a PNG of the label's size at opts->dpi. Errors as
 * label_render_svg's, and "/dpi" out of range. */
int label_render_png(const struct label_item *item, const struct label_options *opts,
                     unsigned char **out, size_t *len, struct leen_err *err);

/* Writes the code as people read it: letters, a dash, the rest
 * ("FB0042" -> "FB-0042"; a code without such a split stays as is).
 * Returns 0, or -1 when code is not valid or buf (size bytes) too small. */
int label_code_format(const char *code, char *buf, size_t size);

/* ---- member card --------------------------------------------------------- */

enum label_card_format {
  LABEL_CARD_A4,  /* the card on an A4 page with a cutting line */
  LABEL_CARD_ID1  /* a page of card size, 85.6 x 53.98 mm, for a card printer */
};

struct label_card {
  int64_t number;             /* the household's member number, > 0; QR and text */
  const char *household_name; /* optional: "Gezin Peeters" */
  const char *library_name;   /* required */
};

/* The member card as a one-page PDF. Errors: "/number" not positive,
 * "/library_name" missing, any text not UTF-8 (LEEN_E_INVALID_FIELD). */
int label_card_pdf(const struct label_card *card, enum label_card_format format,
                   unsigned char **out, size_t *len, struct leen_err *err);

/* ---- voucher letter -------------------------------------------------------- */

struct label_voucher {
  const char *code;                 /* required: 4-32 of A-Z, 0-9 and '-'; QR and large text */
  const char *level;                /* "social" (sociaal tarief) or "full" (gratis, geen waarborg) */
  const char *valid_until;          /* "YYYY-MM-DD", the last day the reduction holds */
  const char *org_name;             /* required: "Stad Izegem"; it holds in all its libraries */
  const char *const *library_names; /* where to bring it: NULL-terminated, may be NULL */
  const char *household_name;       /* optional: "Gezin Peeters" */
  const char *issued_by;            /* optional: who to ask, "Sociaal Huis Izegem" */
};

/* The letter a social worker hands to a family, in plain Dutch, as a
 * one-page A4 PDF. Errors: "/code", "/level", "/org_name",
 * "/library_names", texts not UTF-8 (LEEN_E_INVALID_FIELD); "/valid_until"
 * not a real date (LEEN_E_INVALID_DATE). */
int label_voucher_pdf(const struct label_voucher *voucher, unsigned char **out, size_t *len,
                      struct leen_err *err);

/* Writes a "YYYY-MM-DD" date in Dutch words ("30 juni 2027") into buf.
 * Returns 0, or -1 when the date does not exist or buf is too small. */
int label_date_dutch(const char *iso, char *buf, size_t size);

/* ---- process ------------------------------------------------------------- */

/* Frees the font caches cairo and fontconfig keep for the whole process,
 * so leak checkers (ASan) see a clean exit. Call it at most once, at exit,
 * after every thread has stopped rendering; nothing here may be called
 * afterwards. Like curl_global_cleanup, it is optional otherwise. */
void label_global_cleanup(void);

#endif
