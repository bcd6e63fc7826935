#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

TestSuite(health, .init = setup, .fini = teardown, .timeout = 60);

static void get(const char *path, struct ts_http *h)
{
  char url[256];
  snprintf(url, sizeof url, "%s%s", api.url, path);
  cr_assert_eq(ts_request("GET", url, NULL, NULL, h), 0, "no answer from %s", url);
}

Test(health, healthz_answers_without_the_database)
{
  struct ts_http h;
  get("/healthz", &h);
  cr_assert_eq(h.status, 200);
  cr_assert_str_eq(cJSON_GetObjectItem(h.json, "status")->valuestring, "ok");
  ts_http_release(&h);
}

Test(health, readyz_checks_the_database)
{
  struct ts_http h;
  get("/readyz", &h);
  cr_assert_eq(h.status, 200, "%s", h.body);
  cr_assert_str_eq(cJSON_GetObjectItem(h.json, "database")->valuestring, "ok");
  ts_http_release(&h);
}

Test(health, unknown_path_is_404_problem)
{
  struct ts_http h;
  get("/nergens", &h);
  cr_assert_eq(h.status, 404);
  char *ct = ts_header(&h, "Content-Type");
  cr_assert_str_eq(ct, "application/problem+json");
  free(ct);
  cr_assert_str_eq(cJSON_GetObjectItem(h.json, "code")->valuestring, "not_found");
  cr_assert_eq(cJSON_GetObjectItem(h.json, "status")->valueint, 404);
  cr_assert(cJSON_IsString(cJSON_GetObjectItem(h.json, "type")));
  cr_assert(cJSON_IsString(cJSON_GetObjectItem(h.json, "title")));
  ts_http_release(&h);
}

Test(health, wrong_method_is_405_with_allow)
{
  char url[256];
  snprintf(url, sizeof url, "%s/healthz", api.url);
  struct ts_http h;
  cr_assert_eq(ts_request("POST", url, "{}", NULL, &h), 0);
  cr_assert_eq(h.status, 405);
  char *allow = ts_header(&h, "Allow");
  cr_assert_str_eq(allow, "GET");
  free(allow);
  cr_assert_str_eq(cJSON_GetObjectItem(h.json, "code")->valuestring, "method_not_allowed");
  ts_http_release(&h);
}

Test(health, keeps_the_connection_alive)
{
  /* two requests on one curl handle must reuse one TCP connection */
  char url[256];
  snprintf(url, sizeof url, "%s/healthz", api.url);
  struct ts_run r;
  const char *argv[] = {"/usr/bin/curl", "-sS", "-o", "/dev/null", "-o", "/dev/null", "-w",
                        "%{num_connects}\\n", url, url, NULL};
  ts_run(argv, NULL, &r);
  cr_assert_eq(r.exit_code, 0, "%s", r.err);
  cr_assert_str_eq(r.out, "1\n0\n", "connections opened per request: %s", r.out);
  ts_run_release(&r);
}

Test(health, readyz_follows_a_database_that_goes_away_and_comes_back)
{
  struct ts_cluster pg;
  ts_cluster_start(&pg);
  struct ts_api own;
  ts_api_start(&own, pg.conninfo, NULL);
  char url[256];
  snprintf(url, sizeof url, "%s/readyz", own.url);
  struct ts_http h;
  cr_assert_eq(ts_request("GET", url, NULL, NULL, &h), 0);
  cr_assert_eq(h.status, 200, "%s", h.body);
  ts_http_release(&h);

  ts_cluster_pause(&pg);
  cr_assert_eq(ts_request("GET", url, NULL, NULL, &h), 0);
  cr_assert_eq(h.status, 503, "%s", h.body);
  cr_assert_str_eq(cJSON_GetObjectItem(h.json, "code")->valuestring, "db_unavailable");
  char *retry = ts_header(&h, "Retry-After");
  cr_assert(retry);
  free(retry);
  ts_http_release(&h);

  /* the same server back on the same port: the API recovers by itself */
  ts_cluster_resume(&pg);
  long status = 0;
  for (int i = 0; i < 50 && status != 200; i++) {
    if (ts_request("GET", url, NULL, NULL, &h) == 0)
      status = h.status;
    ts_http_release(&h);
    if (status != 200)
      usleep(100000);
  }
  cr_assert_eq(status, 200, "the API did not recover within 5 s");
  ts_api_stop(&own);
  ts_cluster_remove(&pg);
}
