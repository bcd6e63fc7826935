/* What commands print: tables and records for people (Dutch words, euro
 * amounts, colour on a terminal), CSV and JSON for scripts (raw values as
 * the API gives them). */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

const char *cli_color(int on, const char *sgr)
{
  if (!on)
    return "";
  if (strcmp(sgr, "0") == 0)
    return "\033[0m";
  if (strcmp(sgr, "1") == 0)
    return "\033[1m";
  if (strcmp(sgr, "31") == 0)
    return "\033[31m";
  if (strcmp(sgr, "32") == 0)
    return "\033[32m";
  if (strcmp(sgr, "33") == 0)
    return "\033[33m";
  return "";
}

static const struct {
  const char *api, *dutch, *alias;
} statuses[] = {
  {"available", N_("beschikbaar"), "beschikbaar"},
  {"on_loan", N_("uitgeleend"), "uitgeleend"},
  {"reserved", N_("gereserveerd"), "gereserveerd"},
  {"cleaning", N_("schoonmaak"), "wassen"},
  {"in_repair", N_("in herstelling"), "herstellen"},
  {"retired", N_("afgevoerd"), "afgevoerd"},
  {"lost", N_("verloren"), "verloren"},
};

const char *cli_status_name(const char *status)
{
  for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++)
    if (strcmp(statuses[i].api, status) == 0)
      return _(statuses[i].dutch);
  return status;
}

const char *cli_status_parse(const char *s)
{
  for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++)
    if (strcmp(statuses[i].api, s) == 0 || strcmp(statuses[i].alias, s) == 0 ||
        strcmp(statuses[i].dutch, s) == 0 || strcmp(_(statuses[i].dutch), s) == 0)
      return statuses[i].api;
  if (strcmp(s, "schoonmaken") == 0)
    return "cleaning";
  if (strcmp(s, "herstelling") == 0)
    return "in_repair";
  return NULL;
}

static const char *res_status_name(const char *s)
{
  if (strcmp(s, "waiting") == 0)
    return _("wacht");
  if (strcmp(s, "offered") == 0)
    return _("klaargezet");
  if (strcmp(s, "fulfilled") == 0)
    return _("opgehaald");
  if (strcmp(s, "cancelled") == 0)
    return _("geannuleerd");
  return s;
}

const cJSON *cli_json_path(const cJSON *obj, const char *path)
{
  char part[64];
  const cJSON *cur = obj;
  while (cur && *path) {
    size_t n = strcspn(path, ".");
    snprintf(part, sizeof part, "%.*s", (int)n, path);
    cur = cJSON_GetObjectItemCaseSensitive(cur, part);
    path += n;
    if (*path == '.')
      path++;
  }
  return cur;
}

const char *cli_json_str(const cJSON *obj, const char *name)
{
  static __thread char num[32];
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
  if (cJSON_IsString(v))
    return v->valuestring;
  if (cJSON_IsNumber(v)) {
    snprintf(num, sizeof num, "%lld", (long long)v->valuedouble);
    return num;
  }
  return "";
}

int64_t cli_json_int(const cJSON *obj, const char *name)
{
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
  return cJSON_IsNumber(v) ? (int64_t)v->valuedouble : 0;
}

#define CELL 512

/* A JSON value as raw text (CSV): numbers without a decimal comma. */
static void raw_text(const cJSON *v, char *out, size_t size)
{
  out[0] = '\0';
  if (!v || cJSON_IsNull(v))
    return;
  if (cJSON_IsString(v)) {
    snprintf(out, size, "%s", v->valuestring);
  } else if (cJSON_IsBool(v)) {
    snprintf(out, size, "%s", cJSON_IsTrue(v) ? "true" : "false");
  } else if (cJSON_IsNumber(v)) {
    double d = v->valuedouble;
    if (d > -9e15 && d < 9e15 && d == (double)(long long)d)
      snprintf(out, size, "%lld", (long long)d);
    else
      snprintf(out, size, "%g", d);
  } else {
    char *t = cJSON_PrintUnformatted(v);
    snprintf(out, size, "%s", t ? t : "");
    cJSON_free(t);
  }
}

