/* Requests to leen-api as JSON; a problem answer becomes a Dutch sentence
 * on stderr and an exit code. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Dutch names of the fields the API names in its errors. */
static const struct {
  const char *field;
  const char *name;  /* Dutch msgid */
} field_names[] = {
  {"item", N_("voorwerp")},
  {"return_item", N_("terug te brengen voorwerp")},
  {"household", N_("gezin")},
  {"library", N_("bibliotheek")},
  {"category", N_("categorie")},
  {"category_id", N_("categorie")},
  {"child", N_("kind")},
  {"child_id", N_("kind")},
  {"children", N_("kinderen")},
  {"first_name", N_("voornaam")},
  {"birth_month", N_("geboortemaand")},
  {"condition", N_("toestand")},
  {"withheld_cents", N_("ingehouden bedrag")},
  {"withheld_reason", N_("reden")},
  {"missing_components", N_("ontbrekende onderdelen")},
  {"amount_cents", N_("bedrag")},
  {"deposit_cents", N_("waarborg")},
  {"method", N_("betaalwijze")},
  {"deposit_method", N_("betaalwijze van de waarborg")},
  {"payment", N_("betaalwijze")},
  {"kind", N_("soort")},
  {"slots", N_("aantal plaatsen")},
  {"valid_from", N_("begindatum")},
  {"valid_until", N_("einddatum")},
  {"wanted_from", N_("vanaf-datum")},
  {"name", N_("naam")},
  {"email", N_("e-mailadres")},
  {"phone", N_("telefoonnummer")},
  {"postcode", N_("postcode")},
  {"language", N_("taal")},
  {"code", N_("code")},
  {"status", N_("status")},
  {"level", N_("niveau")},
  {"reference", N_("dossierreferentie")},
  {"expires_on", N_("vervaldatum")},
  {"at", N_("tijdstip")},
  {"username", N_("gebruikersnaam")},
  {"password", N_("wachtwoord")},
  {"limit", N_("aantal")},
  {"items", N_("voorwerpen")},
  {"template", N_("etikettenvel")},
};

/* The last named segment of a JSON pointer ("/children/0/first_name" ->
 * "first_name") into out; "" when there is none. */
static const char *last_segment(const char *pointer, char *out, size_t size)
{
  const char *end = pointer + strlen(pointer), *seg = NULL;
  while (end > pointer) {
    const char *s = end;
    while (s > pointer && s[-1] != '/')
      s--;
    if (s < end && !(*s >= '0' && *s <= '9')) {
      seg = s;
      break;
    }
    end = s > pointer ? s - 1 : pointer;
  }
  snprintf(out, size, "%.*s", seg ? (int)(end - seg) : 0, seg ? seg : "");
  return out;
}

/* The Dutch name of a field (its last segment), or NULL when the table
 * does not know it. */
static const char *field_dutch(const char *segment)
{
  for (size_t i = 0; i < sizeof field_names / sizeof field_names[0]; i++)
    if (strcmp(field_names[i].field, segment) == 0)
      return _(field_names[i].name);
  return NULL;
}

/* The Dutch name of the field a JSON pointer names; the segment itself
 * when unknown, the pointer when it names none. */
static const char *field_name(const char *pointer, char *seg, size_t size)
{
  const char *name = field_dutch(last_segment(pointer, seg, size));
  return name ? name : seg[0] ? seg : pointer;
}

/* How the API words a field's problem (api/fields.c, api/query.c, a few
 * handlers and core), and the Dutch reason. Each "%s" in the pattern
 * takes a value (a number, a list of values) that the Dutch puts back in
 * the same order; money values are cents and come back as euro. */
