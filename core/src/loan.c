/* Check-out, return, swap and renew: each one call of a function in
 * sql/0005_circulation.sql, so one round trip and one transaction. The C
 * side checks what needs no database (role, shapes of fields) first. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "leen/item.h"
#include "loan_internal.h"

static const struct leen_stmt stmts[] = {
  {"loan_checkout",
   "SELECT * FROM leen_checkout($1::bigint, $2::bigint, $3::bigint[], $4, $5::integer,"
   " nullif($6::bigint, 0), $7::timestamptz, $8)"},
  {"loan_return",
   "SELECT * FROM leen_return($1::bigint, $2::bigint, $3::bigint[], $4, $5, $6::bigint, $7,"
   " string_to_array($8, chr(31)), $9::timestamptz)"},
  {"loan_swap",
   "SELECT * FROM leen_swap($1::bigint, $2::bigint, $3::bigint[], $4, $5, $6, $7)"},
  {"loan_renew", "SELECT * FROM leen_renew($1::bigint, $2::bigint, $3::bigint[], $4::bigint)"},
};
enum { S_CHECKOUT, S_RETURN, S_SWAP, S_RENEW };

static const char *const methods[] = {"cash", "payconiq", "transfer", "waived"};
static const char *const conditions[] = {"ok", "needs_cleaning", "needs_repair"};

static int one_of(const char *s, const char *const *set, size_t n)
{
  for (size_t i = 0; i < n; i++)
    if (strcmp(s, set[i]) == 0)
      return 1;
  return 0;
}

static int check_method(const char *m, struct leen_err *err)
{
  if (m && !one_of(m, methods, sizeof methods / sizeof methods[0]))
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/deposit_method",
                            "the deposit method is cash, payconiq, transfer or waived");
  return 0;
}

static int check_condition(const char *c, struct leen_err *err)
{
  if (c && !one_of(c, conditions, sizeof conditions / sizeof conditions[0]))
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/condition",
                            "the condition is ok, needs_cleaning or needs_repair");
  return 0;
}

/* A back-dated time is for imports and corrections: coordinators only. */
static int check_at(const struct leen_actor *who, const char *at, struct leen_err *err)
{
  if (!at)
    return 0;
  if (!leen_actor_has_role(who, LEEN_ROLE_COORDINATOR))
    return leen_error_field(err, LEEN_E_FORBIDDEN, "/at", "only a coordinator may back-date");
  if (!circ_valid_timestamp(at))
    return leen_error_field(err, LEEN_E_INVALID_DATE, "/at",
                            "\"at\" is not a date YYYY-MM-DD or an RFC 3339 time");
  return 0;
}

/* Any form a counter or scanner gives ("fb-0042", a label URL) is taken. */
static int item_code(char buf[16], const char *in, const char *field, struct leen_err *err)
{
  if (leen_item_code_normalize(in, buf) < 0)
    return leen_error_field(err, LEEN_E_NOT_FOUND, field, "no item \"%s\"", in ? in : "");
  return 0;
}

/* A server-side refusal of a date names the field it came from. */
static void name_field(struct leen_err *err, enum leen_code code, const char *field)
{
  if (err && err->code == code && !err->field[0])
    circ_copy(err->field, sizeof err->field, field);
}

/* Reads the single loan a call returned and clears the result. */
static int take_loan(PGresult *r, int row, struct leen_loan *out, struct leen_err *err)
{
  struct loan_cols c;
  loan_cols_find(r, &c);
  int rc = 0;
  if (PQntuples(r) <= row)
    rc = leen_error(err, LEEN_E_INTERNAL, "the database returned no loan");
  else if (loan_from_row(r, row, &c, out) < 0)
    rc = leen_error(err, LEEN_E_INTERNAL, "out of memory");
  return rc;
}

int leen_loan_checkout(struct leen_db *db, const struct leen_actor *who,
                       const struct leen_checkout *in, struct leen_loan *out, struct leen_err *err)
{
  memset(out, 0, sizeof *out);
  char code[16];
  if (circ_require(who, LEEN_ROLE_VOLUNTEER, err) < 0 ||
      item_code(code, in->item, "/item", err) < 0 ||
      check_method(in->deposit_method, err) < 0 || check_at(who, in->at, err) < 0)
    return -1;
  if (in->household <= 0)
    return leen_error_field(err, LEEN_E_NOT_FOUND, "/household", "no household %ld",
                            (long)in->household);
  if (in->child_id < 0)
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/child", "no child %lld",
                            (long long)in->child_id);
  struct circ_actor a;
  circ_actor_params(who, &a);
  char hh[24], child[24];
  const char *p[] = {a.user, a.org, a.libs, code, circ_i64(hh, in->household),
                     circ_i64(child, in->child_id), in->at, in->deposit_method};
  PGresult *r = circ_call(db, &stmts[S_CHECKOUT], 8, p, err);
  if (!r) {
    name_field(err, LEEN_E_INVALID_DATE, "/at");
    return -1;
  }
  int rc = take_loan(r, 0, out, err);
  PQclear(r);
  return rc;
}

/* The component names joined by the unit separator (malloc'ed), or NULL
 * with err when a name cannot be one. *joined stays NULL for none. */
