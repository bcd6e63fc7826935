/* The label routes over HTTP: templates, GET /v1/labels.pdf for a
 * selection (rasterised at 300 dpi with pdftoppm, every QR decoded with
 * zbarimg to exactly the expected URLs), one label as SVG and PNG, and the
 * selections that must be refused with a 4xx problem. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "at.h"

#define BASE "https://leen.test"

static struct at_env env;

/* Runs statements separated by ";" (none of them holds one in a literal):
 * ts_sql takes one statement at a time. */
static void sql_run(const char *sql)
{
  PGconn *c = ts_connect(env.ci);
  for (const char *p = sql; *p;) {
    size_t n = strcspn(p, ";");
    char *one = strndup(p, n);
    cr_assert(one);
    PQclear(ts_sql(c, one, 0, NULL));
    free(one);
    p += n + (p[n] ? 1 : 0);
  }
  PQfinish(c);
}

/* 25 Fietsbieb bikes FB0001..FB0025 (FB0025 retired) and 3 Babytheek
 * items BT0001..BT0003. */
static void setup(void)
{
  static const char *const extra[] = {"LEEN_PUBLIC_URL=" BASE "/", NULL};
  at_setup(&env, extra, 0);
  sql_run("UPDATE libraries SET name = 'Fietsbieb Izegem' WHERE slug = 'fietsbieb';"
          "INSERT INTO categories (library_id, name, loan_days)"
          " SELECT id, 'Fiets 16 inch', 365 FROM libraries WHERE slug = 'fietsbieb';"
          "INSERT INTO categories (library_id, name, loan_days)"
          " SELECT id, 'Kinderwagen', 90 FROM libraries WHERE slug = 'babytheek';"
          "INSERT INTO items (library_id, category_id, number, code, name)"
          " SELECT c.library_id, c.id, n, 'FB' || lpad(n::text, 4, '0'),"
          " 'Btwin 16 nr ' || n FROM categories c, generate_series(1, 25) n"
          " WHERE c.name = 'Fiets 16 inch';"
          "UPDATE items SET status = 'retired' WHERE code = 'FB0025';"
          "INSERT INTO items (library_id, category_id, number, code, name)"
          " SELECT c.library_id, c.id, n, 'BT' || lpad(n::text, 4, '0'), ''"
          "  || 'Kinderwagen ' || n FROM categories c, generate_series(1, 3) n"
          " WHERE c.name = 'Kinderwagen'");
}

static void teardown(void) { at_teardown(&env); }

TestSuite(labels, .init = setup, .fini = teardown, .timeout = 180);

/* The token of who, logging in on first use: a login costs a password hash
 * on purpose, so a test pays only for the callers it uses. */
static const char *token(enum at_who who)
{
  if (who != AT_NONE && !env.token[who])
    env.token[who] = at_login(&env, at_username(who), AT_PASSWORD);
  return env.token[who];
}

static void call(const char *path, enum at_who who, struct ts_http *h)
{
  at_call(&env, "GET", path, token(who), NULL, NULL, h);
}

static void expect(const char *path, enum at_who who, long status, const char *code,
                   const char *parameter)
{
  struct ts_http h;
  call(path, who, &h);
  cr_assert_eq(h.status, status, "GET %s: %ld, expected %ld: %s", path, h.status, status, h.body);
  cr_assert_str_eq(at_code(&h), code, "%s", h.body);
  char *ct = ts_header(&h, "Content-Type");
  cr_assert_str_eq(ct, "application/problem+json", "%s", path);
  free(ct);
  if (parameter) {
    cJSON *e = cJSON_GetArrayItem(cJSON_GetObjectItem(h.json, "errors"), 0);
    cJSON *p = cJSON_GetObjectItem(e, "parameter");
    cr_assert(cJSON_IsString(p), "no parameter in %s", h.body);
    cr_assert_str_eq(p->valuestring, parameter, "%s: %s", path, h.body);
  }
  ts_http_release(&h);
}

/* A count header of a 200 answer as a number; -1 when absent. */
static long count_header(const struct ts_http *h, const char *name)
{
  char *v = ts_header(h, name);
  if (!v)
    return -1;
  char *end;
  long n = strtol(v, &end, 10);
  cr_assert(end != v && !*end, "%s: \"%s\"", name, v);
  free(v);
  return n;
}

/* GETs a label PDF, rasterises every page at 300 dpi and decodes every
 * QR; returns the sorted, newline-separated URLs and the page count. The
 * count headers must agree: Leen-Sheet-Count with the pages, and
 * Leen-Label-Count with the QR codes decoded. */
