/* Faults: PostgreSQL stops and starts under a stream of check-outs and
 * returns. While it is down every answer is 503 db_unavailable (never a
 * 500); after it is back leen-api serves again within 5 seconds without a
 * restart; and no loan that got a 201 is lost or made twice. The cluster
 * is a private one (ts_cluster_*), so no other suite is disturbed. */
#include <curl/curl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "at.h"
#include "leen/user.h"

#define ITEMS 8
#define OUTAGES 3
#define MAX_LOANS 20000

static struct ts_cluster cluster;
static struct at_env env;
static PGconn *db;

static const char seed[] =
    "INSERT INTO libraries (org_id, slug, name, kind, code_prefix)"
    "  VALUES (1, 'fietsbieb', 'Fietsbieb', 'fietsbieb', 'FB');"
    "INSERT INTO categories (library_id, name, deposit_cents, loan_days)"
    "  SELECT id, 'Fiets 16 inch', 2000, 365 FROM libraries;"
    "INSERT INTO items (library_id, category_id, number, code, name)"
    "  SELECT library_id, id, n, 'FB000' || n, 'fiets ' || n FROM categories,"
    "  generate_series(1, 8) AS n;"
    "INSERT INTO households (org_id, number, name) VALUES (1, 10001, 'Gezin Peeters');"
    "INSERT INTO memberships (household_id, library_id, valid_from, valid_until, slots, fee_cents,"
    "  reduction_cents)"
    "  SELECT h.id, l.id, current_date - 30, current_date + 300, 2, 2000, 0"
    "  FROM households h, libraries l;";

static void setup(void)
{
  ts_cluster_start(&cluster);
  db = ts_connect(cluster.conninfo);
  PGresult *r = PQexec(db, seed); /* several statements: the simple protocol */
  cr_assert_eq(PQresultStatus(r), PGRES_COMMAND_OK, "seed: %s", PQresultErrorMessage(r));
  PQclear(r);
  /* the user through core: at.c's users live in the shared cluster */
  struct leen_db *core;
  struct leen_err err;
  cr_assert_eq(leen_db_open(&core, cluster.conninfo, &err), 0, "%s", err.message);
  const char *libs[] = {"fietsbieb"};
  struct leen_user_new u = {.username = "vol", .password = AT_PASSWORD,
                            .role = LEEN_ROLE_VOLUNTEER, .libraries = libs, .nlibraries = 1};
  int64_t id;
  cr_assert_eq(leen_user_create(core, &u, &id, &err), 0, "%s", err.message);
  leen_db_close(core);
  const char *api_env[] = {"LEEN_QUIET=1", NULL};
  ts_api_start(&env.api, cluster.conninfo, api_env);
  env.token[AT_VOLUNTEER] = at_login(&env, "vol", AT_PASSWORD);
}

static void teardown(void)
{
  PQfinish(db);
  ts_api_stop(&env.api);
  ts_cluster_remove(&cluster);
  free(env.token[AT_VOLUNTEER]);
}

TestSuite(faults, .init = setup, .fini = teardown, .timeout = 120);

