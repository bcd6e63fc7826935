/* ETags from a resource's version number, and If-Match for writes: a
 * client that changes a record says which version it read, so two
 * volunteers editing one household cannot overwrite each other. */
#include <microhttpd.h>
#include <stdio.h>
#include <string.h>

#include "api.h"

void api_etag_set(struct api_req *r, int64_t version)
{
  char tag[32];
  snprintf(tag, sizeof tag, "\"v%lld\"", (long long)version);
  api_add_header(r, MHD_HTTP_HEADER_ETAG, tag);
}

int api_etag_parse(const char *value, int64_t *version)
{
  if (!value)
    return -1;
  while (*value == ' ')
    value++;
  size_t n = strlen(value);
  while (n && value[n - 1] == ' ')
    n--;
  if (n == 1 && value[0] == '*')
    return 0;
  /* a strong tag "v<digits>": weak tags never match If-Match (RFC 9110) */
  if (n < 4 || n > 22 || value[0] != '"' || value[1] != 'v' || value[n - 1] != '"')
    return -1;
  int64_t v = 0;
  for (size_t i = 2; i < n - 1; i++) {
    if (value[i] < '0' || value[i] > '9' || v > (INT64_MAX - 9) / 10)
      return -1;
    v = v * 10 + (value[i] - '0');
  }
  if (v == 0) /* versions start at 1; core takes 0 as "no check" */
    return -1;
  *version = v;
  return 1;
}

int api_if_match(struct api_req *r, int64_t *version)
{
  const char *h = api_header(r, MHD_HTTP_HEADER_IF_MATCH);
  if (!h) {
    api_reply_code(r, LEEN_E_PRECONDITION_REQUIRED,
                   "send If-Match with the ETag of the version you read");
    return -1;
  }
  int rc = api_etag_parse(h, version);
  if (rc < 0) {
    api_reply_code(r, LEEN_E_PRECONDITION_FAILED, "If-Match does not name a version of this");
    return -1;
  }
  if (rc == 0)
    *version = -1;
  return 0;
}
