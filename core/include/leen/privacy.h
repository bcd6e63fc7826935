/* Privacy requests about a household (GDPR): the right of access (an
 * export of everything stored about it) and the right to erasure
 * (anonymising it), and the name of the org that controls the data, which
 * every letter to a family names.
 *
 * Anonymising keeps the rows and removes what names a person: the name
 * becomes "Geanonimiseerd gezin <number>", e-mail, phone, children's first
 * names and the social service's dossier references are cleared. Kept:
 *  - the postcode and the children's birth months: the monthly statistics
 *    count households per postcode (cells under 5 shown as "<5") and lend
 *    by age; without a name neither points at one family;
 *  - memberships, loans, reductions (level and dates), ledger lines and
 *    audit rows: the ledger and the audit are append-only, and none of
 *    them holds a name, a contact or a free-text description of the
 *    family (audit details list field names, never values).
 * Open reservations that merely wait are cancelled. Cached replies of
 * idempotent requests (kept 24 hours, see leen/idempotency.h) are not
 * searched; they expire by themselves.
 *
 * Who may do what: admins export and anonymise households of their org;
 * everyone who logged in reads the controller's name. Households of
 * other orgs are LEEN_E_NOT_FOUND.
 *
 * Every function returns 0 on success, or -1 with err (may be NULL)
 * filled; LEEN_E_DB_UNAVAILABLE or LEEN_E_BUSY can come from any of them. */
#ifndef LEEN_PRIVACY_H
#define LEEN_PRIVACY_H

#include <stddef.h>
#include <stdint.h>

#include "leen/actor.h"
#include "leen/db.h"
#include "leen/error.h"
#include "leen/household.h"

/* Everything stored about household `number` as one JSON object text:
 * {"exported_at", "controller": {org, name}, "household": {...},
 * "children", "memberships", "loans", "reductions", "ledger",
 * "reservations", "audit": [...]} (arrays in id order; timestamps RFC
 * 3339, Brussels). Reading the reductions is audited like any read of a
 * reduction (action "read", entity "reduction"), and the export itself
 * (action "export", entity "household"), in the same transaction. On
 * success *json is a malloc'ed NUL-terminated string the caller frees
 * with free(); on failure it is NULL. Errors: LEEN_E_FORBIDDEN (not an
 * admin), LEEN_E_NOT_FOUND (/household). */
int leen_privacy_export(struct leen_db *db, const struct leen_actor *actor, int64_t number,
                        char **json, struct leen_err *err) __attribute__((warn_unused_result));

/* Anonymises household `number` in one transaction, with an audit row
 * (action "anonymize", entity "household"). On success *out (may be NULL)
 * holds the household as it is now (release it with
 * leen_household_release) and anonymized_at (may be NULL) the moment, RFC
 * 3339. Errors: LEEN_E_FORBIDDEN (not an admin, or the system actor: a
 * person answers a privacy request), LEEN_E_NOT_FOUND (/household),
 * LEEN_E_CONFLICT (/household: already anonymised; a loan is still open;
 * an item is held for it on an offered reservation). */
int leen_privacy_anonymize(struct leen_db *db, const struct leen_actor *actor, int64_t number,
                           struct leen_household *out, char anonymized_at[40],
                           struct leen_err *err) __attribute__((warn_unused_result));

/* The name of the actor's org ("Stad Izegem"), the controller of the
 * data, into name (size bytes; truncated). Errors: LEEN_E_NOT_FOUND. */
int leen_privacy_controller(struct leen_db *db, const struct leen_actor *actor, char *name,
                            size_t size, struct leen_err *err) __attribute__((warn_unused_result));

#endif
