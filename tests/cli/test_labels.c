/* leen labels templates | print, leen item label, leen household card and
 * leen reduction letter: the files written are what the API renders (every
 * QR rasterised at 300 dpi with pdftoppm and decoded with zbarimg), and a
 * refused request leaves no file behind. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ct.h"

static struct ct_env e;
static char dir[64];
/* FB0001..FB0004 (FB0004 retired), BT0001 */
static char fb[4][16], bt[16];

static void setup(void)
{
  ct_setup(&e);
  ct_item(&e, "fietsbieb", e.cat_bike, "Btwin 16 rood", fb[0]);
  ct_item(&e, "fietsbieb", e.cat_bike, "Btwin 16 blauw", fb[1]);
  ct_item(&e, "fietsbieb", e.cat_bike_big, "Loekie 20", fb[2]);
  ct_item(&e, "fietsbieb", e.cat_bike_big, "Oude fiets", fb[3]);
  ct_item(&e, "babytheek", e.cat_stroller, "Kinderwagen Joie", bt);
  PGconn *c = ts_connect(e.ci);
  const char *p[] = {fb[3]};
  PQclear(ts_sql(c, "UPDATE items SET status = 'retired' WHERE code = $1", 1, p));
  PQfinish(c);
  ts_tmpdir(dir, sizeof dir, "cli-labels");
}

static void teardown(void)
{
  ts_tmpdir_remove(dir);
  ct_teardown(&e);
}

TestSuite(cli_labels, .init = setup, .fini = teardown, .timeout = 180);

static void need_routes(void)
{
  CT_NEED_ROUTE(&e, "GET", "/v1/labels/templates");
  CT_NEED_ROUTE(&e, "GET", "/v1/labels.pdf");
}

static char *path_in_dir(const char *name)
{
  char *p = malloc(128);
  cr_assert(p);
  snprintf(p, 128, "%s/%s", dir, name);
  return p;
}

/* The file starts as a PDF does. */
static void assert_pdf(const char *path)
{
  size_t len = 0;
  char *data = ts_read_file(path, &len);
  cr_assert(data, "%s was not written", path);
  cr_assert(len > 5 && memcmp(data, "%PDF-", 5) == 0, "%s is no PDF", path);
  free(data);
}

/* The URLs the labels of codes (NULL-terminated, in sort order) hold. */
static void want_urls(const char *const *codes, char *out, size_t size)
{
  size_t n = 0;
  out[0] = '\0';
  for (size_t i = 0; codes[i]; i++)
    n += (size_t)snprintf(out + n, size - n, "%s/i/%s\n", e.api.url, codes[i]);
}

static int files_in_dir(void)
{
  DIR *d = opendir(dir);
  cr_assert(d);
  int n = 0;
  struct dirent *de;
  while ((de = readdir(d)))
    if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
      n++;
  closedir(d);
  return n;
}

Test(cli_labels, templates_as_table_csv_and_json)
{
  need_routes();
  struct ts_run r;
  ct_leen(&e, CT_VOLUNTEER, &r, "labels", "templates");
  cr_assert_eq(r.exit_code, 0, "%s", r.err);
  cr_assert(strncmp(r.out, "Sjabloon", 8) == 0, "%s", r.out);
  cr_assert(strstr(r.out, "\navery-l7160 "), "%s", r.out);
  cr_assert(strstr(r.out, "\nbrother-dk11209 "), "%s", r.out);
  ts_run_release(&r);

  ct_leen(&e, CT_VOLUNTEER, &r, "labels", "templates", "--csv");
  cr_assert_eq(r.exit_code, 0, "%s", r.err);
  static const char header[] =
      "name,description,labels_per_sheet,columns,rows,label_width_mm,label_height_mm\n";
  cr_assert(strncmp(r.out, header, strlen(header)) == 0, "%s", r.out);
  cr_assert(strstr(r.out, "\navery-l7160,"), "%s", r.out);
  cr_assert(strstr(r.out, ",21,3,7,63.5,38.1\n"), "%s", r.out);
  ts_run_release(&r);

  ct_leen(&e, CT_VOLUNTEER, &r, "--json", "labels", "templates");
  cr_assert_eq(r.exit_code, 0, "%s", r.err);
  cJSON *j = ct_json(&r);
  cr_assert(cJSON_IsArray(j));
  cr_assert_geq(cJSON_GetArraySize(j), 5);
  cJSON_Delete(j);
  ts_run_release(&r);

  ct_leen(&e, CT_SOCIAL_WORKER, &r, "labels", "templates");
  cr_assert_eq(r.exit_code, 5, "%s", r.err);
  ts_run_release(&r);
}

