#include "tsupport.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static char state_host[512], state_port[16];

static void load_state(void)
{
  if (state_port[0])
    return;
  const char *path = getenv("LEEN_TEST_PGSTATE");
  cr_assert(path, "LEEN_TEST_PGSTATE is not set: run the tests through ctest");
  FILE *f = fopen(path, "r");
  cr_assert(f, "no PostgreSQL fixture state at %s", path);
  char line[600];
  while (fgets(line, sizeof line, f)) {
    line[strcspn(line, "\n")] = '\0';
    if (strncmp(line, "host=", 5) == 0)
      snprintf(state_host, sizeof state_host, "%.500s", line + 5);
    else if (strncmp(line, "port=", 5) == 0)
      snprintf(state_port, sizeof state_port, "%.10s", line + 5);
  }
  fclose(f);
  cr_assert(state_port[0], "fixture state has no port");
}

const char *ts_admin_conninfo(void)
{
  static char ci[700];
  load_state();
  snprintf(ci, sizeof ci, "host=%s port=%s user=postgres dbname=postgres", state_host, state_port);
  return ci;
}

PGconn *ts_connect(const char *conninfo)
{
  PGconn *c = PQconnectdb(conninfo);
  cr_assert(PQstatus(c) == CONNECTION_OK, "could not connect: %s", PQerrorMessage(c));
  PGresult *r = PQexec(c, "SET client_min_messages = warning; SET TIME ZONE 'Europe/Brussels'");
  PQclear(r);
  return c;
}

PGresult *ts_sql(PGconn *c, const char *sql, int n, const char *const *params)
{
  PGresult *r = PQexecParams(c, sql, n, NULL, params, NULL, NULL, 0);
  ExecStatusType st = PQresultStatus(r);
  cr_assert(st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK, "SQL failed: %s\n%s",
            PQresultErrorMessage(r), sql);
  return r;
}

char *ts_sql_value(PGconn *c, const char *sql)
{
  PGresult *r = ts_sql(c, sql, 0, NULL);
  char *v = NULL;
  if (PQntuples(r) > 0 && !PQgetisnull(r, 0, 0))
    v = strdup(PQgetvalue(r, 0, 0));
  PQclear(r);
  return v;
}

long long ts_sql_int(PGconn *c, const char *sql)
{
  char *v = ts_sql_value(c, sql);
  cr_assert(v, "no value from: %s", sql);
  long long n = strtoll(v, NULL, 10);
  free(v);
  return n;
}

char *ts_db_create(int migrated)
{
  static unsigned counter;
  char name[64];
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  snprintf(name, sizeof name, "leen_t_%d_%u_%ld", (int)getpid(), counter++, ts.tv_nsec % 100000);
  PGconn *admin = ts_connect(ts_admin_conninfo());
  char sql[200];
  /* FILE_COPY skips WAL-logging every block: much faster for a small copy */
  snprintf(sql, sizeof sql, "CREATE DATABASE %s TEMPLATE %s STRATEGY FILE_COPY", name,
           migrated ? "leen_template" : "template0");
  /* CREATE DATABASE from a template fails if another session is copying it */
  PGresult *r = NULL;
  for (int i = 0; i < 50; i++) {
    r = PQexec(admin, sql);
    if (PQresultStatus(r) == PGRES_COMMAND_OK)
      break;
    PQclear(r);
    r = NULL;
    usleep(100000);
  }
  cr_assert(r, "could not create database %s: %s", name, PQerrorMessage(admin));
  PQclear(r);
  PQfinish(admin);
  char *ci = malloc(800);
  snprintf(ci, 800, "host=%s port=%s user=postgres dbname=%s", state_host, state_port, name);
  return ci;
}

void ts_db_drop(char *conninfo)
{
  if (!conninfo)
    return;
  const char *p = strstr(conninfo, "dbname=");
  if (p) {
    PGconn *admin = ts_connect(ts_admin_conninfo());
    char sql[200];
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", p + 7);
    PQclear(PQexec(admin, sql));
    PQfinish(admin);
  }
  free(conninfo);
}

/* A port nobody has bound, in 10000-19999: below the kernel's ephemeral
   range, so no outgoing connection holds it, and apart from the 20000-31999
   that scripts/lib.sh gives PostgreSQL clusters. */
