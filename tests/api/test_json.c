/* The handler helpers without a server: strict JSON, field readers,
 * ETags, cursors. Table-driven: many inputs, one check each. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "tsupport.h"

TestSuite(json, .timeout = 60);

static cJSON *parse(const char *text, char *msg, size_t size)
{
  char ptr[128];
  return api_json_parse(text, strlen(text), msg, size, ptr, sizeof ptr);
}

Test(json, strict_parsing)
{
  static const struct {
    const char *text;
    int ok;
  } cases[] = {
    {"{}", 1},
    {" {\"a\" : [1, -0, 0.5, 1e3, -2E-2, true, false, null, \"x\"]} ", 1},
    {"{\"é€😀\":\"\\u00e9\\ud83d\\ude00\\n\\\"\\\\\\/\"}", 1},
    {"[]", 1},
    {"\"s\"", 1},
    {"", 0},
    {"   ", 0},
    {"{", 0},
    {"{\"a\"}", 0},
    {"{\"a\":}", 0},
    {"{\"a\":1,}", 0},
    {"[1,]", 0},
    {"[,1]", 0},
    {"{,}", 0},
    {"{\"a\":1 \"b\":2}", 0},
    {"{1:2}", 0},
    {"01", 0},
    {"-", 0},
    {"1.", 0},
    {".5", 0},
    {"1e", 0},
    {"+1", 0},
    {"0x1", 0},
    {"NaN", 0},
    {"tru", 0},
    {"nulls", 0},
    {"{} {}", 0},
    {"\"\\x\"", 0},
    {"\"\\u12\"", 0},
    {"\"\\u0000\"", 0},
    {"\"\\ud800\"", 0},
    {"\"\\udc00\\ud800\"", 0},
    {"\"\\ud800\\u0041\"", 0},
    {"\"a\tb\"", 0},
    {"\"\x7f\"", 1},
    {"\"\xc3\x28\"", 0},
    {"\"\xc0\xaf\"", 0},
    {"\"\xe0\x80\xaf\"", 0},
    {"\"\xed\xa0\x80\"", 0},
    {"\"\xf4\x90\x80\x80\"", 0},
    {"\"\xf8\x88\x80\x80\x80\"", 0},
    {"\"\xe2\x82\"", 0},
    {"\xef\xbb\xbf{}", 0},
    {"{\"a\":1,\"a\":2}", 0},
    {"{\"a\":{\"b\":1,\"b\":1}}", 0},
    {"[{\"x\":1},{\"x\":1,\"y\":2,\"x\":3}]", 0},
    {"{\"a\":1,\"A\":2}", 1},
    {"123456789012345678901234567890123456789012", 0},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char msg[160] = "";
    cJSON *j = parse(cases[i].text, msg, sizeof msg);
    cr_assert_eq(j != NULL, cases[i].ok, "case %zu \"%s\": %s", i, cases[i].text, msg);
    if (!j)
      cr_assert(msg[0], "case %zu gives a reason", i);
    cJSON_Delete(j);
  }
}

Test(json, duplicates_are_found_in_large_objects_and_named)
{
  size_t n = 500;
  char *text = malloc(n * 16 + 32);
  size_t len = (size_t)snprintf(text, 8, "{\"o\":{");
  for (size_t i = 0; i < n; i++)
    len += (size_t)snprintf(text + len, 16, "\"k%zu\":%zu,", i, i);
  len += (size_t)snprintf(text + len, 32, "\"k/~%d\":1,\"k/~%d\":2}}", 7, 7);
  char msg[160], ptr[128];
  cr_assert_null(api_json_parse(text, len, msg, sizeof msg, ptr, sizeof ptr));
  cr_assert_str_eq(ptr, "/o/k~1~07");
  free(text);
}

Test(json, depth_is_capped_without_recursion)
{
  static const size_t depths[] = {32, 33, 100000, 1000000};
  for (size_t i = 0; i < sizeof depths / sizeof depths[0]; i++) {
    size_t d = depths[i];
    char *text = malloc(2 * d + 1);
    memset(text, '[', d);
    memset(text + d, ']', d);
    text[2 * d] = '\0';
    char msg[160], ptr[128];
    cJSON *j = api_json_parse(text, 2 * d, msg, sizeof msg, ptr, sizeof ptr);
    cr_assert_eq(j != NULL, d <= API_JSON_MAX_DEPTH, "depth %zu", d);
    cJSON_Delete(j);
    /* unclosed too */
    j = api_json_parse(text, d, msg, sizeof msg, ptr, sizeof ptr);
    cr_assert_null(j);
    free(text);
  }
}

/* A request that only collects field errors. */
static struct api_req *fake(void) { return calloc(1, sizeof(struct api_req)); }