void cli_format_field(const cJSON *obj, const char *field, enum cli_fmt fmt, char *out,
                      size_t size)
{
  const cJSON *v = cli_json_path(obj, field);
  out[0] = '\0';
  if (!v || cJSON_IsNull(v))
    return;
  char m[32];
  switch (fmt) {
  case CLI_F_CODE:
    if (cJSON_IsString(v)) {
      const char *s = v->valuestring;
      size_t k = strcspn(s, "0123456789");
      if (k > 0 && s[k])
        snprintf(out, size, "%.*s-%s", (int)k, s, s + k);
      else
        snprintf(out, size, "%s", s);
    }
    return;
  case CLI_F_MONEY:
    if (cJSON_IsNumber(v))
      snprintf(out, size, "€ %s", cli_amount_format((int64_t)v->valuedouble, 0, m));
    return;
  case CLI_F_STATUS:
    if (cJSON_IsString(v))
      snprintf(out, size, "%s", cli_status_name(v->valuestring));
    return;
  case CLI_F_RES_STATUS:
    if (cJSON_IsString(v))
      snprintf(out, size, "%s", res_status_name(v->valuestring));
    return;
  case CLI_F_BOOL:
    snprintf(out, size, "%s", cJSON_IsTrue(v) ? _("ja") : _("nee"));
    return;
  case CLI_F_LEVEL:
    if (cJSON_IsString(v))
      snprintf(out, size, "%s",
               strcmp(v->valuestring, "social") == 0 ? _("sociaal tarief")
               : strcmp(v->valuestring, "full") == 0 ? _("volledig (geen bijdrage, geen waarborg)")
                                                     : v->valuestring);
    return;
  case CLI_F_REDUCTION:
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(v, "active")))
      snprintf(out, size, _("verlaagd tarief tot %s"), cli_json_str(v, "valid_until"));
    else
      snprintf(out, size, "%s", _("nee"));
    return;
  case CLI_F_CHILDREN: {
    struct cli_buf b = {0};
    const cJSON *c;
    cJSON_ArrayForEach(c, v)
    {
      const char *fn = cli_json_str(c, "first_name");
      cli_buf_addf(&b, "%s%s%s%s%s (nr %s)", b.len ? ", " : "", fn, fn[0] ? " " : "",
                   _("geboren "), cli_json_str(c, "birth_month"), cli_json_str(c, "id"));
    }
    snprintf(out, size, "%s", b.data ? b.data : "");
    cli_buf_release(&b);
    return;
  }
  case CLI_F_DATETIME:
    if (cJSON_IsString(v) && strlen(v->valuestring) >= 16 && v->valuestring[10] == 'T')
      snprintf(out, size, "%.10s %.5s", v->valuestring, v->valuestring + 11);
    else
      raw_text(v, out, size);
    return;
  case CLI_F_ATTRS: {
    struct cli_buf b = {0};
    const cJSON *c;
    char one[CELL];
    cJSON_ArrayForEach(c, v)
    {
      raw_text(c, one, sizeof one);
      cli_buf_addf(&b, "%s%s: %s", b.len ? ", " : "", c->string ? c->string : "", one);
    }
    snprintf(out, size, "%s", b.data ? b.data : "");
    cli_buf_release(&b);
    return;
  }
  case CLI_F_TEXT:
    raw_text(v, out, size);
    return;
  }
}

size_t cli_chars(const char *s)
{
  size_t w = 0;
  for (; *s; s++)
    if (((unsigned char)*s & 0xC0) != 0x80)
      w++;
  return w;
}

void cli_print_json(const cJSON *j)
{
  char *t = cJSON_PrintUnformatted(j);
  if (t)
    puts(t);
  cJSON_free(t);
}

void cli_csv_write_field(FILE *f, const char *s)
{
  if (!strpbrk(s, ",;\"\r\n")) {
    fputs(s, f);
    return;
  }
  fputc('"', f);
  for (; *s; s++) {
    if (*s == '"')
      fputc('"', f);
    fputc(*s, f);
  }
  fputc('"', f);
}


