/* Templates, layout geometry, text fitting and input errors: no pixels. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "leen/label.h"

#define BASE "https://leen.izegem.be"
/* exactly 60 characters */
#define NAME60 "Kinderwagen Joolz Day+ met reiswieg, regenhoes en voetenzak!"

/* Each test runs in its own process; freeing the font caches at its end
 * keeps LeakSanitizer's report to our own allocations. */
static void cleanup(void) { label_global_cleanup(); }
TestSuite(label_templates, .fini = cleanup);
TestSuite(label_layout, .fini = cleanup);
TestSuite(label_code, .fini = cleanup);
TestSuite(label_date, .fini = cleanup);
TestSuite(label_errors, .fini = cleanup);

static const char *const sheet_templates[] = {"avery-l7160", "avery-l7163", "zweckform-3474",
                                              "brother-dk11209", "single"};
#define N_SHEETS (sizeof sheet_templates / sizeof sheet_templates[0])

static int inside(const struct label_rect *in, const struct label_rect *out, double tol)
{
  return in->x >= out->x - tol && in->y >= out->y - tol && in->x + in->w <= out->x + out->w + tol &&
         in->y + in->h <= out->y + out->h + tol;
}

Test(label_templates, listed_found_and_on_the_page)
{
  size_t n = 0;
  const struct label_template *all = label_templates(&n);
  cr_assert_geq(n, N_SHEETS);
  for (size_t i = 0; i < N_SHEETS; i++)
    cr_assert_not_null(label_template_find(sheet_templates[i]), "%s", sheet_templates[i]);
  cr_assert_null(label_template_find("avery-l9999"));
  cr_assert_null(label_template_find(NULL));
  for (size_t i = 0; i < n; i++) {
    const struct label_template *t = &all[i];
    cr_assert_eq(label_template_find(t->name), t, "names must be unique: %s", t->name);
    cr_assert(t->description && *t->description);
    cr_assert_gt(t->columns, 0);
    cr_assert_gt(t->rows, 0);
    cr_assert_geq(t->pitch_x, t->label_w, "%s: labels overlap", t->name);
    cr_assert_geq(t->pitch_y, t->label_h, "%s: labels overlap", t->name);
    double right = t->margin_left + (t->columns - 1) * t->pitch_x + t->label_w;
    double bottom = t->margin_top + (t->rows - 1) * t->pitch_y + t->label_h;
    cr_assert_leq(right, t->page_w + 0.01, "%s: last column off the page", t->name);
    cr_assert_leq(bottom, t->page_h + 0.01, "%s: last row off the page", t->name);
  }
}

Test(label_templates, published_geometry)
{
  const struct {
    const char *name;
    double lw, lh, ml, mt, px, py;
    int cols, rows;
  } want[] = {
      {"avery-l7160", 63.5, 38.1, 7.21, 15.15, 66.04, 38.1, 3, 7},
      {"avery-l7163", 99.1, 38.1, 4.65, 15.15, 101.6, 38.1, 2, 7},
      {"zweckform-3474", 70.0, 37.0, 0.0, 0.5, 70.0, 37.0, 3, 8},
      {"brother-dk11209", 62.0, 29.0, 0.0, 0.0, 62.0, 29.0, 1, 1},
  };
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
    const struct label_template *t = label_template_find(want[i].name);
    cr_assert_not_null(t);
    cr_assert_float_eq(t->label_w, want[i].lw, 1e-9, "%s", t->name);
    cr_assert_float_eq(t->label_h, want[i].lh, 1e-9, "%s", t->name);
    cr_assert_float_eq(t->margin_left, want[i].ml, 1e-9, "%s", t->name);
    cr_assert_float_eq(t->margin_top, want[i].mt, 1e-9, "%s", t->name);
    cr_assert_float_eq(t->pitch_x, want[i].px, 1e-9, "%s", t->name);
    cr_assert_float_eq(t->pitch_y, want[i].py, 1e-9, "%s", t->name);
    cr_assert_eq(t->columns, want[i].cols, "%s", t->name);
    cr_assert_eq(t->rows, want[i].rows, "%s", t->name);
  }
  /* sheets of A4 are centred: what is left over is split evenly */
  const struct label_template *t = label_template_find("avery-l7160");
  double right = t->page_w - (t->margin_left + 2 * t->pitch_x + t->label_w);
  cr_assert_float_eq(right, t->margin_left, 0.02);
}

