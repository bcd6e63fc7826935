/* The CSV reader: RFC 4180 plus what exports do (BOM, ';', CRLF, CR). */
#include <string.h>

#include "cli.h"
#include "tsupport.h"

TestSuite(cli_csv);

/* Reads all of text; the records as "a|b|c@line" joined by "\n", errors
 * as "!line:reason". */
static char *read_all(const char *text, char *sep)
{
  struct cli_csv p;
  struct cli_csv_record rec = {0};
  cli_csv_open(&p, text, strlen(text));
  *sep = p.sep;
  struct cli_buf out = {0};
  int r;
  while ((r = cli_csv_next(&p, &rec)) != 0) {
    if (r < 0) {
      cli_buf_addf(&out, "!%ld\n", rec.line);
      continue;
    }
    for (size_t i = 0; i < rec.n; i++)
      cli_buf_addf(&out, "%s%s", i ? "|" : "", rec.fields[i]);
    cli_buf_addf(&out, "@%ld\n", rec.line);
  }
  cli_csv_record_release(&rec);
  return out.data ? out.data : strdup("");
}

struct csv_case {
  const char *in;
  char sep;
  const char *want;
};

Test(cli_csv, cases)
{
  static const struct csv_case cases[] = {
    {"a,b,c\n1,2,3\n", ',', "a|b|c@1\n1|2|3@2\n"},
    {"a;b;c\r\n1;2;3\r\n", ';', "a|b|c@1\n1|2|3@2\n"},
    {"\xEF\xBB\xBF" "a;b\r\n1;2", ';', "a|b@1\n1|2@2\n"},                 /* BOM, no final EOL */
    {"a,b\r1,2\r", ',', "a|b@1\n1|2@2\n"},                                 /* old Mac CR */
    {"a,b\n\"x,y\",\"say \"\"hi\"\"\"\n", ',', "a|b@1\nx,y|say \"hi\"@2\n"},
    {"a,b\n\"two\nlines\",z\n3,4\n", ',', "a|b@1\ntwo\nlines|z@2\n3|4@4\n"},
    {"a,b\n\"two\r\nlines\",z\r\n3,4\r\n", ',', "a|b@1\ntwo\nlines|z@2\n3|4@4\n"},
    {"a,b\n\n\n1,2\n", ',', "a|b@1\n1|2@4\n"},                             /* blank lines */
    {"a,b,c\n1,,\n", ',', "a|b|c@1\n1||@2\n"},                             /* empty fields */
    {"a;b;c,d\n1;2;3,5\n", ';', "a|b|c,d@1\n1|2|3,5@2\n"},                 /* ; wins */
    {"\"a;b\",c,d\n", ',', "a;b|c|d@1\n"},                                 /* quoted ; ignored */
    {"a,b\n1,\"ok\"x\n3,4\n", ',', "a|b@1\n!2\n3|4@3\n"},                  /* text after quote */
    {"a,b\n1,2\"3\n3,4\n", ',', "a|b@1\n!2\n3|4@3\n"},                     /* quote mid-field */
    {"a,b\n1,\"never closed\n3,4\n", ',', "a|b@1\n!2\n3|4@3\n"},           /* unterminated */
    {"a,b\n1,\"open\n3,\"x\"\n5,6\n", ',', "a|b@1\n!2\n3|x@3\n5|6@4\n"},   /* resync */
    {"", ',', ""},
    {"\xEF\xBB\xBF", ',', ""},
    {"caf\xC3\xA9,\xE2\x82\xAC\n", ',', "caf\xC3\xA9|\xE2\x82\xAC@1\n"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char sep;
    char *got = read_all(cases[i].in, &sep);
    cr_assert_str_eq(got, cases[i].want, "case %zu", i);
    cr_assert_eq(sep, cases[i].sep, "case %zu: separator '%c'", i, sep);
    free(got);
  }
}

Test(cli_csv, error_says_why)
{
  const char *text = "a,b\n1,\"x\"y\n";
  struct cli_csv p;
  struct cli_csv_record rec = {0};
  cli_csv_open(&p, text, strlen(text));
  cr_assert_eq(cli_csv_next(&p, &rec), 1);
  cr_assert_eq(cli_csv_next(&p, &rec), -1);
  cr_assert_eq(rec.line, 2);
  cr_assert(strstr(rec.error, "aanhalingsteken"), "%s", rec.error);
  cr_assert_eq(cli_csv_next(&p, &rec), 0);
  cli_csv_record_release(&rec);
}

Test(cli_csv, writer_quotes_when_needed)
{
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  cli_csv_write_field(f, "plain");
  fputc('/', f);
  cli_csv_write_field(f, "a,b");
  fputc('/', f);
  cli_csv_write_field(f, "say \"hi\"");
  fputc('/', f);
  cli_csv_write_field(f, "two\nlines");
  fclose(f);
  cr_assert_str_eq(buf, "plain/\"a,b\"/\"say \"\"hi\"\"\"/\"two\nlines\"");
  free(buf);
}