static int join_components(const struct leen_return *in, char **joined, struct leen_err *err)
{
  *joined = NULL;
  if (in->nmissing == 0)
    return 0;
  if (!in->missing_components || in->nmissing > 100)
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/missing_components",
                            "at most 100 missing components");
  size_t total = 0;
  for (size_t i = 0; i < in->nmissing; i++) {
    const char *c = in->missing_components[i];
    size_t len = c ? strlen(c) : 0;
    int bad = len == 0 || circ_utf8_len(c) > 100;
    for (size_t k = 0; k < len && !bad; k++)
      bad = (unsigned char)c[k] < 0x20;
    if (bad)
      return leen_error_field(err, LEEN_E_INVALID_FIELD, "/missing_components",
                              "a component name is 1 to 100 characters of text");
    total += len + 1;
  }
  char *s = malloc(total);
  if (!s)
    return leen_error(err, LEEN_E_INTERNAL, "out of memory");
  size_t pos = 0;
  for (size_t i = 0; i < in->nmissing; i++) {
    size_t len = strlen(in->missing_components[i]);
    memcpy(s + pos, in->missing_components[i], len);
    pos += len;
    s[pos++] = i + 1 < in->nmissing ? '\x1f' : '\0';
  }
  *joined = s;
  return 0;
}

int leen_loan_return(struct leen_db *db, const struct leen_actor *who,
                     const struct leen_return *in, struct leen_loan *out, struct leen_err *err)
{
  memset(out, 0, sizeof *out);
  char code[16];
  if (circ_require(who, LEEN_ROLE_VOLUNTEER, err) < 0 ||
      item_code(code, in->item, "/item", err) < 0 ||
      check_condition(in->condition, err) < 0 || check_at(who, in->at, err) < 0)
    return -1;
  if (in->withheld_cents < 0 || in->withheld_cents > 100000000)
    return leen_error_field(err, LEEN_E_INVALID_AMOUNT, "/withheld_cents",
                            "withheld_cents is a whole number of cents from 0 to the deposit");
  if (in->withheld_reason &&
      (!in->withheld_reason[0] || circ_utf8_len(in->withheld_reason) > 500))
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/withheld_reason",
                            "the reason is 1 to 500 characters");
  if (in->withheld_cents > 0 && !in->withheld_reason)
    return leen_error_field(err, LEEN_E_INVALID_FIELD, "/withheld_reason",
                            "say why part of the deposit is withheld");
  char *missing;
  if (join_components(in, &missing, err) < 0)
    return -1;
  struct circ_actor a;
  circ_actor_params(who, &a);
  char withheld[24];
  const char *p[] = {a.user, a.org, a.libs, code, in->condition,
                     circ_i64(withheld, in->withheld_cents), in->withheld_reason, missing, in->at};
  PGresult *r = circ_call(db, &stmts[S_RETURN], 9, p, err);
  free(missing);
  if (!r) {
    name_field(err, LEEN_E_INVALID_DATE, "/at");
    return -1;
  }
  int rc = take_loan(r, 0, out, err);
  PQclear(r);
  return rc;
}

int leen_loan_swap(struct leen_db *db, const struct leen_actor *who, const struct leen_swap *in,
                   struct leen_swap_result *out, struct leen_err *err)
{
  memset(out, 0, sizeof *out);
  char back[16], code[16];
  if (circ_require(who, LEEN_ROLE_VOLUNTEER, err) < 0 ||
      item_code(back, in->return_item, "/return_item", err) < 0 ||
      item_code(code, in->item, "/item", err) < 0 ||
      check_condition(in->condition, err) < 0 || check_method(in->deposit_method, err) < 0)
    return -1;
  struct circ_actor a;
  circ_actor_params(who, &a);
  const char *p[] = {a.user, a.org, a.libs, back, code, in->condition, in->deposit_method};
  PGresult *r = circ_call(db, &stmts[S_SWAP], 7, p, err);
  if (!r)
    return -1;
  int rc = take_loan(r, 0, &out->returned, err);
  if (rc == 0 && take_loan(r, 1, &out->loan, err) < 0) {
    leen_loan_release(&out->returned);
    rc = -1;
  }
  PQclear(r);
  if (rc == 0)
    out->deposit_delta_cents = out->loan.deposit_cents - out->returned.deposit_cents;
  return rc;
}

void leen_swap_result_release(struct leen_swap_result *r)
{
  if (!r)
    return;
  leen_loan_release(&r->returned);
  leen_loan_release(&r->loan);
}

int leen_loan_renew(struct leen_db *db, const struct leen_actor *who, int64_t loan_id,
                    struct leen_loan *out, struct leen_err *err)
{
  memset(out, 0, sizeof *out);
  if (circ_require(who, LEEN_ROLE_VOLUNTEER, err) < 0)
    return -1;
  if (loan_id <= 0)
    return leen_error(err, LEEN_E_NOT_FOUND, "no loan %lld", (long long)loan_id);
  struct circ_actor a;
  circ_actor_params(who, &a);
  char id[24];
  const char *p[] = {a.user, a.org, a.libs, circ_i64(id, loan_id)};
  PGresult *r = circ_call(db, &stmts[S_RENEW], 4, p, err);
  if (!r)
    return -1;
  int rc = take_loan(r, 0, out, err);
  PQclear(r);
  return rc;
}
