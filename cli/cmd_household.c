/* leen household add | find | show | edit | card */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const struct cli_col record_cols[] = {
  {"number", N_("Lidnummer"), CLI_F_TEXT},
  {"name", N_("Naam"), CLI_F_TEXT},
  {"email", N_("E-mail"), CLI_F_TEXT},
  {"phone", N_("Telefoon"), CLI_F_TEXT},
  {"postcode", N_("Postcode"), CLI_F_TEXT},
  {"language", N_("Taal"), CLI_F_TEXT},
  {"children", N_("Kinderen"), CLI_F_CHILDREN},
  {"reduction", N_("Verlaagd tarief"), CLI_F_REDUCTION},
  {NULL, NULL, CLI_F_TEXT},
};

static const struct cli_col list_cols[] = {
  {"number", N_("Lidnummer"), CLI_F_TEXT},
  {"name", N_("Naam"), CLI_F_TEXT},
  {"postcode", N_("Postcode"), CLI_F_TEXT},
  {"email", N_("E-mail"), CLI_F_TEXT},
  {"reduction.active", N_("Verlaagd"), CLI_F_BOOL},
  {"reduction.valid_until", N_("Verlaagd tot"), CLI_F_TEXT},
  {NULL, NULL, CLI_F_TEXT},
};

/* "Lien:2020-05" or "2020-05" as {first_name?, birth_month}. */
static int child_json(const struct cli_opts *o, const char *flag, const char *s, cJSON *array)
{
  const char *colon = strrchr(s, ':');
  const char *month = colon ? colon + 1 : s;
  if (cli_parse_month(month) < 0 || (colon && colon == s))
    return cli_usage_error(o, _("--%s verwacht [VOORNAAM:]JJJJ-MM, niet \"%s\""), flag, s);
  cJSON *c = cJSON_CreateObject();
  if (colon) {
    char name[256];
    snprintf(name, sizeof name, "%.*s", (int)(colon - s), s);
    cJSON_AddStringToObject(c, "first_name", name);
  }
  cJSON_AddStringToObject(c, "birth_month", month);
  cJSON_AddItemToArray(array, c);
  return CLI_EXIT_OK;
}

static const char *const text_fields[][2] = {
  {"name", "name"}, {"email", "email"}, {"phone", "phone"},
  {"postcode", "postcode"}, {"language", "language"},
};

/* Adds the text flags to body; an empty value clears the field (null). */
static int add_text_fields(const struct cli_args *a, cJSON *body)
{
  int n = 0;
  for (size_t i = 0; i < sizeof text_fields / sizeof text_fields[0]; i++) {
    const char *v = cli_opt(a, text_fields[i][0]);
    if (!v)
      continue;
    if (v[0])
      cJSON_AddStringToObject(body, text_fields[i][1], v);
    else
      cJSON_AddNullToObject(body, text_fields[i][1]);
    n++;
  }
  return n;
}

static void print_household(const struct cli_opts *o, const cJSON *h, int added)
{
  if (o->json) {
    cli_print_json(h);
    return;
  }
  char number[24];
  snprintf(number, sizeof number, "%s", cli_json_str(h, "number"));
  if (added)
    printf(_("Gezin %s toegevoegd: %s."), number, cli_json_str(h, "name"));
  else
    printf(_("Gezin %s gewijzigd: %s."), number, cli_json_str(h, "name"));
  putchar('\n');
}

static int run_add(const struct cli_opts *o, const struct cli_args *a)
{
  const char *name = cli_opt(a, "name");
  if (!name || !name[0])
    return cli_usage_error(o, "%s", _("geef de naam van het gezin met --name"));
  cJSON *body = cJSON_CreateObject();
  add_text_fields(a, body);
  const char *kids[CLI_MAX_OPTS];
  int nkids = cli_opt_all(a, "child", kids, CLI_MAX_OPTS);
  cJSON *children = cJSON_AddArrayToObject(body, "children");
  for (int i = 0; i < nkids; i++) {
    int rc = child_json(o, "child", kids[i], children);
    if (rc != CLI_EXIT_OK) {
      cJSON_Delete(body);
      return rc;
    }
  }
  cJSON *out = NULL;
  int rc = cli_api(o, "POST", "/v1/households", body, CLI_REQ_IDEMPOTENT, &out);
  cJSON_Delete(body);
  if (rc == CLI_EXIT_OK)
    print_household(o, out, 1);
  cJSON_Delete(out);
  return rc;
}

