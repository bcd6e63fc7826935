/* The counter page's files, and the page a label's QR code opens. The page
 * itself is static (web/: HTML, CSS, ES modules, no build step); only
 * /i/{code} is filled in here, so a phone camera shows what the item is
 * without a login and without JavaScript. */
#include "web.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api.h"
#include "leen/item.h"
#include "leen/label.h"
#include "leen/library.h"

#ifndef LEEN_WEB_DIR_DEFAULT
#define LEEN_WEB_DIR_DEFAULT "/usr/share/leen/web"
#endif
#define WEB_DIR_INSTALLED "/usr/share/leen/web"
/* The largest file served: the page's files are a few KiB each. */
#define WEB_FILE_MAX ((size_t)4 * 1024 * 1024)
/* Where /i/{code} puts the item into index.html. */
#define ITEM_MARKER "<!--leen:item-->"

/* The page never loads anything from elsewhere; API calls go to 'self'. */
static const char csp[] = "default-src 'self'; img-src 'self' data: blob:; object-src 'none'; "
                          "base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

/* ---- where web/ is --------------------------------------------------------
 * Decided once: the environment does not change while serving, and each
 * request only reads the result. */
static char web_dir[1024];
static pthread_once_t web_dir_once = PTHREAD_ONCE_INIT;

static int has_index(const char *dir)
{
  char path[1100];
  snprintf(path, sizeof path, "%s/index.html", dir);
  return access(path, R_OK) == 0;
}

static void find_web_dir(void)
{
  const char *env = getenv("LEEN_WEB_DIR");
  const char *dir = env && *env ? env
                    : has_index(LEEN_WEB_DIR_DEFAULT) ? LEEN_WEB_DIR_DEFAULT
                                                       : WEB_DIR_INSTALLED;
  snprintf(web_dir, sizeof web_dir, "%s", dir);
}

static const char *web_root(void)
{
  pthread_once(&web_dir_once, find_web_dir);
  return web_dir;
}

/* ---- files ---------------------------------------------------------------- */

struct web_file {
  char *data;    /* malloc'ed, NUL-terminated */
  size_t len;
  char etag[64];
};

/* Reads web/<rel> (rel is trusted: a constant or a checked name). Returns
 * 0, or -1 when it is missing, not a regular file, too big or unreadable. */
static int file_read(const char *rel, struct web_file *f)
{
  char path[1200];
  memset(f, 0, sizeof *f);
  if ((size_t)snprintf(path, sizeof path, "%s/%s", web_root(), rel) >= sizeof path)
    return -1;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return -1;
  struct stat st;
  int rc = -1;
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size <= WEB_FILE_MAX) {
    f->len = (size_t)st.st_size;
    f->data = malloc(f->len + 1);
    size_t got = 0;
    while (f->data && got < f->len) {
      ssize_t n = read(fd, f->data + got, f->len - got);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      got += (size_t)n;
    }
    if (f->data && got == f->len) {
      f->data[f->len] = '\0';
      /* size and change time name the version: a deploy that rewrites a
       * file changes its ETag */
      snprintf(f->etag, sizeof f->etag, "\"%llx-%llx\"", (unsigned long long)st.st_size,
               (unsigned long long)st.st_mtim.tv_sec * 1000000000ull +
                   (unsigned long long)st.st_mtim.tv_nsec);
      rc = 0;
    } else {
      free(f->data);
      f->data = NULL;
    }
  }
  close(fd);
  return rc;
}

static const struct {
  const char *ext;
  const char *type;
} types[] = {
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".ico", "image/x-icon"},
    {".json", "application/json"},
    {".webmanifest", "application/manifest+json"},
    {".woff2", "font/woff2"},
    {".txt", "text/plain; charset=utf-8"},
};

/* The content type of a file name, or NULL: a file of another kind is
 * not served at all (no guessing, no octet-stream downloads). */
static const char *content_type(const char *name)
{
  const char *dot = strrchr(name, '.');
  if (!dot)
    return NULL;
  for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
    if (strcmp(dot, types[i].ext) == 0)
      return types[i].type;
  return NULL;
}

