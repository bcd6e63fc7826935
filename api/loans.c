/* Circulation: POST /v1/loans (check-out), /v1/returns, /v1/swaps,
 * /v1/loans/{id}/renew, and GET /v1/loans, /v1/loans/{id}. Each handler
 * reads its fields, makes one core call (one SQL function, one round trip)
 * and replies; role and library are checked by core from r->actor. */
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loans.h"

#define CODE_MAX 500 /* an item code may come as a whole label URL */
#define AT_MAX 40
#define MISSING_MAX 100

static const char *const methods[] = {"cash", "payconiq", "transfer", "waived", NULL};
static const char *const conditions[] = {"ok", "needs_cleaning", "needs_repair", NULL};

static void add_text_or_null(cJSON *o, const char *name, const char *s)
{
  if (s && s[0])
    cJSON_AddStringToObject(o, name, s);
  else
    cJSON_AddNullToObject(o, name);
}

static void add_id_or_null(cJSON *o, const char *name, int64_t id)
{
  if (id > 0)
    cJSON_AddNumberToObject(o, name, (double)id);
  else
    cJSON_AddNullToObject(o, name);
}

cJSON *api_loan_json(const struct leen_loan *l)
{
  cJSON *o = cJSON_CreateObject();
  cJSON_AddNumberToObject(o, "id", (double)l->id);
  cJSON_AddStringToObject(o, "item", l->item);
  cJSON_AddNumberToObject(o, "household", l->household);
  add_id_or_null(o, "child_id", l->child_id);
  cJSON_AddStringToObject(o, "library", l->library);
  cJSON_AddStringToObject(o, "started_at", l->started_at);
  cJSON_AddStringToObject(o, "due_on", l->due_on);
  cJSON_AddNumberToObject(o, "deposit_cents", (double)l->deposit_cents);
  cJSON_AddStringToObject(o, "deposit_method", l->deposit_method);
  add_text_or_null(o, "returned_at", l->returned_at);
  add_text_or_null(o, "return_condition", l->return_condition);
  cJSON_AddNumberToObject(o, "refund_cents", (double)l->refund_cents);
  cJSON_AddNumberToObject(o, "withheld_cents", (double)l->withheld_cents);
  add_text_or_null(o, "withheld_reason", l->withheld_reason);
  cJSON *missing = cJSON_AddArrayToObject(o, "missing_components");
  for (size_t i = 0; i < l->nmissing; i++)
    cJSON_AddItemToArray(missing, cJSON_CreateString(l->missing_components[i]));
  cJSON_AddNumberToObject(o, "renewals", l->renewals);
  add_id_or_null(o, "swapped_from", l->swapped_from);
  cJSON_AddBoolToObject(o, "overdue", l->overdue);
  return o;
}

int api_circ_path_id(struct api_req *r, const char *what, int64_t *id)
{
  const char *s = r->params[0];
  size_t n = s ? strlen(s) : 0;
  int ok = n >= 1 && n <= 15 && s[0] != '0' && strspn(s, "0123456789") == n;
  if (!ok) {
    char detail[96];
    snprintf(detail, sizeof detail, "no %s with this number", what);
    api_reply_code(r, LEEN_E_NOT_FOUND, detail);
    return 0;
  }
  *id = strtoll(s, NULL, 10);
  return 1;
}

/* "deposit_method", or "payment" as the membership route calls it; not
 * both. *out stays NULL when neither is given. */
static void read_method(struct api_in *in, const char **out)
{
  int a = -1, b = -1;
  int ra = api_in_enum(in, "deposit_method", API_OPTIONAL, methods, &a);
  int rb = api_in_enum(in, "payment", API_OPTIONAL, methods, &b);
  *out = NULL;
  if (ra == 1 && rb == 1)
    api_in_error(in->r, LEEN_E_INVALID_FIELD, "/payment",
                 "give deposit_method or payment, not both");
  else if (ra == 1)
    *out = methods[a];
  else if (rb == 1)
    *out = methods[b];
}

/* The reply to a refusal: a database error naming /deposit_method names
 * the member the client really sent. */
