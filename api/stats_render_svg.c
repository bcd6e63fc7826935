/* The monthly statistics as an SVG chart (see stats_render.h): counts on
 * the left axis, the reduced share in percent on the right one. All
 * coordinates are written with one decimal by hand, never with %f, so a
 * comma locale cannot break the XML. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stats_render.h"
#include "stats_render_int.h"

enum {
  W = 960, H = 580,
  PL = 80, PR = 880, PT = 70, PB = 400, /* the plot area */
};

#define C_LOANS "#1f5fa8"
#define C_NEW "#e07b00"
#define C_SHARE "#2a9d3a"
#define DASH "stroke-dasharray=\"7 4\""

static const char *const month_names[] = {"jan", "feb", "mrt", "apr", "mei", "jun",
                                          "jul", "aug", "sep", "okt", "nov", "dec"};

static void num(struct sr_buf *b, double x) { sr_tenths(b, x, '.'); }

/* <line> from (x1,y1) to (x2,y2) with extra attributes. */
static void line(struct sr_buf *b, double x1, double y1, double x2, double y2, const char *attrs)
{
  sr_puts(b, "<line x1=\"");
  num(b, x1);
  sr_puts(b, "\" y1=\"");
  num(b, y1);
  sr_puts(b, "\" x2=\"");
  num(b, x2);
  sr_puts(b, "\" y2=\"");
  num(b, y2);
  sr_printf(b, "\" %s/>\n", attrs);
}

/* <text> at (x,y); the text is escaped. */
static void text(struct sr_buf *b, double x, double y, const char *attrs, const char *s)
{
  sr_puts(b, "<text x=\"");
  num(b, x);
  sr_puts(b, "\" y=\"");
  num(b, y);
  sr_printf(b, "\" %s>", attrs);
  sr_xml(b, s);
  sr_puts(b, "</text>\n");
}

static void rect(struct sr_buf *b, double x, double y, double w, double h, const char *attrs)
{
  sr_puts(b, "<rect x=\"");
  num(b, x);
  sr_puts(b, "\" y=\"");
  num(b, y);
  sr_puts(b, "\" width=\"");
  num(b, w);
  sr_puts(b, "\" height=\"");
  num(b, h);
  sr_printf(b, "\" %s/>\n", attrs);
}

/* A round step (1, 2, 5 x 10^k) giving at most six gridlines up to max. */
static long long nice_step(double max)
{
  long long step = 1;
  for (int i = 0; (double)step * 6 < max; i++)
    step = (i % 3 == 1) ? step / 2 * 5 : step * 2; /* 1, 2, 5, 10, 20, 50, ... */
  return step;
}

/* "okt 2026" from "2026-10". */
static void month_label(char *out, size_t n, const char *month)
{
  int m = (int)strtol(month + 5, NULL, 10);
  snprintf(out, n, "%s %.4s", month_names[(m >= 1 && m <= 12) ? m - 1 : 0], month);
}

struct chart {
  struct sr_buf *b;
  const struct leen_stats_report *r;
  double top;                    /* left axis maximum */
  double gw;                     /* width of one month */
};

static double yl(const struct chart *c, double v) { return PB - v / c->top * (PB - PT); }
static double yr(double percent) { return PB - percent / 100.0 * (PB - PT); }

static double loans_target(const struct leen_stats_report *r, size_t i)
{
  return r->targets.loans_per_session * (double)r->months[i].opening_sessions;
}

