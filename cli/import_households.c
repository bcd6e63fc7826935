/* Reading a households CSV for POST /v1/imports/households (the columns
 * are in docs/import.md). */
#include <stdlib.h>
#include <string.h>

#include "import_int.h"

enum col { H_ID, H_NAME, H_EMAIL, H_PHONE, H_POSTCODE, H_LANGUAGE, H_CHILDREN, H_COUNT };

static const char *const names[H_COUNT][3] = {
  [H_ID] = {"external_id", "id", NULL},
  [H_NAME] = {"name", "naam", NULL},
  [H_EMAIL] = {"email", "e-mail", NULL},
  [H_PHONE] = {"phone", "telefoon", NULL},
  [H_POSTCODE] = {"postcode", NULL},
  [H_LANGUAGE] = {"language", "taal", NULL},
  [H_CHILDREN] = {"children", "kinderen", NULL},
};

static const char *const languages[] = {"nl", "fr", "en", "de", "ar", "tr", "uk",
                                        "ru", "ro", "pl", "so", "ti", "prs", "ps"};

/* "Lien:2020-05|2022-01" into an array; -1 with the bad part in bad. */
static int children(const char *s, cJSON *array, char *bad, size_t badsize)
{
  char part[256];
  while (*s) {
    size_t n = strcspn(s, "|");
    snprintf(part, sizeof part, "%.*s", (int)n, s);
    s += n + (s[n] ? 1 : 0);
    char *p = part;
    while (*p == ' ')
      p++;
    size_t m = strlen(p);
    while (m && p[m - 1] == ' ')
      p[--m] = '\0';
    if (!*p)
      continue;
    char *colon = strrchr(p, ':');
    const char *month = colon ? colon + 1 : p;
    while (*month == ' ')
      month++;
    if (cli_parse_month(month) < 0 || colon == p) {
      snprintf(bad, badsize, "%s", p);
      return -1;
    }
    cJSON *c = cJSON_CreateObject();
    if (colon) {
      *colon = '\0';
      size_t k = strlen(p);
      while (k && p[k - 1] == ' ')
        p[--k] = '\0';
      cJSON_AddStringToObject(c, "first_name", p);
    }
    cJSON_AddStringToObject(c, "birth_month", month);
    cJSON_AddItemToArray(array, c);
  }
  return 0;
}

static void read_row(struct cli_import_batch *b, const int *col, const struct cli_csv_record *rec,
                     struct imp_seen *seen)
{
  char id[256], name[1024], email[512], phone[256], pc[64], lang[16], kids[2048];
  long line = rec->line;
  imp_field(rec, col[H_ID], id, sizeof id);
  imp_field(rec, col[H_NAME], name, sizeof name);
  imp_field(rec, col[H_EMAIL], email, sizeof email);
  imp_field(rec, col[H_PHONE], phone, sizeof phone);
  imp_field(rec, col[H_POSTCODE], pc, sizeof pc);
  imp_field(rec, col[H_LANGUAGE], lang, sizeof lang);
  imp_field(rec, col[H_CHILDREN], kids, sizeof kids);
  if (!id[0]) {
    cli_import_error_add(b, line, "%s", _("geen external_id"));
    return;
  }
  long first = imp_seen(seen, id, line);
  if (first) {
    cli_import_error_add(b, line, _("dubbele ID \"%s\": staat al op regel %ld"), id, first);
    return;
  }
  if (!name[0] || cli_chars(name) > 200) {
    cli_import_error_add(b, line, "%s", name[0] ? _("naam langer dan 200 tekens") : _("geen naam"));
    return;
  }
  const char *at = strchr(email, '@');
  if (email[0] && (!at || at == email || !at[1] || strchr(at + 1, '@') || strpbrk(email, " \t"))) {
    cli_import_error_add(b, line, _("ongeldig e-mailadres \"%s\""), email);
    return;
  }
  if (phone[0] && (strlen(phone) < 3 || cli_chars(phone) > 40)) {
    cli_import_error_add(b, line, _("ongeldig telefoonnummer \"%s\""), phone);
    return;
  }
  if (pc[0] && (strlen(pc) != 4 || strspn(pc, "0123456789") != 4)) {
    cli_import_error_add(b, line, _("ongeldige postcode \"%s\" (vier cijfers)"), pc);
    return;
  }
  size_t k = 0, nl = sizeof languages / sizeof languages[0];
  while (lang[0] && k < nl && strcmp(languages[k], lang) != 0)
    k++;
  if (lang[0] && k == nl) {
    cli_import_error_add(b, line, _("onbekende taal \"%s\""), lang);
    return;
  }
  cJSON *row = cJSON_CreateObject();
  cJSON_AddNumberToObject(row, "line", (double)line);
  cJSON_AddStringToObject(row, "external_id", id);
  cJSON_AddStringToObject(row, "name", name);
  if (email[0])
    cJSON_AddStringToObject(row, "email", email);
  if (phone[0])
    cJSON_AddStringToObject(row, "phone", phone);
  if (pc[0])
    cJSON_AddStringToObject(row, "postcode", pc);
  if (lang[0])
    cJSON_AddStringToObject(row, "language", lang);
  cJSON *array = cJSON_AddArrayToObject(row, "children");
  char bad[256];
  if (children(kids, array, bad, sizeof bad) < 0) {
    cJSON_Delete(row);
    cli_import_error_add(b, line, _("ongeldig kind \"%s\" (VOORNAAM:JJJJ-MM of JJJJ-MM)"), bad);
    return;
  }
  cJSON_AddItemToArray(b->rows, row);
}

int cli_import_households_read(const char *buf, size_t len, struct cli_import_batch *b,
                               char *why, size_t whysize)
{
  memset(b, 0, sizeof *b);
  b->rows = cJSON_CreateArray();
  b->format = "leen";
  struct cli_csv p;
  struct cli_csv_record header = {0}, rec = {0};
  cli_csv_open(&p, buf, len);
  int r = cli_csv_next(&p, &header);
  if (r <= 0) {
    snprintf(why, whysize, "%s", r == 0 ? _("het bestand is leeg") : header.error);
    cli_csv_record_release(&header);
    return -1;
  }
  int col[H_COUNT];
  for (int c = 0; c < H_COUNT; c++)
    col[c] = imp_find_column(&header, names[c]);
  if (col[H_ID] < 0 || col[H_NAME] < 0) {
    snprintf(why, whysize, "%s",
             _("onbekende kolommen: een gezinnenbestand heeft minstens de kolommen "
               "\"external_id\" en \"name\""));
    cli_csv_record_release(&header);
    return -1;
  }
  struct imp_seen seen = {0};
  for (;;) {
    r = cli_csv_next(&p, &rec);
    if (r == 0)
      break;
    b->nrecords++;
    if (r < 0)
      cli_import_error_add(b, rec.line, "%s", rec.error);
    else if (imp_check_width(b, &header, &rec) == 0)
      read_row(b, col, &rec, &seen);
  }
  imp_seen_release(&seen);
  cli_csv_record_release(&rec);
  cli_csv_record_release(&header);
  return 0;
}
