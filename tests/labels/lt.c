#include "lt.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tsupport.h"

void lt_tmpdir(char *out, size_t size)
{
  snprintf(out, size, "/tmp/leen-labels-XXXXXX");
  cr_assert(mkdtemp(out), "mkdtemp failed");
}

void lt_tmpdir_remove(const char *dir)
{
  const char *argv[] = {"/bin/rm", "-rf", dir, NULL};
  struct ts_run r;
  ts_run(argv, NULL, &r);
  ts_run_release(&r);
}

void lt_write(const char *path, const void *data, size_t len)
{
  FILE *f = fopen(path, "wb");
  cr_assert(f, "cannot write %s", path);
  cr_assert_eq(fwrite(data, 1, len, f), len);
  cr_assert_eq(fclose(f), 0);
}

static void which(const char *prog, char *out, size_t size)
{
  const char *path = getenv("PATH");
  if (!path || !*path)
    path = "/usr/local/bin:/usr/bin:/bin";
  for (const char *p = path; *p;) {
    const char *end = strchr(p, ':');
    size_t n = end ? (size_t)(end - p) : strlen(p);
    snprintf(out, size, "%.*s/%s", (int)n, p, prog);
    if (access(out, X_OK) == 0)
      return;
    p += n + (end ? 1 : 0);
  }
  cr_assert_fail("%s is not installed (poppler-utils, zbar-tools, libxml2-utils)", prog);
}

char *lt_tool(const char *prog, const char *const *args, int *exit_code)
{
  char path[512];
  which(prog, path, sizeof path);
  const char *argv[16] = {path};
  size_t n = 1;
  for (; args && args[n - 1]; n++) {
    cr_assert(n < 15);
    argv[n] = args[n - 1];
  }
  argv[n] = NULL;
  struct ts_run r;
  ts_run(argv, NULL, &r);
  *exit_code = r.exit_code;
  char *out = r.out;
  r.out = NULL;
  ts_run_release(&r);
  return out ? out : strdup("");
}

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
  free(lt_tool("pdftoppm", args, &rc));
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
  const char *args[] = {"--raw", "-q", image, NULL};
  int rc;
  char *out = lt_tool("zbarimg", args, &rc);
  /* 0: symbols found, 4: none found; anything else is a failure */
  cr_assert(rc == 0 || rc == 4, "zbarimg failed (%d) on %s", rc, image);
  size_t cap = 8, k = 0;
  char **list = malloc(cap * sizeof *list);
  cr_assert(list);
  for (char *line = out; *line;) {
    char *nl = strchr(line, '\n');
    size_t len = nl ? (size_t)(nl - line) : strlen(line);
    if (len > 0) {
      if (k == cap) {
        cap *= 2;
        list = realloc(list, cap * sizeof *list);
        cr_assert(list);
      }
      list[k++] = strndup(line, len);
    }
    line += len + (nl ? 1 : 0);
  }
  free(out);
  lt_sort(list, k);
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
  char *out = lt_tool("pdfinfo", args, &rc);
  cr_assert_eq(rc, 0, "pdfinfo failed on %s", pdf);
  const char *p = strstr(out, "\nPages:");
  cr_assert(p, "pdfinfo gave no page count");
  cr_assert_eq(sscanf(p + 7, "%d", &pages), 1);
  free(out);
  return pages;
}
