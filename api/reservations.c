/* Reservations: GET and POST /v1/reservations, DELETE
 * /v1/reservations/{id}. A household waits for a category or one item;
 * the list gives each reservation's place in its queue. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loans.h"
#include "reservations.h"

cJSON *api_reservation_json(const struct leen_reservation *res)
{
  cJSON *o = cJSON_CreateObject();
  cJSON_AddNumberToObject(o, "id", (double)res->id);
  cJSON_AddNumberToObject(o, "household", res->household);
  cJSON_AddStringToObject(o, "library", res->library);
  if (res->category_id > 0)
    cJSON_AddNumberToObject(o, "category_id", (double)res->category_id);
  else
    cJSON_AddNullToObject(o, "category_id");
  if (res->item[0])
    cJSON_AddStringToObject(o, "item", res->item);
  else
    cJSON_AddNullToObject(o, "item");
  cJSON_AddStringToObject(o, "wanted_from", res->wanted_from);
  cJSON_AddStringToObject(o, "status", res->status);
  if (res->offered_item[0])
    cJSON_AddStringToObject(o, "offered_item", res->offered_item);
  else
    cJSON_AddNullToObject(o, "offered_item");
  cJSON_AddStringToObject(o, "created_at", res->created_at);
  cJSON_AddNumberToObject(o, "position", res->position);
  return o;
}

/* The category is "category_id" as in the category and item shapes;
 * "category" is taken too. Returns the name read, or NULL. */
static const char *read_category(struct api_in *in, int64_t *out)
{
  int64_t a = 0, b = 0;
  int ra = api_in_int(in, "category_id", API_OPTIONAL, 1, INT64_MAX, &a);
  int rb = api_in_int(in, "category", API_OPTIONAL, 1, INT64_MAX, &b);
  *out = 0;
  if (ra == 1 && rb == 1) {
    api_in_error(in->r, LEEN_E_INVALID_FIELD, "/category", "give category_id or category, not both");
    return NULL;
  }
  *out = ra == 1 ? a : b;
  return ra == 1 ? "/category_id" : rb == 1 ? "/category" : NULL;
}

int api_reservations_create(struct api_req *r)
{
  struct api_in in;
  struct leen_reservation_new nr = {0};
  int64_t household = 0;
  char wanted[11];
  api_in_init(&in, r, r->json, "");
  api_in_int(&in, "household", API_REQUIRED, 1, INT32_MAX, &household);
  const char *cat_name = read_category(&in, &nr.category_id);
  api_in_string(&in, "item", API_OPTIONAL, 500, &nr.item);
  if (api_in_date(&in, "wanted_from", API_OPTIONAL, wanted) == 1)
    nr.wanted_from = wanted;
  if (!r->nerrors && !nr.category_id == !nr.item)
    api_in_error(r, LEEN_E_INVALID_FIELD, nr.item ? "/item" : "/category_id",
                 "give either a category_id or an item");
  if (api_in_end(&in) < 0)
    return api_reply_fields(r);
  nr.household = (int32_t)household;

  struct leen_err err;
  struct leen_db *db = api_db(r, &err);
  struct leen_reservation res;
  if (!db || leen_reservation_create(db, &r->actor, &nr, &res, &err) < 0) {
    if (cat_name && strcmp(err.field, "/category") == 0)
      snprintf(err.field, sizeof err.field, "%s", cat_name);
    return api_reply_error(r, &err);
  }
  return api_reply_json(r, 201, api_reservation_json(&res));
}

int api_reservations_cancel(struct api_req *r)
{
  int64_t id;
  if (!api_circ_path_id(r, "reservation", &id))
    return 0;
  struct leen_err err;
  struct leen_db *db = api_db(r, &err);
  if (!db || leen_reservation_cancel(db, &r->actor, id, NULL, &err) < 0)
    return api_reply_error(r, &err);
  return api_reply_empty(r);
}

int api_reservations_list(struct api_req *r)
{
  struct api_page page;
  if (api_page_parse(r, &page) < 0)
    return 0;
  struct leen_reservation_filter f = {.limit = page.limit};
  int64_t household = 0, cat = 0, cat_id = 0;
  int open = 0;
  api_query_int(r, "household", API_OPTIONAL, 1, INT32_MAX, &household);
  f.library = api_query(r, "library");
  api_query_int(r, "category", API_OPTIONAL, 1, INT64_MAX / 2, &cat);
  api_query_int(r, "category_id", API_OPTIONAL, 1, INT64_MAX / 2, &cat_id);
  if (cat && cat_id && cat != cat_id)
    api_in_error(r, LEEN_E_INVALID_FIELD, "?category", "give category or category_id, not both");
  api_query_bool(r, "open", API_OPTIONAL, &open);
  api_circ_cursor(r, &page, &f.cursor);
  if (r->nerrors)
    return api_reply_fields(r);
  f.household = (int32_t)household;
  f.category_id = cat ? cat : cat_id;
  f.open = open;

  struct leen_err err;
  struct leen_db *db = api_db(r, &err);
  struct leen_reservation_list list;
  if (!db || leen_reservation_list(db, &r->actor, &f, &list, &err) < 0) {
    if (err.field[0] == '/')
      err.field[0] = '?';
    return api_reply_error(r, &err);
  }
  cJSON *items = cJSON_CreateArray();
  for (size_t i = 0; i < list.n; i++)
    cJSON_AddItemToArray(items, api_reservation_json(&list.items[i]));
  char next[24];
  snprintf(next, sizeof next, "%lld", (long long)list.next_cursor);
  int64_t more = list.next_cursor;
  leen_reservation_list_release(&list);
  return api_reply_page(r, items, more ? next : NULL);
}
