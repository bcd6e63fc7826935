/* leen item add | list | show | set-status against a running leen-api. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ct.h"

static struct ct_env e;
static void setup(void) { ct_setup(&e); }
static void teardown(void) { ct_teardown(&e); }
TestSuite(cli_items, .init = setup, .fini = teardown, .timeout = 120);

Test(cli_items, add_show_list_and_set_status)
{
  CT_NEED_ROUTE(&e, "POST", "/v1/items");
  CT_NEED_ROUTE(&e, "GET", "/v1/items/{code}");
  char cat[24];
  snprintf(cat, sizeof cat, "%lld", (long long)e.cat_bike);
  struct ts_run r;
  ct_leen(&e, CT_COORDINATOR, &r, "item", "add", "--library", "fietsbieb", "--category", cat,
          "--name", "Btwin 16 rood", "--attr", "wheel_inch=16", "--deposit", "15,50");
  cr_assert_eq(r.exit_code, 0, "%s", r.err);
  cr_assert_str_eq(r.out, "Voorwerp FB-0001 toegevoegd: Btwin 16 rood.\n");
  cr_assert_str_eq(r.err, "");
  ts_run_release(&r);
  cr_assert_eq(ct_sql_int(&e, "SELECT deposit_cents FROM items WHERE code = 'FB0001'"), 1550);
  cr_assert_eq(ct_sql_int(&e, "SELECT (attributes->>'wheel_inch')::int FROM items WHERE code = 'FB0001'"),
               16);

  ct_leen(&e, CT_COORDINATOR, &r, "--json", "item", "add", "--library", "fietsbieb", "--category",
          cat, "--name", "Loopfiets");
  cr_assert_eq(r.exit_code, 0, "%s", r.err);
  cJSON *j = ct_json(&r);
  cr_assert_str_eq(cJSON_GetObjectItem(j, "code")->valuestring, "FB0002");
  cr_assert_str_eq(cJSON_GetObjectItem(j, "status")->valuestring, "available");
  cJSON_Delete(j);
  ts_run_release(&r);

  /* by any form of its code, or a scanned label URL */
  const char *forms[] = {"FB0001", "fb-0001", "http://leen.example/i/FB0001"};
  for (int i = 0; i < 3; i++) {
    ct_leen(&e, CT_VOLUNTEER, &r, "item", "show", forms[i]);
    cr_assert_eq(r.exit_code, 0, "%s: %s", forms[i], r.err);
    cr_assert(strstr(r.out, "Code:"), "%s", r.out);
    cr_assert(strstr(r.out, "FB-0001\n"), "%s", r.out);
    cr_assert(strstr(r.out, "beschikbaar\n"), "%s", r.out);
    cr_assert(strstr(r.out, "€ 15,50\n"), "%s", r.out);
    cr_assert(strstr(r.out, "Kenmerken:               wheel_inch: 16\n"), "%s", r.out);
    ts_run_release(&r);
  }

  ct_leen(&e, CT_COORDINATOR, &r, "item", "set-status", "FB-0001", "herstelling");
  cr_assert_eq(r.exit_code, 0, "%s", r.err);
  cr_assert_str_eq(r.out, "FB-0001 staat nu op: in herstelling.\n");
  ts_run_release(&r);
  cr_assert_eq(ct_sql_int(&e, "SELECT count(*) FROM items WHERE code = 'FB0001' AND status = 'in_repair'"),
               1);
  /* the API decides what may be set: on_loan is not for an edit */
  ct_leen(&e, CT_COORDINATOR, &r, "item", "set-status", "FB0001", "uitgeleend");
  cr_assert_eq(r.exit_code, 2, "%s", r.err);
  cr_assert(strncmp(r.err, "leen: Een gegeven is niet geldig.\n", 34) == 0, "%s", r.err);
  ts_run_release(&r);
  ct_leen(&e, CT_COORDINATOR, &r, "item", "set-status", "FB0001", "kapot");
  cr_assert_eq(r.exit_code, 2);
  cr_assert(strstr(r.err, "onbekende status \"kapot\""), "%s", r.err);
  ts_run_release(&r);
}

