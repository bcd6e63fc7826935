/* The server's own routes and limits: /metrics, /openapi.json against the
 * route table, users and pagination, header and body limits, slow clients. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "api.h"
#include "at.h"

static struct at_env env;

static void setup(void)
{
  const char *e[] = {"LEEN_REQUEST_TIMEOUT=2", "LEEN_IDLE_TIMEOUT=2", NULL};
  at_setup(&env, e, 1);
}
static void teardown(void) { at_teardown(&env); }

TestSuite(server, .init = setup, .fini = teardown, .timeout = 120);

static char *lower(const char *s)
{
  char *d = strdup(s);
  for (char *p = d; *p; p++)
    if (*p >= 'A' && *p <= 'Z')
      *p = (char)(*p - 'A' + 'a');
  return d;
}

Test(server, openapi_lists_exactly_the_route_table)
{
  struct ts_http h;
  at_call(&env, "GET", "/openapi.json", NULL, NULL, NULL, &h);
  cr_assert_eq(h.status, 200);
  cr_assert_str_eq(cJSON_GetObjectItem(h.json, "openapi")->valuestring, "3.1.0");
  cJSON *paths = cJSON_GetObjectItem(h.json, "paths");
  cr_assert(cJSON_IsObject(paths));
  /* table -> document */
  for (size_t i = 0; i < api_routes_count; i++) {
    const struct api_route *rt = &api_routes[i];
    char *m = lower(rt->method);
    cJSON *op = cJSON_GetObjectItem(cJSON_GetObjectItemCaseSensitive(paths, rt->pattern), m);
    cr_assert(op, "%s %s is not in /openapi.json", rt->method, rt->pattern);
    cr_assert_str_eq(cJSON_GetObjectItem(op, "summary")->valuestring, rt->summary);
    int secured = cJSON_GetArraySize(cJSON_GetObjectItem(op, "security")) > 0;
    cr_assert_eq(secured, rt->role != API_PUBLIC, "%s %s security", rt->method, rt->pattern);
    cr_assert_eq(cJSON_GetObjectItem(op, "requestBody") != NULL, (rt->flags & API_F_JSON) != 0);
    cr_assert(cJSON_GetObjectItem(cJSON_GetObjectItem(op, "responses"), "4XX"));
    free(m);
  }
  /* document -> table */
  int ops = 0;
  cJSON *path;
  cJSON_ArrayForEach(path, paths)
  {
    cJSON *op;
    cJSON_ArrayForEach(op, path)
    {
      int found = 0;
      for (size_t i = 0; i < api_routes_count && !found; i++) {
        char *m = lower(api_routes[i].method);
        found = strcmp(api_routes[i].pattern, path->string) == 0 && strcmp(m, op->string) == 0;
        free(m);
      }
      cr_assert(found, "%s %s is documented but not routed", op->string, path->string);
      ops++;
    }
  }
  cr_assert_eq(ops, (int)api_routes_count);
  cJSON *problem = cJSON_GetObjectItem(
      cJSON_GetObjectItem(cJSON_GetObjectItem(h.json, "components"), "schemas"), "Problem");
  cr_assert(problem);
  cJSON *bearer = cJSON_GetObjectItem(
      cJSON_GetObjectItem(cJSON_GetObjectItem(h.json, "components"), "securitySchemes"),
      "bearer");
  cr_assert_str_eq(cJSON_GetObjectItem(bearer, "scheme")->valuestring, "bearer");
  ts_http_release(&h);
}

/* The value of the sample line "<series> <value>", or -1. */
static long long metric(const char *text, const char *series)
{
  size_t n = strlen(series);
  const char *line = text;
  while (line && *line) {
    if (strncmp(line, series, n) == 0 && line[n] == ' ')
      return strtoll(line + n + 1, NULL, 10);
    line = strchr(line, '\n');
    if (line)
      line++;
  }
  return -1;
}

