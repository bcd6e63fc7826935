/* The command table and the dispatcher: it finds the command (one word or
 * noun and verb), enforces its arguments and flags once, resolves the
 * options and runs it. Commands only see what passed. */
#include <curl/curl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const struct cli_command *const commands[] = {
  &cli_cmd_login,
  &cli_cmd_logout,
  &cli_cmd_status,
  &cli_cmd_item_add,
  &cli_cmd_item_list,
  &cli_cmd_item_show,
  &cli_cmd_item_set_status,
  &cli_cmd_item_label,
  &cli_cmd_household_add,
  &cli_cmd_household_find,
  &cli_cmd_household_show,
  &cli_cmd_household_edit,
  &cli_cmd_household_card,
  &cli_cmd_membership_start,
  &cli_cmd_checkout,
  &cli_cmd_return,
  &cli_cmd_swap,
  &cli_cmd_renew,
  &cli_cmd_loans,
  &cli_cmd_reservation_add,
  &cli_cmd_reservation_list,
  &cli_cmd_reservation_cancel,
  &cli_cmd_reduction_issue,
  &cli_cmd_reduction_revoke,
  &cli_cmd_reduction_list,
  &cli_cmd_reduction_letter,
  &cli_cmd_voucher_redeem,
  &cli_cmd_pay,
  &cli_cmd_import_items,
  &cli_cmd_import_households,
  &cli_cmd_labels_templates,
  &cli_cmd_labels_print,
  &cli_cmd_stats_monthly,
};
static const size_t ncommands = sizeof commands / sizeof commands[0];

static void vsay(int color, const char *fmt, va_list ap)
{
  fprintf(stderr, "%sleen:%s ", cli_color(color, "31"), cli_color(color, "0"));
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
}

int cli_usage_error(const struct cli_opts *o, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  vsay(o && o->color_err, fmt, ap);
  va_end(ap);
  return CLI_EXIT_USAGE;
}

int cli_fail(const struct cli_opts *o, int code, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  vsay(o && o->color_err, fmt, ap);
  va_end(ap);
  return code;
}

static void command_usage(FILE *out, const struct cli_command *c)
{
  fprintf(out, "%s leen %s%s%s", _("gebruik:"), c->name, c->usage[0] ? " " : "",
          c->usage[0] ? _(c->usage) : "");
  for (const struct cli_flag *f = c->flags; f && f->name; f++) {
    char alias[4] = "";
    if (f->flags & CLI_FLAG_SHORT)
      snprintf(alias, sizeof alias, "-%c|", f->name[0]);
    fprintf(out, " [%s--%s%s%s]%s", alias, f->name, f->arg ? " " : "", f->arg ? _(f->arg) : "",
            f->flags & CLI_FLAG_MULTI ? "..." : "");
  }
  if (c->kind & CLI_CMD_CSV)
    fputs(" [--json | --csv]", out);
  else
    fputs(" [--json]", out);
  fprintf(out, "\n  %s\n", _(c->help));
}

static void usage(FILE *out)
{
  fprintf(out, "%s leen [--url URL] [--token-file %s] [--json] %s [%s]\n\n%s\n", _("gebruik:"),
          _("BESTAND"), _("COMMANDO"), _("ARGUMENTEN"), _("Commando's:"));
  for (size_t i = 0; i < ncommands; i++)
    fprintf(out, "  %-22s %s\n", commands[i]->name, _(commands[i]->help));
  fprintf(out, "\n%s\n", _("Opties:"));
  fprintf(out, "  --url URL              %s\n",
          _("adres van leen-api (ook LEEN_URL; standaard http://127.0.0.1:8080)"));
  fprintf(out, "  --token-file %-9s %s\n", _("BESTAND"),
          _("lees het toegangstoken uit dit bestand (ook LEEN_TOKEN)"));
  fprintf(out, "  --json                 %s\n", _("uitvoer als JSON, voor scripts"));
  fprintf(out, "  --csv                  %s\n", _("lijsten als CSV, voor scripts"));
  fprintf(out, "  --help                 %s\n", _("toon deze hulp; leen COMMANDO --help voor één commando"));
  fprintf(out, "  --version              %s\n", _("toon de versie"));
  fprintf(out, "\n%s\n", _("Bedragen typ je in euro: 20, 20,00 en 20.00 betekenen hetzelfde."));
  fprintf(out, "\n%s\n%s\n", _("Afsluitcodes: 0 gelukt, 1 mislukt, 2 verkeerd gebruik, 3 niet gevonden, 4 conflict,"),
          _("              5 niet aangemeld of niet toegestaan, 69 server niet bereikbaar"));
}

