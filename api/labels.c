/* Labels: the templates, GET /v1/labels.pdf for a selection of items, and
 * one item's label as SVG or PNG. The QR holds <public URL>/i/<code>, the
 * server's LEEN_PUBLIC_URL; Fietsbieb items get error correction Q
 * because their labels live outdoors. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "items.h"
#include "labels.h"
#include "leen/label.h"
#include "leen/library.h"
#include "server.h"

/* Rows per round trip while collecting a filtered selection: core's most. */
#define LABELS_PAGE 500

static const char *const statuses[] = {"available", "on_loan",  "reserved", "cleaning",
                                       "in_repair", "retired", "lost",     NULL};

int api_labels_templates(struct api_req *r)
{
  size_t n = 0;
  const struct label_template *t = label_templates(&n);
  cJSON *items = cJSON_CreateArray();
  for (size_t i = 0; i < n; i++) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "name", t[i].name);
    cJSON_AddStringToObject(o, "description", t[i].description);
    cJSON_AddNumberToObject(o, "page_width_mm", t[i].page_w);
    cJSON_AddNumberToObject(o, "page_height_mm", t[i].page_h);
    cJSON_AddNumberToObject(o, "label_width_mm", t[i].label_w);
    cJSON_AddNumberToObject(o, "label_height_mm", t[i].label_h);
    cJSON_AddNumberToObject(o, "margin_left_mm", t[i].margin_left);
    cJSON_AddNumberToObject(o, "margin_top_mm", t[i].margin_top);
    cJSON_AddNumberToObject(o, "pitch_x_mm", t[i].pitch_x);
    cJSON_AddNumberToObject(o, "pitch_y_mm", t[i].pitch_y);
    cJSON_AddNumberToObject(o, "columns", t[i].columns);
    cJSON_AddNumberToObject(o, "rows", t[i].rows);
    cJSON_AddNumberToObject(o, "labels_per_sheet", t[i].columns * t[i].rows);
    cJSON_AddNumberToObject(o, "corner_radius_mm", t[i].corner_radius);
    cJSON_AddItemToArray(items, o);
  }
  return api_reply_page(r, items, NULL);
}

/* ---- options ---- */

/* ?offset_x=-0.7: millimetres, -10 to 10. */
static void query_mm(struct api_req *r, const char *name, double *out)
{
  const char *v = api_query(r, name);
  if (!v)
    return;
  size_t n = strlen(v);
  char *end = NULL;
  /* digits, sign and point only: strtod would also take "nan", "inf", hex */
  int ok = n >= 1 && n <= 16 && strspn(v, "+-0123456789.") == n;
  double d = ok ? strtod(v, &end) : 0;
  if (!ok || *end || !isfinite(d) || d < -10 || d > 10) {
    char ptr[32];
    snprintf(ptr, sizeof ptr, "?%s", name);
    api_in_error(r, LEEN_E_INVALID_FIELD, ptr, "must be millimetres from -10 to 10, as 0.5");
    return;
  }
  *out = d;
}

/* ?template=: a known template, or the default; NULL with an error. */
static const struct label_template *query_template(struct api_req *r, const char *dflt)
{
  const char *name = api_query(r, "template");
  const struct label_template *t = label_template_find(name ? name : dflt);
  if (!t && !r->nerrors)
    api_in_error(r, LEEN_E_INVALID_FIELD, "?template",
                 "names no template; GET /v1/labels/templates lists them");
  return t;
}

/* The label library names its inputs "/template", "/items/3/code"; the
 * client sent query parameters. A bad base URL is the server's fault. */
static int reply_render_error(struct api_req *r, const struct leen_err *err)
{
  static const char *const params[] = {"template", "start", "offset_x", "offset_y", "dpi", NULL};
  const char *f = err->field;
  if (err->code == LEEN_E_INVALID_FIELD && strcmp(f, "/base_url") == 0) {
    fprintf(stderr, "labels: LEEN_PUBLIC_URL cannot go on a label: %s\n", err->message);
    return api_reply_code(r, LEEN_E_INTERNAL, NULL);
  }
  if (err->code == LEEN_E_INVALID_FIELD || err->code == LEEN_E_INVALID_DATE) {
    const char *name = strncmp(f, "/items", 6) == 0 ? "items" : NULL;
    for (size_t i = 0; !name && params[i]; i++)
      if (f[0] == '/' && strcmp(f + 1, params[i]) == 0)
        name = params[i];
    if (name) {
      char ptr[32];
      snprintf(ptr, sizeof ptr, "?%s", name);
      api_in_error(r, err->code, ptr, "%s", err->message);
      return api_reply_fields(r);
    }
  }
  return api_reply_error(r, err);
}