/* Every position of every template, with a printer offset: the label is
 * where the template says (well within 0.2 mm), the QR and the text stay
 * inside it and apart, modules are at least 0.5 mm, and a 60-character
 * name is shortened with an ellipsis inside the text area. */
Test(label_layout, every_position_of_every_template)
{
  const double offs[][2] = {{0, 0}, {0.7, -0.4}};
  for (size_t k = 0; k < N_SHEETS; k++) {
    const struct label_template *t = label_template_find(sheet_templates[k]);
    int per = t->columns * t->rows;
    for (size_t o = 0; o < 2; o++) {
      struct label_options opts = {.template_name = t->name, .base_url = BASE,
                                   .offset_x = offs[o][0], .offset_y = offs[o][1]};
      for (int i = 0; i < per + 1; i++) {
        struct label_item item = {"FB0042", NAME60, NULL, "Fietsbieb Izegem", i % 2};
        struct label_layout l;
        struct leen_err err;
        cr_assert_eq(label_layout(&item, (size_t)i, &opts, &l, &err), 0, "%s", err.message);
        int p = i % per;
        cr_assert_eq(l.page, i / per);
        cr_assert_eq(l.position, p + 1);
        double x = t->margin_left + (p % t->columns) * t->pitch_x + offs[o][0];
        double y = t->margin_top + (p / t->columns) * t->pitch_y + offs[o][1];
        cr_assert_float_eq(l.label.x, x, 0.2, "%s position %d", t->name, p + 1);
        cr_assert_float_eq(l.label.y, y, 0.2, "%s position %d", t->name, p + 1);
        cr_assert_float_eq(l.label.w, t->label_w, 1e-9);
        cr_assert_float_eq(l.label.h, t->label_h, 1e-9);
        cr_assert(inside(&l.qr, &l.label, 0.05), "%s: qr leaves the label", t->name);
        cr_assert_float_eq(l.qr.y + l.qr.h / 2, y + t->label_h / 2, 0.2, "qr not centred");
        cr_assert_geq(l.module, LABEL_MIN_MODULE_MM);
        cr_assert_float_eq(l.qr.w, l.module * l.qr_modules, 1e-9);
        cr_assert_geq(l.text.x, l.qr.x + l.qr.w, "%s: text over the qr", t->name);
        cr_assert(inside(&l.text, &l.label, 0), "%s: text area leaves the label", t->name);
        cr_assert_str_eq(l.url, BASE "/i/FB0042");
        cr_assert_geq(l.nlines, 2, "%s: code and name expected", t->name);
        cr_assert_str_eq(l.lines[0].text, "FB-0042");
        cr_assert(l.lines[0].bold);
        int shortened = 0;
        char joined[256] = "";
        size_t off = 0;
        for (int n = 0; n < l.nlines; n++) {
          const struct label_line *ln = &l.lines[n];
          cr_assert(inside(&ln->box, &l.text, 1e-6), "%s: line \"%s\" leaves the text area",
                    t->name, ln->text);
          cr_assert_gt(ln->size, 1.5);
          for (int m = 0; m < n; m++)
            cr_assert(ln->box.y >= l.lines[m].box.y + l.lines[m].box.h - 1e-6 ||
                          ln->box.y + ln->box.h <= l.lines[m].box.y + 1e-6,
                      "%s: lines %d and %d overlap", t->name, m, n);
          size_t len = strlen(ln->text);
          if (len >= 3 && strcmp(ln->text + len - 3, "\xE2\x80\xA6") == 0)
            shortened = 1;
          /* the name's lines: not the code, not the library's name */
          if (!ln->bold && strcmp(ln->text, "Fietsbieb Izegem") != 0 && off < sizeof joined)
            off += (size_t)snprintf(joined + off, sizeof joined - off, "%s%s", off ? " " : "",
                                    ln->text);
        }
        cr_assert(shortened || strcmp(joined, NAME60) == 0,
                  "%s: the 60-character name is neither whole (\"%s\") nor shortened with an "
                  "ellipsis", t->name, joined);
      }
    }
  }
}

