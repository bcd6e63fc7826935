/* Idempotency-Key over HTTP, through POST /v1/users (flagged idempotent). */
#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "at.h"

static struct at_env env;

static void setup(void) { at_setup(&env, NULL, 1); }
static void teardown(void) { at_teardown(&env); }

TestSuite(idempotency, .init = setup, .fini = teardown, .timeout = 120);

static const char body_a[] =
    "{\"username\":\"newvol\",\"password\":\"new-password\",\"role\":\"volunteer\","
    "\"libraries\":[\"babytheek\"]}";
static const char body_b[] =
    "{\"username\":\"other\",\"password\":\"new-password\",\"role\":\"volunteer\"}";

static void create(const char *key, const char *body, struct ts_http *h)
{
  char header[300];
  snprintf(header, sizeof header, "Idempotency-Key: %s", key);
  const char *hl[] = {header, NULL};
  at_call(&env, "POST", "/v1/users", env.token[AT_ADMIN], body, hl, h);
}

static long long users_named(const char *name)
{
  PGconn *c = ts_connect(env.ci);
  const char *p[] = {name};
  PGresult *r = ts_sql(c, "SELECT count(*) FROM users WHERE username = $1", 1, p);
  long long n = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
  PQclear(r);
  PQfinish(c);
  return n;
}

Test(idempotency, the_same_key_and_body_replays_the_first_answer)
{
  struct ts_http a, b;
  create("k-1", body_a, &a);
  cr_assert_eq(a.status, 201, "%s", a.body);
  char *replayed = ts_header(&a, "Idempotent-Replayed");
  cr_assert_null(replayed);
  create("k-1", body_a, &b);
  cr_assert_eq(b.status, 201, "%s", b.body);
  replayed = ts_header(&b, "Idempotent-Replayed");
  cr_assert_str_eq(replayed, "true");
  free(replayed);
  cr_assert_str_eq(a.body, b.body);
  char *ct = ts_header(&b, "Content-Type");
  cr_assert_str_eq(ct, "application/json");
  free(ct);
  cr_assert_eq(users_named("newvol"), 1);
  ts_http_release(&a);
  ts_http_release(&b);
}

Test(idempotency, the_same_key_with_another_body_is_refused)
{
  struct ts_http a, b;
  create("k-2", body_a, &a);
  cr_assert_eq(a.status, 201, "%s", a.body);
  create("k-2", body_b, &b);
  cr_assert_eq(b.status, 422, "%s", b.body);
  cr_assert_str_eq(at_code(&b), "idempotency_mismatch");
  cr_assert_eq(users_named("other"), 0);
  ts_http_release(&a);
  ts_http_release(&b);
}

Test(idempotency, keys_belong_to_a_user)
{
  /* the same key from another admin is another key */
  PGconn *c = ts_connect(env.ci);
  PQclear(ts_sql(c,
                 "INSERT INTO users (org_id, username, password_hash, role)"
                 " SELECT org_id, 'admin2', password_hash, 'admin' FROM users"
                 " WHERE username = 'admin'",
                 0, NULL));
  PQfinish(c);
  char *other = at_login(&env, "admin2", AT_PASSWORD);
  struct ts_http a, b;
  create("k-3", body_a, &a);
  cr_assert_eq(a.status, 201, "%s", a.body);
  const char *hl[] = {"Idempotency-Key: k-3", NULL};
  at_call(&env, "POST", "/v1/users", other, body_b, hl, &b);
  cr_assert_eq(b.status, 201, "%s", b.body);
  cr_assert_null(ts_header(&b, "Idempotent-Replayed"));
  ts_http_release(&a);
  ts_http_release(&b);
  free(other);
}

Test(idempotency, a_refused_request_keeps_no_answer)
{
  struct ts_http a, b;
  /* taken username: 409, nothing changed, so the key stays free */
  create("k-4", "{\"username\":\"vol\",\"password\":\"new-password\",\"role\":\"volunteer\"}",
         &a);
  cr_assert_eq(a.status, 409, "%s", a.body);
  create("k-4", body_a, &b);
  cr_assert_eq(b.status, 201, "%s", b.body);
  ts_http_release(&a);
  ts_http_release(&b);
}

Test(idempotency, bad_keys_are_refused)
{
  char longkey[260];
  memset(longkey, 'k', sizeof longkey - 1);
  longkey[sizeof longkey - 1] = '\0';
  const char *keys[] = {longkey, "with space", "tab\there"};
  for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
    struct ts_http h;
    create(keys[i], body_a, &h);
    cr_assert_eq(h.status, 422, "key %zu: %ld %s", i, h.status, h.body);
    cr_assert_str_eq(at_code(&h), "invalid_field");
    ts_http_release(&h);
  }
  cr_assert_eq(users_named("newvol"), 0);
}

struct racer {
  pthread_barrier_t *start;
  const char *key, *body;
  struct ts_http h;
};

static void *race(void *p)
{
  struct racer *r = p;
  pthread_barrier_wait(r->start);
  create(r->key, r->body, &r->h);
  return NULL;
}

Test(idempotency, two_requests_at_once_create_one_user)
{
  curl_global_init(CURL_GLOBAL_ALL);
  for (int round = 0; round < 5; round++) {
    char key[32], name[32], body[300];
    snprintf(key, sizeof key, "race-%d", round);
    snprintf(name, sizeof name, "racer%d", round);
    snprintf(body, sizeof body,
             "{\"username\":\"%s\",\"password\":\"new-password\",\"role\":\"volunteer\"}",
             name);
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, 2);
    struct racer rs[2] = {{&start, key, body, {0}}, {&start, key, body, {0}}};
    pthread_t t[2];
    for (int i = 0; i < 2; i++)
      pthread_create(&t[i], NULL, race, &rs[i]);
    for (int i = 0; i < 2; i++)
      pthread_join(t[i], NULL);
    pthread_barrier_destroy(&start);
    cr_assert_eq(rs[0].h.status, 201, "round %d: %ld %s", round, rs[0].h.status, rs[0].h.body);
    cr_assert_eq(rs[1].h.status, 201, "round %d: %ld %s", round, rs[1].h.status, rs[1].h.body);
    cr_assert_str_eq(rs[0].h.body, rs[1].h.body);
    char *r0 = ts_header(&rs[0].h, "Idempotent-Replayed");
    char *r1 = ts_header(&rs[1].h, "Idempotent-Replayed");
    cr_assert((r0 != NULL) != (r1 != NULL), "round %d: exactly one answer is a replay", round);
    free(r0);
    free(r1);
    ts_http_release(&rs[0].h);
    ts_http_release(&rs[1].h);
    cr_assert_eq(users_named(name), 1);
  }
}