Test(cli_labels, print_codes_in_any_form)
{
  need_routes();
  char *file = path_in_dir("etiketten.pdf"), url[128], want[1024], msg[256];
  snprintf(url, sizeof url, "%s/i/%s", e.api.url, fb[2]);
  char dashed[64];
  snprintf(dashed, sizeof dashed, "fb-%s", fb[1] + 2);
  struct ts_run r;
  ct_leen(&e, CT_VOLUNTEER, &r, "labels", "print", fb[0], dashed, url, bt, "--template",
          "avery-l7160", "-o", file);
  cr_assert_eq(r.exit_code, 0, "%s", r.err);
  cr_assert_str_eq(r.out, "");
  snprintf(msg, sizeof msg, "4 etiketten op 1 vel geschreven naar %s.\n", file);
  cr_assert_str_eq(r.err, msg);
  ts_run_release(&r);
  assert_pdf(file);
  const char *codes[] = {bt, fb[0], fb[1], fb[2], NULL};
  want_urls(codes, want, sizeof want);
  char *got = ts_qr_decode(file);
  cr_assert_str_eq(got, want);
  free(got);
  cr_assert_eq(files_in_dir(), 1, "a temporary file was left behind");
  unlink(file);
  free(file);
}

Test(cli_labels, print_a_selection_from_a_start_position)
{
  need_routes();
  char *file = path_in_dir("fietsbieb.pdf"), want[1024], msg[256];
  struct ts_run r;
  /* 14 per sheet: positions 13 and 14, then a new sheet; the retired bike not */
  ct_leen(&e, CT_VOLUNTEER, &r, "labels", "print", "--library", "fietsbieb", "--template",
          "avery-l7163", "--start", "13", "--offset-x", "0,5", "--offset-y=-0.3", "--output",
          file);
  cr_assert_eq(r.exit_code, 0, "%s", r.err);
  snprintf(msg, sizeof msg, "3 etiketten op 2 vellen geschreven naar %s (begint op etiket 13).\n",
           file);
  cr_assert_str_eq(r.err, msg);
  ts_run_release(&r);
  assert_pdf(file);
  const char *codes[] = {fb[0], fb[1], fb[2], NULL};
  want_urls(codes, want, sizeof want);
  char *got = ts_qr_decode(file);
  cr_assert_str_eq(got, want);
  free(got);
  char cmd[256];
  snprintf(cmd, sizeof cmd, "pdfinfo '%s' | awk '/^Pages:/ {print $2}'", file);
  got = ts_shell(cmd);
  cr_assert_str_eq(got, "2\n");
  free(got);

  /* a category by name, within its library; one label, one sheet */
  ct_leen(&e, CT_VOLUNTEER, &r, "labels", "print", "--library", "fietsbieb", "--category",
          "Fiets 20 inch", "--template", "zweckform-3474", "--start", "1", "-o", file);
  cr_assert_eq(r.exit_code, 0, "%s", r.err);
  snprintf(msg, sizeof msg, "1 etiket op 1 vel geschreven naar %s.\n", file);
  cr_assert_str_eq(r.err, msg);
  ts_run_release(&r);
  const char *codes20[] = {fb[2], NULL};
  want_urls(codes20, want, sizeof want);
  got = ts_qr_decode(file);
  cr_assert_str_eq(got, want);
  free(got);
  unlink(file);
  free(file);
}

Test(cli_labels, print_to_standard_output_but_not_to_a_terminal)
{
  need_routes();
  struct ts_run r;
  ct_leen(&e, CT_VOLUNTEER, &r, "labels", "print", fb[0], "--template", "single", "-o", "-");
  cr_assert_eq(r.exit_code, 0, "%s", r.err);
  cr_assert(memcmp(r.out, "%PDF-", 5) == 0);
  cr_assert_str_eq(r.err, "");
  ts_run_release(&r);

  /* script(1) gives leen a terminal as standard output */
  char cmd[512];
  snprintf(cmd, sizeof cmd, "%s labels print %s --template single -o -", LEEN_CLI_BIN, fb[0]);
  const char *argv[] = {"/usr/bin/script", "-qec", cmd, "/dev/null", NULL};
  const char *env[] = {"LANGUAGE=", "LC_ALL=", "LANG=C", "LEEN_TOKEN=x", "NO_COLOR=1", NULL};
  ts_run(argv, env, &r);
  cr_assert_eq(r.exit_code, 2, "%s %s", r.out, r.err);
  cr_assert(strstr(r.out, "een PDF of afbeelding hoort niet op het scherm"), "%s", r.out);
  cr_assert(!strstr(r.out, "%PDF"));
  ts_run_release(&r);
}

