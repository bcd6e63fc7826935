/* Label stock as data. Geometry is the manufacturers' published sheet
 * layout (label size, top and side margin, pitch); corner radii follow
 * gLabels' template library. Adding a sheet is adding a row. */
#include "leen/label.h"

#include <string.h>

/* The descriptions are shown to coordinators as they are: in Dutch. */
static const struct label_template templates[] = {
  /* Avery L7160 (and J8160): top margin 15.15, side 7.21, pitch 66.04 x 38.1 */
  {"avery-l7160", "Avery L7160 / J8160, A4, 21 etiketten van 63,5 x 38,1 mm (3 x 7)",
   210.0, 297.0, 63.5, 38.1, 7.21, 15.15, 66.04, 38.1, 3, 7, 1.76},
  /* Avery L7163 (and J8163): top margin 15.15, side 4.65, pitch 101.6 x 38.1 */
  {"avery-l7163", "Avery L7163 / J8163, A4, 14 etiketten van 99,1 x 38,1 mm (2 x 7)",
   210.0, 297.0, 99.1, 38.1, 4.65, 15.15, 101.6, 38.1, 2, 7, 1.76},
  /* Avery Zweckform 3474: edge to edge across, 0.5 mm strip top and bottom */
  {"zweckform-3474", "Avery Zweckform 3474, A4, 24 etiketten van 70 x 37 mm (3 x 8)",
   210.0, 297.0, 70.0, 37.0, 0.0, 0.5, 70.0, 37.0, 3, 8, 0.0},
  /* Brother DK-11209: die-cut 62 x 29 mm on a roll; the driver's page is
   * the label, so one label per page */
  {"brother-dk11209", "Brother DK-11209, rol met etiketten van 62 x 29 mm, één per pagina",
   62.0, 29.0, 62.0, 29.0, 0.0, 0.0, 62.0, 29.0, 1, 1, 1.5},
  /* One label of the common 63.5 x 38.1 size, for SVG and PNG */
  {"single", "Eén etiket van 63,5 x 38,1 mm (SVG, PNG of één per PDF-pagina)",
   63.5, 38.1, 63.5, 38.1, 0.0, 0.0, 63.5, 38.1, 1, 1, 0.0},
};

#define N_TEMPLATES (sizeof templates / sizeof templates[0])

const struct label_template *label_template_find(const char *name)
{
  for (size_t i = 0; name && i < N_TEMPLATES; i++)
    if (strcmp(templates[i].name, name) == 0)
      return &templates[i];
  return NULL;
}

const struct label_template *label_templates(size_t *count)
{
  if (count)
    *count = N_TEMPLATES;
  return templates;
}