const char *cli_opt(const struct cli_args *a, const char *name)
{
  const char *v = NULL;
  for (int i = 0; i < a->nopt; i++)
    if (strcmp(a->opt[i].name, name) == 0)
      v = a->opt[i].value;
  return v;
}

int cli_opt_all(const struct cli_args *a, const char *name, const char **vals, int max)
{
  int n = 0;
  for (int i = 0; i < a->nopt && n < max; i++)
    if (strcmp(a->opt[i].name, name) == 0)
      vals[n++] = a->opt[i].value;
  return n;
}

/* Finds the command named by argv[0] (and argv[1]); *used says how many
 * words it took. */
static const struct cli_command *find_command(int argc, char **argv, int *used)
{
  for (size_t k = 0; k < ncommands; k++) {
    const char *name = commands[k]->name, *sp = strchr(name, ' ');
    if (!sp) {
      if (strcmp(name, argv[0]) == 0) {
        *used = 1;
        return commands[k];
      }
    } else if (argc > 1 && strlen(argv[0]) == (size_t)(sp - name) &&
               strncmp(name, argv[0], (size_t)(sp - name)) == 0 && strcmp(sp + 1, argv[1]) == 0) {
      *used = 2;
      return commands[k];
    }
  }
  return NULL;
}

/* Lists the verbs of a noun ("item") on out (NULL: only tells); 0 when
 * it has none. */
static int noun_usage(FILE *out, const char *noun)
{
  size_t n = strlen(noun);
  int found = 0;
  for (size_t k = 0; k < ncommands; k++) {
    const char *name = commands[k]->name;
    if (strncmp(name, noun, n) == 0 && name[n] == ' ') {
      if (!out)
        return 1;
      if (!found)
        fprintf(out, "%s\n", _("Mogelijke commando's:"));
      fprintf(out, "  leen %-20s %s\n", name, _(commands[k]->help));
      found = 1;
    }
  }
  return found;
}

struct global {
  const char *url, *token_file;
  int json, csv, help;
};

/* Parses the command's arguments and flags into a; the global --json,
 * --csv and --help may appear among them too. */
static int parse_args(const struct cli_opts *o, const struct cli_command *c, int argc, char **argv,
                      struct global *g, struct cli_args *a)
{
  int only_pos = 0;
  for (int i = 0; i < argc; i++) {
    const char *s = argv[i];
    if (only_pos || s[0] != '-' || s[1] == '\0' || (s[1] >= '0' && s[1] <= '9')) {
      if (a->npos == CLI_MAX_ARGS || a->npos == c->max_args)
        return cli_usage_error(o, _("te veel argumenten voor \"%s\"; zie leen %s --help"), c->name,
                               c->name);
      a->pos[a->npos++] = s;
      continue;
    }
    if (strcmp(s, "--") == 0) {
      only_pos = 1;
      continue;
    }
    if (strcmp(s, "--help") == 0 || strcmp(s, "-h") == 0) {
      g->help = 1;
      continue;
    }
    if (strcmp(s, "--json") == 0) {
      g->json = 1;
      continue;
    }
    if (strcmp(s, "--csv") == 0 && (c->kind & CLI_CMD_CSV)) {
      g->csv = 1;
      continue;
    }
    const struct cli_flag *f = c->flags;
    const char *name = s + 2, *eq = NULL;
    if (s[1] != '-') {
      /* -o: a flag that also goes by the first letter of its name */
      while (f && f->name && !(s[2] == '\0' && (f->flags & CLI_FLAG_SHORT) && f->name[0] == s[1]))
        f++;
    } else {
      eq = strchr(name, '=');
      size_t nlen = eq ? (size_t)(eq - name) : strlen(name);
      while (f && f->name && !(strlen(f->name) == nlen && strncmp(f->name, name, nlen) == 0))
        f++;
    }
    if (!f || !f->name)
      return cli_usage_error(o, _("onbekende optie \"%s\"; zie leen %s --help"), s, c->name);
    const char *value = "";
    if (f->arg && eq) {
      value = eq + 1;
    } else if (f->arg) {
      if (i + 1 == argc)
        return cli_usage_error(o, _("de optie --%s heeft een waarde nodig (%s)"), f->name,
                               _(f->arg));
      value = argv[++i];
    } else if (eq) {
      return cli_usage_error(o, _("de optie --%s neemt geen waarde"), f->name);
    }
    if (!(f->flags & CLI_FLAG_MULTI) && cli_opt(a, f->name))
      return cli_usage_error(o, _("de optie --%s mag maar één keer"), f->name);
    if (a->nopt == CLI_MAX_OPTS)
      return cli_usage_error(o, _("te veel opties"));
    a->opt[a->nopt].name = f->name;
    a->opt[a->nopt].value = value;
    a->nopt++;
  }
  if (g->help)
    return CLI_EXIT_OK;
  if (a->npos < c->min_args)
    return cli_usage_error(o, _("te weinig argumenten: leen %s %s"), c->name, _(c->usage));
  if (g->json && g->csv)
    return cli_usage_error(o, _("kies --json of --csv, niet allebei"));
  return CLI_EXIT_OK;
}

