#include "leen/idempotency.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_internal.h"

/* status 0 marks a claim whose operation is still running. */
static const struct leen_stmt stmts[] = {
  {"idempotency_claim",
   "INSERT INTO idempotency_keys AS k (user_id, key, request_hash, status, response)"
   " VALUES ($1::bigint, $2, decode($3, 'hex'), 0, '')"
   " ON CONFLICT (user_id, key) DO UPDATE"
   "   SET request_hash = excluded.request_hash, status = 0, response = '', created_at = now()"
   "   WHERE k.created_at < now() - interval '24 hours'"
   "      OR (k.status = 0 AND k.created_at < now() - interval '60 seconds')"
   " RETURNING 1"},
  {"idempotency_read",
   "SELECT request_hash = decode($3, 'hex'), status, response FROM idempotency_keys"
   " WHERE user_id = $1::bigint AND key = $2"},
  {"idempotency_store",
   "UPDATE idempotency_keys SET status = $3::int, response = $4"
   " WHERE user_id = $1::bigint AND key = $2 AND status = 0"},
  {"idempotency_abandon",
   "DELETE FROM idempotency_keys WHERE user_id = $1::bigint AND key = $2 AND status = 0"},
};
enum { S_CLAIM, S_READ, S_STORE, S_ABANDON };

void leen_idempotency_release(struct leen_idempotency *r)
{
  if (!r)
    return;
  free(r->response);
  r->response = NULL;
}

static int valid_key(const char *key)
{
  size_t n = key ? strlen(key) : 0;
  if (n < 1 || n > LEEN_IDEMPOTENCY_KEY_MAX)
    return 0;
  for (size_t i = 0; i < n; i++)
    if ((unsigned char)key[i] < 0x21 || (unsigned char)key[i] > 0x7e)
      return 0;
  return 1;
}

int leen_idempotency_claim(struct leen_db *db, int64_t user_id, const char *key,
                           const unsigned char hash[LEEN_IDEMPOTENCY_HASH_SIZE],
                           struct leen_idempotency *out, struct leen_err *err)
{
  memset(out, 0, sizeof *out);
  if (!valid_key(key))
    return leen_error(err, LEEN_E_INVALID_FIELD,
                      "an idempotency key is 1 to %d visible ASCII characters",
                      LEEN_IDEMPOTENCY_KEY_MAX);
  char uid[24], hex[2 * LEEN_IDEMPOTENCY_HASH_SIZE + 1];
  snprintf(uid, sizeof uid, "%lld", (long long)user_id);
  sodium_bin2hex(hex, sizeof hex, hash, LEEN_IDEMPOTENCY_HASH_SIZE);
  const char *p[] = {uid, key, hex};
  /* A key abandoned between our insert and our read is simply claimed
   * again; give up after a few rounds of that. */
  for (int round = 0; round < 5; round++) {
    PGresult *r = db_exec(db, &stmts[S_CLAIM], 3, p, err);
    if (!r)
      return -1;
    int claimed = PQntuples(r) == 1;
    PQclear(r);
    if (claimed) {
      out->state = LEEN_IDEMPOTENCY_NEW;
      return 0;
    }
    r = db_exec(db, &stmts[S_READ], 3, p, err);
    if (!r)
      return -1;
    if (PQntuples(r) == 0) {
      PQclear(r);
      continue;
    }
    int same = db_bool(r, 0, 0);
    int status = (int)db_int64(r, 0, 1);
    if (!same) {
      out->state = LEEN_IDEMPOTENCY_MISMATCH;
    } else if (status == 0) {
      out->state = LEEN_IDEMPOTENCY_IN_PROGRESS;
    } else {
      out->response = strdup(PQgetvalue(r, 0, 2));
      if (!out->response) {
        PQclear(r);
        return leen_error(err, LEEN_E_INTERNAL, "out of memory");
      }
      out->state = LEEN_IDEMPOTENCY_REPLAY;
      out->status = status;
    }
    PQclear(r);
    return 0;
  }
  out->state = LEEN_IDEMPOTENCY_IN_PROGRESS;
  return 0;
}

int leen_idempotency_store(struct leen_db *db, int64_t user_id, const char *key, int status,
                           const char *response, struct leen_err *err)
{
  if (status < 100 || status > 599 || !response)
    return leen_error(err, LEEN_E_INTERNAL, "cannot store status %d", status);
  char uid[24], st[16];
  snprintf(uid, sizeof uid, "%lld", (long long)user_id);
  snprintf(st, sizeof st, "%d", status);
  const char *p[] = {uid, key, st, response};
  PGresult *r = db_exec(db, &stmts[S_STORE], 4, p, err);
  if (!r)
    return -1;
  int updated = strcmp(PQcmdTuples(r), "1") == 0;
  PQclear(r);
  if (!updated)
    return leen_error(err, LEEN_E_CONFLICT, "idempotency key \"%s\" is not in progress", key);
  return 0;
}

int leen_idempotency_abandon(struct leen_db *db, int64_t user_id, const char *key,
                             struct leen_err *err)
{
  char uid[24];
  snprintf(uid, sizeof uid, "%lld", (long long)user_id);
  const char *p[] = {uid, key};
  PGresult *r = db_exec(db, &stmts[S_ABANDON], 2, p, err);
  if (!r)
    return -1;
  PQclear(r);
  return 0;
}
