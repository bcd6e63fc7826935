#include "lt.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tsupport.h"

/* Reads a file in one piece: a 300 dpi A4 raster is 8.7 MB, and growing a
 * buffer chunk by chunk (ts_read_file) is quadratic under ASan. */
static char *read_whole(const char *path, size_t *len)
{
  FILE *f = fopen(path, "rb");
  cr_assert(f, "cannot read %s", path);
  cr_assert_eq(fseek(f, 0, SEEK_END), 0);
  long size = ftell(f);
  cr_assert_geq(size, 0);
  rewind(f);
  char *data = malloc((size_t)size + 1);
  cr_assert(data);
  cr_assert_eq(fread(data, 1, (size_t)size, f), (size_t)size);
  data[size] = '\0';
  fclose(f);
  *len = (size_t)size;
  return data;
}

void lt_raster(const char *pdf, int page, const char *prefix, struct lt_image *img)
{
  char pg[16], pgm[600];
  snprintf(pg, sizeof pg, "%d", page);
  const char *args[] = {"-r", "300", "-gray", "-f", pg, "-l", pg, "-singlefile", pdf, prefix, NULL};
  int rc;
  free(ts_tool("pdftoppm", args, &rc));
  cr_assert_eq(rc, 0, "pdftoppm failed on page %d of %s", page, pdf);
  snprintf(pgm, sizeof pgm, "%s.pgm", prefix);
  size_t len;
  char *data = read_whole(pgm, &len);
  int w, h, max, off = 0;
  cr_assert_eq(sscanf(data, "P5 %d %d %d%n", &w, &h, &max, &off), 3, "not a PGM");
  off++; /* the single whitespace after maxval */
  cr_assert_eq(max, 255);
  cr_assert_geq(len, (size_t)off + (size_t)w * (size_t)h);
  img->w = w;
  img->h = h;
  img->px = malloc((size_t)w * (size_t)h);
  cr_assert(img->px);
  memcpy(img->px, data + off, (size_t)w * (size_t)h);
  free(data);
}

void lt_image_release(struct lt_image *img)
{
  free(img->px);
  img->px = NULL;
}

static int cmp(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

void lt_sort(char **s, size_t n)
{
  if (n > 1)
    qsort(s, n, sizeof *s, cmp);
}

char **lt_decode(const char *image, size_t *n)
{
  char *out = ts_qr_decode(image);
  size_t k = 0;
  for (const char *p = out; *p; p++)
    k += *p == '\n';
  char **list = malloc((k + 1) * sizeof *list);
  cr_assert(list);
  k = 0;
  for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n"))
    list[k++] = strdup(line);
  free(out);
  *n = k;
  return list;
}

void lt_strings_free(char **s, size_t n)
{
  for (size_t i = 0; i < n; i++)
    free(s[i]);
  free(s);
}

int lt_pdf_pages(const char *pdf)
{
  const char *args[] = {pdf, NULL};
  int rc, pages = -1;
  char *out = ts_tool("pdfinfo", args, &rc);
  cr_assert_eq(rc, 0, "pdfinfo failed on %s", pdf);
  const char *p = strstr(out, "\nPages:");
  cr_assert(p, "pdfinfo gave no page count");
  cr_assert_eq(sscanf(p + 7, "%d", &pages), 1);
  free(out);
  return pages;
}
