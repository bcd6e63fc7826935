/* leen error codes: one X-macro table yields the enum, the machine name,
 * the HTTP status the API maps it to, the CLI exit code and a default
 * message. The core returns 0 / -1 and fills a struct leen_err. */
#ifndef LEEN_ERROR_H
#define LEEN_ERROR_H

#include <stdarg.h>

/* X(enum suffix, machine name, http status, cli exit, default message) */
#define LEEN_ERRORS(X) \
  X(OK,                   "ok",                   200, 0,  "ok") \
  X(INVALID_JSON,         "invalid_json",         400, 2,  "the request body is not valid JSON") \
  X(UNKNOWN_FIELD,        "unknown_field",        400, 2,  "the request has a field that is not known") \
  X(INVALID_FIELD,        "invalid_field",        422, 2,  "a field has an invalid value") \
  X(INVALID_AMOUNT,       "invalid_amount",       422, 2,  "an amount is not a whole number of cents in range") \
  X(INVALID_DATE,         "invalid_date",         422, 2,  "a date does not exist or is badly formed") \
  X(UNAUTHENTICATED,      "unauthenticated",      401, 5,  "log in first") \
  X(FORBIDDEN,            "forbidden",            403, 5,  "you are not allowed to do this") \
  X(NOT_FOUND,            "not_found",            404, 3,  "not found") \
  X(METHOD_NOT_ALLOWED,   "method_not_allowed",   405, 2,  "method not allowed") \
  X(PAYLOAD_TOO_LARGE,    "payload_too_large",    413, 2,  "the request body is too large") \
  X(ITEM_NOT_AVAILABLE,   "item_not_available",   409, 4,  "the item is not available") \
  X(ALREADY_RETURNED,     "already_returned",     409, 4,  "the item was already returned") \
  X(RESERVED_FOR_OTHER,   "reserved_for_other",   409, 4,  "the item is reserved for another household") \
  X(CONFLICT,             "conflict",             409, 4,  "the request conflicts with the current state") \
  X(MEMBERSHIP_REQUIRED,  "membership_required",  422, 4,  "the household has no active membership") \
  X(LOAN_LIMIT_REACHED,   "loan_limit_reached",   422, 4,  "all loan slots of the membership are in use") \
  X(ITEM_UNSAFE,          "item_unsafe",          422, 4,  "the item may not be lent: expired or not safety checked") \
  X(IDEMPOTENCY_MISMATCH, "idempotency_mismatch", 422, 4,  "the idempotency key was used with another request") \
  X(PRECONDITION_FAILED,  "precondition_failed",  412, 4,  "the resource changed since it was read") \
  X(PRECONDITION_REQUIRED,"precondition_required",428, 2,  "send If-Match with the ETag you read") \
  X(RATE_LIMITED,         "rate_limited",         429, 1,  "too many attempts, try again later") \
  X(DB_UNAVAILABLE,       "db_unavailable",       503, 69, "the database is not available") \
  X(BUSY,                 "busy",                 503, 69, "the server is busy, try again") \
  X(INTERNAL,             "internal",             500, 1,  "internal error")

enum leen_code {
#define LEEN_X_ENUM(e, name, http, exitc, msg) LEEN_E_##e,
  LEEN_ERRORS(LEEN_X_ENUM)
#undef LEEN_X_ENUM
  LEEN_E__COUNT
};

/* An error as the core reports it. Messages follow PostgreSQL's style:
 * short, lowercase, no final period. */
struct leen_err {
  enum leen_code code;
  char sqlstate[6];      /* "" when the error did not come from PostgreSQL */
  char field[64];        /* JSON pointer of the offending field, or "" */
  char message[256];
  char detail[256];
};

/* Machine name ("item_not_available"); never NULL. */
const char *leen_code_name(enum leen_code code);
/* HTTP status the API answers with for this code. */
int leen_code_http(enum leen_code code);
/* Exit code the CLI returns for this code. */
int leen_code_exit(enum leen_code code);
/* Default English message for the code; never NULL. */
const char *leen_code_message(enum leen_code code);
/* Looks a machine name up; LEEN_E_INTERNAL when unknown. */
enum leen_code leen_code_from_name(const char *name);

/* Fills err (which may be NULL) and returns -1, so callers can write
 * `return leen_error(err, LEEN_E_NOT_FOUND, "item %s", code);`.
 * fmt NULL uses the default message. */
int leen_error(struct leen_err *err, enum leen_code code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* As leen_error, and names the field (a JSON pointer such as "/slots"). */
int leen_error_field(struct leen_err *err, enum leen_code code, const char *field,
                     const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Resets err to LEEN_E_OK with empty strings. */
void leen_err_clear(struct leen_err *err);

#endif
