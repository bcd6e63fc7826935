/* leen loans [--overdue] */
#include "cli.h"

static const struct cli_col cols[] = {
  {"id", N_("Uitlening"), CLI_F_TEXT},
  {"item", N_("Voorwerp"), CLI_F_CODE},
  {"household", N_("Gezin"), CLI_F_TEXT},
  {"library", N_("Bibliotheek"), CLI_F_TEXT},
  {"started_at", N_("Sinds"), CLI_F_DATETIME},
  {"due_on", N_("Terug op"), CLI_F_TEXT},
  {"deposit_cents", N_("Waarborg"), CLI_F_MONEY},
  {"overdue", N_("Te laat"), CLI_F_BOOL},
  {"returned_at", N_("Teruggebracht"), CLI_F_DATETIME},
  {NULL, NULL, CLI_F_TEXT},
};

static int run(const struct cli_opts *o, const struct cli_args *a)
{
  const char *h = cli_opt(a, "household"), *limit = cli_opt(a, "limit");
  int64_t number = 0, n = 50;
  if (h)
    CLI_TRY(cli_parse_household(o, h, &number));
  if (limit && cli_parse_int(limit, 1, 100000, &n) < 0)
    return cli_usage_error(o, _("--limit: \"%s\" is geen aantal"), limit);
  if (cli_opt(a, "all"))
    n = 0;
  if (cli_opt(a, "overdue") && cli_opt(a, "history"))
    return cli_usage_error(o, "%s", _("--overdue toont enkel lopende uitleningen, niet met --history"));
  struct cli_buf p = {0};
  cli_buf_add(&p, "/v1/loans");
  cli_buf_query(&p, "household", h);
  cli_buf_query(&p, "library", cli_opt(a, "library"));
  if (!cli_opt(a, "history"))
    cli_buf_query(&p, "open", "true");
  if (cli_opt(a, "overdue"))
    cli_buf_query(&p, "overdue", "true");
  cJSON *items = NULL;
  int more = 0;
  int rc = cli_fetch_list(o, p.data, (int)n, &items, &more);
  cli_buf_release(&p);
  if (rc != CLI_EXIT_OK)
    return rc;
  cli_print_list(o, items, cols);
  if (more && !o->json && !o->csv)
    fprintf(stderr, _("Er zijn er meer; gebruik --all of --limit om ze te zien.\n"));
  cJSON_Delete(items);
  return CLI_EXIT_OK;
}

static const struct cli_flag flags[] = {
  {"overdue", NULL, 0},    {"household", N_("LIDNUMMER"), 0}, {"library", "SLUG", 0},
  {"history", NULL, 0},    {"limit", "N", 0},                 {"all", NULL, 0},
  {NULL, NULL, 0},
};

const struct cli_command cli_cmd_loans = {
  "loans", "", N_("toon lopende uitleningen; --overdue enkel wie te laat is, --history ook afgesloten"),
  0, 0, flags, CLI_CMD_AUTH | CLI_CMD_CSV, run,
};
