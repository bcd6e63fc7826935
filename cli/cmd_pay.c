/* leen pay HOUSEHOLD AMOUNT */
#include <string.h>

#include "cli.h"

static int run_pay(const struct cli_opts *o, const struct cli_args *a)
{
  int64_t number, cents;
  CLI_TRY(cli_parse_household(o, a->pos[0], &number));
  CLI_TRY(cli_parse_amount_arg(o, a->pos[1], &cents));
  if (cents == 0)
    return cli_usage_error(o, "%s", _("een betaling van € 0,00 heeft geen zin"));
  const char *m = cli_opt(a, "method"), *method = "cash";
  if (m)
    CLI_TRY(cli_parse_method(o, m, &method));
  int donation = cli_opt(a, "donation") != NULL;
  cJSON *body = cJSON_CreateObject();
  cJSON_AddNumberToObject(body, "household", (double)number);
  cJSON_AddStringToObject(body, "kind", donation ? "donation" : "payment");
  cJSON_AddNumberToObject(body, "amount_cents", (double)cents);
  cJSON_AddStringToObject(body, "method", method);
  if (cli_opt(a, "library"))
    cJSON_AddStringToObject(body, "library", cli_opt(a, "library"));
  cJSON *out = NULL;
  int rc = cli_api(o, "POST", "/v1/payments", body, CLI_REQ_IDEMPOTENT, &out);
  cJSON_Delete(body);
  if (rc == CLI_EXIT_OK && o->json) {
    cli_print_json(out);
  } else if (rc == CLI_EXIT_OK) {
    char amount[32], bal[32];
    cli_amount_format(cents, 0, amount);
    if (donation)
      printf(_("Gift van € %s ontvangen van gezin %lld (%s). Dank je wel!"), amount,
             (long long)number, cli_method_name(method));
    else
      printf(_("€ %s ontvangen van gezin %lld (%s)."), amount, (long long)number,
             cli_method_name(method));
    putchar('\n');
    const cJSON *b = cJSON_GetObjectItemCaseSensitive(out, "balance_cents");
    if (cJSON_IsNumber(b)) {
      int64_t balance = (int64_t)b->valuedouble;
      if (balance > 0)
        printf(_("Nog te betalen: € %s."), cli_amount_format(balance, 0, bal));
      else if (balance < 0)
        printf(_("Tegoed van het gezin: € %s."), cli_amount_format(-balance, 0, bal));
      else
        printf("%s", _("Alles is betaald."));
      putchar('\n');
    }
  }
  cJSON_Delete(out);
  return rc;
}

static const struct cli_flag pay_flags[] = {
  {"method", N_("BETAALWIJZE"), 0}, {"donation", NULL, 0}, {"library", "SLUG", 0}, {NULL, NULL, 0},
};

const struct cli_command cli_cmd_pay = {
  "pay", N_("LIDNUMMER BEDRAG"),
  N_("registreer een betaling (of met --donation een gift) van een gezin, in euro"), 2, 2,
  pay_flags, CLI_CMD_AUTH, run_pay,
};
