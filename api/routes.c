#include "api.h"
/* BEGIN includes households */
/* END includes households */
/* BEGIN includes catalogue */
/* END includes catalogue */
/* BEGIN includes circulation */
/* END includes circulation */
/* BEGIN includes reports */
/* END includes reports */
/* BEGIN includes web */
/* END includes web */

/* The one table of what leen-api answers. The dispatcher enforces role,
 * body limit, content type, JSON parsing and idempotency from it, and
 * /openapi.json is generated from it. */
#define BODY API_BODY_DEFAULT
const struct api_route api_routes[] = {
  /* method, path, role, flags, body limit, handler, summary */
  {"GET", "/healthz", API_PUBLIC, 0, BODY, api_health_live, "liveness: the process answers"},
  {"GET", "/readyz", API_PUBLIC, 0, BODY, api_health_ready, "readiness: the database answers"},
  {"GET", "/metrics", API_PUBLIC, 0, BODY, api_metrics_get, "Prometheus metrics"},
  {"GET", "/openapi.json", API_PUBLIC, 0, BODY, api_openapi_get, "this API as OpenAPI 3.1"},
  {"POST", "/v1/auth/login", API_PUBLIC, API_F_JSON, BODY, api_auth_login,
   "log in with username and password; returns a bearer token"},
  {"POST", "/v1/auth/logout", API_ANY, 0, BODY, api_auth_logout,
   "revoke the token of this request"},
  {"GET", "/v1/me", API_ANY, 0, BODY, api_me_get, "the caller: id, username, role, libraries"},
  {"GET", "/v1/users", API_ADMIN, API_F_PAGED, BODY, api_users_list,
   "the users of the caller's org"},
  {"POST", "/v1/users", API_ADMIN, API_F_JSON | API_F_IDEMPOTENT, BODY, api_users_create,
   "create a user with a role and libraries"},
  /* BEGIN households */
  /* END households */
  /* BEGIN catalogue */
  /* END catalogue */
  /* BEGIN circulation */
  /* END circulation */
  /* BEGIN reports */
  /* END reports */
  /* BEGIN web */
  /* END web */
};
const size_t api_routes_count = sizeof api_routes / sizeof api_routes[0];
