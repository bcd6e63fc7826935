/* Where the CLI finds its server and token. The token is never a flag
 * value (it would show in ps and shell history): --token-file, LEEN_TOKEN,
 * or the file `leen login` writes with mode 0600. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

#define DEFAULT_URL "http://127.0.0.1:8080"

static char *trimmed_dup(const char *s)
{
  while (*s == ' ' || *s == '\t')
    s++;
  size_t n = strcspn(s, "\r\n");
  while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
    n--;
  return strndup(s, n);
}

static char *read_first_line(const char *path)
{
  FILE *f = fopen(path, "r");
  if (!f)
    return NULL;
  char line[4096];
  char *v = fgets(line, sizeof line, f) ? trimmed_dup(line) : strdup("");
  fclose(f);
  return v;
}

static int config_dir(char *buf, size_t size)
{
  const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
  if (xdg && *xdg)
    snprintf(buf, size, "%s/leen", xdg);
  else if (home && *home)
    snprintf(buf, size, "%s/.config/leen", home);
  else
    return -1;
  return 0;
}

int cli_token_path(char *buf, size_t size)
{
  char dir[1024];
  if (config_dir(dir, sizeof dir) < 0)
    return -1;
  snprintf(buf, size, "%s/token", dir);
  return 0;
}

/* Reads "key = value" lines from the config file. */
static char *config_value(const char *key)
{
  char dir[1024], path[1100];
  if (config_dir(dir, sizeof dir) < 0)
    return NULL;
  snprintf(path, sizeof path, "%s/config", dir);
  FILE *f = fopen(path, "r");
  if (!f)
    return NULL;
  char line[4096], *value = NULL;
  size_t klen = strlen(key);
  while (!value && fgets(line, sizeof line, f)) {
    char *p = line;
    while (*p == ' ' || *p == '\t')
      p++;
    if (strncmp(p, key, klen) != 0)
      continue;
    p += klen;
    while (*p == ' ' || *p == '\t')
      p++;
    if (*p == '=')
      value = trimmed_dup(p + 1);
  }
  fclose(f);
  return value;
}

int cli_opts_resolve(struct cli_opts *o, const char *flag_url, const char *flag_token_file)
{
  const char *env_url = getenv("LEEN_URL");
  if (flag_url)
    o->url = strdup(flag_url);
  else if (env_url && *env_url)
    o->url = strdup(env_url);
  else
    o->url = config_value("url");
  if (!o->url)
    o->url = strdup(DEFAULT_URL);
  if (!o->url)
    return -1;
  size_t n = strlen(o->url);
  while (n && o->url[n - 1] == '/')
    o->url[--n] = '\0';
  if (strncmp(o->url, "http://", 7) != 0 && strncmp(o->url, "https://", 8) != 0) {
    cli_fail(o, CLI_EXIT_USAGE, _("het adres \"%s\" moet beginnen met http:// of https://"),
             o->url);
    cli_opts_release(o);
    return -1;
  }

  const char *env_token = getenv("LEEN_TOKEN");
  char path[1100];
  if (flag_token_file) {
    o->token = read_first_line(flag_token_file);
    if (!o->token) {
      cli_fail(o, CLI_EXIT_USAGE, _("kan het tokenbestand \"%s\" niet lezen: %s"),
               flag_token_file, strerror(errno));
      cli_opts_release(o);
      return -1;
    }
  } else if (env_token && *env_token) {
    o->token = strdup(env_token);
  } else if (cli_token_path(path, sizeof path) == 0) {
    o->token = read_first_line(path);
    o->token_stored = o->token != NULL;
  }
  if (o->token && !o->token[0]) {
    free(o->token);
    o->token = NULL;
  }
  return 0;
}

void cli_opts_release(struct cli_opts *o)
{
  free(o->url);
  free(o->token);
  o->url = o->token = NULL;
}

int cli_token_save(const char *token)
{
  char dir[1024], path[1100], tmp[1200];
  if (config_dir(dir, sizeof dir) < 0) {
    cli_fail(NULL, 1, "%s", _("kan het token niet bewaren: HOME en XDG_CONFIG_HOME zijn niet gezet"));
    return -1;
  }
  /* the parent ($XDG_CONFIG_HOME) may be missing too */
  char parent[1024];
  snprintf(parent, sizeof parent, "%s", dir);
  char *slash = strrchr(parent, '/');
  if (slash && slash != parent) {
    *slash = '\0';
    if (mkdir(parent, 0700) < 0 && errno != EEXIST) {
      cli_fail(NULL, 1, _("kan de map \"%s\" niet maken: %s"), parent, strerror(errno));
      return -1;
    }
  }
  if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
    cli_fail(NULL, 1, _("kan de map \"%s\" niet maken: %s"), dir, strerror(errno));
    return -1;
  }
  snprintf(path, sizeof path, "%s/token", dir);
  snprintf(tmp, sizeof tmp, "%s/.token.%ld", dir, (long)getpid());
  /* written beside it and renamed, so a reader never sees half a token
   * and the mode is 0600 from the first byte */
  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0600);
  if (fd < 0) {
    cli_fail(NULL, 1, _("kan het token niet bewaren in \"%s\": %s"), path, strerror(errno));
    return -1;
  }
  size_t len = strlen(token);
  int ok = fchmod(fd, 0600) == 0 && write(fd, token, len) == (ssize_t)len &&
           write(fd, "\n", 1) == 1 && fsync(fd) == 0;
  ok = close(fd) == 0 && ok;
  if (!ok || rename(tmp, path) < 0) {
    cli_fail(NULL, 1, _("kan het token niet bewaren in \"%s\": %s"), path, strerror(errno));
    unlink(tmp);
    return -1;
  }
  return 0;
}

int cli_token_remove(void)
{
  char path[1100];
  if (cli_token_path(path, sizeof path) < 0)
    return 0;
  if (unlink(path) < 0 && errno != ENOENT) {
    cli_fail(NULL, 1, _("kan het token \"%s\" niet verwijderen: %s"), path, strerror(errno));
    return -1;
  }
  return 0;
}
