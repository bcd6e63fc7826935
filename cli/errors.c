/* The API's problem codes as Dutch sentences and exit codes. The CLI does
 * not link core, so this table mirrors the exit column of
 * core/include/leen/error.h by code name (a test compares the two). */
#include <string.h>

#include "cli.h"

struct code_entry {
  const char *code;
  int exit_code;
  const char *sentence;  /* Dutch msgid */
};

static const struct code_entry codes[] = {
  {"invalid_json", 2, N_("De server begreep het verzoek niet.")},
  {"unknown_field", 2, N_("Het verzoek bevat een gegeven dat de server niet kent.")},
  {"invalid_field", 2, N_("Een gegeven is niet geldig.")},
  {"invalid_amount", 2, N_("Het bedrag is niet geldig.")},
  {"invalid_date", 2, N_("De datum bestaat niet of is verkeerd geschreven (gebruik JJJJ-MM-DD).")},
  {"unauthenticated", 5,
   N_("Je bent niet aangemeld of je aanmelding is verlopen. Meld je aan met: leen login")},
  {"forbidden", 5, N_("Dat mag je niet doen met jouw rol of in deze bibliotheek.")},
  {"not_found", 3, N_("Niet gevonden.")},
  {"method_not_allowed", 2, N_("Deze server laat dit verzoek niet toe.")},
  {"payload_too_large", 2, N_("Het verzoek is te groot voor de server.")},
  {"item_not_available", 4, N_("Het voorwerp is niet beschikbaar om uit te lenen.")},
  {"already_returned", 4, N_("Het voorwerp is niet uitgeleend: het is al teruggebracht.")},
  {"reserved_for_other", 4, N_("Het voorwerp is gereserveerd voor een ander gezin.")},
  {"conflict", 4, N_("Dat kan niet in de huidige toestand.")},
  {"membership_required", 4,
   N_("Het gezin heeft geen geldig lidmaatschap in deze bibliotheek. Start er een met: leen "
      "membership start")},
  {"loan_limit_reached", 4,
   N_("Het gezin leent al zoveel als zijn lidmaatschap toelaat.")},
  {"item_unsafe", 4,
   N_("Het voorwerp mag niet uitgeleend worden: het is vervallen of niet veiligheidsgecontroleerd.")},
  {"idempotency_mismatch", 4,
   N_("Deze aanvraag botst met een eerdere aanvraag met dezelfde sleutel.")},
  {"precondition_failed", 4,
   N_("Iemand anders heeft dit intussen gewijzigd. Bekijk het opnieuw en probeer nog eens.")},
  {"precondition_required", 2, N_("De server wil eerst de huidige versie zien (If-Match).")},
  {"rate_limited", 1, N_("Te veel pogingen na elkaar. Wacht even en probeer opnieuw.")},
  {"db_unavailable", 69, N_("De databank is niet bereikbaar. Probeer het later opnieuw.")},
  {"busy", 69, N_("De server heeft het te druk. Probeer het zo dadelijk opnieuw.")},
  {"internal", 1, N_("Er ging iets mis op de server.")},
};

static const struct code_entry *find(const char *code)
{
  for (size_t i = 0; code && i < sizeof codes / sizeof codes[0]; i++)
    if (strcmp(codes[i].code, code) == 0)
      return &codes[i];
  return NULL;
}

int cli_code_exit(const char *code, long status)
{
  const struct code_entry *e = find(code);
  if (e)
    return e->exit_code;
  if (status == 401 || status == 403)
    return CLI_EXIT_AUTH;
  if (status == 404)
    return CLI_EXIT_NOT_FOUND;
  if (status == 409 || status == 412)
    return CLI_EXIT_CONFLICT;
  if (status == 502 || status == 503 || status == 504)
    return CLI_EXIT_UNAVAILABLE;
  if (status == 400 || status == 422)
    return CLI_EXIT_USAGE;
  return CLI_EXIT_FAILURE;
}

const char *cli_code_sentence(const char *code)
{
  const struct code_entry *e = find(code);
  return e ? _(e->sentence) : NULL;
}

void cli_codes_each(void (*fn)(const char *code, int exit_code, void *ctx), void *ctx)
{
  for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
    fn(codes[i].code, codes[i].exit_code, ctx);
}
