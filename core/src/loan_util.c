#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loan_internal.h"

void circ_copy(char *dst, size_t size, const char *src)
{
  snprintf(dst, size, "%s", src ? src : "");
}

size_t circ_utf8_len(const char *s)
{
  size_t n = 0;
  for (; *s; s++)
    n += ((unsigned char)*s & 0xC0) != 0x80;
  return n;
}

const char *circ_i64(char *buf, int64_t v)
{
  snprintf(buf, 24, "%lld", (long long)v);
  return buf;
}

void circ_actor_params(const struct leen_actor *who, struct circ_actor *out)
{
  circ_i64(out->user, who->user_id);
  /* the system user acts in every org; everyone else in their own */
  circ_i64(out->org, circ_reader_org(who));
  out->libs = NULL;
  if (who->user_id == 0 || who->role == LEEN_ROLE_ADMIN)
    return;
  size_t len = 0, n = who->nlibraries;
  if (n > LEEN_ACTOR_MAX_LIBRARIES)
    n = LEEN_ACTOR_MAX_LIBRARIES;
  out->buf[len++] = '{';
  for (size_t i = 0; i < n; i++)
    len += (size_t)snprintf(out->buf + len, sizeof out->buf - len, "%s%lld", i ? "," : "",
                            (long long)who->libraries[i]);
  snprintf(out->buf + len, sizeof out->buf - len, "}");
  out->libs = out->buf;
}

int64_t circ_reader_org(const struct leen_actor *who)
{
  return who->user_id == 0 ? 0 : who->org_id;
}

int circ_sees_org(const struct leen_actor *who, int64_t org)
{
  return circ_reader_org(who) == 0 || circ_reader_org(who) == org;
}

int circ_require(const struct leen_actor *who, enum leen_role role, struct leen_err *err)
{
  if (!who || !leen_actor_has_role(who, role))
    return leen_error(err, LEEN_E_FORBIDDEN, "only a %s or higher may do this",
                      leen_role_name(role));
  return 0;
}

static int retryable(const struct leen_err *e)
{
  return strcmp(e->sqlstate, "40001") == 0 || strcmp(e->sqlstate, "40P01") == 0;
}

PGresult *circ_call(struct leen_db *db, const struct leen_stmt *stmt, int nparams,
                    const char *const *params, struct leen_err *err)
{
  struct leen_err local;
  if (!err)
    err = &local;
  for (int attempt = 0;; attempt++) {
    PGresult *r = db_exec(db, stmt, nparams, params, err);
    if (r)
      return r;
    if (!retryable(err) || attempt >= 8 || PQtransactionStatus(db_conn(db)) != PQTRANS_IDLE)
      return NULL;
  }
}

static int digits(const char *s, int n)
{
  for (int i = 0; i < n; i++)
    if (s[i] < '0' || s[i] > '9')
      return 0;
  return 1;
}

static int num(const char *s, int n)
{
  int v = 0;
  for (int i = 0; i < n; i++)
    v = v * 10 + (s[i] - '0');
  return v;
}

/* Checks the YYYY-MM-DD at s (no terminator needed after it). */
static int date_at(const char *s)
{
  if (strnlen(s, 10) < 10 || !digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) || s[7] != '-' ||
      !digits(s + 8, 2))
    return 0;
  int y = num(s, 4), m = num(s + 5, 2), d = num(s + 8, 2);
  static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1 || m < 1 || m > 12 || d < 1)
    return 0;
  int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= mdays[m - 1] + (m == 2 && leap);
}

int circ_valid_date(const char *s)
{
  return s && date_at(s) && s[10] == '\0';
}

int circ_valid_timestamp(const char *s)
{
  if (!s || !date_at(s))
    return 0;
  const char *p = s + 10;
  if (*p == '\0')
    return 1;
  if (*p != 'T' && *p != 't' && *p != ' ')
    return 0;
  p++;
  if (strnlen(p, 8) < 8 || !digits(p, 2) || p[2] != ':' || !digits(p + 3, 2) || p[5] != ':' ||
      !digits(p + 6, 2))
    return 0;
  if (num(p, 2) > 23 || num(p + 3, 2) > 59 || num(p + 6, 2) > 59)
    return 0;
  p += 8;
  if (*p == '.') {
    int n = 0;
    for (p++; *p >= '0' && *p <= '9'; p++)
      n++;
    if (n == 0 || n > 9)
      return 0;
  }
  if (*p == '\0')
    return 1;
  if (*p == 'Z' || *p == 'z')
    return p[1] == '\0';
  if (*p != '+' && *p != '-')
    return 0;
  p++;
  return strlen(p) == 5 && digits(p, 2) && p[2] == ':' && digits(p + 3, 2) && num(p, 2) <= 14 &&
         num(p + 3, 2) <= 59;
}