int ts_free_port(void)
{
  static unsigned seed;
  if (!seed)
    seed = (unsigned)getpid() ^ (unsigned)time(NULL);
  for (int attempt = 0; attempt < 200; attempt++) {
    int port = 10000 + (int)(rand_r(&seed) % 10000);
    int s = socket(AF_INET, SOCK_STREAM, 0);
    cr_assert(s >= 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int ok = bind(s, (struct sockaddr *)&a, sizeof a) == 0;
    close(s);
    if (ok)
      return port;
  }
  cr_assert_fail("no free port in 10000-19999");
  return 0;
}

static char **env_with(const char *const *extra)
{
  size_t n = 0, m = 0;
  while (environ[n])
    n++;
  while (extra && extra[m])
    m++;
  char **env = calloc(n + m + 1, sizeof *env);
  size_t k = 0;
  for (size_t i = 0; i < m; i++)
    env[k++] = (char *)extra[i];
  for (size_t i = 0; i < n; i++) {
    size_t eq = strcspn(environ[i], "=");
    int overridden = 0;
    for (size_t j = 0; j < m; j++)
      if (strncmp(extra[j], environ[i], eq + 1) == 0)
        overridden = 1;
    if (!overridden)
      env[k++] = environ[i];
  }
  env[k] = NULL;
  return env;
}

/* Starts leen-api once; 1 when it answers, 0 when it could not listen
   because another test took the port first. */
static int api_start_once(struct ts_api *api, const char *conninfo, const char *const *env)
{
  memset(api, 0, sizeof *api);
  api->port = ts_free_port();
  snprintf(api->url, sizeof api->url, "http://127.0.0.1:%d", api->port);
  snprintf(api->log, sizeof api->log, "%s/tests/api-%d.log", LEEN_BINARY_DIR, api->port);
  char listen[64], db[900];
  snprintf(listen, sizeof listen, "LEEN_LISTEN=127.0.0.1:%d", api->port);
  snprintf(db, sizeof db, "DATABASE_URL=%s", conninfo);
  const char *base[32] = {listen, db};
  int n = 2;
  for (int i = 0; env && env[i] && n < 31; i++)
    base[n++] = env[i];
  base[n] = NULL;
  char **full = env_with(base);
  pid_t pid = fork();
  cr_assert(pid >= 0);
  if (pid == 0) {
    int fd = open(api->log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
      dup2(fd, 2);
      dup2(fd, 1);
      close(fd);
    }
    char *argv[] = {(char *)LEEN_API_BIN, NULL};
    execve(LEEN_API_BIN, argv, full);
    _exit(127);
  }
  free(full);
  api->pid = pid;
  char url[128];
  snprintf(url, sizeof url, "%s/healthz", api->url);
  for (int i = 0; i < 300; i++) {
    struct ts_http h;
    if (ts_request("GET", url, NULL, NULL, &h) == 0 && h.status == 200) {
      ts_http_release(&h);
      return 1;
    }
    ts_http_release(&h);
    int st;
    if (waitpid(pid, &st, WNOHANG) == pid) {
      api->pid = 0;
      char *log = ts_read_file(api->log, NULL);
      if (log && strstr(log, "could not listen")) {
        free(log);
        return 0;
      }
      cr_assert_fail("leen-api exited at start:\n%s", log ? log : "");
    }
    usleep(50000);
  }
  cr_assert_fail("leen-api did not answer /healthz");
  return 0;
}

void ts_api_start(struct ts_api *api, const char *conninfo, const char *const *env)
{
  for (int attempt = 0; attempt < 5; attempt++)
    if (api_start_once(api, conninfo, env))
      return;
  cr_assert_fail("leen-api found no free port in five tries");
}

void ts_api_stop(struct ts_api *api)
{
  if (api->pid <= 0)
    return;
  kill(api->pid, SIGTERM);
  for (int i = 0; i < 100; i++) {
    int st;
    if (waitpid(api->pid, &st, WNOHANG) == api->pid) {
      api->pid = 0;
      return;
    }
    usleep(50000);
  }
  kill(api->pid, SIGKILL);
  waitpid(api->pid, NULL, 0);
  api->pid = 0;
}

struct grow {
  char *data;
  size_t len, cap;
};

static size_t grow_write(char *ptr, size_t size, size_t nmemb, void *userdata)
{
  struct grow *g = userdata;
  size_t n = size * nmemb;
  if (g->len + n + 1 > g->cap) {
    /* geometric growth: reading a large raster stays linear */
    size_t cap = g->cap ? g->cap : 4096;
    while (cap < g->len + n + 1)
      cap *= 2;
    char *d = realloc(g->data, cap);
    if (!d)
      return 0;
    g->data = d;
    g->cap = cap;
  }
  memcpy(g->data + g->len, ptr, n);
  g->len += n;
  g->data[g->len] = '\0';
  return n;
}

int ts_request(const char *method, const char *url, const char *body, const char *const *headers,
               struct ts_http *out)
{
  memset(out, 0, sizeof *out);
  CURL *c = curl_easy_init();
  struct grow b = {0}, h = {0};
  struct curl_slist *hl = NULL;
  for (int i = 0; headers && headers[i]; i++)
    hl = curl_slist_append(hl, headers[i]);
  if (body && !(headers && strstr(headers[0] ? headers[0] : "", "Content-Type")))
    hl = curl_slist_append(hl, "Content-Type: application/json");
  curl_easy_setopt(c, CURLOPT_URL, url);
  curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
  if (strcmp(method, "HEAD") == 0)
    curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, hl);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, grow_write);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, grow_write);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &h);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  if (body) {
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
  }
  CURLcode rc = curl_easy_perform(c);
  if (rc == CURLE_OK)
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->status);
  curl_slist_free_all(hl);
  curl_easy_cleanup(c);
  out->body = b.data ? b.data : strdup("");
  out->len = b.len;
  out->headers = h.data ? h.data : strdup("");
  out->json = cJSON_Parse(out->body);
  return rc == CURLE_OK ? 0 : -1;
}

