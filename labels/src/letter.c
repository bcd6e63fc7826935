/* The member card and the voucher letter: one-page PDFs for families,
 * in plain Dutch (klare taal). */
#include "label_int.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CARD_W 85.6
#define CARD_H 53.98
#define CARD_R 3.18
#define A4_W 210.0
#define A4_H 297.0

static const char *const months[] = {"januari", "februari", "maart",     "april",
                                     "mei",     "juni",     "juli",      "augustus",
                                     "september", "oktober", "november", "december"};

int label_date_dutch(const char *iso, char *buf, size_t size)
{
  if (!iso || strlen(iso) != 10 || iso[4] != '-' || iso[7] != '-' || !buf)
    return -1;
  int v[3] = {0, 0, 0};
  const int at[3] = {0, 5, 8}, nd[3] = {4, 2, 2};
  for (int f = 0; f < 3; f++) {
    for (int i = 0; i < nd[f]; i++) {
      char c = iso[at[f] + i];
      if (c < '0' || c > '9')
        return -1;
      v[f] = v[f] * 10 + (c - '0');
    }
  }
  int y = v[0], m = v[1], d = v[2];
  static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (y < 1 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1] + (m == 2 && leap))
    return -1;
  int n = snprintf(buf, size, "%d %s %d", d, months[m - 1], y);
  return n < 0 || (size_t)n >= size ? -1 : 0;
}

/* Draws text wrapped to width from (x, *y) (top of the first line) and
 * moves *y below it; at most max_lines, the last one shortened. */
static void para(struct Label_text *t, cairo_t *cr, const char *text, int bold, double size,
                 double x, double *y, double width, int max_lines)
{
  double asc, desc;
  Label_text_extents(t, bold, size, &asc, &desc);
  double lh = (asc + desc) * 1.25; /* airy lines read more easily */
  const char *rest = text;
  for (int i = 0; i < max_lines && *rest; i++) {
    struct label_line ln = {.x = x, .baseline = *y + asc, .size = size, .bold = bold};
    const char *next;
    Label_text_wrap(t, bold, size, rest, width, i == max_lines - 1, ln.text, sizeof ln.text,
                    &next);
    Label_text_draw(t, cr, &ln);
    *y += lh;
    rest = next;
  }
}

/* One line shrunk until it fits width (not below min), then shortened. */
static void line_fit(struct Label_text *t, cairo_t *cr, const char *text, int bold, double size,
                     double min, double x, double top, double width)
{
  double w = Label_text_width(t, bold, size, text, strlen(text));
  if (w > width)
    size = fmax(size * width / w * 0.999, min);
  double asc, desc;
  Label_text_extents(t, bold, size, &asc, &desc);
  struct label_line ln = {.x = x, .baseline = top + asc, .size = size, .bold = bold};
  Label_text_fit(t, bold, size, text, width, ln.text, sizeof ln.text);
  Label_text_draw(t, cr, &ln);
}

/* The QR of text in a square of side mm at (x, y), quiet zone included. */
static int qr_box(cairo_t *cr, const char *text, double x, double y, double side)
{
  QRcode *qr = Label_qr_encode(text, LABEL_ECC_M);
  if (!qr)
    return -1;
  double module = side / (qr->width + 2 * LABEL_QUIET_MODULES);
  int rc = module < LABEL_MIN_MODULE_MM ? -1 : Label_draw_qr(cr, qr, x, y, module);
  QRcode_free(qr);
  return rc;
}

static int text_field_ok(const char *value, const char *field, int required,
                         struct leen_err *err)
{
  if (required && (!value || !*value))
    return leen_error_field(err, LEEN_E_INVALID_FIELD, field, "%s is required", field + 1);
  if (!Label_utf8_ok(value))
    return leen_error_field(err, LEEN_E_INVALID_FIELD, field, "%s is not valid UTF-8 text",
                            field + 1);
  return 0;
}

/* ---- member card ---------------------------------------------------------- */

