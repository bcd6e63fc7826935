/* Handlers of /v1/items (items.c) and the item's JSON shape. */
#ifndef LEEN_API_ITEMS_H
#define LEEN_API_ITEMS_H

#include "api.h"
#include "leen/item.h"

/* DESIGN.md's item: code, library, category_id, name, attributes,
 * expires_on, status; and category (its name), deposit_cents (null: the
 * category's applies), safety_checked_on, reserved_for (a member number or
 * null), version (what the ETag carries). */
cJSON *api_item_json(const struct leen_item *it);

/* Writes the canonical code of the item the path names (r->params[0], in
 * any form leen_item_code_normalize takes) to code and returns 0; replies
 * 404 not_found and returns -1 when it names no item code at all. */
int api_item_code_param(struct api_req *r, char code[16]);

int api_items_list(struct api_req *r);    /* GET /v1/items */
int api_items_create(struct api_req *r);  /* POST /v1/items */
int api_items_get(struct api_req *r);     /* GET /v1/items/{code} */
int api_items_update(struct api_req *r);  /* PATCH /v1/items/{code} */

#endif