void ts_http_release(struct ts_http *h)
{
  free(h->body);
  free(h->headers);
  cJSON_Delete(h->json);
  memset(h, 0, sizeof *h);
}

char *ts_header(const struct ts_http *h, const char *name)
{
  size_t n = strlen(name);
  for (const char *line = h->headers; line && *line;) {
    const char *end = strstr(line, "\r\n");
    if (!end)
      break;
    if (strncasecmp(line, name, n) == 0 && line[n] == ':') {
      const char *v = line + n + 1;
      while (*v == ' ')
        v++;
      return strndup(v, (size_t)(end - v));
    }
    line = end + 2;
  }
  return NULL;
}

static char *drain(int fd)
{
  struct grow g = {0};
  char buf[4096];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0)
    grow_write(buf, 1, (size_t)n, &g);
  return g.data ? g.data : strdup("");
}

void ts_run(const char *const *argv, const char *const *env, struct ts_run *out)
{
  memset(out, 0, sizeof *out);
  char outpath[] = "/tmp/leen-ts-out.XXXXXX", errpath[] = "/tmp/leen-ts-err.XXXXXX";
  int fo = mkstemp(outpath), fe = mkstemp(errpath);
  cr_assert(fo >= 0 && fe >= 0);
  char **full = env_with(env);
  pid_t pid = fork();
  cr_assert(pid >= 0);
  if (pid == 0) {
    int in = open("/dev/null", O_RDONLY);
    dup2(in, 0);
    dup2(fo, 1);
    dup2(fe, 2);
    execve(argv[0], (char *const *)argv, full);
    _exit(127);
  }
  free(full);
  int st = 0;
  waitpid(pid, &st, 0);
  out->exit_code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  lseek(fo, 0, SEEK_SET);
  lseek(fe, 0, SEEK_SET);
  out->out = drain(fo);
  out->err = drain(fe);
  close(fo);
  close(fe);
  unlink(outpath);
  unlink(errpath);
}

void ts_run_release(struct ts_run *r)
{
  free(r->out);
  free(r->err);
  r->out = r->err = NULL;
}

