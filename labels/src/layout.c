/* Where a label's parts go: checks the request, places the label on its
 * sheet, sizes the QR and fits the text beside it. Every renderer draws
 * what this computes, so tests can check geometry without pixels. */
#include "label_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define PAD 1.5          /* label edge to the QR's quiet zone and the text */
#define TEXT_GAP 0.5     /* quiet zone to text: glyphs may overhang their origin */
#define MAX_OFFSET 10.0
#define MAX_CODE 32
#define MAX_BASE 200
/* QR modules and their position snap to 1/300 inch so every module spans
 * the same whole number of dots on 300 and 600 dpi printers. */
#define DOT (25.4 / 300.0)

static int code_ok(const char *code)
{
  size_t n = code ? strlen(code) : 0;
  if (n == 0 || n > MAX_CODE)
    return 0;
  for (size_t i = 0; i < n; i++)
    if (!((code[i] >= 'A' && code[i] <= 'Z') || (code[i] >= '0' && code[i] <= '9')))
      return 0;
  return 1;
}

int label_code_format(const char *code, char *buf, size_t size)
{
  if (!code_ok(code) || !buf)
    return -1;
  size_t n = strlen(code), letters = 0;
  while (letters < n && code[letters] >= 'A' && code[letters] <= 'Z')
    letters++;
  int dash = letters > 0 && letters < n;
  if (n + (size_t)dash + 1 > size)
    return -1;
  memcpy(buf, code, letters);
  if (dash)
    buf[letters] = '-';
  memcpy(buf + letters + (size_t)dash, code + letters, n - letters);
  buf[n + (size_t)dash] = '\0';
  return 0;
}

static int base_url_set(struct Label_job *j, const char *base, struct leen_err *err)
{
  if (!base || !*base)
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/base_url",
                            "the public base url is not set");
  size_t n = strlen(base);
  size_t scheme = strncmp(base, "https://", 8) == 0 ? 8 : strncmp(base, "http://", 7) == 0 ? 7 : 0;
  int printable = 1;
  for (size_t i = 0; i < n; i++)
    if (base[i] <= 0x20 || base[i] >= 0x7F)
      printable = 0;
  while (n > scheme && base[n - 1] == '/')
    n--;
  if (!scheme || n == scheme || !printable || n > MAX_BASE) {
    char q[48];
    Label_quote(base, q, sizeof q);
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/base_url",
                            "the public base url \"%s\" is not an http(s) url of at most %d "
                            "printable characters", q, MAX_BASE);
  }
  memcpy(j->base, base, n);
  j->base[n] = '\0';
  return 0;
}

int Label_job_init(struct Label_job *j, const struct label_options *opts, int single,
                   struct leen_err *err)
{
  static const struct label_options none = {0};
  const struct label_options *o = opts ? opts : &none;
  memset(j, 0, sizeof *j);
  j->single = single;
  const char *name = o->template_name ? o->template_name : single ? "single" : "avery-l7160";
  j->t = label_template_find(name);
  if (!j->t) {
    char q[48];
    Label_quote(name, q, sizeof q);
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/template",
                            "unknown label template \"%s\"", q);
  }
  if (!single) {
    int per = j->t->columns * j->t->rows;
    j->start = o->start ? o->start : 1;
    if (j->start < 1 || j->start > per)
      return leen_error_field(err, LEEN_E_INVALID_FIELD, "/start",
                              "start %d is outside the sheet: template \"%s\" has positions 1 "
                              "to %d", o->start, j->t->name, per);
    if (!isfinite(o->offset_x) || fabs(o->offset_x) > MAX_OFFSET)
      return leen_error_field(err, LEEN_E_INVALID_FIELD, "/offset_x",
                              "offset_x must be between -10 and 10 mm");
    if (!isfinite(o->offset_y) || fabs(o->offset_y) > MAX_OFFSET)
      return leen_error_field(err, LEEN_E_INVALID_FIELD, "/offset_y",
                              "offset_y must be between -10 and 10 mm");
    j->off_x = o->offset_x;
    j->off_y = o->offset_y;
  }
  if (base_url_set(j, o->base_url, err) != 0)
    return -1;
  if (Label_text_init(&j->text) != 0)
    return leen_error(err, LEEN_E_INTERNAL, "could not load the label font");
  return 0;
}

