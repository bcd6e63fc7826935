#include <cjson/cJSON.h>
#include <stdio.h>

#include "cli.h"

int cmd_status(const struct cli_opts *o, int argc, char **argv)
{
  if (argc > 1) {
    fprintf(stderr, "leen: status neemt geen argumenten\n");
    return CLI_EXIT_USAGE;
  }
  struct cli_response resp;
  int reached = cli_http(o, "GET", "/readyz", NULL, &resp) == 0;
  int db_up = reached && resp.status == 200;
  int rc = db_up ? CLI_EXIT_OK : CLI_EXIT_UNAVAILABLE;
  if (o->json) {
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "url", o->url);
    cJSON_AddStringToObject(j, "server", reached ? "up" : "down");
    cJSON_AddStringToObject(j, "database", db_up ? "up" : "down");
    char *text = cJSON_PrintUnformatted(j);
    if (text)
      puts(text);
    cJSON_free(text);
    cJSON_Delete(j);
  }
  if (!reached)
    fprintf(stderr, "De server op %s is niet bereikbaar (%s).\n", o->url, resp.error);
  else if (!db_up)
    fprintf(stderr, "De server op %s draait, maar de databank is niet bereikbaar.\n", o->url);
  else if (!o->json)
    printf("De server op %s draait en de databank is bereikbaar.\n", o->url);
  cli_response_release(&resp);
  return rc;
}
