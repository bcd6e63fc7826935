#include "leen/household.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "household_internal.h"
#include "journal.h"

#define HH_COLS                                                                      \
  "h.id, h.number, h.name, h.email, h.phone, h.postcode, h.language, h.version,"     \
  " to_char(r.valid_until, 'YYYY-MM-DD')"                                            \
  " FROM households h"                                                               \
  " LEFT JOIN LATERAL leen_active_reduction(h.id, current_date) r ON true"

static const struct leen_stmt stmts[] = {
  {"household_insert",
   "INSERT INTO households (org_id, name, email, phone, postcode, language, external_id)"
   " VALUES ($1::bigint, $2, $3, $4, $5, $6, $7) RETURNING id, number"},
  {"household_child_insert",
   "INSERT INTO children (household_id, first_name, birth_month)"
   " VALUES ($1::bigint, $2, to_date($3, 'YYYY-MM'))"},
  {"household_select", "SELECT " HH_COLS " WHERE h.number = $1::integer AND h.org_id = $2::bigint"},
  {"household_children",
   "SELECT household_id, id, first_name, to_char(birth_month, 'YYYY-MM') FROM children"
   " WHERE household_id = ANY ($1::bigint[]) ORDER BY household_id, id"},
  {"household_find",
   "SELECT " HH_COLS " WHERE h.org_id = $1::bigint"
   " AND ($2::integer = 0 OR h.number = $2::integer)"
   " AND ($3::text IS NULL OR lower(h.name) LIKE lower($3::text))"
   " AND ($4::text IS NULL OR lower(h.email) = lower($4::text))"
   " AND ($5::text IS NULL OR h.postcode = $5::text)"
   " AND h.number > $6::integer ORDER BY h.number LIMIT $7::integer"},
};
enum { S_INSERT, S_CHILD_INSERT, S_SELECT, S_CHILDREN, S_FIND };

static const char *const languages[] = {"nl", "fr", "en", "de", "ar", "tr", "uk",
                                        "ru", "ro", "pl", "so", "ti", "prs", "ps"};

static const char *nonempty(const char *s) { return s && *s ? s : NULL; }

/* ---- records ---- */

static void child_release(struct leen_child *c) { free(c->first_name); }

void leen_household_release(struct leen_household *h)
{
  if (!h)
    return;
  free(h->name);
  free(h->email);
  free(h->phone);
  free(h->postcode);
  for (size_t i = 0; i < h->nchildren; i++)
    child_release(&h->children[i]);
  free(h->children);
  memset(h, 0, sizeof *h);
}

void leen_household_list_release(struct leen_household_list *l)
{
  if (!l)
    return;
  for (size_t i = 0; i < l->n; i++)
    leen_household_release(&l->items[i]);
  free(l->items);
  memset(l, 0, sizeof *l);
}

/* strdup that keeps NULL; sets *oom when memory runs out */
static char *dup_text(const char *s, int *oom)
{
  if (!s)
    return NULL;
  char *d = strdup(s);
  if (!d)
    *oom = 1;
  return d;
}

static int row_to_household(const PGresult *r, int i, struct leen_household *h)
{
  int oom = 0;
  memset(h, 0, sizeof *h);
  h->id = db_int64(r, i, 0);
  h->number = db_int64(r, i, 1);
  h->name = dup_text(db_text(r, i, 2), &oom);
  h->email = dup_text(db_text(r, i, 3), &oom);
  h->phone = dup_text(db_text(r, i, 4), &oom);
  h->postcode = dup_text(db_text(r, i, 5), &oom);
  hh_copy(h->language, sizeof h->language, db_text(r, i, 6));
  h->version = (int)db_int64(r, i, 7);
  const char *until = db_text(r, i, 8);
  h->reduction.active = until != NULL;
  hh_copy(h->reduction.valid_until, sizeof h->reduction.valid_until, until);
  return oom ? -1 : 0;
}

