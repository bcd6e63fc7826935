/* Handlers of the libraries, their opening sessions, closures, one-off
 * openings and categories (libraries.c), and the JSON shapes they answer
 * with. */
#ifndef LEEN_API_LIBRARIES_H
#define LEEN_API_LIBRARIES_H

#include "api.h"
#include "leen/category.h"
#include "leen/library.h"

/* The library as DESIGN.md's shape: slug ... schedule, targets (a target
 * not set is null). Every member is one PATCH accepts, so a client can
 * send back what it read. */
cJSON *api_library_json(const struct leen_library *l);
/* {id, library, name, deposit_cents, loan_days, components, min_age_months,
 * max_age_months, safety_check}; an age bound not set is null. */
cJSON *api_category_json(const struct leen_category *c);

/* Replies with err, naming a query parameter instead of a JSON pointer
 * when err->field is "/<name>" for one of params (NULL-terminated): core
 * names its inputs "/from", the client sent "?from=". Returns 0. */
int api_reply_param_error(struct api_req *r, const struct leen_err *err,
                          const char *const *params);

int api_libraries_list(struct api_req *r);     /* GET /v1/libraries */
int api_libraries_create(struct api_req *r);   /* POST /v1/libraries */
int api_libraries_get(struct api_req *r);      /* GET /v1/libraries/{slug} */
int api_libraries_update(struct api_req *r);   /* PATCH /v1/libraries/{slug} */
int api_sessions_list(struct api_req *r);      /* GET /v1/libraries/{slug}/sessions */
int api_closures_create(struct api_req *r);    /* POST /v1/libraries/{slug}/closures */
int api_openings_create(struct api_req *r);    /* POST /v1/libraries/{slug}/openings */
int api_categories_list(struct api_req *r);    /* GET /v1/libraries/{slug}/categories */
int api_categories_create(struct api_req *r);  /* POST /v1/libraries/{slug}/categories */

#endif