#define REASON_VALUES 2
#define REASON_VALUE_MAX 200
static const struct {
  const char *pattern;
  const char *reason;  /* Dutch msgid */
  int money;
} reasons[] = {
  {"is required", N_("is verplicht"), 0},
  {"must not be null", N_("mag niet leeg zijn"), 0},
  {"is empty", N_("is leeg"), 0},
  {"is not a known field", N_("is een gegeven dat de server niet kent"), 0},
  {"must be a string of 1 to %s characters", N_("moet tekst van 1 tot %s tekens zijn"), 0},
  {"must be a string of at most %s characters", N_("mag hoogstens %s tekens lang zijn"), 0},
  {"is longer than %s characters", N_("is langer dan %s tekens"), 0},
  {"must be a whole number of cents from %s to %s", N_("moet een bedrag van € %s tot € %s zijn"),
   1},
  {"must be a whole number from %s to %s", N_("moet een geheel getal van %s tot %s zijn"), 0},
  {"must be a whole number in range", N_("moet een geheel getal binnen de grenzen zijn"), 0},
  {"must be between %s and %s", N_("moet tussen %s en %s liggen"), 0},
  {"must be a month number from %s to %s", N_("moet een maandnummer van %s tot %s zijn"), 0},
  {"must be one of %s", N_("moet een van deze waarden zijn: %s"), 0},
  {"is not one of the values this parameter takes", N_("is geen van de toegelaten waarden"), 0},
  {"must be a date that exists, as YYYY-MM-DD",
   N_("moet een datum zijn die bestaat, geschreven als JJJJ-MM-DD"), 0},
  {"must be a date YYYY-MM-DD", N_("moet een datum zijn, geschreven als JJJJ-MM-DD"), 0},
  {"is a date YYYY-MM-DD", N_("moet een datum zijn, geschreven als JJJJ-MM-DD"), 0},
  {"must be a month as YYYY-MM", N_("moet een maand zijn, geschreven als JJJJ-MM"), 0},
  {"must be a month YYYY-MM", N_("moet een maand zijn, geschreven als JJJJ-MM"), 0},
  {"must be true or false", N_("moet true of false zijn"), 0},
  {"must be an array of at most %s items", N_("moet een lijst van hoogstens %s elementen zijn"),
   0},
  {"must be an object", N_("moet een object zijn"), 0},
  {"occurs twice in one object", N_("komt twee keer voor"), 0},
  {"must be UTF-8 text without control characters", N_("moet tekst zonder stuurtekens zijn"), 0},
  {"must hold 1 to %s rows", N_("moet 1 tot %s rijen bevatten"), 0},
  {"is not a cursor of this list", N_("is geen geldige cursor voor deze lijst"), 0},
  {"is not a cursor this server gave", N_("is geen geldige cursor voor deze lijst"), 0},
  {"no item has the code %s", N_("geen voorwerp heeft de code %s"), 0},
  {"\"%s\" is not an item code", N_("\"%s\" is geen voorwerpcode"), 0},
  {"is not an item code", N_("is geen voorwerpcode"), 0},
  {"is an item of another library", N_("is een voorwerp van een andere bibliotheek"), 0},
  {"names more than %s items", N_("noemt meer dan %s voorwerpen"), 0},
  {"selects no items", N_("kiest geen voorwerpen"), 0},
  {"names no template; GET /v1/labels/templates lists them",
   N_("is geen bekend etikettenvel (zie: leen labels templates)"), 0},
  {"the body names no field to change", N_("er is niets te wijzigen"), 0},
  {"the patch changes nothing", N_("er is niets te wijzigen"), 0},
};

/* Whether s matches pat, each "%s" taking the fewest characters (one or
 * more) that let the rest match; the values taken go to vals from n. */
static int match(const char *pat, const char *s, char vals[][REASON_VALUE_MAX], int n)
{
  if (pat[0] == '%' && pat[1] == 's') {
    if (n >= REASON_VALUES)
      return 0;
    for (size_t len = 1; s[len - 1]; len++)
      if (match(pat + 2, s + len, vals, n + 1)) {
        snprintf(vals[n], REASON_VALUE_MAX, "%.*s", (int)len, s);
        return 1;
      }
    return 0;
  }
  if (!pat[0])
    return !s[0];
  return *pat == *s && match(pat + 1, s + 1, vals, n);
}

/* The Dutch reason for a detail the API words in one of its fixed ways,
 * into b; 0 when it is free text. The core may start with the field's
 * own name ("to must be a date YYYY-MM-DD"): that goes first. */
static int dutch_reason(const char *detail, const char *segment, struct cli_buf *b)
{
  size_t n = strlen(segment);
  if (n && strncmp(detail, segment, n) == 0 && detail[n] == ' ')
    detail += n + 1;
  char vals[REASON_VALUES][REASON_VALUE_MAX];
  for (size_t i = 0; i < sizeof reasons / sizeof reasons[0]; i++) {
    if (!match(reasons[i].pattern, detail, vals, 0))
      continue;
    int k = 0;
    for (const char *p = _(reasons[i].reason); *p; p++) {
      char one[2] = {*p, '\0'}, euro[32];
      int64_t cents;
      const char *v = one;
      if (p[0] == '%' && p[1] == 's' && k < REASON_VALUES) {
        v = vals[k++];
        if (reasons[i].money && cli_parse_int(v, 0, INT64_MAX / 2, &cents) == 0)
          v = cli_amount_format(cents, 0, euro);
        p++;
      }
      cli_buf_add(b, v);
    }
    return 1;
  }
  return 0;
}

