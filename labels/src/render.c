/* Item labels as a PDF of sheets, or one label as SVG or PNG. */
#include "label_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void outline(cairo_t *cr, const struct label_rect *r, double radius)
{
  double x = r->x, y = r->y, w = r->w, h = r->h, rr = fmin(radius, fmin(w, h) / 2);
  cairo_save(cr);
  cairo_new_path(cr);
  if (rr > 0) {
    cairo_arc(cr, x + w - rr, y + rr, rr, -M_PI / 2, 0);
    cairo_arc(cr, x + w - rr, y + h - rr, rr, 0, M_PI / 2);
    cairo_arc(cr, x + rr, y + h - rr, rr, M_PI / 2, M_PI);
    cairo_arc(cr, x + rr, y + rr, rr, M_PI, 3 * M_PI / 2);
    cairo_close_path(cr);
  } else {
    cairo_rectangle(cr, x, y, w, h);
  }
  cairo_set_source_rgb(cr, 0.7, 0.7, 0.7);
  cairo_set_line_width(cr, 0.1);
  cairo_stroke(cr);
  cairo_restore(cr);
}

static int draw_label(cairo_t *cr, struct Label_job *j, const struct label_layout *l,
                      const QRcode *qr, int with_outline)
{
  if (with_outline)
    outline(cr, &l->label, j->t->corner_radius);
  cairo_set_source_rgb(cr, 0, 0, 0);
  if (Label_draw_qr(cr, qr, l->qr.x, l->qr.y, l->module) != 0)
    return -1;
  for (int i = 0; i < l->nlines; i++)
    Label_text_draw(&j->text, cr, &l->lines[i]);
  return 0;
}

int label_render_pdf(const struct label_item *items, size_t n, const struct label_options *opts,
                     unsigned char **out, size_t *len, struct leen_err *err)
{
  *out = NULL;
  *len = 0;
  if (!items || n == 0)
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/items", "no items selected");
  if (n > LABEL_MAX_ITEMS)
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/items",
                            "%zu labels asked, at most %d at once", n, LABEL_MAX_ITEMS);
  struct Label_job j;
  if (Label_job_init(&j, opts, 0, err) != 0) {
    Label_job_release(&j);
    return -1;
  }
  /* every item is checked before any drawing, so a bad code costs nothing */
  for (size_t i = 0; i < n; i++) {
    if (Label_job_check(&j, &items[i], i, err) != 0) {
      Label_job_release(&j);
      return -1;
    }
  }
  const struct label_template *t = j.t;
  struct Label_buf b = {0};
  cairo_surface_t *s = Label_pdf_create(&b, t->page_w, t->page_h, "Labels");
  cairo_t *cr = cairo_create(s);
  cairo_scale(cr, 1 / LABEL_MM_PER_PT, 1 / LABEL_MM_PER_PT);
  int page = 0, rc = 0;
  for (size_t i = 0; i < n && rc == 0; i++) {
    struct label_layout l;
    QRcode *qr;
    rc = Label_job_layout(&j, &items[i], i, &l, &qr, err);
    if (rc != 0)
      break;
    while (page < l.page) {
      cairo_show_page(cr);
      page++;
    }
    if (draw_label(cr, &j, &l, qr, opts && opts->outline) != 0)
      rc = leen_error(err, LEEN_E_INTERNAL, "could not draw the qr code of item %s",
                      items[i].code);
    QRcode_free(qr);
  }
  if (rc != 0) {
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    free(b.data);
    Label_job_release(&j);
    return -1;
  }
  rc = Label_pdf_finish(cr, s, &b, out, len, err);
  Label_job_release(&j);
  return rc;
}

