/* What people read when leen-api refuses: the Dutch sentence, Dutch field
 * names and reasons, never the API's English detail; LANGUAGE=en and
 * LEEN_DEBUG=1 show that detail. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ct.h"

static struct ct_env e;
static void setup(void) { ct_setup(&e); }
static void teardown(void) { ct_teardown(&e); }
TestSuite(cli_problems, .init = setup, .fini = teardown, .timeout = 120);

/* Asserts no word of three or more ASCII letters of detail is in text. */
static void no_word_of(const char *detail, const char *text)
{
  for (const char *p = detail; *p;) {
    size_t n = 0;
    while (isalpha((unsigned char)p[n]))
      n++;
    if (n >= 3) {
      char word[64];
      snprintf(word, sizeof word, "%.*s", (int)n, p);
      cr_assert_null(strstr(text, word), "\"%s\" of \"%s\" in: %s", word, detail, text);
    }
    p += n ? n : 1;
  }
}

/* A household with a one-slot membership and one loan: a second checkout
 * is refused, a swap naming an item not on loan too. */
Test(cli_problems, a_refusal_is_only_the_dutch_sentence)
{
  CT_NEED_ROUTE(&e, "POST", "/v1/households/{number}/memberships");
  CT_NEED_ROUTE(&e, "POST", "/v1/loans");
  CT_NEED_ROUTE(&e, "POST", "/v1/swaps");
  char num[24], c1[16], c2[16], c3[16];
  snprintf(num, sizeof num, "%lld", (long long)ct_household(&e, "Gezin Peeters"));
  ct_item(&e, "fietsbieb", e.cat_bike, "Btwin 16", c1);
  ct_item(&e, "fietsbieb", e.cat_bike, "Btwin 14", c2);
  ct_item(&e, "fietsbieb", e.cat_bike, "Loopfiets", c3);
  struct ts_run r;
  ct_leen(&e, CT_VOLUNTEER, &r, "membership", "start", num, "--library", "fietsbieb", "--slots",
          "1", "--payment", "contant");
  cr_assert_eq(r.exit_code, 0, "%s", r.err);
  ts_run_release(&r);
  ct_leen(&e, CT_VOLUNTEER, &r, "checkout", c1, num, "--deposit-method", "contant");
  cr_assert_eq(r.exit_code, 0, "%s", r.err);
  ts_run_release(&r);

  ct_leen(&e, CT_VOLUNTEER, &r, "checkout", c2, num, "--deposit-method", "contant");
  cr_assert_eq(r.exit_code, 4, "%s", r.err);
  cr_assert_str_eq(r.err, "leen: Het gezin leent al zoveel als zijn lidmaatschap toelaat.\n");
  char *plain = strdup(r.err);
  ts_run_release(&r);

  /* the same refusal for someone debugging: the API's detail is there */
  const char *debug[] = {"LEEN_DEBUG=1", NULL};
  const char *const args[] = {"checkout", c2, num, "--deposit-method", "contant", NULL};
  ct_leenv(&e, CT_VOLUNTEER, debug, args, &r);
  cr_assert_eq(r.exit_code, 4, "%s", r.err);
  const char *line = strstr(r.err, "\n  gezin: ");
  cr_assert(line, "%s", r.err);
  const char *detail = line + strlen("\n  gezin: ");
  cr_assert(strstr(detail, "loans open"), "%s", r.err);
  no_word_of(detail, plain);
  ts_run_release(&r);
  free(plain);

  /* a swap whose first item is not on loan: which of the two it is */
  ct_leen(&e, CT_VOLUNTEER, &r, "swap", c3, c2);
  cr_assert_eq(r.exit_code, 4, "%s", r.err);
  cr_assert_str_eq(r.err, "leen: Het voorwerp is niet uitgeleend: het is al teruggebracht.\n"
                          "  terug te brengen voorwerp\n");
  ts_run_release(&r);
}

/* Fields the API's readers check: the Dutch name and reason with the
 * API's numbers and values. */
Test(cli_problems, a_field_error_gives_the_dutch_field_and_reason)
{
  CT_NEED_ROUTE(&e, "POST", "/v1/households");
  struct ts_run r;
  ct_leen(&e, CT_VOLUNTEER, &r, "household", "add", "--name", "Gezin Maes", "--postcode", "12345",
          "--language", "xx");
  cr_assert_eq(r.exit_code, 2, "%s", r.err);
  cr_assert_str_eq(r.err, "leen: Een gegeven is niet geldig.\n"
                          "  postcode: mag hoogstens 4 tekens lang zijn\n"
                          "  taal: moet een van deze waarden zijn: nl, fr, en, de, ar, tr, uk, ru, "
                          "ro, pl, so, ti, prs, ps\n");
  ts_run_release(&r);
  cr_assert_eq(ct_sql_int(&e, "SELECT count(*) FROM households WHERE name = 'Gezin Maes'"), 0);
}

/* In English, or with LEEN_DEBUG=1, the API's own detail is kept. */
Test(cli_problems, english_and_debug_show_the_api_detail)
{
  CT_NEED_ROUTE(&e, "POST", "/v1/households");
  const char *const args[] = {"household", "add", "--name", "Gezin Maes", "--postcode", "12345",
                              NULL};
  static const struct {
    const char *env;
    const char *sentence;
    const char *field;
  } cases[] = {
    {"LANGUAGE=en", "leen: A value is not valid.\n", "postcode"},
    {"LEEN_DEBUG=1", "leen: Een gegeven is niet geldig.\n", "postcode"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    const char *env[] = {cases[i].env, NULL};
    struct ts_run r;
    ct_leenv(&e, CT_VOLUNTEER, env, args, &r);
    cr_assert_eq(r.exit_code, 2, "%s: %s", cases[i].env, r.err);
    char want[256];
    snprintf(want, sizeof want, "%s  %s: must be a string of at most 4 characters\n",
             cases[i].sentence, cases[i].field);
    cr_assert_str_eq(r.err, want, "%s", cases[i].env);
    ts_run_release(&r);
  }
}