/* Loads the children of n households with one query. */
static int load_children(struct leen_db *db, struct leen_household *hs, size_t n,
                         struct leen_err *err)
{
  if (n == 0)
    return 0;
  size_t cap = n * 21 + 3;
  char *ids = malloc(cap);
  if (!ids)
    return leen_error(err, LEEN_E_INTERNAL, "out of memory");
  size_t len = 0;
  ids[len++] = '{';
  for (size_t i = 0; i < n; i++)
    len += (size_t)snprintf(ids + len, cap - len, "%s%lld", i ? "," : "", (long long)hs[i].id);
  snprintf(ids + len, cap - len, "}");
  const char *p[] = {ids};
  PGresult *r = db_exec(db, &stmts[S_CHILDREN], 1, p, err);
  free(ids);
  if (!r)
    return -1;
  int rows = PQntuples(r), oom = 0;
  /* first count per household, then fill: both in the query's order */
  for (int k = 0; k < rows; k++)
    for (size_t i = 0; i < n; i++)
      if (hs[i].id == db_int64(r, k, 0))
        hs[i].nchildren++;
  for (size_t i = 0; i < n && !oom; i++) {
    if (hs[i].nchildren == 0)
      continue;
    hs[i].children = calloc(hs[i].nchildren, sizeof *hs[i].children);
    if (!hs[i].children) {
      /* nothing is filled yet: leave every record empty-handed */
      for (size_t j = i; j < n; j++)
        hs[j].nchildren = 0;
      oom = 1;
      break;
    }
    hs[i].nchildren = 0;
  }
  for (int k = 0; k < rows && !oom; k++)
    for (size_t i = 0; i < n; i++)
      if (hs[i].id == db_int64(r, k, 0)) {
        struct leen_child *c = &hs[i].children[hs[i].nchildren++];
        c->id = db_int64(r, k, 1);
        c->first_name = dup_text(db_text(r, k, 2), &oom);
        hh_copy(c->birth_month, sizeof c->birth_month, db_text(r, k, 3));
        break;
      }
  PQclear(r);
  return oom ? leen_error(err, LEEN_E_INTERNAL, "out of memory") : 0;
}

int hh_load(struct leen_db *db, const struct leen_actor *a, int64_t number,
            struct leen_household *out, struct leen_err *err)
{
  memset(out, 0, sizeof *out);
  if (number <= 0 || number > INT32_MAX)
    return leen_error(err, LEEN_E_NOT_FOUND, "no household %lld", (long long)number);
  char nb[24], org[24];
  const char *p[] = {hh_i64(nb, number), hh_i64(org, a->org_id)};
  PGresult *r = db_exec(db, &stmts[S_SELECT], 2, p, err);
  if (!r)
    return -1;
  if (PQntuples(r) == 0) {
    PQclear(r);
    return leen_error(err, LEEN_E_NOT_FOUND, "no household %lld", (long long)number);
  }
  int rc = row_to_household(r, 0, out);
  PQclear(r);
  if (rc < 0 || load_children(db, out, 1, err) < 0) {
    leen_household_release(out);
    return rc < 0 ? leen_error(err, LEEN_E_INTERNAL, "out of memory") : -1;
  }
  return 0;
}

/* ---- checks ---- */

int hh_check_field(unsigned which, const char *value, struct leen_err *err)
{
  const char *v = nonempty(value);
  switch (which) {
  case LEEN_HOUSEHOLD_SET_NAME: {
    if (!v)
      return leen_error_field(err, LEEN_E_INVALID_FIELD, "/name", "a name is required");
    if (!hh_text_ok(v, 1, 200))
      return leen_error_field(err, LEEN_E_INVALID_FIELD, "/name",
                              "a name has 1 to 200 characters");
    int blank = 1;
    for (const char *s = v; *s && blank; s++)
      blank = *s == ' ';
    if (blank)
      return leen_error_field(err, LEEN_E_INVALID_FIELD, "/name", "a name is required");
    return 0;
  }
  case LEEN_HOUSEHOLD_SET_EMAIL: {
    if (!v)
      return 0;
    const char *at = strchr(v, '@');
    int ok = hh_text_ok(v, 3, 254) && at && at != v && at[1] && !strchr(at + 1, '@');
    for (const char *s = v; *s && ok; s++)
      ok = *s != ' ';
    if (!ok)
      return leen_error_field(err, LEEN_E_INVALID_FIELD, "/email",
                              "\"%.200s\" is not an e-mail address", v);
    return 0;
  }
  case LEEN_HOUSEHOLD_SET_PHONE:
    if (v && !hh_text_ok(v, 3, 40))
      return leen_error_field(err, LEEN_E_INVALID_FIELD, "/phone",
                              "a phone number has 3 to 40 characters");
    return 0;
  case LEEN_HOUSEHOLD_SET_POSTCODE: {
    int ok = !v || strlen(v) == 4;
    for (size_t i = 0; v && ok && i < 4; i++)
      ok = v[i] >= '0' && v[i] <= '9';
    if (!ok)
      return leen_error_field(err, LEEN_E_INVALID_FIELD, "/postcode",
                              "a postcode has four digits");
    return 0;
  }
  case LEEN_HOUSEHOLD_SET_LANGUAGE:
    if (!v)
      return leen_error_field(err, LEEN_E_INVALID_FIELD, "/language", "a language is required");
    for (size_t i = 0; i < sizeof languages / sizeof languages[0]; i++)
      if (strcmp(v, languages[i]) == 0)
        return 0;
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/language",
                            "unknown language \"%.20s\"", v);
  }
  return leen_error(err, LEEN_E_INTERNAL, "unknown household field");
}

