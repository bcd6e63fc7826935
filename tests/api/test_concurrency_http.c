/* Concurrency over HTTP: two counters check out the same item at the same
 * moment, 500 times; exactly one wins each round and the ledger stays
 * balanced. And one check-out sent twice at once with one Idempotency-Key
 * lends once. Each thread has its own curl handle; a barrier releases
 * both requests together. */
#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "at.h"

#define ROUNDS 500
#define IDEM_ROUNDS 100

static struct at_env env;
static PGconn *db;

/* One library, one bike and two member households with one slot each. */
static const char seed[] =
    "INSERT INTO categories (library_id, name, deposit_cents, loan_days)"
    "  SELECT id, 'Fiets 16 inch', 2000, 365 FROM libraries WHERE slug = 'fietsbieb';"
    "INSERT INTO items (library_id, category_id, number, code, name)"
    "  SELECT library_id, id, 1, 'FB0001', 'Btwin 16 rood' FROM categories;"
    "INSERT INTO households (org_id, number, name) VALUES (1, 10001, 'Gezin Peeters'),"
    "  (1, 10002, 'Gezin Janssens');"
    "INSERT INTO memberships (household_id, library_id, valid_from, valid_until, slots, fee_cents,"
    "  reduction_cents)"
    "  SELECT h.id, l.id, current_date - 30, current_date + 300, 1, 2000, 0"
    "  FROM households h, libraries l WHERE l.slug = 'fietsbieb';";

static void setup(void)
{
  at_setup(&env, NULL, 0);
  db = ts_connect(env.ci);
  PGresult *r = PQexec(db, seed); /* several statements: the simple protocol */
  cr_assert_eq(PQresultStatus(r), PGRES_COMMAND_OK, "seed: %s", PQresultErrorMessage(r));
  PQclear(r);
  env.token[AT_VOLUNTEER] = at_login(&env, "vol", AT_PASSWORD);
  env.token[AT_COORDINATOR] = at_login(&env, "coord", AT_PASSWORD);
  env.token[AT_ADMIN] = at_login(&env, "admin", AT_PASSWORD);
}

static void teardown(void)
{
  PQfinish(db);
  at_teardown(&env);
}

TestSuite(concurrency_http, .init = setup, .fini = teardown, .timeout = 120);

/* A counter: its own curl handle, token and request. */
struct client {
  CURL *curl;
  struct curl_slist *headers;
  char url[128];
  char body[128];
  char reply[4096];
  size_t len;
  long status;
  char code[40];
  long long loan_id;
  int replayed;          /* the answer carried Idempotent-Replayed: true */
  char token[64];
};

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

static size_t header(char *data, size_t size, size_t n, void *ctx)
{
  struct client *c = ctx;
  static const char want[] = "idempotent-replayed: true";
  size_t len = size * n;
  if (len >= sizeof want - 1 && strncasecmp(data, want, sizeof want - 1) == 0)
    c->replayed = 1;
  return len;
}

/* Authorization and Content-Type, and the Idempotency-Key when given. */
static void client_headers(struct client *c, const char *key)
{
  char h[256];
  curl_slist_free_all(c->headers);
  snprintf(h, sizeof h, "Authorization: Bearer %s", c->token);
  c->headers = curl_slist_append(NULL, h);
  c->headers = curl_slist_append(c->headers, "Content-Type: application/json");
  if (key) {
    snprintf(h, sizeof h, "Idempotency-Key: %s", key);
    c->headers = curl_slist_append(c->headers, h);
  }
  curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, c->headers);
}