char *ts_shell(const char *cmd)
{
  const char *argv[] = {"/bin/sh", "-c", cmd, NULL};
  struct ts_run r;
  ts_run(argv, NULL, &r);
  cr_assert_eq(r.exit_code, 0, "%s: exit %d: %s", cmd, r.exit_code, r.err ? r.err : "");
  char *out = r.out ? r.out : strdup("");
  r.out = NULL;
  ts_run_release(&r);
  return out;
}

static void which(const char *prog, char *out, size_t size)
{
  const char *path = getenv("PATH");
  if (!path || !*path)
    path = "/usr/local/bin:/usr/bin:/bin";
  for (const char *p = path; *p;) {
    const char *end = strchr(p, ':');
    size_t n = end ? (size_t)(end - p) : strlen(p);
    snprintf(out, size, "%.*s/%s", (int)n, p, prog);
    if (access(out, X_OK) == 0)
      return;
    p += n + (end ? 1 : 0);
  }
  cr_assert_fail("%s is not installed (poppler-utils, zbar-tools, libxml2-utils)", prog);
}

char *ts_tool(const char *prog, const char *const *args, int *exit_code)
{
  char path[512];
  which(prog, path, sizeof path);
  size_t n = 0;
  while (args && args[n])
    n++;
  const char **argv = calloc(n + 2, sizeof *argv);
  cr_assert(argv);
  argv[0] = path;
  for (size_t i = 0; i < n; i++)
    argv[i + 1] = args[i];
  struct ts_run r;
  ts_run(argv, NULL, &r);
  free(argv);
  *exit_code = r.exit_code;
  char *out = r.out;
  r.out = NULL;
  ts_run_release(&r);
  return out ? out : strdup("");
}

char *ts_read_file(const char *path, size_t *len)
{
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  struct grow g = {0};
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0)
    grow_write(buf, 1, n, &g);
  fclose(f);
  if (len)
    *len = g.len;
  return g.data ? g.data : strdup("");
}

void ts_write_file(const char *path, const void *data, size_t len)
{
  FILE *f = fopen(path, "wb");
  cr_assert(f, "cannot write %s", path);
  cr_assert_eq(fwrite(data, 1, len, f), len, "cannot write %s", path);
  cr_assert_eq(fclose(f), 0, "cannot write %s", path);
}

void ts_tmpdir(char *out, size_t size, const char *name)
{
  int n = snprintf(out, size, "/tmp/leen-%s.XXXXXX", name);
  cr_assert(n > 0 && (size_t)n < size, "scratch directory name too long: %s", name);
  cr_assert(mkdtemp(out), "mkdtemp %s: %s", out, strerror(errno));
}

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
  (void)st;
  (void)type;
  (void)ftw;
  if (remove(path) != 0)
    fprintf(stderr, "could not remove %s: %s\n", path, strerror(errno));
  return 0;
}

void ts_tmpdir_remove(const char *dir)
{
  if (!dir || !*dir)
    return;
  /* depth first, so a directory is empty when its turn comes */
  if (nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS) != 0 && errno != ENOENT)
    fprintf(stderr, "could not remove %s: %s\n", dir, strerror(errno));
}