static void axes(struct chart *c)
{
  struct sr_buf *b = c->b;
  double max = 0;
  for (size_t i = 0; i < c->r->nmonths; i++) {
    const struct leen_stats_month *m = &c->r->months[i];
    if ((double)m->loans_started > max) max = (double)m->loans_started;
    if ((double)m->new_households > max) max = (double)m->new_households;
    if (c->r->targets.loans_per_session >= 0 && loans_target(c->r, i) > max)
      max = loans_target(c->r, i);
  }
  if (c->r->targets.new_households_6m >= 0 && c->r->targets.new_households_6m / 6.0 > max)
    max = c->r->targets.new_households_6m / 6.0;
  long long step = nice_step(max);
  long long ticks = (long long)(max / (double)step);
  if ((double)(ticks * step) < max || ticks == 0)
    ticks++;
  c->top = (double)(ticks * step);

  sr_puts(b, "<g class=\"grid\" stroke=\"#dddddd\" stroke-width=\"1\">\n");
  for (long long t = 1; t <= ticks; t++)
    line(b, PL, yl(c, (double)(t * step)), PR, yl(c, (double)(t * step)), "");
  sr_puts(b, "</g>\n<g class=\"axes\" stroke=\"#333333\" stroke-width=\"1\">\n");
  line(b, PL, PT, PL, PB, "");
  line(b, PR, PT, PR, PB, "");
  line(b, PL, PB, PR, PB, "");
  sr_puts(b, "</g>\n<g class=\"ticks\" font-size=\"11\" fill=\"#333333\">\n");
  char label[32];
  for (long long t = 0; t <= ticks; t++) {
    snprintf(label, sizeof label, "%lld", t * step);
    text(b, PL - 8, yl(c, (double)(t * step)) + 4, "text-anchor=\"end\"", label);
  }
  for (int p = 0; p <= 100; p += 20) {
    snprintf(label, sizeof label, "%d %%", p);
    text(b, PR + 8, yr(p) + 4, "text-anchor=\"start\"", label);
  }
  size_t every = (c->r->nmonths + 11) / 12;
  for (size_t i = 0; i < c->r->nmonths; i += every) {
    month_label(label, sizeof label, c->r->months[i].month);
    text(b, PL + c->gw * ((double)i + 0.5), PB + 18, "text-anchor=\"middle\"", label);
  }
  sr_puts(b, "</g>\n<g class=\"axis-titles\" font-size=\"12\" fill=\"#333333\">\n");
  sr_printf(b, "<text x=\"0\" y=\"0\" text-anchor=\"middle\" transform=\"translate(26 %d) "
               "rotate(-90)\">aantal per maand</text>\n", (PT + PB) / 2);
  sr_printf(b, "<text x=\"0\" y=\"0\" text-anchor=\"middle\" transform=\"translate(%d %d) "
               "rotate(90)\">aandeel nieuwe gezinnen met verminderd tarief (%%)</text>\n",
            W - 22, (PT + PB) / 2);
  text(b, (PL + PR) / 2.0, PB + 42, "text-anchor=\"middle\"", "maand");
  sr_puts(b, "</g>\n");
}

static void bars(struct chart *c)
{
  struct sr_buf *b = c->b;
  double bw = c->gw * 0.34;
  sr_puts(b, "<g class=\"bars\">\n");
  for (size_t i = 0; i < c->r->nmonths; i++) {
    const struct leen_stats_month *m = &c->r->months[i];
    double x = PL + c->gw * (double)i + c->gw * 0.13;
    double y = yl(c, (double)m->loans_started);
    rect(b, x, y, bw, PB - y, "fill=\"" C_LOANS "\"");
    y = yl(c, (double)m->new_households);
    rect(b, x + bw + c->gw * 0.06, y, bw, PB - y, "fill=\"" C_NEW "\"");
  }
  sr_puts(b, "</g>\n");
}

static void share_line(struct chart *c)
{
  struct sr_buf *b = c->b;
  sr_puts(b, "<path class=\"share\" fill=\"none\" stroke=\"" C_SHARE "\" stroke-width=\"2\" d=\"");
  int pen = 0;
  for (size_t i = 0; i < c->r->nmonths; i++) {
    const struct leen_stats_month *m = &c->r->months[i];
    if (m->new_households <= 0) {
      pen = 0; /* no new households: no share, the line breaks */
      continue;
    }
    double p = 100.0 * (double)m->new_households_reduced / (double)m->new_households;
    sr_puts(b, pen ? " L " : " M ");
    num(b, PL + c->gw * ((double)i + 0.5));
    sr_puts(b, " ");
    num(b, yr(p));
    pen = 1;
  }
  sr_puts(b, "\"/>\n<g class=\"share-points\" fill=\"" C_SHARE "\">\n");
  for (size_t i = 0; i < c->r->nmonths; i++) {
    const struct leen_stats_month *m = &c->r->months[i];
    if (m->new_households <= 0)
      continue;
    double p = 100.0 * (double)m->new_households_reduced / (double)m->new_households;
    sr_puts(b, "<circle cx=\"");
    num(b, PL + c->gw * ((double)i + 0.5));
    sr_puts(b, "\" cy=\"");
    num(b, yr(p));
    sr_puts(b, "\" r=\"3.5\"/>\n");
  }
  sr_puts(b, "</g>\n");
}

static void targets(struct chart *c)
{
  struct sr_buf *b = c->b;
  const struct leen_stats_targets *t = &c->r->targets;
  sr_puts(b, "<g class=\"targets\" fill=\"none\" stroke-width=\"1.5\">\n");
  if (t->loans_per_session >= 0)
    for (size_t i = 0; i < c->r->nmonths; i++) {
      double y = yl(c, loans_target(c->r, i));
      line(b, PL + c->gw * (double)i, y, PL + c->gw * (double)(i + 1), y,
           "stroke=\"" C_LOANS "\" " DASH);
    }
  if (t->new_households_6m >= 0) {
    double y = yl(c, t->new_households_6m / 6.0);
    line(b, PL, y, PR, y, "stroke=\"" C_NEW "\" " DASH);
  }
  if (t->reduced_share_min >= 0)
    line(b, PL, yr(t->reduced_share_min), PR, yr(t->reduced_share_min),
         "stroke=\"" C_SHARE "\" " DASH);
  if (t->reduced_share_max >= 0)
    line(b, PL, yr(t->reduced_share_max), PR, yr(t->reduced_share_max),
         "stroke=\"" C_SHARE "\" " DASH);
  sr_puts(b, "</g>\n");
}

