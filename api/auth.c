/* Bearer tokens: who is calling (for the dispatcher), and the login and
 * logout routes. */
#include <microhttpd.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "leen/auth.h"
#include "server_int.h"

static struct api_auth_entry *slot_for(struct api_auth_cache *c, const unsigned char *hash)
{
  /* the hash is uniformly random: its first byte is as good an index as any */
  return &c->slots[hash[0] % API_AUTH_CACHE_SLOTS];
}

static int cache_get(struct api_server *srv, const unsigned char *hash, struct leen_actor *out)
{
  if (!srv->cfg.auth_cache)
    return 0;
  int hit = 0;
  int64_t now = api_now_ns();
  pthread_mutex_lock(&srv->auth_cache->lock);
  struct api_auth_entry *e = slot_for(srv->auth_cache, hash);
  if (e->until_ns > now && sodium_memcmp(e->hash, hash, LEEN_TOKEN_HASH_SIZE) == 0) {
    *out = e->actor;
    hit = 1;
  }
  pthread_mutex_unlock(&srv->auth_cache->lock);
  return hit;
}

static void cache_put(struct api_server *srv, const unsigned char *hash,
                      const struct leen_actor *actor, int64_t expires_at)
{
  if (!srv->cfg.auth_cache)
    return;
  /* never beyond the token's own expiry */
  int64_t left = expires_at - (int64_t)time(NULL);
  int64_t keep = left < (int64_t)srv->cfg.auth_cache ? left : (int64_t)srv->cfg.auth_cache;
  if (keep <= 0)
    return;
  pthread_mutex_lock(&srv->auth_cache->lock);
  struct api_auth_entry *e = slot_for(srv->auth_cache, hash);
  /* a logout that ran while this request looked the token up wins */
  if (!(e->revoked && sodium_memcmp(e->hash, hash, LEEN_TOKEN_HASH_SIZE) == 0)) {
    memcpy(e->hash, hash, LEEN_TOKEN_HASH_SIZE);
    e->actor = *actor;
    e->until_ns = api_now_ns() + keep * 1000000000;
  }
  pthread_mutex_unlock(&srv->auth_cache->lock);
}

static void cache_drop(struct api_server *srv, const unsigned char *hash)
{
  pthread_mutex_lock(&srv->auth_cache->lock);
  struct api_auth_entry *e = slot_for(srv->auth_cache, hash);
  memcpy(e->hash, hash, LEEN_TOKEN_HASH_SIZE);
  e->until_ns = 0;
  e->revoked = 1;
  pthread_mutex_unlock(&srv->auth_cache->lock);
}

/* Takes the token out of "Bearer <token>" into r->token; -1 when absent
 * or not shaped like one of ours. */
static int bearer(struct api_req *r)
{
  const char *h = api_header(r, MHD_HTTP_HEADER_AUTHORIZATION);
  if (!h || strncasecmp(h, "Bearer ", 7) != 0)
    return -1;
  h += 7;
  while (*h == ' ')
    h++;
  size_t n = strcspn(h, " ");
  if (n != LEEN_TOKEN_LEN || h[n + strspn(h + n, " ")] != '\0')
    return -1;
  memcpy(r->token, h, n);
  r->token[n] = '\0';
  return 0;
}

int api_authenticate(struct api_req *r)
{
  if (!api_header(r, MHD_HTTP_HEADER_AUTHORIZATION)) {
    api_reply_code(r, LEEN_E_UNAUTHENTICATED, "send Authorization: Bearer <token>");
    return -1;
  }
  unsigned char hash[LEEN_TOKEN_HASH_SIZE];
  if (bearer(r) < 0 || leen_auth_token_hash(r->token, hash) < 0) {
    api_reply_code(r, LEEN_E_UNAUTHENTICATED, "the token is malformed");
    return -1;
  }
  if (cache_get(r->srv, hash, &r->actor))
    return 0;
  struct leen_err err;
  int64_t expires = 0;
  int rc = -1;
  /* A connection that broke while idle (PostgreSQL restarted) fails the
   * first statement; looking a token up is safe to repeat once. */
  for (int attempt = 0; attempt < 2 && rc < 0; attempt++) {
    struct leen_db *db = api_db(r, &err);
    if (!db)
      break;
    rc = leen_auth_resolve(db, r->token, &r->actor, &expires, &err);
    if (rc < 0 && !(err.code == LEEN_E_DB_UNAVAILABLE && leen_db_broken(db)))
      break;
  }
  if (rc < 0) {
    api_reply_error(r, &err);
    return -1;
  }
  cache_put(r->srv, hash, &r->actor, expires);
  return 0;
}

int api_auth_login(struct api_req *r)
{
  struct api_in in;
  const char *username = NULL, *password = NULL;
  api_in_init(&in, r, r->json, "");
  api_in_string(&in, "username", API_REQUIRED, 200, &username);
  api_in_string(&in, "password", API_REQUIRED, 1024, &password);
  if (api_in_end(&in) < 0)
    return api_reply_fields(r);
  struct leen_err err;
  struct leen_db *db = api_db(r, &err);
  if (!db)
    return api_reply_error(r, &err);
  char token[LEEN_TOKEN_SIZE];
  struct leen_auth_user u;
  int retry = 0;
  if (leen_auth_login(db, username, password, (int)r->srv->cfg.token_ttl, token, &u, &retry,
                      &err) < 0) {
    if (err.code == LEEN_E_RATE_LIMITED) {
      char s[16];
      snprintf(s, sizeof s, "%d", retry);
      api_add_header(r, MHD_HTTP_HEADER_RETRY_AFTER, s);
    }
    return api_reply_error(r, &err);
  }
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "token", token);
  cJSON_AddNumberToObject(o, "expires_in", r->srv->cfg.token_ttl);
  cJSON_AddItemToObject(o, "user", api_user_json(&u));
  sodium_memzero(token, sizeof token);
  api_add_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
  return api_reply_json(r, 200, o);
}

int api_auth_logout(struct api_req *r)
{
  struct leen_err err;
  struct leen_db *db = api_db(r, &err);
  if (!db || leen_auth_logout(db, &r->actor, r->token, &err) < 0)
    return api_reply_error(r, &err);
  unsigned char hash[LEEN_TOKEN_HASH_SIZE];
  if (leen_auth_token_hash(r->token, hash) == 0)
    cache_drop(r->srv, hash);
  return api_reply_empty(r);
}
