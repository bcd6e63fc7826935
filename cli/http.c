/* One HTTP request to leen-api over libcurl. */
#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

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

/* Copies the value of header line `line` into out when it is `name`. */
static int header_value(const char *line, size_t n, const char *name, char *out, size_t size)
{
  size_t k = strlen(name);
  if (n <= k || strncasecmp(line, name, k) != 0 || line[k] != ':')
    return 0;
  const char *v = line + k + 1;
  size_t vn = n - k - 1;
  while (vn && (*v == ' ' || *v == '\t')) {
    v++;
    vn--;
  }
  while (vn && (v[vn - 1] == '\r' || v[vn - 1] == '\n' || v[vn - 1] == ' '))
    vn--;
  if (vn >= size)
    vn = size - 1;
  memcpy(out, v, vn);
  out[vn] = '\0';
  return 1;
}

static size_t on_header(char *ptr, size_t size, size_t nmemb, void *userdata)
{
  struct cli_response *r = userdata;
  size_t n = size * nmemb;
  char retry[16];
  header_value(ptr, n, "ETag", r->etag, sizeof r->etag);
  for (struct cli_header *w = r->headers; w && w->name; w++)
    header_value(ptr, n, w->name, w->value, sizeof w->value);
  if (header_value(ptr, n, "Retry-After", retry, sizeof retry)) {
    int64_t v = 0;
    if (cli_parse_int(retry, 0, 86400, &v) == 0)
      r->retry_after = (int)v;
  }
  return n;
}

void cli_random_key(char out[33])
{
  unsigned char b[16];
  size_t got = 0;
  while (got < sizeof b) {
    ssize_t n = getrandom(b + got, sizeof b - got, 0);
    if (n <= 0)
      break;
    got += (size_t)n;
  }
  if (got < sizeof b) {
    /* no entropy source: time and pid still make a fresh key per run */
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t x = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 20) ^ ((uint64_t)getpid() << 40);
    for (size_t i = 0; i < sizeof b; i++) {
      x = x * 6364136223846793005ULL + 1442695040888963407ULL;
      b[i] = (unsigned char)(x >> 56);
    }
  }
  static const char hex[] = "0123456789abcdef";
  for (size_t i = 0; i < sizeof b; i++) {
    out[2 * i] = hex[b[i] >> 4];
    out[2 * i + 1] = hex[b[i] & 15];
  }
  out[32] = '\0';
}

int cli_http(const struct cli_opts *o, const struct cli_request *rq, struct cli_response *resp)
{
  memset(resp, 0, sizeof *resp);
  resp->headers = rq->headers;
  for (struct cli_header *w = resp->headers; w && w->name; w++)
    w->value[0] = '\0';
  CURL *c = curl_easy_init();
  if (!c) {
    snprintf(resp->error, sizeof resp->error, "%s", _("kan libcurl niet starten"));
    resp->body = strdup("");
    return -1;
  }
  struct cli_buf url = {0};
  cli_buf_add(&url, o->url);
  cli_buf_add(&url, rq->path);
  struct cli_buf line = {0};
  struct curl_slist *h = NULL;
  h = curl_slist_append(h, rq->flags & CLI_REQ_RAW
                              ? "Accept: */*"
                              : "Accept: application/json, application/problem+json");
  h = curl_slist_append(h, "Accept-Language: nl");
  if (rq->body)
    h = curl_slist_append(h, "Content-Type: application/json");
  else
    h = curl_slist_append(h, "Content-Type:");
  if (o->token && !(rq->flags & CLI_REQ_NO_AUTH)) {
    cli_buf_addf(&line, "Authorization: Bearer %s", o->token);
    h = curl_slist_append(h, line.data);
    cli_buf_release(&line);
  }
  if (rq->if_match) {
    cli_buf_addf(&line, "If-Match: %s", rq->if_match);
    h = curl_slist_append(h, line.data);
    cli_buf_release(&line);
  }
  if (rq->idempotency_key || (rq->flags & CLI_REQ_IDEMPOTENT)) {
    char key[33];
    if (!rq->idempotency_key)
      cli_random_key(key);
    cli_buf_addf(&line, "Idempotency-Key: %s", rq->idempotency_key ? rq->idempotency_key : key);
    h = curl_slist_append(h, line.data);
    cli_buf_release(&line);
  }
  curl_easy_setopt(c, CURLOPT_URL, url.data ? url.data : "");
  curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, rq->method);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, resp);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, resp);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 5L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, 120L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_USERAGENT, "leen/" LEEN_VERSION);
  if (rq->body) {
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, rq->body);
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(rq->body));
  }
  CURLcode rc = curl_easy_perform(c);
  if (rc == CURLE_OK)
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &resp->status);
  else
    snprintf(resp->error, sizeof resp->error, "%s", curl_easy_strerror(rc));
  curl_slist_free_all(h);
  curl_easy_cleanup(c);
  cli_buf_release(&url);
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