static char *decode_pdf(const char *path, int *pages)
{
  struct ts_http h;
  call(path, AT_VOLUNTEER, &h);
  cr_assert_eq(h.status, 200, "GET %s: %ld %s", path, h.status, h.body);
  char *ct = ts_header(&h, "Content-Type");
  cr_assert_str_eq(ct, "application/pdf");
  free(ct);
  long labels = count_header(&h, "Leen-Label-Count");
  long sheets = count_header(&h, "Leen-Sheet-Count");
  cr_assert(h.len > 4 && memcmp(h.body, "%PDF", 4) == 0);
  char dir[64], file[128], cmd[512];
  ts_tmpdir(dir, sizeof dir, "api-labels");
  snprintf(file, sizeof file, "%s/labels.pdf", dir);
  ts_write_file(file, h.body, h.len);
  ts_http_release(&h);
  snprintf(cmd, sizeof cmd, "pdfinfo %s | awk '/^Pages:/ {print $2}'", file);
  char *n = ts_shell(cmd);
  *pages = atoi(n);
  free(n);
  char *urls = ts_qr_decode(file);
  ts_tmpdir_remove(dir);
  long decoded = 0;
  for (const char *p = urls; *p; p++)
    decoded += *p == '\n';
  cr_assert_eq(sheets, *pages, "GET %s: Leen-Sheet-Count %ld, %d pages", path, sheets, *pages);
  cr_assert_eq(labels, decoded, "GET %s: Leen-Label-Count %ld, %ld labels", path, labels,
               decoded);
  return urls;
}

/* The expected URLs for codes (a NULL-terminated list), sorted as sort(1)
 * in the C locale would: the codes given are in that order already. */
static char *urls_of(const char *const *codes)
{
  size_t cap = 64, n = 0;
  char *s = malloc(cap);
  cr_assert(s);
  s[0] = '\0';
  for (size_t i = 0; codes[i]; i++) {
    size_t need = n + strlen(BASE "/i/") + strlen(codes[i]) + 2;
    if (need > cap) {
      cap = need * 2;
      s = realloc(s, cap);
      cr_assert(s);
    }
    n += (size_t)snprintf(s + n, cap - n, BASE "/i/%s\n", codes[i]);
  }
  return s;
}

Test(labels, templates_list_their_geometry)
{
  struct ts_http h;
  call("/v1/labels/templates", AT_VOLUNTEER, &h);
  cr_assert_eq(h.status, 200, "%s", h.body);
  cJSON *items = cJSON_GetObjectItem(h.json, "items"), *t, *l7160 = NULL;
  cr_assert_geq(cJSON_GetArraySize(items), 5);
  cJSON_ArrayForEach(t, items)
  {
    if (strcmp(cJSON_GetObjectItem(t, "name")->valuestring, "avery-l7160") == 0)
      l7160 = t;
  }
  cr_assert(l7160, "%s", h.body);
  cr_assert_eq(cJSON_GetObjectItem(l7160, "columns")->valueint, 3);
  cr_assert_eq(cJSON_GetObjectItem(l7160, "rows")->valueint, 7);
  cr_assert_eq(cJSON_GetObjectItem(l7160, "labels_per_sheet")->valueint, 21);
  cr_assert_float_eq(cJSON_GetObjectItem(l7160, "label_width_mm")->valuedouble, 63.5, 1e-9);
  cr_assert_float_eq(cJSON_GetObjectItem(l7160, "label_height_mm")->valuedouble, 38.1, 1e-9);
  cr_assert_float_eq(cJSON_GetObjectItem(l7160, "page_width_mm")->valuedouble, 210, 1e-9);
  ts_http_release(&h);
  expect("/v1/labels/templates", AT_SOCIAL_WORKER, 403, "forbidden", NULL);
  expect("/v1/labels/templates", AT_NONE, 401, "unauthenticated", NULL);
}

Test(labels, pdf_of_codes_in_any_form_decodes_to_their_urls)
{
  int pages = 0;
  char *got = decode_pdf("/v1/labels.pdf?items=FB0001,fb-0002%20FB-0003,"
                         "https%3A%2F%2Fleen.test%2Fi%2FFB0004,BT0002",
                         &pages);
  static const char *const want[] = {"BT0002", "FB0001", "FB0002", "FB0003", "FB0004", NULL};
  char *w = urls_of(want);
  cr_assert_str_eq(got, w);
  cr_assert_eq(pages, 1);
  free(w);
  free(got);
}

