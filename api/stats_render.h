/* Monthly statistics as the city receives them: JSON, a machine CSV, a
 * CSV for Excel in Belgium, an SVG chart and the period summary. Pure
 * functions over the records of leen/stats.h: no database, no locale
 * (decimals are written by hand, never with printf's %f).
 *
 * Postcode cells: exact counts from 5 up, "<5" for 1 to 4, so that no
 * output singles out a family; a postcode without active households in a
 * month is 0 (in CSV) or absent (in JSON).
 *
 * CSV dialects:
 *   API_CSV_MACHINE  RFC 4180 quoting, ',' separator, '.' decimals, no
 *                    BOM, LF line ends (what Unix tools expect; every RFC
 *                    4180 reader accepts them), the JSON field names as
 *                    headers, money in cents.
 *   API_CSV_EXCEL    ';' separator, ',' decimals, UTF-8 with BOM, CRLF,
 *                    Dutch headers, money in euros with two decimals
 *                    ("12,50"), months as ISO 8601 "2026-10".
 * Both: one row per library and month, the library's slug first, then
 * one column per postcode seen anywhere in the output, sorted, "none
 * given" last. An empty cell is a figure that cannot be computed
 * (loans_per_session without sessions, utilisation without items). */
#ifndef LEEN_API_STATS_RENDER_H
#define LEEN_API_STATS_RENDER_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "leen/stats.h"

enum api_csv_dialect {
  API_CSV_MACHINE,
  API_CSV_EXCEL,
};

/* {"library", "name", "from", "to", "targets": {...set targets only},
 *  "months": [{"month", <every field>, "postcodes": [{"postcode",
 *  "households"}]}], "summary": {...}}. A figure that cannot be computed
 * is null; a postcode none was given for is null. Returns a new object
 * the caller owns (cJSON_Delete), or NULL when out of memory. */
cJSON *api_stats_report_json(const struct leen_stats_report *r);

/* {"month", "libraries": [report, ...]} for leen_stats_org_month's
 * reports. Caller owns the result; NULL when out of memory. */
cJSON *api_stats_org_json(const char *month, const struct leen_stats_report *reps, size_t n);

/* The period summary: totals, "averages" per month and "targets" with,
 * per target, "actual", "target" (or "min"/"max"), "verdict"
 * (leen_stats_verdict_name) and "met" (true, false, or null when there
 * is no target or nothing to judge). Caller owns; NULL when out of
 * memory. */
cJSON *api_stats_summary_json(const struct leen_stats_summary *s);

/* The months of n reports as CSV in dialect d. Returns a malloc'ed,
 * NUL-terminated text (its length in *len when len is not NULL) that the
 * caller frees, or NULL when out of memory. */
char *api_stats_csv(const struct leen_stats_report *reps, size_t n, enum api_csv_dialect d,
                    size_t *len);

/* The period summary of one report as CSV in dialect d: one row per
 * figure (indicator, value, target minimum, target maximum, verdict).
 * Returns a malloc'ed text the caller frees, or NULL when out of memory. */
char *api_stats_summary_csv(const struct leen_stats_report *r, enum api_csv_dialect d,
                            size_t *len);

/* A chart of one report as a standalone SVG 1.1 document (UTF-8, valid
 * XML): loans and new households per month as bars, the share of new
 * households on a reduced tariff as a line (right axis, %), the targets
 * as dashed lines, Dutch labels, axes with units. Returns a malloc'ed
 * text the caller frees, or NULL when out of memory. */
char *api_stats_svg(const struct leen_stats_report *r, size_t *len);

#endif
