/* leen reduction issue | revoke | list and leen voucher redeem. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ct.h"

static struct ct_env e;
static void setup(void) { ct_setup(&e); }
static void teardown(void) { ct_teardown(&e); }
TestSuite(cli_reductions, .init = setup, .fini = teardown, .timeout = 120);

Test(cli_reductions, issue_list_revoke)
{
  CT_NEED_ROUTE(&e, "POST", "/v1/reductions");
  CT_NEED_ROUTE(&e, "GET", "/v1/reductions");
  CT_NEED_ROUTE(&e, "DELETE", "/v1/reductions/{id}");
  char num[24], want[256], id[24];
  snprintf(num, sizeof num, "%lld", (long long)ct_household(&e, "Gezin Peeters"));
  struct ts_run r;
  ct_leen(&e, CT_SOCIAL_WORKER, &r, "reduction", "issue", num, "--level", "sociaal", "--from",
          "2026-01-01", "--until", "2030-06-30", "--reference", "SH-2026-118");
  cr_assert_eq(r.exit_code, 0, "%s", r.err);
  long long rid = ct_sql_int(&e, "SELECT id FROM reductions");
  snprintf(want, sizeof want,
           "Gezin %s krijgt sociaal tarief van 2026-01-01 tot en met 2030-06-30 (nummer %lld).\n",
           num, rid);
  cr_assert_str_eq(r.out, want);
  ts_run_release(&r);

  ct_leen(&e, CT_VOLUNTEER, &r, "reduction", "issue", num, "--until", "2030-06-30");
  cr_assert_eq(r.exit_code, 5, "%s", r.err);
  ts_run_release(&r);
  ct_leen(&e, CT_SOCIAL_WORKER, &r, "reduction", "issue", num, "--until", "2030-02-30");
  cr_assert_eq(r.exit_code, 2);
  cr_assert(strstr(r.err, "geen bestaande datum"), "%s", r.err);
  ts_run_release(&r);

  ct_leen(&e, CT_SOCIAL_WORKER, &r, "reduction", "list", "--csv");
  cr_assert_eq(r.exit_code, 0, "%s", r.err);
  snprintf(want, sizeof want,
           "id,household,voucher_code,level,valid_from,valid_until,reference,revoked_at\n"
           "%lld,%s,,social,2026-01-01,2030-06-30,SH-2026-118,\n",
           rid, num);
  cr_assert_str_eq(r.out, want);
  ts_run_release(&r);

  snprintf(id, sizeof id, "%lld", rid);
  ct_leen(&e, CT_SOCIAL_WORKER, &r, "reduction", "revoke", id);
  cr_assert_eq(r.exit_code, 0, "%s", r.err);
  snprintf(want, sizeof want, "Verlaagd tarief %s is ingetrokken.\n", id);
  cr_assert_str_eq(r.out, want);
  ts_run_release(&r);
  ct_leen(&e, CT_SOCIAL_WORKER, &r, "reduction", "revoke", id);
  cr_assert_eq(r.exit_code, 4, "%s", r.err);
  ts_run_release(&r);
}

Test(cli_reductions, voucher_redeem)
{
  CT_NEED_ROUTE(&e, "POST", "/v1/reductions");
  CT_NEED_ROUTE(&e, "POST", "/v1/households/{number}/vouchers");
  char num[24], want[256];
  snprintf(num, sizeof num, "%lld", (long long)ct_household(&e, "Gezin Peeters"));
  struct ts_run r;
  ct_leen(&e, CT_SOCIAL_WORKER, &r, "--json", "reduction", "issue", "--voucher", "--until",
          "2030-06-30");
  cr_assert_eq(r.exit_code, 0, "%s", r.err);
  cJSON *j = ct_json(&r);
  char code[32];
  snprintf(code, sizeof code, "%s", cJSON_GetObjectItem(j, "voucher_code")->valuestring);
  cJSON_Delete(j);
  ts_run_release(&r);
  cr_assert_eq(strlen(code), 10);

  ct_leen(&e, CT_VOLUNTEER, &r, "voucher", "redeem", num, code);
  cr_assert_eq(r.exit_code, 0, "%s", r.err);
  snprintf(want, sizeof want,
           "Waardebon ingewisseld: gezin %s heeft verlaagd tarief tot en met 2030-06-30.\n", num);
  cr_assert_str_eq(r.out, want);
  ts_run_release(&r);
  ct_leen(&e, CT_VOLUNTEER, &r, "voucher", "redeem", num, code);
  cr_assert_eq(r.exit_code, 4, "%s", r.err);
  ts_run_release(&r);
  ct_leen(&e, CT_VOLUNTEER, &r, "voucher", "redeem", num, "ZZZZZZZZZZ");
  cr_assert_eq(r.exit_code, 3, "%s", r.err);
  ts_run_release(&r);
}
