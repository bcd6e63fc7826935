/* The CLI maps the API's problem codes itself (it does not link core);
 * its table must agree with core's error table. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* What cli_report_problem writes to stderr for a problem (JSON text). */
static char *report(const char *problem_json, int *rc)
{
  cJSON *p = cJSON_Parse(problem_json);
  cr_assert(p, "bad JSON in the test: %s", problem_json);
  FILE *tmp = tmpfile();
  cr_assert(tmp);
  fflush(stderr);
  int saved = dup(STDERR_FILENO);
  cr_assert(saved >= 0);
  cr_assert(dup2(fileno(tmp), STDERR_FILENO) >= 0);
  struct cli_opts o = {0};
  *rc = cli_report_problem(&o, (long)cJSON_GetNumberValue(cJSON_GetObjectItem(p, "status")), p);
  fflush(stderr);
  dup2(saved, STDERR_FILENO);
  close(saved);
  cJSON_Delete(p);
  long n = ftell(tmp);
  char *text = calloc(1, (size_t)n + 1);
  rewind(tmp);
  cr_assert_eq(fread(text, 1, (size_t)n, tmp), (size_t)n);
  fclose(tmp);
  return text;
}

#define FIELD_PROBLEM(code, status, errors)                                                  \
  "{\"code\":\"" code "\",\"status\":" #status ",\"title\":\"t\",\"detail\":\"d\"," \
  "\"errors\":[" errors "]}"

/* The API's fixed phrasings (api/fields.c, api/query.c, core) in Dutch with
 * their numbers; free text gives the field's name only; a refusal its
 * sentence, and the field only when the sentence does not name it. */
static const struct {
  const char *problem;
  int exit_code;
  const char *err;
} cases[] = {
  {FIELD_PROBLEM("invalid_field", 422,
                 "{\"pointer\":\"/postcode\",\"detail\":\"must be a string of at most 4 characters\"}"),
   2, "leen: Een gegeven is niet geldig.\n  postcode: mag hoogstens 4 tekens lang zijn\n"},
  {FIELD_PROBLEM("invalid_field", 422,
                 "{\"pointer\":\"/children/1/first_name\",\"detail\":\"must be a string of 1 to 100 characters\"},"
                 "{\"pointer\":\"/slots\",\"detail\":\"must be a whole number from 1 to 10\"}"),
   2,
   "leen: Een gegeven is niet geldig.\n  voornaam: moet tekst van 1 tot 100 tekens zijn\n"
   "  aantal plaatsen: moet een geheel getal van 1 tot 10 zijn\n"},
  {FIELD_PROBLEM("invalid_amount", 422,
                 "{\"pointer\":\"/deposit_cents\",\"detail\":\"must be a whole number of cents from 0 to 100000000\"}"),
   2, "leen: Het bedrag is niet geldig.\n  waarborg: moet een bedrag van € 0,00 tot € 1000000,00 zijn\n"},
  {FIELD_PROBLEM("invalid_field", 422,
                 "{\"pointer\":\"/language\",\"detail\":\"must be one of nl, fr, en\"},"
                 "{\"pointer\":\"/household\",\"detail\":\"is required\"},"
                 "{\"pointer\":\"/method\",\"detail\":\"must not be null\"}"),
   2,
   "leen: Een gegeven is niet geldig.\n  taal: moet een van deze waarden zijn: nl, fr, en\n"
   "  gezin: is verplicht\n  betaalwijze: mag niet leeg zijn\n"},
  {FIELD_PROBLEM("unknown_field", 400,
                 "{\"pointer\":\"/colour\",\"detail\":\"is not a known field\"}"),
   2, "leen: Het verzoek bevat een gegeven dat de server niet kent.\n"
      "  colour: is een gegeven dat de server niet kent\n"},
  {FIELD_PROBLEM("invalid_date", 422,
                 "{\"pointer\":\"/valid_from\",\"detail\":\"must be a date that exists, as YYYY-MM-DD\"},"
                 "{\"pointer\":\"/valid_until\",\"detail\":\"valid_until is a date YYYY-MM-DD\"},"
                 "{\"parameter\":\"limit\",\"detail\":\"must be a whole number in range\"}"),
   2,
   "leen: De datum bestaat niet of is verkeerd geschreven (gebruik JJJJ-MM-DD).\n"
   "  begindatum: moet een datum zijn die bestaat, geschreven als JJJJ-MM-DD\n"
   "  einddatum: moet een datum zijn, geschreven als JJJJ-MM-DD\n"
   "  aantal: moet een geheel getal binnen de grenzen zijn\n"},
  {FIELD_PROBLEM("invalid_field", 422,
                 "{\"pointer\":\"/email\",\"detail\":\"\\\"x\\\" is not an e-mail address\"},"
                 "{\"pointer\":\"\",\"detail\":\"the patch changes nothing\"},"
                 "{\"pointer\":\"\",\"detail\":\"something new\"}"),
   2, "leen: Een gegeven is niet geldig.\n  e-mailadres\n  er is niets te wijzigen\n"},
  {FIELD_PROBLEM("invalid_field", 422,
                 "{\"parameter\":\"items\",\"detail\":\"no item has the code FB9999\"}"),
   2, "leen: Een gegeven is niet geldig.\n  voorwerpen: geen voorwerp heeft de code FB9999\n"},
  {FIELD_PROBLEM("already_returned", 409,
                 "{\"pointer\":\"/return_item\",\"detail\":\"item \\\"FB0002\\\" is not on loan\"}"),
   4, "leen: Het voorwerp is niet uitgeleend: het is al teruggebracht.\n"
      "  terug te brengen voorwerp\n"},
  {FIELD_PROBLEM("loan_limit_reached", 422,
                 "{\"pointer\":\"/household\",\"detail\":\"household 7 has 1 of 1 loans open\"}"),
   4, "leen: Het gezin leent al zoveel als zijn lidmaatschap toelaat.\n"},
  {FIELD_PROBLEM("not_found", 404,
                 "{\"pointer\":\"/category_id\",\"detail\":\"no category 9\"}"),
   3, "leen: Niet gevonden.\n  categorie\n"},
  {"{\"code\":\"forbidden\",\"status\":403,\"title\":\"t\",\"detail\":\"your role may not do this\"}", 5,
   "leen: Dat mag je niet doen met jouw rol of in deze bibliotheek.\n"},
};

Test(cli_errors, field_lines_in_dutch)
{
  unsetenv("LEEN_DEBUG");
  unsetenv("LANGUAGE");
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    int rc;
    char *err = report(cases[i].problem, &rc);
    cr_assert_eq(rc, cases[i].exit_code, "case %zu", i);
    cr_assert_str_eq(err, cases[i].err, "case %zu", i);
    free(err);
  }
}

Test(cli_errors, leen_debug_shows_the_api_detail)
{
  setenv("LEEN_DEBUG", "1", 1);
  int rc;
  char *err = report(cases[0].problem, &rc);
  cr_assert_str_eq(err, "leen: Een gegeven is niet geldig.\n"
                        "  postcode: must be a string of at most 4 characters\n");
  free(err);
  err = report(cases[11].problem, &rc);
  cr_assert_str_eq(err, "leen: Dat mag je niet doen met jouw rol of in deze bibliotheek.\n"
                        "  (your role may not do this)\n");
  free(err);
  setenv("LEEN_DEBUG", "0", 1);
  err = report(cases[11].problem, &rc);
  cr_assert_str_eq(err, "leen: Dat mag je niet doen met jouw rol of in deze bibliotheek.\n");
  free(err);
}
