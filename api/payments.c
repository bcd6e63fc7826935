/* Money and rights at the counter: GET and POST
 * /v1/households/{number}/memberships, POST /v1/households/{number}/vouchers,
 * GET /v1/households/{number}/ledger and POST /v1/payments. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "households.h"
#include "leen/ledger.h"
#include "leen/membership.h"
#include "leen/reduction.h"

static const char *const methods[] = {"cash", "payconiq", "transfer", "waived", NULL};

static cJSON *membership_json(const struct leen_membership *m)
{
  cJSON *o = cJSON_CreateObject();
  cJSON_AddNumberToObject(o, "id", (double)m->id);
  cJSON_AddNumberToObject(o, "household", (double)m->household);
  cJSON_AddStringToObject(o, "library", m->library);
  cJSON_AddStringToObject(o, "valid_from", m->valid_from);
  cJSON_AddStringToObject(o, "valid_until", m->valid_until);
  cJSON_AddNumberToObject(o, "slots", m->slots);
  cJSON_AddNumberToObject(o, "fee_cents", (double)m->fee_cents);
  cJSON_AddNumberToObject(o, "reduction_cents", (double)m->reduction_cents);
  cJSON_AddNumberToObject(o, "due_cents", (double)m->due_cents);
  return o;
}

int api_memberships_create(struct api_req *r)
{
  int64_t number;
  if (api_household_number(r, r->params[0], &number) < 0)
    return 0;
  struct api_in in;
  struct leen_membership_new m = {0};
  int64_t slots = 0;
  int payment = -1;
  char from[11] = "";
  api_in_init(&in, r, r->json, "");
  api_in_string(&in, "library", API_REQUIRED, 63, &m.library);
  api_in_int(&in, "slots", API_REQUIRED, 1, 100, &slots);
  api_in_enum(&in, "payment", API_OPTIONAL, methods, &payment);
  int has_from = api_in_date(&in, "valid_from", API_OPTIONAL, from);
  if (api_in_end(&in) < 0)
    return api_reply_fields(r);
  m.slots = (int)slots;
  m.payment = payment >= 0 ? methods[payment] : NULL;
  m.valid_from = has_from == 1 ? from : NULL;

  struct leen_err err;
  struct leen_db *db = api_db(r, &err);
  struct leen_membership out;
  if (!db || leen_membership_start(db, &r->actor, number, &m, &out, &err) < 0)
    return api_reply_error(r, &err);
  return api_reply_json(r, 201, membership_json(&out));
}

int api_memberships_list(struct api_req *r)
{
  int64_t number;
  if (api_household_number(r, r->params[0], &number) < 0)
    return 0;
  struct leen_err err;
  struct leen_db *db = api_db(r, &err);
  struct leen_membership_list list = {0};
  if (!db || leen_membership_list(db, &r->actor, number, &list, &err) < 0)
    return api_reply_error(r, &err);
  cJSON *items = cJSON_CreateArray();
  for (size_t i = 0; i < list.n; i++)
    cJSON_AddItemToArray(items, membership_json(&list.items[i]));
  leen_membership_list_release(&list);
  cJSON *body = cJSON_CreateObject();
  cJSON_AddItemToObject(body, "items", items);
  cJSON_AddNullToObject(body, "next_cursor");
  return api_reply_json(r, 200, body);
}

int api_vouchers_redeem(struct api_req *r)
{
  int64_t number;
  if (api_household_number(r, r->params[0], &number) < 0)
    return 0;
  struct api_in in;
  const char *code = NULL;
  api_in_init(&in, r, r->json, "");
  api_in_string(&in, "code", API_REQUIRED, 32, &code);
  if (api_in_end(&in) < 0)
    return api_reply_fields(r);

  struct leen_err err;
  struct leen_db *db = api_db(r, &err);
  struct leen_household h = {0};
  /* the answer is the household as the volunteer now sees it: reduced until <date> */
  if (!db || leen_reduction_redeem(db, &r->actor, number, code, NULL, &err) < 0 ||
      leen_household_get(db, &r->actor, number, &h, &err) < 0)
    return api_reply_error(r, &err);
  api_etag_set(r, h.version);
  cJSON *body = api_household_json(&h);
  leen_household_release(&h);
  return api_reply_json(r, 200, body);
}

/* ---- ledger ---- */

