#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"

/* Matches path against pattern segment by segment; "{name}" captures one
 * non-empty segment. Captures go to r only on a full match. */
static int match(const char *pattern, const char *path, struct api_req *r)
{
  const char *caps[API_MAX_PARAMS];
  size_t lens[API_MAX_PARAMS];
  int n = 0;
  const char *p = pattern, *s = path;
  while (*p && *s) {
    if (*p == '{') {
      const char *pend = strchr(p, '}');
      const char *send = strchr(s, '/');
      if (!send)
        send = s + strlen(s);
      if (send == s || n == API_MAX_PARAMS)
        return 0;
      /* a capture may carry a literal suffix such as "{code}.svg" */
      const char *suffix = pend + 1;
      size_t slen = strcspn(suffix, "/");
      if ((size_t)(send - s) <= slen || strncmp(send - slen, suffix, slen) != 0)
        return 0;
      caps[n] = s;
      lens[n++] = (size_t)(send - s) - slen;
      p = suffix + slen;
      s = send;
      continue;
    }
    if (*p != *s)
      return 0;
    p++;
    s++;
  }
  if (*p || *s)
    return 0;
  if (r) {
    for (int i = 0; i < n; i++)
      r->params[i] = strndup(caps[i], lens[i]);
    r->nparams = n;
  }
  return 1;
}

const struct api_route *api_route_match(const char *method, const char *path, struct api_req *r,
                                        int *status, char *allow, size_t allow_size)
{
  *status = 404;
  size_t used = 0;
  allow[0] = '\0';
  for (size_t i = 0; i < api_routes_count; i++) {
    const struct api_route *rt = &api_routes[i];
    if (!match(rt->pattern, path, NULL))
      continue;
    if (strcmp(rt->method, method) == 0 ||
        (strcmp(method, "HEAD") == 0 && strcmp(rt->method, "GET") == 0)) {
      match(rt->pattern, path, r);
      return rt;
    }
    *status = 405;
    int w = snprintf(allow + used, allow_size - used, "%s%s", used ? ", " : "", rt->method);
    if (w > 0 && (size_t)w < allow_size - used)
      used += (size_t)w;
  }
  return NULL;
}
