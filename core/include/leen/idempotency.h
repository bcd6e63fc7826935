/* Idempotency keys: a client sends the same request twice (a retry after a
 * timeout, a double click) and the operation happens once.
 *
 * A key belongs to a user. The first request claims it with a hash of the
 * request; the caller then performs the operation and stores the response
 * it gave. A later claim with the same hash gets that response back to
 * replay; a claim with another hash is a mismatch. Two claims at the same
 * moment are decided by the table's primary key: exactly one is new.
 * Keys are kept for 24 hours; a claim left in progress for 60 seconds (the
 * process died) can be taken over. */
#ifndef LEEN_IDEMPOTENCY_H
#define LEEN_IDEMPOTENCY_H

#include <stdint.h>

#include "leen/db.h"

#define LEEN_IDEMPOTENCY_HASH_SIZE 32
#define LEEN_IDEMPOTENCY_KEY_MAX 200   /* bytes */

enum leen_idempotency_state {
  LEEN_IDEMPOTENCY_NEW,          /* claimed: perform the operation, then store */
  LEEN_IDEMPOTENCY_REPLAY,       /* done before: status and response are set */
  LEEN_IDEMPOTENCY_MISMATCH,     /* the key was used for another request */
  LEEN_IDEMPOTENCY_IN_PROGRESS,  /* another request with this key is running */
};

struct leen_idempotency {
  enum leen_idempotency_state state;
  int status;        /* REPLAY: the stored status */
  char *response;    /* REPLAY: the stored response (malloc'ed), else NULL */
};

/* Claims key (1..LEEN_IDEMPOTENCY_KEY_MAX bytes) for user_id and the
 * request hash. Fills *out (release with leen_idempotency_release) and
 * returns 0, or returns -1 with err: LEEN_E_INVALID_FIELD (bad key),
 * LEEN_E_DB_UNAVAILABLE, LEEN_E_INTERNAL. */
int leen_idempotency_claim(struct leen_db *db, int64_t user_id, const char *key,
                           const unsigned char hash[LEEN_IDEMPOTENCY_HASH_SIZE],
                           struct leen_idempotency *out, struct leen_err *err)
    __attribute__((warn_unused_result));

/* Stores the response (status 100..599, text) of a key claimed as NEW.
 * Returns 0, or -1 with err (LEEN_E_CONFLICT when the key is not in
 * progress any more). */
int leen_idempotency_store(struct leen_db *db, int64_t user_id, const char *key, int status,
                           const char *response, struct leen_err *err);

/* Gives a key claimed as NEW up (the operation could not run, e.g. the
 * database went away) so that a retry performs it. Returns 0, or -1. */
int leen_idempotency_abandon(struct leen_db *db, int64_t user_id, const char *key,
                             struct leen_err *err);

/* Frees what *r owns; NULL is harmless. */
void leen_idempotency_release(struct leen_idempotency *r);

#endif