static cJSON *doc(const char *text)
{
  char msg[160];
  cJSON *j = parse(text, msg, sizeof msg);
  cr_assert(j, "%s: %s", text, msg);
  return j;
}

Test(json, integers_and_money)
{
  static const struct {
    const char *value;
    int ok_int;     /* as api_in_int in [-2^31, 2^31-1] */
    int ok_money;   /* as api_in_money with the default range */
    long long want;
  } cases[] = {
    {"0", 1, 1, 0},
    {"1500", 1, 1, 1500},
    {"100000000", 1, 1, 100000000},
    {"100000001", 1, 0, 100000001},
    {"-500", 1, 0, -500},
    {"12.5", 0, 0, 0},
    {"12.0", 1, 1, 12},
    {"1e2", 1, 1, 100},
    {"1e400", 0, 0, 0},
    {"-1e400", 0, 0, 0},
    {"2147483647", 1, 0, 2147483647},
    {"2147483648", 0, 0, 0},
    {"-2147483649", 0, 0, 0},
    {"9007199254740993", 0, 0, 0},
    {"1e-400", 0, 0, 0},
    {"12.0000000000000001", 0, 0, 0},
    {"1.5e1", 1, 1, 15},
    {"150e-1", 1, 1, 15},
    {"155e-1", 0, 0, 0},
    {"-0", 1, 1, 0},
    {"0.000", 1, 1, 0},
    {"\"12.50\"", 0, 0, 0},
    {"\"12\"", 0, 0, 0},
    {"true", 0, 0, 0},
    {"[1]", 0, 0, 0},
    {"{}", 0, 0, 0},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char text[128];
    snprintf(text, sizeof text, "{\"n\":%s,\"amount_cents\":%s}", cases[i].value, cases[i].value);
    cJSON *j = doc(text);
    struct api_req *r = fake();
    struct api_in in;
    api_in_init(&in, r, j, "");
    int64_t n = -1, m = -1;
    int rn = api_in_int(&in, "n", API_REQUIRED, INT32_MIN, INT32_MAX, &n);
    int rm = api_in_money(&in, "amount_cents", API_REQUIRED, 0, 0, &m);
    cr_assert_eq(rn, cases[i].ok_int ? 1 : -1, "int %s", cases[i].value);
    cr_assert_eq(rm, cases[i].ok_money ? 1 : -1, "money %s", cases[i].value);
    if (cases[i].ok_int)
      cr_assert_eq(n, cases[i].want, "int %s", cases[i].value);
    cr_assert_eq(api_in_end(&in), (cases[i].ok_int && cases[i].ok_money) ? 0 : -1);
    for (int e = 0; e < r->nerrors; e++) {
      int money = strcmp(r->errors[e].pointer, "/amount_cents") == 0;
      cr_assert(money || strcmp(r->errors[e].pointer, "/n") == 0, "%s", r->errors[e].pointer);
    }
    if (!cases[i].ok_int)
      cr_assert_eq(r->error_code, LEEN_E_INVALID_FIELD);
    else if (!cases[i].ok_money)
      cr_assert_eq(r->error_code, LEEN_E_INVALID_AMOUNT);
    free(r);
    cJSON_Delete(j);
  }
}

Test(json, dates_and_months)
{
  static const struct {
    const char *s;
    int date, month;
  } cases[] = {
    {"2026-02-28", 1, 0}, {"2026-02-29", 0, 0}, {"2028-02-29", 1, 0}, {"2100-02-29", 0, 0},
    {"2000-02-29", 1, 0}, {"2026-02-30", 0, 0}, {"2026-13-01", 0, 0}, {"2026-00-10", 0, 0},
    {"2026-04-31", 0, 0}, {"2026-12-31", 1, 0}, {"0000-01-01", 0, 0}, {"2026-1-01", 0, 0},
    {"2026-01-01T00:00", 0, 0}, {"26-01-01", 0, 0}, {"2026/01/01", 0, 0}, {"", 0, 0},
    {"2026-01", 0, 1}, {"2026-12", 0, 1}, {"2026-13", 0, 0}, {"2026-00", 0, 0},
    {" 2026-01", 0, 0}, {"２０２６-01-01", 0, 0},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    cr_assert_eq(api_valid_date(cases[i].s), cases[i].date, "date \"%s\"", cases[i].s);
    cr_assert_eq(api_valid_month(cases[i].s), cases[i].month, "month \"%s\"", cases[i].s);
  }
  cJSON *j = doc("{\"from\":\"2026-02-30\",\"month\":\"2026-13\",\"to\":\"2026-03-01\"}");
  struct api_req *r = fake();
  struct api_in in;
  api_in_init(&in, r, j, "");
  char from[11], to[11], month[8];
  cr_assert_eq(api_in_date(&in, "from", API_REQUIRED, from), -1);
  cr_assert_eq(api_in_date(&in, "to", API_REQUIRED, to), 1);
  cr_assert_str_eq(to, "2026-03-01");
  cr_assert_eq(api_in_month(&in, "month", API_OPTIONAL, month), -1);
  cr_assert_eq(api_in_end(&in), -1);
  cr_assert_eq(r->error_code, LEEN_E_INVALID_DATE);
  cr_assert_eq(r->nerrors, 2);
  free(r);
  cJSON_Delete(j);
}

