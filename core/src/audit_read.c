/* Reading the audit trail (leen/audit.h). The rows carry no org or
 * library of their own, so the statement traces each row's entity to its
 * library (and org) to decide who may see it; journal.c writes them. */
#include "leen/audit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_internal.h"

/* $1 org (0: every org, the system actor), $2 the reader's user id,
 * $3 the reader's libraries (NULL: no library restriction, an admin),
 * $4 entity, $5 entity_id, $6 username, $7 action, $8 from day, $9 to day,
 * $10 cursor (the last id seen), $11 rows to fetch.
 * k.eid is the entity id as a number when it is one: the CASE keeps the
 * cast from running on text that is not (an index lookup then finds
 * nothing rather than failing). */
static const struct leen_stmt stmts[] = {
  {"audit_list",
   "SELECT a.id, to_char(a.at, 'YYYY-MM-DD\"T\"HH24:MI:SSTZH:TZM'), coalesce(a.user_id, 0),"
   "       u.username, a.action, a.entity, a.entity_id, a.details::text"
   " FROM audit a"
   " LEFT JOIN users u ON u.id = a.user_id"
   " CROSS JOIN LATERAL (SELECT CASE WHEN a.entity_id ~ '^[0-9]{1,18}$'"
   "                                 THEN a.entity_id::bigint END AS eid) k"
   " CROSS JOIN LATERAL (SELECT CASE a.entity"
   "   WHEN 'library' THEN (SELECT x.id FROM libraries x WHERE x.id = k.eid)"
   "   WHEN 'loan' THEN (SELECT x.library_id FROM loans x WHERE x.id = k.eid)"
   "   WHEN 'reservation' THEN (SELECT x.library_id FROM reservations x WHERE x.id = k.eid)"
   "   WHEN 'item' THEN (SELECT x.library_id FROM items x WHERE x.id = k.eid)"
   "   WHEN 'category' THEN (SELECT x.library_id FROM categories x WHERE x.id = k.eid)"
   "   WHEN 'membership' THEN (SELECT x.library_id FROM memberships x WHERE x.id = k.eid)"
   "   WHEN 'schedule_exception' THEN"
   "     (SELECT x.library_id FROM schedule_exceptions x WHERE x.id = k.eid)"
   "   END AS lib) e"
   " WHERE ($4::text IS NULL OR a.entity = $4::text)"
   "   AND ($5::text IS NULL OR a.entity_id = $5::text)"
   "   AND ($6::text IS NULL OR u.username = $6::text)"
   "   AND ($7::text IS NULL OR a.action = $7::text)"
   "   AND ($8::date IS NULL OR a.at >= $8::date::timestamptz)"
   "   AND ($9::date IS NULL OR a.at < ($9::date + 1)::timestamptz)"
   "   AND ($10::bigint IS NULL OR a.id < $10::bigint)"
   /* the org: the writer's, or for rows without a writer the entity's */
   "   AND ($1::bigint = 0 OR $1::bigint = CASE WHEN a.user_id IS NOT NULL THEN u.org_id"
   "     ELSE coalesce((SELECT l.org_id FROM libraries l WHERE l.id = e.lib), CASE a.entity"
   "       WHEN 'household' THEN (SELECT h.org_id FROM households h WHERE h.number = k.eid)"
   "       WHEN 'reduction' THEN (SELECT r.org_id FROM reductions r WHERE r.id = k.eid)"
   "       WHEN 'user' THEN (SELECT w.org_id FROM users w WHERE w.id = k.eid)"
   "       WHEN 'api_token' THEN (SELECT w.org_id FROM api_tokens t JOIN users w"
   "                              ON w.id = t.user_id WHERE t.id = k.eid)"
   "       END) END)"
   /* a coordinator: their own rows, or about their libraries' entities */
   "   AND ($3::bigint[] IS NULL OR a.user_id = $2::bigint OR e.lib = ANY ($3::bigint[])"
   "     OR (a.entity = 'household' AND EXISTS ("
   "       SELECT 1 FROM households h WHERE h.number = k.eid"
   "         AND (EXISTS (SELECT 1 FROM memberships m WHERE m.household_id = h.id"
   "                        AND m.library_id = ANY ($3::bigint[]))"
   "           OR EXISTS (SELECT 1 FROM loans lo WHERE lo.household_id = h.id"
   "                        AND lo.library_id = ANY ($3::bigint[]))))))"
   " ORDER BY a.id DESC LIMIT $11::integer"},
};
enum { S_LIST };

static char *i64(char buf[24], int64_t v)
{
  snprintf(buf, 24, "%lld", (long long)v);
  return buf;
}

static const char *given(const char *s) { return s && *s ? s : NULL; }

/* YYYY-MM-DD of a day that exists. */
static int date_ok(const char *s)
{
  if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
    return 0;
  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
      return 0;
  int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
  int m = (s[5] - '0') * 10 + (s[6] - '0');
  int d = (s[8] - '0') * 10 + (s[9] - '0');
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1 || m < 1 || m > 12 || d < 1)
    return 0;
  int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= days[m - 1] + (m == 2 && leap);
}

