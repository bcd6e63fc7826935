/* One QR code (libqrencode, 4-module quiet zone) as SVG or PNG. */
#ifndef LEEN_LABEL_QR_H
#define LEEN_LABEL_QR_H

#include <stddef.h>

enum label_ecc { LABEL_ECC_M, LABEL_ECC_Q };

/* Renders text as a QR code in SVG. module_px is the size of one module
 * in user units. On success *out is a malloc'ed NUL-terminated document
 * (free it) and *len its length; returns 0, or -1 (empty or too long text,
 * out of memory). */
int label_qr_svg(const char *text, enum label_ecc ecc, double module_px, char **out, size_t *len);

/* Renders text as a QR code in PNG, module_px pixels per module (>= 1).
 * On success *out is a malloc'ed buffer (free it) of *len bytes. */
int label_qr_png(const char *text, enum label_ecc ecc, int module_px, unsigned char **out,
                 size_t *len);

#endif
