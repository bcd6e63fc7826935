/* The CLI maps the API's problem codes itself (it does not link core);
 * its table must agree with core's error table. */
#include <string.h>

#include "cli.h"
#include "leen/error.h"
#include "tsupport.h"

TestSuite(cli_errors);

static void check(const char *code, int exit_code, void *ctx)
{
  int *n = ctx;
  enum leen_code c = leen_code_from_name(code);
  cr_assert(c != LEEN_E_INTERNAL || strcmp(code, "internal") == 0, "unknown code %s", code);
  cr_assert_eq(exit_code, leen_code_exit(c), "%s: cli %d, core %d", code, exit_code,
               leen_code_exit(c));
  cr_assert(cli_code_sentence(code), "%s has no sentence", code);
  (*n)++;
}

Test(cli_errors, table_matches_core)
{
  int n = 0;
  cli_codes_each(check, &n);
  /* every code of core (but "ok") is in the CLI's table */
  cr_assert_eq(n, LEEN_E__COUNT - 1, "cli has %d codes, core %d", n, LEEN_E__COUNT - 1);
}

Test(cli_errors, unknown_codes_by_status)
{
  cr_assert_eq(cli_code_exit("something_new", 404), 3);
  cr_assert_eq(cli_code_exit("something_new", 409), 4);
  cr_assert_eq(cli_code_exit("something_new", 401), 5);
  cr_assert_eq(cli_code_exit("something_new", 403), 5);
  cr_assert_eq(cli_code_exit(NULL, 503), 69);
  cr_assert_eq(cli_code_exit(NULL, 502), 69);
  cr_assert_eq(cli_code_exit(NULL, 500), 1);
  cr_assert_eq(cli_code_exit(NULL, 422), 2);
  cr_assert_null(cli_code_sentence("something_new"));
}
