/* leen reduction issue | revoke | list | letter (the social service) */
#include <string.h>

#include "cli.h"

static const struct cli_col cols[] = {
  {"id", N_("Nummer"), CLI_F_TEXT},
  {"household", N_("Gezin"), CLI_F_TEXT},
  {"voucher_code", N_("Waardebon"), CLI_F_TEXT},
  {"level", N_("Niveau"), CLI_F_LEVEL},
  {"valid_from", N_("Van"), CLI_F_TEXT},
  {"valid_until", N_("Tot en met"), CLI_F_TEXT},
  {"reference", N_("Dossier"), CLI_F_TEXT},
  {"revoked_at", N_("Ingetrokken"), CLI_F_DATETIME},
  {NULL, NULL, CLI_F_TEXT},
};

static int parse_level(const struct cli_opts *o, const char *s, const char **level)
{
  if (strcmp(s, "social") == 0 || strcmp(s, "sociaal") == 0)
    *level = "social";
  else if (strcmp(s, "full") == 0 || strcmp(s, "volledig") == 0)
    *level = "full";
  else
    return cli_usage_error(o, _("--level: kies sociaal of volledig, niet \"%s\""), s);
  return CLI_EXIT_OK;
}

static int run_issue(const struct cli_opts *o, const struct cli_args *a)
{
  int voucher = cli_opt(a, "voucher") != NULL;
  int64_t number = 0;
  if (voucher == (a->npos == 1))
    return cli_usage_error(o, "%s", _("geef een lidnummer of --voucher (één van beide)"));
  if (!voucher)
    CLI_TRY(cli_parse_household(o, a->pos[0], &number));
  const char *lv = cli_opt(a, "level"), *until = cli_opt(a, "until"), *from = cli_opt(a, "from");
  const char *ref = cli_opt(a, "reference"), *level = "social";
  if (lv)
    CLI_TRY(parse_level(o, lv, &level));
  if (!until)
    return cli_usage_error(o, "%s", _("geef de einddatum met --until JJJJ-MM-DD"));
  CLI_TRY(cli_parse_date_arg(o, "until", until));
  if (from)
    CLI_TRY(cli_parse_date_arg(o, "from", from));
  cJSON *body = cJSON_CreateObject();
  if (voucher)
    cJSON_AddTrueToObject(body, "voucher");
  else
    cJSON_AddNumberToObject(body, "household", (double)number);
  cJSON_AddStringToObject(body, "level", level);
  if (from)
    cJSON_AddStringToObject(body, "valid_from", from);
  cJSON_AddStringToObject(body, "valid_until", until);
  if (ref && ref[0])
    cJSON_AddStringToObject(body, "reference", ref);
  cJSON *out = NULL;
  int rc = cli_api(o, "POST", "/v1/reductions", body, CLI_REQ_IDEMPOTENT, &out);
  cJSON_Delete(body);
  if (rc == CLI_EXIT_OK && o->json) {
    cli_print_json(out);
  } else if (rc == CLI_EXIT_OK) {
    char lvl[96];
    cli_format_field(out, "level", CLI_F_LEVEL, lvl, sizeof lvl);
    if (voucher)
      printf(_("Waardebon %s (%s) van %s tot en met %s, nummer %lld. De brief: leen reduction "
               "letter %lld -o brief.pdf"),
             cli_json_str(out, "voucher_code"), lvl, cli_json_str(out, "valid_from"),
             cli_json_str(out, "valid_until"), (long long)cli_json_int(out, "id"),
             (long long)cli_json_int(out, "id"));
    else
      printf(_("Gezin %lld krijgt %s van %s tot en met %s (nummer %lld)."), (long long)number, lvl,
             cli_json_str(out, "valid_from"), cli_json_str(out, "valid_until"),
             (long long)cli_json_int(out, "id"));
    putchar('\n');
  }
  cJSON_Delete(out);
  return rc;
}

