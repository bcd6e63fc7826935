#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tsupport.h"

static char *ci;
static struct ts_api api;

static void setup(void)
{
  ci = ts_db_create(1);
  ts_api_start(&api, ci, NULL);
}
static void teardown(void)
{
  ts_api_stop(&api);
  ts_db_drop(ci);
}

TestSuite(cli_status, .init = setup, .fini = teardown, .timeout = 60);

static void leen(struct ts_run *r, const char *url, const char *a1, const char *a2)
{
  char env_url[128];
  snprintf(env_url, sizeof env_url, "LEEN_URL=%s", url);
  const char *env[] = {env_url, "XDG_CONFIG_HOME=/nonexistent", NULL};
  const char *argv[] = {LEEN_CLI_BIN, a1, a2, NULL};
  ts_run(argv, env, r);
}

Test(cli_status, server_up)
{
  struct ts_run r;
  leen(&r, api.url, "status", NULL);
  cr_assert_eq(r.exit_code, 0, "%s", r.err);
  cr_assert(strstr(r.out, "draait en de databank is bereikbaar"), "%s", r.out);
  ts_run_release(&r);

  leen(&r, api.url, "--json", "status");
  cr_assert_eq(r.exit_code, 0);
  cJSON *j = cJSON_Parse(r.out);
  cr_assert(j, "not JSON: %s", r.out);
  cr_assert_str_eq(cJSON_GetObjectItem(j, "server")->valuestring, "up");
  cr_assert_str_eq(cJSON_GetObjectItem(j, "database")->valuestring, "up");
  cJSON_Delete(j);
  ts_run_release(&r);
}

Test(cli_status, server_down_exits_69)
{
  char url[64];
  snprintf(url, sizeof url, "http://127.0.0.1:%d", ts_free_port());
  struct ts_run r;
  leen(&r, url, "status", NULL);
  cr_assert_eq(r.exit_code, 69);
  cr_assert(strstr(r.err, "niet bereikbaar"), "%s", r.err);
  cr_assert_str_eq(r.out, "");
  ts_run_release(&r);
}

Test(cli_status, database_down_exits_69)
{
  struct ts_cluster pg;
  ts_cluster_start(&pg);
  struct ts_api own;
  ts_api_start(&own, pg.conninfo, NULL);
  ts_cluster_pause(&pg);
  struct ts_run r;
  leen(&r, own.url, "status", NULL);
  cr_assert_eq(r.exit_code, 69);
  cr_assert(strstr(r.err, "databank is niet bereikbaar"), "%s", r.err);
  ts_run_release(&r);
  ts_api_stop(&own);
  ts_cluster_remove(&pg);
}

Test(cli_status, usage_errors)
{
  struct ts_run r;
  leen(&r, api.url, "bestaat-niet", NULL);
  cr_assert_eq(r.exit_code, 2);
  cr_assert(strstr(r.err, "onbekend commando"), "%s", r.err);
  ts_run_release(&r);
  leen(&r, api.url, "--version", NULL);
  cr_assert_eq(r.exit_code, 0);
  cr_assert(strncmp(r.out, "leen ", 5) == 0, "%s", r.out);
  ts_run_release(&r);
  leen(&r, api.url, "--help", NULL);
  cr_assert_eq(r.exit_code, 0);
  cr_assert(strstr(r.out, "69"), "exit codes are listed: %s", r.out);
  ts_run_release(&r);
}
