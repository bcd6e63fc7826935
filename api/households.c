/* Households: GET, POST /v1/households; GET, PATCH /v1/households/{number};
 * GET /v1/households/{number}/card.pdf. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "households.h"
#include "leen/auth.h"
#include "leen/label.h"
#include "leen/library.h"

static const char *const languages[] = {"nl", "fr", "en", "de", "ar", "tr", "uk",
                                        "ru", "ro", "pl", "so", "ti", "prs", "ps", NULL};

static void add_string_or_null(cJSON *o, const char *name, const char *v)
{
  if (v && *v)
    cJSON_AddStringToObject(o, name, v);
  else
    cJSON_AddNullToObject(o, name);
}

cJSON *api_household_json(const struct leen_household *h)
{
  cJSON *o = cJSON_CreateObject();
  cJSON_AddNumberToObject(o, "number", (double)h->number);
  cJSON_AddStringToObject(o, "name", h->name ? h->name : "");
  add_string_or_null(o, "email", h->email);
  add_string_or_null(o, "phone", h->phone);
  add_string_or_null(o, "postcode", h->postcode);
  cJSON_AddStringToObject(o, "language", h->language);
  cJSON *kids = cJSON_AddArrayToObject(o, "children");
  for (size_t i = 0; i < h->nchildren; i++) {
    cJSON *c = cJSON_CreateObject();
    cJSON_AddNumberToObject(c, "id", (double)h->children[i].id);
    add_string_or_null(c, "first_name", h->children[i].first_name);
    cJSON_AddStringToObject(c, "birth_month", h->children[i].birth_month);
    cJSON_AddItemToArray(kids, c);
  }
  /* what a volunteer may know of a reduction: that it holds, and until when */
  cJSON *red = cJSON_AddObjectToObject(o, "reduction");
  cJSON_AddBoolToObject(red, "active", h->reduction.active != 0);
  add_string_or_null(red, "valid_until", h->reduction.active ? h->reduction.valid_until : NULL);
  return o;
}

int api_household_number(struct api_req *r, const char *value, int64_t *number)
{
  int64_t n = 0;
  size_t len = value ? strlen(value) : 0;
  int ok = len >= 1 && len <= 10 && value[0] != '0';
  for (size_t i = 0; ok && i < len; i++) {
    ok = value[i] >= '0' && value[i] <= '9';
    n = n * 10 + (value[i] - '0');
  }
  if (!ok || n > INT32_MAX) {
    api_reply_code(r, LEEN_E_NOT_FOUND, "no such household");
    return -1;
  }
  *number = n;
  return 0;
}

/* Replies with the household and its ETag. */
static int reply_household(struct api_req *r, int status, struct leen_household *h)
{
  api_etag_set(r, h->version);
  cJSON *body = api_household_json(h);
  leen_household_release(h);
  return api_reply_json(r, status, body);
}

void api_household_children(struct api_in *in, const char *name, struct api_kids *k)
{
  const cJSON *arr = NULL, *c;
  k->n = 0;
  if (api_in_array(in, name, API_OPTIONAL, LEEN_HOUSEHOLD_MAX_CHILDREN, &arr) <= 0)
    return;
  char base[80], ptr[96];
  api_pointer_append(base, sizeof base, in->ptr, name);
  cJSON_ArrayForEach(c, arr)
  {
    snprintf(ptr, sizeof ptr, "%s/%zu", base, k->n);
    struct leen_child_new *child = &k->c[k->n];
    memset(child, 0, sizeof *child);
    k->month[k->n][0] = '\0';
    child->birth_month = k->month[k->n];
    k->n++;
    if (!cJSON_IsObject(c)) {
      api_in_error(in->r, LEEN_E_INVALID_FIELD, ptr, "must be an object");
      continue;
    }
    struct api_in sub;
    api_in_init(&sub, in->r, c, ptr);
    api_in_string(&sub, "first_name", API_OPTIONAL, 100, &child->first_name);
    api_in_month(&sub, "birth_month", API_REQUIRED, k->month[k->n - 1]);
    api_in_end(&sub);
  }
}

