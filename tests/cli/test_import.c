/* leen import: a MyTurn-shaped export of 500 rows (UTF-8 BOM, CRLF, line
 * breaks inside quoted fields) with 20 bad rows (wrong amounts, duplicate
 * IDs, unknown statuses, broken quoting). Reading it reports exactly those
 * 20 with their lines; through the bulk route the other 480 are imported
 * and a second run imports nothing new. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ct.h"

static struct ct_env e;
static void setup(void) { ct_setup(&e); }
static void teardown(void) { ct_teardown(&e); }
TestSuite(cli_import, .init = setup, .fini = teardown, .timeout = 300);

#define ROWS 500

struct gen {
  char *text;
  size_t len;
  long bad[32];  /* lines of the bad rows */
  int nbad;
};

/* Writes the file; row r (1-based) is bad when r % 25 == 7 (20 rows),
 * cycling through the four kinds of damage. */
static void generate(struct gen *g)
{
  FILE *f = open_memstream(&g->text, &g->len);
  fputs("\xEF\xBB\xBF", f);
  fputs("Item ID,Name,Categories,Description,Manufacturer,Model,Serial Number,Size,"
        "Replacement Cost,Status(es),Default Loan Length,Date Purchased,Condition\r\n",
        f);
  long line = 2;
  int kind = 0;
  g->nbad = 0;
  static const char *const statuses[] = {"Available", "Checked Out", "Maintenance", "Retired",
                                         "\"Available, Maintenance\""};
  for (int r = 1; r <= ROWS; r++) {
    int bad = r % 25 == 7;
    char id[16], cost[32], status[48], name[96], desc[96];
    snprintf(id, sizeof id, "MT-%04d", r);
    snprintf(cost, sizeof cost, "\"%d,%02d\"", 50 + r % 100, r % 100);
    snprintf(status, sizeof status, "%s", statuses[r % 5]);
    snprintf(name, sizeof name, "\"Fiets %d inch, \"\"rood\"\"\"", 12 + 2 * (r % 5));
    /* every 40th description spans two lines: later line numbers shift */
    snprintf(desc, sizeof desc, r % 40 == 0 ? "\"Eerste regel\r\ntweede regel\"" : "Gewoon");
    if (bad) {
      switch (kind++ % 4) {
      case 0:
        snprintf(cost, sizeof cost, r % 2 ? "twaalf" : "\"1.200,00\"");
        break;
      case 1:
        snprintf(id, sizeof id, "MT-%04d", r - 1);
        break;
      case 2:
        snprintf(status, sizeof status, "Zoekgeraakt");
        break;
      case 3:
        snprintf(name, sizeof name, "\"Fiets \"kapot\" aanhalingsteken\"");
        break;
      }
      g->bad[g->nbad++] = line;
    }
    fprintf(f, "%s,%s,\"Fietsen %d inch, Kinderfietsen\",%s,Btwin,M%d,SN%05d,%d inch,%s,%s,%d days,"
               "2021-%02d-%02d,Goed\r\n",
            id, name, 12 + 2 * (r % 5), desc, r % 7, r, 12 + 2 * (r % 5), cost, status,
            r % 2 ? 14 : 365, 1 + r % 12, 1 + r % 28);
    line += r % 40 == 0 ? 2 : 1;
  }
  fclose(f);
}

