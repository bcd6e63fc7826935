/* Privacy requests (admins): GET /v1/households/{number}/export and
 * POST /v1/households/{number}/anonymize. What is kept and why is in
 * core/include/leen/privacy.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "households.h"
#include "leen/privacy.h"

int api_households_export(struct api_req *r)
{
  int64_t number;
  if (api_household_number(r, r->params[0], &number) < 0)
    return 0;
  struct leen_err err;
  struct leen_db *db = api_db(r, &err);
  char *json = NULL;
  if (!db || leen_privacy_export(db, &r->actor, number, &json, &err) < 0)
    return api_reply_error(r, &err);
  char disposition[64];
  snprintf(disposition, sizeof disposition, "attachment; filename=\"gezin-%lld.json\"",
           (long long)number);
  api_add_header(r, "Content-Disposition", disposition);
  /* the document comes whole from the database: no reason to parse it again */
  return api_reply_raw(r, 200, "application/json", json, strlen(json));
}

int api_households_anonymize(struct api_req *r)
{
  int64_t number;
  if (api_household_number(r, r->params[0], &number) < 0)
    return 0;
  struct leen_err err;
  struct leen_db *db = api_db(r, &err);
  struct leen_household h = {0};
  char at[40];
  if (!db || leen_privacy_anonymize(db, &r->actor, number, &h, at, &err) < 0)
    return api_reply_error(r, &err);
  api_etag_set(r, h.version);
  cJSON *body = api_household_json(&h);
  leen_household_release(&h);
  cJSON_AddStringToObject(body, "anonymized_at", at);
  return api_reply_json(r, 200, body);
}