static int run_find(const struct cli_opts *o, const struct cli_args *a)
{
  const char *limit = cli_opt(a, "limit");
  int64_t n = 50;
  if (limit && cli_parse_int(limit, 1, 100000, &n) < 0)
    return cli_usage_error(o, _("--limit: \"%s\" is geen aantal"), limit);
  if (cli_opt(a, "all"))
    n = 0;
  struct cli_buf p = {0};
  cli_buf_add(&p, "/v1/households");
  cli_buf_query(&p, "name", a->npos ? a->pos[0] : NULL);
  cli_buf_query(&p, "postcode", cli_opt(a, "postcode"));
  cli_buf_query(&p, "email", cli_opt(a, "email"));
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

static void household_path(struct cli_buf *p, int64_t number)
{
  cli_buf_addf(p, "/v1/households/%lld", (long long)number);
}

static int run_show(const struct cli_opts *o, const struct cli_args *a)
{
  int64_t number;
  CLI_TRY(cli_parse_household(o, a->pos[0], &number));
  struct cli_buf p = {0};
  household_path(&p, number);
  cJSON *out = NULL;
  int rc = cli_api(o, "GET", p.data, NULL, 0, &out);
  cli_buf_release(&p);
  if (rc == CLI_EXIT_OK)
    cli_print_record(o, out, record_cols);
  cJSON_Delete(out);
  return rc;
}

static int edit_body(const struct cli_opts *o, const struct cli_args *a, cJSON *body)
{
  int n = add_text_fields(a, body);
  const char *vals[CLI_MAX_OPTS];
  int nadd = cli_opt_all(a, "add-child", vals, CLI_MAX_OPTS);
  if (nadd) {
    cJSON *add = cJSON_AddArrayToObject(body, "add_children");
    for (int i = 0; i < nadd; i++)
      CLI_TRY(child_json(o, "add-child", vals[i], add));
  }
  int nrem = cli_opt_all(a, "remove-child", vals, CLI_MAX_OPTS);
  if (nrem) {
    cJSON *rem = cJSON_AddArrayToObject(body, "remove_children");
    for (int i = 0; i < nrem; i++) {
      int64_t id;
      if (cli_parse_int(vals[i], 1, INT64_MAX / 2, &id) < 0)
        return cli_usage_error(o, _("--remove-child verwacht het nummer van een kind, niet \"%s\""),
                               vals[i]);
      cJSON_AddItemToArray(rem, cJSON_CreateNumber((double)id));
    }
  }
  if (n + nadd + nrem == 0)
    return cli_usage_error(o, "%s", _("niets te wijzigen: geef bv. --name, --email of --add-child"));
  return CLI_EXIT_OK;
}

static int run_edit(const struct cli_opts *o, const struct cli_args *a)
{
  int64_t number;
  CLI_TRY(cli_parse_household(o, a->pos[0], &number));
  cJSON *body = cJSON_CreateObject();
  int rc = edit_body(o, a, body);
  if (rc != CLI_EXIT_OK) {
    cJSON_Delete(body);
    return rc;
  }
  struct cli_buf p = {0};
  household_path(&p, number);
  /* the change is made against the version read (If-Match) */
  struct cli_call get = {.method = "GET", .path = p.data};
  rc = cli_api_call(o, &get);
  if (rc == CLI_EXIT_OK) {
    struct cli_call c = {.method = "PATCH", .path = p.data, .body = body,
                         .if_match = get.etag[0] ? get.etag : NULL};
    rc = cli_api_call(o, &c);
    if (rc == CLI_EXIT_OK)
      print_household(o, c.out, 0);
    cJSON_Delete(c.out);
  }
  cJSON_Delete(get.out);
  cJSON_Delete(body);
  cli_buf_release(&p);
  return rc;
}

/* The member card as a PDF: an A4 page to cut out, or card size. */
static int run_card(const struct cli_opts *o, const struct cli_args *a)
{
  int64_t number;
  CLI_TRY(cli_parse_household(o, a->pos[0], &number));
  const char *dest, *size = cli_opt(a, "size"), *format = NULL;
  CLI_TRY(cli_output_arg(o, a, "BESTAND.pdf", CLI_OUT_BINARY, &dest));
  if (size && strcmp(size, "a4") == 0)
    format = "a4";
  else if (size && (strcmp(size, "kaart") == 0 || strcmp(size, "card") == 0))
    format = "card";
  else if (size)
    return cli_usage_error(o, _("--size: kies a4 of kaart, niet \"%s\""), size);
  struct cli_buf p = {0};
  cli_buf_addf(&p, "/v1/households/%lld/card.pdf", (long long)number);
  cli_buf_query(&p, "format", format);
  cli_buf_query(&p, "library", cli_opt(a, "library"));
  int rc = cli_download(o, &p, dest, CLI_OUT_BINARY);
  cli_buf_release(&p);
  if (rc == CLI_EXIT_OK && strcmp(dest, "-") != 0) {
    fprintf(stderr, _("Lidkaart van gezin %lld geschreven naar %s."), (long long)number, dest);
    fputc('\n', stderr);
  }
  return rc;
}

static const struct cli_flag add_flags[] = {
  {"name", N_("NAAM"), 0},         {"email", N_("E-MAIL"), 0},
  {"phone", N_("TELEFOON"), 0},    {"postcode", N_("POSTCODE"), 0},
  {"language", N_("TAAL"), 0},     {"child", N_("[VOORNAAM:]JJJJ-MM"), CLI_FLAG_MULTI},
  {NULL, NULL, 0},
};
static const struct cli_flag find_flags[] = {
  {"postcode", N_("POSTCODE"), 0}, {"email", N_("E-MAIL"), 0}, {"limit", "N", 0},
  {"all", NULL, 0},                {NULL, NULL, 0},
};
static const struct cli_flag card_flags[] = {
  {"library", "SLUG", 0},
  {"size", "a4|kaart", 0},
  {"output", N_("BESTAND"), CLI_FLAG_SHORT},
  {NULL, NULL, 0},
};
static const struct cli_flag edit_flags[] = {
  {"name", N_("NAAM"), 0},
  {"email", N_("E-MAIL"), 0},
  {"phone", N_("TELEFOON"), 0},
  {"postcode", N_("POSTCODE"), 0},
  {"language", N_("TAAL"), 0},
  {"add-child", N_("[VOORNAAM:]JJJJ-MM"), CLI_FLAG_MULTI},
  {"remove-child", N_("KINDNUMMER"), CLI_FLAG_MULTI},
  {NULL, NULL, 0},
};

const struct cli_command cli_cmd_household_add = {
  "household add", "", N_("schrijf een gezin in"), 0, 0, add_flags, CLI_CMD_AUTH, run_add,
};
const struct cli_command cli_cmd_household_find = {
  "household find", N_("[NAAM]"), N_("zoek gezinnen op (een deel van) de naam, postcode of e-mail"),
  0, 1, find_flags, CLI_CMD_AUTH | CLI_CMD_CSV, run_find,
};
const struct cli_command cli_cmd_household_show = {
  "household show", N_("LIDNUMMER"), N_("toon een gezin"), 1, 1, NULL, CLI_CMD_AUTH, run_show,
};
const struct cli_command cli_cmd_household_edit = {
  "household edit", N_("LIDNUMMER"),
  N_("wijzig een gezin; een lege waarde (--email \"\") wist een gegeven"), 1, 1, edit_flags,
  CLI_CMD_AUTH, run_edit,
};
const struct cli_command cli_cmd_household_card = {
  "household card", N_("LIDNUMMER"),
  N_("maak de lidkaart van een gezin als PDF (A4 om uit te knippen, of --size kaart)"), 1, 1,
  card_flags, CLI_CMD_AUTH, run_card,
};