/* Sheets as counted before rendering: the known cases, and for every
 * template and start the page of the last label as label_layout puts it,
 * plus one. */
Test(label_layout, sheet_count)
{
  static const struct {
    const char *template;
    int start;
    size_t n;
    int sheets;
  } cases[] = {
    {"avery-l7160", 1, 21, 1},  {"avery-l7160", 0, 22, 2},   {"avery-l7160", 13, 9, 1},
    {"avery-l7160", 13, 10, 2}, {"avery-l7160", 5, 24, 2},   {"avery-l7160", 21, 1, 1},
    {"avery-l7160", 21, 2, 2},  {"avery-l7163", 13, 3, 2},   {"zweckform-3474", 1, 49, 3},
    {"brother-dk11209", 1, 3, 3}, {"single", 1, 2, 2},       {"avery-l7160", 1, 0, 0},
    {"avery-l7160", 1, LABEL_MAX_ITEMS, 477},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    cr_assert_eq(label_sheet_count(label_template_find(cases[i].template), cases[i].start,
                                   cases[i].n),
                 cases[i].sheets, "%s from %d, %zu labels", cases[i].template, cases[i].start,
                 cases[i].n);

  const struct label_template *l7160 = label_template_find("avery-l7160");
  cr_assert_eq(label_sheet_count(NULL, 1, 1), -1);
  cr_assert_eq(label_sheet_count(l7160, 22, 1), -1);
  cr_assert_eq(label_sheet_count(l7160, -1, 1), -1);
  cr_assert_eq(label_sheet_count(l7160, 1, LABEL_MAX_ITEMS + 1), -1);

  for (size_t k = 0; k < N_SHEETS; k++) {
    const struct label_template *t = label_template_find(sheet_templates[k]);
    int per = t->columns * t->rows;
    for (int start = 1; start <= per; start++) {
      struct label_options opts = {.template_name = t->name, .start = start, .base_url = BASE};
      for (size_t n = 1; n <= (size_t)per * 2 + 1; n++) {
        struct label_item item = {"FB0042", NULL, NULL, NULL, 0};
        struct label_layout l;
        struct leen_err err;
        cr_assert_eq(label_layout(&item, n - 1, &opts, &l, &err), 0, "%s", err.message);
        cr_assert_eq(label_sheet_count(t, start, n), l.page + 1, "%s from %d, %zu labels",
                     t->name, start, n);
      }
    }
  }
}

Test(label_layout, short_text_is_kept_whole)
{
  struct label_options opts = {.template_name = "avery-l7163", .base_url = BASE};
  struct label_item item = {"BT0007", NULL, "Box", "Babytheek Meise", 0};
  struct label_layout l;
  struct leen_err err;
  cr_assert_eq(label_layout(&item, 0, &opts, &l, &err), 0, "%s", err.message);
  cr_assert_eq(l.nlines, 3);
  cr_assert_str_eq(l.lines[0].text, "BT-0007");
  int seen_cat = 0, seen_lib = 0;
  for (int i = 1; i < l.nlines; i++) {
    seen_cat |= strcmp(l.lines[i].text, "Box") == 0;
    seen_lib |= strcmp(l.lines[i].text, "Babytheek Meise") == 0;
  }
  cr_assert(seen_cat && seen_lib, "category stands in for a missing name; library shown");
}

Test(label_layout, outdoor_items_get_level_q)
{
  struct label_options opts = {.base_url = BASE};
  struct label_item in = {"BT000000001", "x", NULL, NULL, 0};
  struct label_item out = {"FB000000001", "x", NULL, NULL, 1};
  struct label_layout a, b;
  cr_assert_eq(label_layout(&in, 0, &opts, &a, NULL), 0);
  cr_assert_eq(label_layout(&out, 0, &opts, &b, NULL), 0);
  /* 36 bytes: version 3 holds them at M, Q needs version 4 */
  cr_assert_lt(a.qr_modules, b.qr_modules);
}

Test(label_code, format)
{
  char buf[40];
  const struct {
    const char *in, *out;
  } ok[] = {{"FB0042", "FB-0042"}, {"BT7", "BT-7"}, {"0042", "0042"}, {"ABC", "ABC"},
            {"A1B2", "A-1B2"}};
  for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
    cr_assert_eq(label_code_format(ok[i].in, buf, sizeof buf), 0, "%s", ok[i].in);
    cr_assert_str_eq(buf, ok[i].out);
  }
  const char *bad[] = {"../", "fb0042", "", "FB 42", "FB-0042", NULL};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    cr_assert_eq(label_code_format(bad[i], buf, sizeof buf), -1, "%s", bad[i] ? bad[i] : "NULL");
  cr_assert_eq(label_code_format("FB0042", buf, 7), -1, "too small a buffer");
  cr_assert_eq(label_code_format("FB0042", buf, 8), 0);
}