static void client_init(struct client *c, const char *path, const char *token, const char *body,
                        const char *key)
{
  memset(c, 0, sizeof *c);
  c->curl = curl_easy_init();
  cr_assert(c->curl);
  snprintf(c->url, sizeof c->url, "%s%s", env.api.url, path);
  snprintf(c->body, sizeof c->body, "%s", body);
  snprintf(c->token, sizeof c->token, "%s", token);
  client_headers(c, key);
  curl_easy_setopt(c->curl, CURLOPT_URL, c->url);
  curl_easy_setopt(c->curl, CURLOPT_HEADERFUNCTION, header);
  curl_easy_setopt(c->curl, CURLOPT_HEADERDATA, c);
  curl_easy_setopt(c->curl, CURLOPT_POSTFIELDS, c->body);
  curl_easy_setopt(c->curl, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(c->curl, CURLOPT_WRITEDATA, c);
  curl_easy_setopt(c->curl, CURLOPT_TIMEOUT, 30L);
  /* a new connection each time lets the server's accept hand the two
   * requests to different worker threads, so they truly meet in the
   * database instead of queueing on one thread */
  curl_easy_setopt(c->curl, CURLOPT_FORBID_REUSE, 1L);
}

static void client_free(struct client *c)
{
  curl_slist_free_all(c->headers);
  curl_easy_cleanup(c->curl);
}

/* Sends the request; fills status, code (of a problem) and loan_id (of
 * a 201). Runs on the worker threads: no cr_assert here. */
static void client_send(struct client *c)
{
  c->len = 0;
  c->reply[0] = '\0';
  c->status = 0;
  c->code[0] = '\0';
  c->loan_id = 0;
  c->replayed = 0;
  if (curl_easy_perform(c->curl) != CURLE_OK)
    return;
  curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &c->status);
  cJSON *j = cJSON_Parse(c->reply);
  const cJSON *code = cJSON_GetObjectItemCaseSensitive(j, "code");
  const cJSON *id = cJSON_GetObjectItemCaseSensitive(j, "id");
  if (cJSON_IsString(code))
    snprintf(c->code, sizeof c->code, "%s", code->valuestring);
  if (cJSON_IsNumber(id))
    c->loan_id = (long long)id->valuedouble;
  cJSON_Delete(j);
}

struct race {
  pthread_barrier_t start, done;
  int rounds;
};

static struct race race;

static void *counter(void *arg)
{
  struct client *c = arg;
  for (int i = 0; i < race.rounds; i++) {
    pthread_barrier_wait(&race.start);
    client_send(c);
    pthread_barrier_wait(&race.done);
  }
  return NULL;
}

static long long q_count(const char *sql) { return ts_sql_int(db, sql); }

/* Takes FB0001 back as the admin (the third counter). */
static void give_back(struct client *back)
{
  client_send(back);
  cr_assert_eq(back->status, 200, "return: %ld %s", back->status, back->reply);
}

static void ledger_consistent(long long loans)
{
  cr_assert_eq(q_count("SELECT count(*) FROM loans"), loans);
  cr_assert_eq(q_count("SELECT count(*) FROM loans WHERE returned_at IS NULL"), 0);
  cr_assert_eq(q_count("SELECT count(*) FROM (SELECT journal_id FROM ledger GROUP BY journal_id"
                       " HAVING sum(amount_cents) <> 0) j"),
               0);
  cr_assert_eq(q_count("SELECT count(DISTINCT journal_id) FROM ledger"
                       " WHERE kind = 'deposit_taken'"),
               loans);
  cr_assert_eq(q_count("SELECT coalesce(sum(amount_cents), 0) FROM ledger"
                       " WHERE account = 'deposits_held'"),
               0);
}

