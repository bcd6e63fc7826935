/* leen import items FILE --library SLUG | leen import households FILE
 * The file is read and checked here (bad rows are reported with their
 * line), the good rows go to the bulk route in batches, each batch one
 * transaction on the server. Rows carry their source id (external_id), so
 * running the same file again changes nothing. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define BATCH_ROWS 100
#define BATCH_BYTES (48 * 1024) /* well under the API's default body limit */

struct run {
  const struct cli_opts *o;
  const char *path;      /* the bulk route */
  const char *library;   /* NULL for households */
  int strict;
  struct cli_import_batch *b;
  long created, unchanged, sent;
  cJSON *categories;     /* names of categories created */
};

static char *read_all(const char *path, size_t *len)
{
  FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
  if (!f)
    return NULL;
  struct cli_buf b = {0};
  char chunk[65536];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
    cli_buf_addf(&b, "%.*s", (int)n, chunk);
  int bad = ferror(f) || b.oom;
  if (f != stdin)
    fclose(f);
  if (bad) {
    cli_buf_release(&b);
    return NULL;
  }
  /* a file with a NUL byte is cut there: the CSV reader sees text only */
  *len = b.data ? strlen(b.data) : 0;
  return b.data ? b.data : strdup("");
}

static void progress(const struct run *r, long total, int done)
{
  if (!r->o->tty_err || r->o->json)
    return;
  if (done)
    fputs("\r\033[K", stderr);
  else
    fprintf(stderr, "\r%s %ld/%ld", _("Importeren:"), r->sent, total);
  fflush(stderr);
}

/* The server's answer for one batch: per-row results into the counts and
 * the error list. */
static void take_results(struct run *r, const cJSON *out, int dry)
{
  const cJSON *rows = cJSON_GetObjectItemCaseSensitive(out, "rows"), *row;
  cJSON_ArrayForEach(row, rows)
  {
    const char *result = cli_json_str(row, "result");
    if (strcmp(result, "created") == 0) {
      r->created++;
    } else if (strcmp(result, "unchanged") == 0) {
      r->unchanged++;
    } else {
      const cJSON *e = cJSON_GetObjectItemCaseSensitive(row, "error");
      const char *s = cli_code_sentence(cli_json_str(e, "code"));
      const char *ptr = cli_json_str(e, "pointer"), *slash = strrchr(ptr, '/');
      const char *detail = cli_json_str(e, "detail");
      char reason[200];
      if (slash && slash[1])
        snprintf(reason, sizeof reason, "%s (%s: %s)", s ? s : _("geweigerd door de server"),
                 slash + 1, detail);
      else if (detail[0])
        snprintf(reason, sizeof reason, "%s (%s)", s ? s : _("geweigerd door de server"), detail);
      else
        snprintf(reason, sizeof reason, "%s", s ? s : _("geweigerd door de server"));
      cli_import_error_add(r->b, (long)cli_json_int(row, "line"), "%s", reason);
    }
  }
  const cJSON *cats = cJSON_GetObjectItemCaseSensitive(out, "categories_created"), *c;
  if (dry)
    return;
  cJSON_ArrayForEach(c, cats)
  {
    if (cJSON_IsString(c))
      cJSON_AddItemToArray(r->categories, cJSON_CreateString(c->valuestring));
  }
}

/* Sends every row in batches; dry asks the server to check and roll back. */
static int send_all(struct run *r, int dry)
{
  int n = cJSON_GetArraySize(r->b->rows);
  long total = n;
  r->sent = 0;
  int i = 0, rc = CLI_EXIT_OK;
  while (i < n && rc == CLI_EXIT_OK) {
    cJSON *body = cJSON_CreateObject();
    if (r->library)
      cJSON_AddStringToObject(body, "library", r->library);
    cJSON_AddBoolToObject(body, "dry_run", dry);
    cJSON_AddBoolToObject(body, "strict", r->strict);
    cJSON *rows = cJSON_AddArrayToObject(body, "rows");
    size_t bytes = 0;
    int k = 0;
    for (; i < n && k < BATCH_ROWS && bytes < BATCH_BYTES; i++, k++) {
      cJSON *row = cJSON_Duplicate(cJSON_GetArrayItem(r->b->rows, i), 1);
      char *t = cJSON_PrintUnformatted(row);
      bytes += t ? strlen(t) : 0;
      cJSON_free(t);
      cJSON_AddItemToArray(rows, row);
    }
    cJSON *out = NULL;
    rc = cli_api(r->o, "POST", r->path, body, CLI_REQ_IDEMPOTENT, &out);
    cJSON_Delete(body);
    if (rc == CLI_EXIT_OK)
      take_results(r, out, dry);
    cJSON_Delete(out);
    r->sent += k;
    progress(r, total, 0);
  }
  progress(r, total, 1);
  return rc;
}

static int by_line(const void *a, const void *b)
{
  const struct cli_import_error *x = a, *y = b;
  return (x->line > y->line) - (x->line < y->line);
}

