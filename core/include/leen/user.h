/* People who log in: their role and the libraries they act in. */
#ifndef LEEN_USER_H
#define LEEN_USER_H

#include <stddef.h>
#include <stdint.h>

#include "leen/db.h"

enum leen_role {
  LEEN_ROLE_VOLUNTEER,
  LEEN_ROLE_COORDINATOR,
  LEEN_ROLE_SOCIAL_WORKER,
  LEEN_ROLE_ADMIN,
};

/* "volunteer" ... "admin"; NULL for an unknown role. */
const char *leen_role_name(enum leen_role role);
/* Parses a role name. Returns 0, or -1 for an unknown name. */
int leen_role_parse(const char *name, enum leen_role *out);

struct leen_user_new {
  const char *username;
  const char *password;          /* plain text; only its hash is stored */
  enum leen_role role;
  const char *const *libraries;  /* library slugs; may be NULL when nlibraries is 0 */
  size_t nlibraries;
  const char *org;               /* org slug; NULL: the install's only org */
  int64_t by_user;               /* who creates it, for the audit; 0: the system (leen-api create-user) */
};

/* Creates a user; the password is hashed with crypto_pwhash_str.
 * Returns 0 and sets *id, or -1 with err: LEEN_E_INVALID_FIELD (bad
 * username, short password, libraries given to an admin or social worker),
 * LEEN_E_NOT_FOUND (unknown library or org), LEEN_E_CONFLICT (username taken). */
int leen_user_create(struct leen_db *db, const struct leen_user_new *u, int64_t *id,
                     struct leen_err *err) __attribute__((warn_unused_result));

/* Checks a password against a stored crypto_pwhash_str hash: 1 match, 0 not. */
int leen_password_verify(const char *hash, const char *password);

#endif