static int check_filter(const struct leen_audit_filter *f, struct leen_err *err)
{
  static const struct {
    const char *field;
    size_t offset, max;
  } texts[] = {
    {"/entity", offsetof(struct leen_audit_filter, entity), 40},
    {"/entity_id", offsetof(struct leen_audit_filter, entity_id), 64},
    {"/username", offsetof(struct leen_audit_filter, username), 64},
    {"/action", offsetof(struct leen_audit_filter, action), 60},
  };
  for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
    const char *v = *(const char *const *)((const char *)f + texts[i].offset);
    if (v && strlen(v) > texts[i].max)
      return leen_error_field(err, LEEN_E_INVALID_FIELD, texts[i].field,
                              "%s is longer than %zu characters", texts[i].field + 1,
                              texts[i].max);
  }
  if (given(f->from) && !date_ok(f->from))
    return leen_error_field(err, LEEN_E_INVALID_DATE, "/from", "from must be a date YYYY-MM-DD");
  if (given(f->to) && !date_ok(f->to))
    return leen_error_field(err, LEEN_E_INVALID_DATE, "/to", "to must be a date YYYY-MM-DD");
  if (given(f->from) && given(f->to) && strcmp(f->to, f->from) < 0)
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/to", "to \"%s\" is before from \"%s\"",
                            f->to, f->from);
  if (f->limit < 0 || f->limit > LEEN_AUDIT_MAX_LIMIT)
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/limit", "limit is 1 to %d",
                            LEEN_AUDIT_MAX_LIMIT);
  if (f->cursor < 0)
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/cursor", "not a cursor of this list");
  return 0;
}

/* The reader's libraries as an array literal, or NULL for no restriction
 * (an admin, or the system actor). */
static const char *libraries_param(const struct leen_actor *who, char *buf, size_t size)
{
  if (who->user_id == 0 || who->role == LEEN_ROLE_ADMIN)
    return NULL;
  size_t n = who->nlibraries < LEEN_ACTOR_MAX_LIBRARIES ? who->nlibraries
                                                        : LEEN_ACTOR_MAX_LIBRARIES;
  size_t len = (size_t)snprintf(buf, size, "{");
  for (size_t i = 0; i < n && len < size; i++)
    len += (size_t)snprintf(buf + len, size - len, "%s%lld", i ? "," : "",
                            (long long)who->libraries[i]);
  if (len < size)
    snprintf(buf + len, size - len, "}");
  return buf;
}

static char *dup_or_null(const char *s) { return s ? strdup(s) : NULL; }

static int entry_from_row(const PGresult *r, int row, struct leen_audit_entry *e)
{
  e->id = db_int64(r, row, 0);
  snprintf(e->at, sizeof e->at, "%s", PQgetvalue(r, row, 1));
  e->user_id = db_int64(r, row, 2);
  snprintf(e->username, sizeof e->username, "%s", PQgetvalue(r, row, 3));
  snprintf(e->action, sizeof e->action, "%s", PQgetvalue(r, row, 4));
  snprintf(e->entity, sizeof e->entity, "%s", PQgetvalue(r, row, 5));
  e->entity_id = dup_or_null(db_text(r, row, 6));
  e->details = strdup(PQgetvalue(r, row, 7));
  if ((db_text(r, row, 6) && !e->entity_id) || !e->details)
    return -1;
  return 0;
}

int leen_audit_list(struct leen_db *db, const struct leen_actor *who,
                    const struct leen_audit_filter *f, struct leen_audit_list *out,
                    struct leen_err *err)
{
  memset(out, 0, sizeof *out);
  if (!who || !leen_actor_has_role(who, LEEN_ROLE_COORDINATOR))
    return leen_error(err, LEEN_E_FORBIDDEN, "only a coordinator or admin may read the audit");
  if (check_filter(f, err) < 0)
    return -1;
  int limit = f->limit ? f->limit : 50;
  char org[24], user[24], cursor[24], lim[24];
  char libs[LEEN_ACTOR_MAX_LIBRARIES * 21 + 3];
  const char *p[] = {i64(org, who->user_id == 0 ? 0 : who->org_id),
                     i64(user, who->user_id),
                     libraries_param(who, libs, sizeof libs),
                     given(f->entity),
                     given(f->entity_id),
                     given(f->username),
                     given(f->action),
                     given(f->from),
                     given(f->to),
                     f->cursor ? i64(cursor, f->cursor) : NULL,
                     i64(lim, limit + 1)};
  PGresult *r = db_exec(db, &stmts[S_LIST], 11, p, err);
  if (!r)
    return -1;
  size_t rows = (size_t)PQntuples(r);
  size_t n = rows > (size_t)limit ? (size_t)limit : rows;
  int rc = 0;
  if (n) {
    out->items = calloc(n, sizeof *out->items);
    if (!out->items)
      rc = leen_error(err, LEEN_E_INTERNAL, "out of memory");
  }
  for (size_t i = 0; rc == 0 && i < n; i++) {
    out->n = i + 1;
    if (entry_from_row(r, (int)i, &out->items[i]) < 0)
      rc = leen_error(err, LEEN_E_INTERNAL, "out of memory");
  }
  if (rc == 0 && rows > n)
    out->next_cursor = out->items[n - 1].id;
  PQclear(r);
  if (rc < 0)
    leen_audit_list_release(out);
  return rc;
}

void leen_audit_list_release(struct leen_audit_list *list)
{
  if (!list)
    return;
  for (size_t i = 0; i < list->n; i++) {
    free(list->items[i].entity_id);
    free(list->items[i].details);
  }
  free(list->items);
  memset(list, 0, sizeof *list);
}
