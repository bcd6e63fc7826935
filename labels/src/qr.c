/* One bare QR code (4-module quiet zone) as SVG or PNG. */
#include "leen/qr.h"

#include "label_int.h"

#include <stdlib.h>

int label_qr_svg(const char *text, enum label_ecc ecc, double module_px, char **out, size_t *len)
{
  QRcode *qr = Label_qr_encode(text, ecc);
  if (!qr)
    return -1;
  int w = qr->width, total = w + 2 * LABEL_QUIET_MODULES;
  struct Label_buf b = {0};
  Label_buf_printf(&b,
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
      Label_buf_printf(&b, "M%d %dh%dv1h-%dz", x + LABEL_QUIET_MODULES, y + LABEL_QUIET_MODULES,
                       run, run);
      x += run;
    }
  }
  Label_buf_printf(&b, "\"/>\n</svg>\n");
  QRcode_free(qr);
  return Label_buf_finish(&b, out, len);
}

int label_qr_png(const char *text, enum label_ecc ecc, int module_px, unsigned char **out,
                 size_t *len)
{
  if (module_px < 1 || module_px > 64)
    return -1;
  QRcode *qr = Label_qr_encode(text, ecc);
  if (!qr)
    return -1;
  int side = (qr->width + 2 * LABEL_QUIET_MODULES) * module_px;
  cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, side, side);
  cairo_t *cr = cairo_create(s);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
  cairo_set_source_rgb(cr, 0, 0, 0);
  int rc = Label_draw_qr(cr, qr, 0, 0, module_px);
  cairo_destroy(cr);
  QRcode_free(qr);
  struct Label_buf b = {0};
  if (rc == 0 && cairo_surface_write_to_png_stream(s, Label_buf_write, &b) != CAIRO_STATUS_SUCCESS)
    rc = -1;
  cairo_surface_destroy(s);
  char *data = NULL;
  if (rc != 0 || Label_buf_finish(&b, &data, len) != 0) {
    free(b.data);
    return -1;
  }
  *out = (unsigned char *)data;
  return 0;
}
