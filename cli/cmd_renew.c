/* leen renew LOAN */
#include "cli.h"

static int run(const struct cli_opts *o, const struct cli_args *a)
{
  int64_t id;
  if (cli_parse_int(a->pos[0], 1, INT64_MAX / 2, &id) < 0)
    return cli_usage_error(o, _("\"%s\" is geen nummer van een uitlening"), a->pos[0]);
  struct cli_buf p = {0};
  cli_buf_addf(&p, "/v1/loans/%lld/renew", (long long)id);
  cJSON *body = cJSON_CreateObject();
  cJSON *out = NULL;
  int rc = cli_api(o, "POST", p.data, body, CLI_REQ_IDEMPOTENT, &out);
  cJSON_Delete(body);
  cli_buf_release(&p);
  if (rc == CLI_EXIT_OK && o->json) {
    cli_print_json(out);
  } else if (rc == CLI_EXIT_OK) {
    char code[32];
    cli_format_field(out, "item", CLI_F_CODE, code, sizeof code);
    printf(_("Uitlening %lld (%s) is verlengd tot %s."), (long long)id, code,
           cli_json_str(out, "due_on"));
    putchar('\n');
  }
  cJSON_Delete(out);
  return rc;
}

const struct cli_command cli_cmd_renew = {
  "renew", N_("UITLENING"), N_("verleng een uitlening (niet als een ander gezin wacht)"), 1, 1,
  NULL, CLI_CMD_AUTH, run,
};
