/* Downloads: what the API answers as bytes (a label sheet, a member card,
 * a letter, a CSV, a chart), written as it came to standard output or to a
 * file that is either complete or untouched, never half-written. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static int to_stdout(const char *dest) { return !dest || strcmp(dest, "-") == 0; }

int cli_check_output(const struct cli_opts *o, const char *dest, int binary)
{
  if (dest && !dest[0])
    return cli_usage_error(o, "%s", _("-o: geef de naam van een bestand, of - voor de uitvoer"));
  if (binary && to_stdout(dest) && isatty(1))
    return cli_usage_error(
        o, "%s", _("een PDF of afbeelding hoort niet op het scherm: geef een bestand met -o BESTAND"));
  return CLI_EXIT_OK;
}

int cli_output_arg(const struct cli_opts *o, const struct cli_args *a, const char *example,
                   int binary, const char **dest)
{
  *dest = cli_opt(a, "output");
  if (!*dest)
    return cli_usage_error(o, _("geef het bestand met -o %s (of -o - voor de uitvoer)"), example);
  return cli_check_output(o, *dest, binary);
}

static int write_all(int fd, const char *p, size_t len)
{
  while (len) {
    ssize_t n = write(fd, p, len);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0) {
      if (n == 0)
        errno = EIO;
      return -1;
    }
    p += n;
    len -= (size_t)n;
  }
  return 0;
}

int cli_write_output(const struct cli_opts *o, const char *dest, const void *data, size_t len,
                     int binary)
{
  CLI_TRY(cli_check_output(o, dest, binary));
  if (to_stdout(dest)) {
    if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0)
      return cli_fail(o, CLI_EXIT_FAILURE, _("kan niet naar de uitvoer schrijven: %s"),
                      strerror(errno));
    return CLI_EXIT_OK;
  }
  /* beside dest, so the rename stays on one file system and is atomic */
  char key[33];
  cli_random_key(key);
  struct cli_buf tmp = {0};
  cli_buf_addf(&tmp, "%s.%.8s.tmp", dest, key);
  if (tmp.oom)
    return cli_fail(o, CLI_EXIT_FAILURE, "%s", _("onvoldoende geheugen"));
  int err = 0;
  int fd = open(tmp.data, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd < 0) {
    err = errno;
  } else {
    if (write_all(fd, data, len) < 0 || fsync(fd) < 0)
      err = errno;
    if (close(fd) < 0 && !err)
      err = errno;
    if (!err && rename(tmp.data, dest) < 0)
      err = errno;
    if (err)
      unlink(tmp.data);
  }
  cli_buf_release(&tmp);
  if (err)
    return cli_fail(o, CLI_EXIT_FAILURE, _("kan \"%s\" niet schrijven: %s"), dest, strerror(err));
  return CLI_EXIT_OK;
}

int cli_download(const struct cli_opts *o, const struct cli_buf *path, const char *dest,
                 int binary)
{
  return cli_download_headers(o, path, dest, binary, NULL);
}

int cli_download_headers(const struct cli_opts *o, const struct cli_buf *path, const char *dest,
                         int binary, struct cli_header *headers)
{
  if (path->oom)
    return cli_fail(o, CLI_EXIT_FAILURE, "%s", _("onvoldoende geheugen"));
  /* a refusal costs nothing when it comes before the request */
  CLI_TRY(cli_check_output(o, dest, binary));
  struct cli_call c = {.method = "GET", .path = path->data, .flags = CLI_REQ_RAW,
                       .headers = headers};
  int rc = cli_api_call(o, &c);
  if (rc == CLI_EXIT_OK)
    rc = cli_write_output(o, dest, c.raw, c.raw_len, binary);
  free(c.raw);
  cJSON_Delete(c.out);
  return rc;
}