Test(json, strings_enums_bools_and_unknown_fields)
{
  cJSON *j = doc("{\"name\":\"Gezin Peeters\",\"emoji\":\"😀😀\",\"empty\":\"\","
                 "\"level\":\"full\","
                 "\"ok\":true,\"gone\":null,\"tags\":[\"a\",\"b\"],\"sub\":{\"x\":1},"
                 "\"extra\":1,\"a/b\":2}");
  struct api_req *r = fake();
  struct api_in in;
  api_in_init(&in, r, j, "");
  const char *name = NULL, *emoji = NULL, *empty = NULL, *missing = NULL;
  static const char *const levels[] = {"social", "full", NULL};
  int level = -1, ok = -1;
  cr_assert_eq(api_in_string(&in, "name", API_REQUIRED, 200, &name), 1);
  cr_assert_str_eq(name, "Gezin Peeters");
  cr_assert_eq(api_in_string(&in, "emoji", API_REQUIRED, 2, &emoji), 1, "counted in characters");
  cr_assert_eq(api_in_string(&in, "empty", API_OPTIONAL, 10, &empty), 1);
  cr_assert_eq(api_in_string(&in, "missing", API_OPTIONAL, 10, &missing), 0);
  cr_assert_null(missing);
  cr_assert_eq(api_in_enum(&in, "level", API_REQUIRED, levels, &level), 1);
  cr_assert_eq(level, 1);
  cr_assert_eq(api_in_bool(&in, "ok", API_REQUIRED, &ok), 1);
  cr_assert_eq(ok, 1);
  cr_assert(api_in_is_null(&in, "gone"));
  const char *tags[4];
  size_t ntags = 0;
  cr_assert_eq(api_in_string_array(&in, "tags", API_REQUIRED, 4, 5, tags, &ntags), 1);
  cr_assert_eq(ntags, 2);
  const cJSON *sub = NULL;
  cr_assert_eq(api_in_object(&in, "sub", API_REQUIRED, &sub), 1);
  struct api_in sin;
  char ptr[64];
  api_in_init(&sin, r, sub, api_pointer_append(ptr, sizeof ptr, in.ptr, "sub"));
  int64_t x;
  cr_assert_eq(api_in_int(&sin, "x", API_REQUIRED, 2, 9, &x), -1);
  cr_assert_eq(r->nerrors, 1);
  cr_assert_str_eq(r->errors[0].pointer, "/sub/x");
  cr_assert_eq(api_in_end(&in), -1);
  cr_assert_eq(r->nerrors, 3);
  cr_assert_str_eq(r->errors[1].pointer, "/extra");
  cr_assert_str_eq(r->errors[2].pointer, "/a~1b");
  free(r);

  r = fake();
  api_in_init(&in, r, j, "");
  cr_assert_eq(api_in_string(&in, "empty", API_REQUIRED, 10, &empty), -1);
  cr_assert_eq(api_in_string(&in, "name", API_REQUIRED, 5, &name), -1);
  cr_assert_eq(api_in_string(&in, "missing", API_REQUIRED, 5, &name), -1);
  cr_assert_eq(api_in_string(&in, "gone", API_REQUIRED, 5, &name), -1);
  cr_assert_eq(api_in_enum(&in, "name", API_REQUIRED, levels, &level), -1);
  cr_assert_eq(api_in_bool(&in, "level", API_REQUIRED, &ok), -1);
  cr_assert_eq(api_in_string_array(&in, "tags", API_REQUIRED, 1, 5, tags, &ntags), -1);
  cr_assert_eq(r->nerrors, 7);
  cr_assert_str_eq(r->errors[2].detail, "is required");
  cr_assert_str_eq(r->errors[3].detail, "must not be null");
  free(r);
  cJSON_Delete(j);
}

Test(json, etags)
{
  static const struct {
    const char *h;
    int rc;
    long long v;
  } cases[] = {
    {"\"v42\"", 1, 42}, {" \"v7\" ", 1, 7}, {"\"v0\"", -1, 0}, {"*", 0, 0}, {"W/\"v42\"", -1, 0},
    {"\"42\"", -1, 0}, {"v42", -1, 0}, {"\"v\"", -1, 0}, {"\"v4x\"", -1, 0},
    {"\"v99999999999999999999\"", -1, 0}, {"\"v1\", \"v2\"", -1, 0}, {"", -1, 0},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    int64_t v = -7;
    cr_assert_eq(api_etag_parse(cases[i].h, &v), cases[i].rc, "%s", cases[i].h);
    if (cases[i].rc == 1)
      cr_assert_eq(v, cases[i].v);
  }
}