int hh_check_child(const struct leen_child_new *c, const char *list, size_t i,
                   struct leen_err *err)
{
  char field[64];
  const char *first = nonempty(c->first_name);
  if (first && !hh_text_ok(first, 1, 100)) {
    snprintf(field, sizeof field, "%s/%zu/first_name", list, i);
    return leen_error_field(err, LEEN_E_INVALID_FIELD, field,
                            "a first name has 1 to 100 characters");
  }
  if (!hh_month_ok(c->birth_month)) {
    snprintf(field, sizeof field, "%s/%zu/birth_month", list, i);
    return leen_error_field(err, LEEN_E_INVALID_DATE, field, "a birth month is YYYY-MM");
  }
  return 0;
}

int hh_insert_children(struct leen_db *db, int64_t household_id, const struct leen_child_new *c,
                       size_t n, struct leen_err *err)
{
  char hid[24];
  hh_i64(hid, household_id);
  for (size_t i = 0; i < n; i++) {
    const char *p[] = {hid, nonempty(c[i].first_name), c[i].birth_month};
    PGresult *r = db_exec(db, &stmts[S_CHILD_INSERT], 3, p, err);
    if (!r)
      return -1;
    PQclear(r);
  }
  return 0;
}

static int may_write(const struct leen_actor *a, struct leen_err *err)
{
  if (!leen_actor_has_role(a, LEEN_ROLE_VOLUNTEER))
    return leen_error(err, LEEN_E_FORBIDDEN, "households are managed at the counter");
  return 0;
}

/* ---- create ---- */

int hh_check_new(const struct leen_household_new *h, struct leen_err *err)
{
  const struct {
    unsigned bit;
    const char *v;
  } fields[] = {
    {LEEN_HOUSEHOLD_SET_NAME, h->name},         {LEEN_HOUSEHOLD_SET_EMAIL, h->email},
    {LEEN_HOUSEHOLD_SET_PHONE, h->phone},       {LEEN_HOUSEHOLD_SET_POSTCODE, h->postcode},
    {LEEN_HOUSEHOLD_SET_LANGUAGE, h->language ? h->language : "nl"},
  };
  for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
    if (hh_check_field(fields[i].bit, fields[i].v, err) < 0)
      return -1;
  if (h->nchildren > LEEN_HOUSEHOLD_MAX_CHILDREN)
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/children",
                            "a household has at most %d children", LEEN_HOUSEHOLD_MAX_CHILDREN);
  for (size_t i = 0; i < h->nchildren; i++)
    if (hh_check_child(&h->children[i], "/children", i, err) < 0)
      return -1;
  return 0;
}

int hh_insert(struct leen_db *db, const struct leen_actor *a, const struct leen_household_new *in,
              const char *external_id, int64_t *number_out, struct leen_err *err)
{
  char org[24];
  const char *ip[] = {hh_i64(org, a->org_id), in->name, nonempty(in->email),
                      nonempty(in->phone), nonempty(in->postcode),
                      in->language ? in->language : "nl", external_id};
  PGresult *r = db_exec(db, &stmts[S_INSERT], 7, ip, err);
  if (!r)
    return -1;
  int64_t id = db_int64(r, 0, 0), number = db_int64(r, 0, 1);
  PQclear(r);
  if (hh_insert_children(db, id, in->children, in->nchildren, err) < 0)
    return -1;
  char nb[24], details[64];
  snprintf(details, sizeof details, "{\"number\": %lld}", (long long)number);
  if (audit_log(db, a, "create", "household", hh_i64(nb, number), details, err) < 0)
    return -1;
  *number_out = number;
  return 0;
}

struct create_ctx {
  const struct leen_actor *a;
  const struct leen_household_new *in;
  struct leen_household out;
};

