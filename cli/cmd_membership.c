/* leen membership start */
#include <string.h>

#include "cli.h"

static int run_start(const struct cli_opts *o, const struct cli_args *a)
{
  int64_t number, slots = 1;
  CLI_TRY(cli_parse_household(o, a->pos[0], &number));
  const char *library = cli_opt(a, "library"), *s = cli_opt(a, "slots");
  const char *payment = cli_opt(a, "payment"), *from = cli_opt(a, "from"), *method = NULL;
  if (!library)
    return cli_usage_error(o, "%s", _("geef de bibliotheek met --library"));
  if (s && cli_parse_int(s, 1, 100, &slots) < 0)
    return cli_usage_error(o, _("--slots: \"%s\" is geen aantal"), s);
  if (payment)
    CLI_TRY(cli_parse_method(o, payment, &method));
  if (from)
    CLI_TRY(cli_parse_date_arg(o, "from", from));
  cJSON *body = cJSON_CreateObject();
  cJSON_AddStringToObject(body, "library", library);
  cJSON_AddNumberToObject(body, "slots", (double)slots);
  if (method)
    cJSON_AddStringToObject(body, "payment", method);
  if (from)
    cJSON_AddStringToObject(body, "valid_from", from);
  struct cli_buf p = {0};
  cli_buf_addf(&p, "/v1/households/%lld/memberships", (long long)number);
  cJSON *out = NULL;
  int rc = cli_api(o, "POST", p.data, body, CLI_REQ_IDEMPOTENT, &out);
  cli_buf_release(&p);
  cJSON_Delete(body);
  if (rc == CLI_EXIT_OK && o->json) {
    cli_print_json(out);
  } else if (rc == CLI_EXIT_OK) {
    char fee[32], red[32], due[32];
    printf(_("Lidmaatschap van gezin %lld in %s: van %s tot en met %s, %lld plaats(en)."),
           (long long)number, cli_json_str(out, "library"), cli_json_str(out, "valid_from"),
           cli_json_str(out, "valid_until"), (long long)cli_json_int(out, "slots"));
    putchar('\n');
    cli_amount_format(cli_json_int(out, "fee_cents"), 0, fee);
    cli_amount_format(cli_json_int(out, "reduction_cents"), 0, red);
    cli_amount_format(cli_json_int(out, "due_cents"), 0, due);
    if (cli_json_int(out, "reduction_cents") > 0)
      printf(_("Bijdrage € %s, verlaagd tarief: € %s korting, te betalen € %s."), fee, red, due);
    else
      printf(_("Bijdrage € %s, te betalen € %s."), fee, due);
    if (method && cli_json_int(out, "due_cents") > 0)
      printf(" %s %s.", _("Betaald:"), cli_method_name(method));
    putchar('\n');
  }
  cJSON_Delete(out);
  return rc;
}

static const struct cli_flag flags[] = {
  {"library", "SLUG", 0},
  {"slots", "N", 0},
  {"payment", N_("BETAALWIJZE"), 0},
  {"from", N_("DATUM"), 0},
  {NULL, NULL, 0},
};

const struct cli_command cli_cmd_membership_start = {
  "membership start", N_("LIDNUMMER"),
  N_("start of verleng een lidmaatschap; toont de bijdrage en wat te betalen is"), 1, 1, flags,
  CLI_CMD_AUTH, run_start,
};
