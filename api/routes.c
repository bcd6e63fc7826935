#include "api.h"

/* The one table of what leen-api answers. The dispatcher enforces role,
 * body limit and content type; handlers stay thin. */
const struct api_route api_routes[] = {
  {"GET", "/healthz", API_PUBLIC, api_health_live},
  {"GET", "/readyz", API_PUBLIC, api_health_ready},
};
const size_t api_routes_count = sizeof api_routes / sizeof api_routes[0];
