/* Reductions and vouchers (social workers and admins). Every read of a
 * reduction's details is audited by the core. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "leen/label.h"
#include "leen/library.h"
#include "leen/privacy.h"
#include "leen/reduction.h"
#include "reductions.h"

/* The most libraries a voucher letter lists (the letter's own limit). */
#define LETTER_MAX_LIBRARIES 12

static void add_text_or_null(cJSON *o, const char *name, const char *v)
{
  if (v[0])
    cJSON_AddStringToObject(o, name, v);
  else
    cJSON_AddNullToObject(o, name);
}

static cJSON *reduction_json(const struct leen_reduction *d)
{
  cJSON *o = cJSON_CreateObject();
  cJSON_AddNumberToObject(o, "id", (double)d->id);
  if (d->household)
    cJSON_AddNumberToObject(o, "household", (double)d->household);
  else
    cJSON_AddNullToObject(o, "household");
  add_text_or_null(o, "voucher_code", d->voucher_code);
  cJSON_AddStringToObject(o, "level", d->level);
  cJSON_AddStringToObject(o, "valid_from", d->valid_from);
  cJSON_AddStringToObject(o, "valid_until", d->valid_until);
  add_text_or_null(o, "reference", d->reference);
  cJSON_AddNumberToObject(o, "issued_by", (double)d->issued_by);
  cJSON_AddStringToObject(o, "issued_at", d->issued_at);
  add_text_or_null(o, "redeemed_at", d->redeemed_at);
  add_text_or_null(o, "revoked_at", d->revoked_at);
  return o;
}

/* The reduction id in path capture value; replies 404 when it is none. */
static int reduction_id(struct api_req *r, const char *value, int64_t *id)
{
  size_t len = value ? strlen(value) : 0;
  int ok = len >= 1 && len <= 15 && value[0] != '0';
  int64_t n = 0;
  for (size_t i = 0; ok && i < len; i++) {
    ok = value[i] >= '0' && value[i] <= '9';
    n = n * 10 + (value[i] - '0');
  }
  if (!ok) {
    api_reply_code(r, LEEN_E_NOT_FOUND, "no such reduction");
    return -1;
  }
  *id = n;
  return 0;
}

int api_reductions_list(struct api_req *r)
{
  struct api_page page;
  if (api_page_parse(r, &page) < 0)
    return 0;
  struct leen_reduction_query q = {0};
  int active = 0;
  api_query_int(r, "household", API_OPTIONAL, 1, INT32_MAX, &q.household);
  api_query_bool(r, "active", API_OPTIONAL, &active);
  char *end = NULL;
  long long after = page.after[0] ? strtoll(page.after, &end, 10) : 0;
  if (page.after[0] && (*end || after <= 0))
    api_in_error(r, LEEN_E_INVALID_FIELD, "?cursor", "is not a cursor of this list");
  if (r->nerrors)
    return api_reply_fields(r);
  q.active_only = active;
  q.after = after;
  q.limit = (size_t)page.limit;

  struct leen_err err;
  struct leen_db *db = api_db(r, &err);
  struct leen_reduction_list l = {0};
  if (!db || leen_reduction_list(db, &r->actor, &q, &l, &err) < 0) {
    if (err.code == LEEN_E_NOT_FOUND && strcmp(err.field, "/household") == 0)
      snprintf(err.field, sizeof err.field, "?household");
    return api_reply_error(r, &err);
  }
  cJSON *items = cJSON_CreateArray();
  for (size_t i = 0; i < l.n; i++)
    cJSON_AddItemToArray(items, reduction_json(&l.items[i]));
  char next[24] = "";
  if (l.next_after > 0)
    snprintf(next, sizeof next, "%lld", (long long)l.next_after);
  leen_reduction_list_release(&l);
  return api_reply_page(r, items, next[0] ? next : NULL);
}