void loan_cols_find(const PGresult *r, struct loan_cols *c)
{
  c->id = PQfnumber(r, "id");
  c->item = PQfnumber(r, "item");
  c->household = PQfnumber(r, "household");
  c->child_id = PQfnumber(r, "child_id");
  c->library = PQfnumber(r, "library");
  c->started_at = PQfnumber(r, "started_at");
  c->due_on = PQfnumber(r, "due_on");
  c->deposit_cents = PQfnumber(r, "deposit_cents");
  c->deposit_method = PQfnumber(r, "deposit_method");
  c->returned_at = PQfnumber(r, "returned_at");
  c->return_condition = PQfnumber(r, "return_condition");
  c->refund_cents = PQfnumber(r, "refund_cents");
  c->withheld_cents = PQfnumber(r, "withheld_cents");
  c->withheld_reason = PQfnumber(r, "withheld_reason");
  c->missing_components = PQfnumber(r, "missing_components");
  c->renewals = PQfnumber(r, "renewals");
  c->swapped_from = PQfnumber(r, "swapped_from");
  c->item_status = PQfnumber(r, "item_status");
  c->overdue = PQfnumber(r, "overdue");
}

/* Splits the unit-separated component list into an owned array. */
static int split_components(const char *s, struct leen_loan *out)
{
  if (!s || !*s)
    return 0;
  size_t n = 1;
  for (const char *p = s; *p; p++)
    n += *p == '\x1f';
  char **v = calloc(n, sizeof *v);
  if (!v)
    return -1;
  const char *start = s;
  for (size_t i = 0; i < n; i++) {
    const char *end = strchr(start, '\x1f');
    size_t len = end ? (size_t)(end - start) : strlen(start);
    v[i] = strndup(start, len);
    if (!v[i]) {
      for (size_t j = 0; j < i; j++)
        free(v[j]);
      free(v);
      return -1;
    }
    start = end ? end + 1 : start + len;
  }
  out->missing_components = v;
  out->nmissing = n;
  return 0;
}

int loan_from_row(const PGresult *r, int row, const struct loan_cols *c, struct leen_loan *out)
{
  memset(out, 0, sizeof *out);
  out->id = db_int64(r, row, c->id);
  circ_copy(out->item, sizeof out->item, db_text(r, row, c->item));
  out->household = (int32_t)db_int64(r, row, c->household);
  out->child_id = db_int64(r, row, c->child_id);
  circ_copy(out->library, sizeof out->library, db_text(r, row, c->library));
  circ_copy(out->started_at, sizeof out->started_at, db_text(r, row, c->started_at));
  circ_copy(out->due_on, sizeof out->due_on, db_text(r, row, c->due_on));
  out->deposit_cents = db_int64(r, row, c->deposit_cents);
  circ_copy(out->deposit_method, sizeof out->deposit_method, db_text(r, row, c->deposit_method));
  circ_copy(out->returned_at, sizeof out->returned_at, db_text(r, row, c->returned_at));
  circ_copy(out->return_condition, sizeof out->return_condition,
            db_text(r, row, c->return_condition));
  out->refund_cents = db_int64(r, row, c->refund_cents);
  out->withheld_cents = db_int64(r, row, c->withheld_cents);
  out->renewals = (int)db_int64(r, row, c->renewals);
  out->swapped_from = db_int64(r, row, c->swapped_from);
  circ_copy(out->item_status, sizeof out->item_status, db_text(r, row, c->item_status));
  out->overdue = db_bool(r, row, c->overdue);
  const char *reason = db_text(r, row, c->withheld_reason);
  if (reason) {
    out->withheld_reason = strdup(reason);
    if (!out->withheld_reason)
      return -1;
  }
  if (split_components(db_text(r, row, c->missing_components), out) < 0) {
    leen_loan_release(out);
    return -1;
  }
  return 0;
}

void leen_loan_release(struct leen_loan *loan)
{
  if (!loan)
    return;
  free(loan->withheld_reason);
  loan->withheld_reason = NULL;
  for (size_t i = 0; i < loan->nmissing; i++)
    free(loan->missing_components[i]);
  free(loan->missing_components);
  loan->missing_components = NULL;
  loan->nmissing = 0;
}
