/* Internal to the leen CLI: the command table, the options every command
 * gets, the HTTP client of leen-api, output and the parsers (amounts, CSV)
 * that tests link through leen_cli_lib. The CLI never opens the database:
 * everything goes through the API. Messages a person reads are Dutch
 * msgids wrapped in _() (po/en.po has the English). */
#ifndef LEEN_CLI_H
#define LEEN_CLI_H

#include <cjson/cJSON.h>
#include <libintl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define _(s) gettext(s)
#define N_(s) (s)

/* Exit codes, listed in `leen --help`. */
enum {
  CLI_EXIT_OK = 0,
  CLI_EXIT_FAILURE = 1,
  CLI_EXIT_USAGE = 2,
  CLI_EXIT_NOT_FOUND = 3,
  CLI_EXIT_CONFLICT = 4,
  CLI_EXIT_AUTH = 5,
  CLI_EXIT_UNAVAILABLE = 69,
};

/* What every command gets: resolved once by the dispatcher. */
struct cli_opts {
  char *url;        /* API base URL, no trailing slash */
  char *token;      /* bearer token or NULL */
  int json;         /* --json: machine output on stdout */
  int csv;          /* --csv: lists as CSV on stdout */
  int color;        /* stdout is a terminal and NO_COLOR is not set */
  int color_err;    /* the same for stderr */
  int tty_err;      /* stderr is a terminal (progress) */
  int token_stored; /* the token came from the file `leen login` wrote */
};

/* Resolves options: flags > environment (LEEN_URL, LEEN_TOKEN) >
 * $XDG_CONFIG_HOME/leen/config (url) and $XDG_CONFIG_HOME/leen/token.
 * Returns 0, or -1 with a sentence on stderr. */
int cli_opts_resolve(struct cli_opts *o, const char *flag_url, const char *flag_token_file);
void cli_opts_release(struct cli_opts *o);

/* The path of the stored token ($XDG_CONFIG_HOME/leen/token, else
 * ~/.config/leen/token) into buf; -1 when neither variable is set. */
int cli_token_path(char *buf, size_t size);
/* Stores token with mode 0600 (the directory 0700); -1 with a sentence
 * on stderr. */
int cli_token_save(const char *token);
/* Removes the stored token; 0 also when there was none. */
int cli_token_remove(void);

/* ---- arguments: the dispatcher parses them from the command's table ---- */

#define CLI_MAX_ARGS 64
#define CLI_MAX_OPTS 64

enum {
  CLI_FLAG_MULTI = 1u << 0,
  CLI_FLAG_SHORT = 1u << 1,  /* also -x, x the first letter of its name (-o for --output) */
};

struct cli_flag {
  const char *name;   /* without "--" */
  const char *arg;    /* placeholder of its value ("SLUG"), or NULL for a switch */
  unsigned flags;     /* CLI_FLAG_MULTI: may be given more than once */
};

struct cli_args {
  const char *pos[CLI_MAX_ARGS];
  int npos;
  struct {
    const char *name;
    const char *value;  /* "" for a switch */
  } opt[CLI_MAX_OPTS];
  int nopt;
};

/* The (last) value of --name, "" for a switch that was given, or NULL. */
const char *cli_opt(const struct cli_args *a, const char *name);
/* Every value of a repeatable --name into vals (at most max); the count. */
int cli_opt_all(const struct cli_args *a, const char *name, const char **vals, int max);

enum {
  CLI_CMD_AUTH = 1u << 0,  /* needs a token (cli_api_call refuses to send without) */
  CLI_CMD_CSV = 1u << 1,   /* a list: --csv is accepted */
};

struct cli_command {
  const char *name;    /* "item add" */
  const char *usage;   /* positional arguments, e.g. "VOORWERP GEZIN" */
  const char *help;    /* one line, a Dutch msgid */
  int min_args, max_args;
  const struct cli_flag *flags;  /* ends with {NULL}; may be NULL */
  unsigned kind;       /* CLI_CMD_* */
  int (*run)(const struct cli_opts *o, const struct cli_args *a);
};

