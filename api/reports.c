/* Reports: GET /v1/stats/monthly (the city's evaluation figures as JSON,
 * CSV for machines, CSV for Excel, or an SVG chart) and GET /v1/audit.
 * Both read only and write no audit row: reading the trail must not grow
 * it, and the statistics hold no personal data. Role and library checks
 * are core's (leen_stats_*, leen_audit_list); the route table's role is
 * the first gate. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "leen/audit.h"
#include "leen/stats.h"
#include "reports.h"
#include "stats_render.h"

#define SLUG_MAX 63

/* Core names the fields of a query as JSON pointers ("/from"); a query
 * parameter is "?from" (a problem's {"parameter": "from"}). A core field
 * equal to core_field becomes "?param" instead, where the names differ. */
static int reply_query_error(struct api_req *r, struct leen_err *err, const char *core_field,
                             const char *param)
{
  if (core_field && strcmp(err->field, core_field) == 0)
    snprintf(err->field, sizeof err->field, "?%s", param);
  else if (err->field[0] == '/')
    err->field[0] = '?';
  return api_reply_error(r, err);
}

/* A text parameter of at most max characters: NULL when absent; an empty
 * or too long value records an error. */
static const char *text_param(struct api_req *r, const char *name, size_t max)
{
  const char *v = api_query(r, name);
  if (!v)
    return NULL;
  size_t chars = 0;
  for (const char *s = v; *s; s++)
    chars += ((unsigned char)*s & 0xC0) != 0x80;
  char ptr[64];
  snprintf(ptr, sizeof ptr, "?%s", name);
  if (!*v)
    api_in_error(r, LEEN_E_INVALID_FIELD, ptr, "is empty");
  else if (chars > max)
    api_in_error(r, LEEN_E_INVALID_FIELD, ptr, "is longer than %zu characters", max);
  else
    return v;
  return NULL;
}

/* ---- GET /v1/stats/monthly ---- */

static const char *const formats[] = {"json", "csv", "csv-excel", "svg", NULL};
enum { F_JSON, F_CSV, F_EXCEL, F_SVG };

struct stats_query {
  const char *library;           /* NULL: every library the caller may see, one month */
  char from[8], to[8];
  int format;
  int summary;
};

/* Reads and cross-checks the parameters; -1 when errors were recorded. */
static int stats_query_read(struct api_req *r, struct stats_query *q)
{
  char month[8] = "";
  memset(q, 0, sizeof *q);
  q->format = F_JSON;
  q->library = text_param(r, "library", SLUG_MAX);
  int has_from = api_query_month(r, "from", API_OPTIONAL, q->from) == 1;
  int has_to = api_query_month(r, "to", API_OPTIONAL, q->to) == 1;
  int has_month = api_query_month(r, "month", API_OPTIONAL, month) == 1;
  api_query_enum(r, "format", API_OPTIONAL, formats, &q->format);
  api_query_bool(r, "summary", API_OPTIONAL, &q->summary);
  if (r->nerrors)
    return -1;
  if (has_month && (has_from || has_to)) {
    api_in_error(r, LEEN_E_INVALID_FIELD, "?month", "cannot be combined with from and to");
    return -1;
  }
  if (has_month) {
    memcpy(q->from, month, sizeof month);
    memcpy(q->to, month, sizeof month);
  } else {
    if (!has_from)
      api_in_error(r, LEEN_E_INVALID_FIELD, "?from", "is required (or give month)");
    if (!has_to)
      api_in_error(r, LEEN_E_INVALID_FIELD, "?to", "is required (or give month)");
  }
  if (q->summary && (q->format == F_SVG || !q->library))
    api_in_error(r, LEEN_E_INVALID_FIELD, "?summary",
                 q->library ? "comes as json, csv or csv-excel, not as a chart"
                            : "is per library: give library");
  if (!q->library && q->format == F_SVG)
    api_in_error(r, LEEN_E_INVALID_FIELD, "?format", "a chart is per library: give library");
  if (!q->library && !r->nerrors && strcmp(q->from, q->to) != 0)
    api_in_error(r, LEEN_E_INVALID_FIELD, "?to",
                 "without library the figures cover one month: from and to must be equal");
  return r->nerrors ? -1 : 0;
}

/* leen-<library or "alle">-<from>[-<to>][-samenvatting][-excel].<ext> */
static void attachment(struct api_req *r, const struct stats_query *q, const char *ext)
{
  char name[160], header[200];
  int n = snprintf(name, sizeof name, "leen-%s-%s", q->library ? q->library : "alle", q->from);
  if (q->library && n > 0 && (size_t)n < sizeof name)
    n += snprintf(name + n, sizeof name - (size_t)n, "-%s", q->to);
  if (q->summary && n > 0 && (size_t)n < sizeof name)
    n += snprintf(name + n, sizeof name - (size_t)n, "-samenvatting");
  if (q->format == F_EXCEL && n > 0 && (size_t)n < sizeof name)
    snprintf(name + n, sizeof name - (size_t)n, "-excel");
  /* the chart opens in the browser; the tables are downloads */
  snprintf(header, sizeof header, "%s; filename=\"%s.%s\"",
           q->format == F_SVG ? "inline" : "attachment", name, ext);
  api_add_header(r, "Content-Disposition", header);
}

static int reply_text(struct api_req *r, const struct stats_query *q, const char *content_type,
                      const char *ext, char *text, size_t len)
{
  if (!text)
    return api_reply_code(r, LEEN_E_INTERNAL, NULL);
  attachment(r, q, ext);
  return api_reply_raw(r, 200, content_type, text, len);
}