static int by_text(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* zbarimg over the files (n of them): its lines, sorted, joined. */
static char *zbar_sorted(const char **files, size_t n)
{
  const char **args = calloc(n + 3, sizeof *args);
  cr_assert(args);
  args[0] = "--raw";
  args[1] = "-q";
  for (size_t i = 0; i < n; i++)
    args[i + 2] = files[i];
  int rc;
  char *out = ts_tool("zbarimg", args, &rc);
  free(args);
  /* 0: symbols found, 4: none found; anything else is a failure */
  cr_assert(rc == 0 || rc == 4, "zbarimg failed (%d) on %s", rc, n ? files[0] : "nothing");
  size_t count = 0, len = strlen(out);
  char **lines = calloc(len + 1, sizeof *lines);
  cr_assert(lines);
  for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n"))
    lines[count++] = line;
  if (count > 1)
    qsort(lines, count, sizeof *lines, by_text);
  char *sorted = malloc(len + 2);
  cr_assert(sorted);
  size_t k = 0;
  for (size_t i = 0; i < count; i++) {
    size_t l = strlen(lines[i]);
    memcpy(sorted + k, lines[i], l);
    k += l;
    sorted[k++] = '\n';
  }
  sorted[k] = '\0';
  free(lines);
  free(out);
  return sorted;
}

char *ts_qr_decode(const char *path)
{
  size_t n = strlen(path);
  if (n < 4 || strcmp(path + n - 4, ".pdf") != 0)
    return zbar_sorted(&path, 1);
  char dir[64], prefix[96];
  ts_tmpdir(dir, sizeof dir, "qr");
  snprintf(prefix, sizeof prefix, "%s/page", dir);
  const char *raster[] = {"-r", "300", "-gray", path, prefix, NULL};
  int rc;
  free(ts_tool("pdftoppm", raster, &rc));
  cr_assert_eq(rc, 0, "pdftoppm failed on %s", path);
  /* page-1.pgm, page-2.pgm, ...: one zbarimg over them all */
  DIR *d = opendir(dir);
  cr_assert(d, "cannot read %s", dir);
  size_t count = 0, cap = 8;
  char **pages = malloc(cap * sizeof *pages);
  cr_assert(pages);
  for (struct dirent *de; (de = readdir(d));) {
    if (de->d_name[0] == '.')
      continue;
    if (count == cap) {
      cap *= 2;
      pages = realloc(pages, cap * sizeof *pages);
      cr_assert(pages);
    }
    size_t len = strlen(dir) + strlen(de->d_name) + 2;
    pages[count] = malloc(len);
    cr_assert(pages[count]);
    snprintf(pages[count++], len, "%s/%s", dir, de->d_name);
  }
  closedir(d);
  cr_assert(count > 0, "pdftoppm wrote no page of %s", path);
  char *out = zbar_sorted((const char **)pages, count);
  for (size_t i = 0; i < count; i++)
    free(pages[i]);
  free(pages);
  ts_tmpdir_remove(dir);
  return out;
}

char *ts_qr_decode_data(const void *data, size_t len, const char *name)
{
  char dir[64], path[160];
  ts_tmpdir(dir, sizeof dir, "qr-data");
  snprintf(path, sizeof path, "%s/%s", dir, name);
  ts_write_file(path, data, len);
  char *out = ts_qr_decode(path);
  ts_tmpdir_remove(dir);
  return out;
}

static void bash(const char *script)
{
  const char *argv[] = {"/bin/bash", "-c", script, NULL};
  struct ts_run r;
  ts_run(argv, NULL, &r);
  cr_assert_eq(r.exit_code, 0, "%s failed: %s", script, r.err);
  ts_run_release(&r);
}

void ts_cluster_start(struct ts_cluster *c)
{
  static unsigned n;
  memset(c, 0, sizeof *c);
  snprintf(c->state, sizeof c->state, "%s/tests/cluster-%d-%u.state", LEEN_BINARY_DIR,
           (int)getpid(), n++);
  char cmd[1200];
  snprintf(cmd, sizeof cmd, "%s/tests/harness/pg.sh start %s %s", LEEN_SOURCE_DIR, c->state,
           LEEN_API_BIN);
  bash(cmd);
  char *text = ts_read_file(c->state, NULL);
  cr_assert(text);
  sscanf(strstr(text, "host=") + 5, "%299[^\n]", c->host);
  sscanf(strstr(text, "port=") + 5, "%15[^\n]", c->port);
  free(text);
  snprintf(c->conninfo, sizeof c->conninfo, "host=%s port=%s user=postgres dbname=leen_template",
           c->host, c->port);
}

void ts_cluster_pause(struct ts_cluster *c)
{
  char cmd[1200];
  snprintf(cmd, sizeof cmd, "source %s/scripts/lib.sh && pg_stop %s", LEEN_SOURCE_DIR, c->host);
  bash(cmd);
}

void ts_cluster_resume(struct ts_cluster *c)
{
  char cmd[1200];
  snprintf(cmd, sizeof cmd, "source %s/scripts/lib.sh && pg_start %s %s fast", LEEN_SOURCE_DIR,
           c->host, c->port);
  bash(cmd);
}

void ts_cluster_remove(struct ts_cluster *c)
{
  char cmd[1200];
  snprintf(cmd, sizeof cmd, "%s/tests/harness/pg.sh stop %s", LEEN_SOURCE_DIR, c->state);
  bash(cmd);
}