Test(cli_items, list_as_table_csv_and_json)
{
  CT_NEED_ROUTE(&e, "GET", "/v1/items");
  char c1[16], c2[16];
  ct_item(&e, "fietsbieb", e.cat_bike, "Btwin 16 rood", c1);
  ct_item(&e, "fietsbieb", e.cat_bike, "Loopfiets, blauw", c2);
  struct ts_run r;
  ct_leen(&e, CT_VOLUNTEER, &r, "item", "list", "--library", "fietsbieb");
  cr_assert_eq(r.exit_code, 0, "%s", r.err);
  cr_assert_str_eq(r.out,
                   "Code     Naam              Status       Bibliotheek  Categorie\n"
                   "FB-0001  Btwin 16 rood     beschikbaar  fietsbieb    Fiets 16 inch\n"
                   "FB-0002  Loopfiets, blauw  beschikbaar  fietsbieb    Fiets 16 inch\n");
  ts_run_release(&r);

  ct_leen(&e, CT_VOLUNTEER, &r, "item", "list", "--csv");
  cr_assert_eq(r.exit_code, 0, "%s", r.err);
  cr_assert_str_eq(r.out, "code,name,status,library,category\n"
                          "FB0001,Btwin 16 rood,available,fietsbieb,Fiets 16 inch\n"
                          "FB0002,\"Loopfiets, blauw\",available,fietsbieb,Fiets 16 inch\n");
  ts_run_release(&r);

  ct_leen(&e, CT_VOLUNTEER, &r, "item", "list", "--json", "--limit", "1");
  cr_assert_eq(r.exit_code, 0, "%s", r.err);
  cJSON *j = ct_json(&r);
  cr_assert_eq(cJSON_GetArraySize(j), 1);
  cJSON_Delete(j);
  ts_run_release(&r);

  ct_leen(&e, CT_VOLUNTEER, &r, "item", "list", "--status", "verloren");
  cr_assert_eq(r.exit_code, 0, "%s", r.err);
  cr_assert_str_eq(r.out, "");
  cr_assert_str_eq(r.err, "Niets gevonden.\n");
  ts_run_release(&r);
}

Test(cli_items, category_by_name)
{
  CT_NEED_ROUTE(&e, "POST", "/v1/items");
  CT_NEED_ROUTE(&e, "GET", "/v1/libraries/{slug}/categories");
  struct ts_run r;
  ct_leen(&e, CT_COORDINATOR, &r, "item", "add", "--library", "fietsbieb", "--category",
          "fiets 20 inch", "--name", "Groot");
  cr_assert_eq(r.exit_code, 0, "%s", r.err);
  ts_run_release(&r);
  ct_leen(&e, CT_COORDINATOR, &r, "item", "add", "--library", "fietsbieb", "--category",
          "Bakfiets", "--name", "Groot");
  cr_assert_eq(r.exit_code, 3, "%s", r.err);
  cr_assert_str_eq(r.err, "leen: De bibliotheek fietsbieb heeft geen categorie \"Bakfiets\".\n");
  ts_run_release(&r);
}

Test(cli_items, refusals)
{
  CT_NEED_ROUTE(&e, "GET", "/v1/items/{code}");
  struct ts_run r;
  ct_leen(&e, CT_VOLUNTEER, &r, "item", "show", "FB9999");
  cr_assert_eq(r.exit_code, 3);
  cr_assert(strncmp(r.err, "leen: Niet gevonden.\n", 21) == 0, "%s", r.err);
  cr_assert_str_eq(r.out, "");
  ts_run_release(&r);
  ct_leen(&e, CT_SOCIAL_WORKER, &r, "item", "show", "FB0001");
  cr_assert_eq(r.exit_code, 5, "%s", r.err);
  cr_assert(strstr(r.err, "Dat mag je niet doen"), "%s", r.err);
  ts_run_release(&r);
  char cat[24];
  snprintf(cat, sizeof cat, "%lld", (long long)e.cat_bike);
  ct_leen(&e, CT_VOLUNTEER, &r, "item", "add", "--library", "fietsbieb", "--category", cat,
          "--name", "X");
  cr_assert_eq(r.exit_code, 5, "%s", r.err);
  ts_run_release(&r);
}
