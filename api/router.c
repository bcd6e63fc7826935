#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"

static int hexval(char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Percent-decodes one path segment into a new string; NULL when the result
 * would hold a NUL, a control character or invalid UTF-8 ("%00", "%C0%AF")
 * or memory ran out. */
static char *decode(const char *s, size_t len)
{
  char *out = malloc(len + 1);
  if (!out)
    return NULL;
  size_t n = 0;
  for (size_t i = 0; i < len; i++) {
    int hi = s[i] == '%' && i + 2 < len ? hexval(s[i + 1]) : -1;
    int lo = hi >= 0 ? hexval(s[i + 2]) : -1;
    if (lo >= 0) {
      out[n++] = (char)(hi * 16 + lo);
      i += 2;
    } else {
      out[n++] = s[i];
    }
  }
  out[n] = '\0';
  if (!api_utf8_valid(out, n, 1)) {
    free(out);
    return NULL;
  }
  return out;
}

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
    for (int i = 0; i < n; i++) {
      r->params[i] = decode(caps[i], lens[i]);
      if (!r->params[i]) {
        r->bad_param = 1;
        r->params[i] = strdup("");
      }
    }
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

int api_role_allows(enum api_role need, enum leen_role role)
{
  switch (need) {
  case API_PUBLIC:
  case API_ANY:
    return 1;
  case API_VOLUNTEER:
    return role == LEEN_ROLE_VOLUNTEER || role == LEEN_ROLE_COORDINATOR ||
           role == LEEN_ROLE_ADMIN;
  case API_COORDINATOR:
    return role == LEEN_ROLE_COORDINATOR || role == LEEN_ROLE_ADMIN;
  case API_SOCIAL_WORKER:
    return role == LEEN_ROLE_SOCIAL_WORKER || role == LEEN_ROLE_ADMIN;
  case API_ADMIN:
    return role == LEEN_ROLE_ADMIN;
  }
  return 0;
}

const char *api_role_name(enum api_role role)
{
  static const char *const names[] = {"public", "any", "volunteer", "coordinator",
                                      "social_worker", "admin"};
  return (unsigned)role < sizeof names / sizeof names[0] ? names[role] : "admin";
}
