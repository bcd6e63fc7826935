/* leen/idempotency.h: claim, replay, mismatch, in progress, races. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "leen/idempotency.h"
#include "tsupport.h"

static char *ci;
static struct leen_db *db;
static PGconn *pg;
static int64_t uid;

static const unsigned char h1[LEEN_IDEMPOTENCY_HASH_SIZE] = {1};
static const unsigned char h2[LEEN_IDEMPOTENCY_HASH_SIZE] = {2};

static void setup(void)
{
  ci = ts_db_create(1);
  struct leen_err err;
  cr_assert_eq(leen_db_open(&db, ci, &err), 0, "%s", err.message);
  pg = ts_connect(ci);
  PQclear(ts_sql(pg, "INSERT INTO users (org_id, username, password_hash, role)"
                     " VALUES (1, 'a', 'x', 'admin'), (1, 'b', 'x', 'admin')", 0, NULL));
  uid = ts_sql_int(pg, "SELECT id FROM users WHERE username = 'a'");
}

static void teardown(void)
{
  PQfinish(pg);
  leen_db_close(db);
  ts_db_drop(ci);
}

TestSuite(idempotency, .init = setup, .fini = teardown, .timeout = 60);

static enum leen_idempotency_state claim(int64_t user, const char *key,
                                         const unsigned char *hash,
                                         struct leen_idempotency *out)
{
  struct leen_err err;
  cr_assert_eq(leen_idempotency_claim(db, user, key, hash, out, &err), 0, "%s", err.message);
  return out->state;
}

Test(idempotency, claim_store_replay)
{
  struct leen_idempotency c;
  struct leen_err err;
  cr_assert_eq(claim(uid, "k", h1, &c), LEEN_IDEMPOTENCY_NEW);
  cr_assert_null(c.response);
  /* before the answer is stored, the same request waits */
  cr_assert_eq(claim(uid, "k", h1, &c), LEEN_IDEMPOTENCY_IN_PROGRESS);
  cr_assert_eq(leen_idempotency_store(db, uid, "k", 201, "{\"id\":7,\"name\":\"é\"}", &err), 0,
               "%s", err.message);
  cr_assert_eq(claim(uid, "k", h1, &c), LEEN_IDEMPOTENCY_REPLAY);
  cr_assert_eq(c.status, 201);
  cr_assert_str_eq(c.response, "{\"id\":7,\"name\":\"é\"}");
  leen_idempotency_release(&c);
  cr_assert_null(c.response);
  leen_idempotency_release(&c);
  leen_idempotency_release(NULL);
  /* storing twice is refused: the first answer stays */
  cr_assert_eq(leen_idempotency_store(db, uid, "k", 200, "{}", &err), -1);
  cr_assert_eq(err.code, LEEN_E_CONFLICT);
}

Test(idempotency, another_request_with_the_key_is_a_mismatch)
{
  struct leen_idempotency c;
  struct leen_err err;
  cr_assert_eq(claim(uid, "k", h1, &c), LEEN_IDEMPOTENCY_NEW);
  cr_assert_eq(claim(uid, "k", h2, &c), LEEN_IDEMPOTENCY_MISMATCH);
  cr_assert_eq(leen_idempotency_store(db, uid, "k", 201, "{}", &err), 0, "%s", err.message);
  cr_assert_eq(claim(uid, "k", h2, &c), LEEN_IDEMPOTENCY_MISMATCH);
  cr_assert_null(c.response);
}

Test(idempotency, keys_are_per_user)
{
  struct leen_idempotency c;
  int64_t other = ts_sql_int(pg, "SELECT id FROM users WHERE username = 'b'");
  cr_assert_eq(claim(uid, "k", h1, &c), LEEN_IDEMPOTENCY_NEW);
  cr_assert_eq(claim(other, "k", h2, &c), LEEN_IDEMPOTENCY_NEW);
}

Test(idempotency, an_abandoned_key_can_be_claimed_again)
{
  struct leen_idempotency c;
  struct leen_err err;
  cr_assert_eq(claim(uid, "k", h1, &c), LEEN_IDEMPOTENCY_NEW);
  cr_assert_eq(leen_idempotency_abandon(db, uid, "k", &err), 0, "%s", err.message);
  cr_assert_eq(claim(uid, "k", h2, &c), LEEN_IDEMPOTENCY_NEW);
  /* abandoning a key that holds an answer does nothing */
  cr_assert_eq(leen_idempotency_store(db, uid, "k", 201, "{}", &err), 0, "%s", err.message);
  cr_assert_eq(leen_idempotency_abandon(db, uid, "k", &err), 0, "%s", err.message);
  cr_assert_eq(claim(uid, "k", h2, &c), LEEN_IDEMPOTENCY_REPLAY);
  leen_idempotency_release(&c);
}

