#include "leen/user.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "db_internal.h"
#include "journal.h"

static const char *const role_names[] = {"volunteer", "coordinator", "social_worker", "admin"};

static const struct leen_stmt stmts[] = {
  {"user_insert",
   "INSERT INTO users (org_id, username, password_hash, role)"
   " SELECT o.id, $1, $2, $3 FROM orgs o"
   " WHERE ($4::text IS NULL AND o.id = (SELECT min(id) FROM orgs)) OR o.slug = $4"
   " RETURNING id, org_id"},
  {"user_add_library",
   "INSERT INTO user_libraries (user_id, library_id)"
   " SELECT $1::bigint, l.id FROM libraries l WHERE l.slug = $2 AND l.org_id = $3::bigint"},
};
enum { S_INSERT, S_ADD_LIBRARY };

const char *leen_role_name(enum leen_role role)
{
  return (unsigned)role < sizeof role_names / sizeof role_names[0] ? role_names[role] : NULL;
}

int leen_role_parse(const char *name, enum leen_role *out)
{
  for (size_t i = 0; name && i < sizeof role_names / sizeof role_names[0]; i++)
    if (strcmp(role_names[i], name) == 0) {
      *out = (enum leen_role)i;
      return 0;
    }
  return -1;
}

struct create_ctx {
  const struct leen_user_new *u;
  const char *hash;
  int64_t id;
};

static int create_tx(struct leen_db *db, void *p, struct leen_err *err)
{
  struct create_ctx *c = p;
  const char *params[] = {c->u->username, c->hash, leen_role_name(c->u->role), c->u->org};
  PGresult *r = db_exec(db, &stmts[S_INSERT], 4, params, err);
  if (!r) {
    if (err->code == LEEN_E_CONFLICT)
      leen_error_field(err, LEEN_E_CONFLICT, "/username", "username \"%s\" is taken",
                       c->u->username);
    else if (err->code == LEEN_E_INVALID_FIELD)
      leen_error_field(err, LEEN_E_INVALID_FIELD, "/username",
                       "a username is 1 to 64 letters, digits or . _ @ -");
    return -1;
  }
  if (PQntuples(r) == 0) {
    PQclear(r);
    return leen_error_field(err, LEEN_E_NOT_FOUND, "/org", "no such org \"%s\"",
                            c->u->org ? c->u->org : "");
  }
  c->id = db_int64(r, 0, 0);
  char id[24], org[24];
  snprintf(id, sizeof id, "%lld", (long long)c->id);
  snprintf(org, sizeof org, "%s", PQgetvalue(r, 0, 1));
  PQclear(r);
  for (size_t i = 0; i < c->u->nlibraries; i++) {
    const char *lp[] = {id, c->u->libraries[i], org};
    r = db_exec(db, &stmts[S_ADD_LIBRARY], 3, lp, err);
    if (!r)
      return -1;
    int found = strcmp(PQcmdTuples(r), "1") == 0;
    PQclear(r);
    if (!found)
      return leen_error_field(err, LEEN_E_NOT_FOUND, "/libraries", "no such library \"%s\"",
                              c->u->libraries[i]);
  }
  /* the audit names the role, never the password or its hash */
  struct leen_actor by = {.user_id = c->u->by_user};
  char details[96];
  snprintf(details, sizeof details, "{\"role\": \"%s\", \"libraries\": %zu}",
           leen_role_name(c->u->role), c->u->nlibraries);
  return audit_log(db, &by, "user.create", "user", id, details, err);
}

int leen_user_create(struct leen_db *db, const struct leen_user_new *u, int64_t *id,
                     struct leen_err *err)
{
  if (!u->username || !*u->username)
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/username", "a username is required");
  if (!leen_role_name(u->role))
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/role", "unknown role");
  if (!u->password || strlen(u->password) < 8)
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/password",
                            "a password has at least 8 characters");
  if (u->nlibraries && (u->role == LEEN_ROLE_ADMIN || u->role == LEEN_ROLE_SOCIAL_WORKER))
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/libraries",
                            "admins and social workers act across the org and take no libraries");
  if (sodium_init() < 0)
    return leen_error(err, LEEN_E_INTERNAL, "could not initialise libsodium");
  char hash[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(hash, u->password, strlen(u->password),
                        crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    return leen_error(err, LEEN_E_INTERNAL, "could not hash the password");
  struct create_ctx c = {u, hash, 0};
  if (db_tx(db, create_tx, &c, err) < 0)
    return -1;
  if (id)
    *id = c.id;
  return 0;
}

int leen_password_verify(const char *hash, const char *password)
{
  if (!hash || !password || sodium_init() < 0)
    return 0;
  return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}