Test(cli_import, reading_reports_exactly_the_bad_rows)
{
  struct gen g;
  generate(&g);
  cr_assert_eq(g.nbad, 20);
  struct cli_import_batch b;
  char why[300];
  cr_assert_eq(cli_import_items_read(g.text, g.len, &b, why, sizeof why), 0, "%s", why);
  cr_assert_str_eq(b.format, "myturn");
  cr_assert_eq(b.nrecords, ROWS);
  cr_assert_eq(cJSON_GetArraySize(b.rows), ROWS - 20);
  cr_assert_eq(b.nerrors, 20);
  for (size_t i = 0; i < b.nerrors; i++)
    cr_assert_eq(b.errors[i].line, g.bad[i], "error %zu on line %ld, want %ld (%s)", i,
                 b.errors[i].line, g.bad[i], b.errors[i].reason);
  cr_assert(strstr(b.errors[0].reason, "ongeldig bedrag \"twaalf\""), "%s", b.errors[0].reason);
  cr_assert(strstr(b.errors[1].reason, "dubbele ID \"MT-0031\": staat al op regel 32"), "%s", b.errors[1].reason);
  cr_assert(strstr(b.errors[2].reason, "onbekende status \"Zoekgeraakt\""), "%s", b.errors[2].reason);
  cr_assert(strstr(b.errors[3].reason, "aanhalingsteken"), "%s", b.errors[3].reason);

  /* a good row as the bulk route gets it */
  const cJSON *row = cJSON_GetArrayItem(b.rows, 0);
  char *t = cJSON_PrintUnformatted(row);
  cr_assert_str_eq(t,
                   "{\"line\":2,\"external_id\":\"MT-0001\",\"name\":\"Fiets 14 inch, \\\"rood\\\"\","
                   "\"category\":\"Fietsen 14 inch\",\"status\":\"available\",\"loan_days\":14,"
                   "\"attributes\":{\"description\":\"Gewoon\",\"brand\":\"Btwin\",\"model\":\"M1\","
                   "\"serial_number\":\"SN00001\",\"size\":\"14 inch\",\"condition\":\"Goed\","
                   "\"replacement_cost_cents\":5101,\"purchased_on\":\"2021-02-02\"}}");
  cJSON_free(t);
  /* "Available, Maintenance": the worst status counts */
  row = cJSON_GetArrayItem(b.rows, 3);
  cr_assert_str_eq(cJSON_GetObjectItem(row, "status")->valuestring, "in_repair");
  /* the description with a line break inside */
  row = cJSON_GetArrayItem(b.rows, 37); /* rows 7 and 32 are bad */
  cr_assert_str_eq(cJSON_GetObjectItem(row, "external_id")->valuestring, "MT-0040");
  cr_assert_str_eq(
      cJSON_GetObjectItem(cJSON_GetObjectItem(row, "attributes"), "description")->valuestring,
      "Eerste regel\ntweede regel");
  cli_import_batch_release(&b);
  free(g.text);
}

Test(cli_import, leen_format_and_unusable_files)
{
  const char *own = "external_id;name;category;status;deposit;expires_on;loan_days\n"
                    "A1;Autostoel;Autostoelen;beschikbaar;25;2030-01-31;30\n"
                    "A2;Kinderwagen;Kinderwagens;in_repair;;;\n"
                    "A3;Box;Boxen;available;25,001;;\n"
                    "A4;Bad;Baden;available;;2030-02-30;\n";
  struct cli_import_batch b;
  char why[300];
  cr_assert_eq(cli_import_items_read(own, strlen(own), &b, why, sizeof why), 0, "%s", why);
  cr_assert_str_eq(b.format, "leen");
  cr_assert_eq(cJSON_GetArraySize(b.rows), 2);
  cr_assert_eq(b.nerrors, 2);
  cr_assert_eq(b.errors[0].line, 4);
  cr_assert(strstr(b.errors[0].reason, "ongeldig bedrag \"25,001\" als waarborg"), "%s",
            b.errors[0].reason);
  cr_assert_eq(b.errors[1].line, 5);
  cr_assert(strstr(b.errors[1].reason, "vervaldatum"), "%s", b.errors[1].reason);
  const cJSON *a1 = cJSON_GetArrayItem(b.rows, 0);
  cr_assert_eq(cJSON_GetObjectItem(a1, "deposit_cents")->valuedouble, 2500);
  cr_assert_str_eq(cJSON_GetObjectItem(a1, "expires_on")->valuestring, "2030-01-31");
  cli_import_batch_release(&b);

  const char *other = "code,naam\nX,Y\n";
  cr_assert_eq(cli_import_items_read(other, strlen(other), &b, why, sizeof why), -1);
  cr_assert(strstr(why, "onbekende kolommen"), "%s", why);
  cli_import_batch_release(&b);
  cr_assert_eq(cli_import_items_read("", 0, &b, why, sizeof why), -1);
  cr_assert(strstr(why, "leeg"), "%s", why);
  cli_import_batch_release(&b);
}

