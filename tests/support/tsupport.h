/* Test support: a fresh database per suite on the fixture's cluster, a
 * leen-api child process on a free port, HTTP over libcurl, and running
 * the CLI. Everything here aborts the test (cr_assert) on failure. */
#ifndef LEEN_TSUPPORT_H
#define LEEN_TSUPPORT_H

#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <libpq-fe.h>
#include <stddef.h>
#include <sys/types.h>

/* Creates a database: migrated (from leen_template) or empty. Returns a
 * malloc'ed libpq conninfo; ts_db_drop drops it and frees the string. */
char *ts_db_create(int migrated);
void ts_db_drop(char *conninfo);
/* conninfo of the cluster's "postgres" database (static storage). */
const char *ts_admin_conninfo(void);

/* A libpq connection; asserts it opened. */
PGconn *ts_connect(const char *conninfo);
/* Runs SQL (with $n text parameters) and asserts it succeeded. */
PGresult *ts_sql(PGconn *c, const char *sql, int n, const char *const *params);
/* First cell of a query as a malloc'ed string (NULL for SQL NULL). */
char *ts_sql_value(PGconn *c, const char *sql);
long long ts_sql_int(PGconn *c, const char *sql);

struct ts_api {
  pid_t pid;
  int port;
  char url[64];
  char log[256];     /* its stderr goes here */
};

/* Starts leen-api against conninfo on a free port with the extra
 * environment entries (NAME=value, NULL-terminated; may be NULL) and
 * waits until /healthz answers. */
void ts_api_start(struct ts_api *api, const char *conninfo, const char *const *env);
void ts_api_stop(struct ts_api *api);

struct ts_http {
  long status;
  char *body;        /* NUL-terminated */
  size_t len;
  char *headers;     /* raw response headers */
  cJSON *json;       /* parsed body, or NULL */
};

/* One request; headers is a NULL-terminated list of "Name: value" (may
 * be NULL). Returns 0 when an answer came, -1 when none did. */
int ts_request(const char *method, const char *url, const char *body, const char *const *headers,
               struct ts_http *out);
void ts_http_release(struct ts_http *h);
/* The value of a response header (malloc'ed) or NULL. */
char *ts_header(const struct ts_http *h, const char *name);

struct ts_run {
  int exit_code;
  char *out;
  char *err;
};
/* Runs argv (argv[0] a path) with extra environment entries (may be NULL)
 * and stdin from /dev/null; collects stdout, stderr and the exit code. */
void ts_run(const char *const *argv, const char *const *env, struct ts_run *out);
void ts_run_release(struct ts_run *r);
/* Runs cmd with /bin/sh; returns its stdout (malloc'ed), asserting exit 0. */
char *ts_shell(const char *cmd);
/* Runs a program found on PATH with args (NULL-terminated); returns its
 * stdout (malloc'ed) and puts the exit code in *exit_code. */
char *ts_tool(const char *prog, const char *const *args, int *exit_code);

/* A free TCP port on 127.0.0.1. */
int ts_free_port(void);
/* Reads a whole file; NULL when missing. */
char *ts_read_file(const char *path, size_t *len);
/* Writes len bytes of data to path, replacing it. */
void ts_write_file(const char *path, const void *data, size_t len);

/* A fresh scratch directory /tmp/leen-<name>.XXXXXX; its path goes to out.
 * ts_tmpdir_remove removes it with everything in it (nothing for "");
 * it only warns on stderr when it cannot, so it may run in a teardown. */
void ts_tmpdir(char *out, size_t size, const char *name);
void ts_tmpdir_remove(const char *dir);

/* Every QR code zbarimg finds in an image file (PNG, PGM) or, for a path
 * ending in .pdf, in every page rasterised at 300 dpi in grey: one decoded
 * string a line, each ending in a newline, sorted as sort(1) does in the C
 * locale; "" when there are none (malloc'ed). */
char *ts_qr_decode(const char *path);
/* ts_qr_decode of data (an HTTP body, say) written to a scratch file
 * called name: its suffix (.pdf, .png) says what it is. */
char *ts_qr_decode_data(const void *data, size_t len, const char *name);

#endif

/* A private PostgreSQL cluster for tests that stop and start the server
 * (so no other test is disturbed). conninfo points at its migrated
 * leen_template database. */
struct ts_cluster {
  char state[256];
  char host[300];
  char port[16];
  char conninfo[700];
};
void ts_cluster_start(struct ts_cluster *c);
void ts_cluster_pause(struct ts_cluster *c);   /* stop the server, keep the data */
void ts_cluster_resume(struct ts_cluster *c);  /* start it again on the same port */
void ts_cluster_remove(struct ts_cluster *c);
