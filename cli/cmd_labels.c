/* leen labels templates | print, and leen item label: sheets of QR labels
 * and one label, as the API renders them. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const struct cli_col template_cols[] = {
  {"name", N_("Sjabloon"), CLI_F_TEXT},
  {"description", N_("Omschrijving"), CLI_F_TEXT},
  {"labels_per_sheet", N_("Per vel"), CLI_F_TEXT},
  {"columns", N_("Kolommen"), CLI_F_TEXT},
  {"rows", N_("Rijen"), CLI_F_TEXT},
  {"label_width_mm", N_("Breedte (mm)"), CLI_F_TEXT},
  {"label_height_mm", N_("Hoogte (mm)"), CLI_F_TEXT},
  {NULL, NULL, CLI_F_TEXT},
};

static int run_templates(const struct cli_opts *o, const struct cli_args *a)
{
  (void)a;
  cJSON *out = NULL;
  int rc = cli_api(o, "GET", "/v1/labels/templates", NULL, 0, &out);
  if (rc == CLI_EXIT_OK)
    cli_print_list(o, cJSON_GetObjectItemCaseSensitive(out, "items"), template_cols);
  cJSON_Delete(out);
  return rc;
}

/* Millimetres from -10 to 10 as "0.5", "-0,7" or "1" into out (with a
 * point, as the API wants it). */
static int parse_mm(const struct cli_opts *o, const char *flag, const char *s, char out[16])
{
  size_t n = strlen(s);
  int ok = n >= 1 && n < 16, seen_point = 0, digits = 0;
  for (size_t i = 0; ok && i < n; i++) {
    char ch = s[i];
    if (ch >= '0' && ch <= '9') {
      digits++;
      out[i] = ch;
    } else if ((ch == '-' || ch == '+') && i == 0) {
      out[i] = ch;
    } else if ((ch == '.' || ch == ',') && !seen_point && digits) {
      seen_point = 1;
      out[i] = '.';
    } else {
      ok = 0;
    }
  }
  if (ok) {
    out[n] = '\0';
    double v = strtod(out, NULL);
    ok = digits > 0 && s[n - 1] != '.' && s[n - 1] != ',' && v >= -10 && v <= 10;
  }
  if (!ok)
    return cli_usage_error(o, _("--%s verwacht millimeter van -10 tot 10, zoals 0,5, niet \"%s\""),
                           flag, s);
  return CLI_EXIT_OK;
}

/* Adds the selection to p: the codes, or the filters (their names
 * checked and translated to the API's). */
static int add_selection(const struct cli_opts *o, const struct cli_args *a, struct cli_buf *p)
{
  const char *library = cli_opt(a, "library"), *category = cli_opt(a, "category");
  const char *status = cli_opt(a, "status"), *since = cli_opt(a, "since");
  int filters = library || category || status || since;
  if (a->npos && filters)
    return cli_usage_error(o, "%s",
                           _("geef codes of een selectie (--library, --category, --status, "
                             "--since), niet allebei"));
  if (!a->npos && !filters)
    return cli_usage_error(o, "%s",
                           _("kies de etiketten: geef codes, of --library, --category, --status "
                             "of --since"));
  if (a->npos) {
    struct cli_buf items = {0};
    for (int i = 0; i < a->npos; i++)
      cli_buf_addf(&items, "%s%s", i ? "," : "", cli_item_arg(a->pos[i]));
    cli_buf_query(p, "items", items.data);
    cli_buf_release(&items);
    return CLI_EXIT_OK;
  }
  const char *api_status = status ? cli_status_parse(status) : NULL;
  if (status && !api_status)
    return cli_usage_error(o, _("onbekende status \"%s\""), status);
  char cat[24] = "";
  if (category) {
    int64_t id;
    CLI_TRY(cli_category_id(o, library, category, &id));
    snprintf(cat, sizeof cat, "%lld", (long long)id);
  }
  cli_buf_query(p, "library", library);
  cli_buf_query(p, "category", category ? cat : NULL);
  cli_buf_query(p, "status", api_status);
  cli_buf_query(p, "since", since ? cli_item_arg(since) : NULL);
  return CLI_EXIT_OK;
}

static int print_path(const struct cli_opts *o, const struct cli_args *a, struct cli_buf *p)
{
  const char *template = cli_opt(a, "template"), *start = cli_opt(a, "start");
  if (!template || !template[0])
    return cli_usage_error(o, "%s",
                           _("kies het etikettenvel met --template (zie leen labels templates)"));
  int64_t n;
  if (start && cli_parse_int(start, 1, 1000, &n) < 0)
    return cli_usage_error(o, _("--start verwacht een plaats op het vel (1, 2, ...), niet \"%s\""),
                           start);
  char ox[16], oy[16];
  const char *x = cli_opt(a, "offset-x"), *y = cli_opt(a, "offset-y");
  if (x)
    CLI_TRY(parse_mm(o, "offset-x", x, ox));
  if (y)
    CLI_TRY(parse_mm(o, "offset-y", y, oy));
  cli_buf_add(p, "/v1/labels.pdf");
  CLI_TRY(add_selection(o, a, p));
  cli_buf_query(p, "template", template);
  cli_buf_query(p, "start", start);
  cli_buf_query(p, "offset_x", x ? ox : NULL);
  cli_buf_query(p, "offset_y", y ? oy : NULL);
  if (cli_opt(a, "outline"))
    cli_buf_query(p, "outline", "true");
  return CLI_EXIT_OK;
}

/* "21 etiketten op 2 vellen geschreven naar FILE (begint op etiket 13).":
 * the counts as the API sent them (Leen-Label-Count, Leen-Sheet-Count);
 * an API that sent none gets the sentence without. */
