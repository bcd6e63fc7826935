/* leen-api: serve the HTTP API, or run one administrative command. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "leen/label.h"
#include "leen/migrate.h"
#include "leen/user.h"
#include "server.h"

static void usage(FILE *out)
{
  fputs("usage: leen-api [serve] [--no-migrate]\n"
        "       leen-api migrate\n"
        "       leen-api create-user --username U --role R --password-file F [--library SLUG]...\n"
        "       leen-api --version\n"
        "\n"
        "environment: DATABASE_URL (or libpq's PG* variables), LEEN_LISTEN (127.0.0.1:8080),\n"
        "             LEEN_PUBLIC_URL, LEEN_THREADS, LEEN_MIGRATE=0 to skip migrations at start,\n"
        "             LEEN_IDLE_TIMEOUT (30 s), LEEN_REQUEST_TIMEOUT (30 s), LEEN_TOKEN_TTL\n"
        "             (43200 s), LEEN_AUTH_CACHE_SECONDS (5; 0 turns the token cache off)\n",
        out);
}

static int open_db(struct leen_db **db)
{
  struct leen_err err;
  if (leen_db_open(db, getenv("DATABASE_URL"), &err) < 0) {
    fprintf(stderr, "leen-api: %s\n%s", err.message, err.detail);
    return -1;
  }
  return 0;
}

static void print_applied(int version, const char *name, void *ctx)
{
  fprintf(stderr, "applied migration %04d_%s\n", version, name);
}

static int run_migrate(struct leen_db *db)
{
  struct leen_err err;
  int n = leen_migrate(db, print_applied, NULL, &err);
  if (n < 0) {
    fprintf(stderr, "leen-api: %s%s%s\n", err.message, err.detail[0] ? ": " : "", err.detail);
    return -1;
  }
  if (n == 0)
    fprintf(stderr, "schema is up to date at version %d\n", leen_schema_known_version());
  else
    fprintf(stderr, "applied %d migration%s, schema now at version %d\n", n, n == 1 ? "" : "s",
            leen_schema_known_version());
  return 0;
}

static char *read_password_file(const char *path)
{
  FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
  if (!f) {
    fprintf(stderr, "leen-api: could not open \"%s\": %s\n", path, strerror(errno));
    return NULL;
  }
  char buf[1024];
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  if (f != stdin)
    fclose(f);
  buf[n] = '\0';
  buf[strcspn(buf, "\r\n")] = '\0';
  return strdup(buf);
}

static int cmd_create_user(int argc, char **argv)
{
  struct leen_user_new u = {0};
  const char *role = NULL, *pwfile = NULL;
  const char *libs[32];
  size_t nlibs = 0;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (!v) {
      fprintf(stderr, "leen-api: %s needs a value\n", a);
      return 2;
    }
    if (strcmp(a, "--username") == 0)
      u.username = v;
    else if (strcmp(a, "--role") == 0)
      role = v;
    else if (strcmp(a, "--password-file") == 0)
      pwfile = v;
    else if (strcmp(a, "--library") == 0 && nlibs < 32)
      libs[nlibs++] = v;
    else if (strcmp(a, "--org") == 0)
      u.org = v;
    else {
      fprintf(stderr, "leen-api: unknown option \"%s\"\n", a);
      return 2;
    }
    i++;
  }
  if (!u.username || !role || !pwfile) {
    fprintf(stderr, "leen-api: create-user needs --username, --role and --password-file\n");
    return 2;
  }
  if (leen_role_parse(role, &u.role) < 0) {
    fprintf(stderr,
            "leen-api: unknown role \"%s\" (volunteer, coordinator, social_worker or admin)\n",
            role);
    return 2;
  }
  u.libraries = libs;
  u.nlibraries = nlibs;
  char *pw = read_password_file(pwfile);
  if (!pw)
    return 1;
  u.password = pw;
  struct leen_db *db;
  if (open_db(&db) < 0) {
    free(pw);
    return 69;
  }
  int rc = 0;
  struct leen_err err;
  int64_t id;
  if (leen_schema_check(db, &err) < 0 || leen_user_create(db, &u, &id, &err) < 0) {
    fprintf(stderr, "leen-api: %s\n", err.message);
    rc = leen_code_exit(err.code);
  } else {
    fprintf(stderr, "created user \"%s\" (%s) with id %lld\n", u.username, role, (long long)id);
  }
  leen_db_close(db);
  memset(pw, 0, strlen(pw));
  free(pw);
  return rc;
}

static int cmd_serve(int argc, char **argv)
{
  int migrate = 1;
  const char *env = getenv("LEEN_MIGRATE");
  if (env && strcmp(env, "0") == 0)
    migrate = 0;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--no-migrate") == 0) {
      migrate = 0;
    } else {
      fprintf(stderr, "leen-api: unknown option \"%s\"\n", argv[i]);
      return 2;
    }
  }
  /* A database host that does not answer must not hold a worker for the
   * system's TCP timeout (minutes): libpq reads this unless told otherwise. */
  setenv("PGCONNECT_TIMEOUT", "3", 0);
  struct api_config cfg;
  char msg[256];
  if (api_config_from_env(&cfg, msg, sizeof msg) < 0) {
    fprintf(stderr, "leen-api: %s\n", msg);
    return 2;
  }
  cfg.version = LEEN_VERSION;
  /* Block the stop signals before any thread starts so only main sees them. */
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop, NULL);
  signal(SIGPIPE, SIG_IGN);

  struct leen_db *db;
  if (open_db(&db) < 0) {
    api_config_release(&cfg);
    return 69;
  }
  struct leen_err err;
  int bad = migrate ? run_migrate(db) : leen_schema_check(db, &err);
  if (!migrate && bad < 0)
    fprintf(stderr, "leen-api: %s\n", err.message);
  leen_db_close(db);
  if (bad < 0) {
    api_config_release(&cfg);
    return 1;
  }
  struct api_server *srv = api_server_start(&cfg, msg, sizeof msg);
  if (!srv) {
    fprintf(stderr, "leen-api: %s\n", msg);
    api_config_release(&cfg);
    return 1;
  }
  fprintf(stderr, "leen-api listening on http://%s:%u\n", cfg.listen_host, api_server_port(srv));
  int sig = 0;
  sigwait(&stop, &sig);
  fprintf(stderr, "leen-api: stopping (%s)\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
  api_server_stop(srv);
  label_global_cleanup(); /* cairo's and fontconfig's font caches, for a clean leak check */
  api_config_release(&cfg);
  return 0;
}

int main(int argc, char **argv)
{
  setvbuf(stderr, NULL, _IOLBF, 0);
  const char *cmd = argc > 1 ? argv[1] : "serve";
  if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
    printf("leen-api %s (schema %d)\n", LEEN_VERSION, leen_schema_known_version());
    return 0;
  }
  if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
    usage(stdout);
    return 0;
  }
  if (strcmp(cmd, "migrate") == 0) {
    struct leen_db *db;
    if (open_db(&db) < 0)
      return 69;
    int rc = run_migrate(db) < 0 ? 1 : 0;
    leen_db_close(db);
    return rc;
  }
  if (strcmp(cmd, "create-user") == 0)
    return cmd_create_user(argc - 1, argv + 1);
  if (strcmp(cmd, "serve") == 0)
    return cmd_serve(argc - 1, argv + 1);
  if (cmd[0] == '-')
    return cmd_serve(argc, argv);
  fprintf(stderr, "leen-api: unknown command \"%s\"\n", cmd);
  usage(stderr);
  return 2;
}