static void card_face(struct Label_text *t, cairo_t *cr, const struct label_card *c,
                      const char *number, int *qr_rc)
{
  const double pad = 4.0, qside = 30.0;
  /* the quiet zone is white margin enough: the QR goes close to the edge */
  double qx = CARD_W - qside - 1.5, qy = CARD_H - qside - 1.5;
  double left_w = qx - pad - 1.0;
  cairo_set_source_rgb(cr, 0, 0, 0);
  line_fit(t, cr, c->library_name, 1, 4.2, 2.5, pad, pad, CARD_W - 2 * pad);
  double y = pad + 7.0;
  line_fit(t, cr, "Lidkaart", 0, 3.2, 2.5, pad, y, left_w);
  y += 5.0;
  if (c->household_name && *c->household_name) {
    double yy = y;
    para(t, cr, c->household_name, 0, 3.4, pad, &yy, left_w, 2);
  }
  line_fit(t, cr, "Lidnummer", 0, 2.6, 2.0, pad, CARD_H - pad - 13.5, left_w);
  line_fit(t, cr, number, 1, 8.0, 3.0, pad, CARD_H - pad - 10.0, left_w);
  *qr_rc = qr_box(cr, number, qx, qy, qside);
}

int label_card_pdf(const struct label_card *card, enum label_card_format format,
                   unsigned char **out, size_t *len, struct leen_err *err)
{
  *out = NULL;
  *len = 0;
  if (!card)
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/number", "no member card given");
  if (card->number <= 0)
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/number",
                            "member number %" PRId64 " is not positive", card->number);
  if (text_field_ok(card->library_name, "/library_name", 1, err) != 0 ||
      text_field_ok(card->household_name, "/household_name", 0, err) != 0)
    return -1;
  if (format != LABEL_CARD_A4 && format != LABEL_CARD_ID1)
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/format", "unknown card format");
  struct Label_text t;
  if (Label_text_init(&t) != 0)
    return leen_error(err, LEEN_E_INTERNAL, "could not load the label font");
  char number[24];
  snprintf(number, sizeof number, "%" PRId64, card->number);

  int a4 = format == LABEL_CARD_A4;
  struct Label_buf b = {0};
  cairo_surface_t *s =
      Label_pdf_create(&b, a4 ? A4_W : CARD_W, a4 ? A4_H : CARD_H, "Lidkaart");
  cairo_t *cr = cairo_create(s);
  cairo_scale(cr, 1 / LABEL_MM_PER_PT, 1 / LABEL_MM_PER_PT);
  int qr_rc = 0;
  if (a4) {
    double cx = (A4_W - CARD_W) / 2, cy = 40.0, y = 20.0;
    cairo_set_source_rgb(cr, 0, 0, 0);
    para(&t, cr, "Knip uw lidkaart uit langs de stippellijn. Toon de kaart aan de balie als u "
                 "iets komt lenen of terugbrengt.",
         0, 3.6, cx, &y, CARD_W, 4);
    /* the cutting line, dashed, just outside the card */
    double dash[] = {1.5, 1.0};
    cairo_save(cr);
    cairo_set_dash(cr, dash, 2, 0);
    cairo_set_line_width(cr, 0.2);
    cairo_set_source_rgb(cr, 0.45, 0.45, 0.45);
    cairo_new_path(cr);
    cairo_arc(cr, cx + CARD_W - CARD_R, cy + CARD_R, CARD_R, -M_PI / 2, 0);
    cairo_arc(cr, cx + CARD_W - CARD_R, cy + CARD_H - CARD_R, CARD_R, 0, M_PI / 2);
    cairo_arc(cr, cx + CARD_R, cy + CARD_H - CARD_R, CARD_R, M_PI / 2, M_PI);
    cairo_arc(cr, cx + CARD_R, cy + CARD_R, CARD_R, M_PI, 3 * M_PI / 2);
    cairo_close_path(cr);
    cairo_stroke(cr);
    cairo_restore(cr);
    cairo_translate(cr, cx, cy);
  }
  card_face(&t, cr, card, number, &qr_rc);
  Label_text_release(&t);
  if (qr_rc != 0) {
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    free(b.data);
    return leen_error(err, LEEN_E_INTERNAL, "could not draw the qr code of member %s", number);
  }
  return Label_pdf_finish(cr, s, &b, out, len, err);
}

