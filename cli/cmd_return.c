/* leen return ITEM [--condition ok|wassen|herstellen] [--withhold EUR --reason ..] */
#include <string.h>

#include "cli.h"

static int run(const struct cli_opts *o, const struct cli_args *a)
{
  const char *cond = cli_opt(a, "condition"), *withhold = cli_opt(a, "withhold");
  const char *reason = cli_opt(a, "reason"), *condition = "ok";
  int64_t cents = 0;
  if (cond)
    CLI_TRY(cli_parse_condition(o, cond, &condition));
  if (withhold)
    CLI_TRY(cli_parse_amount_arg(o, withhold, &cents));
  if (withhold && cents > 0 && (!reason || !reason[0]))
    return cli_usage_error(o, "%s", _("wie waarborg inhoudt, geeft een reden met --reason"));
  if (reason && !withhold)
    return cli_usage_error(o, "%s", _("--reason hoort bij --withhold"));
  cJSON *body = cJSON_CreateObject();
  cJSON_AddStringToObject(body, "item", cli_item_arg(a->pos[0]));
  cJSON_AddStringToObject(body, "condition", condition);
  if (cents > 0) {
    cJSON_AddNumberToObject(body, "withheld_cents", (double)cents);
    cJSON_AddStringToObject(body, "withheld_reason", reason);
  }
  const char *missing[CLI_MAX_OPTS];
  int nmissing = cli_opt_all(a, "missing", missing, CLI_MAX_OPTS);
  if (nmissing)
    cJSON_AddItemToObject(body, "missing_components", cJSON_CreateStringArray(missing, nmissing));
  cJSON *out = NULL;
  int rc = cli_api(o, "POST", "/v1/returns", body, CLI_REQ_IDEMPOTENT, &out);
  cJSON_Delete(body);
  if (rc == CLI_EXIT_OK && o->json) {
    cli_print_json(out);
  } else if (rc == CLI_EXIT_OK) {
    const cJSON *loan = cJSON_GetObjectItemCaseSensitive(out, "loan");
    char code[32], m[32];
    cli_format_field(loan, "item", CLI_F_CODE, code, sizeof code);
    printf(_("%s is terug van gezin %lld."), code, (long long)cli_json_int(loan, "household"));
    putchar('\n');
    int64_t refund = cli_json_int(out, "refund_cents"), withheld = cli_json_int(out, "withheld_cents");
    const char *dm = cli_json_str(loan, "deposit_method");
    if (refund > 0) {
      printf(_("Geef € %s waarborg terug"), cli_amount_format(refund, 0, m));
      if (dm[0])
        printf(" (%s)", cli_method_name(dm));
      printf(".\n");
    }
    if (withheld > 0) {
      printf(_("Ingehouden: € %s (%s)."), cli_amount_format(withheld, 0, m),
             cli_json_str(loan, "withheld_reason")[0] ? cli_json_str(loan, "withheld_reason")
                                                      : reason);
      putchar('\n');
    }
    cli_print_item_status(cli_json_str(out, "item_status"));
  }
  cJSON_Delete(out);
  return rc;
}

static const struct cli_flag flags[] = {
  {"condition", "ok|wassen|herstellen", 0},
  {"withhold", "EUR", 0},
  {"reason", N_("REDEN"), 0},
  {"missing", N_("ONDERDEEL"), CLI_FLAG_MULTI},
  {NULL, NULL, 0},
};

const struct cli_command cli_cmd_return = {
  "return", N_("VOORWERP"),
  N_("neem een voorwerp terug; --withhold houdt (een deel van) de waarborg in"), 1, 1, flags,
  CLI_CMD_AUTH, run,
};
