/* leen/auth.h: tokens, the rate limit on failed logins, logout. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "leen/auth.h"
#include "leen/user.h"
#include "tsupport.h"

static char *ci;
static struct leen_db *db;
static PGconn *pg;

static void setup(void)
{
  ci = ts_db_create(1);
  struct leen_err err;
  cr_assert_eq(leen_db_open(&db, ci, &err), 0, "%s", err.message);
  pg = ts_connect(ci);
  PQclear(ts_sql(pg,
                 "INSERT INTO libraries (org_id, slug, name, kind, code_prefix)"
                 " VALUES (1, 'fietsbieb', 'Fietsbieb', 'fietsbieb', 'FB'),"
                 "        (1, 'babytheek', 'Babytheek', 'babytheek', 'BT')",
                 0, NULL));
  const char *libs[] = {"fietsbieb", "babytheek"};
  struct leen_user_new u = {.username = "lien", .password = "correct-horse",
                            .role = LEEN_ROLE_COORDINATOR, .libraries = libs, .nlibraries = 2};
  int64_t id;
  cr_assert_eq(leen_user_create(db, &u, &id, &err), 0, "%s", err.message);
}

static void teardown(void)
{
  PQfinish(pg);
  leen_db_close(db);
  ts_db_drop(ci);
}

TestSuite(auth, .init = setup, .fini = teardown, .timeout = 60);

static void login_ok(char token[LEEN_TOKEN_SIZE], struct leen_auth_user *u)
{
  struct leen_err err;
  int retry = -1;
  cr_assert_eq(leen_auth_login(db, "lien", "correct-horse", 3600, token, u, &retry, &err), 0,
               "%s", err.message);
  cr_assert_eq(retry, 0);
}

Test(auth, login_issues_a_token_stored_only_as_a_hash)
{
  char token[LEEN_TOKEN_SIZE];
  struct leen_auth_user u;
  login_ok(token, &u);
  cr_assert_eq(strlen(token), LEEN_TOKEN_LEN);
  cr_assert_str_eq(u.username, "lien");
  cr_assert_str_eq(u.org, "default");
  cr_assert_eq(u.actor.role, LEEN_ROLE_COORDINATOR);
  cr_assert_eq(u.actor.nlibraries, 2);
  /* slugs in name order, with their ids alongside */
  cr_assert_str_eq(u.libraries[0], "babytheek");
  cr_assert_str_eq(u.libraries[1], "fietsbieb");
  cr_assert_eq(u.actor.libraries[0],
               ts_sql_int(pg, "SELECT id FROM libraries WHERE slug = 'babytheek'"));

  unsigned char hash[LEEN_TOKEN_HASH_SIZE];
  cr_assert_eq(leen_auth_token_hash(token, hash), 0);
  char hex[2 * LEEN_TOKEN_HASH_SIZE + 1];
  sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
  const char *p[] = {hex, token};
  PGresult *r = ts_sql(pg,
                       "SELECT count(*) FILTER (WHERE token_hash = decode($1, 'hex')),"
                       " count(*) FILTER"
                       "  (WHERE position(convert_to($2, 'UTF8') IN token_hash) > 0),"
                       " min(extract(epoch FROM expires_at - created_at))::int"
                       " FROM api_tokens",
                       2, p);
  cr_assert_str_eq(PQgetvalue(r, 0, 0), "1");
  cr_assert_str_eq(PQgetvalue(r, 0, 1), "0");
  cr_assert_str_eq(PQgetvalue(r, 0, 2), "3600");
  PQclear(r);
  cr_assert_eq(ts_sql_int(pg, "SELECT count(*) FROM audit WHERE action = 'login'"), 1);

  struct leen_actor a;
  int64_t expires = 0;
  struct leen_err err;
  cr_assert_eq(leen_auth_resolve(db, token, &a, &expires, &err), 0, "%s", err.message);
  cr_assert_eq(a.user_id, u.actor.user_id);
  cr_assert_eq(a.org_id, u.actor.org_id);
  cr_assert_eq(a.role, LEEN_ROLE_COORDINATOR);
  cr_assert_eq(a.nlibraries, 2);
  cr_assert(expires > 0);
}

