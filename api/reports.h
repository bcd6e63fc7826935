/* Reports (api/reports.c): the monthly statistics the city evaluates the
 * libraries on, and the audit trail. Both only read; neither is audited. */
#ifndef LEEN_API_REPORTS_H
#define LEEN_API_REPORTS_H

#include "api.h"

/* GET /v1/stats/monthly?library=&from=&to=&month=&format=&summary=
 * (coordinator): JSON, machine CSV, Excel CSV or an SVG chart; see
 * docs/statistics.md. */
int api_stats_monthly(struct api_req *r);

/* GET /v1/audit?entity=&entity_id=&user=&action=&from=&to=&limit=&cursor=
 * (coordinator, admin): the audit rows the caller may see, newest first. */
int api_audit_list(struct api_req *r);

#endif
