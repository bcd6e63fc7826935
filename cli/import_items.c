/* Reading an items CSV for POST /v1/imports/items: a MyTurn item export
 * or leen's own columns (docs/import.md). Each record becomes one row or
 * one error with its line; nothing here talks to the server. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "import_int.h"

enum col {
  C_ID, C_NAME, C_CATEGORY, C_DESCRIPTION, C_BRAND, C_MODEL, C_SERIAL, C_SIZE, C_COST,
  C_STATUS, C_LOAN_DAYS, C_PURCHASED, C_CONDITION, C_DEPOSIT, C_EXPIRES, C_SAFETY, C_COUNT
};

/* Header names per column: MyTurn's first, then leen's. */
static const char *const names[C_COUNT][4] = {
  [C_ID] = {"Item ID", "external_id", NULL},
  [C_NAME] = {"Name", "name", NULL},
  [C_CATEGORY] = {"Categories", "category", "Category", NULL},
  [C_DESCRIPTION] = {"Description", "description", NULL},
  [C_BRAND] = {"Manufacturer", "brand", NULL},
  [C_MODEL] = {"Model", "model", NULL},
  [C_SERIAL] = {"Serial Number", "serial_number", NULL},
  [C_SIZE] = {"Size", "size", NULL},
  [C_COST] = {"Replacement Cost", "replacement_cost", NULL},
  [C_STATUS] = {"Status(es)", "status", "Status", NULL},
  [C_LOAN_DAYS] = {"Default Loan Length", "loan_days", NULL},
  [C_PURCHASED] = {"Date Purchased", "purchased_on", NULL},
  [C_CONDITION] = {"Condition", "condition", NULL},
  [C_DEPOSIT] = {"deposit", NULL},
  [C_EXPIRES] = {"expires_on", NULL},
  [C_SAFETY] = {"safety_checked_on", NULL},
};

/* MyTurn's statuses (and leen's own) with how bad each is: of several
 * statuses the worst wins. Loans are not imported, so an item MyTurn has
 * checked out comes in available (docs/import.md). */
static const struct {
  const char *name, *status;
  int rank;
} status_map[] = {
  {"available", "available", 0},    {"checked out", "available", 0}, {"on loan", "available", 0},
  {"on_loan", "available", 0},      {"overdue", "available", 0},     {"reserved", "available", 0},
  {"on hold", "available", 0},      {"beschikbaar", "available", 0}, {"uitgeleend", "available", 0},
  {"cleaning", "cleaning", 1},      {"needs cleaning", "cleaning", 1}, {"schoonmaak", "cleaning", 1},
  {"maintenance", "in_repair", 2},  {"in maintenance", "in_repair", 2}, {"in repair", "in_repair", 2},
  {"in_repair", "in_repair", 2},    {"damaged", "in_repair", 2},     {"needs repair", "in_repair", 2},
  {"herstelling", "in_repair", 2},  {"in herstelling", "in_repair", 2},
  {"retired", "retired", 3},        {"deaccessioned", "retired", 3}, {"sold", "retired", 3},
  {"disposed", "retired", 3},       {"afgevoerd", "retired", 3},
  {"lost", "lost", 4},              {"missing", "lost", 4},          {"stolen", "lost", 4},
  {"verloren", "lost", 4},
};

/* The worst status of a list ("Available, Maintenance"); NULL when one
 * is unknown (*bad gets it). */
static const char *map_status(const char *s, char *bad, size_t badsize)
{
  const char *best = "available";
  int rank = -1;
  char part[128];
  while (*s) {
    size_t n = strcspn(s, ",;|");
    const char *p = s;
    size_t m = n;
    while (m && (*p == ' ' || *p == '\t')) {
      p++;
      m--;
    }
    while (m && (p[m - 1] == ' ' || p[m - 1] == '\t'))
      m--;
    s += n + (s[n] ? 1 : 0);
    if (!m)
      continue;
    snprintf(part, sizeof part, "%.*s", (int)m, p);
    size_t k = 0, count = sizeof status_map / sizeof status_map[0];
    while (k < count && strcasecmp(status_map[k].name, part) != 0)
      k++;
    if (k == count) {
      snprintf(bad, badsize, "%s", part);
      return NULL;
    }
    if (status_map[k].rank > rank) {
      rank = status_map[k].rank;
      best = status_map[k].status;
    }
  }
  return best;
}

