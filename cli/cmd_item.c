/* leen item add | list | show | set-status */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const struct cli_col item_cols[] = {
  {"code", N_("Code"), CLI_F_CODE},
  {"name", N_("Naam"), CLI_F_TEXT},
  {"library", N_("Bibliotheek"), CLI_F_TEXT},
  {"category", N_("Categorie"), CLI_F_TEXT},
  {"status", N_("Status"), CLI_F_STATUS},
  {"reserved_for", N_("Gereserveerd voor gezin"), CLI_F_TEXT},
  {"deposit_cents", N_("Waarborg"), CLI_F_MONEY},
  {"expires_on", N_("Vervalt op"), CLI_F_TEXT},
  {"safety_checked_on", N_("Veiligheidscontrole"), CLI_F_TEXT},
  {"attributes", N_("Kenmerken"), CLI_F_ATTRS},
  {NULL, NULL, CLI_F_TEXT},
};

static const struct cli_col list_cols[] = {
  {"code", N_("Code"), CLI_F_CODE},
  {"name", N_("Naam"), CLI_F_TEXT},
  {"status", N_("Status"), CLI_F_STATUS},
  {"library", N_("Bibliotheek"), CLI_F_TEXT},
  {"category", N_("Categorie"), CLI_F_TEXT},
  {NULL, NULL, CLI_F_TEXT},
};

static void item_path(struct cli_buf *p, const char *code)
{
  cli_buf_add(p, "/v1/items/");
  cli_buf_add_escaped(p, cli_item_arg(code));
}

static int run_add(const struct cli_opts *o, const struct cli_args *a)
{
  const char *library = cli_opt(a, "library"), *category = cli_opt(a, "category");
  const char *name = cli_opt(a, "name"), *deposit = cli_opt(a, "deposit");
  const char *expires = cli_opt(a, "expires"), *checked = cli_opt(a, "safety-checked");
  if (!category || !name)
    return cli_usage_error(o, "%s", _("geef minstens --category en --name"));
  int64_t cents = -1, category_id = 0;
  if (deposit)
    CLI_TRY(cli_parse_amount_arg(o, deposit, &cents));
  if (expires)
    CLI_TRY(cli_parse_date_arg(o, "expires", expires));
  if (checked)
    CLI_TRY(cli_parse_date_arg(o, "safety-checked", checked));
  CLI_TRY(cli_category_id(o, library, category, &category_id));
  cJSON *attrs = NULL;
  CLI_TRY(cli_attributes(o, a, &attrs));
  cJSON *body = cJSON_CreateObject();
  if (library)
    cJSON_AddStringToObject(body, "library", library);
  cJSON_AddNumberToObject(body, "category_id", (double)category_id);
  cJSON_AddStringToObject(body, "name", name);
  if (attrs)
    cJSON_AddItemToObject(body, "attributes", attrs);
  if (cents >= 0)
    cJSON_AddNumberToObject(body, "deposit_cents", (double)cents);
  if (expires)
    cJSON_AddStringToObject(body, "expires_on", expires);
  if (checked)
    cJSON_AddStringToObject(body, "safety_checked_on", checked);
  cJSON *out = NULL;
  int rc = cli_api(o, "POST", "/v1/items", body, CLI_REQ_IDEMPOTENT, &out);
  cJSON_Delete(body);
  if (rc == CLI_EXIT_OK) {
    if (o->json) {
      cli_print_json(out);
    } else {
      char code[32];
      cli_format_field(out, "code", CLI_F_CODE, code, sizeof code);
      printf(_("Voorwerp %s toegevoegd: %s."), code, cli_json_str(out, "name"));
      putchar('\n');
    }
  }
  cJSON_Delete(out);
  return rc;
}