Test(label_date, dutch_words)
{
  char buf[40];
  const struct {
    const char *in, *out;
  } ok[] = {{"2027-06-30", "30 juni 2027"}, {"2024-02-29", "29 februari 2024"},
            {"2026-01-01", "1 januari 2026"}, {"2000-02-29", "29 februari 2000"},
            {"2026-12-31", "31 december 2026"}, {"2026-03-05", "5 maart 2026"}};
  for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
    cr_assert_eq(label_date_dutch(ok[i].in, buf, sizeof buf), 0, "%s", ok[i].in);
    cr_assert_str_eq(buf, ok[i].out);
  }
  const char *bad[] = {"2023-02-29", "1900-02-29", "2027-6-30", "2027-13-01", "2027-04-31",
                       "2027-00-10", "27-06-30", "2027/06/30", "2027-06-30x", "", NULL};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    cr_assert_eq(label_date_dutch(bad[i], buf, sizeof buf), -1, "%s", bad[i] ? bad[i] : "NULL");
}

/* ---- errors: each returns -1, the right code and field, and no output ---- */

#define LONG_BASE                                                                              \
  "https://bibliotheek.gemeente-voorbeeld.be/toepassingen/uitleendiensten/leen/publiek/"      \
  "items/en/nog/wat/langer/dan/nodig/om/de/qr/code/groot/te/maken/aaaaaaaaaaaaaaaaaaaaaaaaaaaa"

struct pdf_case {
  const char *what;
  const char *tmpl;
  int start;
  double ox;
  const char *base;
  const char *code2; /* the second item's code */
  const char *name2;
  size_t n;
  int null_items;
  const char *field;
};

static const struct pdf_case pdf_cases[] = {
  {"unknown template", "avery-l9999", 1, 0, BASE, "FB0002", "x", 2, 0, "/template"},
  {"empty selection", NULL, 1, 0, BASE, "FB0002", "x", 0, 0, "/items"},
  {"no items", NULL, 1, 0, BASE, "FB0002", "x", 2, 1, "/items"},
  {"too many items", NULL, 1, 0, BASE, "FB0002", "x", LABEL_MAX_ITEMS + 1, 0, "/items"},
  {"start past the sheet", "avery-l7160", 22, 0, BASE, "FB0002", "x", 2, 0, "/start"},
  {"start past a roll", "brother-dk11209", 2, 0, BASE, "FB0002", "x", 2, 0, "/start"},
  {"negative start", "zweckform-3474", -1, 0, BASE, "FB0002", "x", 2, 0, "/start"},
  {"path in a code", NULL, 1, 0, BASE, "../", "x", 2, 0, "/items/1/code"},
  {"lowercase code", NULL, 1, 0, BASE, "fb0002", "x", 2, 0, "/items/1/code"},
  {"empty code", NULL, 1, 0, BASE, "", "x", 2, 0, "/items/1/code"},
  {"null code", NULL, 1, 0, BASE, NULL, "x", 2, 0, "/items/1/code"},
  {"long code", NULL, 1, 0, BASE, "FB000000000000000000000000000001", "x", 2, 0, NULL},
  {"too long code", NULL, 1, 0, BASE, "FB0000000000000000000000000000001", "x", 2, 0,
   "/items/1/code"},
  {"bad utf-8 name", NULL, 1, 0, BASE, "FB0002", "Fiets \xFF", 2, 0, "/items/1/name"},
  {"control in name", NULL, 1, 0, BASE, "FB0002", "a\nb", 2, 0, "/items/1/name"},
  {"no base url", NULL, 1, 0, NULL, "FB0002", "x", 2, 0, "/base_url"},
  {"ftp base url", NULL, 1, 0, "ftp://leen.be", "FB0002", "x", 2, 0, "/base_url"},
  {"space in base url", NULL, 1, 0, "https://leen .be", "FB0002", "x", 2, 0, "/base_url"},
  {"bare scheme", NULL, 1, 0, "https://", "FB0002", "x", 2, 0, "/base_url"},
  {"offset too large", NULL, 1, 10.5, BASE, "FB0002", "x", 2, 0, "/offset_x"},
  {"offset not a number", NULL, 1, NAN, BASE, "FB0002", "x", 2, 0, "/offset_x"},
  {"qr too dense", "brother-dk11209", 1, 0, LONG_BASE, "FB0002", "x", 2, 0, "/items/0"},
};