Test(concurrency_http, two_counters_one_bike_one_winner)
{
  struct client c[2], back;
  client_init(&c[0], "/v1/loans", env.token[AT_VOLUNTEER],
              "{\"item\":\"FB0001\",\"household\":10001}", NULL);
  client_init(&c[1], "/v1/loans", env.token[AT_COORDINATOR],
              "{\"item\":\"FB0001\",\"household\":10002}", NULL);
  client_init(&back, "/v1/returns", env.token[AT_ADMIN], "{\"item\":\"FB0001\"}", NULL);
  race.rounds = ROUNDS;
  pthread_barrier_init(&race.start, NULL, 3);
  pthread_barrier_init(&race.done, NULL, 3);
  pthread_t t[2];
  for (int i = 0; i < 2; i++)
    pthread_create(&t[i], NULL, counter, &c[i]);
  int wins[2] = {0, 0};
  for (int round = 0; round < ROUNDS; round++) {
    pthread_barrier_wait(&race.start);
    pthread_barrier_wait(&race.done);
    int w = c[0].status == 201 ? 0 : 1;
    struct client *win = &c[w], *lose = &c[1 - w];
    cr_assert_eq(win->status, 201, "round %d: %ld %s / %ld %s", round, c[0].status, c[0].reply,
                 c[1].status, c[1].reply);
    cr_assert_eq(lose->status, 409, "round %d: %ld %s", round, lose->status, lose->reply);
    cr_assert_str_eq(lose->code, "item_not_available", "round %d: %s", round, lose->reply);
    cr_assert_eq(q_count("SELECT count(*) FROM loans WHERE returned_at IS NULL"), 1,
                 "round %d", round);
    char sql[160];
    snprintf(sql, sizeof sql,
             "SELECT h.number FROM loans l JOIN households h ON h.id = l.household_id"
             " WHERE l.id = %lld AND l.returned_at IS NULL", win->loan_id);
    cr_assert_eq(q_count(sql), w == 0 ? 10001 : 10002, "round %d", round);
    wins[w]++;
    give_back(&back);
  }
  for (int i = 0; i < 2; i++)
    pthread_join(t[i], NULL);
  pthread_barrier_destroy(&race.start);
  pthread_barrier_destroy(&race.done);
  cr_log_info("%d rounds: counter A won %d, counter B won %d", ROUNDS, wins[0], wins[1]);
  ledger_consistent(ROUNDS);
  for (int i = 0; i < 2; i++)
    client_free(&c[i]);
  client_free(&back);
}

Test(concurrency_http, one_key_sent_twice_at_once_lends_once)
{
  struct client c[2], back;
  static const char body[] = "{\"item\":\"FB0001\",\"household\":10001}";
  client_init(&c[0], "/v1/loans", env.token[AT_VOLUNTEER], body, "k");
  client_init(&c[1], "/v1/loans", env.token[AT_VOLUNTEER], body, "k");
  client_init(&back, "/v1/returns", env.token[AT_ADMIN], "{\"item\":\"FB0001\"}", NULL);
  race.rounds = IDEM_ROUNDS;
  pthread_barrier_init(&race.start, NULL, 3);
  pthread_barrier_init(&race.done, NULL, 3);
  pthread_t t[2];
  for (int i = 0; i < 2; i++)
    pthread_create(&t[i], NULL, counter, &c[i]);
  for (int round = 0; round < IDEM_ROUNDS; round++) {
    char key[32];
    snprintf(key, sizeof key, "same-%d", round);
    client_headers(&c[0], key);
    client_headers(&c[1], key);
    pthread_barrier_wait(&race.start);
    pthread_barrier_wait(&race.done);
    cr_assert_eq(c[0].status, 201, "round %d: %ld %s", round, c[0].status, c[0].reply);
    cr_assert_eq(c[1].status, 201, "round %d: %ld %s", round, c[1].status, c[1].reply);
    cr_assert_str_eq(c[0].reply, c[1].reply, "round %d", round);
    cr_assert_eq(c[0].replayed + c[1].replayed, 1, "round %d: one answer is the replay", round);
    cr_assert_eq(q_count("SELECT count(*) FROM loans WHERE returned_at IS NULL"), 1,
                 "round %d", round);
    cr_assert_eq(q_count("SELECT count(*) FROM loans"), round + 1, "round %d", round);
    give_back(&back);
  }
  for (int i = 0; i < 2; i++)
    pthread_join(t[i], NULL);
  pthread_barrier_destroy(&race.start);
  pthread_barrier_destroy(&race.done);
  ledger_consistent(IDEM_ROUNDS);
  for (int i = 0; i < 2; i++)
    client_free(&c[i]);
  client_free(&back);
}
