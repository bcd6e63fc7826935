/* Rendered output, checked the way a printer and a scanner see it: PDFs
 * rasterised at 300 dpi with pdftoppm, every QR decoded with zbarimg, and
 * the dark pixels compared with the layout. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "leen/label.h"
#include "leen/qr.h"
#include "lt.h"
#include "tsupport.h"

#define BASE "https://leen.izegem.be"
#define NAME60 "Kinderwagen Joolz Day+ met reiswieg, regenhoes en voetenzak!"

static char dir[64];

static void setup(void) { ts_tmpdir(dir, sizeof dir, "labels"); }
/* Freeing the font caches keeps LeakSanitizer's report to our own
 * allocations: each test runs in its own process. */
static void teardown(void)
{
  ts_tmpdir_remove(dir);
  label_global_cleanup();
}

TestSuite(label_render, .init = setup, .fini = teardown);

static int px(double mm) { return (int)floor(mm / LT_MM_PER_PX); }

/* Marks the pixels of r, grown by grow mm, as allowed to be dark. */
static void allow(unsigned char *mask, const struct lt_image *img, struct label_rect r,
                  double grow)
{
  int x0 = px(r.x - grow), y0 = px(r.y - grow), x1 = px(r.x + r.w + grow),
      y1 = px(r.y + r.h + grow);
  for (int y = y0 < 0 ? 0 : y0; y <= y1 && y < img->h; y++)
    for (int x = x0 < 0 ? 0 : x0; x <= x1 && x < img->w; x++)
      mask[(size_t)y * img->w + x] = 1;
}

/* On one rasterised page: each QR's dark modules fill exactly its symbol
 * area (within 0.2 mm), its quiet zone is white, and nothing dark lies
 * outside the QR symbols and the laid-out text lines. */
static void check_pixels(const struct lt_image *img, const struct label_layout *l, size_t n,
                         int page, const char *what)
{
  unsigned char *mask = calloc((size_t)img->w * img->h, 1);
  cr_assert(mask);
  for (size_t i = 0; i < n; i++) {
    if (l[i].page != page)
      continue;
    double q = LABEL_QUIET_MODULES * l[i].module;
    struct label_rect sym = {l[i].qr.x + q, l[i].qr.y + q, l[i].qr.w - 2 * q, l[i].qr.h - 2 * q};
    int minx = img->w, miny = img->h, maxx = -1, maxy = -1;
    for (int y = px(l[i].qr.y); y <= px(l[i].qr.y + l[i].qr.h) && y < img->h; y++)
      for (int x = px(l[i].qr.x); x <= px(l[i].qr.x + l[i].qr.w) && x < img->w; x++)
        if (img->px[(size_t)y * img->w + x] < 128) {
          minx = x < minx ? x : minx;
          maxx = x > maxx ? x : maxx;
          miny = y < miny ? y : miny;
          maxy = y > maxy ? y : maxy;
        }
    cr_assert_geq(maxx, 0, "%s: no QR drawn for %s", what, l[i].url);
    cr_assert_float_eq(minx * LT_MM_PER_PX, sym.x, 0.2, "%s: QR of %s left edge", what, l[i].url);
    cr_assert_float_eq(miny * LT_MM_PER_PX, sym.y, 0.2, "%s: QR of %s top edge", what, l[i].url);
    cr_assert_float_eq((maxx + 1) * LT_MM_PER_PX, sym.x + sym.w, 0.2, "%s: QR of %s right edge",
                       what, l[i].url);
    cr_assert_float_eq((maxy + 1) * LT_MM_PER_PX, sym.y + sym.h, 0.2, "%s: QR of %s bottom edge",
                       what, l[i].url);
    allow(mask, img, sym, 0.1);
    for (int k = 0; k < l[i].nlines; k++)
      allow(mask, img, l[i].lines[k].box, 0.35);
  }
  for (int y = 0; y < img->h; y++)
    for (int x = 0; x < img->w; x++)
      if (img->px[(size_t)y * img->w + x] < 128 && !mask[(size_t)y * img->w + x])
        cr_assert_fail("%s: ink at %.2f, %.2f mm (page %d) outside every QR and text line", what,
                       x * LT_MM_PER_PX, y * LT_MM_PER_PX, page + 1);
  free(mask);
}

/* Renders n labels from start on tmpl and checks page count, positions,
 * pixels and that the decoded URLs are exactly the expected ones. */