Test(cli_import, households_file)
{
  const char *text = "external_id,name,email,phone,postcode,language,children\r\n"
                     "H1,Gezin Peeters,an@example.be,0470123456,8870,nl,Lien:2020-05|2022-01\r\n"
                     "H2,Gezin Janssens,,,,fr,\r\n"
                     "H3,Gezin Fout,geen-mail,,,,\r\n"
                     "H1,Gezin Dubbel,,,,,\r\n"
                     "H5,Gezin Postcode,,,88700,,\r\n"
                     "H6,Gezin Kind,,,,,Lien:2020-13\r\n";
  struct cli_import_batch b;
  char why[300];
  cr_assert_eq(cli_import_households_read(text, strlen(text), &b, why, sizeof why), 0, "%s", why);
  cr_assert_eq(cJSON_GetArraySize(b.rows), 2);
  cr_assert_eq(b.nerrors, 4);
  long want[] = {4, 5, 6, 7};
  for (int i = 0; i < 4; i++)
    cr_assert_eq(b.errors[i].line, want[i], "%d: %ld %s", i, b.errors[i].line, b.errors[i].reason);
  char *t = cJSON_PrintUnformatted(cJSON_GetArrayItem(b.rows, 0));
  cr_assert_str_eq(t, "{\"line\":2,\"external_id\":\"H1\",\"name\":\"Gezin Peeters\","
                      "\"email\":\"an@example.be\",\"phone\":\"0470123456\",\"postcode\":\"8870\","
                      "\"language\":\"nl\",\"children\":[{\"first_name\":\"Lien\","
                      "\"birth_month\":\"2020-05\"},{\"birth_month\":\"2022-01\"}]}");
  cJSON_free(t);
  cli_import_batch_release(&b);
}

Test(cli_import, strict_stops_before_sending_anything)
{
  struct gen g;
  generate(&g);
  char path[200];
  snprintf(path, sizeof path, "%s/export.csv", e.home);
  ts_write_file(path, g.text, g.len);
  free(g.text);
  struct ts_run r;
  ct_leen(&e, CT_COORDINATOR, &r, "import", "items", path, "--library", "fietsbieb", "--strict");
  cr_assert_eq(r.exit_code, 1, "%s", r.err);
  cr_assert(strstr(r.err, "regel 8: ongeldig bedrag \"twaalf\" als vervangwaarde\n"), "%s", r.err);
  cr_assert(strstr(r.err, "Niets geïmporteerd"), "%s", r.err);
  ts_run_release(&r);
  cr_assert_eq(ct_sql_int(&e, "SELECT count(*) FROM items"), 0);

  ct_leen(&e, CT_COORDINATOR, &r, "import", "items", path);
  cr_assert_eq(r.exit_code, 2);
  cr_assert(strstr(r.err, "--library"), "%s", r.err);
  ts_run_release(&r);
  ct_leen(&e, CT_COORDINATOR, &r, "import", "items", "/nonexistent.csv", "--library", "fietsbieb");
  cr_assert_eq(r.exit_code, 1);
  cr_assert(strstr(r.err, "kan \"/nonexistent.csv\" niet lezen"), "%s", r.err);
  ts_run_release(&r);
}

