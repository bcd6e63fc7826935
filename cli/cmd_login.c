/* leen login / logout. The password is read without echo from the
 * terminal, or as one line from stdin when that is not a terminal (for
 * scripts); it is never an argument. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli.h"

const char *cli_role_name(const char *role)
{
  if (strcmp(role, "volunteer") == 0)
    return _("vrijwilliger");
  if (strcmp(role, "coordinator") == 0)
    return _("coördinator");
  if (strcmp(role, "social_worker") == 0)
    return _("sociaal werker");
  if (strcmp(role, "admin") == 0)
    return _("beheerder");
  return role;
}

/* One line from f without its line end; NULL at end of file. */
static char *read_line(FILE *f)
{
  char *line = NULL;
  size_t cap = 0;
  ssize_t n = getline(&line, &cap, f);
  if (n < 0) {
    free(line);
    return NULL;
  }
  line[strcspn(line, "\r\n")] = '\0';
  return line;
}

/* Asks on the terminal; echo off for a password. */
static char *ask_tty(const char *prompt, int secret)
{
  FILE *tty = fopen("/dev/tty", "r+");
  if (!tty)
    return NULL;
  fputs(prompt, tty);
  fflush(tty);
  struct termios old, quiet;
  int restore = 0;
  if (secret && tcgetattr(fileno(tty), &old) == 0) {
    quiet = old;
    quiet.c_lflag &= ~(tcflag_t)ECHO;
    quiet.c_lflag |= ECHONL;
    restore = tcsetattr(fileno(tty), TCSAFLUSH, &quiet) == 0;
  }
  char *line = read_line(tty);
  if (restore)
    tcsetattr(fileno(tty), TCSAFLUSH, &old);
  fclose(tty);
  return line;
}

static void wipe_free(char *s)
{
  if (!s)
    return;
  volatile char *v = s;
  while (*v)
    *v++ = '\0';
  free(s);
}

static int run_login(const struct cli_opts *o, const struct cli_args *a)
{
  int interactive = isatty(0);
  char *username = a->npos ? strdup(a->pos[0]) : NULL;
  if (!username && interactive)
    username = ask_tty(_("Gebruikersnaam: "), 0);
  if (!username || !username[0]) {
    free(username);
    return cli_usage_error(o, "%s", _("geef je gebruikersnaam: leen login GEBRUIKERSNAAM"));
  }
  char *password = interactive ? ask_tty(_("Wachtwoord: "), 1) : read_line(stdin);
  if (!password || !password[0]) {
    free(username);
    wipe_free(password);
    return cli_usage_error(o, "%s",
                           interactive ? _("geen wachtwoord gegeven")
                                       : _("geen wachtwoord gegeven: geef het als één regel op stdin"));
  }
  cJSON *body = cJSON_CreateObject();
  cJSON_AddStringToObject(body, "username", username);
  cJSON_AddStringToObject(body, "password", password);
  wipe_free(password);
  cJSON *out = NULL;
  int rc = cli_api(o, "POST", "/v1/auth/login", body, CLI_REQ_NO_AUTH, &out);
  /* the body still holds the password */
  cJSON *pw = cJSON_GetObjectItem(body, "password");
  if (pw && pw->valuestring)
    memset(pw->valuestring, 0, strlen(pw->valuestring));
  cJSON_Delete(body);
  free(username);
  if (rc != CLI_EXIT_OK)
    return rc;
  const cJSON *token = cJSON_GetObjectItemCaseSensitive(out, "token");
  const cJSON *user = cJSON_GetObjectItemCaseSensitive(out, "user");
  if (!cJSON_IsString(token)) {
    cJSON_Delete(out);
    return cli_fail(o, CLI_EXIT_FAILURE, "%s", _("De server gaf geen token terug."));
  }
  rc = cli_token_save(token->valuestring) < 0 ? CLI_EXIT_FAILURE : CLI_EXIT_OK;
  memset(token->valuestring, 0, strlen(token->valuestring));
  if (rc == CLI_EXIT_OK) {
    if (o->json) {
      cli_print_json(user);
    } else {
      printf(_("Aangemeld als %s (%s)."), cli_json_str(user, "username"),
             cli_role_name(cli_json_str(user, "role")));
      putchar('\n');
    }
  }
  cJSON_Delete(out);
  return rc;
}

static int run_logout(const struct cli_opts *o, const struct cli_args *a)
{
  (void)a;
  if (!o->token) {
    printf("%s\n", _("Je was niet aangemeld."));
    return CLI_EXIT_OK;
  }
  struct cli_call c = {.method = "POST", .path = "/v1/auth/logout", .quiet = 1};
  int rc = cli_api_call(o, &c);
  cJSON_Delete(c.out);
  /* a token the server no longer knows is as good as revoked */
  if (rc == CLI_EXIT_AUTH && c.status == 401)
    rc = CLI_EXIT_OK;
  /* the local copy goes in every case: that is what the person asked */
  if (o->token_stored && cli_token_remove() < 0 && rc == CLI_EXIT_OK)
    rc = CLI_EXIT_FAILURE;
  if (rc == CLI_EXIT_UNAVAILABLE)
    return cli_fail(o, rc,
                    _("De server op %s is niet bereikbaar: het token is hier gewist, maar niet "
                      "ingetrokken op de server."),
                    o->url);
  if (rc != CLI_EXIT_OK && rc != CLI_EXIT_FAILURE)
    return cli_fail(o, rc, "%s", _("Afmelden is niet gelukt op de server."));
  if (rc == CLI_EXIT_OK) {
    if (o->json)
      puts("{\"logged_out\":true}");
    else
      printf("%s\n", _("Afgemeld."));
  }
  return rc;
}

const struct cli_command cli_cmd_login = {
  "login", N_("[GEBRUIKERSNAAM]"),
  N_("meld je aan; het wachtwoord komt van de terminal of als één regel op stdin"),
  0, 1, NULL, 0, run_login,
};

const struct cli_command cli_cmd_logout = {
  "logout", "", N_("meld je af: trek het token in en wis het"), 0, 0, NULL, CLI_CMD_AUTH,
  run_logout,
};