static void check_sheet(const char *tmpl, int start, size_t n, double ox, double oy)
{
  const struct label_template *t = label_template_find(tmpl);
  cr_assert_not_null(t);
  cr_assert_eq(strlen(NAME60), 60);
  struct label_item *items = calloc(n, sizeof *items);
  char (*codes)[24] = calloc(n, sizeof *codes);
  char **want = calloc(n, sizeof *want);
  struct label_layout *lay = calloc(n, sizeof *lay);
  cr_assert(items && codes && want && lay);
  for (size_t i = 0; i < n; i++) {
    snprintf(codes[i], sizeof codes[i], "%s%04zu", i % 2 ? "BT" : "FB", 40 + i);
    items[i] = (struct label_item){codes[i], i % 3 == 0 ? NAME60 : i % 3 == 1 ? "Btwin 16" : NULL,
                                   "Kinderwagen", i % 2 ? "Babytheek Meise" : "Fietsbieb Izegem",
                                   i % 2 == 0};
    size_t ulen = strlen(BASE "/i/") + strlen(codes[i]) + 1;
    want[i] = malloc(ulen);
    snprintf(want[i], ulen, "%s/i/%s", BASE, codes[i]);
  }
  struct label_options o = {.template_name = tmpl, .start = start, .offset_x = ox,
                            .offset_y = oy, .base_url = BASE};
  unsigned char *pdf;
  size_t len;
  struct leen_err err;
  cr_assert_eq(label_render_pdf(items, n, &o, &pdf, &len, &err), 0, "%s", err.message);
  cr_assert_gt(len, 1000);
  cr_assert_eq(memcmp(pdf, "%PDF-", 5), 0);
  char path[128];
  snprintf(path, sizeof path, "%s/%s.pdf", dir, tmpl);
  ts_write_file(path, pdf, len);
  free(pdf);

  int per = t->columns * t->rows;
  int pages = (int)((start - 1 + (int)n + per - 1) / per);
  cr_assert_eq(lt_pdf_pages(path), pages, "%s: page count", tmpl);

  for (size_t i = 0; i < n; i++) {
    cr_assert_eq(label_layout(&items[i], i, &o, &lay[i], &err), 0, "%s", err.message);
    int pos = start - 1 + (int)i, p = pos % per;
    cr_assert_eq(lay[i].page, pos / per);
    cr_assert_float_eq(lay[i].label.x, t->margin_left + (p % t->columns) * t->pitch_x + ox, 0.2);
    cr_assert_float_eq(lay[i].label.y, t->margin_top + (p / t->columns) * t->pitch_y + oy, 0.2);
  }

  char **got = NULL;
  size_t ngot = 0;
  for (int page = 0; page < pages; page++) {
    char prefix[160], pgm[170], what[64];
    snprintf(prefix, sizeof prefix, "%s/%s-%d", dir, tmpl, page + 1);
    snprintf(pgm, sizeof pgm, "%s.pgm", prefix);
    snprintf(what, sizeof what, "%s page %d", tmpl, page + 1);
    struct lt_image img;
    lt_raster(path, page + 1, prefix, &img);
    cr_assert_eq(img.w, (int)ceil(t->page_w / LT_MM_PER_PX - 1e-6), "%s: page width", what);
    cr_assert_eq(img.h, (int)ceil(t->page_h / LT_MM_PER_PX - 1e-6), "%s: page height", what);
    check_pixels(&img, lay, n, page, what);
    lt_image_release(&img);
    size_t k;
    char **dec = lt_decode(pgm, &k);
    got = realloc(got, (ngot + k + 1) * sizeof *got);
    cr_assert(got);
    memcpy(got + ngot, dec, k * sizeof *dec);
    ngot += k;
    free(dec);
  }
  lt_sort(got, ngot);
  lt_sort(want, n);
  for (size_t i = 0; i < n && i < ngot; i++)
    cr_assert_str_eq(got[i], want[i], "%s: decoded URLs differ", tmpl);
  cr_assert_eq(ngot, n, "%s: %zu QR codes decoded, %zu expected", tmpl, ngot, n);
  lt_strings_free(got, ngot);
  lt_strings_free(want, n);
  free(items);
  free(codes);
  free(lay);
}

static int per_sheet(const char *tmpl)
{
  const struct label_template *t = label_template_find(tmpl);
  return t->columns * t->rows;
}

/* A full sheet, then a half-used one: start on the second-to-last
 * position so the run goes on to a second page. Rolls: three pages. */