static int run_list(const struct cli_opts *o, const struct cli_args *a)
{
  const char *status = cli_opt(a, "status"), *limit = cli_opt(a, "limit");
  const char *category = cli_opt(a, "category"), *library = cli_opt(a, "library");
  int64_t n = 50, cat = 0;
  if (limit && cli_parse_int(limit, 1, 100000, &n) < 0)
    return cli_usage_error(o, _("--limit: \"%s\" is geen aantal"), limit);
  if (cli_opt(a, "all"))
    n = 0;
  const char *api_status = status ? cli_status_parse(status) : NULL;
  if (status && !api_status)
    return cli_usage_error(o, _("onbekende status \"%s\""), status);
  if (category)
    CLI_TRY(cli_category_id(o, library, category, &cat));
  struct cli_buf p = {0};
  char num[24];
  cli_buf_add(&p, "/v1/items");
  cli_buf_query(&p, "library", library);
  cli_buf_query(&p, "status", api_status);
  snprintf(num, sizeof num, "%lld", (long long)cat);
  cli_buf_query(&p, "category", cat ? num : NULL);
  cJSON *items = NULL;
  int more = 0;
  int rc = cli_fetch_list(o, p.data, (int)n, &items, &more);
  cli_buf_release(&p);
  if (rc != CLI_EXIT_OK)
    return rc;
  cli_print_list(o, items, list_cols);
  if (more && !o->json && !o->csv)
    fprintf(stderr, _("Er zijn er meer; gebruik --all of --limit om ze te zien.\n"));
  cJSON_Delete(items);
  return CLI_EXIT_OK;
}

static int run_show(const struct cli_opts *o, const struct cli_args *a)
{
  struct cli_buf p = {0};
  item_path(&p, a->pos[0]);
  cJSON *out = NULL;
  int rc = cli_api(o, "GET", p.data, NULL, 0, &out);
  cli_buf_release(&p);
  if (rc == CLI_EXIT_OK)
    cli_print_record(o, out, item_cols);
  cJSON_Delete(out);
  return rc;
}

static int run_set_status(const struct cli_opts *o, const struct cli_args *a)
{
  const char *status = cli_status_parse(a->pos[1]);
  if (!status)
    return cli_usage_error(o,
                           _("onbekende status \"%s\": kies beschikbaar, schoonmaak, herstelling, "
                             "afgevoerd of verloren"),
                           a->pos[1]);
  struct cli_buf p = {0};
  item_path(&p, a->pos[0]);
  /* read first: the change is made against the version seen (If-Match) */
  struct cli_call get = {.method = "GET", .path = p.data};
  int rc = cli_api_call(o, &get);
  if (rc == CLI_EXIT_OK) {
    cJSON *body = cJSON_CreateObject();
    cJSON_AddStringToObject(body, "status", status);
    struct cli_call c = {.method = "PATCH", .path = p.data, .body = body,
                         .if_match = get.etag[0] ? get.etag : NULL};
    rc = cli_api_call(o, &c);
    cJSON_Delete(body);
    if (rc == CLI_EXIT_OK) {
      if (o->json) {
        cli_print_json(c.out);
      } else {
        char code[32];
        cli_format_field(c.out, "code", CLI_F_CODE, code, sizeof code);
        printf(_("%s staat nu op: %s."), code, cli_status_name(cli_json_str(c.out, "status")));
        putchar('\n');
      }
    }
    cJSON_Delete(c.out);
  }
  cJSON_Delete(get.out);
  cli_buf_release(&p);
  return rc;
}

static const struct cli_flag add_flags[] = {
  {"library", "SLUG", 0},         {"category", N_("CATEGORIE"), 0},
  {"name", N_("NAAM"), 0},         {"deposit", "EUR", 0},
  {"expires", N_("DATUM"), 0},     {"safety-checked", N_("DATUM"), 0},
  {"attr", N_("SLEUTEL=WAARDE"), CLI_FLAG_MULTI}, {NULL, NULL, 0},
};
static const struct cli_flag list_flags[] = {
  {"library", "SLUG", 0}, {"status", "STATUS", 0}, {"category", N_("CATEGORIE"), 0},
  {"limit", "N", 0},      {"all", NULL, 0},        {NULL, NULL, 0},
};

const struct cli_command cli_cmd_item_add = {
  "item add", "", N_("voeg een voorwerp toe (coördinator)"), 0, 0, add_flags, CLI_CMD_AUTH,
  run_add,
};
const struct cli_command cli_cmd_item_list = {
  "item list", "", N_("toon voorwerpen, eventueel per bibliotheek, status of categorie"), 0, 0,
  list_flags, CLI_CMD_AUTH | CLI_CMD_CSV, run_list,
};
const struct cli_command cli_cmd_item_show = {
  "item show", N_("VOORWERP"), N_("toon één voorwerp (code, bv. FB-0042, of label-URL)"), 1, 1,
  NULL, CLI_CMD_AUTH, run_show,
};
const struct cli_command cli_cmd_item_set_status = {
  "item set-status", N_("VOORWERP STATUS"),
  N_("zet een voorwerp op beschikbaar, schoonmaak, herstelling, afgevoerd of verloren"), 2, 2, NULL,
  CLI_CMD_AUTH, run_set_status,
};