int api_reductions_create(struct api_req *r)
{
  static const char *const levels[] = {"social", "full", NULL};
  struct api_in in;
  struct leen_reduction_new n = {0};
  int level = -1, voucher = 0;
  char from[11] = "", until[11] = "";
  api_in_init(&in, r, r->json, "");
  api_in_int(&in, "household", API_OPTIONAL, 1, INT32_MAX, &n.household);
  api_in_bool(&in, "voucher", API_OPTIONAL, &voucher);
  api_in_enum(&in, "level", API_REQUIRED, levels, &level);
  int has_from = api_in_date(&in, "valid_from", API_OPTIONAL, from);
  api_in_date(&in, "valid_until", API_REQUIRED, until);
  api_in_string(&in, "reference", API_OPTIONAL, 60, &n.reference);
  if (api_in_end(&in) < 0)
    return api_reply_fields(r);
  /* without a household the social service hands the family a voucher */
  n.voucher = voucher || n.household == 0;
  n.level = levels[level];
  n.valid_from = has_from == 1 ? from : NULL;
  n.valid_until = until;

  struct leen_err err;
  struct leen_db *db = api_db(r, &err);
  struct leen_reduction out;
  if (!db || leen_reduction_issue(db, &r->actor, &n, &out, &err) < 0)
    return api_reply_error(r, &err);
  return api_reply_json(r, 201, reduction_json(&out));
}

int api_reductions_get(struct api_req *r)
{
  int64_t id;
  if (reduction_id(r, r->params[0], &id) < 0)
    return 0;
  struct leen_err err;
  struct leen_db *db = api_db(r, &err);
  struct leen_reduction d;
  if (!db || leen_reduction_get(db, &r->actor, id, &d, &err) < 0)
    return api_reply_error(r, &err);
  return api_reply_json(r, 200, reduction_json(&d));
}

int api_reductions_revoke(struct api_req *r)
{
  int64_t id;
  if (reduction_id(r, r->params[0], &id) < 0)
    return 0;
  struct leen_err err;
  struct leen_db *db = api_db(r, &err);
  if (!db || leen_reduction_revoke(db, &r->actor, id, NULL, &err) < 0)
    return api_reply_error(r, &err);
  return api_reply_empty(r);
}

/* ---- the voucher letter ---- */

/* Renders the letter of voucher d. Returns 0 with the PDF, or -1 with err. */
static int render_letter(struct api_req *r, struct leen_db *db, const struct leen_reduction *d,
                         unsigned char **pdf, size_t *len, struct leen_err *err)
{
  char org[804];
  if (leen_privacy_controller(db, &r->actor, org, sizeof org, err) < 0)
    return -1;
  struct leen_library *libs = NULL;
  size_t nlibs = 0;
  if (leen_library_list(db, &r->actor, &libs, &nlibs, err) < 0)
    return -1;
  const char *names[LETTER_MAX_LIBRARIES + 1];
  size_t n = 0;
  for (size_t i = 0; i < nlibs && n < LETTER_MAX_LIBRARIES; i++)
    names[n++] = libs[i].name;
  names[n] = NULL;
  /* the family is not named: an unredeemed voucher belongs to no household yet */
  struct label_voucher v = {
      .code = d->voucher_code,
      .level = d->level,
      .valid_until = d->valid_until,
      .org_name = org,
      .library_names = names,
  };
  int rc = label_voucher_pdf(&v, pdf, len, err);
  free(libs);
  return rc;
}

int api_reductions_voucher_pdf(struct api_req *r)
{
  int64_t id;
  if (reduction_id(r, r->params[0], &id) < 0)
    return 0;
  struct leen_err err;
  struct leen_db *db = api_db(r, &err);
  struct leen_reduction d;
  if (!db || leen_reduction_get(db, &r->actor, id, &d, &err) < 0)
    return api_reply_error(r, &err);
  if (!d.voucher_code[0])
    return api_reply_code(r, LEEN_E_CONFLICT,
                          "this reduction was issued to a household directly: it has no voucher");
  if (d.revoked_at[0])
    return api_reply_code(r, LEEN_E_CONFLICT, "the voucher was revoked");
  if (d.redeemed_at[0])
    return api_reply_code(r, LEEN_E_CONFLICT,
                          "the voucher was redeemed already: the reduction applies by itself");
  unsigned char *pdf = NULL;
  size_t len = 0;
  if (render_letter(r, db, &d, &pdf, &len, &err) < 0)
    return api_reply_error(r, &err);
  char disposition[80];
  snprintf(disposition, sizeof disposition, "inline; filename=\"kortingsbrief-%lld.pdf\"",
           (long long)id);
  api_add_header(r, "Content-Disposition", disposition);
  return api_reply_raw(r, 200, "application/pdf", (char *)pdf, len);
}