Test(labels, pdf_of_a_library_from_a_start_position_fills_two_sheets)
{
  /* 24 lendable bikes from position 5 of 21: 17 on the first sheet, 7 on
   * the second; the retired FB0025 gets no label unless asked for */
  int pages = 0;
  char *got = decode_pdf("/v1/labels.pdf?library=fietsbieb&template=avery-l7160&start=5"
                         "&offset_x=-0.7&offset_y=0.3",
                         &pages);
  const char *want[26];
  char codes[25][8];
  for (int i = 0; i < 24; i++) {
    snprintf(codes[i], sizeof codes[i], "FB%04d", i + 1);
    want[i] = codes[i];
  }
  want[24] = NULL;
  char *w = urls_of(want);
  cr_assert_str_eq(got, w);
  cr_assert_eq(pages, 2);
  free(w);
  free(got);

  /* since= a code: that item and every later one of its library */
  got = decode_pdf("/v1/labels.pdf?since=fb-0021&status=retired", &pages);
  static const char *const retired[] = {"FB0025", NULL};
  w = urls_of(retired);
  cr_assert_str_eq(got, w);
  free(w);
  free(got);
  got = decode_pdf("/v1/labels.pdf?since=FB0022&template=brother-dk11209", &pages);
  static const char *const last[] = {"FB0022", "FB0023", "FB0024", NULL};
  w = urls_of(last);
  cr_assert_str_eq(got, w);
  cr_assert_eq(pages, 3); /* a roll: one label per page */
  free(w);
  free(got);
}

/* Leen-Label-Count and Leen-Sheet-Count of a PDF, without rasterising. */
static void expect_counts(const char *path, long labels, long sheets)
{
  struct ts_http h;
  call(path, AT_VOLUNTEER, &h);
  cr_assert_eq(h.status, 200, "GET %s: %ld %s", path, h.status, h.body);
  cr_assert_eq(count_header(&h, "Leen-Label-Count"), labels, "GET %s", path);
  cr_assert_eq(count_header(&h, "Leen-Sheet-Count"), sheets, "GET %s", path);
  ts_http_release(&h);
}

Test(labels, pdf_says_how_many_labels_on_how_many_sheets)
{
  /* a full sheet: FB0004..FB0024 are 21 lendable bikes, 21 a sheet */
  expect_counts("/v1/labels.pdf?since=FB0004&template=avery-l7160", 21, 1);
  /* one more spills onto a second sheet */
  expect_counts("/v1/labels.pdf?since=FB0003&template=avery-l7160", 22, 2);
  /* a half-used sheet: 9 fit from position 13, the 10th does not */
  expect_counts("/v1/labels.pdf?items=FB0001,FB0002,FB0003,FB0004,FB0005,FB0006,FB0007,"
                "FB0008,FB0009&template=avery-l7160&start=13",
                9, 1);
  expect_counts("/v1/labels.pdf?items=FB0001,FB0002,FB0003,FB0004,FB0005,FB0006,FB0007,"
                "FB0008,FB0009,FB0010&template=avery-l7160&start=13",
                10, 2);
  /* 3 from position 13 of 14: two sheets; the default template and start */
  expect_counts("/v1/labels.pdf?library=babytheek&template=avery-l7163&start=13", 3, 2);
  expect_counts("/v1/labels.pdf?items=BT0001", 1, 1);

  /* a refused selection says nothing of labels */
  struct ts_http h;
  call("/v1/labels.pdf?items=FB9999", AT_VOLUNTEER, &h);
  cr_assert_eq(h.status, 422, "%s", h.body);
  cr_assert_eq(count_header(&h, "Leen-Label-Count"), -1);
  cr_assert_eq(count_header(&h, "Leen-Sheet-Count"), -1);
  ts_http_release(&h);
}