static void pdf_case_run(const struct pdf_case *c)
{
  size_t n = c->n;
  struct label_item *items = calloc(n ? n : 1, sizeof *items);
  cr_assert(items);
  for (size_t i = 0; i < n; i++)
    items[i] = (struct label_item){"FB0001", "Fiets", NULL, NULL, 1};
  if (n >= 2) {
    items[1].code = c->code2;
    items[1].name = c->name2;
  }
  struct label_options o = {.template_name = c->tmpl, .start = c->start, .offset_x = c->ox,
                            .base_url = c->base};
  unsigned char *out = (unsigned char *)"x";
  size_t len = 99;
  struct leen_err err;
  int rc = label_render_pdf(c->null_items ? NULL : items, n, &o, &out, &len, &err);
  if (!c->field) {
    cr_assert_eq(rc, 0, "%s: %s", c->what, err.message);
    free(out);
  } else {
    cr_assert_eq(rc, -1, "%s", c->what);
    cr_assert_eq(err.code, LEEN_E_INVALID_FIELD, "%s: %s", c->what, leen_code_name(err.code));
    cr_assert_str_eq(err.field, c->field, "%s", c->what);
    cr_assert_neq(err.message[0], '\0');
    cr_assert_null(out);
    cr_assert_eq(len, 0);
  }
  free(items);
}

Test(label_errors, pdf)
{
  for (size_t i = 0; i < sizeof pdf_cases / sizeof pdf_cases[0]; i++)
    pdf_case_run(&pdf_cases[i]);
}

Test(label_errors, messages_are_clear)
{
  struct label_item items[] = {{"../etc", NULL, NULL, NULL, 0}};
  struct label_options o = {.template_name = "nope", .base_url = BASE};
  unsigned char *out;
  size_t len;
  struct leen_err err;
  cr_assert_eq(label_render_pdf(items, 1, &o, &out, &len, &err), -1);
  cr_assert_str_eq(err.message, "unknown label template \"nope\"");
  o.template_name = NULL;
  cr_assert_eq(label_render_pdf(items, 1, &o, &out, &len, &err), -1);
  cr_assert_str_eq(err.message, "item code \"../etc\" must be 1 to 32 characters of A-Z and 0-9");
  o.start = 22;
  items[0].code = "FB0001";
  cr_assert_eq(label_render_pdf(items, 1, &o, &out, &len, &err), -1);
  cr_assert_str_eq(err.message,
                   "start 22 is outside the sheet: template \"avery-l7160\" has positions 1 to 21");
  cr_assert_eq(leen_code_http(err.code), 422);
  /* NULL err is allowed */
  cr_assert_eq(label_render_pdf(NULL, 0, &o, &out, &len, NULL), -1);
}

