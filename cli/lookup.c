/* Names people use for things the API names by id: categories by name,
 * attributes as key=value, and shared output of a changed record. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"

int cli_category_id(const struct cli_opts *o, const char *library, const char *arg, int64_t *id)
{
  if (cli_parse_int(arg, 1, INT64_MAX / 2, id) == 0)
    return CLI_EXIT_OK;
  if (!library)
    return cli_usage_error(o, _("geef --library bij een categorie met een naam (\"%s\")"), arg);
  struct cli_buf p = {0};
  cli_buf_add(&p, "/v1/libraries/");
  cli_buf_add_escaped(&p, library);
  cli_buf_add(&p, "/categories");
  cJSON *list = NULL;
  int more = 0;
  int rc = p.oom ? CLI_EXIT_FAILURE : cli_fetch_list(o, p.data, 0, &list, &more);
  cli_buf_release(&p);
  if (rc != CLI_EXIT_OK)
    return rc;
  const cJSON *c;
  *id = 0;
  cJSON_ArrayForEach(c, list)
  {
    if (strcasecmp(cli_json_str(c, "name"), arg) == 0)
      *id = cli_json_int(c, "id");
  }
  cJSON_Delete(list);
  if (!*id)
    return cli_fail(o, CLI_EXIT_NOT_FOUND, _("De bibliotheek %s heeft geen categorie \"%s\"."),
                    library, arg);
  return CLI_EXIT_OK;
}

int cli_attributes(const struct cli_opts *o, const struct cli_args *a, cJSON **out)
{
  const char *vals[CLI_MAX_OPTS];
  int n = cli_opt_all(a, "attr", vals, CLI_MAX_OPTS);
  *out = NULL;
  if (!n)
    return CLI_EXIT_OK;
  cJSON *attrs = cJSON_CreateObject();
  for (int i = 0; i < n; i++) {
    const char *eq = strchr(vals[i], '=');
    if (!eq || eq == vals[i]) {
      cJSON_Delete(attrs);
      return cli_usage_error(o, _("--attr verwacht SLEUTEL=WAARDE, niet \"%s\""), vals[i]);
    }
    char key[128];
    snprintf(key, sizeof key, "%.*s", (int)(eq - vals[i]), vals[i]);
    int64_t num;
    cJSON_DeleteItemFromObjectCaseSensitive(attrs, key);
    if (cli_parse_int(eq + 1, 0, 1000000000, &num) == 0)
      cJSON_AddNumberToObject(attrs, key, (double)num);
    else
      cJSON_AddStringToObject(attrs, key, eq + 1);
  }
  *out = attrs;
  return CLI_EXIT_OK;
}

int cli_parse_household(const struct cli_opts *o, const char *s, int64_t *number)
{
  if (cli_parse_int(s, 1, 2147483647, number) < 0)
    return cli_usage_error(o, _("\"%s\" is geen lidnummer van een gezin"), s);
  return CLI_EXIT_OK;
}

int cli_parse_amount_arg(const struct cli_opts *o, const char *s, int64_t *cents)
{
  if (cli_amount_parse(s, cents) < 0)
    return cli_usage_error(
        o, _("\"%s\" is geen bedrag in euro: schrijf bijvoorbeeld 20, 20,00 of 20.00"), s);
  return CLI_EXIT_OK;
}

int cli_parse_date_arg(const struct cli_opts *o, const char *flag, const char *s)
{
  if (cli_parse_date(s) < 0)
    return cli_usage_error(o, _("--%s: \"%s\" is geen bestaande datum (JJJJ-MM-DD)"), flag, s);
  return CLI_EXIT_OK;
}

int cli_parse_method(const struct cli_opts *o, const char *s, const char **method)
{
  static const char *const names[][2] = {
    {"cash", "cash"},         {"contant", "cash"},          {"payconiq", "payconiq"},
    {"transfer", "transfer"}, {"overschrijving", "transfer"}, {"waived", "waived"},
    {"kwijtschelding", "waived"},
  };
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (strcmp(names[i][0], s) == 0) {
      *method = names[i][1];
      return CLI_EXIT_OK;
    }
  return cli_usage_error(o,
                         _("onbekende betaalwijze \"%s\": kies contant, payconiq, overschrijving "
                           "of kwijtschelding"),
                         s);
}

const char *cli_method_name(const char *method)
{
  if (strcmp(method, "cash") == 0)
    return _("contant");
  if (strcmp(method, "transfer") == 0)
    return _("overschrijving");
  if (strcmp(method, "waived") == 0)
    return _("kwijtschelding");
  return method;
}

int cli_parse_condition(const struct cli_opts *o, const char *s, const char **condition)
{
  static const char *const names[][2] = {
    {"ok", "ok"},
    {"wassen", "needs_cleaning"},
    {"schoonmaak", "needs_cleaning"},
    {"needs_cleaning", "needs_cleaning"},
    {"herstellen", "needs_repair"},
    {"herstelling", "needs_repair"},
    {"needs_repair", "needs_repair"},
  };
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (strcmp(names[i][0], s) == 0) {
      *condition = names[i][1];
      return CLI_EXIT_OK;
    }
  return cli_usage_error(o, _("--condition: kies ok, wassen of herstellen, niet \"%s\""), s);
}

void cli_print_item_status(const char *status)
{
  if (strcmp(status, "reserved") == 0)
    printf("%s\n", _("Het voorwerp is nu gereserveerd voor het volgende gezin in de rij: zet het opzij."));
  else if (status[0]) {
    printf(_("Het voorwerp is nu: %s."), cli_status_name(status));
    putchar('\n');
  }
}
