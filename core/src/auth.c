#include "leen/auth.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_internal.h"
#include "journal.h"

/* A hash of a password nobody has, checked for unknown usernames so that a
 * login takes as long whether or not the user exists. */
static const char dummy_hash[] =
    "$argon2id$v=19$m=65536,t=2,p=1$QhIlMuRxB9T5jgZieGl1Jw$"
    "kc7dxZ3uQxllWuzr6Sc94V+LwlWUro6NMvLmUsU3a94";

#define USER_COLUMNS                                                                    \
  "u.id, u.org_id, u.role, u.username,"                                                 \
  " (SELECT string_agg(l.id::text, ',' ORDER BY l.slug) FROM user_libraries ul"         \
  "   JOIN libraries l ON l.id = ul.library_id WHERE ul.user_id = u.id),"               \
  " (SELECT string_agg(l.slug, ',' ORDER BY l.slug) FROM user_libraries ul"             \
  "   JOIN libraries l ON l.id = ul.library_id WHERE ul.user_id = u.id),"                \
  " (SELECT o.slug FROM orgs o WHERE o.id = u.org_id)"

static const struct leen_stmt stmts[] = {
  {"auth_recent_failures",
   "SELECT count(*), coalesce(ceil(extract(epoch FROM min(failed_at) + make_interval(secs => $2)"
   " - now()))::int, 0)"
   " FROM (SELECT failed_at FROM login_failures WHERE username = $1"
   "       AND failed_at > now() - make_interval(secs => $2)"
   "       ORDER BY failed_at DESC LIMIT $3) f"},
  {"auth_user_by_name",
   "SELECT id, password_hash FROM users WHERE username = $1 AND active"},
  {"auth_record_failure",
   "WITH old AS (DELETE FROM login_failures WHERE username = $1"
   "             AND failed_at < now() - interval '1 day')"
   " INSERT INTO login_failures (username) VALUES ($1)"},
  {"auth_token_insert",
   "INSERT INTO api_tokens (user_id, token_hash, expires_at)"
   " VALUES ($1::bigint, decode($2, 'hex'), now() + make_interval(secs => $3))"},
  {"auth_clear_failures",
   "DELETE FROM login_failures WHERE username = $1"},
  {"auth_resolve",
   "SELECT u.id, u.org_id, u.role, extract(epoch FROM t.expires_at)::bigint,"
   " (SELECT string_agg(ul.library_id::text, ',') FROM user_libraries ul"
   "   WHERE ul.user_id = u.id)"
   " FROM api_tokens t JOIN users u ON u.id = t.user_id"
   " WHERE t.token_hash = decode($1, 'hex') AND t.revoked_at IS NULL"
   " AND t.expires_at > now() AND u.active"},
  {"auth_revoke",
   "UPDATE api_tokens SET revoked_at = coalesce(revoked_at, now())"
   " WHERE token_hash = decode($1, 'hex') RETURNING id"},
  {"auth_describe",
   "SELECT " USER_COLUMNS " FROM users u WHERE u.id = $1::bigint"},
  {"auth_list_users",
   "SELECT " USER_COLUMNS " FROM users u WHERE u.org_id = $1::bigint AND u.id > $2::bigint"
   " ORDER BY u.id LIMIT $3::int"},
};
enum {
  S_RECENT_FAILURES, S_USER_BY_NAME, S_RECORD_FAILURE, S_TOKEN_INSERT, S_CLEAR_FAILURES,
  S_RESOLVE, S_REVOKE, S_DESCRIBE, S_LIST_USERS
};

int leen_auth_token_hash(const char *token, unsigned char out[LEEN_TOKEN_HASH_SIZE])
{
  if (!token || strlen(token) != LEEN_TOKEN_LEN)
    return -1;
  for (const char *p = token; *p; p++) {
    char c = *p;
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
          c == '_'))
      return -1;
  }
  crypto_hash_sha256(out, (const unsigned char *)token, LEEN_TOKEN_LEN);
  return 0;
}

/* The token's hash as hex text, the form the statements take. */
static int token_hex(const char *token, char hex[2 * LEEN_TOKEN_HASH_SIZE + 1])
{
  unsigned char h[LEEN_TOKEN_HASH_SIZE];
  if (leen_auth_token_hash(token, h) < 0)
    return -1;
  sodium_bin2hex(hex, 2 * LEEN_TOKEN_HASH_SIZE + 1, h, sizeof h);
  return 0;
}

/* Parses "1,2,3" into ids; returns the count (at most max). */
static size_t parse_ids(const char *s, int64_t *ids, size_t max)
{
  size_t n = 0;
  while (s && *s && n < max) {
    char *end;
    ids[n++] = strtoll(s, &end, 10);
    s = *end == ',' ? end + 1 : NULL;
  }
  return n;
}