static int run_revoke(const struct cli_opts *o, const struct cli_args *a)
{
  int64_t id;
  if (cli_parse_int(a->pos[0], 1, INT64_MAX / 2, &id) < 0)
    return cli_usage_error(o, _("\"%s\" is geen nummer van een verlaagd tarief"), a->pos[0]);
  struct cli_buf p = {0};
  cli_buf_addf(&p, "/v1/reductions/%lld", (long long)id);
  cJSON *out = NULL;
  int rc = cli_api(o, "DELETE", p.data, NULL, 0, &out);
  cli_buf_release(&p);
  if (rc == CLI_EXIT_OK && o->json) {
    if (out)
      cli_print_json(out);
    else
      printf("{\"id\":%lld,\"revoked\":true}\n", (long long)id);
  } else if (rc == CLI_EXIT_OK) {
    printf(_("Verlaagd tarief %lld is ingetrokken."), (long long)id);
    putchar('\n');
  }
  cJSON_Delete(out);
  return rc;
}

static int run_list(const struct cli_opts *o, const struct cli_args *a)
{
  const char *h = cli_opt(a, "household");
  int64_t number = 0;
  if (h)
    CLI_TRY(cli_parse_household(o, h, &number));
  struct cli_buf p = {0};
  cli_buf_add(&p, "/v1/reductions");
  cli_buf_query(&p, "household", h);
  if (cli_opt(a, "active"))
    cli_buf_query(&p, "active", "true");
  cJSON *items = NULL;
  int more = 0;
  int rc = cli_fetch_list(o, p.data, 0, &items, &more);
  cli_buf_release(&p);
  if (rc != CLI_EXIT_OK)
    return rc;
  cli_print_list(o, items, cols);
  cJSON_Delete(items);
  return CLI_EXIT_OK;
}

/* The letter a social worker hands the family with a voucher. */
static int run_letter(const struct cli_opts *o, const struct cli_args *a)
{
  int64_t id;
  if (cli_parse_int(a->pos[0], 1, INT64_MAX / 2, &id) < 0)
    return cli_usage_error(o, _("\"%s\" is geen nummer van een verlaagd tarief"), a->pos[0]);
  const char *dest;
  CLI_TRY(cli_output_arg(o, a, "BESTAND.pdf", CLI_OUT_BINARY, &dest));
  struct cli_buf p = {0};
  cli_buf_addf(&p, "/v1/reductions/%lld/voucher.pdf", (long long)id);
  int rc = cli_download(o, &p, dest, CLI_OUT_BINARY);
  cli_buf_release(&p);
  if (rc == CLI_EXIT_OK && strcmp(dest, "-") != 0) {
    fprintf(stderr, _("Brief bij waardebon %lld geschreven naar %s."), (long long)id, dest);
    fputc('\n', stderr);
  }
  return rc;
}

static const struct cli_flag letter_flags[] = {
  {"output", N_("BESTAND"), CLI_FLAG_SHORT},
  {NULL, NULL, 0},
};
static const struct cli_flag issue_flags[] = {
  {"voucher", NULL, 0},          {"level", "sociaal|volledig", 0}, {"from", N_("DATUM"), 0},
  {"until", N_("DATUM"), 0},     {"reference", N_("DOSSIER"), 0},  {NULL, NULL, 0},
};
static const struct cli_flag list_flags[] = {
  {"household", N_("LIDNUMMER"), 0}, {"active", NULL, 0}, {NULL, NULL, 0},
};

const struct cli_command cli_cmd_reduction_issue = {
  "reduction issue", N_("[LIDNUMMER]"),
  N_("geef een gezin verlaagd tarief, of maak met --voucher een waardebon (sociale dienst)"), 0, 1,
  issue_flags, CLI_CMD_AUTH, run_issue,
};
const struct cli_command cli_cmd_reduction_revoke = {
  "reduction revoke", N_("NUMMER"), N_("trek een verlaagd tarief of waardebon in"), 1, 1, NULL,
  CLI_CMD_AUTH, run_revoke,
};
const struct cli_command cli_cmd_reduction_list = {
  "reduction list", "", N_("toon verlaagde tarieven en waardebonnen (sociale dienst)"), 0, 0,
  list_flags, CLI_CMD_AUTH | CLI_CMD_CSV, run_list,
};
const struct cli_command cli_cmd_reduction_letter = {
  "reduction letter", N_("NUMMER"),
  N_("maak de brief bij een waardebon als PDF, om aan het gezin te geven (sociale dienst)"), 1, 1,
  letter_flags, CLI_CMD_AUTH, run_letter,
};
