/* Circulation routes (api/loans.c): check-out, return, swap, renew and the
 * loan lists. Each moving route is one call of core (one SQL function, one
 * round trip). */
#ifndef LEEN_API_LOANS_H
#define LEEN_API_LOANS_H

#include "api.h"
#include "leen/loan.h"

/* The JSON "loan" of DESIGN.md, with the extra fields core gives. */
cJSON *api_loan_json(const struct leen_loan *l);

int api_loans_create(struct api_req *r);   /* POST /v1/loans */
int api_returns_create(struct api_req *r); /* POST /v1/returns */
int api_swaps_create(struct api_req *r);   /* POST /v1/swaps */
int api_loans_renew(struct api_req *r);    /* POST /v1/loans/{id}/renew */
int api_loans_list(struct api_req *r);     /* GET /v1/loans */
int api_loans_get(struct api_req *r);      /* GET /v1/loans/{id} */

/* A path capture that must be a positive id: 1 with *id, or 0 after a
 * 404 reply (a path that names nothing). */
int api_circ_path_id(struct api_req *r, const char *what, int64_t *id);

/* The ?cursor= of the circulation lists holds the last id seen: *out gets
 * it (0 on the first page); a cursor that is not one records an error. */
void api_circ_cursor(struct api_req *r, const struct api_page *page, int64_t *out);

#endif
