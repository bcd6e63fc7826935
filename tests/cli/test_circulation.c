/* The counter: membership start, checkout, swap, renew, loans, return
 * with a withheld deposit, and payments, against a running leen-api. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ct.h"

static struct ct_env e;
static void setup(void) { ct_setup(&e); }
static void teardown(void) { ct_teardown(&e); }
TestSuite(cli_circulation, .init = setup, .fini = teardown, .timeout = 120);

static char *sql_text(const char *sql)
{
  PGconn *c = ts_connect(e.ci);
  char *v = ts_sql_value(c, sql);
  PQfinish(c);
  return v;
}

static void membership(const char *number, const char *slots)
{
  struct ts_run r;
  ct_leen(&e, CT_VOLUNTEER, &r, "membership", "start", number, "--library", "fietsbieb",
          "--slots", slots, "--payment", "contant");
  cr_assert_eq(r.exit_code, 0, "%s", r.err);
  ts_run_release(&r);
}

Test(cli_circulation, membership_start)
{
  CT_NEED_ROUTE(&e, "POST", "/v1/households/{number}/memberships");
  char num[24], want[256];
  snprintf(num, sizeof num, "%lld", (long long)ct_household(&e, "Gezin Peeters"));
  char *from = sql_text("SELECT current_date::text");
  char *until = sql_text("SELECT (current_date + interval '12 months' - interval '1 day')::date::text");
  struct ts_run r;
  ct_leen(&e, CT_VOLUNTEER, &r, "membership", "start", num, "--library", "fietsbieb", "--slots",
          "2", "--payment", "payconiq");
  cr_assert_eq(r.exit_code, 0, "%s", r.err);
  snprintf(want, sizeof want,
           "Lidmaatschap van gezin %s in fietsbieb: van %s tot en met %s, 2 plaats(en).\n"
           "Bijdrage € 40,00, te betalen € 40,00. Betaald: payconiq.\n",
           num, from, until);
  cr_assert_str_eq(r.out, want);
  ts_run_release(&r);
  free(from);
  free(until);
  cr_assert_eq(ct_sql_int(&e, "SELECT count(*) FROM memberships"), 1);

  /* nothing paid while something is due: the API says which field */
  char num2[24];
  snprintf(num2, sizeof num2, "%lld", (long long)ct_household(&e, "Gezin Janssens"));
  ct_leen(&e, CT_VOLUNTEER, &r, "membership", "start", num2, "--library", "fietsbieb");
  cr_assert_eq(r.exit_code, 2, "%s", r.err);
  cr_assert(strstr(r.err, "betaalwijze"), "%s", r.err);
  ts_run_release(&r);
  ct_leen(&e, CT_VOLUNTEER, &r, "membership", "start", num2, "--library", "fietsbieb",
          "--payment", "bitcoin");
  cr_assert_eq(r.exit_code, 2);
  cr_assert(strstr(r.err, "onbekende betaalwijze \"bitcoin\""), "%s", r.err);
  ts_run_release(&r);
}

