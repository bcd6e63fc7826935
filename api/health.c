#include "api.h"

int api_health_live(struct api_req *r)
{
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "status", "ok");
  return api_reply_json(r, 200, o);
}

int api_health_ready(struct api_req *r)
{
  struct leen_err err;
  struct leen_db *db = api_db(r, &err);
  if (!db || leen_db_ping(db, &err) < 0)
    return api_reply_code(r, LEEN_E_DB_UNAVAILABLE, "the database is not reachable");
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "status", "ok");
  cJSON_AddStringToObject(o, "database", "ok");
  return api_reply_json(r, 200, o);
}