/* A plain file name: letters, digits, '-', '_' and '.', not starting with
 * '.', so "..", hidden files and anything with a '/' (also a decoded
 * "%2F") never reach the file system. */
static int safe_name(const char *name)
{
  size_t n = strlen(name);
  if (n == 0 || n > 100 || name[0] == '.')
    return 0;
  for (size_t i = 0; i < n; i++) {
    char c = name[i];
    int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
             c == '-' || c == '_' || c == '.';
    if (!ok)
      return 0;
  }
  return 1;
}

static void page_headers(struct api_req *r, const char *type)
{
  api_add_header(r, "X-Content-Type-Options", "nosniff");
  if (strncmp(type, "text/html", 9) == 0) {
    api_add_header(r, "Content-Security-Policy", csp);
    api_add_header(r, "Referrer-Policy", "no-referrer");
  }
}

/* 1 when If-None-Match names etag (or is "*"). */
static int etag_matches(struct api_req *r, const char *etag)
{
  const char *inm = api_header(r, "If-None-Match");
  if (!inm)
    return 0;
  if (strcmp(inm, "*") == 0)
    return 1;
  size_t n = strlen(etag);
  for (const char *p = strstr(inm, etag); p; p = strstr(p + 1, etag)) {
    char after = p[n];
    if (after == '\0' || after == ',' || after == ' ')
      return 1;
  }
  return 0;
}

/* Replies with web/<rel>: 200 with the file, 304 when the browser has it. */
static int reply_file(struct api_req *r, const char *rel)
{
  const char *type = content_type(rel);
  struct web_file f;
  if (!type || file_read(rel, &f) < 0)
    return api_reply_code(r, LEEN_E_NOT_FOUND, "no such file");
  /* no-cache: revalidate every time. The modules are not renamed per
   * version (no build step), so a cached old module next to a new one
   * would break the page; a 304 costs next to nothing. */
  api_add_header(r, "Cache-Control", "no-cache");
  api_add_header(r, "ETag", f.etag);
  page_headers(r, type);
  if (etag_matches(r, f.etag)) {
    free(f.data);
    return api_reply_raw(r, 304, NULL, NULL, 0);
  }
  return api_reply_raw(r, 200, type, f.data, f.len);
}

int api_web_index(struct api_req *r) { return reply_file(r, "index.html"); }

int api_web_asset(struct api_req *r)
{
  const char *name = r->params[0];
  char rel[128];
  if (!safe_name(name))
    return api_reply_code(r, LEEN_E_NOT_FOUND, "no such file");
  snprintf(rel, sizeof rel, "assets/%s", name);
  return reply_file(r, rel);
}

/* ---- /i/{code} ----------------------------------------------------------- */

struct sbuf {
  char *s;
  size_t len, cap;
  int oom;
};

static void sb_add(struct sbuf *b, const char *s, size_t n)
{
  if (b->oom)
    return;
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + n + 1)
      cap *= 2;
    char *p = realloc(b->s, cap);
    if (!p) {
      b->oom = 1;
      return;
    }
    b->s = p;
    b->cap = cap;
  }
  memcpy(b->s + b->len, s, n);
  b->len += n;
  b->s[b->len] = '\0';
}

static void sb_str(struct sbuf *b, const char *s) { sb_add(b, s, strlen(s)); }

/* Appends text escaped for HTML content and attribute values. */
static void sb_text(struct sbuf *b, const char *s)
{
  for (; *s; s++) {
    switch (*s) {
    case '&': sb_str(b, "&amp;"); break;
    case '<': sb_str(b, "&lt;"); break;
    case '>': sb_str(b, "&gt;"); break;
    case '"': sb_str(b, "&quot;"); break;
    case '\'': sb_str(b, "&#39;"); break;
    default: sb_add(b, s, 1);
    }
  }
}

/* An item's status as the page says it (web/assets/format.js says the same). */
static const char *status_words(const char *status)
{
  static const struct {
    const char *status, *words;
  } words[] = {
      {"available", "Beschikbaar"},   {"on_loan", "Uitgeleend"},
      {"reserved", "Gereserveerd"},   {"cleaning", "Wordt gewassen"},
      {"in_repair", "In herstelling"}, {"retired", "Uit gebruik"},
      {"lost", "Verloren"},
  };
  for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
    if (strcmp(status, words[i].status) == 0)
      return words[i].words;
  return status;
}