#define SHEET_TESTS(id, name)                                                                  \
  Test(label_render, full_sheet_##id) { check_sheet(name, 1, (size_t)per_sheet(name), 0, 0); } \
  Test(label_render, partial_sheet_##id)                                                       \
  {                                                                                            \
    int per = per_sheet(name);                                                                 \
    if (per > 1)                                                                               \
      check_sheet(name, per - 1, 4, 0, 0);                                                     \
    else                                                                                       \
      check_sheet(name, 1, 3, 0, 0);                                                           \
  }

SHEET_TESTS(avery_l7160, "avery-l7160")
SHEET_TESTS(avery_l7163, "avery-l7163")
SHEET_TESTS(zweckform_3474, "zweckform-3474")
SHEET_TESTS(brother_dk11209, "brother-dk11209")
SHEET_TESTS(single, "single")

Test(label_render, printer_offset_moves_everything)
{
  check_sheet("avery-l7160", 8, 5, 0.7, -0.5);
}

static void decode_one(const char *file, const char *expect)
{
  size_t n;
  char **got = lt_decode(file, &n);
  cr_assert_eq(n, 1, "%s: %zu symbols", file, n);
  cr_assert_str_eq(got[0], expect);
  lt_strings_free(got, n);
}

Test(label_render, png_single_label)
{
  const char *tmpls[] = {NULL, "brother-dk11209", "avery-l7163"};
  for (size_t i = 0; i < sizeof tmpls / sizeof tmpls[0]; i++) {
    struct label_item item = {"FB0042", NAME60, NULL, "Fietsbieb Izegem", 1};
    struct label_options o = {.template_name = tmpls[i], .base_url = BASE "/"};
    unsigned char *png;
    size_t len;
    struct leen_err err;
    cr_assert_eq(label_render_png(&item, &o, &png, &len, &err), 0, "%s", err.message);
    cr_assert_eq(memcmp(png, "\x89PNG", 4), 0);
    const struct label_template *t = label_template_find(tmpls[i] ? tmpls[i] : "single");
    unsigned w = (unsigned)png[16] << 24 | png[17] << 16 | png[18] << 8 | png[19];
    unsigned h = (unsigned)png[20] << 24 | png[21] << 16 | png[22] << 8 | png[23];
    cr_assert_eq(w, (unsigned)ceil(t->label_w / 25.4 * 300));
    cr_assert_eq(h, (unsigned)ceil(t->label_h / 25.4 * 300));
    char path[128];
    snprintf(path, sizeof path, "%s/label-%zu.png", dir, i);
    ts_write_file(path, png, len);
    free(png);
    decode_one(path, BASE "/i/FB0042");
  }
}

Test(label_render, svg_single_label)
{
  struct label_item item = {"FB0042", "Fiets <16\"> & co", NULL, "Fietsbieb Izegem", 0};
  struct label_options o = {.base_url = BASE};
  char *svg;
  size_t len;
  struct leen_err err;
  cr_assert_eq(label_render_svg(&item, &o, &svg, &len, &err), 0, "%s", err.message);
  cr_assert_eq(strlen(svg), len);
  cr_assert(strstr(svg, "<title>FB-0042</title>"));
  cr_assert(strstr(svg, ">FB-0042</text>"), "the code is searchable text");
  cr_assert(strstr(svg, "Fiets &lt;16&quot;&gt; &amp; co"), "text is escaped");
  cr_assert(strstr(svg, "width=\"63.5mm\" height=\"38.1mm\""));
  char path[128];
  snprintf(path, sizeof path, "%s/label.svg", dir);
  ts_write_file(path, svg, len);
  free(svg);
  const char *args[] = {"--noout", path, NULL};
  int rc;
  char *out = ts_tool("xmllint", args, &rc);
  free(out);
  cr_assert_eq(rc, 0, "the SVG is not well-formed XML");
}

Test(label_render, qr_png_decodes_to_the_exact_url)
{
  const char *url = BASE "/i/FB0042";
  const enum label_ecc levels[] = {LABEL_ECC_M, LABEL_ECC_Q};
  for (int i = 0; i < 2; i++) {
    unsigned char *png;
    size_t len;
    cr_assert_eq(label_qr_png(url, levels[i], 4, &png, &len), 0);
    char path[128];
    snprintf(path, sizeof path, "%s/qr-%d.png", dir, i);
    ts_write_file(path, png, len);
    free(png);
    decode_one(path, url);
  }
  unsigned char *png = NULL;
  size_t len;
  cr_assert_eq(label_qr_png("", LABEL_ECC_M, 4, &png, &len), -1);
  cr_assert_eq(label_qr_png(url, LABEL_ECC_M, 0, &png, &len), -1);
  char *svg;
  cr_assert_eq(label_qr_svg(url, LABEL_ECC_M, 2.0, &svg, &len), 0);
  cr_assert(strstr(svg, "<svg") && strstr(svg, "<path"));
  free(svg);
}

static void check_page_pdf(const unsigned char *pdf, size_t len, const char *name,
                           const char *expect, double w_mm, double h_mm)
{
  char path[128], prefix[128], pgm[140];
  snprintf(path, sizeof path, "%s/%s.pdf", dir, name);
  snprintf(prefix, sizeof prefix, "%s/%s", dir, name);
  snprintf(pgm, sizeof pgm, "%s.pgm", prefix);
  ts_write_file(path, pdf, len);
  cr_assert_eq(lt_pdf_pages(path), 1);
  struct lt_image img;
  lt_raster(path, 1, prefix, &img);
  cr_assert_eq(img.w, (int)ceil(w_mm / LT_MM_PER_PX - 1e-6));
  cr_assert_eq(img.h, (int)ceil(h_mm / LT_MM_PER_PX - 1e-6));
  lt_image_release(&img);
  decode_one(pgm, expect);
}

static char *pdf_text(const char *name)
{
  char path[128];
  snprintf(path, sizeof path, "%s/%s.pdf", dir, name);
  const char *args[] = {path, "-", NULL};
  int rc;
  char *text = ts_tool("pdftotext", args, &rc);
  cr_assert_eq(rc, 0);
  return text;
}

Test(label_render, member_card)
{
  struct label_card card = {10042, "Gezin Peeters", "Babytheek Meise"};
  unsigned char *pdf;
  size_t len;
  struct leen_err err;
  cr_assert_eq(label_card_pdf(&card, LABEL_CARD_A4, &pdf, &len, &err), 0, "%s", err.message);
  check_page_pdf(pdf, len, "card-a4", "10042", 210, 297);
  free(pdf);
  char *text = pdf_text("card-a4");
  cr_assert(strstr(text, "Babytheek Meise") && strstr(text, "10042") &&
            strstr(text, "Gezin Peeters"), "%s", text);
  free(text);
  card.household_name = NULL;
  cr_assert_eq(label_card_pdf(&card, LABEL_CARD_ID1, &pdf, &len, &err), 0, "%s", err.message);
  check_page_pdf(pdf, len, "card-id1", "10042", 85.6, 53.98);
  free(pdf);
}

Test(label_render, voucher_letter)
{
  const char *libs[] = {"Babytheek Meise", "Fietsbieb Meise", NULL};
  struct label_voucher v = {"K7QM-2F9X", "social", "2027-06-30", "Gemeente Meise", libs,
                            "Gezin Peeters", "Sociaal Huis Meise"};
  unsigned char *pdf;
  size_t len;
  struct leen_err err;
  cr_assert_eq(label_voucher_pdf(&v, &pdf, &len, &err), 0, "%s", err.message);
  check_page_pdf(pdf, len, "voucher", "K7QM-2F9X", 210, 297);
  free(pdf);
  char *text = pdf_text("voucher");
  const char *must[] = {"30 juni 2027", "sociaal tarief", "K7QM-2F9X", "Voor: Gezin Peeters",
                        "Breng deze brief mee naar Babytheek Meise of Fietsbieb Meise.",
                        "Sociaal Huis Meise", "Gemeente Meise"};
  for (size_t i = 0; i < sizeof must / sizeof must[0]; i++)
    cr_assert(strstr(text, must[i]), "the letter lacks \"%s\":\n%s", must[i], text);
  cr_assert_null(strstr(text, "geen waarborg"));
  free(text);

  v.level = "full";
  v.library_names = NULL;
  v.household_name = v.issued_by = NULL;
  cr_assert_eq(label_voucher_pdf(&v, &pdf, &len, &err), 0, "%s", err.message);
  check_page_pdf(pdf, len, "voucher-full", "K7QM-2F9X", 210, 297);
  free(pdf);
  text = pdf_text("voucher-full");
  cr_assert(strstr(text, "geen lidgeld en geen waarborg"), "%s", text);
  cr_assert(strstr(text, "een uitleendienst van Gemeente Meise"), "%s", text);
  free(text);
}
