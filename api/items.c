/* Items: GET and POST /v1/items, GET and PATCH /v1/items/{code}. The path
 * names an item by its code in any form people and scanners give it
 * (FB0042, fb-0042, a label URL ending in the code, percent-encoded). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "items.h"
#include "libraries.h"

static const char *const statuses[] = {"available", "on_loan",  "reserved", "cleaning",
                                       "in_repair", "retired", "lost",     NULL};

static void add_date(cJSON *o, const char *name, const char *date)
{
  if (date[0])
    cJSON_AddStringToObject(o, name, date);
  else
    cJSON_AddNullToObject(o, name);
}

cJSON *api_item_json(const struct leen_item *it)
{
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "code", it->code);
  cJSON_AddStringToObject(o, "library", it->library);
  cJSON_AddNumberToObject(o, "category_id", (double)it->category_id);
  cJSON_AddStringToObject(o, "category", it->category);
  cJSON_AddStringToObject(o, "name", it->name);
  /* PostgreSQL's jsonb text, passed on as it is: parsing it into doubles
   * could round a long number a volunteer typed */
  cJSON_AddItemToObject(o, "attributes",
                        cJSON_CreateRaw(it->attributes && it->attributes[0] ? it->attributes : "{}"));
  add_date(o, "expires_on", it->expires_on);
  if (it->deposit_cents < 0)
    cJSON_AddNullToObject(o, "deposit_cents");
  else
    cJSON_AddNumberToObject(o, "deposit_cents", (double)it->deposit_cents);
  add_date(o, "safety_checked_on", it->safety_checked_on);
  cJSON_AddStringToObject(o, "status", it->status);
  if (it->reserved_for > 0)
    cJSON_AddNumberToObject(o, "reserved_for", (double)it->reserved_for);
  else
    cJSON_AddNullToObject(o, "reserved_for");
  cJSON_AddNumberToObject(o, "version", (double)it->version);
  return o;
}

int api_item_code_param(struct api_req *r, char code[16])
{
  if (r->nparams < 1 || leen_item_code_normalize(r->params[0], code) < 0) {
    api_reply_code(r, LEEN_E_NOT_FOUND, "no item has this code");
    return -1;
  }
  return 0;
}

/* Core names the category filter /category_id; the query says ?category. */
static int reply_list_error(struct api_req *r, struct leen_err *err)
{
  static const char *const params[] = {"library", "category", "status", NULL};
  if (strcmp(err->field, "/category_id") == 0)
    snprintf(err->field, sizeof err->field, "/category");
  return api_reply_param_error(r, err, params);
}

int api_items_list(struct api_req *r)
{
  struct api_page page;
  if (api_page_parse(r, &page) < 0)
    return 0;
  struct leen_item_query q = {0};
  int status = -1;
  q.library = api_query(r, "library");
  if (q.library && !q.library[0])
    api_in_error(r, LEEN_E_INVALID_FIELD, "?library", "is empty");
  api_query_int(r, "category", API_OPTIONAL, 1, INT64_MAX / 2, &q.category_id);
  if (api_query_enum(r, "status", API_OPTIONAL, statuses, &status) > 0)
    q.status = statuses[status];
  if (page.after[0]) {
    char *end = NULL;
    long long after = strtoll(page.after, &end, 10);
    if (*end || after <= 0)
      api_in_error(r, LEEN_E_INVALID_FIELD, "?cursor", "is not a cursor of this list");
    q.after = after;
  }
  if (r->nerrors)
    return api_reply_fields(r);
  q.limit = (size_t)page.limit;
  struct leen_err err;
  struct leen_db *db = api_db(r, &err);
  struct leen_item_list list = {0};
  if (!db || leen_item_list(db, &r->actor, &q, &list, &err) < 0)
    return reply_list_error(r, &err);
  cJSON *items = cJSON_CreateArray();
  for (size_t i = 0; i < list.n; i++)
    cJSON_AddItemToArray(items, api_item_json(&list.items[i]));
  char next[24] = "";
  if (list.next_after > 0)
    snprintf(next, sizeof next, "%" PRId64, list.next_after);
  leen_item_list_release(&list);
  return api_reply_page(r, items, next[0] ? next : NULL);
}

/* The attributes object as compact JSON text (malloc'ed) in *text; -1 with
 * an error recorded when it is too large. */
static int attributes_text(struct api_req *r, const cJSON *obj, char **text)
{
  *text = cJSON_PrintUnformatted(obj);
  if (!*text) {
    api_in_error(r, LEEN_E_INTERNAL, "/attributes", "could not be read");
    return -1;
  }
  if (strlen(*text) > LEEN_ITEM_ATTRIBUTES_MAX) {
    api_in_error(r, LEEN_E_INVALID_FIELD, "/attributes", "must be at most %d bytes of JSON",
                 LEEN_ITEM_ATTRIBUTES_MAX);
    free(*text);
    *text = NULL;
    return -1;
  }
  return 0;
}