static void report(const struct run *r, int dry)
{
  struct cli_import_batch *b = r->b;
  qsort(b->errors, b->nerrors, sizeof *b->errors, by_line);
  if (r->o->json) {
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "format", b->format ? b->format : "");
    cJSON_AddBoolToObject(j, "dry_run", dry);
    cJSON_AddNumberToObject(j, "rows", (double)b->nrecords);
    cJSON_AddNumberToObject(j, "created", (double)r->created);
    cJSON_AddNumberToObject(j, "unchanged", (double)r->unchanged);
    cJSON *errs = cJSON_AddArrayToObject(j, "errors");
    for (size_t i = 0; i < b->nerrors; i++) {
      cJSON *e = cJSON_CreateObject();
      cJSON_AddNumberToObject(e, "line", (double)b->errors[i].line);
      cJSON_AddStringToObject(e, "reason", b->errors[i].reason);
      cJSON_AddItemToArray(errs, e);
    }
    cJSON_AddItemToObject(j, "categories_created", cJSON_Duplicate(r->categories, 1));
    cli_print_json(j);
    cJSON_Delete(j);
    return;
  }
  for (size_t i = 0; i < b->nerrors; i++)
    fprintf(stderr, _("regel %ld: %s\n"), b->errors[i].line, b->errors[i].reason);
  if (dry)
    printf(_("Proef, er is niets veranderd: %ld regels gelezen, %ld zouden nieuw zijn, %ld zijn "
             "er al, %zu fout."),
           b->nrecords, r->created, r->unchanged, b->nerrors);
  else
    printf(_("%ld regels gelezen: %ld nieuw, %ld waren er al, %zu fout."), b->nrecords,
           r->created, r->unchanged, b->nerrors);
  putchar('\n');
  if (cJSON_GetArraySize(r->categories) > 0) {
    printf("%s", _("Nieuwe categorieën:"));
    const cJSON *c;
    int first = 1;
    cJSON_ArrayForEach(c, r->categories)
    {
      printf("%s %s", first ? "" : ",", c->valuestring);
      first = 0;
    }
    printf(".\n");
  }
}

static int run_import(const struct cli_opts *o, const struct cli_args *a, int items)
{
  const char *library = cli_opt(a, "library");
  if (items && !library)
    return cli_usage_error(o, "%s", _("geef de bibliotheek met --library"));
  size_t len = 0;
  char *buf = read_all(a->pos[0], &len);
  if (!buf)
    return cli_fail(o, CLI_EXIT_FAILURE, _("kan \"%s\" niet lezen: %s"), a->pos[0],
                    strerror(errno ? errno : EIO));
  struct cli_import_batch b;
  char why[300];
  int r = items ? cli_import_items_read(buf, len, &b, why, sizeof why)
                : cli_import_households_read(buf, len, &b, why, sizeof why);
  free(buf);
  if (r < 0) {
    cli_import_batch_release(&b);
    return cli_fail(o, CLI_EXIT_FAILURE, "%s: %s", a->pos[0], why);
  }
  struct run run = {o, items ? "/v1/imports/items" : "/v1/imports/households", library, 0, &b,
                    0, 0, 0, cJSON_CreateArray()};
  run.strict = cli_opt(a, "strict") != NULL;
  int dry = cli_opt(a, "dry-run") != NULL;
  int rc = CLI_EXIT_OK;
  if (run.strict && b.nerrors) {
    report(&run, 1);
    rc = cli_fail(o, CLI_EXIT_FAILURE, "%s", _("Niets geïmporteerd: het bestand heeft foute regels (--strict)."));
  } else if (run.strict && !dry) {
    /* all or nothing across batches: a dry pass over every batch first */
    rc = send_all(&run, 1);
    if (rc == CLI_EXIT_OK && b.nerrors) {
      report(&run, 1);
      rc = cli_fail(o, CLI_EXIT_FAILURE, "%s",
                    _("Niets geïmporteerd: de server weigert sommige regels (--strict)."));
    } else if (rc == CLI_EXIT_OK) {
      run.created = run.unchanged = 0;
      rc = send_all(&run, 0);
      if (rc == CLI_EXIT_OK)
        report(&run, 0);
    }
  } else {
    rc = send_all(&run, dry);
    if (rc == CLI_EXIT_OK)
      report(&run, dry);
  }
  if (rc == CLI_EXIT_OK && b.nerrors)
    rc = CLI_EXIT_FAILURE;
  cJSON_Delete(run.categories);
  cli_import_batch_release(&b);
  return rc;
}

static int run_items(const struct cli_opts *o, const struct cli_args *a)
{
  return run_import(o, a, 1);
}

static int run_households(const struct cli_opts *o, const struct cli_args *a)
{
  return run_import(o, a, 0);
}

static const struct cli_flag item_flags[] = {
  {"library", "SLUG", 0}, {"dry-run", NULL, 0}, {"strict", NULL, 0}, {NULL, NULL, 0},
};
static const struct cli_flag household_flags[] = {
  {"dry-run", NULL, 0}, {"strict", NULL, 0}, {NULL, NULL, 0},
};

const struct cli_command cli_cmd_import_items = {
  "import items", N_("BESTAND.csv"),
  N_("importeer voorwerpen uit een MyTurn-export of leen-CSV; opnieuw draaien verandert niets"), 1,
  1, item_flags, CLI_CMD_AUTH, run_items,
};
const struct cli_command cli_cmd_import_households = {
  "import households", N_("BESTAND.csv"), N_("importeer gezinnen uit een CSV-bestand"), 1, 1,
  household_flags, CLI_CMD_AUTH, run_households,
};