Test(auth, two_logins_give_two_tokens)
{
  char t1[LEEN_TOKEN_SIZE], t2[LEEN_TOKEN_SIZE];
  login_ok(t1, NULL);
  login_ok(t2, NULL);
  cr_assert_str_neq(t1, t2);
  cr_assert_eq(ts_sql_int(pg, "SELECT count(*) FROM api_tokens"), 2);
}

Test(auth, wrong_password_and_unknown_user_are_the_same_error)
{
  char token[LEEN_TOKEN_SIZE];
  struct leen_err e1, e2;
  cr_assert_eq(leen_auth_login(db, "lien", "wrong", 3600, token, NULL, NULL, &e1), -1);
  cr_assert_eq(leen_auth_login(db, "nobody", "wrong", 3600, token, NULL, NULL, &e2), -1);
  cr_assert_eq(e1.code, LEEN_E_UNAUTHENTICATED);
  cr_assert_eq(e2.code, LEEN_E_UNAUTHENTICATED);
  cr_assert_str_eq(e1.message, e2.message);
  cr_assert_str_eq(token, "");
  cr_assert_eq(ts_sql_int(pg, "SELECT count(*) FROM login_failures"), 2);
  cr_assert_eq(ts_sql_int(pg, "SELECT count(*) FROM api_tokens"), 0);
}

Test(auth, failures_rate_limit_one_username_for_fifteen_minutes)
{
  char token[LEEN_TOKEN_SIZE];
  struct leen_err err;
  for (int i = 0; i < LEEN_AUTH_MAX_FAILURES; i++) {
    cr_assert_eq(leen_auth_login(db, "lien", "wrong", 3600, token, NULL, NULL, &err), -1);
    cr_assert_eq(err.code, LEEN_E_UNAUTHENTICATED, "attempt %d", i);
  }
  int retry = 0;
  cr_assert_eq(leen_auth_login(db, "lien", "correct-horse", 3600, token, NULL, &retry, &err), -1);
  cr_assert_eq(err.code, LEEN_E_RATE_LIMITED);
  cr_assert(retry > 890 && retry <= 900, "retry after %d", retry);
  /* a refused attempt is not recorded: the wait does not grow */
  cr_assert_eq(ts_sql_int(pg, "SELECT count(*) FROM login_failures"), LEEN_AUTH_MAX_FAILURES);
  /* the oldest failure leaving the window frees one attempt */
  PQclear(ts_sql(pg,
                 "UPDATE login_failures SET failed_at = now() - interval '16 minutes'"
                 " WHERE failed_at = (SELECT min(failed_at) FROM login_failures)",
                 0, NULL));
  login_ok(token, NULL);
  cr_assert_eq(ts_sql_int(pg, "SELECT count(*) FROM login_failures WHERE username = 'lien'"), 0,
               "a successful login clears the failures");
}

Test(auth, the_wait_counts_from_the_oldest_recent_failure)
{
  PQclear(ts_sql(pg,
                 "INSERT INTO login_failures (username, failed_at)"
                 " SELECT 'lien', now() - make_interval(mins => g) FROM generate_series(1, 5) g",
                 0, NULL));
  char token[LEEN_TOKEN_SIZE];
  struct leen_err err;
  int retry = 0;
  cr_assert_eq(leen_auth_login(db, "lien", "correct-horse", 3600, token, NULL, &retry, &err), -1);
  cr_assert_eq(err.code, LEEN_E_RATE_LIMITED);
  /* the oldest of the five is 5 minutes old: 10 minutes to go */
  cr_assert(retry > 590 && retry <= 600, "retry after %d", retry);
}