static int64_t now_ms(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The client: a volunteer at a counter who lends a bike, takes it back,
 * lends the next one, and after a 503 finds out (by reading its open
 * loans) whether the request went through before sending it again. */
struct answer {
  char method[8];
  char path[64];
  long status;
  char code[40];
};

struct client {
  CURL *curl;
  struct curl_slist *headers;
  char reply[8192];
  size_t len;
  long status;
  char code[40];
  cJSON *json;
  /* what it saw */
  long long loans[MAX_LOANS];      /* ids of check-outs answered 201 */
  int nloans;
  long long found[MAX_LOANS];      /* ids of check-outs answered 503 that had gone through */
  int nfound;
  int ok, unavailable, bad;
  struct answer first_bad;
  atomic_int stop;
  atomic_llong last_ok_ms;         /* when the last 2xx came */
};

static struct client cl;

static size_t collect(char *data, size_t size, size_t n, void *ctx)
{
  struct client *c = ctx;
  size_t len = size * n;
  size_t room = sizeof c->reply - 1 - c->len;
  size_t take = len < room ? len : room;
  memcpy(c->reply + c->len, data, take);
  c->len += take;
  c->reply[c->len] = '\0';
  return len;
}

/* One request; every answer is counted: 2xx, 503 db_unavailable, or bad. */
static long send_req(struct client *c, const char *method, const char *path, const char *body)
{
  char url[160];
  snprintf(url, sizeof url, "%s%s", env.api.url, path);
  c->len = 0;
  c->reply[0] = '\0';
  c->status = 0;
  c->code[0] = '\0';
  cJSON_Delete(c->json);
  c->json = NULL;
  curl_easy_setopt(c->curl, CURLOPT_URL, url);
  curl_easy_setopt(c->curl, CURLOPT_CUSTOMREQUEST, method);
  curl_easy_setopt(c->curl, CURLOPT_POSTFIELDS, body);
  if (!body)
    curl_easy_setopt(c->curl, CURLOPT_HTTPGET, 1L);
  if (curl_easy_perform(c->curl) == CURLE_OK)
    curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &c->status);
  c->json = cJSON_Parse(c->reply);
  const cJSON *code = cJSON_GetObjectItemCaseSensitive(c->json, "code");
  if (cJSON_IsString(code))
    snprintf(c->code, sizeof c->code, "%s", code->valuestring);
  if (c->status >= 200 && c->status < 300) {
    c->ok++;
    atomic_store(&c->last_ok_ms, now_ms());
  } else if (c->status == 503 && strcmp(c->code, "db_unavailable") == 0) {
    c->unavailable++;
  } else {
    if (c->bad++ == 0) {
      snprintf(c->first_bad.method, sizeof c->first_bad.method, "%s", method);
      snprintf(c->first_bad.path, sizeof c->first_bad.path, "%s", path);
      c->first_bad.status = c->status;
      snprintf(c->first_bad.code, sizeof c->first_bad.code, "%s", c->code);
    }
  }
  return c->status;
}

/* The open loan of item `code` (its id), 0 when there is none, or -1 when
 * the database did not answer. */
static long long open_loan(struct client *c, const char *code)
{
  if (send_req(c, "GET", "/v1/loans?household=10001&open=true", NULL) != 200)
    return -1;
  const cJSON *it;
  cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(c->json, "items"))
  {
    if (strcmp(cJSON_GetObjectItemCaseSensitive(it, "item")->valuestring, code) == 0)
      return (long long)cJSON_GetObjectItemCaseSensitive(it, "id")->valuedouble;
  }
  return 0;
}

static void pause_ms(int ms)
{
  struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000};
  nanosleep(&ts, NULL);
}

/* Lends item `code` until it is lent; records the loan. */
static void lend(struct client *c, const char *code)
{
  char body[96];
  snprintf(body, sizeof body, "{\"item\":\"%s\",\"household\":10001}", code);
  for (;;) {
    long st = send_req(c, "POST", "/v1/loans", body);
    if (st == 201) {
      const cJSON *id = cJSON_GetObjectItemCaseSensitive(c->json, "id");
      if (c->nloans < MAX_LOANS)
        c->loans[c->nloans++] = (long long)id->valuedouble;
      return;
    }
    if (st != 503)
      return; /* counted as bad; the check at the end fails */
    /* did it go through before the connection broke? */
    long long id;
    while ((id = open_loan(c, code)) < 0 && !atomic_load(&c->stop))
      pause_ms(20);
    if (id > 0) {
      if (c->nfound < MAX_LOANS)
        c->found[c->nfound++] = id;
      return;
    }
    if (atomic_load(&c->stop))
      return;
    pause_ms(20);
  }
}

/* Takes item `code` back until it is back. */
static void take_back(struct client *c, const char *code)
{
  char body[64];
  snprintf(body, sizeof body, "{\"item\":\"%s\"}", code);
  for (;;) {
    long st = send_req(c, "POST", "/v1/returns", body);
    if (st != 503)
      return; /* back, or counted as bad */
    long long id;
    while ((id = open_loan(c, code)) < 0 && !atomic_load(&c->stop))
      pause_ms(20);
    if (id == 0 || atomic_load(&c->stop))
      return;
    pause_ms(20);
  }
}

static void *counter(void *arg)
{
  struct client *c = arg;
  for (int i = 0; !atomic_load(&c->stop); i = (i + 1) % ITEMS) {
    char code[16];
    snprintf(code, sizeof code, "FB000%d", i + 1);
    lend(c, code);
    take_back(c, code);
  }
  return NULL;
}