static void card_row(struct sbuf *b, const char *term, const char *value)
{
  sb_str(b, "<div><dt>");
  sb_str(b, term);
  sb_str(b, "</dt><dd>");
  sb_text(b, value);
  sb_str(b, "</dd></div>");
}

/* The item card: only what the label shows anyway, plus its status. */
static void item_card(struct sbuf *b, const struct leen_item *it, const char *library_name)
{
  char shown[24];
  if (label_code_format(it->code, shown, sizeof shown) < 0)
    snprintf(shown, sizeof shown, "%s", it->code);
  sb_str(b, "<section class=\"card item-card\" id=\"public-item\" data-code=\"");
  sb_text(b, it->code);
  sb_str(b, "\" data-status=\"");
  sb_text(b, it->status);
  sb_str(b, "\" aria-labelledby=\"public-item-name\"><p class=\"code\">");
  sb_text(b, shown);
  sb_str(b, "</p><h1 id=\"public-item-name\">");
  sb_text(b, it->name);
  sb_str(b, "</h1><dl class=\"facts\">");
  card_row(b, "Soort", it->category);
  card_row(b, "Status", status_words(it->status));
  if (library_name && *library_name)
    card_row(b, "Uitleendienst", library_name);
  sb_str(b, "</dl></section>");
}

static void missing_card(struct sbuf *b, const char *title, const char *text)
{
  sb_str(b, "<section class=\"card item-card\" id=\"public-item\" data-code=\"\">"
            "<h1 id=\"public-item-name\">");
  sb_text(b, title);
  sb_str(b, "</h1><p>");
  sb_text(b, text);
  sb_str(b, "</p></section>");
}

int api_web_item(struct api_req *r)
{
  struct web_file page;
  if (file_read("index.html", &page) < 0)
    return api_reply_code(r, LEEN_E_NOT_FOUND, "no such file");
  char *mark = strstr(page.data, ITEM_MARKER);
  if (!mark) {
    free(page.data);
    return api_reply_code(r, LEEN_E_INTERNAL, "index.html has no item marker");
  }

  /* The system actor reads the item: this page is public, and shows the
   * same facts as the label plus the status, never a household. */
  struct leen_actor sys = {0};
  struct leen_err err;
  struct leen_item it;
  struct sbuf card = {0};
  int status = 200;
  char canon[16];
  struct leen_db *db = NULL;
  if (leen_item_code_normalize(r->params[0], canon) < 0) {
    status = 404;
    missing_card(&card, "Onbekende code", "Deze code hoort bij geen enkel voorwerp.");
  } else if (!(db = api_db(r, &err)) || leen_item_get(db, &sys, canon, &it, &err) < 0) {
    int gone = db && err.code == LEEN_E_NOT_FOUND;
    status = gone ? 404 : 503;
    if (gone)
      missing_card(&card, "Onbekende code", "We kennen geen voorwerp met deze code.");
    else
      missing_card(&card, "Even niet beschikbaar", "Probeer het over een minuutje opnieuw.");
  } else {
    struct leen_library lib;
    int have_lib = leen_library_get(db, &sys, it.library, &lib, &err) == 0;
    item_card(&card, &it, have_lib ? lib.name : NULL);
    leen_item_release(&it);
  }

  struct sbuf out = {0};
  sb_add(&out, page.data, (size_t)(mark - page.data));
  if (card.s)
    sb_str(&out, card.s);
  sb_str(&out, mark + strlen(ITEM_MARKER));
  free(card.s);
  free(page.data);
  if (out.oom || card.oom) {
    free(out.s);
    return api_reply_code(r, LEEN_E_INTERNAL, "out of memory");
  }
  /* the status changes with every loan: never cached */
  api_add_header(r, "Cache-Control", "no-store");
  page_headers(r, "text/html");
  if (status == 503)
    api_add_header(r, "Retry-After", "30");
  return api_reply_raw(r, status, "text/html; charset=utf-8", out.s, out.len);
}