static int reply_err(struct api_req *r, struct leen_err *err)
{
  if (strcmp(err->field, "/deposit_method") == 0 && r->json &&
      cJSON_GetObjectItemCaseSensitive(r->json, "payment"))
    snprintf(err->field, sizeof err->field, "/payment");
  return api_reply_error(r, err);
}

int api_loans_create(struct api_req *r)
{
  struct api_in in;
  struct leen_checkout co = {0};
  int64_t household = 0, child = 0;
  api_in_init(&in, r, r->json, "");
  api_in_string(&in, "item", API_REQUIRED, CODE_MAX, &co.item);
  api_in_int(&in, "household", API_REQUIRED, 1, INT32_MAX, &household);
  api_in_int(&in, "child", API_OPTIONAL, 1, INT64_MAX, &child);
  api_in_string(&in, "at", API_OPTIONAL, AT_MAX, &co.at);
  read_method(&in, &co.deposit_method);
  if (api_in_end(&in) < 0)
    return api_reply_fields(r);
  co.household = (int32_t)household;
  co.child_id = child;

  struct leen_err err;
  struct leen_db *db = api_db(r, &err);
  struct leen_loan loan;
  if (!db || leen_loan_checkout(db, &r->actor, &co, &loan, &err) < 0)
    return reply_err(r, &err);
  char where[48];
  snprintf(where, sizeof where, "/v1/loans/%lld", (long long)loan.id);
  api_add_header(r, MHD_HTTP_HEADER_LOCATION, where);
  cJSON *o = api_loan_json(&loan);
  leen_loan_release(&loan);
  return api_reply_json(r, 201, o);
}

int api_returns_create(struct api_req *r)
{
  struct api_in in;
  struct leen_return ret = {0};
  const char *missing[MISSING_MAX];
  int cond = 0;
  api_in_init(&in, r, r->json, "");
  api_in_string(&in, "item", API_REQUIRED, CODE_MAX, &ret.item);
  if (api_in_enum(&in, "condition", API_OPTIONAL, conditions, &cond) == 1)
    ret.condition = conditions[cond];
  api_in_money(&in, "withheld_cents", API_OPTIONAL, 0, 0, &ret.withheld_cents);
  api_in_string(&in, "withheld_reason", API_OPTIONAL, 500, &ret.withheld_reason);
  api_in_string_array(&in, "missing_components", API_OPTIONAL, MISSING_MAX, 100, missing,
                      &ret.nmissing);
  api_in_string(&in, "at", API_OPTIONAL, AT_MAX, &ret.at);
  if (api_in_end(&in) < 0)
    return api_reply_fields(r);
  ret.missing_components = missing;

  struct leen_err err;
  struct leen_db *db = api_db(r, &err);
  struct leen_loan loan;
  if (!db || leen_loan_return(db, &r->actor, &ret, &loan, &err) < 0)
    return api_reply_error(r, &err);
  cJSON *o = cJSON_CreateObject();
  cJSON_AddItemToObject(o, "loan", api_loan_json(&loan));
  cJSON_AddNumberToObject(o, "refund_cents", (double)loan.refund_cents);
  cJSON_AddNumberToObject(o, "withheld_cents", (double)loan.withheld_cents);
  cJSON_AddStringToObject(o, "item_status", loan.item_status);
  leen_loan_release(&loan);
  return api_reply_json(r, 200, o);
}

int api_swaps_create(struct api_req *r)
{
  struct api_in in;
  struct leen_swap sw = {0};
  int cond = 0;
  api_in_init(&in, r, r->json, "");
  api_in_string(&in, "return_item", API_REQUIRED, CODE_MAX, &sw.return_item);
  api_in_string(&in, "item", API_REQUIRED, CODE_MAX, &sw.item);
  if (api_in_enum(&in, "condition", API_OPTIONAL, conditions, &cond) == 1)
    sw.condition = conditions[cond];
  read_method(&in, &sw.deposit_method);
  if (api_in_end(&in) < 0)
    return api_reply_fields(r);

  struct leen_err err;
  struct leen_db *db = api_db(r, &err);
  struct leen_swap_result res;
  if (!db || leen_loan_swap(db, &r->actor, &sw, &res, &err) < 0)
    return reply_err(r, &err);
  char where[48];
  snprintf(where, sizeof where, "/v1/loans/%lld", (long long)res.loan.id);
  api_add_header(r, MHD_HTTP_HEADER_LOCATION, where);
  cJSON *o = cJSON_CreateObject();
  cJSON_AddItemToObject(o, "returned", api_loan_json(&res.returned));
  cJSON_AddItemToObject(o, "loan", api_loan_json(&res.loan));
  cJSON_AddNumberToObject(o, "deposit_delta_cents", (double)res.deposit_delta_cents);
  cJSON_AddStringToObject(o, "item_status", res.returned.item_status);
  leen_swap_result_release(&res);
  return api_reply_json(r, 201, o);
}