static cJSON *line_json(const struct leen_ledger_line *l)
{
  cJSON *o = cJSON_CreateObject();
  cJSON_AddNumberToObject(o, "id", (double)l->id);
  cJSON_AddNumberToObject(o, "journal_id", (double)l->journal_id);
  cJSON_AddStringToObject(o, "kind", l->kind);
  cJSON_AddStringToObject(o, "account", l->account);
  cJSON_AddNumberToObject(o, "amount_cents", (double)l->amount_cents);
  if (l->library[0])
    cJSON_AddStringToObject(o, "library", l->library);
  else
    cJSON_AddNullToObject(o, "library");
  if (l->loan_id)
    cJSON_AddNumberToObject(o, "loan_id", (double)l->loan_id);
  else
    cJSON_AddNullToObject(o, "loan_id");
  if (l->membership_id)
    cJSON_AddNumberToObject(o, "membership_id", (double)l->membership_id);
  else
    cJSON_AddNullToObject(o, "membership_id");
  if (l->reason)
    cJSON_AddStringToObject(o, "reason", l->reason);
  else
    cJSON_AddNullToObject(o, "reason");
  cJSON_AddStringToObject(o, "created_at", l->created_at);
  return o;
}

int api_ledger_list(struct api_req *r)
{
  int64_t number;
  if (api_household_number(r, r->params[0], &number) < 0)
    return 0;
  struct api_page page;
  if (api_page_parse(r, &page) < 0)
    return 0;
  int all = 0;
  api_query_bool(r, "all", API_OPTIONAL, &all);
  char *end = NULL;
  long long after = page.after[0] ? strtoll(page.after, &end, 10) : 0;
  if (page.after[0] && (*end || after <= 0))
    api_in_error(r, LEEN_E_INVALID_FIELD, "?cursor", "is not a cursor of this list");
  if (r->nerrors)
    return api_reply_fields(r);

  struct leen_err err;
  struct leen_db *db = api_db(r, &err);
  struct leen_ledger_list l = {0};
  if (!db || leen_ledger_list(db, &r->actor, (int32_t)number, all, after, page.limit, &l, &err) <
                 0)
    return api_reply_error(r, &err);
  cJSON *items = cJSON_CreateArray();
  for (size_t i = 0; i < l.n; i++)
    cJSON_AddItemToArray(items, line_json(&l.items[i]));
  char next[24] = "";
  if (l.next_cursor > 0)
    snprintf(next, sizeof next, "%lld", (long long)l.next_cursor);
  leen_ledger_list_release(&l);
  return api_reply_page(r, items, next[0] ? next : NULL);
}

/* ---- payments ---- */

int api_payments_create(struct api_req *r)
{
  static const char *const kinds[] = {"payment", "donation", NULL};
  struct api_in in;
  struct leen_payment p = {0};
  int64_t household = 0;
  int kind = 0, method = 0;
  api_in_init(&in, r, r->json, "");
  api_in_int(&in, "household", API_REQUIRED, 1, INT32_MAX, &household);
  api_in_enum(&in, "kind", API_OPTIONAL, kinds, &kind);
  api_in_money(&in, "amount_cents", API_REQUIRED, 1, 100000000, &p.amount_cents);
  api_in_enum(&in, "method", API_OPTIONAL, methods, &method);
  api_in_string(&in, "library", API_OPTIONAL, 63, &p.library);
  if (api_in_end(&in) < 0)
    return api_reply_fields(r);
  p.household = (int32_t)household;
  p.kind = kinds[kind];
  p.method = methods[method];

  struct leen_err err;
  struct leen_db *db = api_db(r, &err);
  struct leen_payment_result out;
  if (!db || leen_ledger_record_payment(db, &r->actor, &p, &out, &err) < 0)
    return api_reply_error(r, &err);
  cJSON *o = cJSON_CreateObject();
  cJSON_AddNumberToObject(o, "journal_id", (double)out.journal_id);
  cJSON_AddNumberToObject(o, "household", (double)p.household);
  cJSON_AddStringToObject(o, "kind", p.kind);
  cJSON_AddNumberToObject(o, "amount_cents", (double)p.amount_cents);
  cJSON_AddStringToObject(o, "method", p.method);
  if (p.library)
    cJSON_AddStringToObject(o, "library", p.library);
  else
    cJSON_AddNullToObject(o, "library");
  cJSON_AddNumberToObject(o, "balance_cents", (double)out.balance_cents);
  return api_reply_json(r, 201, o);
}