void Label_job_release(struct Label_job *j)
{
  Label_text_release(&j->text);
}

int Label_job_check(const struct Label_job *j, const struct label_item *item, size_t index,
                    struct leen_err *err)
{
  char where[48], field[64];
  if (j->single)
    where[0] = '\0';
  else
    snprintf(where, sizeof where, "/items/%zu", index);
  if (!item) {
    snprintf(field, sizeof field, "%s", j->single ? "/code" : where);
    return leen_error_field(err, LEEN_E_INVALID_FIELD, field, "no item given");
  }
  if (!code_ok(item->code)) {
    char q[48];
    Label_quote(item->code, q, sizeof q);
    snprintf(field, sizeof field, "%s/code", where);
    return leen_error_field(err, LEEN_E_INVALID_FIELD, field,
                            "item code \"%s\" must be 1 to %d characters of A-Z and 0-9", q,
                            MAX_CODE);
  }
  const struct {
    const char *name, *value;
  } texts[] = {{"name", item->name}, {"category", item->category},
               {"library_name", item->library_name}};
  for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
    if (!Label_utf8_ok(texts[i].value)) {
      snprintf(field, sizeof field, "%s/%s", where, texts[i].name);
      return leen_error_field(err, LEEN_E_INVALID_FIELD, field,
                              "the %s of item %s is not valid UTF-8 text", texts[i].name,
                              item->code);
    }
  }
  return 0;
}

static void put_line(struct Label_job *j, struct label_layout *l, const char *text, int bold,
                     double size, double x, double top, double max_w)
{
  if (l->nlines >= LABEL_MAX_LINES)
    return;
  struct label_line *ln = &l->lines[l->nlines];
  double asc, desc;
  Label_text_extents(&j->text, bold, size, &asc, &desc);
  Label_text_fit(&j->text, bold, size, text, max_w, ln->text, sizeof ln->text);
  if (!ln->text[0])
    return;
  ln->x = x;
  ln->baseline = top + asc;
  ln->size = size;
  ln->bold = bold;
  ln->box = (struct label_rect){x, top, Label_text_width(&j->text, bold, size, ln->text,
                                                         strlen(ln->text)), asc + desc};
  l->nlines++;
}

/* Code on top in large type, then the name (up to three lines when
 * needed and room allows), the library's name along the bottom. */
static void layout_text(struct Label_job *j, const struct label_item *item,
                        struct label_layout *l)
{
  const struct label_rect a = l->text;
  if (a.w <= 1.0 || a.h <= 1.0)
    return;
  char code[MAX_CODE + 2];
  label_code_format(item->code, code, sizeof code);
  double asc, desc;

  double cs = fmin(a.h * 0.30, 7.0);
  double cw = Label_text_width(&j->text, 1, cs, code, strlen(code));
  if (cw > a.w)
    cs = fmax(cs * a.w / cw * 0.999, 2.0);
  put_line(j, l, code, 1, cs, a.x, a.y, a.w);
  Label_text_extents(&j->text, 1, cs, &asc, &desc);
  double top = a.y + asc + desc;

  double bottom = a.y + a.h;
  if (item->library_name && *item->library_name) {
    double ls = fmin(a.h * 0.11, 2.6);
    Label_text_extents(&j->text, 0, ls, &asc, &desc);
    if (bottom - (asc + desc) >= top) {
      bottom -= asc + desc;
      put_line(j, l, item->library_name, 0, ls, a.x, bottom, a.w);
    }
  }

  const char *what = item->name && *item->name ? item->name : item->category;
  if (!what || !*what)
    return;
  double ns = fmin(a.h * 0.13, 3.4);
  Label_text_extents(&j->text, 0, ns, &asc, &desc);
  double lh = asc + desc, gap = ns * 0.25;
  int nl = (int)floor((bottom - top - gap) / lh);
  if (nl > 3)
    nl = 3;
  const char *rest = what;
  for (int i = 0; i < nl && *rest && l->nlines < LABEL_MAX_LINES; i++) {
    char buf[sizeof l->lines[0].text];
    const char *next;
    Label_text_wrap(&j->text, 0, ns, rest, a.w, i == nl - 1, buf, sizeof buf, &next);
    put_line(j, l, buf, 0, ns, a.x, top + gap + i * lh, a.w);
    rest = next;
  }
}

