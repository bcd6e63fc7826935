/* Bulk imports: POST /v1/imports/items and POST /v1/imports/households.
 * A row the API cannot read (a wrong type, an unknown member) is reported
 * in the answer like a row core refuses, with a JSON pointer into the
 * body; the other rows go on to core as one batch. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "households.h"
#include "imports.h"
#include "leen/import.h"

/* What the answer says of one row of the body. */
struct row_answer {
  int64_t line;          /* 0: the row gave none */
  const char *external_id;  /* points into the body; NULL when it gave none */
  int core;              /* index in core's batch; -1 when the API refused the row */
  enum leen_code code;   /* the API's refusal */
  char pointer[64];
  char detail[160];
};

/* The batch as both routes read it. */
struct batch_in {
  const cJSON *rows;
  int n;
  struct leen_import_options opt;
  struct row_answer *ans;
  int refused;           /* rows the API refused */
};

/* Reads the members the two bodies share; slug (items only) may be NULL.
 * Returns 0, or replies and returns -1. */
static int read_batch(struct api_req *r, const char **slug, struct batch_in *b)
{
  struct api_in in;
  memset(b, 0, sizeof *b);
  api_in_init(&in, r, r->json, "");
  if (slug)
    api_in_string(&in, "library", API_REQUIRED, 63, slug);
  api_in_bool(&in, "dry_run", API_OPTIONAL, &b->opt.dry_run);
  api_in_bool(&in, "strict", API_OPTIONAL, &b->opt.strict);
  if (api_in_array(&in, "rows", API_REQUIRED, LEEN_IMPORT_MAX_ROWS, &b->rows) > 0 &&
      cJSON_GetArraySize(b->rows) == 0)
    api_in_error(r, LEEN_E_INVALID_FIELD, "/rows", "must hold 1 to %d rows",
                 LEEN_IMPORT_MAX_ROWS);
  if (api_in_end(&in) < 0) {
    api_reply_fields(r);
    return -1;
  }
  b->n = cJSON_GetArraySize(b->rows);
  b->ans = calloc((size_t)b->n, sizeof *b->ans);
  if (!b->ans) {
    api_reply_code(r, LEEN_E_INTERNAL, NULL);
    return -1;
  }
  return 0;
}

/* Starts reading row i (at node c): its line and external_id. Returns 0,
 * or -1 when the row is not an object (recorded in r). */
static int row_begin(struct api_req *r, struct batch_in *b, int i, const cJSON *c,
                     struct api_in *in)
{
  char ptr[32];
  snprintf(ptr, sizeof ptr, "/rows/%d", i);
  r->nerrors = 0;
  b->ans[i].core = -1;
  if (!cJSON_IsObject(c)) {
    api_in_error(r, LEEN_E_INVALID_FIELD, ptr, "must be an object");
    return -1;
  }
  api_in_init(in, r, c, ptr);
  api_in_int(in, "line", API_OPTIONAL, 1, INT32_MAX, &b->ans[i].line);
  return 0;
}

/* Ends row i: its first error, if any, becomes its answer; r's errors are
 * cleared for the next row. Returns 1 when the row goes on to core. */
static int row_end(struct api_req *r, struct batch_in *b, int i, struct api_in *in, int ok)
{
  if (ok)
    api_in_end(in);
  struct row_answer *a = &b->ans[i];
  int good = r->nerrors == 0;
  if (!good) {
    a->code = r->error_code;
    snprintf(a->pointer, sizeof a->pointer, "%s", r->errors[0].pointer);
    snprintf(a->detail, sizeof a->detail, "%s", r->errors[0].detail);
    b->refused++;
  }
  r->nerrors = 0;
  r->error_code = LEEN_E_OK;
  return good;
}

/* A strict batch with a row the API refused is checked but not kept. */
static struct leen_import_options core_options(const struct batch_in *b)
{
  struct leen_import_options o = b->opt;
  if (o.strict && b->refused)
    o.dry_run = 1;
  return o;
}

static cJSON *error_json(enum leen_code code, const char *pointer, const char *detail)
{
  cJSON *e = cJSON_CreateObject();
  cJSON_AddStringToObject(e, "code", leen_code_name(code));
  cJSON_AddStringToObject(e, "pointer", pointer);
  /* internal errors never leak database text to the client */
  cJSON_AddStringToObject(e, "detail", code == LEEN_E_INTERNAL ? leen_code_message(code) : detail);
  return e;
}

