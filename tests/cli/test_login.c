/* leen login / logout / status against a running leen-api: the token file
 * (mode 0600, never a flag value), wrong passwords, expired tokens, the
 * server down, and English with LANGUAGE=en. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ct.h"

static struct ct_env e;
static void setup(void) { ct_setup(&e); }
static void teardown(void) { ct_teardown(&e); }
TestSuite(cli_login, .init = setup, .fini = teardown, .timeout = 120);

/* Runs `printf '%s\n' PASSWORD | leen [args]` with the stored token only. */
static void leen_stdin(const char *password, const char *args, const char *extra_env,
                       struct ts_run *r)
{
  char url[96], home[128], pw[128], script[512];
  snprintf(url, sizeof url, "LEEN_URL=%s", e.api.url);
  snprintf(home, sizeof home, "XDG_CONFIG_HOME=%s", e.home);
  snprintf(pw, sizeof pw, "PW=%s", password);
  snprintf(script, sizeof script, "printf '%%s\\n' \"$PW\" | '%s' %s", LEEN_CLI_BIN, args);
  const char *env[] = {url, home, pw, "LEEN_TOKEN=", "LANG=C", "LC_ALL=",
                       extra_env ? extra_env : "LANGUAGE=", NULL};
  const char *argv[] = {"/bin/sh", "-c", script, NULL};
  ts_run(argv, env, r);
}

static char *token_path(void)
{
  static char p[160];
  snprintf(p, sizeof p, "%s/leen/token", e.home);
  return p;
}

Test(cli_login, login_stores_token_0600_and_logout_revokes_it)
{
  struct ts_run r;
  leen_stdin(CT_PASSWORD, "login vol", NULL, &r);
  cr_assert_eq(r.exit_code, 0, "%s", r.err);
  cr_assert_str_eq(r.out, "Aangemeld als vol (vrijwilliger).\n");
  cr_assert_str_eq(r.err, "");
  ts_run_release(&r);

  struct stat st;
  cr_assert_eq(stat(token_path(), &st), 0);
  cr_assert_eq(st.st_mode & 0777, 0600, "mode %o", st.st_mode & 0777);
  size_t len;
  char *token = ts_read_file(token_path(), &len);
  cr_assert_eq(len, 44, "a 43-character token and a newline: %zu", len);

  /* the stored token works (status shows who is logged in) */
  leen_stdin("", "status", NULL, &r);
  cr_assert_eq(r.exit_code, 0, "%s", r.err);
  cr_assert(strstr(r.out, "Aangemeld als vol (vrijwilliger)."), "%s", r.out);
  ts_run_release(&r);
  leen_stdin("", "--json status", NULL, &r);
  cJSON *j = ct_json(&r);
  cr_assert_str_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "user"), "role")->valuestring,
                   "volunteer");
  cJSON_Delete(j);
  ts_run_release(&r);

  leen_stdin("", "logout", NULL, &r);
  cr_assert_eq(r.exit_code, 0, "%s", r.err);
  cr_assert_str_eq(r.out, "Afgemeld.\n");
  ts_run_release(&r);
  cr_assert_neq(access(token_path(), F_OK), 0, "the token file is gone");
  cr_assert_eq(ct_sql_int(&e, "SELECT count(*) FROM api_tokens WHERE revoked_at IS NOT NULL"), 1);

  /* the revoked token, given another way, is refused: exit 5 */
  char tf[200];
  snprintf(tf, sizeof tf, "%s/old-token", e.home);
  FILE *f = fopen(tf, "w");
  fputs(token, f);
  fclose(f);
  free(token);
  const char *args[] = {"--token-file", tf, "status", NULL};
  ct_leenv(&e, CT_NONE, NULL, args, &r);
  cr_assert_eq(r.exit_code, 5, "%s", r.err);
  cr_assert(strstr(r.err, "Je aanmelding is verlopen of ongeldig"), "%s", r.err);
  ts_run_release(&r);

  /* logging out twice is fine */
  leen_stdin("", "logout", NULL, &r);
  cr_assert_eq(r.exit_code, 0, "%s", r.err);
  cr_assert_str_eq(r.out, "Je was niet aangemeld.\n");
  ts_run_release(&r);
}

