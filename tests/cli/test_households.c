/* leen household add | find | show | edit against a running leen-api. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ct.h"

static struct ct_env e;
static void setup(void) { ct_setup(&e); }
static void teardown(void) { ct_teardown(&e); }
TestSuite(cli_households, .init = setup, .fini = teardown, .timeout = 120);

Test(cli_households, add_show_edit)
{
  CT_NEED_ROUTE(&e, "POST", "/v1/households");
  CT_NEED_ROUTE(&e, "GET", "/v1/households/{number}");
  CT_NEED_ROUTE(&e, "PATCH", "/v1/households/{number}");
  struct ts_run r;
  ct_leen(&e, CT_VOLUNTEER, &r, "--json", "household", "add", "--name", "Gezin Peeters",
          "--postcode", "8870", "--child", "Lien:2020-05", "--child", "2026-12");
  cr_assert_eq(r.exit_code, 0, "%s", r.err);
  cJSON *j = ct_json(&r);
  long long number = (long long)cJSON_GetObjectItem(j, "number")->valuedouble;
  cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(j, "children")), 2);
  cJSON_Delete(j);
  ts_run_release(&r);
  cr_assert_eq(ct_sql_int(&e, "SELECT count(*) FROM children"), 2);

  char num[24], want[128];
  snprintf(num, sizeof num, "%lld", number);
  ct_leen(&e, CT_VOLUNTEER, &r, "household", "add", "--name", "Gezin Janssens");
  cr_assert_eq(r.exit_code, 0, "%s", r.err);
  snprintf(want, sizeof want, "Gezin %lld toegevoegd: Gezin Janssens.\n", number + 1);
  cr_assert_str_eq(r.out, want);
  ts_run_release(&r);

  ct_leen(&e, CT_VOLUNTEER, &r, "household", "show", num);
  cr_assert_eq(r.exit_code, 0, "%s", r.err);
  cr_assert(strstr(r.out, "Naam:            Gezin Peeters\n"), "%s", r.out);
  cr_assert(strstr(r.out, "Postcode:        8870\n"), "%s", r.out);
  cr_assert(strstr(r.out, "Lien geboren 2020-05"), "%s", r.out);
  cr_assert(strstr(r.out, "Verlaagd tarief: nee\n"), "%s", r.out);
  ts_run_release(&r);

  ct_leen(&e, CT_VOLUNTEER, &r, "household", "edit", num, "--email", "an@example.be",
          "--postcode", "");
  cr_assert_eq(r.exit_code, 0, "%s", r.err);
  snprintf(want, sizeof want, "Gezin %lld gewijzigd: Gezin Peeters.\n", number);
  cr_assert_str_eq(r.out, want);
  ts_run_release(&r);
  cr_assert_eq(ct_sql_int(&e, "SELECT count(*) FROM households WHERE email = 'an@example.be'"
                              " AND postcode IS NULL"),
               1);

  ct_leen(&e, CT_VOLUNTEER, &r, "household", "edit", num);
  cr_assert_eq(r.exit_code, 2);
  cr_assert(strstr(r.err, "niets te wijzigen"), "%s", r.err);
  ts_run_release(&r);
  ct_leen(&e, CT_VOLUNTEER, &r, "household", "edit", num, "--postcode", "88");
  cr_assert_eq(r.exit_code, 2, "%s", r.err);
  cr_assert(strstr(r.err, "postcode"), "%s", r.err);
  ts_run_release(&r);
  ct_leen(&e, CT_VOLUNTEER, &r, "household", "show", "999999");
  cr_assert_eq(r.exit_code, 3, "%s", r.err);
  ts_run_release(&r);
  ct_leen(&e, CT_VOLUNTEER, &r, "household", "show", "Peeters");
  cr_assert_eq(r.exit_code, 2, "%s", r.err);
  cr_assert_str_eq(r.err, "leen: \"Peeters\" is geen lidnummer van een gezin\n");
  ts_run_release(&r);
}

Test(cli_households, find)
{
  CT_NEED_ROUTE(&e, "GET", "/v1/households");
  long long n1 = ct_household(&e, "Gezin Peeters");
  ct_household(&e, "Gezin Janssens");
  struct ts_run r;
  ct_leen(&e, CT_VOLUNTEER, &r, "household", "find", "peet");
  cr_assert_eq(r.exit_code, 0, "%s", r.err);
  cr_assert(strstr(r.out, "Gezin Peeters"), "%s", r.out);
  cr_assert(!strstr(r.out, "Janssens"), "%s", r.out);
  ts_run_release(&r);
  ct_leen(&e, CT_VOLUNTEER, &r, "household", "find", "--csv");
  cr_assert_eq(r.exit_code, 0, "%s", r.err);
  char want[200];
  snprintf(want, sizeof want,
           "number,name,postcode,email,reduction.active,reduction.valid_until\n"
           "%lld,Gezin Peeters,8870,,false,\n",
           n1);
  cr_assert(strncmp(r.out, want, strlen(want)) == 0, "%s", r.out);
  ts_run_release(&r);
  ct_leen(&e, CT_SOCIAL_WORKER, &r, "household", "find", "peet");
  cr_assert_eq(r.exit_code, 5, "%s", r.err);
  ts_run_release(&r);
}
