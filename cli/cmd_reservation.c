/* leen reservation add | list | cancel */
#include <string.h>

#include "cli.h"

static const struct cli_col cols[] = {
  {"id", N_("Reservering"), CLI_F_TEXT},
  {"household", N_("Gezin"), CLI_F_TEXT},
  {"library", N_("Bibliotheek"), CLI_F_TEXT},
  {"category_id", N_("Categorie"), CLI_F_TEXT},
  {"item", N_("Voorwerp"), CLI_F_CODE},
  {"wanted_from", N_("Vanaf"), CLI_F_TEXT},
  {"status", N_("Status"), CLI_F_RES_STATUS},
  {"position", N_("Plaats"), CLI_F_TEXT},
  {"offered_item", N_("Klaargezet"), CLI_F_CODE},
  {NULL, NULL, CLI_F_TEXT},
};

static void print_reservation(const cJSON *r)
{
  char item[32];
  cli_format_field(r, "offered_item", CLI_F_CODE, item, sizeof item);
  if (strcmp(cli_json_str(r, "status"), "offered") == 0 && item[0])
    printf(_("Reservering %lld: %s ligt klaar voor gezin %lld."), (long long)cli_json_int(r, "id"),
           item, (long long)cli_json_int(r, "household"));
  else
    printf(_("Reservering %lld: gezin %lld staat op plaats %lld in de rij, vanaf %s."),
           (long long)cli_json_int(r, "id"), (long long)cli_json_int(r, "household"),
           (long long)cli_json_int(r, "position"), cli_json_str(r, "wanted_from"));
  putchar('\n');
}

static int run_add(const struct cli_opts *o, const struct cli_args *a)
{
  int64_t number, cat = 0;
  CLI_TRY(cli_parse_household(o, a->pos[0], &number));
  const char *category = cli_opt(a, "category"), *item = cli_opt(a, "item");
  const char *from = cli_opt(a, "from");
  if (!category == !item)
    return cli_usage_error(o, "%s", _("geef --category of --item (één van beide)"));
  if (from)
    CLI_TRY(cli_parse_date_arg(o, "from", from));
  if (category)
    CLI_TRY(cli_category_id(o, cli_opt(a, "library"), category, &cat));
  cJSON *body = cJSON_CreateObject();
  cJSON_AddNumberToObject(body, "household", (double)number);
  if (cat)
    cJSON_AddNumberToObject(body, "category_id", (double)cat);
  if (item)
    cJSON_AddStringToObject(body, "item", cli_item_arg(item));
  if (from)
    cJSON_AddStringToObject(body, "wanted_from", from);
  cJSON *out = NULL;
  int rc = cli_api(o, "POST", "/v1/reservations", body, CLI_REQ_IDEMPOTENT, &out);
  cJSON_Delete(body);
  if (rc == CLI_EXIT_OK && o->json)
    cli_print_json(out);
  else if (rc == CLI_EXIT_OK)
    print_reservation(out);
  cJSON_Delete(out);
  return rc;
}

static int run_list(const struct cli_opts *o, const struct cli_args *a)
{
  const char *h = cli_opt(a, "household"), *category = cli_opt(a, "category");
  const char *library = cli_opt(a, "library");
  int64_t number = 0, cat = 0;
  if (h)
    CLI_TRY(cli_parse_household(o, h, &number));
  if (category)
    CLI_TRY(cli_category_id(o, library, category, &cat));
  struct cli_buf p = {0};
  char num[24];
  cli_buf_add(&p, "/v1/reservations");
  cli_buf_query(&p, "household", h);
  cli_buf_query(&p, "library", library);
  snprintf(num, sizeof num, "%lld", (long long)cat);
  cli_buf_query(&p, "category_id", cat ? num : NULL);
  if (!cli_opt(a, "history"))
    cli_buf_query(&p, "open", "true");
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

static int run_cancel(const struct cli_opts *o, const struct cli_args *a)
{
  int64_t id;
  if (cli_parse_int(a->pos[0], 1, INT64_MAX / 2, &id) < 0)
    return cli_usage_error(o, _("\"%s\" is geen nummer van een reservering"), a->pos[0]);
  struct cli_buf p = {0};
  cli_buf_addf(&p, "/v1/reservations/%lld", (long long)id);
  cJSON *out = NULL;
  int rc = cli_api(o, "DELETE", p.data, NULL, 0, &out);
  cli_buf_release(&p);
  if (rc == CLI_EXIT_OK && o->json) {
    if (out)
      cli_print_json(out);
    else
      printf("{\"id\":%lld,\"status\":\"cancelled\"}\n", (long long)id);
  } else if (rc == CLI_EXIT_OK) {
    printf(_("Reservering %lld is geannuleerd."), (long long)id);
    putchar('\n');
  }
  cJSON_Delete(out);
  return rc;
}

static const struct cli_flag add_flags[] = {
  {"category", N_("CATEGORIE"), 0}, {"library", "SLUG", 0}, {"item", N_("VOORWERP"), 0},
  {"from", N_("DATUM"), 0},         {NULL, NULL, 0},
};
static const struct cli_flag list_flags[] = {
  {"household", N_("LIDNUMMER"), 0}, {"library", "SLUG", 0}, {"category", N_("CATEGORIE"), 0},
  {"history", NULL, 0},              {NULL, NULL, 0},
};

const struct cli_command cli_cmd_reservation_add = {
  "reservation add", N_("LIDNUMMER"),
  N_("zet een gezin in de rij voor een categorie of één voorwerp"), 1, 1, add_flags, CLI_CMD_AUTH,
  run_add,
};
const struct cli_command cli_cmd_reservation_list = {
  "reservation list", "", N_("toon wachtende reserveringen en hun plaats in de rij"), 0, 0,
  list_flags, CLI_CMD_AUTH | CLI_CMD_CSV, run_list,
};
const struct cli_command cli_cmd_reservation_cancel = {
  "reservation cancel", N_("RESERVERING"), N_("annuleer een reservering"), 1, 1, NULL,
  CLI_CMD_AUTH, run_cancel,
};
