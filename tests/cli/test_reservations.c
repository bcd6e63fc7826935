/* leen reservation add | list | cancel against a running leen-api. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ct.h"

static struct ct_env e;
static void setup(void) { ct_setup(&e); }
static void teardown(void) { ct_teardown(&e); }
TestSuite(cli_reservations, .init = setup, .fini = teardown, .timeout = 120);

Test(cli_reservations, add_list_cancel)
{
  CT_NEED_ROUTE(&e, "POST", "/v1/reservations");
  CT_NEED_ROUTE(&e, "GET", "/v1/reservations");
  CT_NEED_ROUTE(&e, "DELETE", "/v1/reservations/{id}");
  char n1[24], n2[24], cat[24], want[256];
  snprintf(n1, sizeof n1, "%lld", (long long)ct_household(&e, "Gezin Peeters"));
  snprintf(n2, sizeof n2, "%lld", (long long)ct_household(&e, "Gezin Janssens"));
  snprintf(cat, sizeof cat, "%lld", (long long)e.cat_stroller);
  struct ts_run r;
  ct_leen(&e, CT_VOLUNTEER, &r, "reservation", "add", n1, "--category", cat, "--from",
          "2030-03-01");
  cr_assert_eq(r.exit_code, 0, "%s", r.err);
  long long id1 = ct_sql_int(&e, "SELECT max(id) FROM reservations");
  snprintf(want, sizeof want,
           "Reservering %lld: gezin %s staat op plaats 1 in de rij, vanaf 2030-03-01.\n", id1, n1);
  cr_assert_str_eq(r.out, want);
  ts_run_release(&r);
  ct_leen(&e, CT_VOLUNTEER, &r, "reservation", "add", n2, "--category", cat);
  cr_assert_eq(r.exit_code, 0, "%s", r.err);
  cr_assert(strstr(r.out, "op plaats 2 in de rij"), "%s", r.out);
  ts_run_release(&r);
  ct_leen(&e, CT_VOLUNTEER, &r, "reservation", "add", n2, "--category", cat);
  cr_assert_eq(r.exit_code, 4, "already waiting: %s", r.err);
  ts_run_release(&r);
  ct_leen(&e, CT_VOLUNTEER, &r, "reservation", "add", n2);
  cr_assert_eq(r.exit_code, 2);
  ts_run_release(&r);

  ct_leen(&e, CT_VOLUNTEER, &r, "reservation", "list", "--json");
  cr_assert_eq(r.exit_code, 0, "%s", r.err);
  cJSON *j = ct_json(&r);
  cr_assert_eq(cJSON_GetArraySize(j), 2);
  cJSON_Delete(j);
  ts_run_release(&r);
  ct_leen(&e, CT_VOLUNTEER, &r, "reservation", "list");
  cr_assert_eq(r.exit_code, 0, "%s", r.err);
  cr_assert(strstr(r.out, "wacht"), "%s", r.out);
  ts_run_release(&r);

  char id[24];
  snprintf(id, sizeof id, "%lld", id1);
  ct_leen(&e, CT_VOLUNTEER, &r, "reservation", "cancel", id);
  cr_assert_eq(r.exit_code, 0, "%s", r.err);
  snprintf(want, sizeof want, "Reservering %s is geannuleerd.\n", id);
  cr_assert_str_eq(r.out, want);
  ts_run_release(&r);
  ct_leen(&e, CT_VOLUNTEER, &r, "reservation", "cancel", id);
  cr_assert_eq(r.exit_code, 4, "%s", r.err);
  ts_run_release(&r);
  ct_leen(&e, CT_VOLUNTEER, &r, "reservation", "cancel", "999999");
  cr_assert_eq(r.exit_code, 3, "%s", r.err);
  ts_run_release(&r);
}
