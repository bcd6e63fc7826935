/* The people who log in: GET /v1/me, GET and POST /v1/users. */
#include <stdio.h>
#include <stdlib.h>

#include "leen/auth.h"
#include "leen/user.h"
#include "api.h"

cJSON *api_user_json(const struct leen_auth_user *u)
{
  cJSON *o = cJSON_CreateObject();
  cJSON_AddNumberToObject(o, "id", (double)u->actor.user_id);
  cJSON_AddStringToObject(o, "username", u->username);
  cJSON_AddStringToObject(o, "role", leen_role_name(u->actor.role));
  cJSON_AddStringToObject(o, "org", u->org);
  cJSON *libs = cJSON_AddArrayToObject(o, "libraries");
  for (size_t i = 0; i < u->actor.nlibraries; i++)
    cJSON_AddItemToArray(libs, cJSON_CreateString(u->libraries[i]));
  return o;
}

int api_me_get(struct api_req *r)
{
  struct leen_err err;
  struct leen_db *db = api_db(r, &err);
  struct leen_auth_user u;
  if (!db || leen_auth_describe(db, r->actor.user_id, &u, &err) < 0)
    return api_reply_error(r, &err);
  return api_reply_json(r, 200, api_user_json(&u));
}

int api_users_create(struct api_req *r)
{
  static const char *const roles[] = {"volunteer", "coordinator", "social_worker", "admin", NULL};
  struct api_in in;
  struct leen_user_new u = {0};
  const char *libs[LEEN_ACTOR_MAX_LIBRARIES];
  int role = 0;
  api_in_init(&in, r, r->json, "");
  api_in_string(&in, "username", API_REQUIRED, 64, &u.username);
  api_in_string(&in, "password", API_REQUIRED, 1024, &u.password);
  api_in_enum(&in, "role", API_REQUIRED, roles, &role);
  api_in_string_array(&in, "libraries", API_OPTIONAL, LEEN_ACTOR_MAX_LIBRARIES, 63, libs,
                      &u.nlibraries);
  if (api_in_end(&in) < 0)
    return api_reply_fields(r);
  u.role = (enum leen_role)role;
  u.libraries = libs;

  struct leen_err err;
  struct leen_db *db = api_db(r, &err);
  struct leen_auth_user me, created;
  int64_t id;
  if (!db || leen_auth_describe(db, r->actor.user_id, &me, &err) < 0)
    return api_reply_error(r, &err);
  u.org = me.org; /* an admin creates users in their own org */
  u.by_user = r->actor.user_id;
  if (leen_user_create(db, &u, &id, &err) < 0 || leen_auth_describe(db, id, &created, &err) < 0)
    return api_reply_error(r, &err);
  return api_reply_json(r, 201, api_user_json(&created));
}

static int add_user(const struct leen_auth_user *u, void *items, struct leen_err *err)
{
  cJSON_AddItemToArray(items, api_user_json(u));
  return 0;
}

int api_users_list(struct api_req *r)
{
  struct api_page page;
  if (api_page_parse(r, &page) < 0)
    return 0;
  char *end = NULL;
  long long after = page.after[0] ? strtoll(page.after, &end, 10) : 0;
  if (page.after[0] && (*end || after < 0)) {
    api_in_error(r, LEEN_E_INVALID_FIELD, "?cursor", "is not a cursor of this list");
    return api_reply_fields(r);
  }
  struct leen_err err;
  struct leen_db *db = api_db(r, &err);
  /* one more than asked tells whether another page follows */
  cJSON *items = cJSON_CreateArray();
  if (!db || leen_auth_list_users(db, r->actor.org_id, after, page.limit + 1, add_user, items,
                                  &err) < 0) {
    cJSON_Delete(items);
    return api_reply_error(r, &err);
  }
  char next[24] = "";
  if (cJSON_GetArraySize(items) > page.limit) {
    cJSON_DeleteItemFromArray(items, page.limit);
    cJSON *last = cJSON_GetArrayItem(items, page.limit - 1);
    snprintf(next, sizeof next, "%lld",
             (long long)cJSON_GetNumberValue(cJSON_GetObjectItem(last, "id")));
  }
  return api_reply_page(r, items, next[0] ? next : NULL);
}