/* The answer: counts, then a row per row of the body; rep holds core's
 * outcomes of the rows the API passed on. */
static int reply(struct api_req *r, const struct batch_in *b, const struct leen_import_report *rep,
                 int items)
{
  size_t created = 0, unchanged = 0, errors = 0;
  cJSON *rows = cJSON_CreateArray();
  for (int i = 0; i < b->n; i++) {
    const struct row_answer *a = &b->ans[i];
    cJSON *o = cJSON_CreateObject();
    if (a->line)
      cJSON_AddNumberToObject(o, "line", (double)a->line);
    else
      cJSON_AddNullToObject(o, "line");
    if (a->external_id)
      cJSON_AddStringToObject(o, "external_id", a->external_id);
    else
      cJSON_AddNullToObject(o, "external_id");
    const struct leen_import_outcome *out = a->core >= 0 ? &rep->rows[a->core] : NULL;
    if (!out || out->result == LEEN_IMPORT_ERROR) {
      errors++;
      cJSON_AddStringToObject(o, "result", "error");
      if (out) {
        char ptr[128];
        snprintf(ptr, sizeof ptr, "/rows/%d%s", i, out->err.field);
        cJSON_AddItemToObject(o, "error", error_json(out->err.code, ptr, out->err.message));
      } else {
        cJSON_AddItemToObject(o, "error", error_json(a->code, a->pointer, a->detail));
      }
    } else {
      int made = out->result == LEEN_IMPORT_CREATED;
      created += made;
      unchanged += !made;
      cJSON_AddStringToObject(o, "result", made ? "created" : "unchanged");
      if (items)
        cJSON_AddStringToObject(o, "code", out->code);
      else
        cJSON_AddNumberToObject(o, "number", (double)out->number);
    }
    cJSON_AddItemToArray(rows, o);
  }
  cJSON *body = cJSON_CreateObject();
  cJSON_AddNumberToObject(body, "created", (double)created);
  cJSON_AddNumberToObject(body, "unchanged", (double)unchanged);
  cJSON_AddNumberToObject(body, "errors", (double)errors);
  cJSON_AddBoolToObject(body, "dry_run", b->opt.dry_run);
  cJSON_AddBoolToObject(body, "committed", rep->committed);
  cJSON *cats = cJSON_AddArrayToObject(body, "categories_created");
  for (size_t i = 0; i < rep->ncategories; i++)
    cJSON_AddItemToArray(cats, cJSON_CreateString(rep->categories_created[i]));
  cJSON_AddItemToObject(body, "rows", rows);
  return api_reply_json(r, 200, body);
}

/* ---- items ---- */

/* Reads item row i into *it; attributes text (malloc'ed) goes to *attrs. */
static int read_item(struct api_req *r, struct batch_in *b, int i, const cJSON *c,
                     struct leen_import_item *it, char **attrs, char dates[2][11])
{
  struct api_in in;
  leen_import_item_init(it);
  int ok = row_begin(r, b, i, c, &in) == 0;
  if (ok) {
    const cJSON *obj = NULL;
    api_in_string(&in, "external_id", API_REQUIRED, LEEN_IMPORT_EXTERNAL_ID_MAX,
                  &it->external_id);
    api_in_string(&in, "name", API_REQUIRED, 200, &it->name);
    api_in_string(&in, "category", API_OPTIONAL, 100, &it->category);
    api_in_string(&in, "status", API_OPTIONAL, 20, &it->status);
    api_in_int(&in, "loan_days", API_OPTIONAL, 1, 3660, &it->loan_days);
    api_in_money(&in, "deposit_cents", API_OPTIONAL, 0, 0, &it->deposit_cents);
    if (api_in_date(&in, "expires_on", API_OPTIONAL, dates[0]) > 0)
      it->expires_on = dates[0];
    if (api_in_date(&in, "safety_checked_on", API_OPTIONAL, dates[1]) > 0)
      it->safety_checked_on = dates[1];
    if (api_in_object(&in, "attributes", API_OPTIONAL, &obj) > 0) {
      /* core checks its size and that it is an object */
      *attrs = cJSON_PrintUnformatted(obj);
      if (!*attrs)
        api_in_error(r, LEEN_E_INTERNAL, in.ptr, "could not be read");
      it->attributes = *attrs;
    }
    b->ans[i].external_id = it->external_id;
  }
  return row_end(r, b, i, &in, ok);
}

