#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server.h"

static int parse_uint(const char *s, unsigned long max, unsigned long *out)
{
  if (!s || !*s)
    return -1;
  char *end;
  errno = 0;
  unsigned long v = strtoul(s, &end, 10);
  if (errno || *end || v > max || s[0] == '-')
    return -1;
  *out = v;
  return 0;
}

int api_config_from_env(struct api_config *cfg, char *msg, size_t msg_size)
{
  memset(cfg, 0, sizeof *cfg);
  snprintf(cfg->listen_host, sizeof cfg->listen_host, "127.0.0.1");
  cfg->port = 8080;
  cfg->threads = 2;
  cfg->body_limit = 64 * 1024;
  cfg->conn_timeout = 30;
  cfg->request_timeout = 30;
  cfg->token_ttl = 12 * 3600;
  cfg->auth_cache = 5;
  cfg->version = "0";

  const char *listen = getenv("LEEN_LISTEN");
  if (listen && *listen) {
    const char *colon = strrchr(listen, ':');
    unsigned long port;
    if (!colon || parse_uint(colon + 1, 65535, &port) < 0 ||
        (size_t)(colon - listen) >= sizeof cfg->listen_host) {
      snprintf(msg, msg_size, "LEEN_LISTEN must look like 127.0.0.1:8080, not \"%s\"", listen);
      return -1;
    }
    if (colon > listen)
      snprintf(cfg->listen_host, sizeof cfg->listen_host, "%.*s", (int)(colon - listen), listen);
    cfg->port = (uint16_t)port;
  }
  const char *threads = getenv("LEEN_THREADS");
  if (threads && *threads) {
    unsigned long n;
    if (parse_uint(threads, 256, &n) < 0 || n == 0) {
      snprintf(msg, msg_size, "LEEN_THREADS must be a number from 1 to 256, not \"%s\"", threads);
      return -1;
    }
    cfg->threads = (unsigned)n;
  }
  static const struct {
    const char *name;
    unsigned long min, max;
    size_t offset;
  } numbers[] = {
    {"LEEN_IDLE_TIMEOUT", 1, 3600, offsetof(struct api_config, conn_timeout)},
    {"LEEN_REQUEST_TIMEOUT", 1, 3600, offsetof(struct api_config, request_timeout)},
    {"LEEN_TOKEN_TTL", 60, 90 * 24 * 3600, offsetof(struct api_config, token_ttl)},
    {"LEEN_AUTH_CACHE_SECONDS", 0, 300, offsetof(struct api_config, auth_cache)},
  };
  for (size_t i = 0; i < sizeof numbers / sizeof numbers[0]; i++) {
    const char *v = getenv(numbers[i].name);
    unsigned long n;
    if (!v || !*v)
      continue;
    if (parse_uint(v, numbers[i].max, &n) < 0 || n < numbers[i].min) {
      snprintf(msg, msg_size, "%s must be a number from %lu to %lu, not \"%s\"", numbers[i].name,
               numbers[i].min, numbers[i].max, v);
      return -1;
    }
    *(unsigned *)((char *)cfg + numbers[i].offset) = (unsigned)n;
  }
  const char *url = getenv("DATABASE_URL");
  cfg->database_url = strdup(url ? url : "");
  const char *pub = getenv("LEEN_PUBLIC_URL");
  if (pub && *pub) {
    cfg->public_url = strdup(pub);
  } else {
    char buf[128];
    snprintf(buf, sizeof buf, "http://%s:%u", cfg->listen_host, cfg->port);
    cfg->public_url = strdup(buf);
  }
  /* drop a trailing slash so URLs join cleanly */
  size_t n = strlen(cfg->public_url);
  if (n && cfg->public_url[n - 1] == '/')
    cfg->public_url[n - 1] = '\0';
  const char *quiet = getenv("LEEN_QUIET");
  cfg->quiet = quiet && strcmp(quiet, "1") == 0;
  return 0;
}

void api_config_release(struct api_config *cfg)
{
  free(cfg->database_url);
  free(cfg->public_url);
  cfg->database_url = cfg->public_url = NULL;
}
