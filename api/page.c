/* Cursor pagination: ?limit=1..200 (50 by default) and an opaque ?cursor=
 * that is the unpadded base64url of the last key the client saw. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "api.h"

int api_cursor_encode(const char *key, char *out, size_t size)
{
  size_t n = strlen(key);
  if (n == 0 || n > API_CURSOR_KEY_MAX ||
      size < sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_URLSAFE_NO_PADDING))
    return -1;
  for (size_t i = 0; i < n; i++)
    if (key[i] < 0x20 || key[i] > 0x7e)
      return -1;
  sodium_bin2base64(out, size, (const unsigned char *)key, n,
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return 0;
}

int api_cursor_decode(const char *cursor, char *key, size_t size)
{
  size_t n = 0;
  const char *end = NULL;
  if (!cursor || !*cursor || size < 2 ||
      sodium_base642bin((unsigned char *)key, size - 1, cursor, strlen(cursor), NULL, &n, &end,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
      *end || n == 0)
    return -1;
  key[n] = '\0';
  for (size_t i = 0; i < n; i++)
    if (key[i] < 0x20 || key[i] > 0x7e)
      return -1;
  return 0;
}

int api_page_parse(struct api_req *r, struct api_page *p)
{
  p->limit = API_PAGE_DEFAULT;
  p->after[0] = '\0';
  const char *limit = api_query(r, "limit");
  const char *cursor = api_query(r, "cursor");
  if (limit) {
    int ok = limit[0] >= '1' && limit[0] <= '9' && strlen(limit) <= 3 &&
             strspn(limit, "0123456789") == strlen(limit);
    int v = 0;
    for (const char *s = limit; ok && *s; s++)
      v = v * 10 + (*s - '0');
    if (!ok || v > API_PAGE_MAX)
      api_in_error(r, LEEN_E_INVALID_FIELD, "?limit", "must be a whole number from 1 to %d",
                   API_PAGE_MAX);
    else
      p->limit = v;
  }
  if (cursor && api_cursor_decode(cursor, p->after, sizeof p->after) < 0)
    api_in_error(r, LEEN_E_INVALID_FIELD, "?cursor", "is not a cursor this server gave");
  if (r->nerrors) {
    api_reply_fields(r);
    return -1;
  }
  return 0;
}

int api_reply_page(struct api_req *r, cJSON *items, const char *next_key)
{
  cJSON *o = cJSON_CreateObject();
  cJSON_AddItemToObject(o, "items", items);
  char cursor[2 * API_CURSOR_KEY_MAX + 4];
  if (next_key && api_cursor_encode(next_key, cursor, sizeof cursor) == 0)
    cJSON_AddStringToObject(o, "next_cursor", cursor);
  else
    cJSON_AddNullToObject(o, "next_cursor");
  return api_reply_json(r, 200, o);
}