Test(label_errors, single_labels)
{
  struct label_item bad = {"../", "x", NULL, NULL, 0}, good = {"FB0001", "x", NULL, NULL, 0};
  struct label_options o = {.base_url = BASE};
  char *svg;
  unsigned char *png;
  size_t len;
  struct leen_err err;
  cr_assert_eq(label_render_svg(&bad, &o, &svg, &len, &err), -1);
  cr_assert_eq(err.code, LEEN_E_INVALID_FIELD);
  cr_assert_str_eq(err.field, "/code");
  cr_assert_null(svg);
  cr_assert_eq(label_render_png(&bad, &o, &png, &len, &err), -1);
  cr_assert_str_eq(err.field, "/code");
  cr_assert_eq(label_render_svg(NULL, &o, &svg, &len, &err), -1);
  cr_assert_str_eq(err.field, "/code");
  o.dpi = 5000;
  cr_assert_eq(label_render_png(&good, &o, &png, &len, &err), -1);
  cr_assert_str_eq(err.field, "/dpi");
  cr_assert_null(png);
  cr_assert_eq(label_render_svg(&good, NULL, &svg, &len, &err), -1, "options carry the base url");
  cr_assert_str_eq(err.field, "/base_url");
  struct label_options t = {.template_name = "a4", .base_url = BASE};
  cr_assert_eq(label_render_svg(&good, &t, &svg, &len, &err), -1);
  cr_assert_str_eq(err.field, "/template");
}

Test(label_errors, card_and_voucher)
{
  unsigned char *out;
  size_t len;
  struct leen_err err;
  struct label_card card = {0, NULL, "Babytheek Meise"};
  cr_assert_eq(label_card_pdf(&card, LABEL_CARD_A4, &out, &len, &err), -1);
  cr_assert_str_eq(err.field, "/number");
  card.number = 10042;
  card.library_name = NULL;
  cr_assert_eq(label_card_pdf(&card, LABEL_CARD_A4, &out, &len, &err), -1);
  cr_assert_str_eq(err.field, "/library_name");
  card.library_name = "Babytheek Meise";
  cr_assert_eq(label_card_pdf(&card, (enum label_card_format)7, &out, &len, &err), -1);
  cr_assert_str_eq(err.field, "/format");
  cr_assert_eq(label_card_pdf(NULL, LABEL_CARD_A4, &out, &len, &err), -1);

  const char *libs[] = {"Babytheek Meise", NULL};
  const struct {
    struct label_voucher v;
    enum leen_code code;
    const char *field;
  } cases[] = {
      {{"AB12-CD34", "social", "2027-02-30", "Gemeente Meise", libs, NULL, NULL},
       LEEN_E_INVALID_DATE, "/valid_until"},
      {{"AB12-CD34", "social", "30/06/2027", "Gemeente Meise", libs, NULL, NULL},
       LEEN_E_INVALID_DATE, "/valid_until"},
      {{"AB12-CD34", "half", "2027-06-30", "Gemeente Meise", libs, NULL, NULL},
       LEEN_E_INVALID_FIELD, "/level"},
      {{"ab12", "full", "2027-06-30", "Gemeente Meise", libs, NULL, NULL}, LEEN_E_INVALID_FIELD,
       "/code"},
      {{"../x", "full", "2027-06-30", "Gemeente Meise", libs, NULL, NULL}, LEEN_E_INVALID_FIELD,
       "/code"},
      {{"AB12-CD34", "full", "2027-06-30", "", libs, NULL, NULL}, LEEN_E_INVALID_FIELD,
       "/org_name"},
      {{"AB12-CD34", "full", "2027-06-30", "Gemeente Meise", libs, "\xC3", NULL},
       LEEN_E_INVALID_FIELD, "/household_name"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    out = (unsigned char *)"x";
    cr_assert_eq(label_voucher_pdf(&cases[i].v, &out, &len, &err), -1, "case %zu", i);
    cr_assert_eq(err.code, cases[i].code, "case %zu: %s", i, err.message);
    cr_assert_str_eq(err.field, cases[i].field, "case %zu", i);
    cr_assert_null(out);
  }
  cr_assert_eq(label_voucher_pdf(NULL, &out, &len, &err), -1);
}