/* Each refusal: its exit code, a Dutch sentence, and no file; an existing
 * file is left as it was. */
Test(cli_labels, refused_requests_leave_no_file)
{
  need_routes();
  static const struct {
    enum ct_who who;
    const char *args[6];
    int exit_code;
    const char *sentence;
  } cases[] = {
    {CT_VOLUNTEER, {"--template", "avery-l9999"}, 2, "Een gegeven is niet geldig."},
    {CT_VOLUNTEER, {"--template", "avery-l7160", "--start", "22"}, 2,
     "Een gegeven is niet geldig."},
    {CT_NONE, {"--template", "avery-l7160"}, 5, "Je bent niet aangemeld."},
    {CT_SOCIAL_WORKER, {"--template", "avery-l7160"}, 5, "Dat mag je niet doen"},
    {CT_VOLUNTEER, {"--template", "avery-l7160", "--offset-x", "11"}, 2,
     "--offset-x verwacht millimeter van -10 tot 10"},
    {CT_VOLUNTEER, {"--library", "fietsbieb"}, 2, "kies het etikettenvel met --template"},
  };
  char *file = path_in_dir("out.pdf");
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    const char *argv[16] = {"labels", "print", fb[0]};
    int n = 3;
    if (i == 5)
      n = 2; /* a selection by library, but no template */
    for (int k = 0; cases[i].args[k]; k++)
      argv[n++] = cases[i].args[k];
    argv[n++] = "-o";
    argv[n++] = file;
    argv[n] = NULL;
    struct ts_run r;
    ct_leenv(&e, cases[i].who, NULL, argv, &r);
    cr_assert_eq(r.exit_code, cases[i].exit_code, "case %zu: %d %s", i, r.exit_code, r.err);
    cr_assert(strstr(r.err, cases[i].sentence), "case %zu: %s", i, r.err);
    ts_run_release(&r);
    cr_assert_eq(files_in_dir(), 0, "case %zu left a file", i);
  }

  /* an unknown code is a field error of the server */
  struct ts_run r;
  ct_leen(&e, CT_VOLUNTEER, &r, "labels", "print", "FB9999", "--template", "avery-l7160", "-o",
          file);
  cr_assert_eq(r.exit_code, 2, "%s", r.err);
  cr_assert(strstr(r.err, "FB9999"), "%s", r.err);
  ts_run_release(&r);

  FILE *f = fopen(file, "w");
  cr_assert(f);
  fputs("oud", f);
  fclose(f);
  ct_leen(&e, CT_VOLUNTEER, &r, "labels", "print", fb[0], "--template", "avery-l7160", "--start",
          "22", "-o", file);
  cr_assert_eq(r.exit_code, 2, "%s", r.err);
  ts_run_release(&r);
  size_t len = 0;
  char *kept = ts_read_file(file, &len);
  cr_assert_str_eq(kept, "oud");
  free(kept);
  cr_assert_eq(files_in_dir(), 1);
  unlink(file);
  free(file);
}

Test(cli_labels, one_item_label_as_svg_and_png)
{
  CT_NEED_ROUTE(&e, "GET", "/v1/items/{code}/label.svg");
  CT_NEED_ROUTE(&e, "GET", "/v1/items/{code}/label.png");
  char *svg = path_in_dir("label.svg"), *png = path_in_dir("label.png"), want[256], cmd[256];
  struct ts_run r;
  ct_leen(&e, CT_VOLUNTEER, &r, "item", "label", fb[0], "-o", svg);
  cr_assert_eq(r.exit_code, 0, "%s", r.err);
  ts_run_release(&r);
  snprintf(cmd, sizeof cmd, "xmllint --noout '%s' && grep -c '<svg' '%s'", svg, svg);
  free(ts_shell(cmd));

  ct_leen(&e, CT_VOLUNTEER, &r, "item", "label", fb[0], "-o", png);
  cr_assert_eq(r.exit_code, 0, "%s", r.err);
  ts_run_release(&r);
  size_t len = 0;
  char *data = ts_read_file(png, &len);
  cr_assert(data && len > 8 && memcmp(data, "\x89PNG", 4) == 0);
  free(data);
  snprintf(want, sizeof want, "%s/i/%s\n", e.api.url, fb[0]);
  char *got = ts_qr_decode(png);
  cr_assert_str_eq(got, want);
  free(got);

  ct_leen(&e, CT_VOLUNTEER, &r, "item", "label", "FB9999", "--png", "-o", png);
  cr_assert_eq(r.exit_code, 3, "%s", r.err);
  ts_run_release(&r);
  free(svg);
  free(png);
}

