#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static size_t on_data(char *ptr, size_t size, size_t nmemb, void *userdata)
{
  struct cli_response *r = userdata;
  size_t n = size * nmemb;
  char *b = realloc(r->body, r->len + n + 1);
  if (!b)
    return 0;
  memcpy(b + r->len, ptr, n);
  r->body = b;
  r->len += n;
  r->body[r->len] = '\0';
  return n;
}

int cli_http(const struct cli_opts *o, const char *method, const char *path, const char *body,
             struct cli_response *resp)
{
  memset(resp, 0, sizeof *resp);
  CURL *c = curl_easy_init();
  if (!c) {
    snprintf(resp->error, sizeof resp->error, "kan libcurl niet starten");
    return -1;
  }
  size_t urllen = strlen(o->url) + strlen(path) + 1;
  char *url = malloc(urllen);
  if (!url) {
    curl_easy_cleanup(c);
    return -1;
  }
  snprintf(url, urllen, "%s%s", o->url, path);
  struct curl_slist *h = NULL;
  h = curl_slist_append(h, "Accept: application/json");
  if (body)
    h = curl_slist_append(h, "Content-Type: application/json");
  if (o->token) {
    size_t tl = strlen(o->token) + 32;
    char *auth = malloc(tl);
    if (auth) {
      snprintf(auth, tl, "Authorization: Bearer %s", o->token);
      h = curl_slist_append(h, auth);
      free(auth);
    }
  }
  curl_easy_setopt(c, CURLOPT_URL, url);
  curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, resp);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 5L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  if (body)
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
  CURLcode rc = curl_easy_perform(c);
  if (rc == CURLE_OK)
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &resp->status);
  else
    snprintf(resp->error, sizeof resp->error, "%s", curl_easy_strerror(rc));
  curl_slist_free_all(h);
  curl_easy_cleanup(c);
  free(url);
  if (!resp->body)
    resp->body = strdup("");
  return rc == CURLE_OK ? 0 : -1;
}

void cli_response_release(struct cli_response *resp)
{
  free(resp->body);
  resp->body = NULL;
  resp->len = 0;
}