/* ---- the selection ---- */

struct selection {
  struct leen_item *items;   /* attributes dropped: a label does not show them */
  size_t n, cap;
};

/* Moves *it into s (it is emptied); -1 when out of memory. */
static int sel_push(struct selection *s, struct leen_item *it)
{
  if (s->n == s->cap) {
    size_t cap = s->cap ? s->cap * 2 : 64;
    struct leen_item *grown = realloc(s->items, cap * sizeof *grown);
    if (!grown)
      return -1;
    s->items = grown;
    s->cap = cap;
  }
  s->items[s->n] = *it;
  s->items[s->n].attributes = NULL;
  s->n++;
  leen_item_release(it);
  return 0;
}

static void sel_release(struct selection *s)
{
  free(s->items);
  memset(s, 0, sizeof *s);
}

/* ?items=FB0001,fb-0002,https://.../i/FB0003 (commas or white space
 * between them), in the order given. Returns 0, or -1 with an error in r
 * (a bad code) or in err. */
static int select_codes(struct api_req *r, struct leen_db *db, const char *list,
                        struct selection *s, struct leen_err *err)
{
  static const char seps[] = ", \t\r\n";
  const char *p = list;
  for (;;) {
    p += strspn(p, seps);
    if (!*p)
      return 0;
    size_t len = strcspn(p, seps);
    char token[260], code[16];
    snprintf(token, sizeof token, "%.*s", (int)(len < 259 ? len : 259), p);
    p += len;
    if (len > 256 || leen_item_code_normalize(token, code) < 0) {
      api_in_error(r, LEEN_E_INVALID_FIELD, "?items", "\"%.40s\" is not an item code", token);
      return -1;
    }
    if (s->n == API_LABELS_MAX) {
      api_in_error(r, LEEN_E_INVALID_FIELD, "?items", "names more than %d items",
                   API_LABELS_MAX);
      return -1;
    }
    struct leen_item it = {0};
    if (leen_item_get(db, &r->actor, code, &it, err) < 0) {
      if (err->code != LEEN_E_NOT_FOUND)
        return -1;
      api_in_error(r, LEEN_E_INVALID_FIELD, "?items", "no item has the code %s", code);
      return -1;
    }
    if (sel_push(s, &it) < 0) {
      leen_item_release(&it);
      return leen_error(err, LEEN_E_INTERNAL, "out of memory");
    }
  }
}

/* The items a filter selects, page by page; retired and lost items only
 * when ?status= asks for them. */
static int select_filter(struct api_req *r, struct leen_db *db, struct leen_item_query *q,
                         const char *first_param, struct selection *s, struct leen_err *err)
{
  for (;;) {
    struct leen_item_list list = {0};
    q->limit = LABELS_PAGE;
    if (leen_item_list(db, &r->actor, q, &list, err) < 0)
      return -1;
    int rc = 0;
    for (size_t i = 0; i < list.n && rc == 0; i++) {
      const char *st = list.items[i].status;
      if (!q->status && (strcmp(st, "retired") == 0 || strcmp(st, "lost") == 0))
        continue;
      if (s->n == API_LABELS_MAX) {
        char ptr[32];
        snprintf(ptr, sizeof ptr, "?%s", first_param);
        api_in_error(r, LEEN_E_INVALID_FIELD, ptr,
                     "selects more than %d items: narrow it with category, status or since",
                     API_LABELS_MAX);
        rc = -1;
      } else if (sel_push(s, &list.items[i]) < 0) {
        rc = leen_error(err, LEEN_E_INTERNAL, "out of memory");
      }
    }
    q->after = list.next_after;
    leen_item_list_release(&list);
    if (rc < 0 || q->after == 0)
      return rc;
  }
}

/* Reads ?library=&category=&status=&since= and collects what they select.
 * ?since= names an item: that one and every later one of its library (a
 * newly registered batch). */