int api_households_create(struct api_req *r)
{
  struct api_in in;
  struct leen_household_new h = {0};
  struct api_kids kids;
  int lang = -1;
  api_in_init(&in, r, r->json, "");
  api_in_string(&in, "name", API_REQUIRED, 200, &h.name);
  api_in_string(&in, "email", API_OPTIONAL, 254, &h.email);
  api_in_string(&in, "phone", API_OPTIONAL, 40, &h.phone);
  api_in_string(&in, "postcode", API_OPTIONAL, 4, &h.postcode);
  api_in_enum(&in, "language", API_OPTIONAL, languages, &lang);
  api_household_children(&in, "children", &kids);
  if (api_in_end(&in) < 0)
    return api_reply_fields(r);
  h.language = lang >= 0 ? languages[lang] : NULL;
  h.nchildren = kids.n;
  h.children = kids.n ? kids.c : NULL;

  struct leen_err err;
  struct leen_db *db = api_db(r, &err);
  struct leen_household out = {0};
  if (!db || leen_household_create(db, &r->actor, &h, &out, &err) < 0)
    return api_reply_error(r, &err);
  return reply_household(r, 201, &out);
}

int api_households_get(struct api_req *r)
{
  int64_t number;
  if (api_household_number(r, r->params[0], &number) < 0)
    return 0;
  struct leen_err err;
  struct leen_db *db = api_db(r, &err);
  struct leen_household h = {0};
  if (!db || leen_household_get(db, &r->actor, number, &h, &err) < 0)
    return api_reply_error(r, &err);
  return reply_household(r, 200, &h);
}

/* A text field of a PATCH: absent leaves it, null or "" clears it. */
static void patch_text(struct api_in *in, const char *name, size_t max, unsigned bit,
                       struct leen_household_patch *p, const char **out)
{
  if (api_in_is_null(in, name)) {
    api_in_string(in, name, API_OPTIONAL, max, out);
    p->set |= bit;
    *out = NULL;
    return;
  }
  if (api_in_string(in, name, API_OPTIONAL, max, out) == 1)
    p->set |= bit;
}

int api_households_patch(struct api_req *r)
{
  int64_t number, version;
  if (api_household_number(r, r->params[0], &number) < 0 || api_if_match(r, &version) < 0)
    return 0;
  struct api_in in;
  struct leen_household_patch p = {0};
  struct api_kids add;
  int64_t remove[LEEN_HOUSEHOLD_MAX_CHILDREN];
  api_in_init(&in, r, r->json, "");
  /* name may not be cleared: a null reaches the core's check */
  patch_text(&in, "name", 200, LEEN_HOUSEHOLD_SET_NAME, &p, &p.name);
  patch_text(&in, "email", 254, LEEN_HOUSEHOLD_SET_EMAIL, &p, &p.email);
  patch_text(&in, "phone", 40, LEEN_HOUSEHOLD_SET_PHONE, &p, &p.phone);
  patch_text(&in, "postcode", 4, LEEN_HOUSEHOLD_SET_POSTCODE, &p, &p.postcode);
  int lang = -1;
  if (api_in_enum(&in, "language", API_OPTIONAL, languages, &lang) == 1) {
    p.set |= LEEN_HOUSEHOLD_SET_LANGUAGE;
    p.language = languages[lang];
  }
  api_household_children(&in, "add_children", &add);
  p.nadd = add.n;
  const cJSON *rem = NULL, *c;
  if (api_in_array(&in, "remove_children", API_OPTIONAL, LEEN_HOUSEHOLD_MAX_CHILDREN, &rem) ==
      1) {
    cJSON_ArrayForEach(c, rem)
    {
      int ok = cJSON_IsNumber(c) && !(c->type & API_JSON_INEXACT) && c->valuedouble >= 1 &&
               c->valuedouble <= 9007199254740991.0;
      if (!ok) {
        char ptr[48];
        snprintf(ptr, sizeof ptr, "/remove_children/%zu", p.nremove);
        api_in_error(r, LEEN_E_INVALID_FIELD, ptr, "must be the id of a child");
      }
      remove[p.nremove++] = ok ? (int64_t)c->valuedouble : 0;
    }
  }
  if (api_in_end(&in) < 0)
    return api_reply_fields(r);
  if (p.set == 0 && p.nadd == 0 && p.nremove == 0) {
    api_in_error(r, LEEN_E_INVALID_FIELD, "", "the patch changes nothing");
    return api_reply_fields(r);
  }
  p.add_children = p.nadd ? add.c : NULL;
  p.remove_children = p.nremove ? remove : NULL;
  /* "*" (any version) is -1 here, 0 for the core */
  p.expected_version = version < 0 ? 0 : version > INT32_MAX ? -1 : (int)version;

  struct leen_err err;
  struct leen_db *db = api_db(r, &err);
  struct leen_household out = {0};
  if (!db || leen_household_update(db, &r->actor, number, &p, &out, &err) < 0)
    return api_reply_error(r, &err);
  return reply_household(r, 200, &out);
}

