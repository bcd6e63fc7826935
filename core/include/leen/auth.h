/* Logging in: bearer tokens and the rate limit on failed logins.
 *
 * A token is 256 random bits sent as 43 characters of unpadded base64url.
 * The database keeps only its SHA-256 hash (api_tokens.token_hash) with an
 * expiry; logging out revokes it. Failed logins are recorded per username
 * in login_failures: LEEN_AUTH_MAX_FAILURES of them within
 * LEEN_AUTH_WINDOW_SECONDS refuse further attempts for that username. */
#ifndef LEEN_AUTH_H
#define LEEN_AUTH_H

#include <stddef.h>
#include <stdint.h>

#include "leen/actor.h"
#include "leen/db.h"

#define LEEN_TOKEN_LEN 43              /* characters, without the NUL */
#define LEEN_TOKEN_SIZE (LEEN_TOKEN_LEN + 1)
#define LEEN_TOKEN_HASH_SIZE 32        /* SHA-256 */
#define LEEN_AUTH_MAX_FAILURES 5
#define LEEN_AUTH_WINDOW_SECONDS (15 * 60)

/* A user as the login answer and GET /v1/me show it. */
struct leen_auth_user {
  struct leen_actor actor;                     /* ids and role */
  char username[65];
  char org[64];                                /* the org's slug */
  /* slugs of actor.libraries, in the same order (actor.nlibraries of them) */
  char libraries[LEEN_ACTOR_MAX_LIBRARIES][64];
};

/* Checks username and password and issues a token valid for ttl_seconds.
 * On success writes the token (NUL-terminated) to token, fills *user
 * (may be NULL) and returns 0. Otherwise returns -1 with err:
 *   LEEN_E_UNAUTHENTICATED  unknown or inactive user, or a wrong password
 *                           (the same answer for each, so usernames cannot
 *                           be probed); the failure is recorded;
 *   LEEN_E_RATE_LIMITED     too many recent failures for this username;
 *                           *retry_after (may be NULL) gets the seconds until
 *                           the next attempt can be made;
 *   LEEN_E_DB_UNAVAILABLE, LEEN_E_INTERNAL.
 * A successful login clears the username's failures. */
int leen_auth_login(struct leen_db *db, const char *username, const char *password,
                    int ttl_seconds, char token[LEEN_TOKEN_SIZE], struct leen_auth_user *user,
                    int *retry_after, struct leen_err *err) __attribute__((warn_unused_result));

/* Finds the user behind a token. Returns 0 and fills *actor and, when not
 * NULL, *expires_at (Unix seconds), or -1 with err: LEEN_E_UNAUTHENTICATED
 * (malformed, unknown, expired or revoked token, or an inactive user),
 * LEEN_E_DB_UNAVAILABLE, LEEN_E_INTERNAL. */
int leen_auth_resolve(struct leen_db *db, const char *token, struct leen_actor *actor,
                      int64_t *expires_at, struct leen_err *err)
    __attribute__((warn_unused_result));

/* Revokes a token. Returns 0 (also for a token already revoked), or -1
 * with err: LEEN_E_UNAUTHENTICATED for a token that never existed,
 * LEEN_E_DB_UNAVAILABLE, LEEN_E_INTERNAL. who (may be NULL) is audited. */
int leen_auth_logout(struct leen_db *db, const struct leen_actor *who, const char *token,
                     struct leen_err *err);

/* Loads the user user_id into *out. Returns 0, or -1 with err:
 * LEEN_E_NOT_FOUND, LEEN_E_DB_UNAVAILABLE, LEEN_E_INTERNAL. */
int leen_auth_describe(struct leen_db *db, int64_t user_id, struct leen_auth_user *out,
                       struct leen_err *err) __attribute__((warn_unused_result));

/* Called once per user listed; return 0 to go on, -1 to stop (the list
 * then returns -1 with err as the callback left it). */
typedef int leen_auth_user_cb(const struct leen_auth_user *u, void *ctx, struct leen_err *err);

/* Lists the users of org_id in id order, those with an id above after_id,
 * at most limit (1..1000) of them. Returns 0, or -1 with err. */
int leen_auth_list_users(struct leen_db *db, int64_t org_id, int64_t after_id, int limit,
                         leen_auth_user_cb *cb, void *ctx, struct leen_err *err)
    __attribute__((warn_unused_result));

/* The SHA-256 of a token, as stored (a cache key for callers). Returns 0,
 * or -1 when token is not LEEN_TOKEN_LEN base64url characters. */
int leen_auth_token_hash(const char *token, unsigned char out[LEEN_TOKEN_HASH_SIZE]);

#endif