Test(cli_login, wrong_password_exits_5)
{
  struct ts_run r;
  leen_stdin("not-the-password", "login coord", NULL, &r);
  cr_assert_eq(r.exit_code, 5);
  cr_assert_str_eq(r.out, "");
  cr_assert(strncmp(r.err,
                    "leen: Je bent niet aangemeld of je aanmelding is verlopen. Meld je aan met: leen login\n",
                    86) == 0,
            "%s", r.err);
  ts_run_release(&r);
  cr_assert_neq(access(token_path(), F_OK), 0);
}

Test(cli_login, no_username_or_password_is_usage)
{
  struct ts_run r;
  leen_stdin("", "login", NULL, &r);
  cr_assert_eq(r.exit_code, 2);
  cr_assert(strstr(r.err, "geef je gebruikersnaam"), "%s", r.err);
  ts_run_release(&r);
  leen_stdin("", "login vol", NULL, &r);
  cr_assert_eq(r.exit_code, 2);
  cr_assert(strstr(r.err, "geen wachtwoord gegeven"), "%s", r.err);
  ts_run_release(&r);
  /* the token is never a flag value */
  ct_leen(&e, CT_NONE, &r, "--token", "abc", "status");
  cr_assert_eq(r.exit_code, 2);
  cr_assert(strstr(r.err, "onbekende optie \"--token\""), "%s", r.err);
  ts_run_release(&r);
}

Test(cli_login, json_login_prints_the_user_not_the_token)
{
  struct ts_run r;
  leen_stdin(CT_PASSWORD, "--json login sw", NULL, &r);
  cr_assert_eq(r.exit_code, 0, "%s", r.err);
  cJSON *j = ct_json(&r);
  cr_assert_str_eq(cJSON_GetObjectItem(j, "username")->valuestring, "sw");
  cr_assert_str_eq(cJSON_GetObjectItem(j, "role")->valuestring, "social_worker");
  cr_assert_null(cJSON_GetObjectItem(j, "token"));
  cJSON_Delete(j);
  ts_run_release(&r);
  leen_stdin("", "logout", NULL, &r);
  ts_run_release(&r);
}

Test(cli_login, expired_token_exits_5)
{
  char *t = NULL;
  {
    struct ts_run r;
    leen_stdin(CT_PASSWORD, "login admin", NULL, &r);
    cr_assert_eq(r.exit_code, 0, "%s", r.err);
    ts_run_release(&r);
    t = ts_read_file(token_path(), NULL);
  }
  PGconn *c = ts_connect(e.ci);
  PQclear(ts_sql(c,
                 "UPDATE api_tokens SET expires_at = now() - interval '1 minute'"
                 " WHERE user_id = (SELECT id FROM users WHERE username = 'admin')",
                 0, NULL));
  PQfinish(c);
  struct ts_run r;
  leen_stdin("", "status", NULL, &r);
  cr_assert_eq(r.exit_code, 5, "%s", r.err);
  cr_assert(strstr(r.out, "draait en de databank is bereikbaar"), "%s", r.out);
  cr_assert_str_eq(r.err,
                   "leen: Je aanmelding is verlopen of ongeldig. Meld je opnieuw aan met: leen login\n");
  ts_run_release(&r);
  free(t);
  leen_stdin("", "logout", NULL, &r);
  cr_assert_eq(r.exit_code, 0, "an expired token logs out fine: %s", r.err);
  ts_run_release(&r);
}

Test(cli_login, not_logged_in_exits_5_before_any_request)
{
  struct ts_run r;
  ct_leen(&e, CT_NONE, &r, "loans");
  cr_assert_eq(r.exit_code, 5);
  cr_assert_str_eq(r.err, "leen: Je bent niet aangemeld. Meld je aan met: leen login\n");
  cr_assert_str_eq(r.out, "");
  ts_run_release(&r);
}

Test(cli_login, server_down_exits_69)
{
  char url[64];
  snprintf(url, sizeof url, "LEEN_URL=http://127.0.0.1:%d", ts_free_port());
  const char *env[] = {url, NULL};
  const char *args[] = {"checkout", "FB0001", "10042", NULL};
  struct ts_run r;
  ct_leenv(&e, CT_VOLUNTEER, env, args, &r);
  cr_assert_eq(r.exit_code, 69);
  cr_assert(strstr(r.err, "leen: De server op http://127.0.0.1:"), "%s", r.err);
  cr_assert(strstr(r.err, "is niet bereikbaar"), "%s", r.err);
  cr_assert_str_eq(r.out, "");
  ts_run_release(&r);
}