/* The sheet (0-based page) and position (1-based) of label number index
 * when the first goes on position start: one rule for the renderers and
 * for label_sheet_count. */
static void place(const struct label_template *t, int start, size_t index, int *page,
                  int *position)
{
  size_t per = (size_t)t->columns * (size_t)t->rows, pos = (size_t)(start - 1) + index;
  *page = (int)(pos / per);
  *position = (int)(pos % per) + 1;
}

int label_sheet_count(const struct label_template *t, int start, size_t n)
{
  if (!t || n > LABEL_MAX_ITEMS)
    return -1;
  if (start == 0)
    start = 1;
  if (start < 1 || start > t->columns * t->rows)
    return -1;
  if (n == 0)
    return 0;
  int page, position;
  place(t, start, n - 1, &page, &position);
  return page + 1;
}

int Label_job_layout(struct Label_job *j, const struct label_item *item, size_t index,
                     struct label_layout *l, QRcode **qrp, struct leen_err *err)
{
  if (qrp)
    *qrp = NULL;
  if (Label_job_check(j, item, index, err) != 0)
    return -1;
  const struct label_template *t = j->t;
  memset(l, 0, sizeof *l);
  if (j->single) {
    l->position = 1;
    l->label = (struct label_rect){0, 0, t->label_w, t->label_h};
  } else {
    place(t, j->start, index, &l->page, &l->position);
    int p = l->position - 1;
    l->label = (struct label_rect){t->margin_left + (p % t->columns) * t->pitch_x + j->off_x,
                                   t->margin_top + (p / t->columns) * t->pitch_y + j->off_y,
                                   t->label_w, t->label_h};
  }

  snprintf(l->url, sizeof l->url, "%s/i/%s", j->base, item->code);
  QRcode *qr = Label_qr_encode(l->url, item->outdoor ? LABEL_ECC_Q : LABEL_ECC_M);
  if (!qr)
    return leen_error(err, LEEN_E_INTERNAL, "could not encode the qr code of item %s",
                      item->code);
  l->qr_modules = qr->width + 2 * LABEL_QUIET_MODULES;
  double side = fmin(t->label_h - 2 * PAD, t->label_w * 0.5 - PAD);
  double module = floor(side / l->qr_modules / DOT) * DOT;
  if (module < LABEL_MIN_MODULE_MM) {
    QRcode_free(qr);
    char field[48];
    if (j->single)
      snprintf(field, sizeof field, "/base_url");
    else
      snprintf(field, sizeof field, "/items/%zu", index);
    return leen_error_field(err, LEEN_E_INVALID_FIELD, field,
                            "the qr code of item %s needs modules under %.1f mm on template "
                            "\"%s\"; use a shorter base url or a larger label",
                            item->code, LABEL_MIN_MODULE_MM, t->name);
  }
  l->module = module;
  side = module * l->qr_modules;
  double qx = l->label.x + PAD, qy = l->label.y + (t->label_h - side) / 2;
  l->qr = (struct label_rect){round(qx / DOT) * DOT, round(qy / DOT) * DOT, side, side};

  double tx = l->qr.x + side + TEXT_GAP;
  l->text = (struct label_rect){tx, l->label.y + PAD, l->label.x + t->label_w - PAD - tx,
                                t->label_h - 2 * PAD};
  layout_text(j, item, l);
  if (qrp)
    *qrp = qr;
  else
    QRcode_free(qr);
  return 0;
}

int label_layout(const struct label_item *item, size_t index, const struct label_options *opts,
                 struct label_layout *out, struct leen_err *err)
{
  struct Label_job j;
  if (Label_job_init(&j, opts, 0, err) != 0) {
    Label_job_release(&j);
    return -1;
  }
  int rc = index < LABEL_MAX_ITEMS ? Label_job_layout(&j, item, index, out, NULL, err)
                                   : leen_error_field(err, LEEN_E_INVALID_FIELD, "/items",
                                                      "at most %d labels at once",
                                                      LABEL_MAX_ITEMS);
  Label_job_release(&j);
  return rc;
}