static const char csv_type[] = "text/csv; charset=utf-8";

static int stats_library(struct api_req *r, struct leen_db *db, const struct stats_query *q)
{
  struct leen_err err;
  struct leen_stats_report rep;
  if (leen_stats_library(db, &r->actor, q->library, q->from, q->to, &rep, &err) < 0)
    return reply_query_error(r, &err, NULL, NULL);
  enum api_csv_dialect d = q->format == F_EXCEL ? API_CSV_EXCEL : API_CSV_MACHINE;
  size_t len = 0;
  int rc;
  if (q->format == F_JSON) {
    cJSON *o = api_stats_report_json(&rep);
    if (o && q->summary)
      cJSON_DeleteItemFromObject(o, "months");
    rc = o ? api_reply_json(r, 200, o) : api_reply_code(r, LEEN_E_INTERNAL, NULL);
  } else if (q->format == F_SVG) {
    char *svg = api_stats_svg(&rep, &len);
    rc = reply_text(r, q, "image/svg+xml", "svg", svg, len);
  } else {
    char *csv = q->summary ? api_stats_summary_csv(&rep, d, &len)
                           : api_stats_csv(&rep, 1, d, &len);
    rc = reply_text(r, q, csv_type, "csv", csv, len);
  }
  leen_stats_report_release(&rep);
  return rc;
}

static int stats_org(struct api_req *r, struct leen_db *db, const struct stats_query *q)
{
  struct leen_err err;
  struct leen_stats_report *reps = NULL;
  size_t n = 0;
  if (leen_stats_org_month(db, &r->actor, q->from, &reps, &n, &err) < 0)
    return reply_query_error(r, &err, "/month", api_query(r, "month") ? "month" : "from");
  int rc;
  if (q->format == F_JSON) {
    cJSON *o = api_stats_org_json(q->from, reps, n);
    rc = o ? api_reply_json(r, 200, o) : api_reply_code(r, LEEN_E_INTERNAL, NULL);
  } else {
    size_t len = 0;
    char *csv = api_stats_csv(reps, n, q->format == F_EXCEL ? API_CSV_EXCEL : API_CSV_MACHINE,
                              &len);
    rc = reply_text(r, q, csv_type, "csv", csv, len);
  }
  leen_stats_reports_free(reps, n);
  return rc;
}

int api_stats_monthly(struct api_req *r)
{
  struct stats_query q;
  if (stats_query_read(r, &q) < 0)
    return api_reply_fields(r);
  struct leen_err err;
  struct leen_db *db = api_db(r, &err);
  if (!db)
    return api_reply_error(r, &err);
  return q.library ? stats_library(r, db, &q) : stats_org(r, db, &q);
}

/* ---- GET /v1/audit ---- */

static cJSON *audit_json(const struct leen_audit_entry *e)
{
  cJSON *o = cJSON_CreateObject();
  cJSON_AddNumberToObject(o, "id", (double)e->id);
  cJSON_AddStringToObject(o, "at", e->at);
  if (e->user_id) {
    cJSON *u = cJSON_AddObjectToObject(o, "user");
    cJSON_AddNumberToObject(u, "id", (double)e->user_id);
    cJSON_AddStringToObject(u, "username", e->username);
  } else {
    cJSON_AddNullToObject(o, "user");
  }
  cJSON_AddStringToObject(o, "action", e->action);
  cJSON_AddStringToObject(o, "entity", e->entity);
  if (e->entity_id)
    cJSON_AddStringToObject(o, "entity_id", e->entity_id);
  else
    cJSON_AddNullToObject(o, "entity_id");
  /* jsonb text is valid JSON; an object it always is (the column says so) */
  cJSON *details = cJSON_Parse(e->details);
  if (!cJSON_IsObject(details)) {
    cJSON_Delete(details);
    details = cJSON_CreateObject();
  }
  cJSON_AddItemToObject(o, "details", details);
  return o;
}

int api_audit_list(struct api_req *r)
{
  struct api_page page;
  if (api_page_parse(r, &page) < 0)
    return 0;
  struct leen_audit_filter f = {.limit = page.limit};
  char from[11], to[11];
  f.entity = text_param(r, "entity", 40);
  f.entity_id = text_param(r, "entity_id", 64);
  f.username = text_param(r, "user", 64);
  f.action = text_param(r, "action", 60);
  if (api_query_date(r, "from", API_OPTIONAL, from) == 1)
    f.from = from;
  if (api_query_date(r, "to", API_OPTIONAL, to) == 1)
    f.to = to;
  if (page.after[0]) {
    char *end = NULL;
    long long id = strtoll(page.after, &end, 10);
    if (*end || id <= 0)
      api_in_error(r, LEEN_E_INVALID_FIELD, "?cursor", "is not a cursor this server gave");
    else
      f.cursor = id;
  }
  if (r->nerrors)
    return api_reply_fields(r);

  struct leen_err err;
  struct leen_db *db = api_db(r, &err);
  struct leen_audit_list list;
  if (!db)
    return api_reply_error(r, &err);
  if (leen_audit_list(db, &r->actor, &f, &list, &err) < 0)
    return reply_query_error(r, &err, "/username", "user");
  cJSON *items = cJSON_CreateArray();
  for (size_t i = 0; i < list.n; i++)
    cJSON_AddItemToArray(items, audit_json(&list.items[i]));
  char next[24] = "";
  if (list.next_cursor)
    snprintf(next, sizeof next, "%lld", (long long)list.next_cursor);
  leen_audit_list_release(&list);
  return api_reply_page(r, items, next[0] ? next : NULL);
}
