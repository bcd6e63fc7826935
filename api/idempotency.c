/* Idempotency-Key on the routes flagged API_F_IDEMPOTENT: the same key and
 * body replays the first answer; another body with the key is refused; a
 * second request while the first still runs waits for its answer. Only a
 * success is kept: a request that was refused changed nothing, so a retry
 * with the same key simply runs again. */
#include <microhttpd.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "leen/idempotency.h"
#include "server_int.h"

/* How long a second request with the same key waits for the first one
 * (which may hash a password or run a slow check-out) before 409. */
#define WAIT_NS (10 * (int64_t)1000000000)
#define POLL_NS (50 * 1000000)

/* The request as far as the key is concerned: method, path and body. */
static void request_hash(const struct api_req *r, unsigned char out[crypto_hash_sha256_BYTES])
{
  crypto_hash_sha256_state st;
  crypto_hash_sha256_init(&st);
  crypto_hash_sha256_update(&st, (const unsigned char *)r->method, strlen(r->method) + 1);
  crypto_hash_sha256_update(&st, (const unsigned char *)r->path, strlen(r->path) + 1);
  if (r->body)
    crypto_hash_sha256_update(&st, (const unsigned char *)r->body, r->body_len);
  crypto_hash_sha256_final(&st, out);
}

static void replay(struct api_req *r, struct leen_idempotency *c)
{
  const char *ct = c->status == 204   ? NULL
                   : c->status >= 400 ? "application/problem+json"
                                      : "application/json";
  size_t len = strlen(c->response);
  api_reply_raw(r, c->status, ct, c->response, len);
  c->response = NULL; /* the reply owns it */
  api_add_header(r, "Idempotent-Replayed", "true");
  atomic_fetch_add(&r->srv->metrics.idempotent_replays, 1);
}

int api_idempotency_begin(struct api_req *r)
{
  const char *key = api_header(r, "Idempotency-Key");
  if (!key)
    return 1;
  unsigned char hash[crypto_hash_sha256_BYTES];
  request_hash(r, hash);
  int64_t deadline = api_now_ns() + WAIT_NS;
  for (;;) {
    struct leen_err err;
    struct leen_idempotency c;
    struct leen_db *db = api_db(r, &err);
    if (!db || leen_idempotency_claim(db, r->actor.user_id, key, hash, &c, &err) < 0) {
      api_reply_error(r, &err);
      return 0;
    }
    switch (c.state) {
    case LEEN_IDEMPOTENCY_NEW:
      r->idem_key = key;
      r->idem_claimed = 1;
      return 1;
    case LEEN_IDEMPOTENCY_REPLAY:
      replay(r, &c);
      leen_idempotency_release(&c);
      return 0;
    case LEEN_IDEMPOTENCY_MISMATCH:
      api_reply_code(r, LEEN_E_IDEMPOTENCY_MISMATCH,
                     "this Idempotency-Key was used for another request");
      return 0;
    case LEEN_IDEMPOTENCY_IN_PROGRESS:
      break;
    }
    if (api_now_ns() > deadline) {
      api_reply_code(r, LEEN_E_CONFLICT,
                     "a request with this Idempotency-Key is still running; try again");
      return 0;
    }
    struct timespec ts = {0, POLL_NS};
    nanosleep(&ts, NULL);
  }
}

void api_idempotency_end(struct api_req *r)
{
  struct leen_err err;
  struct leen_db *db = api_db(r, &err);
  int rc = -1;
  if (db && r->status >= 200 && r->status < 400) {
    /* a reply body is JSON text: no NUL inside */
    char *text = strndup(r->out ? r->out : "", r->out_len);
    if (text)
      rc = leen_idempotency_store(db, r->actor.user_id, r->idem_key, r->status, text, &err);
    else
      leen_error(&err, LEEN_E_INTERNAL, "out of memory");
    free(text);
  } else if (db) {
    rc = leen_idempotency_abandon(db, r->actor.user_id, r->idem_key, &err);
  }
  if (rc < 0)
    fprintf(stderr, "could not settle idempotency key of %s %s: %s\n", r->method, r->path,
            err.message);
}