static int select_by_filter(struct api_req *r, struct leen_db *db, struct selection *s,
                            struct leen_err *err)
{
  static const char *const params[] = {"library", "category", "status", "since", NULL};
  struct leen_item_query q = {0};
  int status = -1;
  const char *first = NULL;
  for (size_t i = 0; params[i] && !first; i++)
    if (api_query(r, params[i]))
      first = params[i];
  q.library = api_query(r, "library");
  if (q.library && !q.library[0])
    api_in_error(r, LEEN_E_INVALID_FIELD, "?library", "is empty");
  api_query_int(r, "category", API_OPTIONAL, 1, INT64_MAX / 2, &q.category_id);
  if (api_query_enum(r, "status", API_OPTIONAL, statuses, &status) > 0)
    q.status = statuses[status];
  const char *since = api_query(r, "since");
  struct leen_item from = {0};
  char code[16];
  if (since && leen_item_code_normalize(since, code) < 0)
    api_in_error(r, LEEN_E_INVALID_FIELD, "?since", "is not an item code");
  if (!first)
    api_in_error(r, LEEN_E_INVALID_FIELD, "?items",
                 "choose the items: items=, or library=, category=, status= or since=");
  if (r->nerrors)
    return -1;
  if (since) {
    if (leen_item_get(db, &r->actor, code, &from, err) < 0) {
      if (err->code != LEEN_E_NOT_FOUND)
        return -1;
      api_in_error(r, LEEN_E_INVALID_FIELD, "?since", "no item has the code %s", code);
      return -1;
    }
    if (q.library && strcmp(q.library, from.library) != 0) {
      api_in_error(r, LEEN_E_INVALID_FIELD, "?since", "is an item of another library");
      leen_item_release(&from);
      return -1;
    }
    q.library = from.library;
    q.after = from.id - 1;
  }
  int rc = select_filter(r, db, &q, first, s, err);
  leen_item_release(&from);
  char ptr[32];
  snprintf(ptr, sizeof ptr, "?%s", first);
  if (rc == 0 && s->n == 0) {
    api_in_error(r, LEEN_E_INVALID_FIELD, ptr, "selects no items");
    rc = -1;
  } else if (rc < 0 && !r->nerrors && err->code == LEEN_E_NOT_FOUND &&
             strcmp(err->field, "/library") == 0) {
    /* a selection naming no library is a bad request, not a missing page */
    api_in_error(r, LEEN_E_INVALID_FIELD, "?library", "%s", err->message);
  }
  return rc;
}

/* ---- the library of each label ---- */

struct libraries {
  struct leen_library *libs;
  size_t n;
};

static const struct leen_library *library_of(const struct libraries *l, const char *slug)
{
  for (size_t i = 0; i < l->n; i++)
    if (strcmp(l->libs[i].slug, slug) == 0)
      return &l->libs[i];
  return NULL;
}

static void fill_label(struct label_item *li, const struct leen_item *it,
                       const struct leen_library *lib)
{
  li->code = it->code;
  li->name = it->name;
  li->category = it->category;
  li->library_name = lib ? lib->name : it->library;
  li->outdoor = lib && strcmp(lib->kind, "fietsbieb") == 0;
}

/* ---- GET /v1/labels.pdf ---- */

static int render_selection(struct api_req *r, struct leen_db *db, const struct selection *s,
                            const struct label_options *opts)
{
  struct leen_err err;
  struct libraries libs = {0};
  if (leen_library_list(db, &r->actor, &libs.libs, &libs.n, &err) < 0)
    return api_reply_error(r, &err);
  struct label_item *li = calloc(s->n, sizeof *li);
  unsigned char *pdf = NULL;
  size_t len = 0;
  int rc;
  if (!li) {
    rc = api_reply_code(r, LEEN_E_INTERNAL, NULL);
  } else {
    for (size_t i = 0; i < s->n; i++)
      fill_label(&li[i], &s->items[i], library_of(&libs, s->items[i].library));
    if (label_render_pdf(li, s->n, opts, &pdf, &len, &err) < 0) {
      rc = reply_render_error(r, &err);
    } else {
      /* a client cannot count them in the PDF: tell it */
      char count[24], sheets[24];
      snprintf(count, sizeof count, "%zu", s->n);
      snprintf(sheets, sizeof sheets, "%d",
               label_sheet_count(label_template_find(opts->template_name), opts->start, s->n));
      api_add_header(r, "Content-Disposition", "inline; filename=\"labels.pdf\"");
      api_add_header(r, "Leen-Label-Count", count);
      api_add_header(r, "Leen-Sheet-Count", sheets);
      rc = api_reply_raw(r, 200, "application/pdf", (char *)pdf, len);
    }
  }
  free(li);
  free(libs.libs);
  return rc;
}

