/* The role x route matrix, generated from the route table itself: every
 * caller gets past the role check exactly where the table allows it and a
 * 403 (or 401 without a token) everywhere else. The expectation below is
 * written out from DESIGN.md, not taken from the dispatcher. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "at.h"

static struct at_env env;

static void setup(void) { at_setup(&env, NULL, 1); }
static void teardown(void) { at_teardown(&env); }

TestSuite(roles, .init = setup, .fini = teardown, .timeout = 120);

/* volunteer < coordinator < admin; a social worker only reaches its own
 * routes (and those open to any logged-in user); admin reaches all. */
static int expected_allowed(enum api_role need, enum at_who who)
{
  if (need == API_PUBLIC)
    return 1;
  if (who == AT_NONE)
    return 0;
  switch (need) {
  case API_PUBLIC:
  case API_ANY:
    return 1;
  case API_VOLUNTEER:
    return who != AT_SOCIAL_WORKER;
  case API_COORDINATOR:
    return who == AT_COORDINATOR || who == AT_ADMIN;
  case API_SOCIAL_WORKER:
    return who == AT_SOCIAL_WORKER || who == AT_ADMIN;
  case API_ADMIN:
    return who == AT_ADMIN;
  }
  return 0;
}

/* "/v1/items/{code}/label.svg" -> "/v1/items/x1/label.svg" */
static void fill_path(const char *pattern, char *out, size_t size)
{
  size_t n = 0;
  for (const char *p = pattern; *p && n + 3 < size; p++) {
    if (*p == '{') {
      out[n++] = 'x';
      out[n++] = '1';
      p = strchr(p, '}');
      continue;
    }
    out[n++] = *p;
  }
  out[n] = '\0';
}

Test(roles, every_route_for_every_role)
{
  int cases = 0;
  for (size_t i = 0; i < api_routes_count; i++) {
    const struct api_route *rt = &api_routes[i];
    char path[256];
    fill_path(rt->pattern, path, sizeof path);
    for (int w = 0; w < AT_WHO_COUNT; w++) {
      /* an empty object: allowed callers get a validation answer, not a
       * change, so the matrix leaves no trace */
      const char *body = (rt->flags & API_F_JSON) ? "{}" : NULL;
      struct ts_http h;
      at_call(&env, rt->method, path, env.token[w], body, NULL, &h);
      int allowed = expected_allowed(rt->role, (enum at_who)w);
      const char *who = w == AT_NONE ? "nobody" : at_username((enum at_who)w);
      cr_assert(h.status < 500, "%s %s as %s: %ld %s", rt->method, path, who, h.status, h.body);
      if (allowed) {
        cr_assert(h.status != 401 && h.status != 403, "%s %s as %s: %ld, expected access: %s",
                  rt->method, path, who, h.status, h.body);
      } else {
        long want = w == AT_NONE ? 401 : 403;
        cr_assert_eq(h.status, want, "%s %s as %s: %ld, expected %ld: %s", rt->method, path, who,
                     h.status, want, h.body);
        cr_assert_str_eq(at_code(&h), w == AT_NONE ? "unauthenticated" : "forbidden");
      }
      /* a successful logout spent the token: log in again */
      if (allowed && w != AT_NONE && strcmp(rt->pattern, "/v1/auth/logout") == 0 &&
          h.status == 204) {
        free(env.token[w]);
        env.token[w] = at_login(&env, at_username((enum at_who)w), AT_PASSWORD);
      }
      ts_http_release(&h);
      cases++;
    }
  }
  printf("role matrix: %d routes x %d callers = %d cases\n", (int)api_routes_count, AT_WHO_COUNT,
         cases);
}

Test(roles, the_table_is_well_formed)
{
  for (size_t i = 0; i < api_routes_count; i++) {
    const struct api_route *rt = &api_routes[i];
    cr_assert(rt->handler, "%s %s has no handler", rt->method, rt->pattern);
    cr_assert(rt->summary && rt->summary[0], "%s %s has no summary", rt->method, rt->pattern);
    cr_assert(rt->pattern[0] == '/', "%s", rt->pattern);
    cr_assert(!(rt->flags & API_F_IDEMPOTENT) || strcmp(rt->method, "POST") == 0,
              "%s %s: Idempotency-Key is for POST", rt->method, rt->pattern);
    cr_assert(!(rt->flags & API_F_IDEMPOTENT) || rt->role != API_PUBLIC,
              "%s %s: idempotency keys belong to a user", rt->method, rt->pattern);
    for (size_t j = i + 1; j < api_routes_count; j++)
      cr_assert(strcmp(rt->method, api_routes[j].method) != 0 ||
                    strcmp(rt->pattern, api_routes[j].pattern) != 0,
                "%s %s appears twice", rt->method, rt->pattern);
  }
}

Test(roles, api_role_allows_agrees_with_the_design)
{
  static const enum leen_role roles[] = {LEEN_ROLE_VOLUNTEER, LEEN_ROLE_COORDINATOR,
                                         LEEN_ROLE_SOCIAL_WORKER, LEEN_ROLE_ADMIN};
  for (int need = API_PUBLIC; need <= API_ADMIN; need++)
    for (int w = AT_VOLUNTEER; w < AT_WHO_COUNT; w++)
      cr_assert_eq(api_role_allows((enum api_role)need, roles[w - 1]),
                   expected_allowed((enum api_role)need, (enum at_who)w), "need %s, role %d",
                   api_role_name((enum api_role)need), w);
}