/* Prints "leen: <sentence>" to stderr (red on a terminal) and returns
 * CLI_EXIT_USAGE, so a command can `return cli_usage_error(o, ...)`. */
int cli_usage_error(const struct cli_opts *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Prints "leen: <sentence>" to stderr and returns code. */
int cli_fail(const struct cli_opts *o, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Runs the CLI; returns the exit code. */
int cli_main(int argc, char **argv);
/* Sets up gettext: LC_MESSAGES and LC_CTYPE from the environment only. */
void cli_i18n_init(const char *argv0);

/* ---- HTTP ---- */

enum {
  CLI_REQ_IDEMPOTENT = 1u << 0,  /* send a fresh random Idempotency-Key */
  CLI_REQ_NO_AUTH = 1u << 1,     /* do not send the token */
  CLI_REQ_RAW = 1u << 2,         /* the answer is bytes (PDF, image, CSV), not JSON */
};

/* A response header a caller asks for by name; value gets it ("" when the
 * answer has none; longer values are cut). Lists end with name NULL. */
struct cli_header {
  const char *name;
  char value[128];
};

struct cli_request {
  const char *method;
  const char *path;      /* starting with "/" */
  const char *body;      /* JSON text or NULL */
  const char *if_match;  /* ETag to send in If-Match, or NULL */
  const char *idempotency_key;  /* NULL: a fresh one when CLI_REQ_IDEMPOTENT */
  unsigned flags;
  struct cli_header *headers;   /* response headers to fill in, or NULL */
};

struct cli_response {
  long status;       /* 0 when the server could not be reached */
  char *body;        /* NUL-terminated, owned */
  size_t len;
  char etag[128];    /* the ETag header, or "" */
  int retry_after;   /* seconds from Retry-After, 0 when absent */
  char error[256];   /* transport error when status is 0 */
  struct cli_header *headers;  /* the request's, filled in */
};

/* Sends one request to o->url + rq->path. Returns 0 when an HTTP answer
 * came (any status), -1 when the server could not be reached. */
int cli_http(const struct cli_opts *o, const struct cli_request *rq, struct cli_response *resp);
void cli_response_release(struct cli_response *resp);
/* The Dutch name of a role ("volunteer" -> "vrijwilliger"). */
const char *cli_role_name(const char *role);
/* A random key of 32 hex digits into out[33]. */
void cli_random_key(char out[33]);

/* ---- the API: requests as JSON, problems as Dutch sentences ---- */

struct cli_call {
  const char *method;
  const char *path;
  const cJSON *body;      /* may be NULL */
  unsigned flags;         /* CLI_REQ_* */
  const char *if_match;   /* may be NULL */
  const char *idempotency_key;  /* may be NULL */
  int quiet;              /* nonzero: print no sentence on failure */
  struct cli_header *headers;  /* may be NULL: response headers to fill in */
  /* filled */
  long status;
  char etag[128];
  cJSON *out;             /* the parsed answer (owned; cJSON_Delete) or NULL */
  char code[48];          /* problem code on failure, else "" */
  char *raw;              /* CLI_REQ_RAW: the 2xx answer's bytes (owned; free), else NULL */
  size_t raw_len;
};

/* Runs c. Returns 0 on a 2xx answer with c->out set (NULL for 204), or
 * with CLI_REQ_RAW c->raw; otherwise prints the Dutch sentence for the
 * problem (unless quiet) and returns the exit code. */
int cli_api_call(const struct cli_opts *o, struct cli_call *c);
/* Shorthand: method and path, body (borrowed), flags; *out gets the answer
 * (may be NULL to drop it). */
int cli_api(const struct cli_opts *o, const char *method, const char *path, const cJSON *body,
            unsigned flags, cJSON **out);
/* Prints the problem an answer holds and returns its exit code. */
int cli_report_problem(const struct cli_opts *o, long status, const cJSON *problem);
/* The exit code of a problem code ("not_found" -> 3); by HTTP status when
 * the code is unknown. */
int cli_code_exit(const char *code, long status);
/* The Dutch sentence for a problem code, or NULL when unknown. */
const char *cli_code_sentence(const char *code);
/* Calls every entry of the code table (for tests). */
void cli_codes_each(void (*fn)(const char *code, int exit_code, void *ctx), void *ctx);

/* ---- downloads (download.c) ---- */

/* What is written: text may go to a terminal, a binary (PDF, PNG) not. */
enum { CLI_OUT_TEXT = 0, CLI_OUT_BINARY = 1 };

/* Writes data to dest: "-" (or NULL) is standard output, which a binary
 * (CLI_OUT_BINARY) is refused to when it is a terminal; a file is written
 * whole to a temporary file beside it and renamed over it, so a failure
 * leaves dest as it was and no partial file behind. Returns 0, or an
 * exit code with a sentence on stderr. */
int cli_write_output(const struct cli_opts *o, const char *dest, const void *data, size_t len,
                     int binary);
/* Refuses a binary download to a terminal before anything is asked of the
 * server: 0, or CLI_EXIT_USAGE with a sentence. */
int cli_check_output(const struct cli_opts *o, const char *dest, int binary);
/* The -o (--output) a download command requires, checked as above: 0
 * with *dest, or CLI_EXIT_USAGE with a sentence naming example. */
int cli_output_arg(const struct cli_opts *o, const struct cli_args *a, const char *example,
                   int binary, const char **dest);
struct cli_buf;
/* GETs the path built in path (CLI_REQ_RAW) and writes the answer's bytes
 * as they are with cli_write_output. A path that ran out of memory while
 * it was built, or a problem answer, gives its sentence and exit code and
 * writes nothing. */
int cli_download(const struct cli_opts *o, const struct cli_buf *path, const char *dest,
                 int binary);
/* cli_download that also fills headers (may be NULL) from the answer. */
int cli_download_headers(const struct cli_opts *o, const struct cli_buf *path, const char *dest,
                         int binary, struct cli_header *headers);

/* ---- strings ---- */

struct cli_buf {
  char *data;   /* NUL-terminated once anything was added */
  size_t len, cap;
  int oom;
};
void cli_buf_add(struct cli_buf *b, const char *s);
void cli_buf_addf(struct cli_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Adds s percent-encoded for a path segment or query value. */
void cli_buf_add_escaped(struct cli_buf *b, const char *s);
/* Adds "?name=value" or "&name=value" (value escaped); NULL value: nothing. */
void cli_buf_query(struct cli_buf *b, const char *name, const char *value);
void cli_buf_release(struct cli_buf *b);

/* An item code as people type it or a label URL: the part after the last
 * "/", so a scanned URL works. Never NULL for non-NULL s. */
const char *cli_item_arg(const char *s);
/* Parses a whole number in [min, max]; -1 when s is anything else. */
int cli_parse_int(const char *s, int64_t min, int64_t max, int64_t *out);
/* A strict YYYY-MM-DD that exists; 0 or -1. */
int cli_parse_date(const char *s);
/* A strict YYYY-MM; 0 or -1. */
int cli_parse_month(const char *s);

/* ---- arguments people give (lookup.c); each returns 0 or an exit code,
 * with a sentence on stderr ---- */

/* A category by id, or by name within library (looked up). */
int cli_category_id(const struct cli_opts *o, const char *library, const char *arg, int64_t *id);
/* Every --attr KEY=VALUE as a JSON object (*out NULL when none; owned). */
int cli_attributes(const struct cli_opts *o, const struct cli_args *a, cJSON **out);
/* A household's member number. */
int cli_parse_household(const struct cli_opts *o, const char *s, int64_t *number);
/* An amount in euro (cli_amount_parse), refused with a Dutch sentence. */
int cli_parse_amount_arg(const struct cli_opts *o, const char *s, int64_t *cents);
/* A payment method: cash/contant, payconiq, transfer/overschrijving,
 * waived/kwijtschelding; *method gets the API's name. */
int cli_parse_method(const struct cli_opts *o, const char *s, const char **method);
/* The Dutch word for an API payment method. */
const char *cli_method_name(const char *method);
/* A return condition: ok, wassen (needs_cleaning), herstellen
 * (needs_repair), or the API's names. */
int cli_parse_condition(const struct cli_opts *o, const char *s, const char **condition);
/* "Het voorwerp is nu: ..." for an item's status after a return. */
void cli_print_item_status(const char *status);
/* A date given with --flag. */
int cli_parse_date_arg(const struct cli_opts *o, const char *flag, const char *s);

/* Returns from the calling command when a check gives an exit code. */
#define CLI_TRY(expr)              \
  do {                             \
    int cli_try_rc_ = (expr);      \
    if (cli_try_rc_ != CLI_EXIT_OK) \
      return cli_try_rc_;          \
  } while (0)

/* ---- amounts in euro ---- */

/* Parses an amount in euro: "20", "20,00", "20.00", "20,5" (1 or 2
 * decimals after a comma or point), at most 1 000 000 euro. Returns 0 with
 * *cents, or -1 for anything else (signs, spaces, thousands separators,
 * letters, three decimals, empty). */
int cli_amount_parse(const char *s, int64_t *cents);
/* Formats cents as "20,00" (human: decimal comma) or "20.00" (machine)
 * into out[32]; negative amounts get a leading "-". Returns out. */
char *cli_amount_format(int64_t cents, int machine, char out[32]);

/* ---- output ---- */

enum cli_fmt {
  CLI_F_TEXT,       /* a string or number as it is */
  CLI_F_CODE,       /* an item code: FB-0042 for people */
  CLI_F_MONEY,      /* *_cents: "€ 20,00" for people */
  CLI_F_STATUS,     /* item status in Dutch */
  CLI_F_RES_STATUS, /* reservation status in Dutch */
  CLI_F_BOOL,       /* ja / nee */
  CLI_F_REDUCTION,  /* {active, valid_until}: "verlaagd tot ..." */
  CLI_F_CHILDREN,   /* [{first_name, birth_month}] */
  CLI_F_LEVEL,      /* reduction level */
  CLI_F_DATETIME,   /* RFC 3339: "2026-11-21 10:12" for people */
  CLI_F_ATTRS,      /* an object as "key: value, key: value" */
};

struct cli_col {
  const char *field;   /* JSON member, may be dotted ("reduction.valid_until") */
  const char *header;  /* Dutch msgid */
  enum cli_fmt fmt;
};

/* Prints items (a JSON array) as a table (human; columns empty in every
 * row are left out), CSV (o->csv: columns named by field, raw values) or
 * JSON (o->json: the array). */
void cli_print_list(const struct cli_opts *o, const cJSON *items, const struct cli_col *cols);
/* Characters (code points) in a UTF-8 string: the columns it takes on a
 * terminal, and what length limits count. */
size_t cli_chars(const char *s);
/* Prints one record as "label: value" lines, or as JSON. */
void cli_print_record(const struct cli_opts *o, const cJSON *obj, const struct cli_col *cols);
/* Prints JSON on one line to stdout. */
void cli_print_json(const cJSON *j);
/* The human text of a field of obj in fmt into out; "" for null/absent. */
void cli_format_field(const cJSON *obj, const char *field, enum cli_fmt fmt, char *out,
                      size_t size);
/* A member by dotted path, or NULL. */
const cJSON *cli_json_path(const cJSON *obj, const char *path);
/* String or number member as text ("" when absent or null). */
const char *cli_json_str(const cJSON *obj, const char *name);
int64_t cli_json_int(const cJSON *obj, const char *name);
/* The Dutch word for an item status ("available" -> "beschikbaar"). */
const char *cli_status_name(const char *status);
/* An item status from its API or Dutch name; NULL when unknown. */
const char *cli_status_parse(const char *s);
/* Wraps text in a colour when on: "1" bold, "31" red, "32" green, ... */
const char *cli_color(int on, const char *sgr);

/* Follows next_cursor: GETs path (that may already have a query) until
 * limit items (0: every page) and returns them in *items (owned array).
 * Returns 0 or an exit code; *more says whether items were left. */
int cli_fetch_list(const struct cli_opts *o, const char *path, int limit, cJSON **items,
                   int *more);

/* ---- CSV (RFC 4180 with the usual variants) ---- */

struct cli_csv {
  const char *buf;
  size_t len, pos;
  char sep;           /* ',' or ';', from the header line */
  long line;          /* line of the next record (1-based) */
};

struct cli_csv_record {
  char **fields;      /* owned strings */
  size_t n;
  long line;          /* the line it starts on */
  char error[160];    /* why it is malformed, when cli_csv_next returned -1 */
};

/* Starts reading buf (skips a UTF-8 BOM) and picks the separator: ';' or
 * ',', whichever occurs more often outside quotes in the first line. */
void cli_csv_open(struct cli_csv *p, const char *buf, size_t len);
/* Reads the next record, skipping blank lines. Returns 1 with rec filled,
 * 0 at the end, or -1 for a malformed record (rec->line and rec->error
 * say where and why; reading goes on with the next line). rec's fields
 * are released by the next call and by cli_csv_record_release. */
int cli_csv_next(struct cli_csv *p, struct cli_csv_record *rec);
void cli_csv_record_release(struct cli_csv_record *rec);
/* Writes one CSV field (quoted when needed) to f. */
void cli_csv_write_field(FILE *f, const char *s);

/* ---- import ---- */

struct cli_import_error {
  long line;
  char reason[200];
};

/* What reading a file gives: rows to send and rows refused. */
struct cli_import_batch {
  cJSON *rows;                      /* array of row objects with "line" */
  struct cli_import_error *errors;  /* owned */
  size_t nerrors, cap;
  long nrecords;                    /* data records read (good and bad) */
  const char *format;               /* "myturn" or "leen" */
};
void cli_import_batch_release(struct cli_import_batch *b);
void cli_import_error_add(struct cli_import_batch *b, long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Reads a MyTurn item export or leen's own items CSV into b: each good
 * record becomes a row of POST /v1/imports/items, each bad one an error.
 * Returns 0, or -1 with a sentence in why (the file as a whole is
 * unusable: no header, unknown columns). */
int cli_import_items_read(const char *buf, size_t len, struct cli_import_batch *b, char *why,
                          size_t whysize);
/* The same for a households CSV (POST /v1/imports/households). */
int cli_import_households_read(const char *buf, size_t len, struct cli_import_batch *b,
                               char *why, size_t whysize);

/* ---- commands (one cmd_<noun>.c each) ---- */

extern const struct cli_command cli_cmd_login, cli_cmd_logout, cli_cmd_status;
extern const struct cli_command cli_cmd_item_add, cli_cmd_item_list, cli_cmd_item_show,
    cli_cmd_item_set_status;
extern const struct cli_command cli_cmd_household_add, cli_cmd_household_find,
    cli_cmd_household_show, cli_cmd_household_edit;
extern const struct cli_command cli_cmd_membership_start;
extern const struct cli_command cli_cmd_checkout, cli_cmd_return, cli_cmd_swap, cli_cmd_renew,
    cli_cmd_loans;
extern const struct cli_command cli_cmd_reservation_add, cli_cmd_reservation_list,
    cli_cmd_reservation_cancel;
extern const struct cli_command cli_cmd_reduction_issue, cli_cmd_reduction_revoke,
    cli_cmd_reduction_list;
extern const struct cli_command cli_cmd_voucher_redeem, cli_cmd_pay;
extern const struct cli_command cli_cmd_import_items, cli_cmd_import_households;
extern const struct cli_command cli_cmd_labels_templates, cli_cmd_labels_print, cli_cmd_item_label;
extern const struct cli_command cli_cmd_household_card, cli_cmd_reduction_letter;
extern const struct cli_command cli_cmd_stats_monthly;

#endif