int api_labels_pdf(struct api_req *r)
{
  struct label_options opts = {0};
  int64_t start = 1;
  int outline = 0;
  const struct label_template *t = query_template(r, "avery-l7160");
  if (t)
    api_query_int(r, "start", API_OPTIONAL, 1, (int64_t)t->columns * t->rows, &start);
  query_mm(r, "offset_x", &opts.offset_x);
  query_mm(r, "offset_y", &opts.offset_y);
  api_query_bool(r, "outline", API_OPTIONAL, &outline);
  const char *items = api_query(r, "items");
  if (items && (api_query(r, "library") || api_query(r, "category") || api_query(r, "status") ||
                api_query(r, "since")))
    api_in_error(r, LEEN_E_INVALID_FIELD, "?items",
                 "give items, or library, category, status or since, not both");
  if (r->nerrors)
    return api_reply_fields(r);
  opts.template_name = t->name;
  opts.start = (int)start;
  opts.outline = outline;
  opts.base_url = api_server_config(r->srv)->public_url;

  struct leen_err err = {0};
  struct leen_db *db = api_db(r, &err);
  if (!db)
    return api_reply_error(r, &err);
  struct selection s = {0};
  int rc = items ? select_codes(r, db, items, &s, &err) : select_by_filter(r, db, &s, &err);
  if (rc == 0 && s.n == 0) {
    api_in_error(r, LEEN_E_INVALID_FIELD, "?items", "names no items");
    rc = -1;
  }
  if (rc < 0)
    rc = r->nerrors ? api_reply_fields(r) : api_reply_error(r, &err);
  else
    rc = render_selection(r, db, &s, &opts);
  for (size_t i = 0; i < s.n; i++)
    leen_item_release(&s.items[i]);
  sel_release(&s);
  return rc;
}

/* ---- one label ---- */

static int single_label(struct api_req *r, int png)
{
  char code[16];
  if (api_item_code_param(r, code) < 0)
    return 0;
  struct label_options opts = {0};
  int64_t dpi = 300;
  const struct label_template *t = query_template(r, "single");
  if (png)
    api_query_int(r, "dpi", API_OPTIONAL, 72, 1200, &dpi);
  if (r->nerrors)
    return api_reply_fields(r);
  opts.template_name = t->name;
  opts.dpi = (int)dpi;
  opts.base_url = api_server_config(r->srv)->public_url;

  struct leen_err err;
  struct leen_db *db = api_db(r, &err);
  struct leen_item it = {0};
  struct leen_library *lib = malloc(sizeof *lib);
  struct label_item li = {0};
  char *svg = NULL;
  unsigned char *bin = NULL;
  size_t len = 0;
  int rc;
  if (!lib) {
    rc = api_reply_code(r, LEEN_E_INTERNAL, NULL);
  } else if (!db || leen_item_get(db, &r->actor, code, &it, &err) < 0 ||
             leen_library_get(db, &r->actor, it.library, lib, &err) < 0) {
    rc = api_reply_error(r, &err);
  } else {
    fill_label(&li, &it, lib);
    int bad = png ? label_render_png(&li, &opts, &bin, &len, &err)
                  : label_render_svg(&li, &opts, &svg, &len, &err);
    if (bad < 0) {
      rc = reply_render_error(r, &err);
    } else {
      char disp[64];
      snprintf(disp, sizeof disp, "inline; filename=\"%s.%s\"", it.code, png ? "png" : "svg");
      api_add_header(r, "Content-Disposition", disp);
      rc = api_reply_raw(r, 200, png ? "image/png" : "image/svg+xml", png ? (char *)bin : svg,
                         len);
    }
  }
  leen_item_release(&it);
  free(lib);
  return rc;
}

int api_item_label_svg(struct api_req *r) { return single_label(r, 0); }
int api_item_label_png(struct api_req *r) { return single_label(r, 1); }