Test(auth, logout_revokes)
{
  char token[LEEN_TOKEN_SIZE];
  struct leen_auth_user u;
  login_ok(token, &u);
  struct leen_err err;
  cr_assert_eq(leen_auth_logout(db, &u.actor, token, &err), 0, "%s", err.message);
  struct leen_actor a;
  cr_assert_eq(leen_auth_resolve(db, token, &a, NULL, &err), -1);
  cr_assert_eq(err.code, LEEN_E_UNAUTHENTICATED);
  /* twice is harmless; an unknown token is not */
  cr_assert_eq(leen_auth_logout(db, &u.actor, token, &err), 0, "%s", err.message);
  cr_assert_eq(leen_auth_logout(db, &u.actor, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", &err),
               -1);
  cr_assert_eq(err.code, LEEN_E_UNAUTHENTICATED);
  cr_assert_eq(ts_sql_int(pg, "SELECT count(*) FROM audit WHERE action = 'logout'"), 2);
}

Test(auth, expired_tokens_and_inactive_users_are_refused)
{
  char token[LEEN_TOKEN_SIZE];
  login_ok(token, NULL);
  struct leen_actor a;
  struct leen_err err;
  PQclear(ts_sql(pg, "UPDATE users SET active = false", 0, NULL));
  cr_assert_eq(leen_auth_resolve(db, token, &a, NULL, &err), -1);
  cr_assert_eq(err.code, LEEN_E_UNAUTHENTICATED);
  cr_assert_eq(leen_auth_login(db, "lien", "correct-horse", 3600, token, NULL, NULL, &err), -1);
  cr_assert_eq(err.code, LEEN_E_UNAUTHENTICATED);
  PQclear(ts_sql(pg, "UPDATE users SET active = true", 0, NULL));
  login_ok(token, NULL);
  PQclear(ts_sql(pg, "UPDATE api_tokens SET expires_at = now()", 0, NULL));
  cr_assert_eq(leen_auth_resolve(db, token, &a, NULL, &err), -1);
  cr_assert_eq(err.code, LEEN_E_UNAUTHENTICATED);
}

Test(auth, malformed_tokens_never_reach_the_database)
{
  const char *bad[] = {"", "short", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
                       "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                       "AAAAAAAAAAAAAAAAAAAA'OR'1'='1AAAAAAAAAAAA"};
  unsigned char h[LEEN_TOKEN_HASH_SIZE];
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    cr_assert_eq(leen_auth_token_hash(bad[i], h), -1, "%s", bad[i]);
    struct leen_actor a;
    struct leen_err err;
    cr_assert_eq(leen_auth_resolve(db, bad[i], &a, NULL, &err), -1);
    cr_assert_eq(err.code, LEEN_E_UNAUTHENTICATED);
  }
}

static int count_user(const struct leen_auth_user *u, void *ctx, struct leen_err *err)
{
  int *n = ctx;
  (*n)++;
  return u->username[0] ? 0 : -1;
}

Test(auth, describe_and_list)
{
  struct leen_auth_user u;
  struct leen_err err;
  int64_t id = ts_sql_int(pg, "SELECT id FROM users WHERE username = 'lien'");
  cr_assert_eq(leen_auth_describe(db, id, &u, &err), 0, "%s", err.message);
  cr_assert_str_eq(u.username, "lien");
  cr_assert_eq(leen_auth_describe(db, id + 100, &u, &err), -1);
  cr_assert_eq(err.code, LEEN_E_NOT_FOUND);
  PQclear(ts_sql(pg,
                 "INSERT INTO users (org_id, username, password_hash, role)"
                 " SELECT 1, 'u' || g, 'x', 'volunteer' FROM generate_series(1, 4) g",
                 0, NULL));
  int n = 0;
  cr_assert_eq(leen_auth_list_users(db, 1, 0, 1000, count_user, &n, &err), 0, "%s", err.message);
  cr_assert_eq(n, 5);
  n = 0;
  cr_assert_eq(leen_auth_list_users(db, 1, id, 2, count_user, &n, &err), 0, "%s", err.message);
  cr_assert_eq(n, 2);
  cr_assert_eq(leen_auth_list_users(db, 1, 0, 0, count_user, &n, &err), -1);
}