Test(json, cursors)
{
  char cur[300], key[API_CURSOR_KEY_MAX + 1];
  const char *keys[] = {"42", "2026-11-21|10042", "' OR 1=1 --"};
  for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
    cr_assert_eq(api_cursor_encode(keys[i], cur, sizeof cur), 0);
    cr_assert_eq(strspn(cur, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
                 strlen(cur), "%s is URL-safe", cur);
    cr_assert_eq(api_cursor_decode(cur, key, sizeof key), 0);
    cr_assert_str_eq(key, keys[i]);
  }
  const char *bad[] = {"", "@@", "NDI=", "NDI+", "AA", "%00", "_w"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    cr_assert_eq(api_cursor_decode(bad[i], key, sizeof key), -1, "%s", bad[i]);
  cr_assert_eq(api_cursor_encode("", cur, sizeof cur), -1);
  cr_assert_eq(api_cursor_encode("tab\t", cur, sizeof cur), -1);
}

Test(json, utf8)
{
  static const struct {
    const char *s;
    int ok, ok_controls;
  } cases[] = {
    {"abc", 1, 1}, {"é€😀", 1, 1}, {"a\nb", 1, 0}, {"\x7f", 1, 0}, {"\xc3", 0, 0},
    {"\xc1\xbf", 0, 0}, {"\xed\xbf\xbf", 0, 0}, {"\xf0\x8f\xbf\xbf", 0, 0},
    {"\xf4\x8f\xbf\xbf", 1, 1},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    cr_assert_eq(api_utf8_valid(cases[i].s, strlen(cases[i].s), 0), cases[i].ok, "case %zu", i);
    cr_assert_eq(api_utf8_valid(cases[i].s, strlen(cases[i].s), 1), cases[i].ok_controls,
                 "case %zu", i);
  }
}

Test(json, parameters)
{
  static const struct {
    const char *v;
    int rc;
    long long want;
  } ints[] = {
    {"42", 1, 42},          {"-7", 1, -7},  {"0", 1, 0},       {"101", -1, 0},
    {"12.5", -1, 0},        {"1e2", -1, 0}, {"+3", -1, 0},     {" 3", -1, 0},
    {"2147483648", -1, 0},  {"", -1, 0},    {NULL, 0, 0},      {"9007199254740993", -1, 0},
    {"0x10", -1, 0},        {"-", -1, 0},   {"1234567890123456789", -1, 0},
  };
  for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
    struct api_req *r = fake();
    int64_t v = -99;
    cr_assert_eq(api_param_int(r, "n", ints[i].v, API_OPTIONAL, -100, 100, &v), ints[i].rc,
                 "\"%s\"", ints[i].v ? ints[i].v : "(null)");
    if (ints[i].rc == 1)
      cr_assert_eq(v, ints[i].want);
    if (ints[i].rc < 0)
      cr_assert_str_eq(r->errors[0].pointer, "?n");
    free(r);
  }
  struct api_req *r = fake();
  int b = -1, e = -1;
  char d[11], m[8];
  static const char *const kinds[] = {"json", "csv", "svg", NULL};
  cr_assert_eq(api_param_bool(r, "open", "true", API_OPTIONAL, &b), 1);
  cr_assert_eq(b, 1);
  cr_assert_eq(api_param_bool(r, "open", "0", API_OPTIONAL, &b), 1);
  cr_assert_eq(b, 0);
  cr_assert_eq(api_param_bool(r, "open", "yes", API_OPTIONAL, &b), -1);
  cr_assert_eq(api_param_enum(r, "format", "csv", API_OPTIONAL, kinds, &e), 1);
  cr_assert_eq(e, 1);
  cr_assert_eq(api_param_enum(r, "format", "CSV", API_OPTIONAL, kinds, &e), -1);
  cr_assert_eq(api_param_date(r, "from", "2026-02-30", API_OPTIONAL, d), -1);
  cr_assert_eq(api_param_date(r, "from", "2026-02-28", API_OPTIONAL, d), 1);
  cr_assert_str_eq(d, "2026-02-28");
  cr_assert_eq(api_param_month(r, "month", "2026-13", API_OPTIONAL, m), -1);
  cr_assert_eq(api_param_month(r, "month", NULL, API_REQUIRED, m), -1);
  cr_assert_eq(r->nerrors, 5);
  cr_assert_eq(r->error_code, LEEN_E_INVALID_FIELD);
  cr_assert_str_eq(r->errors[4].detail, "is required");
  free(r);
}