/* ---- list ---- */

int api_households_list(struct api_req *r)
{
  struct api_page page;
  if (api_page_parse(r, &page) < 0)
    return 0;
  struct leen_household_query q = {0};
  const char *text = api_query(r, "q");
  const char *name = api_query(r, "name");
  const char *email = api_query(r, "email");
  q.postcode = api_query(r, "postcode");
  api_query_int(r, "number", API_OPTIONAL, 1, INT32_MAX, &q.number);
  if (text && *text) {
    /* one search box: an e-mail address, or the start of a name */
    if (strchr(text, '@'))
      email = text;
    else {
      name = text;
      q.name_prefix = 1;
    }
  }
  q.name = name;
  q.email = email;
  char *end = NULL;
  long long after = page.after[0] ? strtoll(page.after, &end, 10) : 0;
  if (page.after[0] && (*end || after <= 0 || after > INT32_MAX))
    api_in_error(r, LEEN_E_INVALID_FIELD, "?cursor", "is not a cursor of this list");
  if (r->nerrors)
    return api_reply_fields(r);
  q.after = after;
  q.limit = (size_t)page.limit;

  struct leen_err err;
  struct leen_db *db = api_db(r, &err);
  struct leen_household_list l = {0};
  if (!db || leen_household_find(db, &r->actor, &q, &l, &err) < 0)
    return api_reply_error(r, &err);
  cJSON *items = cJSON_CreateArray();
  for (size_t i = 0; i < l.n; i++)
    cJSON_AddItemToArray(items, api_household_json(&l.items[i]));
  char next[24] = "";
  if (l.next_after > 0)
    snprintf(next, sizeof next, "%lld", (long long)l.next_after);
  leen_household_list_release(&l);
  return api_reply_page(r, items, next[0] ? next : NULL);
}

/* ---- member card ---- */

/* The name of the library the card is for: ?library=, else the caller's
 * first library, else the org's first. Returns 0, or -1 with err filled. */
static int card_library(struct api_req *r, struct leen_db *db, const char *slug, char *name,
                        size_t size, struct leen_err *err)
{
  struct leen_auth_user me;
  if (!slug && r->actor.nlibraries > 0) {
    if (leen_auth_describe(db, r->actor.user_id, &me, err) < 0)
      return -1;
    slug = me.libraries[0];
  }
  if (slug) {
    struct leen_library lib;
    if (leen_library_get(db, &r->actor, slug, &lib, err) < 0) {
      if (err->code == LEEN_E_NOT_FOUND)
        snprintf(err->field, sizeof err->field, "?library");
      return -1;
    }
    snprintf(name, size, "%s", lib.name);
    return 0;
  }
  struct leen_library *libs = NULL;
  size_t n = 0;
  if (leen_library_list(db, &r->actor, &libs, &n, err) < 0)
    return -1;
  if (n > 0)
    snprintf(name, size, "%s", libs[0].name);
  free(libs);
  if (n == 0)
    return leen_error(err, LEEN_E_CONFLICT, "the org has no library to name on the card");
  return 0;
}

int api_households_card(struct api_req *r)
{
  static const char *const formats[] = {"a4", "card", NULL};
  int64_t number;
  if (api_household_number(r, r->params[0], &number) < 0)
    return 0;
  int format = 0;
  api_query_enum(r, "format", API_OPTIONAL, formats, &format);
  const char *slug = api_query(r, "library");
  if (r->nerrors)
    return api_reply_fields(r);

  struct leen_err err;
  struct leen_db *db = api_db(r, &err);
  struct leen_household h = {0};
  if (!db || leen_household_get(db, &r->actor, number, &h, &err) < 0)
    return api_reply_error(r, &err);
  char library[804];
  if (card_library(r, db, slug, library, sizeof library, &err) < 0) {
    leen_household_release(&h);
    return api_reply_error(r, &err);
  }
  struct label_card card = {.number = h.number, .household_name = h.name,
                            .library_name = library};
  unsigned char *pdf = NULL;
  size_t len = 0;
  int rc = label_card_pdf(&card, format == 1 ? LABEL_CARD_ID1 : LABEL_CARD_A4, &pdf, &len, &err);
  leen_household_release(&h);
  if (rc < 0)
    return api_reply_error(r, &err);
  char disposition[64];
  snprintf(disposition, sizeof disposition, "inline; filename=\"lidkaart-%lld.pdf\"",
           (long long)number);
  api_add_header(r, "Content-Disposition", disposition);
  return api_reply_raw(r, 200, "application/pdf", (char *)pdf, len);
}