static void fill_user(const PGresult *r, int row, struct leen_auth_user *u)
{
  memset(u, 0, sizeof *u);
  u->actor.user_id = db_int64(r, row, 0);
  u->actor.org_id = db_int64(r, row, 1);
  if (leen_role_parse(PQgetvalue(r, row, 2), &u->actor.role) < 0)
    u->actor.role = LEEN_ROLE_VOLUNTEER;
  snprintf(u->username, sizeof u->username, "%s", PQgetvalue(r, row, 3));
  u->actor.nlibraries = parse_ids(db_text(r, row, 4), u->actor.libraries, LEEN_ACTOR_MAX_LIBRARIES);
  snprintf(u->org, sizeof u->org, "%s", PQgetvalue(r, row, 6));
  const char *slugs = db_text(r, row, 5);
  for (size_t i = 0; slugs && i < u->actor.nlibraries; i++) {
    size_t len = strcspn(slugs, ",");
    snprintf(u->libraries[i], sizeof u->libraries[i], "%.*s", (int)len, slugs);
    slugs = slugs[len] ? slugs + len + 1 : NULL;
  }
}

int leen_auth_describe(struct leen_db *db, int64_t user_id, struct leen_auth_user *out,
                       struct leen_err *err)
{
  char id[24];
  snprintf(id, sizeof id, "%lld", (long long)user_id);
  const char *p[] = {id};
  PGresult *r = db_exec(db, &stmts[S_DESCRIBE], 1, p, err);
  if (!r)
    return -1;
  int rc = 0;
  if (PQntuples(r) == 0)
    rc = leen_error(err, LEEN_E_NOT_FOUND, "no user with id %lld", (long long)user_id);
  else
    fill_user(r, 0, out);
  PQclear(r);
  return rc;
}

int leen_auth_list_users(struct leen_db *db, int64_t org_id, int64_t after_id, int limit,
                         leen_auth_user_cb *cb, void *ctx, struct leen_err *err)
{
  if (limit < 1 || limit > 1000)
    return leen_error(err, LEEN_E_INVALID_FIELD, "a limit is 1 to 1000");
  char org[24], after[24], lim[16];
  snprintf(org, sizeof org, "%lld", (long long)org_id);
  snprintf(after, sizeof after, "%lld", (long long)after_id);
  snprintf(lim, sizeof lim, "%d", limit);
  const char *p[] = {org, after, lim};
  PGresult *r = db_exec(db, &stmts[S_LIST_USERS], 3, p, err);
  if (!r)
    return -1;
  int rc = 0;
  struct leen_auth_user *u = malloc(sizeof *u);
  if (!u)
    rc = leen_error(err, LEEN_E_INTERNAL, "out of memory");
  for (int i = 0; rc == 0 && i < PQntuples(r); i++) {
    fill_user(r, i, u);
    if (cb(u, ctx, err) < 0)
      rc = -1;
  }
  free(u);
  PQclear(r);
  return rc;
}

/* Seconds to wait when the username has too many recent failures, else 0;
 * -1 with err on a database error. */
static int failures_wait(struct leen_db *db, const char *username, struct leen_err *err)
{
  char window[16], max[16];
  snprintf(window, sizeof window, "%d", LEEN_AUTH_WINDOW_SECONDS);
  snprintf(max, sizeof max, "%d", LEEN_AUTH_MAX_FAILURES);
  const char *p[] = {username, window, max};
  PGresult *r = db_exec(db, &stmts[S_RECENT_FAILURES], 3, p, err);
  if (!r)
    return -1;
  int64_t count = db_int64(r, 0, 0);
  int64_t wait = db_int64(r, 0, 1);
  PQclear(r);
  if (count < LEEN_AUTH_MAX_FAILURES)
    return 0;
  return wait < 1 ? 1 : (int)wait;
}

static int record_failure(struct leen_db *db, const char *username, struct leen_err *err)
{
  const char *p[] = {username};
  PGresult *r = db_exec(db, &stmts[S_RECORD_FAILURE], 1, p, err);
  if (!r)
    return -1;
  PQclear(r);
  return leen_error(err, LEEN_E_UNAUTHENTICATED, "unknown username or wrong password");
}

struct login_ctx {
  int64_t user_id;
  const char *username;
  const char *hex;
  int ttl;
};

static int login_tx(struct leen_db *db, void *p, struct leen_err *err)
{
  struct login_ctx *c = p;
  char uid[24], ttl[16];
  snprintf(uid, sizeof uid, "%lld", (long long)c->user_id);
  snprintf(ttl, sizeof ttl, "%d", c->ttl);
  const char *tp[] = {uid, c->hex, ttl};
  PGresult *r = db_exec(db, &stmts[S_TOKEN_INSERT], 3, tp, err);
  if (!r)
    return -1;
  PQclear(r);
  const char *fp[] = {c->username};
  r = db_exec(db, &stmts[S_CLEAR_FAILURES], 1, fp, err);
  if (!r)
    return -1;
  PQclear(r);
  struct leen_actor who = {.user_id = c->user_id};
  return audit_log(db, &who, "login", "user", uid, NULL, err);
}

