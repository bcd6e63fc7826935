/* leen voucher redeem HOUSEHOLD CODE */
#include "cli.h"

static int run_redeem(const struct cli_opts *o, const struct cli_args *a)
{
  int64_t number;
  CLI_TRY(cli_parse_household(o, a->pos[0], &number));
  cJSON *body = cJSON_CreateObject();
  cJSON_AddStringToObject(body, "code", a->pos[1]);
  struct cli_buf p = {0};
  cli_buf_addf(&p, "/v1/households/%lld/vouchers", (long long)number);
  cJSON *out = NULL;
  int rc = cli_api(o, "POST", p.data, body, CLI_REQ_IDEMPOTENT, &out);
  cli_buf_release(&p);
  cJSON_Delete(body);
  if (rc == CLI_EXIT_OK && o->json) {
    cli_print_json(out);
  } else if (rc == CLI_EXIT_OK) {
    /* the answer is the household's reduction status, or a household */
    const cJSON *st = cJSON_GetObjectItemCaseSensitive(out, "reduction");
    if (!st)
      st = out;
    printf(_("Waardebon ingewisseld: gezin %lld heeft verlaagd tarief tot en met %s."),
           (long long)number, cli_json_str(st, "valid_until"));
    putchar('\n');
  }
  cJSON_Delete(out);
  return rc;
}

const struct cli_command cli_cmd_voucher_redeem = {
  "voucher redeem", N_("LIDNUMMER CODE"),
  N_("wissel een waardebon van de sociale dienst in voor een gezin"), 2, 2, NULL, CLI_CMD_AUTH,
  run_redeem,
};