/* ---- voucher letter --------------------------------------------------------- */

static int voucher_code_ok(const char *code)
{
  size_t n = code ? strlen(code) : 0;
  if (n < 4 || n > 32)
    return 0;
  for (size_t i = 0; i < n; i++)
    if (!((code[i] >= 'A' && code[i] <= 'Z') || (code[i] >= '0' && code[i] <= '9') ||
          code[i] == '-'))
      return 0;
  return 1;
}

#define MAX_LIBRARIES 12

static int voucher_check(const struct label_voucher *v, char *until, size_t until_size,
                         struct leen_err *err)
{
  if (!v || !voucher_code_ok(v->code)) {
    char q[48];
    Label_quote(v ? v->code : NULL, q, sizeof q);
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/code",
                            "voucher code \"%s\" must be 4 to 32 characters of A-Z, 0-9 and -",
                            q);
  }
  if (!v->level || (strcmp(v->level, "social") != 0 && strcmp(v->level, "full") != 0)) {
    char q[48];
    Label_quote(v->level, q, sizeof q);
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/level",
                            "level \"%s\" is not \"social\" or \"full\"", q);
  }
  if (label_date_dutch(v->valid_until, until, until_size) != 0) {
    char q[48];
    Label_quote(v->valid_until, q, sizeof q);
    return leen_error_field(err, LEEN_E_INVALID_DATE, "/valid_until",
                            "valid_until \"%s\" is not a date of the form YYYY-MM-DD", q);
  }
  if (text_field_ok(v->org_name, "/org_name", 1, err) != 0 ||
      text_field_ok(v->household_name, "/household_name", 0, err) != 0 ||
      text_field_ok(v->issued_by, "/issued_by", 0, err) != 0)
    return -1;
  for (size_t i = 0; v->library_names && v->library_names[i]; i++) {
    if (i >= MAX_LIBRARIES || !*v->library_names[i] || !Label_utf8_ok(v->library_names[i]))
      return leen_error_field(err, LEEN_E_INVALID_FIELD, "/library_names",
                              "library_names must be at most %d non-empty UTF-8 names",
                              MAX_LIBRARIES);
  }
  return 0;
}

/* "A", "A of B", "A, B of C": where the family can go. */
static void join_libraries(struct Label_buf *b, const char *const *names, const char *org)
{
  size_t n = 0;
  while (names && names[n])
    n++;
  if (n == 0) {
    Label_buf_printf(b, "een uitleendienst van %s", org);
    return;
  }
  for (size_t i = 0; i < n; i++)
    Label_buf_printf(b, "%s%s", i == 0 ? "" : i == n - 1 ? " of " : ", ", names[i]);
}

int label_voucher_pdf(const struct label_voucher *v, unsigned char **out, size_t *len,
                      struct leen_err *err)
{
  *out = NULL;
  *len = 0;
  char until[40];
  if (voucher_check(v, until, sizeof until, err) != 0)
    return -1;
  struct Label_text t;
  if (Label_text_init(&t) != 0)
    return leen_error(err, LEEN_E_INTERNAL, "could not load the label font");
  struct Label_buf text = {0};
  Label_buf_printf(&text, "Breng deze brief mee naar ");
  join_libraries(&text, v->library_names, v->org_name);
  Label_buf_printf(&text, ".");
  struct Label_buf b = {0};
  cairo_surface_t *s = Label_pdf_create(&b, A4_W, A4_H, "Kortingsbrief");
  cairo_t *cr = cairo_create(s);
  cairo_scale(cr, 1 / LABEL_MM_PER_PT, 1 / LABEL_MM_PER_PT);
  cairo_set_source_rgb(cr, 0, 0, 0);