void cli_print_list(const struct cli_opts *o, const cJSON *items, const struct cli_col *cols)
{
  if (o->json) {
    cli_print_json(items);
    return;
  }
  size_t ncols = 0;
  while (cols[ncols].field)
    ncols++;
  char cell[CELL];
  if (o->csv) {
    for (size_t c = 0; c < ncols; c++) {
      if (c)
        fputc(',', stdout);
      cli_csv_write_field(stdout, cols[c].field);
    }
    fputc('\n', stdout);
    const cJSON *it;
    cJSON_ArrayForEach(it, items)
    {
      for (size_t c = 0; c < ncols; c++) {
        if (c)
          fputc(',', stdout);
        raw_text(cli_json_path(it, cols[c].field), cell, sizeof cell);
        cli_csv_write_field(stdout, cell);
      }
      fputc('\n', stdout);
    }
    return;
  }
  int nrows = cJSON_GetArraySize(items);
  if (nrows == 0) {
    fprintf(stderr, "%s\n", _("Niets gevonden."));
    return;
  }
  size_t *w = calloc(ncols, sizeof *w);
  char **cells = calloc((size_t)nrows * ncols, sizeof *cells);
  if (!w || !cells) {
    free(w);
    free(cells);
    return;
  }
  /* a column no row has a value for says nothing to people */
  int *shown = calloc(ncols, sizeof *shown);
  if (!shown) {
    free(w);
    free(cells);
    return;
  }
  int r = 0;
  const cJSON *it;
  cJSON_ArrayForEach(it, items)
  {
    for (size_t c = 0; c < ncols; c++) {
      cli_format_field(it, cols[c].field, cols[c].fmt, cell, sizeof cell);
      cells[(size_t)r * ncols + c] = strdup(cell);
      if (cli_chars(cell) > w[c])
        w[c] = cli_chars(cell);
      if (cell[0])
        shown[c] = 1;
    }
    r++;
  }
  for (size_t c = 0; c < ncols; c++)
    if (shown[c] && cli_chars(_(cols[c].header)) > w[c])
      w[c] = cli_chars(_(cols[c].header));
  struct cli_buf line = {0};
  for (int i = -1; i < nrows; i++) {
    cli_buf_release(&line);
    for (size_t c = 0; c < ncols; c++) {
      if (!shown[c])
        continue;
      const char *s = i < 0 ? _(cols[c].header) : cells[(size_t)i * ncols + c];
      s = s ? s : "";
      if (line.len)
        cli_buf_add(&line, "  ");
      cli_buf_add(&line, s);
      for (size_t k = cli_chars(s); k < w[c]; k++)
        cli_buf_add(&line, " ");
    }
    while (line.len && line.data[line.len - 1] == ' ')
      line.data[--line.len] = '\0';
    if (i < 0)
      printf("%s%s%s\n", cli_color(o->color, "1"), line.data ? line.data : "",
             cli_color(o->color, "0"));
    else
      printf("%s\n", line.data ? line.data : "");
  }
  cli_buf_release(&line);
  free(shown);
  for (size_t k = 0; k < (size_t)nrows * ncols; k++)
    free(cells[k]);
  free(cells);
  free(w);
}

void cli_print_record(const struct cli_opts *o, const cJSON *obj, const struct cli_col *cols)
{
  if (o->json) {
    cli_print_json(obj);
    return;
  }
  size_t lw = 0;
  for (const struct cli_col *c = cols; c->field; c++)
    if (cli_chars(_(c->header)) > lw)
      lw = cli_chars(_(c->header));
  char cell[CELL * 4];
  for (const struct cli_col *c = cols; c->field; c++) {
    cli_format_field(obj, c->field, c->fmt, cell, sizeof cell);
    if (!cell[0])
      continue;
    const char *h = _(c->header);
    printf("%s%s:%s%*s %s\n", cli_color(o->color, "1"), h, cli_color(o->color, "0"),
           (int)(lw - cli_chars(h)), "", cell);
  }
}