/* The QR as one path of horizontal runs, in module units. */
static void svg_qr(struct Label_buf *b, const QRcode *qr, const struct label_layout *l)
{
  int w = qr->width;
  Label_buf_printf(b,
                   "<path fill=\"#000\" shape-rendering=\"crispEdges\" "
                   "transform=\"translate(%.4f %.4f) scale(%.5f)\" d=\"",
                   l->qr.x + LABEL_QUIET_MODULES * l->module,
                   l->qr.y + LABEL_QUIET_MODULES * l->module, l->module);
  for (int y = 0; y < w; y++) {
    for (int x = 0; x < w;) {
      if (!(qr->data[y * w + x] & 1)) {
        x++;
        continue;
      }
      int run = 1;
      while (x + run < w && (qr->data[y * w + x + run] & 1))
        run++;
      Label_buf_printf(b, "M%d %dh%dv1h-%dz", x, y, run, run);
      x += run;
    }
  }
  Label_buf_printf(b, "\"/>\n");
}

int label_render_svg(const struct label_item *item, const struct label_options *opts, char **out,
                     size_t *len, struct leen_err *err)
{
  *out = NULL;
  *len = 0;
  struct Label_job j;
  struct label_layout l;
  QRcode *qr = NULL;
  if (Label_job_init(&j, opts, 1, err) != 0 || Label_job_layout(&j, item, 0, &l, &qr, err) != 0) {
    Label_job_release(&j);
    return -1;
  }
  struct Label_buf b = {0};
  char code[40];
  label_code_format(item->code, code, sizeof code);
  Label_buf_printf(&b,
                   "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                   "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%gmm\" height=\"%gmm\" "
                   "viewBox=\"0 0 %g %g\">\n<title>%s</title>\n"
                   "<rect width=\"%g\" height=\"%g\" fill=\"#fff\"/>\n",
                   l.label.w, l.label.h, l.label.w, l.label.h, code, l.label.w, l.label.h);
  svg_qr(&b, qr, &l);
  for (int i = 0; i < l.nlines; i++) {
    const struct label_line *ln = &l.lines[i];
    Label_buf_printf(&b,
                     "<text x=\"%.3f\" y=\"%.3f\" font-family=\"DejaVu Sans, sans-serif\" "
                     "font-size=\"%.3f\"%s fill=\"#000\">",
                     ln->x, ln->baseline, ln->size, ln->bold ? " font-weight=\"bold\"" : "");
    Label_buf_xml(&b, ln->text);
    Label_buf_printf(&b, "</text>\n");
  }
  Label_buf_printf(&b, "</svg>\n");
  QRcode_free(qr);
  Label_job_release(&j);
  if (Label_buf_finish(&b, out, len) != 0)
    return leen_error(err, LEEN_E_INTERNAL, "could not render the svg: out of memory");
  return 0;
}

int label_render_png(const struct label_item *item, const struct label_options *opts,
                     unsigned char **out, size_t *len, struct leen_err *err)
{
  *out = NULL;
  *len = 0;
  int dpi = opts && opts->dpi ? opts->dpi : 300;
  if (dpi < 72 || dpi > 1200)
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/dpi", "dpi %d is not between 72 and "
                            "1200", dpi);
  struct Label_job j;
  struct label_layout l;
  QRcode *qr = NULL;
  if (Label_job_init(&j, opts, 1, err) != 0 || Label_job_layout(&j, item, 0, &l, &qr, err) != 0) {
    Label_job_release(&j);
    return -1;
  }
  double scale = dpi / 25.4;
  cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)ceil(l.label.w * scale),
                                                  (int)ceil(l.label.h * scale));
  cairo_t *cr = cairo_create(s);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
  cairo_scale(cr, scale, scale);
  int rc = draw_label(cr, &j, &l, qr, opts && opts->outline);
  cairo_status_t st = cairo_status(cr);
  cairo_destroy(cr);
  QRcode_free(qr);
  Label_job_release(&j);
  struct Label_buf b = {0};
  if (rc == 0 && st == CAIRO_STATUS_SUCCESS)
    st = cairo_surface_write_to_png_stream(s, Label_buf_write, &b);
  cairo_surface_destroy(s);
  char *data = NULL;
  if (rc != 0 || st != CAIRO_STATUS_SUCCESS || Label_buf_finish(&b, &data, len) != 0) {
    free(b.data);
    *len = 0;
    return leen_error(err, LEEN_E_INTERNAL, "could not render the png: %s",
                      st != CAIRO_STATUS_SUCCESS ? cairo_status_to_string(st) : "out of memory");
  }
  *out = (unsigned char *)data;
  return 0;
}