static int no_color(void)
{
  const char *nc = getenv("NO_COLOR");
  return nc && nc[0];
}

int cli_main(int argc, char **argv)
{
  cli_i18n_init(argc > 0 ? argv[0] : NULL);
  struct global g = {0};
  struct cli_opts o = {0};
  o.color_err = !no_color() && isatty(2);
  int i = 1;
  for (; i < argc && argv[i][0] == '-'; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      usage(stdout);
      return CLI_EXIT_OK;
    } else if (strcmp(a, "--version") == 0) {
      printf("leen %s\n", LEEN_VERSION);
      return CLI_EXIT_OK;
    } else if (strcmp(a, "--json") == 0) {
      g.json = 1;
    } else if (strcmp(a, "--csv") == 0) {
      g.csv = 1;
    } else if (strcmp(a, "--url") == 0 && i + 1 < argc) {
      g.url = argv[++i];
    } else if (strcmp(a, "--token-file") == 0 && i + 1 < argc) {
      g.token_file = argv[++i];
    } else {
      return cli_usage_error(&o, _("onbekende optie \"%s\"; zie leen --help"), a);
    }
  }
  if (i == argc) {
    usage(stderr);
    return CLI_EXIT_USAGE;
  }
  if (strcmp(argv[i], "help") == 0) {
    if (i + 1 == argc) {
      usage(stdout);
      return CLI_EXIT_OK;
    }
    i++;
    int used = 0;
    const struct cli_command *hc = find_command(argc - i, argv + i, &used);
    if (hc) {
      command_usage(stdout, hc);
      return CLI_EXIT_OK;
    }
    if (noun_usage(stdout, argv[i]))
      return CLI_EXIT_OK;
    return cli_usage_error(&o, _("onbekend commando \"%s\"; zie leen --help"), argv[i]);
  }
  int used = 0;
  const struct cli_command *cmd = find_command(argc - i, argv + i, &used);
  if (!cmd && i + 1 < argc &&
      (strcmp(argv[i + 1], "--help") == 0 || strcmp(argv[i + 1], "-h") == 0)) {
    if (noun_usage(stdout, argv[i]))
      return CLI_EXIT_OK;
  }
  if (!cmd && i + 1 == argc && noun_usage(NULL, argv[i])) {
    int rc = cli_usage_error(&o, _("kies wat je met \"%s\" wilt doen:"), argv[i]);
    noun_usage(stderr, argv[i]);
    return rc;
  }
  if (!cmd) {
    int rc = cli_usage_error(&o, _("onbekend commando \"%s%s%s\"; zie leen --help"), argv[i],
                             i + 1 < argc && argv[i + 1][0] != '-' ? " " : "",
                             i + 1 < argc && argv[i + 1][0] != '-' ? argv[i + 1] : "");
    noun_usage(stderr, argv[i]);
    return rc;
  }
  i += used;
  struct cli_args a;
  memset(&a, 0, sizeof a);
  int rc = parse_args(&o, cmd, argc - i, argv + i, &g, &a);
  if (rc != CLI_EXIT_OK)
    return rc;
  if (g.help) {
    command_usage(stdout, cmd);
    return CLI_EXIT_OK;
  }
  if (g.csv && !(cmd->kind & CLI_CMD_CSV))
    return cli_usage_error(&o, _("--csv kan alleen bij lijsten"));
  if (cli_opts_resolve(&o, g.url, g.token_file) < 0)
    return CLI_EXIT_USAGE;
  o.json = g.json;
  o.csv = g.csv;
  o.color = !no_color() && isatty(1) && !o.json && !o.csv;
  o.tty_err = isatty(2);
  /* CLI_CMD_AUTH is checked at the first request (cli_api_call), so
   * mistakes in the arguments are reported first */
  curl_global_init(CURL_GLOBAL_DEFAULT);
  rc = cmd->run(&o, &a);
  curl_global_cleanup();
  cli_opts_release(&o);
  fflush(stdout);
  return rc;
}
