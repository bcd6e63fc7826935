/* The one euro parser every command and the import use. */
#include <stdint.h>
#include <string.h>

#include "cli.h"
#include "tsupport.h"

TestSuite(cli_amount);

struct ok_case {
  const char *in;
  int64_t cents;
};

Test(cli_amount, accepted)
{
  static const struct ok_case cases[] = {
    {"20", 2000},        {"20,00", 2000},   {"20.00", 2000},       {"20,5", 2050},
    {"20.5", 2050},      {"0", 0},          {"0,01", 1},           {"0.99", 99},
    {"007", 700},        {"1000000", 100000000}, {"999999,99", 99999999}, {"12,34", 1234},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    int64_t c = -1;
    cr_assert_eq(cli_amount_parse(cases[i].in, &c), 0, "\"%s\" refused", cases[i].in);
    cr_assert_eq(c, cases[i].cents, "\"%s\" gave %lld", cases[i].in, (long long)c);
  }
}

Test(cli_amount, refused)
{
  static const char *const cases[] = {
    "",        " 20",      "20 ",      "-20",     "+20",       "20,001",   "20.001", "20,",
    "20.",     ",50",      ".50",      "1.000,00", "1,000.00", "1 000",    "20e2",   "€20",
    "20 EUR",  "twintig",  "0x20",     "20,0,0",  "1000000,01", "10000000", "nan",   "inf",
    "99999999999999999999", "2O",
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    int64_t c = 12345;
    cr_assert_eq(cli_amount_parse(cases[i], &c), -1, "\"%s\" accepted as %lld", cases[i],
                 (long long)c);
    cr_assert_eq(c, 12345, "\"%s\" touched the output", cases[i]);
  }
  int64_t c;
  cr_assert_eq(cli_amount_parse(NULL, &c), -1);
}

Test(cli_amount, formatted)
{
  char out[32];
  cr_assert_str_eq(cli_amount_format(2000, 0, out), "20,00");
  cr_assert_str_eq(cli_amount_format(2000, 1, out), "20.00");
  cr_assert_str_eq(cli_amount_format(5, 0, out), "0,05");
  cr_assert_str_eq(cli_amount_format(-1050, 0, out), "-10,50");
  cr_assert_str_eq(cli_amount_format(0, 1, out), "0.00");
  cr_assert_str_eq(cli_amount_format(100000000, 0, out), "1000000,00");
}

/* Through the binary: a refused amount is a Dutch sentence and exit 2,
 * before any request (no server and no token needed). */
Test(cli_amount, refused_by_the_commands)
{
  static const char *const argv_pay[] = {LEEN_CLI_BIN, "pay", "10042", "20,001", NULL};
  static const char *const argv_ret[] = {LEEN_CLI_BIN, "return", "FB0001", "--withhold", "vijf",
                                         "--reason", "kapot", NULL};
  static const char *const argv_en[] = {LEEN_CLI_BIN, "pay", "10042", "1.000,00", NULL};
  const char *env[] = {"LEEN_URL=http://127.0.0.1:1", "XDG_CONFIG_HOME=/nonexistent",
                       "LEEN_TOKEN=", "LANGUAGE=", "LANG=C", "LC_ALL=", NULL};
  struct ts_run r;
  ts_run(argv_pay, env, &r);
  cr_assert_eq(r.exit_code, 2, "%s", r.err);
  cr_assert_str_eq(r.err, "leen: \"20,001\" is geen bedrag in euro: schrijf bijvoorbeeld 20, 20,00 of 20.00\n");
  cr_assert_str_eq(r.out, "");
  ts_run_release(&r);
  ts_run(argv_ret, env, &r);
  cr_assert_eq(r.exit_code, 2, "%s", r.err);
  cr_assert(strstr(r.err, "\"vijf\" is geen bedrag in euro"), "%s", r.err);
  ts_run_release(&r);
  const char *env_en[] = {"LEEN_URL=http://127.0.0.1:1", "XDG_CONFIG_HOME=/nonexistent",
                          "LEEN_TOKEN=", "LANGUAGE=en", "LANG=C", "LC_ALL=", NULL};
  ts_run(argv_en, env_en, &r);
  cr_assert_eq(r.exit_code, 2, "%s", r.err);
  cr_assert(strstr(r.err, "\"1.000,00\" is not an amount in euro"), "%s", r.err);
  ts_run_release(&r);
}
