#include "api.h"
/* BEGIN includes households */
#include "households.h"
#include "reductions.h"
/* END includes households */
/* BEGIN includes catalogue */
#include "items.h"
#include "labels.h"
#include "libraries.h"
/* END includes catalogue */
/* BEGIN includes circulation */
#include "loans.h"
#include "reservations.h"
/* END includes circulation */
/* BEGIN includes reports */
#include "reports.h"
/* END includes reports */
/* BEGIN includes imports */
#include "imports.h"
/* END includes imports */
/* BEGIN includes web */
#include "web.h"
/* END includes web */

/* The one table of what leen-api answers. The dispatcher enforces role,
 * body limit, content type, JSON parsing and idempotency from it, and
 * /openapi.json is generated from it. */
#define BODY API_BODY_DEFAULT
const struct api_route api_routes[] = {
  /* method, path, role, flags, body limit, handler, summary */
  {"GET", "/healthz", API_PUBLIC, 0, BODY, api_health_live, "liveness: the process answers"},
  {"GET", "/readyz", API_PUBLIC, 0, BODY, api_health_ready, "readiness: the database answers"},
  {"GET", "/metrics", API_PUBLIC, 0, BODY, api_metrics_get, "Prometheus metrics"},
  {"GET", "/openapi.json", API_PUBLIC, 0, BODY, api_openapi_get, "this API as OpenAPI 3.1"},
  {"POST", "/v1/auth/login", API_PUBLIC, API_F_JSON, BODY, api_auth_login,
   "log in with username and password; returns a bearer token"},
  {"POST", "/v1/auth/logout", API_ANY, 0, BODY, api_auth_logout,
   "revoke the token of this request"},
  {"GET", "/v1/me", API_ANY, 0, BODY, api_me_get, "the caller: id, username, role, libraries"},
  {"GET", "/v1/users", API_ADMIN, API_F_PAGED, BODY, api_users_list,
   "the users of the caller's org"},
  {"POST", "/v1/users", API_ADMIN, API_F_JSON | API_F_IDEMPOTENT, BODY, api_users_create,
   "create a user with a role and libraries"},
  /* BEGIN households */
  {"GET", "/v1/households", API_VOLUNTEER, API_F_PAGED, BODY, api_households_list,
   "find households by ?q= (start of a name, or an e-mail), ?name=, ?email=, ?number=, ?postcode="},
  {"POST", "/v1/households", API_VOLUNTEER, API_F_JSON | API_F_IDEMPOTENT, BODY,
   api_households_create, "register a household with its children; 201 with its member number"},
  {"GET", "/v1/households/{number}", API_VOLUNTEER, 0, BODY, api_households_get,
   "a household; its reduction only as {active, valid_until}; ETag"},
  {"PATCH", "/v1/households/{number}", API_VOLUNTEER, API_F_JSON | API_F_IF_MATCH, BODY,
   api_households_patch, "change a household's fields, add_children and remove_children"},
  {"GET", "/v1/households/{number}/card.pdf", API_VOLUNTEER, 0, BODY, api_households_card,
   "the member card as PDF (?format=a4|card, ?library=)"},
  {"GET", "/v1/households/{number}/memberships", API_VOLUNTEER, 0, BODY,
   api_memberships_list, "a household's memberships in every library, newest first"},
  {"POST", "/v1/households/{number}/memberships", API_VOLUNTEER,
   API_F_JSON | API_F_IDEMPOTENT, BODY, api_memberships_create,
   "start or renew a membership; returns fee_cents, reduction_cents and due_cents"},
  {"POST", "/v1/households/{number}/vouchers", API_VOLUNTEER, API_F_JSON | API_F_IDEMPOTENT,
   BODY, api_vouchers_redeem, "redeem a voucher code for the household, once"},
  {"GET", "/v1/households/{number}/ledger", API_VOLUNTEER, API_F_PAGED, BODY, api_ledger_list,
   "the household's money lines, oldest first (?all=true: every account)"},
  {"POST", "/v1/payments", API_VOLUNTEER, API_F_JSON | API_F_IDEMPOTENT, BODY,
   api_payments_create, "record a payment or a donation of a household"},
  {"GET", "/v1/households/{number}/export", API_ADMIN, 0, BODY, api_households_export,
   "privacy: everything stored about a household, as JSON"},
  {"POST", "/v1/households/{number}/anonymize", API_ADMIN, API_F_IDEMPOTENT, BODY,
   api_households_anonymize, "privacy: remove what names the household's people"},
  {"GET", "/v1/reductions", API_SOCIAL_WORKER, API_F_PAGED, BODY, api_reductions_list,
   "reductions and vouchers (?household=, ?active=true); every read is audited"},
  {"POST", "/v1/reductions", API_SOCIAL_WORKER, API_F_JSON | API_F_IDEMPOTENT, BODY,
   api_reductions_create, "issue a reduction to a household, or without one a voucher"},
  {"GET", "/v1/reductions/{id}", API_SOCIAL_WORKER, 0, BODY, api_reductions_get,
   "one reduction; the read is audited"},
  {"DELETE", "/v1/reductions/{id}", API_SOCIAL_WORKER, 0, BODY, api_reductions_revoke,
   "revoke a reduction from now on"},
  {"GET", "/v1/reductions/{id}/voucher.pdf", API_SOCIAL_WORKER, 0, BODY,
   api_reductions_voucher_pdf, "the voucher letter for the family, as PDF"},
  /* END households */
  /* BEGIN catalogue */
  {"GET", "/v1/libraries", API_VOLUNTEER, 0, BODY, api_libraries_list,
   "the libraries of the caller's org with their settings, schedule and targets"},
  {"POST", "/v1/libraries", API_ADMIN, API_F_JSON | API_F_IDEMPOTENT, BODY,
   api_libraries_create, "create a library"},
  {"GET", "/v1/libraries/{slug}", API_VOLUNTEER, 0, BODY, api_libraries_get,
   "one library with its settings, schedule and targets"},
  {"PATCH", "/v1/libraries/{slug}", API_COORDINATOR, API_F_JSON, BODY, api_libraries_update,
   "change a library; a coordinator changes only its schedule and targets"},
  {"GET", "/v1/libraries/{slug}/sessions", API_VOLUNTEER, 0, BODY, api_sessions_list,
   "the opening sessions from ?from= to ?to= (dates)"},
  {"POST", "/v1/libraries/{slug}/closures", API_COORDINATOR, API_F_JSON | API_F_IDEMPOTENT,
   BODY, api_closures_create, "close the library on a date, or from a date to a date"},
  {"POST", "/v1/libraries/{slug}/openings", API_COORDINATOR, API_F_JSON | API_F_IDEMPOTENT,
   BODY, api_openings_create, "add a one-off opening session"},
  {"GET", "/v1/libraries/{slug}/categories", API_VOLUNTEER, 0, BODY, api_categories_list,
   "the categories of a library"},
  {"POST", "/v1/libraries/{slug}/categories", API_COORDINATOR, API_F_JSON | API_F_IDEMPOTENT,
   BODY, api_categories_create, "create a category"},
  {"GET", "/v1/items", API_VOLUNTEER, API_F_PAGED, BODY, api_items_list,
   "items, filtered by ?library=, ?category= (id) and ?status="},
  {"POST", "/v1/items", API_COORDINATOR, API_F_JSON | API_F_IDEMPOTENT, BODY, api_items_create,
   "register an item; it gets the library's next code"},
  {"GET", "/v1/items/{code}", API_VOLUNTEER, 0, BODY, api_items_get,
   "one item by its code in any form (FB0042, fb-0042, a label URL)"},
  {"PATCH", "/v1/items/{code}", API_COORDINATOR, API_F_JSON | API_F_IF_MATCH, BODY,
   api_items_update, "change an item (name, category, status ...)"},
  {"GET", "/v1/items/{code}/label.svg", API_VOLUNTEER, 0, BODY, api_item_label_svg,
   "one item's label as SVG (?template= for its size)"},
  {"GET", "/v1/items/{code}/label.png", API_VOLUNTEER, 0, BODY, api_item_label_png,
   "one item's label as PNG (?template=, ?dpi=)"},
  {"GET", "/v1/labels/templates", API_VOLUNTEER, 0, BODY, api_labels_templates,
   "the label sheets and their geometry in millimetres"},
  {"GET", "/v1/labels.pdf", API_VOLUNTEER, 0, BODY, api_labels_pdf,
   "a PDF of labels: ?items= or ?library=&category=&status=&since=, with ?template=&start="
   "&offset_x=&offset_y=; headers Leen-Label-Count and Leen-Sheet-Count say how many"},
  /* END catalogue */
  /* BEGIN circulation */
  {"POST", "/v1/loans", API_VOLUNTEER, API_F_JSON | API_F_IDEMPOTENT, BODY, api_loans_create,
   "check an item out to a household; takes the deposit"},
  {"GET", "/v1/loans", API_VOLUNTEER, API_F_PAGED, BODY, api_loans_list,
   "loans, newest first; ?household=&library=&open=&overdue="},
  {"GET", "/v1/loans/{id}", API_VOLUNTEER, 0, BODY, api_loans_get, "one loan"},
  {"POST", "/v1/loans/{id}/renew", API_VOLUNTEER, API_F_IDEMPOTENT, BODY, api_loans_renew,
   "extend a loan; refused while a reservation waits"},
  {"POST", "/v1/returns", API_VOLUNTEER, API_F_JSON | API_F_IDEMPOTENT, BODY,
   api_returns_create, "check an item in; refunds the deposit less what is withheld"},
  {"POST", "/v1/swaps", API_VOLUNTEER, API_F_JSON | API_F_IDEMPOTENT, BODY, api_swaps_create,
   "return one item and lend another to the same household; settles the deposit difference"},
  {"GET", "/v1/reservations", API_VOLUNTEER, API_F_PAGED, BODY, api_reservations_list,
   "reservations with their place in the queue; ?household=&library=&category=&open="},
  {"POST", "/v1/reservations", API_VOLUNTEER, API_F_JSON | API_F_IDEMPOTENT, BODY,
   api_reservations_create, "put a household in line for a category or one item"},
  {"DELETE", "/v1/reservations/{id}", API_VOLUNTEER, 0, BODY, api_reservations_cancel,
   "cancel a reservation; an item set aside goes to the next in line"},
  /* END circulation */
  /* BEGIN reports */
  {"GET", "/v1/stats/monthly", API_COORDINATOR, 0, BODY, api_stats_monthly,
   "monthly statistics of a library (?library=&from=&to=) or of every library for one month"
   " (?month=), as json, csv, csv-excel or svg (?format=); ?summary=true for the period summary"},
  {"GET", "/v1/audit", API_COORDINATOR, API_F_PAGED, BODY, api_audit_list,
   "the audit trail, newest first, filtered by ?entity=&entity_id=&user=&action=&from=&to="},
  /* END reports */
  /* BEGIN imports */
  {"POST", "/v1/imports/items", API_COORDINATOR, API_F_JSON | API_F_IDEMPOTENT,
   API_IMPORT_BODY_LIMIT, api_imports_items,
   "import up to 100 item rows into a library in one transaction, by their source id"
   " (external_id): new ones are created with their categories, known ones left as they are"},
  {"POST", "/v1/imports/households", API_VOLUNTEER, API_F_JSON | API_F_IDEMPOTENT,
   API_IMPORT_BODY_LIMIT, api_imports_households,
   "import up to 100 household rows in one transaction, by their source id (external_id):"
   " new ones are created, known ones left as they are"},
  /* END imports */
  /* BEGIN web */
  {"GET", "/", API_PUBLIC, 0, BODY, api_web_index, "the counter page"},
  {"GET", "/assets/{file}", API_PUBLIC, 0, BODY, api_web_asset,
   "a file of the counter page (scripts, styles, icons)"},
  {"GET", "/i/{code}", API_PUBLIC, 0, BODY, api_web_item,
   "the page a label's QR code opens: the item, its status, and actions after login"},
  /* END web */
};
const size_t api_routes_count = sizeof api_routes / sizeof api_routes[0];