  const double x = 25.0, w = A4_W - 50.0, body = 4.2, head = 4.8;
  double y = 22.0;
  line_fit(&t, cr, v->org_name, 1, 5.0, 3.0, x, y, w);
  y += 7.0;
  if (v->issued_by && *v->issued_by)
    para(&t, cr, v->issued_by, 0, body, x, &y, w, 2);
  y = 52.0;
  line_fit(&t, cr, "Uw kortingsbrief", 1, 8.0, 5.0, x, y, w);
  y += 12.0;
  if (v->household_name && *v->household_name) {
    struct Label_buf f = {0};
    Label_buf_printf(&f, "Voor: %s", v->household_name);
    para(&t, cr, f.data ? f.data : "", 0, body, x, &y, w, 2);
    free(f.data);
    y += 2.0;
  }
  struct Label_buf intro = {0};
  Label_buf_printf(&intro, "Met deze brief krijgt uw gezin korting bij de uitleendiensten "
                           "van %s.", v->org_name);
  para(&t, cr, intro.data ? intro.data : "", 0, body, x, &y, w, 3);
  free(intro.data);

  y += 6.0;
  para(&t, cr, "Wat krijgt u?", 1, head, x, &y, w, 1);
  para(&t, cr,
       strcmp(v->level, "full") == 0
           ? "U leent gratis. U betaalt geen lidgeld en geen waarborg."
           : "U krijgt het sociaal tarief. U betaalt minder voor uw lidmaatschap.",
       0, body, x, &y, w, 3);

  y += 6.0;
  para(&t, cr, "Tot wanneer?", 1, head, x, &y, w, 1);
  struct Label_buf when = {0};
  Label_buf_printf(&when, "De korting geldt tot en met %s.", until);
  para(&t, cr, when.data ? when.data : "", 0, body, x, &y, w, 2);
  free(when.data);

  y += 6.0;
  para(&t, cr, "Hoe gebruikt u deze brief?", 1, head, x, &y, w, 1);
  const char *steps[] = {
      text.data ? text.data : "",
      "Toon de brief aan de balie. De vrijwilliger scant de code.",
      "Daarna krijgt u de korting vanzelf, in elke uitleendienst. U moet de brief maar "
      "\xC3\xA9\xC3\xA9n keer tonen."};
  for (int i = 0; i < 3; i++) {
    char num[8];
    snprintf(num, sizeof num, "%d.", i + 1);
    double yy = y;
    para(&t, cr, num, 0, body, x, &yy, 8.0, 1);
    para(&t, cr, steps[i], 0, body, x + 7.0, &y, w - 7.0, 4);
    y += 1.5;
  }
  free(text.data);

  /* the code: QR on the left, the same code large beside it */
  y += 6.0;
  const double qside = 50.0;
  int qr_rc = qr_box(cr, v->code, x - 2.0, y, qside);
  double cx = x + qside, cw = w - qside + 2.0;
  line_fit(&t, cr, "Uw code", 0, body, 3.0, cx, y + 12.0, cw);
  line_fit(&t, cr, v->code, 1, 11.0, 4.0, cx, y + 19.0, cw);
  y += qside + 4.0;

  para(&t, cr, "U kunt deze code maar \xC3\xA9\xC3\xA9n keer gebruiken. Bewaar de brief goed.",
       0, body, x, &y, w, 2);
  if (v->issued_by && *v->issued_by) {
    struct Label_buf q = {0};
    Label_buf_printf(&q, "Hebt u een vraag? Neem contact op met %s.", v->issued_by);
    para(&t, cr, q.data ? q.data : "", 0, body, x, &y, w, 3);
    free(q.data);
  }
  Label_text_release(&t);
  if (qr_rc != 0) {
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    free(b.data);
    return leen_error(err, LEEN_E_INTERNAL, "could not draw the qr code of the voucher");
  }
  return Label_pdf_finish(cr, s, &b, out, len, err);
}
