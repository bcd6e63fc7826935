#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static char *read_first_line(const char *path, int *missing)
{
  FILE *f = fopen(path, "r");
  if (!f) {
    if (missing)
      *missing = errno == ENOENT;
    return NULL;
  }
  char line[4096];
  char *v = fgets(line, sizeof line, f) ? trimmed_dup(line) : strdup("");
  fclose(f);
  return v;
}

/* Reads "key = value" lines from $XDG_CONFIG_HOME/leen/config. */
static char *config_value(const char *key)
{
  char path[1024];
  const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
  if (xdg && *xdg)
    snprintf(path, sizeof path, "%s/leen/config", xdg);
  else if (home && *home)
    snprintf(path, sizeof path, "%s/.config/leen/config", home);
  else
    return NULL;
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
  else if (!(o->url = config_value("url")))
    o->url = strdup(DEFAULT_URL);
  size_t n = strlen(o->url);
  while (n && o->url[n - 1] == '/')
    o->url[--n] = '\0';
  if (strncmp(o->url, "http://", 7) != 0 && strncmp(o->url, "https://", 8) != 0) {
    fprintf(stderr, "leen: het adres \"%s\" moet beginnen met http:// of https://\n", o->url);
    cli_opts_release(o);
    return -1;
  }

  const char *env_token = getenv("LEEN_TOKEN");
  if (flag_token_file) {
    o->token = read_first_line(flag_token_file, NULL);
    if (!o->token) {
      fprintf(stderr, "leen: kan het tokenbestand \"%s\" niet lezen: %s\n", flag_token_file,
              strerror(errno));
      cli_opts_release(o);
      return -1;
    }
  } else if (env_token && *env_token) {
    o->token = strdup(env_token);
  } else {
    o->token = config_value("token");
  }
  return 0;
}

void cli_opts_release(struct cli_opts *o)
{
  free(o->url);
  free(o->token);
  o->url = o->token = NULL;
}