Test(labels, bad_selections_get_a_problem)
{
  expect("/v1/labels.pdf", AT_VOLUNTEER, 422, "invalid_field", "items");
  expect("/v1/labels.pdf?items=", AT_VOLUNTEER, 422, "invalid_field", "items");
  expect("/v1/labels.pdf?items=,%20,", AT_VOLUNTEER, 422, "invalid_field", "items");
  expect("/v1/labels.pdf?items=FB0001&template=avery-l9999", AT_VOLUNTEER, 422, "invalid_field",
         "template");
  expect("/v1/labels.pdf?items=FB0001&start=22", AT_VOLUNTEER, 422, "invalid_field", "start");
  expect("/v1/labels.pdf?items=FB0001&template=brother-dk11209&start=2", AT_VOLUNTEER, 422,
         "invalid_field", "start");
  expect("/v1/labels.pdf?items=FB0001&start=0", AT_VOLUNTEER, 422, "invalid_field", "start");
  expect("/v1/labels.pdf?items=FB0001&offset_x=10.5", AT_VOLUNTEER, 422, "invalid_field",
         "offset_x");
  expect("/v1/labels.pdf?items=FB0001&offset_y=nan", AT_VOLUNTEER, 422, "invalid_field",
         "offset_y");
  expect("/v1/labels.pdf?items=FB0001,..%2F..%2Fetc%2Fpasswd", AT_VOLUNTEER, 422,
         "invalid_field", "items");
  expect("/v1/labels.pdf?items=FB0001%00", AT_VOLUNTEER, 422, "invalid_field", "items");
  expect("/v1/labels.pdf?items=FB9999", AT_VOLUNTEER, 422, "invalid_field", "items");
  expect("/v1/labels.pdf?items=FB0001&library=fietsbieb", AT_VOLUNTEER, 422, "invalid_field",
         "items");
  expect("/v1/labels.pdf?library=babytheek&status=lost", AT_VOLUNTEER, 422, "invalid_field",
         "library");
  expect("/v1/labels.pdf?library=nowhere", AT_VOLUNTEER, 422, "invalid_field", "library");
  expect("/v1/labels.pdf?library=fietsbieb&status=gone", AT_VOLUNTEER, 422, "invalid_field",
         "status");
  expect("/v1/labels.pdf?since=BT0001&library=fietsbieb", AT_VOLUNTEER, 422, "invalid_field",
         "since");
  expect("/v1/labels.pdf?since=FB0999", AT_VOLUNTEER, 422, "invalid_field", "since");
  expect("/v1/labels.pdf?since=2026-01-01", AT_VOLUNTEER, 422, "invalid_field", "since");
  expect("/v1/labels.pdf?category=x", AT_VOLUNTEER, 422, "invalid_field", "category");
  expect("/v1/labels.pdf?items=FB0001", AT_SOCIAL_WORKER, 403, "forbidden", NULL);
  expect("/v1/labels.pdf?items=FB0001", AT_NONE, 401, "unauthenticated", NULL);

  /* a selection larger than one request may render is refused, not cut */
  sql_run("INSERT INTO items (library_id, category_id, number, code, name)"
          " SELECT c.library_id, c.id, n, 'BT' || lpad(n::text, 4, '0'), 'Box ' || n"
          " FROM categories c, generate_series(4, 2004) n WHERE c.name = 'Kinderwagen'");
  expect("/v1/labels.pdf?library=babytheek", AT_VOLUNTEER, 422, "invalid_field", "library");
}

Test(labels, one_label_as_svg_and_png)
{
  struct ts_http h;
  call("/v1/items/fb-0007/label.svg", AT_VOLUNTEER, &h);
  cr_assert_eq(h.status, 200, "%s", h.body);
  char *ct = ts_header(&h, "Content-Type");
  cr_assert_str_eq(ct, "image/svg+xml");
  free(ct);
  cr_assert(strstr(h.body, "<svg"), "%s", h.body);
  cr_assert(strstr(h.body, "FB-0007"), "the code in large type");
  cr_assert(strstr(h.body, "Fietsbieb Izegem"), "the library's name");
  ts_http_release(&h);

  call("/v1/items/BT0003/label.png?template=avery-l7163&dpi=300", AT_VOLUNTEER, &h);
  cr_assert_eq(h.status, 200, "%s", h.body);
  ct = ts_header(&h, "Content-Type");
  cr_assert_str_eq(ct, "image/png");
  free(ct);
  cr_assert(h.len > 8 && memcmp(h.body, "\x89PNG", 4) == 0);
  char *got = ts_qr_decode_data(h.body, h.len, "label.png");
  ts_http_release(&h);
  cr_assert_str_eq(got, BASE "/i/BT0003\n");
  free(got);

  expect("/v1/items/FB0007/label.svg?template=nope", AT_VOLUNTEER, 422, "invalid_field",
         "template");
  expect("/v1/items/FB0007/label.png?dpi=10", AT_VOLUNTEER, 422, "invalid_field", "dpi");
  expect("/v1/items/FB9999/label.svg", AT_VOLUNTEER, 404, "not_found", NULL);
  expect("/v1/items/..%2f..%2fetc/label.png", AT_VOLUNTEER, 404, "not_found", NULL);
  expect("/v1/items/FB0001%00/label.svg", AT_VOLUNTEER, 404, "not_found", NULL);
  expect("/v1/items/FB0007/label.svg", AT_SOCIAL_WORKER, 403, "forbidden", NULL);
  expect("/v1/items/FB0007/label.png", AT_NONE, 401, "unauthenticated", NULL);
}
