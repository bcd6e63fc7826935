/* Internal to the leen CLI: the command table, options and the HTTP client. */
#ifndef LEEN_CLI_H
#define LEEN_CLI_H

#include <stddef.h>

/* Exit codes, listed in `leen --help`. */
enum {
  CLI_EXIT_OK = 0,
  CLI_EXIT_FAILURE = 1,
  CLI_EXIT_USAGE = 2,
  CLI_EXIT_NOT_FOUND = 3,
  CLI_EXIT_CONFLICT = 4,
  CLI_EXIT_AUTH = 5,
  CLI_EXIT_UNAVAILABLE = 69,
};

struct cli_opts {
  char *url;       /* API base URL, no trailing slash */
  char *token;     /* bearer token or NULL */
  int json;        /* --json: machine output */
};

/* Resolves options: flags > environment (LEEN_URL, LEEN_TOKEN) >
 * $XDG_CONFIG_HOME/leen/config > defaults. Returns 0, or -1 with a
 * sentence on stderr. */
int cli_opts_resolve(struct cli_opts *o, const char *flag_url, const char *flag_token_file);
void cli_opts_release(struct cli_opts *o);

struct cli_response {
  long status;     /* 0 when the server could not be reached */
  char *body;      /* NUL-terminated, owned */
  size_t len;
  char error[256]; /* transport error when status is 0 */
};

/* Sends one request to o->url + path; body may be NULL. Returns 0 when an
 * HTTP answer came (any status), -1 when the server could not be reached. */
int cli_http(const struct cli_opts *o, const char *method, const char *path, const char *body,
             struct cli_response *resp);
void cli_response_release(struct cli_response *resp);

struct cli_command {
  const char *name;
  const char *help;   /* one line, Dutch */
  int (*run)(const struct cli_opts *o, int argc, char **argv);
};

int cmd_status(const struct cli_opts *o, int argc, char **argv);

/* Runs the CLI; returns the exit code. */
int cli_main(int argc, char **argv);

#endif
