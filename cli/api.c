/* Requests to leen-api as JSON; a problem answer becomes a Dutch sentence
 * on stderr and an exit code. */
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
};

/* The Dutch name of the last named segment of a JSON pointer. */
static const char *field_name(const char *pointer)
{
  static char last[64];
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
  if (!seg)
    return pointer;
  snprintf(last, sizeof last, "%.*s", (int)(end - seg), seg);
  for (size_t i = 0; i < sizeof field_names / sizeof field_names[0]; i++)
    if (strcmp(field_names[i].field, last) == 0)
      return _(field_names[i].name);
  return last;
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
  const cJSON *e;
  int shown = 0;
  cJSON_ArrayForEach(e, errors)
  {
    const char *ptr = cli_json_str(e, "pointer");
    if (!ptr[0])
      ptr = cli_json_str(e, "parameter");
    fprintf(stderr, "  %s: %s\n", ptr[0] ? field_name(ptr) : "?", cli_json_str(e, "detail"));
    shown++;
  }
  if (!shown && detail[0] && strcmp(detail, title) != 0)
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
  struct cli_request rq = {c->method, c->path, text, c->if_match, c->idempotency_key, c->flags};
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