static long status_of(const char *path)
{
  struct ts_http h;
  char url[160];
  snprintf(url, sizeof url, "%s%s", env.api.url, path);
  long st = ts_request("GET", url, NULL, NULL, &h) == 0 ? h.status : 0;
  ts_http_release(&h);
  return st;
}

Test(faults, a_restarted_database_loses_nothing_and_the_api_recovers)
{
  memset(&cl, 0, sizeof cl);
  cl.curl = curl_easy_init();
  char auth[128];
  snprintf(auth, sizeof auth, "Authorization: Bearer %s", env.token[AT_VOLUNTEER]);
  cl.headers = curl_slist_append(NULL, auth);
  cl.headers = curl_slist_append(cl.headers, "Content-Type: application/json");
  curl_easy_setopt(cl.curl, CURLOPT_HTTPHEADER, cl.headers);
  curl_easy_setopt(cl.curl, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(cl.curl, CURLOPT_WRITEDATA, &cl);
  curl_easy_setopt(cl.curl, CURLOPT_TIMEOUT, 20L);
  pthread_t t;
  pthread_create(&t, NULL, counter, &cl);

  int64_t worst_ms = 0;
  for (int outage = 0; outage < OUTAGES; outage++) {
    pause_ms(700);
    int before = cl.unavailable;
    ts_cluster_pause(&cluster);
    pause_ms(600);
    cr_assert_eq(status_of("/readyz"), 503, "outage %d: /readyz while down", outage);
    cr_assert_eq(status_of("/healthz"), 200, "outage %d: the process lives", outage);
    ts_cluster_resume(&cluster);
    int64_t back = now_ms();
    /* served again: the client gets a 2xx after the restart */
    while (atomic_load(&cl.last_ok_ms) < back && now_ms() - back < 10000)
      pause_ms(10);
    int64_t took = atomic_load(&cl.last_ok_ms) - back;
    cr_assert(took >= 0 && took < 5000, "outage %d: no 2xx within 5 s (%lld ms)", outage,
              (long long)took);
    cr_assert_gt(cl.unavailable, before, "outage %d: the client never saw the outage", outage);
    if (took > worst_ms)
      worst_ms = took;
  }
  pause_ms(500);
  atomic_store(&cl.stop, 1);
  pthread_join(t, NULL);
  cr_assert_eq(status_of("/readyz"), 200);

  cr_log_info("%d answers 2xx, %d answers 503 db_unavailable, %d others; back after %lld ms at "
              "worst; %d loans answered 201, %d committed under a 503",
              cl.ok, cl.unavailable, cl.bad, (long long)worst_ms, cl.nloans, cl.nfound);
  cr_assert_eq(cl.bad, 0, "%d answers were neither 2xx nor 503 db_unavailable; the first: %s %s"
               " -> %ld %s", cl.bad, cl.first_bad.method, cl.first_bad.path,
               cl.first_bad.status, cl.first_bad.code);
  cr_assert_gt(cl.nloans, 10);

  /* every loan that got a 201 is there, once; no loan exists that the
   * client did not learn of */
  PQfinish(db);
  db = ts_connect(cluster.conninfo);
  for (int i = 0; i < cl.nloans; i++) {
    char sql[96];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM loans WHERE id = %lld", cl.loans[i]);
    cr_assert_eq(ts_sql_int(db, sql), 1, "loan %lld answered 201 is gone", cl.loans[i]);
  }
  cr_assert_eq(ts_sql_int(db, "SELECT count(*) FROM loans"), cl.nloans + cl.nfound);
  cr_assert_leq(ts_sql_int(db, "SELECT count(*) FROM loans WHERE returned_at IS NULL"), 1);
  cr_assert_eq(ts_sql_int(db, "SELECT count(*) FROM (SELECT journal_id FROM ledger"
                              " GROUP BY journal_id HAVING sum(amount_cents) <> 0) j"),
               0);
  cr_assert_eq(ts_sql_int(db, "SELECT count(*) FROM ledger WHERE kind = 'deposit_taken'"),
               2 * (cl.nloans + cl.nfound));
  cJSON_Delete(cl.json);
  curl_slist_free_all(cl.headers);
  curl_easy_cleanup(cl.curl);
}
