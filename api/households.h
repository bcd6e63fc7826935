/* Households and what hangs off them at the counter: the households and
 * their member card (households.c), memberships, vouchers, the ledger and
 * payments (payments.c), privacy requests (privacy.c). Reductions have
 * their own header (reductions.h). */
#ifndef LEEN_API_HOUSEHOLDS_H
#define LEEN_API_HOUSEHOLDS_H

#include <stdint.h>

#include "api.h"
#include "leen/household.h"

/* The household as DESIGN.md shows it to volunteers: number, name,
 * contact, postcode, language, children and reduction {active,
 * valid_until} only. */
cJSON *api_household_json(const struct leen_household *h);

/* The member number in path capture `value`: 1 .. 2^31-1 written as plain
 * digits. Returns 0 with *number, or replies 404 not_found and returns -1
 * (a path that names no household is not found, whatever it holds). */
int api_household_number(struct api_req *r, const char *value, int64_t *number);

/* Room for the children of one request: the months are copied out of
 * the body by api_in_month. */
struct api_kids {
  struct leen_child_new c[LEEN_HOUSEHOLD_MAX_CHILDREN];
  char month[LEEN_HOUSEHOLD_MAX_CHILDREN][8];
  size_t n;
};

/* Reads the array of children {first_name?, birth_month} at member `name`
 * of in's object into k; errors are recorded in in->r (api_in_*). */
void api_household_children(struct api_in *in, const char *name, struct api_kids *k);

/* households.c */
int api_households_list(struct api_req *r);
int api_households_create(struct api_req *r);
int api_households_get(struct api_req *r);
int api_households_patch(struct api_req *r);
int api_households_card(struct api_req *r);

/* payments.c: memberships, vouchers and money */
/* GET /v1/households/{number}/memberships: {"items": [membership...]},
 * newest first, every library */
int api_memberships_list(struct api_req *r);
int api_memberships_create(struct api_req *r);
int api_vouchers_redeem(struct api_req *r);
int api_ledger_list(struct api_req *r);
int api_payments_create(struct api_req *r);

/* privacy.c */
int api_households_export(struct api_req *r);
int api_households_anonymize(struct api_req *r);

#endif