Test(cli_login, english_with_language_en)
{
  struct ts_run r;
  leen_stdin(CT_PASSWORD, "login vol", "LANGUAGE=en", &r);
  cr_assert_eq(r.exit_code, 0, "%s", r.err);
  cr_assert_str_eq(r.out, "Logged in as vol (volunteer).\n");
  ts_run_release(&r);
  leen_stdin("", "--help", "LANGUAGE=en", &r);
  cr_assert_eq(r.exit_code, 0);
  cr_assert(strstr(r.out, "Exit codes: 0 success"), "%s", r.out);
  ts_run_release(&r);
  leen_stdin("", "logout", "LANGUAGE=en", &r);
  cr_assert_str_eq(r.out, "Logged out.\n");
  ts_run_release(&r);
}

Test(cli_login, usage_and_help)
{
  struct ts_run r;
  ct_leen(&e, CT_NONE, &r, "item");
  cr_assert_eq(r.exit_code, 2);
  cr_assert(strstr(r.err, "leen item set-status"), "%s", r.err);
  ts_run_release(&r);
  ct_leen(&e, CT_NONE, &r, "checkout", "--help");
  cr_assert_eq(r.exit_code, 0);
  cr_assert(strstr(r.out, "gebruik: leen checkout VOORWERP LIDNUMMER"), "%s", r.out);
  ts_run_release(&r);
  ct_leen(&e, CT_NONE, &r, "checkout", "FB0001");
  cr_assert_eq(r.exit_code, 2);
  cr_assert(strstr(r.err, "te weinig argumenten"), "%s", r.err);
  ts_run_release(&r);
  ct_leen(&e, CT_NONE, &r, "return", "FB0001", "--withhold", "5");
  cr_assert_eq(r.exit_code, 2);
  cr_assert_str_eq(r.err, "leen: wie waarborg inhoudt, geeft een reden met --reason\n");
  ts_run_release(&r);
  ct_leen(&e, CT_NONE, &r, "return", "FB0001", "--condition", "stuk");
  cr_assert_eq(r.exit_code, 2);
  ts_run_release(&r);
  ct_leen(&e, CT_NONE, &r, "item", "show", "FB1", "--bogus");
  cr_assert_eq(r.exit_code, 2);
  cr_assert(strstr(r.err, "onbekende optie \"--bogus\""), "%s", r.err);
  ts_run_release(&r);
  ct_leen(&e, CT_NONE, &r, "status", "--csv");
  cr_assert_eq(r.exit_code, 2);
  ts_run_release(&r);
}

/* Colour only on a terminal, never with NO_COLOR (script(1) gives the
 * CLI a terminal). */
Test(cli_login, colour_only_on_a_terminal)
{
  char script[300];
  snprintf(script, sizeof script, "script -qec \"'%s' pay 1 twintig\" /dev/null", LEEN_CLI_BIN);
  const char *argv[] = {"/bin/sh", "-c", script, NULL};
  const char *env[] = {"NO_COLOR=", "LANGUAGE=", "LANG=C", "LC_ALL=", NULL};
  struct ts_run r;
  ts_run(argv, env, &r);
  cr_assert(strstr(r.out, "\033[31mleen:\033[0m \"twintig\" is geen bedrag"), "%s", r.out);
  ts_run_release(&r);
  const char *no_color[] = {"NO_COLOR=1", "LANGUAGE=", "LANG=C", "LC_ALL=", NULL};
  ts_run(argv, no_color, &r);
  cr_assert(strstr(r.out, "leen: \"twintig\" is geen bedrag"), "%s", r.out);
  cr_assert_null(strchr(r.out, '\033'), "%s", r.out);
  ts_run_release(&r);
  /* through a pipe: no colour either */
  ct_leen(&e, CT_NONE, &r, "pay", "1", "twintig");
  cr_assert_null(strchr(r.err, '\033'), "%s", r.err);
  ts_run_release(&r);
}
