/* Handlers of the bulk imports (imports.c): POST /v1/imports/items and
 * POST /v1/imports/households, a batch of rows in one transaction
 * (docs/import.md). */
#ifndef LEEN_API_IMPORTS_H
#define LEEN_API_IMPORTS_H

#include "api.h"

/* The body of a batch may be far larger than other requests: 100 rows
 * of a MyTurn export with their descriptions. */
#define API_IMPORT_BODY_LIMIT ((size_t)1024 * 1024)

int api_imports_items(struct api_req *r);       /* POST /v1/imports/items */
int api_imports_households(struct api_req *r);  /* POST /v1/imports/households */

#endif