static int count_lines(const char *s, const char *prefix)
{
  int n = 0;
  size_t k = strlen(prefix);
  for (const char *p = s; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
    if (strncmp(p, prefix, k) == 0)
      n++;
  return n;
}

Test(cli_import, myturn_export_end_to_end)
{
  CT_NEED_ROUTE(&e, "POST", "/v1/imports/items");
  struct gen g;
  generate(&g);
  char path[200];
  snprintf(path, sizeof path, "%s/export.csv", e.home);
  ts_write_file(path, g.text, g.len);
  free(g.text);
  struct ts_run r;
  ct_leen(&e, CT_COORDINATOR, &r, "import", "items", path, "--library", "fietsbieb", "--dry-run");
  cr_assert_eq(r.exit_code, 1, "%s", r.err);
  cr_assert_eq(count_lines(r.err, "regel "), 20, "%s", r.err);
  cr_assert(strstr(r.out, "Proef, er is niets veranderd: 500 regels gelezen, 480 zouden nieuw zijn"),
            "%s", r.out);
  ts_run_release(&r);
  cr_assert_eq(ct_sql_int(&e, "SELECT count(*) FROM items"), 0);

  ct_leen(&e, CT_COORDINATOR, &r, "import", "items", path, "--library", "fietsbieb");
  cr_assert_eq(r.exit_code, 1, "%s", r.err);
  cr_assert_eq(count_lines(r.err, "regel "), 20, "%s", r.err);
  cr_assert(strstr(r.out, "500 regels gelezen: 480 nieuw, 0 waren er al, 20 fout.\n"), "%s", r.out);
  ts_run_release(&r);
  cr_assert_eq(ct_sql_int(&e, "SELECT count(*) FROM items"), 480);
  cr_assert_eq(ct_sql_int(&e, "SELECT count(*) FROM categories c JOIN libraries l"
                              " ON l.id = c.library_id WHERE l.slug = 'fietsbieb'"
                              " AND c.name LIKE 'Fietsen % inch'"),
               5);

  ct_leen(&e, CT_COORDINATOR, &r, "--json", "import", "items", path, "--library", "fietsbieb");
  cr_assert_eq(r.exit_code, 1, "%s", r.err);
  cJSON *j = ct_json(&r);
  cr_assert_eq(cJSON_GetObjectItem(j, "created")->valuedouble, 0);
  cr_assert_eq(cJSON_GetObjectItem(j, "unchanged")->valuedouble, 480);
  cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(j, "errors")), 20);
  cJSON_Delete(j);
  ts_run_release(&r);
  cr_assert_eq(ct_sql_int(&e, "SELECT count(*) FROM items"), 480);

  /* a volunteer may not import */
  ct_leen(&e, CT_VOLUNTEER, &r, "import", "items", path, "--library", "fietsbieb");
  cr_assert_eq(r.exit_code, 5, "%s", r.err);
  ts_run_release(&r);
}

Test(cli_import, households_end_to_end)
{
  CT_NEED_ROUTE(&e, "POST", "/v1/imports/households");
  const char *text = "external_id;name;email;postcode;children\n"
                     "H1;Gezin Peeters;an@example.be;8870;Lien:2020-05\n"
                     "H2;Gezin Janssens;;8870;\n"
                     "H3;Gezin Fout;;123;\n";
  char path[200];
  snprintf(path, sizeof path, "%s/gezinnen.csv", e.home);
  ts_write_file(path, text, strlen(text));
  struct ts_run r;
  ct_leen(&e, CT_VOLUNTEER, &r, "import", "households", path);
  cr_assert_eq(r.exit_code, 1, "%s", r.err);
  cr_assert_str_eq(r.err, "regel 4: ongeldige postcode \"123\" (vier cijfers)\n");
  cr_assert_str_eq(r.out, "3 regels gelezen: 2 nieuw, 0 waren er al, 1 fout.\n");
  ts_run_release(&r);
  ct_leen(&e, CT_VOLUNTEER, &r, "import", "households", path);
  cr_assert_str_eq(r.out, "3 regels gelezen: 0 nieuw, 2 waren er al, 1 fout.\n");
  ts_run_release(&r);
  cr_assert_eq(ct_sql_int(&e, "SELECT count(*) FROM households"), 2);
}
