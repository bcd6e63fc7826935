/* leen checkout ITEM HOUSEHOLD */
#include <string.h>

#include "cli.h"

static int run(const struct cli_opts *o, const struct cli_args *a)
{
  int64_t number, child = 0;
  CLI_TRY(cli_parse_household(o, a->pos[1], &number));
  const char *c = cli_opt(a, "child"), *m = cli_opt(a, "deposit-method"), *at = cli_opt(a, "at");
  const char *method = NULL;
  if (c && cli_parse_int(c, 1, INT64_MAX / 2, &child) < 0)
    return cli_usage_error(o, _("--child verwacht het nummer van een kind, niet \"%s\""), c);
  if (m)
    CLI_TRY(cli_parse_method(o, m, &method));
  if (at)
    CLI_TRY(cli_parse_date_arg(o, "at", at));
  cJSON *body = cJSON_CreateObject();
  cJSON_AddStringToObject(body, "item", cli_item_arg(a->pos[0]));
  cJSON_AddNumberToObject(body, "household", (double)number);
  if (child)
    cJSON_AddNumberToObject(body, "child", (double)child);
  if (method)
    cJSON_AddStringToObject(body, "deposit_method", method);
  if (at)
    cJSON_AddStringToObject(body, "at", at);
  cJSON *out = NULL;
  int rc = cli_api(o, "POST", "/v1/loans", body, CLI_REQ_IDEMPOTENT, &out);
  cJSON_Delete(body);
  if (rc == CLI_EXIT_OK && o->json) {
    cli_print_json(out);
  } else if (rc == CLI_EXIT_OK) {
    char code[32], dep[32];
    cli_format_field(out, "item", CLI_F_CODE, code, sizeof code);
    printf(_("%s is uitgeleend aan gezin %lld tot %s (uitlening %lld)."), code,
           (long long)cli_json_int(out, "household"), cli_json_str(out, "due_on"),
           (long long)cli_json_int(out, "id"));
    putchar('\n');
    int64_t deposit = cli_json_int(out, "deposit_cents");
    const char *dm = cli_json_str(out, "deposit_method");
    if (deposit > 0) {
      printf(_("Waarborg: € %s"), cli_amount_format(deposit, 0, dep));
      if (dm[0])
        printf(" (%s)", cli_method_name(dm));
      printf(".\n");
    } else {
      printf("%s\n", _("Geen waarborg."));
    }
  }
  cJSON_Delete(out);
  return rc;
}

static const struct cli_flag flags[] = {
  {"child", N_("KINDNUMMER"), 0},
  {"deposit-method", N_("BETAALWIJZE"), 0},
  {"at", N_("DATUM"), 0},
  {NULL, NULL, 0},
};

const struct cli_command cli_cmd_checkout = {
  "checkout", N_("VOORWERP LIDNUMMER"), N_("leen een voorwerp uit aan een gezin"), 2, 2, flags,
  CLI_CMD_AUTH, run,
};