static int create_tx(struct leen_db *db, void *p, struct leen_err *err)
{
  struct create_ctx *c = p;
  leen_household_release(&c->out);
  int64_t number;
  if (hh_insert(db, c->a, c->in, NULL, &number, err) < 0)
    return -1;
  return hh_load(db, c->a, number, &c->out, err);
}

int leen_household_create(struct leen_db *db, const struct leen_actor *actor,
                          const struct leen_household_new *h, struct leen_household *out,
                          struct leen_err *err)
{
  memset(out, 0, sizeof *out);
  if (may_write(actor, err) < 0 || hh_check_new(h, err) < 0)
    return -1;
  struct create_ctx c = {.a = actor, .in = h};
  if (db_tx(db, create_tx, &c, err) < 0) {
    leen_household_release(&c.out);
    return -1;
  }
  *out = c.out;
  return 0;
}

/* ---- read ---- */

int leen_household_get(struct leen_db *db, const struct leen_actor *actor, int64_t number,
                       struct leen_household *out, struct leen_err *err)
{
  memset(out, 0, sizeof *out);
  /* social workers look a household up by number to issue a reduction */
  if (!leen_actor_has_role(actor, LEEN_ROLE_VOLUNTEER) &&
      !leen_actor_has_role(actor, LEEN_ROLE_SOCIAL_WORKER))
    return leen_error(err, LEEN_E_FORBIDDEN, NULL);
  return hh_load(db, actor, number, out, err);
}

/* "%" + name with LIKE's special characters escaped + "%" (no leading
 * "%" for a prefix match); malloc'ed. */
static char *like_pattern(const char *name, int prefix)
{
  size_t len = strlen(name);
  char *p = malloc(2 * len + 3);
  if (!p)
    return NULL;
  size_t k = 0;
  if (!prefix)
    p[k++] = '%';
  for (size_t i = 0; i < len; i++) {
    if (name[i] == '%' || name[i] == '_' || name[i] == '\\')
      p[k++] = '\\';
    p[k++] = name[i];
  }
  p[k++] = '%';
  p[k] = '\0';
  return p;
}

int leen_household_find(struct leen_db *db, const struct leen_actor *actor,
                        const struct leen_household_query *q, struct leen_household_list *out,
                        struct leen_err *err)
{
  memset(out, 0, sizeof *out);
  if (!leen_actor_has_role(actor, LEEN_ROLE_VOLUNTEER))
    return leen_error(err, LEEN_E_FORBIDDEN, "households are looked up at the counter");
  const char *name = nonempty(q->name);
  if (name && !hh_text_ok(name, 1, 200))
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/name",
                            "search for a name of 1 to 200 characters");
  const char *email = nonempty(q->email), *postcode = nonempty(q->postcode);
  if ((email && !hh_text_ok(email, 1, 254)) || (postcode && !hh_text_ok(postcode, 1, 10)))
    return leen_error_field(err, LEEN_E_INVALID_FIELD, email ? "/email" : "/postcode",
                            "the search text is too long or not valid text");
  if (q->number < 0 || q->number > INT32_MAX || q->after < 0 || q->after > INT32_MAX)
    return 0;
  size_t limit = q->limit == 0 ? 50 : q->limit > 200 ? 200 : q->limit;
  char *pattern = name ? like_pattern(name, q->name_prefix) : NULL;
  if (name && !pattern)
    return leen_error(err, LEEN_E_INTERNAL, "out of memory");
  char org[24], nb[24], after[24], lim[24];
  const char *p[] = {hh_i64(org, actor->org_id), hh_i64(nb, q->number), pattern, email, postcode,
                     hh_i64(after, q->after), hh_i64(lim, (int64_t)limit + 1)};
  PGresult *r = db_exec(db, &stmts[S_FIND], 7, p, err);
  free(pattern);
  if (!r)
    return -1;
  size_t rows = (size_t)PQntuples(r);
  size_t n = rows > limit ? limit : rows;
  int rc = 0;
  if (n > 0) {
    out->items = calloc(n, sizeof *out->items);
    if (!out->items)
      rc = -1;
  }
  for (size_t i = 0; i < n && rc == 0; i++) {
    out->n = i + 1;
    rc = row_to_household(r, (int)i, &out->items[i]);
  }
  PQclear(r);
  if (rc < 0) {
    leen_household_list_release(out);
    return leen_error(err, LEEN_E_INTERNAL, "out of memory");
  }
  out->next_after = rows > limit ? out->items[n - 1].number : 0;
  if (load_children(db, out->items, n, err) < 0) {
    leen_household_list_release(out);
    return -1;
  }
  return 0;
}
