/* Strict JSON: the raw body is checked against RFC 8259 before cJSON sees
 * it, because cJSON is lenient (it takes control characters in strings,
 * "\u0000" that silently cuts a string, invalid UTF-8, leading zeros and
 * duplicate keys) and parses recursively (a deep document must be refused
 * before it can exhaust a worker's stack). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"

/* Length of the UTF-8 sequence at s (at most n bytes), or 0 when it is not
 * valid: overlong forms, surrogates and code points above U+10FFFF are
 * refused (RFC 3629 table 3-7). */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
  unsigned char c = s[0];
  if (c < 0x80)
    return 1;
  size_t len;
  unsigned char lo = 0x80, hi = 0xbf;
  if (c >= 0xc2 && c <= 0xdf) {
    len = 2;
  } else if (c >= 0xe0 && c <= 0xef) {
    len = 3;
    if (c == 0xe0)
      lo = 0xa0;
    else if (c == 0xed)
      hi = 0x9f;
  } else if (c >= 0xf0 && c <= 0xf4) {
    len = 4;
    if (c == 0xf0)
      lo = 0x90;
    else if (c == 0xf4)
      hi = 0x8f;
  } else {
    return 0;
  }
  if (n < len || s[1] < lo || s[1] > hi)
    return 0;
  for (size_t i = 2; i < len; i++)
    if (s[i] < 0x80 || s[i] > 0xbf)
      return 0;
  return len;
}

int api_utf8_valid(const char *str, size_t len, int no_controls)
{
  const unsigned char *s = (const unsigned char *)str;
  size_t i = 0;
  while (i < len) {
    if (no_controls && (s[i] < 0x20 || s[i] == 0x7f))
      return 0;
    size_t k = utf8_seq(s + i, len - i);
    if (!k)
      return 0;
    i += k;
  }
  return 1;
}

struct scan {
  const unsigned char *s;
  size_t len, pos;
  const char *why;
  /* one flag per number literal, in document order: 1 when the literal is
   * not exactly an integer (cJSON's double cannot tell 1e-400 from 0) */
  unsigned char *inexact;
  size_t nnum, cap;
};

static int fail(struct scan *sc, const char *why)
{
  sc->why = why;
  return -1;
}