static void print_written(const char *dest, const struct cli_header *counts, const char *start)
{
  int64_t labels, sheets, first = 1;
  if (cli_parse_int(counts[0].value, 1, 1000000, &labels) < 0 ||
      cli_parse_int(counts[1].value, 1, 1000000, &sheets) < 0) {
    fprintf(stderr, _("Etiketten geschreven naar %s."), dest);
    fputc('\n', stderr);
    return;
  }
  if (start && cli_parse_int(start, 1, 1000, &first) < 0)
    first = 1;
  char what[64], where[64];
  snprintf(what, sizeof what, ngettext("%ld etiket", "%ld etiketten", (unsigned long)labels),
           (long)labels);
  snprintf(where, sizeof where, ngettext("%ld vel", "%ld vellen", (unsigned long)sheets),
           (long)sheets);
  if (first > 1)
    fprintf(stderr, _("%s op %s geschreven naar %s (begint op etiket %ld)."), what, where, dest,
            (long)first);
  else
    fprintf(stderr, _("%s op %s geschreven naar %s."), what, where, dest);
  fputc('\n', stderr);
}

static int run_print(const struct cli_opts *o, const struct cli_args *a)
{
  const char *dest;
  CLI_TRY(cli_output_arg(o, a, "BESTAND.pdf", CLI_OUT_BINARY, &dest));
  struct cli_buf p = {0};
  struct cli_header counts[] = {{"Leen-Label-Count", ""}, {"Leen-Sheet-Count", ""}, {NULL, ""}};
  int rc = print_path(o, a, &p);
  if (rc == CLI_EXIT_OK)
    rc = cli_download_headers(o, &p, dest, CLI_OUT_BINARY, counts);
  cli_buf_release(&p);
  if (rc == CLI_EXIT_OK && strcmp(dest, "-") != 0)
    print_written(dest, counts, cli_opt(a, "start"));
  return rc;
}

/* --svg, --png, or the file's extension; SVG when nothing says. */
static int label_format(const struct cli_opts *o, const struct cli_args *a, const char *dest,
                        int *png)
{
  int svg = cli_opt(a, "svg") != NULL;
  *png = cli_opt(a, "png") != NULL;
  if (svg && *png)
    return cli_usage_error(o, "%s", _("kies --svg of --png, niet allebei"));
  size_t n = strlen(dest);
  if (!svg && !*png && n > 4 && strcmp(dest + n - 4, ".png") == 0)
    *png = 1;
  return CLI_EXIT_OK;
}

static int run_item_label(const struct cli_opts *o, const struct cli_args *a)
{
  const char *dest = cli_opt(a, "output"), *dpi = cli_opt(a, "dpi");
  if (!dest)
    return cli_usage_error(o, "%s", _("geef het bestand met -o BESTAND.svg of -o BESTAND.png"));
  int png;
  CLI_TRY(label_format(o, a, dest, &png));
  CLI_TRY(cli_check_output(o, dest, png ? CLI_OUT_BINARY : CLI_OUT_TEXT));
  int64_t n;
  if (dpi && (!png || cli_parse_int(dpi, 72, 1200, &n) < 0))
    return cli_usage_error(o, "%s", _("--dpi geldt voor een PNG, van 72 tot 1200"));
  const char *code = cli_item_arg(a->pos[0]);
  struct cli_buf p = {0};
  cli_buf_add(&p, "/v1/items/");
  cli_buf_add_escaped(&p, code);
  cli_buf_add(&p, png ? "/label.png" : "/label.svg");
  cli_buf_query(&p, "template", cli_opt(a, "template"));
  cli_buf_query(&p, "dpi", dpi);
  int rc = cli_download(o, &p, dest, png ? CLI_OUT_BINARY : CLI_OUT_TEXT);
  cli_buf_release(&p);
  if (rc == CLI_EXIT_OK && strcmp(dest, "-") != 0) {
    fprintf(stderr, _("Etiket van %s geschreven naar %s."), code, dest);
    fputc('\n', stderr);
  }
  return rc;
}

static const struct cli_flag print_flags[] = {
  {"library", "SLUG", 0},
  {"category", N_("CATEGORIE"), 0},
  {"status", "STATUS", 0},
  {"since", N_("VOORWERP"), 0},
  {"template", N_("SJABLOON"), 0},
  {"start", N_("PLAATS"), 0},
  {"offset-x", "MM", 0},
  {"offset-y", "MM", 0},
  {"outline", NULL, 0},
  {"output", N_("BESTAND"), CLI_FLAG_SHORT},
  {NULL, NULL, 0},
};
static const struct cli_flag item_label_flags[] = {
  {"svg", NULL, 0},          {"png", NULL, 0}, {"template", N_("SJABLOON"), 0},
  {"dpi", "DPI", 0},         {"output", N_("BESTAND"), CLI_FLAG_SHORT},
  {NULL, NULL, 0},
};

const struct cli_command cli_cmd_labels_templates = {
  "labels templates", "", N_("toon de etikettenvellen die leen kent"), 0, 0, NULL,
  CLI_CMD_AUTH | CLI_CMD_CSV, run_templates,
};
const struct cli_command cli_cmd_labels_print = {
  "labels print", N_("[VOORWERP...]"),
  N_("maak een PDF met QR-etiketten van voorwerpen of van een selectie"),
  0, CLI_MAX_ARGS, print_flags, CLI_CMD_AUTH, run_print,
};
const struct cli_command cli_cmd_item_label = {
  "item label", N_("VOORWERP"), N_("maak het etiket van één voorwerp als SVG of PNG"), 1, 1,
  item_label_flags, CLI_CMD_AUTH, run_item_label,
};
