/* The HTTP server: libmicrohttpd with a pool of worker threads, each with
 * its own database connection. */
#ifndef LEEN_API_SERVER_H
#define LEEN_API_SERVER_H

#include <stddef.h>
#include <stdint.h>

struct api_config {
  char listen_host[64];
  uint16_t port;
  char *database_url;     /* NULL: libpq's PG* variables */
  char *public_url;       /* base for label URLs */
  unsigned threads;
  unsigned body_limit;    /* bytes */
  unsigned conn_timeout;  /* seconds a connection may stay idle (LEEN_IDLE_TIMEOUT) */
  unsigned request_timeout; /* seconds from a request's start to its answer, sent
                               (LEEN_REQUEST_TIMEOUT) */
  unsigned token_ttl;     /* seconds a login token lives (LEEN_TOKEN_TTL) */
  unsigned auth_cache;    /* seconds a resolved token is cached (LEEN_AUTH_CACHE_SECONDS) */
  const char *version;    /* shown in /openapi.json */
  int quiet;              /* no access log */
};

struct api_server;

/* Fills cfg from the environment (LEEN_LISTEN, DATABASE_URL, LEEN_PUBLIC_URL,
 * LEEN_THREADS, LEEN_IDLE_TIMEOUT, LEEN_REQUEST_TIMEOUT, LEEN_TOKEN_TTL,
 * LEEN_AUTH_CACHE_SECONDS). Returns 0, or -1 and writes a sentence to msg. */
int api_config_from_env(struct api_config *cfg, char *msg, size_t msg_size);
void api_config_release(struct api_config *cfg);

/* Starts serving; NULL on failure with a sentence in msg. */
struct api_server *api_server_start(const struct api_config *cfg, char *msg, size_t msg_size);
/* Stops accepting, finishes running requests, frees; NULL is harmless. */
void api_server_stop(struct api_server *srv);
/* The port actually bound (useful with port 0). */
uint16_t api_server_port(const struct api_server *srv);
const struct api_config *api_server_config(const struct api_server *srv);

#endif