int leen_auth_login(struct leen_db *db, const char *username, const char *password,
                    int ttl_seconds, char token[LEEN_TOKEN_SIZE], struct leen_auth_user *user,
                    int *retry_after, struct leen_err *err)
{
  if (retry_after)
    *retry_after = 0;
  token[0] = '\0';
  if (!username || !password || ttl_seconds < 1)
    return leen_error(err, LEEN_E_UNAUTHENTICATED, "unknown username or wrong password");
  if (sodium_init() < 0)
    return leen_error(err, LEEN_E_INTERNAL, "could not initialise libsodium");
  /* No user has a longer name (users.username allows 64): nothing to
   * protect, nothing worth recording. */
  if (strlen(username) > 64 || !*username) {
    leen_password_verify(dummy_hash, password);
    return leen_error(err, LEEN_E_UNAUTHENTICATED, "unknown username or wrong password");
  }
  int wait = failures_wait(db, username, err);
  if (wait < 0)
    return -1;
  if (wait > 0) {
    if (retry_after)
      *retry_after = wait;
    return leen_error(err, LEEN_E_RATE_LIMITED,
                      "too many failed logins for \"%s\", try again in %d seconds", username,
                      wait);
  }
  const char *p[] = {username};
  PGresult *r = db_exec(db, &stmts[S_USER_BY_NAME], 1, p, err);
  if (!r)
    return -1;
  int found = PQntuples(r) == 1;
  int64_t uid = found ? db_int64(r, 0, 0) : 0;
  /* The hash is checked after PQclear: copy it out first. */
  char hash[crypto_pwhash_STRBYTES];
  snprintf(hash, sizeof hash, "%s", found ? PQgetvalue(r, 0, 1) : dummy_hash);
  PQclear(r);
  int ok = leen_password_verify(hash, password) && found;
  sodium_memzero(hash, sizeof hash);
  if (!ok)
    return record_failure(db, username, err);

  unsigned char raw[32];
  randombytes_buf(raw, sizeof raw);
  if (!sodium_bin2base64(token, LEEN_TOKEN_SIZE, raw, sizeof raw,
                         sodium_base64_VARIANT_URLSAFE_NO_PADDING))
    return leen_error(err, LEEN_E_INTERNAL, "could not encode the token");
  sodium_memzero(raw, sizeof raw);
  char hex[2 * LEEN_TOKEN_HASH_SIZE + 1];
  token_hex(token, hex);
  struct login_ctx c = {uid, username, hex, ttl_seconds};
  if (db_tx(db, login_tx, &c, err) < 0 || (user && leen_auth_describe(db, uid, user, err) < 0)) {
    sodium_memzero(token, LEEN_TOKEN_SIZE);
    return -1;
  }
  return 0;
}

int leen_auth_resolve(struct leen_db *db, const char *token, struct leen_actor *actor,
                      int64_t *expires_at, struct leen_err *err)
{
  char hex[2 * LEEN_TOKEN_HASH_SIZE + 1];
  if (token_hex(token, hex) < 0)
    return leen_error(err, LEEN_E_UNAUTHENTICATED, "the token is malformed");
  const char *p[] = {hex};
  PGresult *r = db_exec(db, &stmts[S_RESOLVE], 1, p, err);
  if (!r)
    return -1;
  int rc = 0;
  if (PQntuples(r) == 0) {
    rc = leen_error(err, LEEN_E_UNAUTHENTICATED, "the token is unknown, expired or revoked");
  } else {
    memset(actor, 0, sizeof *actor);
    actor->user_id = db_int64(r, 0, 0);
    actor->org_id = db_int64(r, 0, 1);
    if (leen_role_parse(PQgetvalue(r, 0, 2), &actor->role) < 0)
      actor->role = LEEN_ROLE_VOLUNTEER;
    if (expires_at)
      *expires_at = db_int64(r, 0, 3);
    actor->nlibraries = parse_ids(db_text(r, 0, 4), actor->libraries, LEEN_ACTOR_MAX_LIBRARIES);
  }
  PQclear(r);
  return rc;
}

struct logout_ctx {
  const struct leen_actor *who;
  const char *hex;
};

static int logout_tx(struct leen_db *db, void *p, struct leen_err *err)
{
  struct logout_ctx *c = p;
  const char *params[] = {c->hex};
  PGresult *r = db_exec(db, &stmts[S_REVOKE], 1, params, err);
  if (!r)
    return -1;
  int found = PQntuples(r) > 0;
  char id[24];
  snprintf(id, sizeof id, "%s", found ? PQgetvalue(r, 0, 0) : "");
  PQclear(r);
  if (!found)
    return leen_error(err, LEEN_E_UNAUTHENTICATED, "the token is unknown");
  return audit_log(db, c->who, "logout", "api_token", id, NULL, err);
}

int leen_auth_logout(struct leen_db *db, const struct leen_actor *who, const char *token,
                     struct leen_err *err)
{
  char hex[2 * LEEN_TOKEN_HASH_SIZE + 1];
  if (token_hex(token, hex) < 0)
    return leen_error(err, LEEN_E_UNAUTHENTICATED, "the token is malformed");
  struct logout_ctx c = {who, hex};
  return db_tx(db, logout_tx, &c, err);
}