/* A loan changes only by renewals and by its return (never renewed after
 * it), so this count orders its states: an ETag without a version column. */
static int64_t loan_version(const struct leen_loan *l)
{
  return 1 + l->renewals + (l->returned_at[0] != '\0');
}

int api_loans_renew(struct api_req *r)
{
  int64_t id;
  if (!api_circ_path_id(r, "loan", &id))
    return 0;
  struct leen_err err;
  struct leen_db *db = api_db(r, &err);
  struct leen_loan loan;
  if (!db || leen_loan_renew(db, &r->actor, id, &loan, &err) < 0)
    return api_reply_error(r, &err);
  api_etag_set(r, loan_version(&loan));
  cJSON *o = api_loan_json(&loan);
  leen_loan_release(&loan);
  return api_reply_json(r, 200, o);
}

int api_loans_get(struct api_req *r)
{
  int64_t id;
  if (!api_circ_path_id(r, "loan", &id))
    return 0;
  struct leen_err err;
  struct leen_db *db = api_db(r, &err);
  struct leen_loan loan;
  if (!db || leen_loan_get(db, &r->actor, id, &loan, &err) < 0)
    return api_reply_error(r, &err);
  api_etag_set(r, loan_version(&loan));
  cJSON *o = api_loan_json(&loan);
  leen_loan_release(&loan);
  return api_reply_json(r, 200, o);
}

void api_circ_cursor(struct api_req *r, const struct api_page *page, int64_t *out)
{
  *out = 0;
  if (!page->after[0])
    return;
  size_t n = strlen(page->after);
  if (n > 15 || strspn(page->after, "0123456789") != n || page->after[0] == '0')
    api_in_error(r, LEEN_E_INVALID_FIELD, "?cursor", "is not a cursor of this list");
  else
    *out = strtoll(page->after, NULL, 10);
}

int api_loans_list(struct api_req *r)
{
  struct api_page page;
  if (api_page_parse(r, &page) < 0)
    return 0;
  struct leen_loan_filter f = {.open = -1, .limit = page.limit};
  int64_t household = 0;
  int open = -1, overdue = 0;
  api_query_int(r, "household", API_OPTIONAL, 1, INT32_MAX, &household);
  f.library = api_query(r, "library");
  api_query_bool(r, "open", API_OPTIONAL, &open);
  api_query_bool(r, "overdue", API_OPTIONAL, &overdue);
  api_circ_cursor(r, &page, &f.cursor);
  if (r->nerrors)
    return api_reply_fields(r);
  f.household = (int32_t)household;
  f.open = open;
  f.overdue = overdue;

  struct leen_err err;
  struct leen_db *db = api_db(r, &err);
  struct leen_loan_list list;
  if (!db || leen_loan_list(db, &r->actor, &f, &list, &err) < 0) {
    /* a filter that names nothing is a bad parameter, not a missing page */
    if (err.field[0] == '/')
      err.field[0] = '?';
    return api_reply_error(r, &err);
  }
  cJSON *items = cJSON_CreateArray();
  for (size_t i = 0; i < list.n; i++)
    cJSON_AddItemToArray(items, api_loan_json(&list.items[i]));
  char next[24];
  snprintf(next, sizeof next, "%lld", (long long)list.next_cursor);
  int64_t more = list.next_cursor;
  leen_loan_list_release(&list);
  return api_reply_page(r, items, more ? next : NULL);
}
