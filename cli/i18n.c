/* gettext for the CLI. The msgids are Dutch, so with no catalogue at all
 * (or LANG=C) people read Dutch; po/en.po gives English with LANGUAGE=en
 * or an English locale. Only LC_MESSAGES and LC_CTYPE follow the
 * environment: LC_NUMERIC stays "C" so JSON and CSV never get a decimal
 * comma from printf. */
#include <limits.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

#ifndef LEEN_LOCALEDIR
#define LEEN_LOCALEDIR "/usr/local/share/locale"
#endif

static int is_dir(const char *path)
{
  struct stat st;
  return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The catalogue directory: $LEEN_LOCALEDIR, else beside the binary (the
 * build tree: cli/locale), else ../share/locale from it (an install),
 * else the build directory compiled in. */
static void locale_dir(char *out, size_t size)
{
  const char *env = getenv("LEEN_LOCALEDIR");
  if (env && env[0]) {
    snprintf(out, size, "%s", env);
    return;
  }
  char exe[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n > 0) {
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash) {
      *slash = '\0';
      snprintf(out, size, "%s/locale", exe);
      if (is_dir(out))
        return;
      snprintf(out, size, "%s/../share/locale", exe);
      if (is_dir(out))
        return;
    }
  }
  snprintf(out, size, "%s", LEEN_LOCALEDIR);
}

void cli_i18n_init(const char *argv0)
{
  (void)argv0;
  const char *msgs = setlocale(LC_MESSAGES, "");
  setlocale(LC_CTYPE, "");
  /* gettext ignores LANGUAGE under the "C" locale; C.UTF-8 behaves the
   * same otherwise and lets LANGUAGE=en work on a bare system */
  const char *language = getenv("LANGUAGE");
  if (language && language[0] && (!msgs || strcmp(msgs, "C") == 0 || strcmp(msgs, "POSIX") == 0))
    setlocale(LC_MESSAGES, "C.UTF-8");
  char dir[PATH_MAX + 32];
  locale_dir(dir, sizeof dir);
  bindtextdomain("leen", dir);
  bind_textdomain_codeset("leen", "UTF-8");
  textdomain("leen");
}