int api_items_create(struct api_req *r)
{
  struct api_in in;
  struct leen_item_new it;
  char expires[11] = "", checked[11] = "";
  const cJSON *attrs = NULL;
  char *attrs_text = NULL;
  leen_item_new_init(&it);
  api_in_init(&in, r, r->json, "");
  api_in_string(&in, "library", API_OPTIONAL, 63, &it.library);
  api_in_int(&in, "category_id", API_REQUIRED, 1, INT64_MAX / 2, &it.category_id);
  api_in_string(&in, "name", API_REQUIRED, 200, &it.name);
  api_in_object(&in, "attributes", API_OPTIONAL, &attrs);
  if (api_in_date(&in, "expires_on", API_OPTIONAL, expires) > 0)
    it.expires_on = expires;
  api_in_money(&in, "deposit_cents", API_OPTIONAL, 0, 0, &it.deposit_cents);
  if (api_in_date(&in, "safety_checked_on", API_OPTIONAL, checked) > 0)
    it.safety_checked_on = checked;
  if (api_in_end(&in) < 0)
    return api_reply_fields(r);
  if (attrs && attributes_text(r, attrs, &attrs_text) < 0)
    return api_reply_fields(r);
  it.attributes = attrs_text;
  struct leen_err err;
  struct leen_db *db = api_db(r, &err);
  struct leen_item out = {0};
  int rc;
  if (!db || leen_item_create(db, &r->actor, &it, &out, &err) < 0) {
    rc = api_reply_error(r, &err);
  } else {
    api_etag_set(r, out.version);
    rc = api_reply_json(r, 201, api_item_json(&out));
  }
  leen_item_release(&out);
  free(attrs_text);
  return rc;
}

int api_items_get(struct api_req *r)
{
  char code[16];
  if (api_item_code_param(r, code) < 0)
    return 0;
  struct leen_err err;
  struct leen_db *db = api_db(r, &err);
  struct leen_item it = {0};
  if (!db || leen_item_get(db, &r->actor, code, &it, &err) < 0)
    return api_reply_error(r, &err);
  api_etag_set(r, it.version);
  int rc = api_reply_json(r, 200, api_item_json(&it));
  leen_item_release(&it);
  return rc;
}

/* PATCH: every member optional; expires_on, safety_checked_on and
 * deposit_cents may be null (no expiry, never checked, the category's
 * deposit); the others may not. */
int api_items_update(struct api_req *r)
{
  char code[16];
  int64_t version = 0;
  if (api_item_code_param(r, code) < 0 || api_if_match(r, &version) < 0)
    return 0;
  if (version == 0) /* "v0": versions start at 1, so it never matches */
    return api_reply_code(r, LEEN_E_PRECONDITION_FAILED, "the item changed since it was read");
  struct api_in in;
  struct leen_item_new it;
  char expires[11] = "", checked[11] = "";
  const cJSON *attrs = NULL;
  char *attrs_text = NULL;
  unsigned f = 0;
  int status = 0;
  leen_item_new_init(&it);
  api_in_init(&in, r, r->json, "");
  static const char *const not_null[] = {"name", "attributes", "category_id", "status", NULL};
  for (size_t i = 0; not_null[i]; i++) {
    char ptr[64];
    if (api_in_is_null(&in, not_null[i]))
      api_in_error(r, LEEN_E_INVALID_FIELD, api_pointer_append(ptr, sizeof ptr, "", not_null[i]),
                   "must not be null");
  }
  f |= api_in_string(&in, "name", API_OPTIONAL, 200, &it.name) > 0 ? LEEN_ITEM_NAME : 0;
  f |= api_in_object(&in, "attributes", API_OPTIONAL, &attrs) > 0 ? LEEN_ITEM_ATTRIBUTES : 0;
  f |= api_in_int(&in, "category_id", API_OPTIONAL, 1, INT64_MAX / 2, &it.category_id) > 0
           ? LEEN_ITEM_CATEGORY_ID
           : 0;
  if (api_in_enum(&in, "status", API_OPTIONAL, statuses, &status) > 0) {
    f |= LEEN_ITEM_STATUS;
    it.status = statuses[status];
  }
  /* null clears these: the bit is set and the value stays "none" */
  if (api_in_is_null(&in, "expires_on") || api_in_date(&in, "expires_on", API_OPTIONAL, expires) > 0)
    f |= LEEN_ITEM_EXPIRES_ON;
  it.expires_on = expires;
  if (api_in_is_null(&in, "safety_checked_on") ||
      api_in_date(&in, "safety_checked_on", API_OPTIONAL, checked) > 0)
    f |= LEEN_ITEM_SAFETY_CHECKED_ON;
  it.safety_checked_on = checked;
  if (api_in_is_null(&in, "deposit_cents") ||
      api_in_money(&in, "deposit_cents", API_OPTIONAL, 0, 0, &it.deposit_cents) > 0)
    f |= LEEN_ITEM_DEPOSIT_CENTS;
  if (api_in_end(&in) < 0)
    return api_reply_fields(r);
  if (!f) {
    api_in_error(r, LEEN_E_INVALID_FIELD, "", "the body names no field to change");
    return api_reply_fields(r);
  }
  if (attrs && attributes_text(r, attrs, &attrs_text) < 0)
    return api_reply_fields(r);
  it.attributes = attrs_text;
  struct leen_err err;
  struct leen_db *db = api_db(r, &err);
  struct leen_item out = {0};
  int rc;
  /* If-Match: * (version -1) accepts whatever version is stored */
  if (!db || leen_item_update(db, &r->actor, code, &it, f, version < 0 ? 0 : version, &out,
                              &err) < 0) {
    rc = api_reply_error(r, &err);
  } else {
    api_etag_set(r, out.version);
    rc = api_reply_json(r, 200, api_item_json(&out));
  }
  leen_item_release(&out);
  free(attrs_text);
  return rc;
}
