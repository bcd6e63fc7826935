/* Renders N item labels (default 1000) to one PDF in process and prints
 * the wall time and the size; bench/labels.sh runs it. With -o the PDF is
 * written out so a person can look at it. */
#include "leen/label.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
  long n = 1000;
  const char *tmpl = "avery-l7160", *out_path = NULL;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "-n") == 0 && i + 1 < argc) {
      char *end;
      n = strtol(argv[++i], &end, 10);
      if (*end || n < 1 || n > LABEL_MAX_ITEMS) {
        fprintf(stderr, "label-bench: -n must be 1 to %d\n", LABEL_MAX_ITEMS);
        return 2;
      }
    } else if (strcmp(argv[i], "-t") == 0 && i + 1 < argc) {
      tmpl = argv[++i];
    } else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc) {
      out_path = argv[++i];
    } else {
      fprintf(stderr, "usage: %s [-n LABELS] [-t TEMPLATE] [-o FILE.pdf]\n", argv[0]);
      return 2;
    }
  }
  static const char *const names[] = {"Btwin 16 rood", "Kinderfiets 20 inch blauw met mandje",
                                      "Maxi-Cosi Pebble autostoel", "Box met matras"};
  struct label_item *items = calloc((size_t)n, sizeof *items);
  char (*codes)[24] = calloc((size_t)n, sizeof *codes);
  if (!items || !codes) {
    fprintf(stderr, "label-bench: out of memory\n");
    return 1;
  }
  for (long i = 0; i < n; i++) {
    snprintf(codes[i], sizeof codes[i], "%s%04ld", i % 2 ? "BT" : "FB", i + 1);
    items[i] = (struct label_item){codes[i], names[i % 4], "Fiets 16 inch",
                                   i % 2 ? "Babytheek Izegem" : "Fietsbieb Izegem", !(i % 2)};
  }
  struct label_options o = {.template_name = tmpl, .base_url = "https://leen.izegem.be"};
  unsigned char *pdf = NULL;
  size_t len = 0;
  struct leen_err err;
  double t0 = now();
  int rc = label_render_pdf(items, (size_t)n, &o, &pdf, &len, &err);
  double dt = now() - t0;
  if (rc != 0) {
    fprintf(stderr, "label-bench: %s\n", err.message);
    return 1;
  }
  printf("labels=%ld template=%s seconds=%.3f bytes=%zu per_label_ms=%.3f\n", n, tmpl, dt, len,
         dt * 1000.0 / n);
  if (out_path) {
    FILE *f = fopen(out_path, "wb");
    if (!f || fwrite(pdf, 1, len, f) != len || fclose(f) != 0) {
      fprintf(stderr, "label-bench: could not write %s\n", out_path);
      return 1;
    }
  }
  free(pdf);
  free(items);
  free(codes);
  label_global_cleanup();
  return 0;
}