/* The problem codes whose "errors" say what is wrong with a field; the
 * others are refusals of the request as a whole. */
static int is_field_code(const char *code)
{
  static const char *const codes[] = {"invalid_json", "unknown_field", "invalid_field",
                                      "invalid_amount", "invalid_date"};
  for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
    if (strcmp(codes[i], code) == 0)
      return 1;
  return 0;
}

/* The API's own English detail is shown to whom reads English anyway
 * (the catalogue translates) and with LEEN_DEBUG=1. */
static int show_detail(void)
{
  const char *debug = getenv("LEEN_DEBUG");
  static const char probe[] = N_("Een gegeven is niet geldig.");
  return (debug && debug[0] && strcmp(debug, "0") != 0) || strcmp(_(probe), probe) != 0;
}

/* One line per entry of "errors": the Dutch field name with the Dutch
 * reason when the API worded it in a known way; for a refusal only the
 * field's name, and only when the sentence does not name it already. */
static void report_errors(const cJSON *errors, const char *code, const char *sentence)
{
  int verbose = show_detail(), field_code = is_field_code(code);
  const cJSON *e;
  cJSON_ArrayForEach(e, errors)
  {
    const char *ptr = cli_json_str(e, "pointer");
    if (!ptr[0])
      ptr = cli_json_str(e, "parameter");
    const char *detail = cli_json_str(e, "detail");
    char seg[64] = "";
    if (verbose) {
      fprintf(stderr, "  %s: %s\n", ptr[0] ? field_name(ptr, seg, sizeof seg) : "?", detail);
      continue;
    }
    if (!field_code) {
      const char *name = field_dutch(last_segment(ptr, seg, sizeof seg));
      if (name && !strstr(sentence, name))
        fprintf(stderr, "  %s\n", name);
      continue;
    }
    const char *name = ptr[0] ? field_name(ptr, seg, sizeof seg) : NULL;
    struct cli_buf reason = {0};
    int known = dutch_reason(detail, seg, &reason) && !reason.oom;
    if (name && known)
      fprintf(stderr, "  %s: %s\n", name, reason.data);
    else if (name)
      fprintf(stderr, "  %s\n", name);
    else if (known)
      fprintf(stderr, "  %s\n", reason.data);
    cli_buf_release(&reason);
  }
}

int cli_report_problem(const struct cli_opts *o, long status, const cJSON *problem)
{
  const char *code = cli_json_str(problem, "code");
  const char *detail = cli_json_str(problem, "detail");
  const char *title = cli_json_str(problem, "title");
  int rc = cli_code_exit(code, status);
  const char *sentence = cli_code_sentence(code);
  char buf[200];
  if (strcmp(code, "not_found") == 0 && strcmp(detail, "no such path") == 0) {
    /* a leen-api older than this CLI */
    cli_fail(o, rc, "%s", _("Deze server kent dit verzoek (nog) niet. Is leen-api bijgewerkt?"));
    return rc;
  }
  if (!sentence) {
    snprintf(buf, sizeof buf, _("De server weigerde het verzoek (HTTP %ld)."), status);
    sentence = buf;
  }
  cli_fail(o, rc, "%s", sentence);
  const cJSON *errors = cJSON_GetObjectItemCaseSensitive(problem, "errors");
  report_errors(errors, code, sentence);
  if (cJSON_GetArraySize(errors) == 0 && show_detail() && detail[0] && strcmp(detail, title) != 0)
    fprintf(stderr, "  (%s)\n", detail);
  return rc;
}