Test(idempotency, stale_claims_and_old_keys_are_taken_over)
{
  struct leen_idempotency c;
  struct leen_err err;
  cr_assert_eq(claim(uid, "stuck", h1, &c), LEEN_IDEMPOTENCY_NEW);
  PQclear(ts_sql(pg, "UPDATE idempotency_keys SET created_at = now() - interval '61 seconds'",
                 0, NULL));
  /* the process that claimed it died: after a minute the key is free */
  cr_assert_eq(claim(uid, "stuck", h1, &c), LEEN_IDEMPOTENCY_NEW);
  cr_assert_eq(leen_idempotency_store(db, uid, "stuck", 201, "{}", &err), 0, "%s", err.message);
  /* an answer is kept for a day, not for a minute */
  PQclear(ts_sql(pg, "UPDATE idempotency_keys SET created_at = now() - interval '2 hours'", 0,
                 NULL));
  cr_assert_eq(claim(uid, "stuck", h2, &c), LEEN_IDEMPOTENCY_MISMATCH);
  PQclear(ts_sql(pg, "UPDATE idempotency_keys SET created_at = now() - interval '25 hours'", 0,
                 NULL));
  cr_assert_eq(claim(uid, "stuck", h2, &c), LEEN_IDEMPOTENCY_NEW);
  cr_assert_eq(ts_sql_int(pg, "SELECT count(*) FROM idempotency_keys"), 1);
}

Test(idempotency, bad_keys_are_refused)
{
  char longkey[LEEN_IDEMPOTENCY_KEY_MAX + 2];
  memset(longkey, 'k', sizeof longkey - 1);
  longkey[sizeof longkey - 1] = '\0';
  const char *bad[] = {"", "a b", "tab\t", "é", longkey};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    struct leen_idempotency c;
    struct leen_err err;
    cr_assert_eq(leen_idempotency_claim(db, uid, bad[i], h1, &c, &err), -1, "key %zu", i);
    cr_assert_eq(err.code, LEEN_E_INVALID_FIELD);
  }
  longkey[LEEN_IDEMPOTENCY_KEY_MAX] = '\0';
  struct leen_idempotency c;
  cr_assert_eq(claim(uid, longkey, h1, &c), LEEN_IDEMPOTENCY_NEW);
}

struct racer {
  pthread_barrier_t *start;
  const char *key;
  enum leen_idempotency_state state;
};

static void *race(void *p)
{
  struct racer *r = p;
  struct leen_db *own;
  struct leen_err err;
  int opened = leen_db_open(&own, ci, &err) == 0;
  pthread_barrier_wait(r->start);
  if (!opened)
    return NULL;
  struct leen_idempotency c;
  if (leen_idempotency_claim(own, uid, r->key, h1, &c, &err) == 0)
    r->state = c.state;
  leen_idempotency_release(&c);
  leen_db_close(own);
  return NULL;
}

Test(idempotency, of_two_simultaneous_claims_exactly_one_is_new)
{
  for (int round = 0; round < 30; round++) {
    char key[32];
    snprintf(key, sizeof key, "race-%d", round);
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, 3);
    struct racer rs[3];
    pthread_t t[3];
    for (int i = 0; i < 3; i++) {
      rs[i] = (struct racer){&start, key, (enum leen_idempotency_state)-1};
      pthread_create(&t[i], NULL, race, &rs[i]);
    }
    for (int i = 0; i < 3; i++)
      pthread_join(t[i], NULL);
    pthread_barrier_destroy(&start);
    int fresh = 0;
    for (int i = 0; i < 3; i++) {
      cr_assert(rs[i].state == LEEN_IDEMPOTENCY_NEW || rs[i].state == LEEN_IDEMPOTENCY_IN_PROGRESS,
                "round %d: state %d", round, (int)rs[i].state);
      fresh += rs[i].state == LEEN_IDEMPOTENCY_NEW;
    }
    cr_assert_eq(fresh, 1, "round %d: %d claims were new", round, fresh);
  }
}