/* An amount with an optional currency sign before it ("€ 120,00"). */
static int parse_money(const char *s, int64_t *cents)
{
  if (strncmp(s, "€", strlen("€")) == 0)
    s += strlen("€");
  else if (*s == '$')
    s++;
  else if (strncasecmp(s, "EUR", 3) == 0)
    s += 3;
  while (*s == ' ')
    s++;
  return cli_amount_parse(s, cents);
}

/* "14", "14 days", "14 dagen", "2 weeks", "2 weken" as days. */
static int parse_days(const char *s, int64_t *days)
{
  char num[16];
  size_t n = strspn(s, "0123456789");
  if (n == 0 || n >= sizeof num)
    return -1;
  memcpy(num, s, n);
  num[n] = '\0';
  const char *unit = s + n;
  while (*unit == ' ')
    unit++;
  int64_t v;
  if (cli_parse_int(num, 1, 3660, &v) < 0)
    return -1;
  if (!*unit || !strcasecmp(unit, "day") || !strcasecmp(unit, "days") ||
      !strcasecmp(unit, "dag") || !strcasecmp(unit, "dagen"))
    *days = v;
  else if (!strcasecmp(unit, "week") || !strcasecmp(unit, "weeks") || !strcasecmp(unit, "weken"))
    *days = v * 7;
  else
    return -1;
  return *days <= 3660 ? 0 : -1;
}

/* "2021-03-15" or "2021-03-15 10:00:00" / "2021-03-15T10:00:00Z". */
static int parse_day(const char *s, char out[11])
{
  if (strlen(s) < 10 || (s[10] && s[10] != ' ' && s[10] != 'T'))
    return -1;
  snprintf(out, 11, "%.10s", s);
  return cli_parse_date(out);
}

static void add_text(cJSON *obj, const char *key, const char *v)
{
  if (v[0])
    cJSON_AddStringToObject(obj, key, v);
}