/* One legend entry: a swatch ("bar", "line", "dash") and its label. */
static void legend_entry(struct sr_buf *b, int slot, const char *swatch, const char *color,
                         const char *label)
{
  double x = PL + (slot % 2) * 400, y = 478 + (slot / 2) * 24;
  if (strcmp(swatch, "bar") == 0) {
    sr_printf(b, "<rect x=\"");
    num(b, x);
    sr_puts(b, "\" y=\"");
    num(b, y - 9);
    sr_printf(b, "\" width=\"22\" height=\"10\" fill=\"%s\"/>\n", color);
  } else {
    char attrs[128];
    snprintf(attrs, sizeof attrs, "stroke=\"%s\" stroke-width=\"2\"%s", color,
             strcmp(swatch, "dash") == 0 ? " " DASH : "");
    line(b, x, y - 4, x + 22, y - 4, attrs);
  }
  text(b, x + 30, y, "font-size=\"12\" fill=\"#333333\"", label);
}

static void legend(struct chart *c)
{
  struct sr_buf *b = c->b;
  const struct leen_stats_targets *t = &c->r->targets;
  int slot = 0;
  sr_puts(b, "<g class=\"legend\">\n");
  legend_entry(b, slot++, "bar", C_LOANS, "Uitleningen per maand");
  legend_entry(b, slot++, "bar", C_NEW, "Nieuwe gezinnen per maand");
  legend_entry(b, slot++, "line", C_SHARE, "Aandeel nieuwe gezinnen met verminderd tarief (%)");
  struct sr_buf label = {0};
  if (t->loans_per_session >= 0) {
    sr_puts(&label, "Doel: ");
    sr_number(&label, t->loans_per_session, ',');
    sr_puts(&label, " uitleningen per openingsmoment");
    legend_entry(b, slot++, "dash", C_LOANS, label.oom ? "" : label.p);
    label.len = 0;
  }
  if (t->new_households_6m >= 0) {
    sr_puts(&label, "Doel: ");
    sr_number(&label, t->new_households_6m, ',');
    sr_puts(&label, " nieuwe gezinnen per 6 maanden (");
    sr_tenths(&label, t->new_households_6m / 6.0, ',');
    sr_puts(&label, " per maand)");
    legend_entry(b, slot++, "dash", C_NEW, label.oom ? "" : label.p);
    label.len = 0;
  }
  if (t->reduced_share_min >= 0 || t->reduced_share_max >= 0) {
    sr_puts(&label, "Doel: ");
    sr_number(&label, t->reduced_share_min >= 0 ? t->reduced_share_min : 0, ',');
    sr_puts(&label, "\xE2\x80\x93");
    sr_number(&label, t->reduced_share_max >= 0 ? t->reduced_share_max : 100, ',');
    sr_puts(&label, " % met verminderd tarief");
    legend_entry(b, slot++, "dash", C_SHARE, label.oom ? "" : label.p);
  }
  free(label.p);
  sr_puts(b, "</g>\n");
}

char *api_stats_svg(const struct leen_stats_report *r, size_t *len)
{
  struct sr_buf b = {0};
  char title[320], from[32], to[32];
  snprintf(from, sizeof from, "%s", r->from);
  snprintf(to, sizeof to, "%s", r->to);
  if (leen_stats_month_valid(r->from))
    month_label(from, sizeof from, r->from);
  if (leen_stats_month_valid(r->to))
    month_label(to, sizeof to, r->to);
  snprintf(title, sizeof title, "%s: maandcijfers %s tot en met %s",
           r->library_name[0] ? r->library_name : r->library, from, to);
  sr_printf(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%d\" "
                "height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"DejaVu Sans, Arial, "
                "sans-serif\" lang=\"nl\">\n<title>",
            W, H, W, H);
  sr_xml(&b, title);
  sr_puts(&b, "</title>\n");
  rect(&b, 0, 0, W, H, "fill=\"#ffffff\"");
  text(&b, W / 2.0, 34, "text-anchor=\"middle\" font-size=\"18\" font-weight=\"bold\" "
                        "fill=\"#222222\"", title);
  struct chart c = {&b, r, 1, r->nmonths ? (double)(PR - PL) / (double)r->nmonths : PR - PL};
  axes(&c);
  bars(&c);
  targets(&c);
  share_line(&c);
  legend(&c);
  if (!r->nmonths)
    text(&b, (PL + PR) / 2.0, (PT + PB) / 2.0, "text-anchor=\"middle\"", "geen gegevens");
  sr_puts(&b, "</svg>\n");
  return sr_finish(&b, len);
}
