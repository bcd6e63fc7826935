/* Internal to the importers (import_*.c). */
#ifndef LEEN_CLI_IMPORT_INT_H
#define LEEN_CLI_IMPORT_INT_H

#include "cli.h"

/* The column (0-based) whose header is one of names (NULL-terminated,
 * case-insensitive, surrounding spaces ignored), or -1. */
int imp_find_column(const struct cli_csv_record *header, const char *const *names);
/* Field col of rec, trimmed, into buf; "" when the column is absent. */
const char *imp_field(const struct cli_csv_record *rec, int col, char *buf, size_t size);
int imp_utf8_valid(const char *s);
/* Adds an error and returns -1 when rec is not as wide as header or not UTF-8. */
int imp_check_width(struct cli_import_batch *b, const struct cli_csv_record *header,
                    const struct cli_csv_record *rec);

struct imp_seen_slot {
  char *id;
  long line;
};
struct imp_seen {
  struct imp_seen_slot *slots;
  size_t n, cap;
};
/* Records id as seen on line; returns the earlier line when it was seen
 * before, else 0. */
long imp_seen(struct imp_seen *set, const char *id, long line);
void imp_seen_release(struct imp_seen *set);

#endif