int cli_api_call(const struct cli_opts *o, struct cli_call *c)
{
  c->out = NULL;
  c->raw = NULL;
  c->raw_len = 0;
  c->status = 0;
  c->etag[0] = c->code[0] = '\0';
  if (!o->token && !(c->flags & CLI_REQ_NO_AUTH)) {
    snprintf(c->code, sizeof c->code, "unauthenticated");
    return c->quiet ? CLI_EXIT_AUTH
                    : cli_fail(o, CLI_EXIT_AUTH, "%s",
                               _("Je bent niet aangemeld. Meld je aan met: leen login"));
  }
  char *text = c->body ? cJSON_PrintUnformatted(c->body) : NULL;
  if (c->body && !text)
    return cli_fail(o, CLI_EXIT_FAILURE, "%s", _("onvoldoende geheugen"));
  struct cli_request rq = {c->method, c->path, text, c->if_match, c->idempotency_key, c->flags,
                           c->headers};
  struct cli_response resp;
  int reached = cli_http(o, &rq, &resp) == 0;
  cJSON_free(text);
  if (!reached) {
    if (!c->quiet)
      cli_fail(o, CLI_EXIT_UNAVAILABLE, _("De server op %s is niet bereikbaar (%s)."), o->url,
               resp.error);
    cli_response_release(&resp);
    return CLI_EXIT_UNAVAILABLE;
  }
  c->status = resp.status;
  snprintf(c->etag, sizeof c->etag, "%s", resp.etag);
  int raw = (c->flags & CLI_REQ_RAW) && resp.status >= 200 && resp.status < 300;
  cJSON *j = resp.len && !raw ? cJSON_Parse(resp.body) : NULL;
  int rc = CLI_EXIT_OK;
  if (raw) {
    c->raw = resp.body;
    c->raw_len = resp.len;
    resp.body = NULL;
  } else if (resp.status >= 200 && resp.status < 300) {
    if (resp.len && !j) {
      rc = c->quiet ? CLI_EXIT_FAILURE
                    : cli_fail(o, CLI_EXIT_FAILURE, "%s",
                               _("De server gaf een antwoord dat geen JSON is."));
    } else {
      c->out = j;
      j = NULL;
    }
  } else if (!cJSON_IsObject(j) || !cJSON_IsString(cJSON_GetObjectItem(j, "code"))) {
    rc = cli_code_exit(NULL, resp.status);
    if (!c->quiet)
      cli_fail(o, rc, _("De server gaf een onverwacht antwoord (HTTP %ld)."), resp.status);
  } else {
    snprintf(c->code, sizeof c->code, "%s", cli_json_str(j, "code"));
    if (c->quiet)
      rc = cli_code_exit(c->code, resp.status);
    else if (strcmp(c->code, "rate_limited") == 0 && resp.retry_after > 0)
      rc = cli_fail(o, CLI_EXIT_FAILURE,
                    _("Te veel pogingen na elkaar. Probeer opnieuw over %d seconden."),
                    resp.retry_after);
    else
      rc = cli_report_problem(o, resp.status, j);
  }
  cJSON_Delete(j);
  cli_response_release(&resp);
  return rc;
}

int cli_api(const struct cli_opts *o, const char *method, const char *path, const cJSON *body,
            unsigned flags, cJSON **out)
{
  struct cli_call c = {.method = method, .path = path, .body = body, .flags = flags};
  int rc = cli_api_call(o, &c);
  if (out)
    *out = c.out;
  else
    cJSON_Delete(c.out);
  return rc;
}

int cli_fetch_list(const struct cli_opts *o, const char *path, int limit, cJSON **items,
                   int *more)
{
  *items = cJSON_CreateArray();
  *more = 0;
  char *cursor = NULL;
  int rc = CLI_EXIT_OK;
  for (;;) {
    int have = cJSON_GetArraySize(*items);
    int want = limit ? limit - have : 200;
    if (want > 200)
      want = 200;
    struct cli_buf p = {0};
    char n[16];
    snprintf(n, sizeof n, "%d", want);
    cli_buf_add(&p, path);
    cli_buf_query(&p, "limit", n);
    cli_buf_query(&p, "cursor", cursor);
    cJSON *page = NULL;
    rc = p.oom ? CLI_EXIT_FAILURE : cli_api(o, "GET", p.data, NULL, 0, &page);
    cli_buf_release(&p);
    free(cursor);
    cursor = NULL;
    if (rc != CLI_EXIT_OK)
      break;
    /* a list is {"items": [...], "next_cursor"}; a short one may be a bare array */
    cJSON *list = cJSON_IsArray(page) ? page : cJSON_GetObjectItemCaseSensitive(page, "items");
    while (cJSON_GetArraySize(list) > 0)
      cJSON_AddItemToArray(*items, cJSON_DetachItemFromArray(list, 0));
    const cJSON *next = cJSON_GetObjectItemCaseSensitive(page, "next_cursor");
    if (cJSON_IsString(next) && next->valuestring[0])
      cursor = strdup(next->valuestring);
    cJSON_Delete(page);
    if (!cursor)
      break;
    if (limit && cJSON_GetArraySize(*items) >= limit) {
      *more = 1;
      break;
    }
  }
  free(cursor);
  if (rc != CLI_EXIT_OK) {
    cJSON_Delete(*items);
    *items = NULL;
  }
  return rc;
}
