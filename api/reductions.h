/* Reductions and vouchers, for the social service: GET, POST
 * /v1/reductions; GET, DELETE /v1/reductions/{id}; GET
 * /v1/reductions/{id}/voucher.pdf (reductions.c). Volunteers never reach
 * these: they see a household's reduction as {active, valid_until} only. */
#ifndef LEEN_API_REDUCTIONS_H
#define LEEN_API_REDUCTIONS_H

#include "api.h"

int api_reductions_list(struct api_req *r);
int api_reductions_create(struct api_req *r);
int api_reductions_get(struct api_req *r);
int api_reductions_revoke(struct api_req *r);
int api_reductions_voucher_pdf(struct api_req *r);

#endif