Test(server, metrics_count_requests_by_route_and_status)
{
  struct ts_http h;
  for (int i = 0; i < 3; i++) {
    at_call(&env, "GET", "/v1/me", env.token[AT_VOLUNTEER], NULL, NULL, &h);
    ts_http_release(&h);
  }
  at_call(&env, "GET", "/v1/me", NULL, NULL, NULL, &h);
  ts_http_release(&h);
  at_call(&env, "GET", "/nergens", NULL, NULL, NULL, &h);
  ts_http_release(&h);
  at_call(&env, "GET", "/metrics", NULL, NULL, NULL, &h);
  cr_assert_eq(h.status, 200);
  char *ct = ts_header(&h, "Content-Type");
  cr_assert(strncmp(ct, "text/plain", 10) == 0, "%s", ct);
  free(ct);
  cr_assert_eq(metric(h.body, "leen_http_requests_total{method=\"GET\",route=\"/v1/me\","
                              "status=\"200\"}"),
               3, "%s", h.body);
  cr_assert_eq(metric(h.body, "leen_http_requests_total{method=\"GET\",route=\"/v1/me\","
                              "status=\"401\"}"),
               1);
  cr_assert_eq(metric(h.body, "leen_http_requests_total{method=\"\",route=\"\",status=\"404\"}"),
               1);
  cr_assert_eq(metric(h.body, "leen_http_request_duration_seconds_count{method=\"GET\","
                              "route=\"/v1/me\"}"),
               4);
  cr_assert_eq(metric(h.body, "leen_http_request_duration_seconds_bucket{method=\"GET\","
                              "route=\"/v1/me\",le=\"+Inf\"}"),
               4);
  cr_assert(strstr(h.body, "# TYPE leen_http_request_duration_seconds histogram"));
  cr_assert(metric(h.body, "leen_db_connections") >= 1);
  cr_assert_eq(metric(h.body, "leen_db_connections_in_use"), 0);
  ts_http_release(&h);
}

Test(server, users_are_created_listed_and_paged)
{
  struct ts_http h;
  /* a password that looks like SQL round-trips byte for byte */
  static const char pw[] = "'); DROP TABLE users; -- \\\"é€😀";
  cJSON *b = cJSON_CreateObject();
  cJSON_AddStringToObject(b, "username", "o.brien-2@lib");
  cJSON_AddStringToObject(b, "password", pw);
  cJSON_AddStringToObject(b, "role", "coordinator");
  cJSON_AddItemToObject(b, "libraries", cJSON_CreateStringArray((const char *[]){"babytheek",
                                                                                 "fietsbieb"},
                                                                2));
  char *body = cJSON_PrintUnformatted(b);
  cJSON_Delete(b);
  at_call(&env, "POST", "/v1/users", env.token[AT_ADMIN], body, NULL, &h);
  free(body);
  cr_assert_eq(h.status, 201, "%s", h.body);
  cr_assert_str_eq(cJSON_GetObjectItem(h.json, "username")->valuestring, "o.brien-2@lib");
  cr_assert_str_eq(cJSON_GetObjectItem(h.json, "role")->valuestring, "coordinator");
  cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(h.json, "libraries")), 2);
  ts_http_release(&h);
  char *token = at_login(&env, "o.brien-2@lib", pw);
  free(token);

  /* 5 users now: pages of 2 */
  char path[256] = "/v1/users?limit=2";
  int seen = 0, pages = 0;
  for (;;) {
    at_call(&env, "GET", path, env.token[AT_ADMIN], NULL, NULL, &h);
    cr_assert_eq(h.status, 200, "%s", h.body);
    seen += cJSON_GetArraySize(cJSON_GetObjectItem(h.json, "items"));
    pages++;
    cJSON *next = cJSON_GetObjectItem(h.json, "next_cursor");
    if (cJSON_IsNull(next)) {
      ts_http_release(&h);
      break;
    }
    cr_assert(cJSON_IsString(next));
    snprintf(path, sizeof path, "/v1/users?limit=2&cursor=%s", next->valuestring);
    ts_http_release(&h);
  }
  cr_assert_eq(seen, 5);
  cr_assert_eq(pages, 3);
  at_call(&env, "GET", "/v1/users", env.token[AT_ADMIN], NULL, NULL, &h);
  cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(h.json, "items")), 5);
  cr_assert(cJSON_IsNull(cJSON_GetObjectItem(h.json, "next_cursor")));
  ts_http_release(&h);
}

Test(server, user_errors_name_their_fields)
{
  struct ts_http h;
  at_call(&env, "POST", "/v1/users", env.token[AT_ADMIN],
          "{\"username\":\"vol\",\"password\":\"long-enough\",\"role\":\"volunteer\"}", NULL, &h);
  cr_assert_eq(h.status, 409, "%s", h.body);
  cr_assert_str_eq(at_code(&h), "conflict");
  ts_http_release(&h);
  at_call(&env, "POST", "/v1/users", env.token[AT_ADMIN],
          "{\"username\":\"x\",\"password\":\"long-enough\",\"role\":\"volunteer\","
          "\"libraries\":[\"nergens\"]}",
          NULL, &h);
  cr_assert_eq(h.status, 404, "%s", h.body);
  cr_assert_str_eq(
      cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(h.json, "errors"), 0), "pointer")
          ->valuestring,
      "/libraries");
  ts_http_release(&h);
  at_call(&env, "POST", "/v1/users", env.token[AT_ADMIN],
          "{\"username\":\"x\",\"password\":\"short\",\"role\":\"volunteer\"}", NULL, &h);
  cr_assert_eq(h.status, 422, "%s", h.body);
  ts_http_release(&h);
  PGconn *c = ts_connect(env.ci);
  cr_assert_eq(ts_sql_int(c, "SELECT count(*) FROM users"), 4);
  PQfinish(c);
}

