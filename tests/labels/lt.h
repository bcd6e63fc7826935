/* Helpers for the label tests: PGM rasters of PDF pages (pdftoppm), QR
 * decoding into an array and page counts (pdfinfo); scratch directories,
 * files and running tools are tsupport's. Everything asserts (cr_assert)
 * on failure. */
#ifndef LEEN_LT_H
#define LEEN_LT_H

#include <stddef.h>

#define LT_DPI 300
#define LT_MM_PER_PX (25.4 / LT_DPI)

struct lt_image {
  int w, h;
  unsigned char *px; /* 8-bit grey, row-major */
};
/* Page (1-based) of a PDF at 300 dpi in grey, written to <prefix>.pgm and
 * read back. */
void lt_raster(const char *pdf, int page, const char *prefix, struct lt_image *img);
void lt_image_release(struct lt_image *img);

/* ts_qr_decode of an image file as an array: one string a QR, sorted;
 * *n gets how many. lt_strings_free frees the result. */
char **lt_decode(const char *image, size_t *n);
void lt_strings_free(char **s, size_t n);
void lt_sort(char **s, size_t n);

/* pdfinfo's "Pages:" */
int lt_pdf_pages(const char *pdf);

#endif