static int hex4(const unsigned char *p, unsigned *out)
{
  unsigned v = 0;
  for (int i = 0; i < 4; i++) {
    unsigned char c = p[i];
    v <<= 4;
    if (c >= '0' && c <= '9')
      v |= (unsigned)(c - '0');
    else if (c >= 'a' && c <= 'f')
      v |= (unsigned)(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F')
      v |= (unsigned)(c - 'A' + 10);
    else
      return -1;
  }
  *out = v;
  return 0;
}

/* At a '"': moves past the closing quote. */
static int scan_string(struct scan *sc)
{
  sc->pos++;
  while (sc->pos < sc->len) {
    unsigned char c = sc->s[sc->pos];
    if (c == '"') {
      sc->pos++;
      return 0;
    }
    if (c < 0x20)
      return fail(sc, "a control character in a string must be escaped");
    if (c == '\\') {
      if (sc->pos + 1 >= sc->len)
        break;
      unsigned char e = sc->s[sc->pos + 1];
      if (e != 'u') {
        if (!strchr("\"\\/bfnrt", e) || e == '\0')
          return fail(sc, "an unknown escape in a string");
        sc->pos += 2;
        continue;
      }
      unsigned u;
      if (sc->pos + 6 > sc->len || hex4(sc->s + sc->pos + 2, &u) < 0)
        return fail(sc, "a \\u escape needs four hex digits");
      if (u == 0)
        return fail(sc, "\\u0000 is not allowed in a string");
      sc->pos += 6;
      if (u >= 0xdc00 && u <= 0xdfff)
        return fail(sc, "a lone low surrogate in a \\u escape");
      if (u >= 0xd800 && u <= 0xdbff) {
        unsigned lo;
        if (sc->pos + 6 > sc->len || sc->s[sc->pos] != '\\' || sc->s[sc->pos + 1] != 'u' ||
            hex4(sc->s + sc->pos + 2, &lo) < 0 || lo < 0xdc00 || lo > 0xdfff)
          return fail(sc, "a lone high surrogate in a \\u escape");
        sc->pos += 6;
      }
      continue;
    }
    size_t k = utf8_seq(sc->s + sc->pos, sc->len - sc->pos);
    if (!k)
      return fail(sc, "the text is not valid UTF-8");
    sc->pos += k;
  }
  return fail(sc, "a string is not terminated");
}

static int is_digit(unsigned char c) { return c >= '0' && c <= '9'; }

/* 1 when the literal s[0..n) (already checked against the grammar) is
 * exactly an integer: its digits, with trailing zeros taken off, times ten
 * to the power of exponent minus fraction length, has no fraction. */
static int literal_integral(const unsigned char *s, size_t n)
{
  size_t i = 0, frac = 0;
  long digits_end_zeros = 0;
  int nonzero = 0;
  if (s[i] == '-')
    i++;
  int in_frac = 0;
  for (; i < n && s[i] != 'e' && s[i] != 'E'; i++) {
    if (s[i] == '.') {
      in_frac = 1;
      continue;
    }
    frac += (size_t)in_frac;
    if (s[i] == '0') {
      digits_end_zeros++;
    } else {
      nonzero = 1;
      digits_end_zeros = 0;
    }
  }
  long exp = 0;
  int neg = 0;
  if (i < n) {
    i++;
    if (s[i] == '+' || s[i] == '-')
      neg = s[i++] == '-';
    for (; i < n; i++)
      if (exp < 1000000)
        exp = exp * 10 + (s[i] - '0');
  }
  if (!nonzero)
    return 1;
  return (neg ? -exp : exp) - (long)frac + digits_end_zeros >= 0;
}

static int note_number(struct scan *sc, int inexact)
{
  if (sc->nnum == sc->cap) {
    size_t cap = sc->cap ? sc->cap * 2 : 64;
    unsigned char *p = realloc(sc->inexact, cap);
    if (!p)
      return fail(sc, "out of memory");
    sc->inexact = p;
    sc->cap = cap;
  }
  sc->inexact[sc->nnum++] = (unsigned char)inexact;
  return 0;
}

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static int scan_number(struct scan *sc)
{
  size_t start = sc->pos;
  const unsigned char *s = sc->s;
  if (s[sc->pos] == '-')
    sc->pos++;
  if (sc->pos >= sc->len || !is_digit(s[sc->pos]))
    return fail(sc, "a number is badly formed");
  if (s[sc->pos] == '0') {
    sc->pos++;
    if (sc->pos < sc->len && is_digit(s[sc->pos]))
      return fail(sc, "a number has a leading zero");
  } else {
    while (sc->pos < sc->len && is_digit(s[sc->pos]))
      sc->pos++;
  }
  if (sc->pos < sc->len && s[sc->pos] == '.') {
    sc->pos++;
    if (sc->pos >= sc->len || !is_digit(s[sc->pos]))
      return fail(sc, "a number is badly formed");
    while (sc->pos < sc->len && is_digit(s[sc->pos]))
      sc->pos++;
  }
  if (sc->pos < sc->len && (s[sc->pos] == 'e' || s[sc->pos] == 'E')) {
    sc->pos++;
    if (sc->pos < sc->len && (s[sc->pos] == '+' || s[sc->pos] == '-'))
      sc->pos++;
    if (sc->pos >= sc->len || !is_digit(s[sc->pos]))
      return fail(sc, "a number is badly formed");
    while (sc->pos < sc->len && is_digit(s[sc->pos]))
      sc->pos++;
  }
  /* cJSON reads at most 63 characters of a number */
  if (sc->pos - start > 40)
    return fail(sc, "a number is too long");
  return note_number(sc, !literal_integral(sc->s + start, sc->pos - start));
}

static int scan_literal(struct scan *sc)
{
  static const char *const words[] = {"true", "false", "null"};
  for (size_t i = 0; i < 3; i++) {
    size_t n = strlen(words[i]);
    if (sc->len - sc->pos >= n && memcmp(sc->s + sc->pos, words[i], n) == 0) {
      sc->pos += n;
      return 0;
    }
  }
  return fail(sc, "an unexpected character");
}

static void skip_ws(struct scan *sc)
{
  while (sc->pos < sc->len) {
    unsigned char c = sc->s[sc->pos];
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
      return;
    sc->pos++;
  }
}

enum state {
  ST_VALUE,           /* a value must come */
  ST_VALUE_OR_CLOSE,  /* just after '[' */
  ST_KEY_OR_CLOSE,    /* just after '{' */
  ST_KEY,             /* after ',' in an object */
  ST_AFTER,           /* after a value */
};

/* Checks the grammar without recursion: the nesting lives in stack[]. */
static int check(struct scan *sc, int max_depth)
{
  char stack[API_JSON_MAX_DEPTH];
  int depth = 0;
  enum state st = ST_VALUE;
  if (max_depth > API_JSON_MAX_DEPTH)
    max_depth = API_JSON_MAX_DEPTH;
  for (;;) {
    skip_ws(sc);
    if (sc->pos >= sc->len) {
      if (st == ST_AFTER && depth == 0)
        return 0;
      return fail(sc, sc->len ? "the document ends early" : "the body is empty");
    }
    unsigned char c = sc->s[sc->pos];
    if (st == ST_VALUE_OR_CLOSE && c == ']') {
      sc->pos++;
      depth--;
      st = ST_AFTER;
      continue;
    }
    if (st == ST_KEY_OR_CLOSE && c == '}') {
      sc->pos++;
      depth--;
      st = ST_AFTER;
      continue;
    }
    switch (st) {
    case ST_VALUE:
    case ST_VALUE_OR_CLOSE:
      if (c == '{' || c == '[') {
        if (depth >= max_depth)
          return fail(sc, "the document is nested too deeply");
        stack[depth++] = (char)c;
        sc->pos++;
        st = c == '{' ? ST_KEY_OR_CLOSE : ST_VALUE_OR_CLOSE;
        continue;
      }
      if (c == '"') {
        if (scan_string(sc) < 0)
          return -1;
      } else if (c == '-' || is_digit(c)) {
        if (scan_number(sc) < 0)
          return -1;
      } else if (scan_literal(sc) < 0) {
        return -1;
      }
      st = ST_AFTER;
      continue;
    case ST_KEY_OR_CLOSE:
    case ST_KEY:
      if (c != '"')
        return fail(sc, "an object key must be a string");
      if (scan_string(sc) < 0)
        return -1;
      skip_ws(sc);
      if (sc->pos >= sc->len || sc->s[sc->pos] != ':')
        return fail(sc, "a ':' must follow an object key");
      sc->pos++;
      st = ST_VALUE;
      continue;
    case ST_AFTER:
      if (depth == 0)
        return fail(sc, "there is more after the document");
      if (c == ',') {
        sc->pos++;
        st = stack[depth - 1] == '{' ? ST_KEY : ST_VALUE;
        continue;
      }
      if (c == (stack[depth - 1] == '{' ? '}' : ']')) {
        sc->pos++;
        depth--;
        continue;
      }
      return fail(sc, stack[depth - 1] == '{' ? "expected ',' or '}'" : "expected ',' or ']'");
    }
  }
}

static int cmp_keys(const void *a, const void *b)
{
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Finds a key that occurs twice in obj; NULL when none. Objects with few
 * keys are compared pairwise; larger ones sorted. */
static const char *duplicate_in(const cJSON *obj)
{
  int n = cJSON_GetArraySize(obj);
  if (n < 2)
    return NULL;
  if (n <= 16) {
    for (const cJSON *a = obj->child; a; a = a->next)
      for (const cJSON *b = a->next; b; b = b->next)
        if (strcmp(a->string, b->string) == 0)
          return a->string;
    return NULL;
  }
  const char **keys = malloc((size_t)n * sizeof *keys);
  if (!keys)
    return obj->child->string; /* refusing is the safe answer without memory */
  int i = 0;
  for (const cJSON *c = obj->child; c; c = c->next)
    keys[i++] = c->string;
  qsort(keys, (size_t)n, sizeof *keys, cmp_keys);
  const char *dup = NULL;
  for (i = 1; i < n && !dup; i++)
    if (strcmp(keys[i - 1], keys[i]) == 0)
      dup = keys[i];
  free(keys);
  return dup;
}

/* Walks the tree (its depth is already capped) for duplicate keys; writes
 * the JSON pointer of the first one found to ptr. */
static int find_duplicate(const cJSON *node, const char *base, char *ptr, size_t ptr_size)
{
  if (cJSON_IsObject(node)) {
    const char *dup = duplicate_in(node);
    if (dup) {
      api_pointer_append(ptr, ptr_size, base, dup);
      return 1;
    }
  }
  if (!cJSON_IsObject(node) && !cJSON_IsArray(node))
    return 0;
  char sub[256];
  int i = 0;
  for (const cJSON *c = node->child; c; c = c->next, i++) {
    if (!cJSON_IsObject(c) && !cJSON_IsArray(c))
      continue;
    if (c->string) {
      api_pointer_append(sub, sizeof sub, base, c->string);
    } else {
      char idx[16];
      snprintf(idx, sizeof idx, "%d", i);
      api_pointer_append(sub, sizeof sub, base, idx);
    }
    if (find_duplicate(c, sub, ptr, ptr_size))
      return 1;
  }
  return 0;
}

/* Marks the number nodes whose literal was not an integer, visiting the
 * tree in document order as the scanner saw the literals. */
static void mark_inexact(cJSON *node, const struct scan *sc, size_t *k)
{
  if (cJSON_IsNumber(node)) {
    if (*k < sc->nnum && sc->inexact[*k])
      node->type |= API_JSON_INEXACT;
    (*k)++;
    return;
  }
  for (cJSON *c = node->child; c; c = c->next)
    mark_inexact(c, sc, k);
}

cJSON *api_json_parse(const char *text, size_t len, char *msg, size_t msg_size, char *ptr,
                      size_t ptr_size)
{
  ptr[0] = '\0';
  struct scan sc = {(const unsigned char *)text, len, 0, NULL, NULL, 0, 0};
  if (check(&sc, API_JSON_MAX_DEPTH) < 0) {
    snprintf(msg, msg_size, "%s (at byte %zu)", sc.why, sc.pos);
    free(sc.inexact);
    return NULL;
  }
  const char *end = NULL;
  cJSON *root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
  if (!root) {
    /* the grammar was checked: only memory or a number cJSON cannot read */
    snprintf(msg, msg_size, "the document could not be read");
    free(sc.inexact);
    return NULL;
  }
  size_t k = 0;
  mark_inexact(root, &sc, &k);
  free(sc.inexact);
  if (find_duplicate(root, "", ptr, ptr_size)) {
    snprintf(msg, msg_size, "a key occurs twice in one object");
    cJSON_Delete(root);
    return NULL;
  }
  return root;
}
