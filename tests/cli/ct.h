/* What the CLI suites share: a database with two libraries (fietsbieb,
 * babytheek: every day an opening session), categories, a user of each
 * role (all with CT_PASSWORD), a running leen-api, and running `leen` as
 * one of those users. Suites for commands whose API route is not built
 * yet skip themselves (CT_NEED_ROUTE) and run once it exists. */
#ifndef LEEN_TESTS_CT_H
#define LEEN_TESTS_CT_H

#include "tsupport.h"

#define CT_PASSWORD "test-password-1"

enum ct_who { CT_NONE, CT_VOLUNTEER, CT_COORDINATOR, CT_SOCIAL_WORKER, CT_ADMIN, CT_WHO_COUNT };

struct ct_env {
  char *ci;
  struct ts_api api;
  char home[96];                 /* XDG_CONFIG_HOME the CLI sees: a fresh directory */
  char *token[CT_WHO_COUNT];     /* after ct_setup: every user logged in */
  int64_t cat_bike, cat_bike_big, cat_stroller;  /* category ids */
  cJSON *openapi;                /* the server's /openapi.json */
};

/* Creates it all; the tokens come from POST /v1/auth/login. */
void ct_setup(struct ct_env *e);
/* Stops and removes it all; harmless when done already. */
void ct_teardown(struct ct_env *e);

/* Runs leen as `who` (its token in LEEN_TOKEN; CT_NONE: no token) with
 * the arguments (NULL-terminated) and extra environment entries (may be
 * NULL). LANGUAGE is unset, so the output is Dutch. */
void ct_leenv(const struct ct_env *e, enum ct_who who, const char *const *env,
              const char *const *args, struct ts_run *r);
#define ct_leen(e, who, r, ...) \
  ct_leenv((e), (who), NULL, (const char *const[]){__VA_ARGS__, NULL}, (r))

/* Whether the server has a route (path as in the API's table, e.g.
 * "/v1/items/{code}"). */
int ct_has_route(const struct ct_env *e, const char *method, const char *path);
/* A skipped test does not reach the suite's .fini, so the server, the
 * database and the directory go first. */
#define CT_NEED_ROUTE(e, method, path)                                        \
  do {                                                                        \
    if (!ct_has_route((e), (method), (path))) {                               \
      ct_teardown(e);                                                         \
      cr_skip_test("%s %s is not in this leen-api yet", (method), (path));    \
    }                                                                         \
  } while (0)

/* A household by SQL (name, postcode); returns its member number. */
int64_t ct_household(const struct ct_env *e, const char *name);
/* An item by SQL in a library's category; returns its code (static buffer
 * per call: copy it). */
const char *ct_item(const struct ct_env *e, const char *library, int64_t category,
                    const char *name, char out[16]);
/* Runs SQL and returns the first cell as a number. */
long long ct_sql_int(const struct ct_env *e, const char *sql);
/* Parses JSON out of stdout (asserts it is JSON). */
cJSON *ct_json(const struct ts_run *r);

#endif
