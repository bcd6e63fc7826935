/* The whole-request timeout. libmicrohttpd's own timeout only counts idle
 * time, so a client that sends one header byte every few seconds would keep
 * its connection forever. Every connection here carries a deadline: the
 * request must be read and answered within request_timeout seconds of its
 * start (a fresh connection, or the end of the previous request plus the
 * idle time allowed). A reaper thread shuts the socket of a connection
 * past its deadline down; libmicrohttpd then sees the end of the stream
 * and closes it as usual.
 *
 * Workers are not held by slow clients in any case (libmicrohttpd reads
 * with epoll and calls us only with whole headers); the deadline bounds
 * the connection slots and memory a slow client can keep. */
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

#include "server_int.h"

#define NS 1000000000LL

static void set_deadline(struct api_conn *c, int64_t at)
{
  atomic_store_explicit(&c->deadline_ns, at, memory_order_relaxed);
}

static struct api_conn *conn_of(struct MHD_Connection *conn)
{
  const union MHD_ConnectionInfo *info =
      MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
  return info ? info->socket_context : NULL;
}

void api_conn_notify(void *cls, struct MHD_Connection *conn, void **socket_context,
                     enum MHD_ConnectionNotificationCode code)
{
  struct api_server *srv = cls;
  struct api_conns *cs = &srv->conns;
  if (code == MHD_CONNECTION_NOTIFY_STARTED) {
    struct api_conn *c = calloc(1, sizeof *c);
    if (!c)
      return;
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
    c->fd = info ? info->connect_fd : -1;
    set_deadline(c, api_now_ns() + (int64_t)srv->cfg.request_timeout * NS);
    pthread_mutex_lock(&cs->lock);
    c->next = cs->head;
    if (cs->head)
      cs->head->prev = c;
    cs->head = c;
    pthread_mutex_unlock(&cs->lock);
    *socket_context = c;
    return;
  }
  /* Closed: libmicrohttpd closes the socket only after this returns, so
   * once the entry is off the list the reaper can never touch a reused fd. */
  struct api_conn *c = *socket_context;
  if (!c)
    return;
  pthread_mutex_lock(&cs->lock);
  if (c->prev)
    c->prev->next = c->next;
  else
    cs->head = c->next;
  if (c->next)
    c->next->prev = c->prev;
  pthread_mutex_unlock(&cs->lock);
  free(c);
  *socket_context = NULL;
}

void api_conn_request_started(struct api_server *srv, struct MHD_Connection *conn)
{
  struct api_conn *c = conn_of(conn);
  if (c)
    set_deadline(c, api_now_ns() + (int64_t)srv->cfg.request_timeout * NS);
}

void api_conn_request_done(struct api_server *srv, struct MHD_Connection *conn)
{
  struct api_conn *c = conn_of(conn);
  if (c)
    set_deadline(c, api_now_ns() +
                        ((int64_t)srv->cfg.conn_timeout + srv->cfg.request_timeout) * NS);
}

static void *reap(void *p)
{
  struct api_server *srv = p;
  struct api_conns *cs = &srv->conns;
  while (!atomic_load(&cs->stop)) {
    struct timespec ts = {0, 200 * 1000000};
    nanosleep(&ts, NULL);
    int64_t now = api_now_ns();
    pthread_mutex_lock(&cs->lock);
    for (struct api_conn *c = cs->head; c; c = c->next) {
      if (c->cut || c->fd < 0 || atomic_load_explicit(&c->deadline_ns, memory_order_relaxed) > now)
        continue;
      shutdown(c->fd, SHUT_RDWR);
      c->cut = 1;
      atomic_fetch_add(&srv->metrics.timeouts, 1);
    }
    pthread_mutex_unlock(&cs->lock);
  }
  return NULL;
}

int api_conns_start(struct api_server *srv)
{
  struct api_conns *cs = &srv->conns;
  pthread_mutex_init(&cs->lock, NULL);
  atomic_init(&cs->stop, 0);
  if (pthread_create(&cs->reaper, NULL, reap, srv) != 0)
    return -1;
  cs->reaper_running = 1;
  return 0;
}

void api_conns_stop(struct api_server *srv)
{
  struct api_conns *cs = &srv->conns;
  if (!cs->reaper_running)
    return;
  atomic_store(&cs->stop, 1);
  pthread_join(cs->reaper, NULL);
  cs->reaper_running = 0;
  pthread_mutex_destroy(&cs->lock);
}