int api_imports_items(struct api_req *r)
{
  const char *slug = NULL;
  struct batch_in b;
  if (read_batch(r, &slug, &b) < 0)
    return 0;
  struct leen_import_item *items = calloc((size_t)b.n, sizeof *items);
  char **attrs = calloc((size_t)b.n, sizeof *attrs);
  char(*dates)[2][11] = calloc((size_t)b.n, sizeof *dates);
  int rc;
  if (!items || !attrs || !dates) {
    rc = api_reply_code(r, LEEN_E_INTERNAL, NULL);
    goto out;
  }
  size_t n = 0;
  const cJSON *c;
  int i = 0;
  cJSON_ArrayForEach(c, b.rows)
  {
    if (read_item(r, &b, i, c, &items[n], &attrs[i], dates[n]))
      b.ans[i].core = (int)n++;
    i++;
  }
  struct leen_import_report rep = {0};
  struct leen_import_options opt = core_options(&b);
  struct leen_err err;
  struct leen_db *db = api_db(r, &err);
  if (!db || (leen_import_items(db, &r->actor, slug, items, n, &opt, &rep, &err) < 0)) {
    rc = api_reply_error(r, &err);
    goto out;
  }
  rc = reply(r, &b, &rep, 1);
  leen_import_report_release(&rep);
out:
  for (int k = 0; attrs && k < b.n; k++)
    cJSON_free(attrs[k]);
  free(attrs);
  free(dates);
  free(items);
  free(b.ans);
  return rc;
}

/* ---- households ---- */

static int read_household(struct api_req *r, struct batch_in *b, int i, const cJSON *c,
                          struct leen_import_household *row, struct api_kids *kids)
{
  struct api_in in;
  memset(row, 0, sizeof *row);
  int ok = row_begin(r, b, i, c, &in) == 0;
  if (ok) {
    struct leen_household_new *h = &row->household;
    api_in_string(&in, "external_id", API_REQUIRED, LEEN_IMPORT_EXTERNAL_ID_MAX,
                  &row->external_id);
    api_in_string(&in, "name", API_REQUIRED, 200, &h->name);
    api_in_string(&in, "email", API_OPTIONAL, 254, &h->email);
    api_in_string(&in, "phone", API_OPTIONAL, 40, &h->phone);
    api_in_string(&in, "postcode", API_OPTIONAL, 4, &h->postcode);
    /* core knows the languages and says which it takes */
    api_in_string(&in, "language", API_OPTIONAL, 3, &h->language);
    api_household_children(&in, "children", kids);
    h->children = kids->n ? kids->c : NULL;
    h->nchildren = kids->n;
    b->ans[i].external_id = row->external_id;
  }
  return row_end(r, b, i, &in, ok);
}

int api_imports_households(struct api_req *r)
{
  struct batch_in b;
  if (read_batch(r, NULL, &b) < 0)
    return 0;
  struct leen_import_household *rows = calloc((size_t)b.n, sizeof *rows);
  struct api_kids *kids = calloc((size_t)b.n, sizeof *kids);
  int rc;
  if (!rows || !kids) {
    rc = api_reply_code(r, LEEN_E_INTERNAL, NULL);
    goto out;
  }
  size_t n = 0;
  const cJSON *c;
  int i = 0;
  cJSON_ArrayForEach(c, b.rows)
  {
    if (read_household(r, &b, i, c, &rows[n], &kids[n]))
      b.ans[i].core = (int)n++;
    i++;
  }
  struct leen_import_report rep = {0};
  struct leen_import_options opt = core_options(&b);
  struct leen_err err;
  struct leen_db *db = api_db(r, &err);
  if (!db || (leen_import_households(db, &r->actor, rows, n, &opt, &rep, &err) < 0)) {
    rc = api_reply_error(r, &err);
    goto out;
  }
  rc = reply(r, &b, &rep, 0);
  leen_import_report_release(&rep);
out:
  free(kids);
  free(rows);
  free(b.ans);
  return rc;
}
