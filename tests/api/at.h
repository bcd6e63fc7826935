/* What the API suites share: a database with two libraries and a user of
 * each role, a running leen-api, logins and requests. Users are inserted
 * with a precomputed password hash (hashing is slow by design). */
#ifndef LEEN_TESTS_AT_H
#define LEEN_TESTS_AT_H

#include "tsupport.h"

#define AT_PASSWORD "test-password-1"

/* the callers of the role matrix, in this order */
enum at_who { AT_NONE, AT_VOLUNTEER, AT_COORDINATOR, AT_SOCIAL_WORKER, AT_ADMIN, AT_WHO_COUNT };

struct at_env {
  char *ci;                        /* conninfo of the suite's database */
  struct ts_api api;
  char *token[AT_WHO_COUNT];       /* logged in when at_setup was asked to */
};

/* Creates the database (libraries fietsbieb and babytheek; users vol,
 * coord (fietsbieb), sw and admin, all with AT_PASSWORD), starts leen-api
 * with env (may be NULL) and, when login is set, logs every user in. */
void at_setup(struct at_env *e, const char *const *env, int login);
void at_teardown(struct at_env *e);

/* The username of a caller ("vol", "coord", "sw", "admin"; "" for none). */
const char *at_username(enum at_who who);
/* Logs in; returns the token (malloc'ed) and asserts 200. */
char *at_login(const struct at_env *e, const char *username, const char *password);

/* One request to path with an optional bearer token, body and extra
 * headers (NULL-terminated, may be NULL); asserts an answer came. */
void at_call(const struct at_env *e, const char *method, const char *path, const char *token,
             const char *body, const char *const *headers, struct ts_http *out);
/* The problem "code" of a reply, or "" when there is none. */
const char *at_code(const struct ts_http *h);
/* Member name of o as a number, a whole number or a string; asserts it
 * is one. */
double at_num(const cJSON *o, const char *name);
long long at_int(const cJSON *o, const char *name);
const char *at_str(const cJSON *o, const char *name);

#endif
