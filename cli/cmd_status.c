/* leen status: is the server up, is its database up, who am I. Exit 0
 * when both are up (logged in or not), 69 when either is down, 5 when a
 * token is there but the server refuses it (expired, revoked). */
#include <string.h>

#include "cli.h"

static int run(const struct cli_opts *o, const struct cli_args *a)
{
  (void)a;
  struct cli_request rq = {.method = "GET", .path = "/readyz", .flags = CLI_REQ_NO_AUTH};
  struct cli_response resp;
  int reached = cli_http(o, &rq, &resp) == 0;
  int db_up = reached && resp.status == 200;
  int rc = db_up ? CLI_EXIT_OK : CLI_EXIT_UNAVAILABLE;
  cJSON *me = NULL;
  int expired = 0;
  if (db_up && o->token) {
    struct cli_call c = {.method = "GET", .path = "/v1/me", .quiet = 1};
    if (cli_api_call(o, &c) == CLI_EXIT_OK)
      me = c.out;
    else
      expired = c.status == 401;
  }
  if (o->json) {
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "url", o->url);
    cJSON_AddStringToObject(j, "server", reached ? "up" : "down");
    cJSON_AddStringToObject(j, "database", db_up ? "up" : "down");
    if (me)
      cJSON_AddItemToObject(j, "user", cJSON_Duplicate(me, 1));
    else
      cJSON_AddNullToObject(j, "user");
    cli_print_json(j);
    cJSON_Delete(j);
  }
  if (!reached)
    cli_fail(o, rc, _("De server op %s is niet bereikbaar (%s)."), o->url, resp.error);
  else if (!db_up)
    cli_fail(o, rc, _("De server op %s draait, maar de databank is niet bereikbaar."), o->url);
  else if (!o->json) {
    printf(_("De server op %s draait en de databank is bereikbaar."), o->url);
    putchar('\n');
    if (me)
      printf(_("Aangemeld als %s (%s)."), cli_json_str(me, "username"),
             cli_role_name(cli_json_str(me, "role")));
    else if (!expired)
      printf("%s", _("Niet aangemeld."));
    if (me || !expired)
      putchar('\n');
  }
  /* a token the server refuses is a problem worth an exit code */
  if (rc == CLI_EXIT_OK && expired)
    rc = cli_fail(o, CLI_EXIT_AUTH, "%s",
                  _("Je aanmelding is verlopen of ongeldig. Meld je opnieuw aan met: leen login"));
  cJSON_Delete(me);
  cli_response_release(&resp);
  return rc;
}

const struct cli_command cli_cmd_status = {
  "status", "", N_("toon of de server en de databank bereikbaar zijn en wie aangemeld is"),
  0, 0, NULL, 0, run,
};