Test(cli_circulation, checkout_swap_renew_return)
{
  CT_NEED_ROUTE(&e, "POST", "/v1/households/{number}/memberships");
  CT_NEED_ROUTE(&e, "POST", "/v1/loans");
  CT_NEED_ROUTE(&e, "POST", "/v1/swaps");
  CT_NEED_ROUTE(&e, "POST", "/v1/returns");
  char num[24], want[512], c1[16], c2[16];
  snprintf(num, sizeof num, "%lld", (long long)ct_household(&e, "Gezin Peeters"));
  ct_item(&e, "fietsbieb", e.cat_bike, "Btwin 16", c1);      /* deposit 20 */
  ct_item(&e, "fietsbieb", e.cat_bike_big, "Btwin 20", c2);  /* deposit 25 */
  struct ts_run r;

  ct_leen(&e, CT_VOLUNTEER, &r, "checkout", "FB0001", num);
  cr_assert_eq(r.exit_code, 4, "%s", r.err);
  cr_assert(strstr(r.err, "Het gezin heeft geen geldig lidmaatschap in deze bibliotheek."), "%s",
            r.err);
  ts_run_release(&r);

  membership(num, "1");
  ct_leen(&e, CT_VOLUNTEER, &r, "checkout", "fb-0001", num);
  cr_assert_eq(r.exit_code, 0, "%s", r.err);
  long long loan1 = ct_sql_int(&e, "SELECT id FROM loans");
  char *due = sql_text("SELECT due_on::text FROM loans");
  snprintf(want, sizeof want,
           "FB-0001 is uitgeleend aan gezin %s tot %s (uitlening %lld).\nWaarborg: € 20,00 (contant).\n",
           num, due, loan1);
  cr_assert_str_eq(r.out, want);
  cr_assert_str_eq(r.err, "");
  free(due);
  ts_run_release(&r);
  /* each POST that moved money or an item came with its own random key */
  cr_assert_eq(ct_sql_int(&e, "SELECT count(*) FROM idempotency_keys WHERE key ~ '^[0-9a-f]{32}$'"),
               2, "membership and checkout");

  ct_leen(&e, CT_VOLUNTEER, &r, "checkout", "FB0001", num);
  cr_assert_eq(r.exit_code, 4, "%s", r.err);
  cr_assert(strstr(r.err, "niet beschikbaar"), "%s", r.err);
  ts_run_release(&r);

  ct_leen(&e, CT_VOLUNTEER, &r, "swap", "FB0001", "FB0002");
  cr_assert_eq(r.exit_code, 0, "%s", r.err);
  long long loan2 = ct_sql_int(&e, "SELECT id FROM loans WHERE returned_at IS NULL");
  due = sql_text("SELECT due_on::text FROM loans WHERE returned_at IS NULL");
  snprintf(want, sizeof want,
           "FB-0001 is terug; FB-0002 is uitgeleend aan gezin %s tot %s (uitlening %lld).\n"
           "Het gezin betaalt € 5,00 waarborg bij.\n",
           num, due, loan2);
  cr_assert_str_eq(r.out, want);
  free(due);
  ts_run_release(&r);

  ct_leen(&e, CT_VOLUNTEER, &r, "--json", "return", "FB0002", "--condition", "wassen",
          "--withhold", "5", "--reason", "bel kapot");
  cr_assert_eq(r.exit_code, 0, "%s", r.err);
  cJSON *j = ct_json(&r);
  cr_assert_eq(cJSON_GetObjectItem(j, "refund_cents")->valuedouble, 2000);
  cr_assert_eq(cJSON_GetObjectItem(j, "withheld_cents")->valuedouble, 500);
  cr_assert_str_eq(cJSON_GetObjectItem(j, "item_status")->valuestring, "cleaning");
  cJSON_Delete(j);
  ts_run_release(&r);
  cr_assert_eq(ct_sql_int(&e, "SELECT amount_cents FROM ledger WHERE kind = 'deposit_withheld'"
                              " AND account = 'withheld_income'"),
               -500);

  ct_leen(&e, CT_VOLUNTEER, &r, "return", "FB0002");
  cr_assert_eq(r.exit_code, 4, "%s", r.err);
  cr_assert(strstr(r.err, "al teruggebracht"), "%s", r.err);
  ts_run_release(&r);

  /* human output of a return */
  ct_leen(&e, CT_COORDINATOR, &r, "item", "set-status", "FB0002", "beschikbaar");
  ts_run_release(&r);
  ct_leen(&e, CT_VOLUNTEER, &r, "checkout", "FB0001", num);
  cr_assert_eq(r.exit_code, 0, "%s", r.err);
  ts_run_release(&r);
  ct_leen(&e, CT_VOLUNTEER, &r, "return", "FB0001", "--withhold", "2,50", "--reason", "slot weg");
  cr_assert_eq(r.exit_code, 0, "%s", r.err);
  snprintf(want, sizeof want,
           "FB-0001 is terug van gezin %s.\nGeef € 17,50 waarborg terug (contant).\n"
           "Ingehouden: € 2,50 (slot weg).\nHet voorwerp is nu: beschikbaar.\n",
           num);
  cr_assert_str_eq(r.out, want);
  ts_run_release(&r);
  (void)loan1;
}

