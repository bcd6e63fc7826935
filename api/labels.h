/* Handlers of the label routes (labels.c): the templates, a PDF of labels
 * for a selection of items, and one item's label as SVG or PNG. */
#ifndef LEEN_API_LABELS_H
#define LEEN_API_LABELS_H

#include "api.h"

/* The most labels one GET /v1/labels.pdf renders: about 100 A4 sheets. A
 * larger selection is refused (422), never cut short. */
#define API_LABELS_MAX 2000

int api_labels_templates(struct api_req *r);  /* GET /v1/labels/templates */
int api_labels_pdf(struct api_req *r);        /* GET /v1/labels.pdf */
int api_item_label_svg(struct api_req *r);    /* GET /v1/items/{code}/label.svg */
int api_item_label_png(struct api_req *r);    /* GET /v1/items/{code}/label.png */

#endif
