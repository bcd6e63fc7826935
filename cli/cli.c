#include <curl/curl.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const struct cli_command commands[] = {
  {"status", "toon of de server en de databank bereikbaar zijn", cmd_status},
};
static const size_t ncommands = sizeof commands / sizeof commands[0];

static void usage(FILE *out)
{
  fputs("gebruik: leen [--url URL] [--token-file BESTAND] [--json] COMMANDO [ARGUMENTEN]\n\n"
        "Commando's:\n",
        out);
  for (size_t i = 0; i < ncommands; i++)
    fprintf(out, "  %-12s %s\n", commands[i].name, commands[i].help);
  fputs("\nOpties:\n"
        "  --url URL              adres van leen-api (ook LEEN_URL; standaard http://127.0.0.1:8080)\n"
        "  --token-file BESTAND   lees het toegangstoken uit dit bestand (ook LEEN_TOKEN)\n"
        "  --json                 uitvoer als JSON, voor scripts\n"
        "  --version              toon de versie\n"
        "\nAfsluitcodes: 0 gelukt, 1 mislukt, 2 verkeerd gebruik, 3 niet gevonden, 4 conflict,\n"
        "              5 niet aangemeld of niet toegestaan, 69 server niet bereikbaar\n",
        out);
}

int cli_main(int argc, char **argv)
{
  const char *flag_url = NULL, *flag_token_file = NULL;
  int json = 0, i = 1;
  for (; i < argc && argv[i][0] == '-'; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      usage(stdout);
      return CLI_EXIT_OK;
    } else if (strcmp(a, "--version") == 0) {
      printf("leen %s\n", LEEN_VERSION);
      return CLI_EXIT_OK;
    } else if (strcmp(a, "--json") == 0) {
      json = 1;
    } else if ((strcmp(a, "--url") == 0 || strcmp(a, "--token-file") == 0) && i + 1 < argc) {
      if (a[2] == 'u')
        flag_url = argv[++i];
      else
        flag_token_file = argv[++i];
    } else {
      fprintf(stderr, "leen: onbekende optie \"%s\"; zie leen --help\n", a);
      return CLI_EXIT_USAGE;
    }
  }
  if (i == argc) {
    usage(stderr);
    return CLI_EXIT_USAGE;
  }
  const struct cli_command *cmd = NULL;
  for (size_t k = 0; k < ncommands; k++)
    if (strcmp(commands[k].name, argv[i]) == 0)
      cmd = &commands[k];
  if (!cmd) {
    fprintf(stderr, "leen: onbekend commando \"%s\"; zie leen --help\n", argv[i]);
    return CLI_EXIT_USAGE;
  }
  struct cli_opts o = {0};
  if (cli_opts_resolve(&o, flag_url, flag_token_file) < 0)
    return CLI_EXIT_USAGE;
  o.json = json;
  curl_global_init(CURL_GLOBAL_DEFAULT);
  int rc = cmd->run(&o, argc - i, argv + i);
  curl_global_cleanup();
  cli_opts_release(&o);
  return rc;
}