/* Connects and sends the start of a request, then nothing more. */
static int slow_client(int port)
{
  int s = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  cr_assert_eq(connect(s, (struct sockaddr *)&a, sizeof a), 0);
  const char start[] = "GET /healthz HTTP/1.1\r\nHost: x\r\n";
  cr_assert_eq(send(s, start, sizeof start - 1, 0), (ssize_t)(sizeof start - 1));
  return s;
}

static double now_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

Test(server, slow_clients_neither_block_others_nor_stay_forever)
{
  enum { SLOW = 40 };
  int fds[SLOW];
  for (int i = 0; i < SLOW; i++)
    fds[i] = slow_client(env.api.port);
  /* every client trickles a header byte each 300 ms: never idle, never done */
  double start = now_s(), worst = 0;
  int open = SLOW;
  while (now_s() - start < 5.0) {
    double t = now_s();
    struct ts_http h;
    at_call(&env, "GET", "/healthz", NULL, NULL, NULL, &h);
    cr_assert_eq(h.status, 200);
    ts_http_release(&h);
    if (now_s() - t > worst)
      worst = now_s() - t;
    open = 0;
    for (int i = 0; i < SLOW; i++) {
      if (fds[i] < 0)
        continue;
      char buf[64];
      struct pollfd p = {fds[i], POLLIN, 0};
      if ((poll(&p, 1, 0) == 1 && recv(fds[i], buf, sizeof buf, MSG_DONTWAIT) <= 0) ||
          send(fds[i], "X", 1, MSG_NOSIGNAL) < 0) {
        close(fds[i]);
        fds[i] = -1;
        continue;
      }
      open++;
    }
    usleep(300000);
  }
  for (int i = 0; i < SLOW; i++)
    if (fds[i] >= 0)
      close(fds[i]);
  cr_assert(worst < 1.0, "a normal request took %.3f s beside slow clients", worst);
  /* LEEN_REQUEST_TIMEOUT=2: all of them were cut within the 5 s */
  cr_assert_eq(open, 0, "%d slow connections still open", open);
  struct ts_http h;
  at_call(&env, "GET", "/metrics", NULL, NULL, NULL, &h);
  cr_assert(metric(h.body, "leen_request_timeouts_total") >= SLOW, "%s", h.body);
  ts_http_release(&h);
}

Test(server, a_40_kb_header_gets_431)
{
  size_t n = 40 * 1024;
  char *big = malloc(n + 16);
  memcpy(big, "X-Big: ", 7);
  memset(big + 7, 'x', n);
  big[7 + n] = '\0';
  const char *hl[] = {big, NULL};
  struct ts_http h;
  at_call(&env, "GET", "/healthz", NULL, NULL, hl, &h);
  /* libmicrohttpd answers this itself, with an HTML body */
  cr_assert_eq(h.status, 431, "%ld", h.status);
  ts_http_release(&h);
  free(big);
  at_call(&env, "GET", "/healthz", NULL, NULL, NULL, &h);
  cr_assert_eq(h.status, 200);
  ts_http_release(&h);
}

Test(server, head_answers_like_get_without_a_body)
{
  struct ts_http h;
  at_call(&env, "HEAD", "/healthz", NULL, NULL, NULL, &h);
  cr_assert_eq(h.status, 200);
  cr_assert_eq(h.len, 0);
  ts_http_release(&h);
}

/* @redocly/cli from npm checks the document against OpenAPI 3.1 and its
 * recommended rules; skipped where npx or the registry cannot be had. */
Test(server, openapi_passes_redocly_lint, .timeout = 400)
{
  if (access("/usr/bin/npx", X_OK) != 0)
    cr_skip_test("npx is not installed");
  struct ts_http h;
  at_call(&env, "GET", "/openapi.json", NULL, NULL, NULL, &h);
  cr_assert_eq(h.status, 200);
  char path[300];
  snprintf(path, sizeof path, "%s/tests/openapi-%d.json", LEEN_BINARY_DIR, (int)getpid());
  FILE *f = fopen(path, "w");
  cr_assert(f);
  fwrite(h.body, 1, h.len, f);
  fclose(f);
  ts_http_release(&h);
  /* the project has no license to name yet */
  const char *argv[] = {"/usr/bin/npx", "--yes", "@redocly/cli@2.77.0", "lint",
                        "--skip-rule", "info-license", path, NULL};
  struct ts_run r;
  ts_run(argv, NULL, &r);
  unlink(path);
  if (r.exit_code != 0 && strstr(r.err, "npm error") && !strstr(r.err, "validating")) {
    ts_run_release(&r);
    cr_skip_test("@redocly/cli could not be fetched from npm");
  }
  cr_assert_eq(r.exit_code, 0, "redocly lint:\n%s\n%s", r.out, r.err);
  ts_run_release(&r);
}