Test(cli_circulation, renew_and_loans)
{
  CT_NEED_ROUTE(&e, "POST", "/v1/households/{number}/memberships");
  CT_NEED_ROUTE(&e, "POST", "/v1/loans");
  CT_NEED_ROUTE(&e, "GET", "/v1/loans");
  CT_NEED_ROUTE(&e, "POST", "/v1/loans/{id}/renew");
  char num[24], c1[16], id[24], want[256];
  snprintf(num, sizeof num, "%lld", (long long)ct_household(&e, "Gezin Peeters"));
  ct_item(&e, "fietsbieb", e.cat_bike, "Btwin 16", c1);
  membership(num, "1");
  struct ts_run r;
  ct_leen(&e, CT_VOLUNTEER, &r, "checkout", "FB0001", num);
  cr_assert_eq(r.exit_code, 0, "%s", r.err);
  ts_run_release(&r);
  snprintf(id, sizeof id, "%lld", ct_sql_int(&e, "SELECT id FROM loans"));

  ct_leen(&e, CT_VOLUNTEER, &r, "renew", id);
  cr_assert_eq(r.exit_code, 0, "%s", r.err);
  char *due = sql_text("SELECT due_on::text FROM loans");
  snprintf(want, sizeof want, "Uitlening %s (FB-0001) is verlengd tot %s.\n", id, due);
  cr_assert_str_eq(r.out, want);
  free(due);
  ts_run_release(&r);
  cr_assert_eq(ct_sql_int(&e, "SELECT renewals FROM loans"), 1);

  ct_leen(&e, CT_VOLUNTEER, &r, "loans");
  cr_assert_eq(r.exit_code, 0, "%s", r.err);
  cr_assert(strstr(r.out, "FB-0001"), "%s", r.out);
  cr_assert(strstr(r.out, "€ 20,00"), "%s", r.out);
  ts_run_release(&r);
  ct_leen(&e, CT_VOLUNTEER, &r, "loans", "--json", "--household", num);
  cr_assert_eq(r.exit_code, 0, "%s", r.err);
  cJSON *j = ct_json(&r);
  cr_assert_eq(cJSON_GetArraySize(j), 1);
  cr_assert_str_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(j, 0), "item")->valuestring, "FB0001");
  cJSON_Delete(j);
  ts_run_release(&r);
  ct_leen(&e, CT_VOLUNTEER, &r, "loans", "--overdue");
  cr_assert_eq(r.exit_code, 0, "%s", r.err);
  cr_assert_str_eq(r.out, "");
  cr_assert_str_eq(r.err, "Niets gevonden.\n");
  ts_run_release(&r);
  /* made overdue in SQL, it shows */
  PGconn *c = ts_connect(e.ci);
  PQclear(ts_sql(c, "UPDATE loans SET due_on = current_date - 3", 0, NULL));
  PQfinish(c);
  ct_leen(&e, CT_VOLUNTEER, &r, "loans", "--overdue", "--csv");
  cr_assert_eq(r.exit_code, 0, "%s", r.err);
  cr_assert(strstr(r.out, ",FB0001,"), "%s", r.out);
  cr_assert(strstr(r.out, ",true,"), "%s", r.out);
  ts_run_release(&r);

  ct_leen(&e, CT_VOLUNTEER, &r, "renew", "999999");
  cr_assert_eq(r.exit_code, 3, "%s", r.err);
  ts_run_release(&r);
}

Test(cli_circulation, pay)
{
  CT_NEED_ROUTE(&e, "POST", "/v1/payments");
  char num[24];
  snprintf(num, sizeof num, "%lld", (long long)ct_household(&e, "Gezin Peeters"));
  struct ts_run r;
  ct_leen(&e, CT_VOLUNTEER, &r, "pay", num, "12.50", "--method", "payconiq", "--donation");
  cr_assert_eq(r.exit_code, 0, "%s", r.err);
  char want[200];
  snprintf(want, sizeof want, "Gift van € 12,50 ontvangen van gezin %s (payconiq). Dank je wel!\n",
           num);
  cr_assert(strncmp(r.out, want, strlen(want)) == 0, "%s", r.out);
  ts_run_release(&r);
  cr_assert_eq(ct_sql_int(&e, "SELECT amount_cents FROM ledger WHERE account = 'donations'"), -1250);
  ct_leen(&e, CT_VOLUNTEER, &r, "pay", "999999", "5");
  cr_assert_eq(r.exit_code, 3, "%s", r.err);
  ts_run_release(&r);
}
