/* leen swap OLD NEW: one return and one loan to the same household. */
#include <string.h>

#include "cli.h"

static int run(const struct cli_opts *o, const struct cli_args *a)
{
  const char *cond = cli_opt(a, "condition"), *m = cli_opt(a, "deposit-method");
  const char *condition = NULL, *method = NULL;
  if (cond)
    CLI_TRY(cli_parse_condition(o, cond, &condition));
  if (m)
    CLI_TRY(cli_parse_method(o, m, &method));
  cJSON *body = cJSON_CreateObject();
  cJSON_AddStringToObject(body, "return_item", cli_item_arg(a->pos[0]));
  cJSON_AddStringToObject(body, "item", cli_item_arg(a->pos[1]));
  if (condition)
    cJSON_AddStringToObject(body, "condition", condition);
  if (method)
    cJSON_AddStringToObject(body, "deposit_method", method);
  cJSON *out = NULL;
  int rc = cli_api(o, "POST", "/v1/swaps", body, CLI_REQ_IDEMPOTENT, &out);
  cJSON_Delete(body);
  if (rc == CLI_EXIT_OK && o->json) {
    cli_print_json(out);
  } else if (rc == CLI_EXIT_OK) {
    const cJSON *back = cJSON_GetObjectItemCaseSensitive(out, "returned");
    const cJSON *loan = cJSON_GetObjectItemCaseSensitive(out, "loan");
    char old[32], new[32], m2[32];
    cli_format_field(back, "item", CLI_F_CODE, old, sizeof old);
    cli_format_field(loan, "item", CLI_F_CODE, new, sizeof new);
    printf(_("%s is terug; %s is uitgeleend aan gezin %lld tot %s (uitlening %lld)."), old, new,
           (long long)cli_json_int(loan, "household"), cli_json_str(loan, "due_on"),
           (long long)cli_json_int(loan, "id"));
    putchar('\n');
    int64_t delta = cli_json_int(out, "deposit_delta_cents");
    if (delta > 0)
      printf(_("Het gezin betaalt € %s waarborg bij."), cli_amount_format(delta, 0, m2));
    else if (delta < 0)
      printf(_("Geef € %s waarborg terug."), cli_amount_format(-delta, 0, m2));
    else
      printf("%s", _("De waarborg blijft dezelfde."));
    putchar('\n');
  }
  cJSON_Delete(out);
  return rc;
}

static const struct cli_flag flags[] = {
  {"condition", "ok|wassen|herstellen", 0},
  {"deposit-method", N_("BETAALWIJZE"), 0},
  {NULL, NULL, 0},
};

const struct cli_command cli_cmd_swap = {
  "swap", N_("TERUG NIEUW"),
  N_("wissel een voorwerp om voor een ander; enkel het verschil in waarborg wordt verrekend"), 2, 2,
  flags, CLI_CMD_AUTH, run,
};