Test(cli_labels, member_card)
{
  CT_NEED_ROUTE(&e, "GET", "/v1/households/{number}/card.pdf");
  char num[24], msg[256];
  snprintf(num, sizeof num, "%lld", (long long)ct_household(&e, "Gezin Peeters"));
  char *file = path_in_dir("lidkaart.pdf");
  static const char *const sizes[] = {"a4", "kaart"};
  for (size_t i = 0; i < 2; i++) {
    struct ts_run r;
    ct_leen(&e, CT_VOLUNTEER, &r, "household", "card", num, "--library", "fietsbieb", "--size",
            sizes[i], "-o", file);
    cr_assert_eq(r.exit_code, 0, "%s", r.err);
    snprintf(msg, sizeof msg, "Lidkaart van gezin %s geschreven naar %s.\n", num, file);
    cr_assert_str_eq(r.err, msg);
    ts_run_release(&r);
    assert_pdf(file);
    char *got = ts_qr_decode(file);
    char want[32];
    snprintf(want, sizeof want, "%s\n", num);
    cr_assert_str_eq(got, want);
    free(got);
    unlink(file);
  }
  struct ts_run r;
  ct_leen(&e, CT_VOLUNTEER, &r, "household", "card", "999999", "-o", file);
  cr_assert_eq(r.exit_code, 3, "%s", r.err);
  cr_assert(strstr(r.err, "Niet gevonden."), "%s", r.err);
  ts_run_release(&r);
  ct_leen(&e, CT_VOLUNTEER, &r, "household", "card", num, "--size", "groot", "-o", file);
  cr_assert_eq(r.exit_code, 2, "%s", r.err);
  ts_run_release(&r);
  ct_leen(&e, CT_VOLUNTEER, &r, "household", "card", num);
  cr_assert_eq(r.exit_code, 2, "%s", r.err);
  cr_assert(strstr(r.err, "geef het bestand met -o BESTAND.pdf"), "%s", r.err);
  ts_run_release(&r);
  cr_assert_eq(files_in_dir(), 0);
  free(file);
}

Test(cli_labels, voucher_letter)
{
  CT_NEED_ROUTE(&e, "GET", "/v1/reductions/{id}/voucher.pdf");
  struct ts_run r;
  ct_leen(&e, CT_SOCIAL_WORKER, &r, "--json", "reduction", "issue", "--voucher", "--until",
          "2030-06-30");
  cr_assert_eq(r.exit_code, 0, "%s", r.err);
  cJSON *j = ct_json(&r);
  char code[32], id[24];
  snprintf(code, sizeof code, "%s", cJSON_GetObjectItem(j, "voucher_code")->valuestring);
  snprintf(id, sizeof id, "%lld", (long long)cJSON_GetObjectItem(j, "id")->valuedouble);
  cJSON_Delete(j);
  ts_run_release(&r);

  char *file = path_in_dir("brief.pdf"), msg[256], want[48];
  ct_leen(&e, CT_SOCIAL_WORKER, &r, "reduction", "letter", id, "-o", file);
  cr_assert_eq(r.exit_code, 0, "%s", r.err);
  snprintf(msg, sizeof msg, "Brief bij waardebon %s geschreven naar %s.\n", id, file);
  cr_assert_str_eq(r.err, msg);
  ts_run_release(&r);
  assert_pdf(file);
  char *got = ts_qr_decode(file);
  snprintf(want, sizeof want, "%s\n", code);
  cr_assert_str_eq(got, want);
  free(got);
  unlink(file);

  ct_leen(&e, CT_VOLUNTEER, &r, "reduction", "letter", id, "-o", file);
  cr_assert_eq(r.exit_code, 5, "%s", r.err);
  ts_run_release(&r);
  /* a reduction given to a household directly has no letter */
  char num[24];
  snprintf(num, sizeof num, "%lld", (long long)ct_household(&e, "Gezin Janssens"));
  ct_leen(&e, CT_SOCIAL_WORKER, &r, "--json", "reduction", "issue", num, "--until", "2030-06-30");
  cr_assert_eq(r.exit_code, 0, "%s", r.err);
  j = ct_json(&r);
  snprintf(id, sizeof id, "%lld", (long long)cJSON_GetObjectItem(j, "id")->valuedouble);
  cJSON_Delete(j);
  ts_run_release(&r);
  ct_leen(&e, CT_SOCIAL_WORKER, &r, "reduction", "letter", id, "-o", file);
  cr_assert_eq(r.exit_code, 4, "%s", r.err);
  ts_run_release(&r);
  cr_assert_eq(files_in_dir(), 0);
  free(file);
}