/* One record into a row, or an error; the row is added to b->rows. */
static void read_row(struct cli_import_batch *b, const int *col, const struct cli_csv_record *rec,
                     struct imp_seen *seen, int myturn)
{
  char id[256], name[1024], cat[1024], v[1024];
  long line = rec->line;
  imp_field(rec, col[C_ID], id, sizeof id);
  imp_field(rec, col[C_NAME], name, sizeof name);
  if (!id[0]) {
    cli_import_error_add(b, line, myturn ? _("geen Item ID") : _("geen external_id"));
    return;
  }
  long first = imp_seen(seen, id, line);
  if (first) {
    cli_import_error_add(b, line, _("dubbele ID \"%s\": staat al op regel %ld"), id, first);
    return;
  }
  if (!name[0] || cli_chars(name) > 200) {
    cli_import_error_add(b, line, "%s",
                         name[0] ? _("naam langer dan 200 tekens") : _("geen naam"));
    return;
  }
  /* MyTurn lists several categories; the first is the one that counts */
  imp_field(rec, col[C_CATEGORY], v, sizeof v);
  size_t cn = myturn ? strcspn(v, ",;|") : strlen(v);
  while (cn && (v[cn - 1] == ' ' || v[cn - 1] == '\t'))
    cn--;
  snprintf(cat, sizeof cat, "%.*s", (int)cn, v);
  if (!cat[0])
    snprintf(cat, sizeof cat, "%s", _("Zonder categorie"));
  if (cli_chars(cat) > 100) {
    cli_import_error_add(b, line, "%s", _("categorienaam langer dan 100 tekens"));
    return;
  }
  char bad[128];
  imp_field(rec, col[C_STATUS], v, sizeof v);
  const char *status = map_status(v, bad, sizeof bad);
  if (!status) {
    cli_import_error_add(b, line, _("onbekende status \"%s\""), bad);
    return;
  }
  int64_t cost = -1, deposit = -1, days = 0;
  imp_field(rec, col[C_COST], v, sizeof v);
  if (v[0] && parse_money(v, &cost) < 0) {
    cli_import_error_add(b, line, _("ongeldig bedrag \"%s\" als vervangwaarde"), v);
    return;
  }
  imp_field(rec, col[C_DEPOSIT], v, sizeof v);
  if (v[0] && parse_money(v, &deposit) < 0) {
    cli_import_error_add(b, line, _("ongeldig bedrag \"%s\" als waarborg"), v);
    return;
  }
  imp_field(rec, col[C_LOAN_DAYS], v, sizeof v);
  if (v[0] && parse_days(v, &days) < 0) {
    cli_import_error_add(b, line, _("ongeldige uitleentermijn \"%s\" (aantal dagen)"), v);
    return;
  }
  char purchased[11] = "", expires[11] = "", safety[11] = "";
  struct {
    int col;
    char *out;
    const char *what;
  } dates[] = {{C_PURCHASED, purchased, N_("aankoopdatum")},
               {C_EXPIRES, expires, N_("vervaldatum")},
               {C_SAFETY, safety, N_("datum van de veiligheidscontrole")}};
  for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++) {
    imp_field(rec, col[dates[i].col], v, sizeof v);
    if (v[0] && parse_day(v, dates[i].out) < 0) {
      cli_import_error_add(b, line, _("ongeldige %s \"%s\" (JJJJ-MM-DD)"), _(dates[i].what), v);
      return;
    }
  }
  cJSON *row = cJSON_CreateObject();
  cJSON_AddNumberToObject(row, "line", (double)line);
  cJSON_AddStringToObject(row, "external_id", id);
  cJSON_AddStringToObject(row, "name", name);
  cJSON_AddStringToObject(row, "category", cat);
  cJSON_AddStringToObject(row, "status", status);
  if (days)
    cJSON_AddNumberToObject(row, "loan_days", (double)days);
  if (deposit >= 0)
    cJSON_AddNumberToObject(row, "deposit_cents", (double)deposit);
  if (expires[0])
    cJSON_AddStringToObject(row, "expires_on", expires);
  if (safety[0])
    cJSON_AddStringToObject(row, "safety_checked_on", safety);
  cJSON *attrs = cJSON_AddObjectToObject(row, "attributes");
  static const struct {
    int col;
    const char *key;
  } text[] = {{C_DESCRIPTION, "description"}, {C_BRAND, "brand"}, {C_MODEL, "model"},
              {C_SERIAL, "serial_number"},    {C_SIZE, "size"},   {C_CONDITION, "condition"}};
  for (size_t i = 0; i < sizeof text / sizeof text[0]; i++)
    add_text(attrs, text[i].key, imp_field(rec, col[text[i].col], v, sizeof v));
  if (cost >= 0)
    cJSON_AddNumberToObject(attrs, "replacement_cost_cents", (double)cost);
  if (purchased[0])
    cJSON_AddStringToObject(attrs, "purchased_on", purchased);
  cJSON_AddItemToArray(b->rows, row);
}

int cli_import_items_read(const char *buf, size_t len, struct cli_import_batch *b, char *why,
                          size_t whysize)
{
  memset(b, 0, sizeof *b);
  b->rows = cJSON_CreateArray();
  struct cli_csv p;
  struct cli_csv_record header = {0}, rec = {0};
  cli_csv_open(&p, buf, len);
  int r = cli_csv_next(&p, &header);
  if (r <= 0) {
    snprintf(why, whysize, "%s", r == 0 ? _("het bestand is leeg") : header.error);
    cli_csv_record_release(&header);
    return -1;
  }
  int col[C_COUNT];
  for (int c = 0; c < C_COUNT; c++)
    col[c] = imp_find_column(&header, names[c]);
  static const char *const myturn_id[] = {"Item ID", NULL};
  int myturn = imp_find_column(&header, myturn_id) >= 0;
  if (col[C_ID] < 0 || col[C_NAME] < 0) {
    snprintf(why, whysize, "%s",
             _("onbekende kolommen: verwacht een MyTurn-export (kolommen \"Item ID\" en \"Name\") "
               "of leen's eigen CSV (kolommen \"external_id\" en \"name\")"));
    cli_csv_record_release(&header);
    return -1;
  }
  b->format = myturn ? "myturn" : "leen";
  struct imp_seen seen = {0};
  for (;;) {
    r = cli_csv_next(&p, &rec);
    if (r == 0)
      break;
    b->nrecords++;
    if (r < 0)
      cli_import_error_add(b, rec.line, "%s", rec.error);
    else if (imp_check_width(b, &header, &rec) == 0)
      read_row(b, col, &rec, &seen, myturn);
  }
  imp_seen_release(&seen);
  cli_csv_record_release(&rec);
  cli_csv_record_release(&header);
  return 0;
}
