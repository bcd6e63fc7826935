/* Helpers for the label tests: a scratch directory, external tools
 * (pdftoppm, zbarimg, pdfinfo, pdftotext, xmllint) found on PATH, PGM
 * rasters and QR decoding. Everything asserts (cr_assert) on failure. */
#ifndef LEEN_LT_H
#define LEEN_LT_H

#include <stddef.h>

#define LT_DPI 300
#define LT_MM_PER_PX (25.4 / LT_DPI)

/* A scratch directory, removed by lt_tmpdir_remove. */
void lt_tmpdir(char *out, size_t size);
void lt_tmpdir_remove(const char *dir);

void lt_write(const char *path, const void *data, size_t len);

/* Runs a program found on PATH with args (NULL-terminated); returns its
 * stdout (malloc'ed) and puts the exit code in *exit_code. */
char *lt_tool(const char *prog, const char *const *args, int *exit_code);

struct lt_image {
  int w, h;
  unsigned char *px; /* 8-bit grey, row-major */
};
/* Page (1-based) of a PDF at 300 dpi in grey, written to <prefix>.pgm and
 * read back. */
void lt_raster(const char *pdf, int page, const char *prefix, struct lt_image *img);
void lt_image_release(struct lt_image *img);

/* Every QR zbarimg finds in an image file, one string each, sorted;
 * *n gets how many. lt_strings_free frees the result. */
char **lt_decode(const char *image, size_t *n);
void lt_strings_free(char **s, size_t n);
void lt_sort(char **s, size_t n);

/* pdfinfo's "Pages:" */
int lt_pdf_pages(const char *pdf);

#endif
