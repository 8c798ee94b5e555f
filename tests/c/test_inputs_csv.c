/*
 * test_inputs_csv.c - the CSV reader (wf_csv.h) and exact decimals
 * (wf_decimal.h): RFC 4180 quoting, line ends, byte-order mark, blanks,
 * every refusal of docs/model.md 6 with its line and column, and the decimal
 * grammar, rounding half away from zero, overflow and exact comparison.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "wf_test.h"

#include "wf_csv.h"
#include "wf_decimal.h"

/* Reads all records of text; fields joined as "a|b;c|d;" into out. */
static wf_status csv_dump(const char *text, size_t len, char *out, size_t size,
                          wf_error *err)
{
    wf_csv *c = NULL;
    wf_status st = wf_csv_open_mem("t.csv", text, len, &c, err);
    size_t used = 0;
    out[0] = '\0';
    while (st == WF_OK) {
        wf_csv_field *f;
        size_t n;
        if ((st = wf_csv_next(c, &f, &n, err)) != WF_OK || n == 0)
            break;
        for (size_t i = 0; i < n; i++)
            used += (size_t)snprintf(out + used, size - used, "%s%s", f[i].s,
                                     i + 1 < n ? "|" : ";");
    }
    wf_csv_close(c);
    return st;
}

#define DUMP_OK(text, expected)                                               \
    do {                                                                      \
        char out_[1024];                                                      \
        wf_error e_ = {0};                                                    \
        ASSERT_EQ(csv_dump(text, sizeof(text) - 1, out_, sizeof out_, &e_), WF_OK); \
        ASSERT_STREQ(out_, expected);                                         \
    } while (0)

#define DUMP_ERR(text, want_line, want_col, needle)                                     \
    do {                                                                      \
        char out_[1024];                                                      \
        wf_error e_ = {0};                                                    \
        ASSERT_EQ(csv_dump(text, sizeof(text) - 1, out_, sizeof out_, &e_), WF_EINPUT); \
        ASSERT_STREQ(e_.file, "t.csv");                                       \
        ASSERT_EQ(e_.line, want_line);                                        \
        ASSERT_EQ(e_.column, want_col);                                       \
        ASSERT_CONTAINS(e_.message, needle);                                  \
    } while (0)

TEST(inputs_csv_quoting)
{
    DUMP_OK("a,b\n\"x,y\",\"say \"\"hi\"\"\"\n", "a|b;x,y|say \"hi\";");
    DUMP_OK("a,b\n\"two\nlines\",2\n", "a|b;two\nlines|2;");
    DUMP_OK("a,b\n\"\",\"\"\n", "a|b;|;");
    DUMP_OK("a,b\n  \"q\"  ,  plain value  \n", "a|b;q|plain value;");
    DUMP_OK("a,b\n\" keep \",\t x\t\n", "a|b; keep |x;");
}

TEST(inputs_csv_line_ends_bom_blank_lines)
{
    DUMP_OK("a,b\r\n1,2\r\n", "a|b;1|2;");
    DUMP_OK("\xEF\xBB\xBF" "a,b\n1,2", "a|b;1|2;");
    DUMP_OK("a,b\n\n   \n\t\n1,2\n\n", "a|b;1|2;");
    DUMP_OK("\n\na,b\n1,2\n", "a|b;1|2;");
    DUMP_OK("a,b\n\"x\r\ny\",2\r\n", "a|b;x\r\ny|2;");
    DUMP_OK("a,b\n1,2", "a|b;1|2;");
    DUMP_OK("", "");
}

TEST(inputs_csv_positions)
{
    wf_csv *c = NULL;
    wf_error err = {0};
    static const char text[] = "\xEF\xBB\xBF" "id,name,x\n\n\"multi\nline\",  \xC3\xA9t\xC3\xA9,z\n";
    ASSERT_EQ(wf_csv_open_mem("p.csv", text, sizeof text - 1, &c, &err), WF_OK);
    wf_csv_field *f;
    size_t n;
    ASSERT_EQ(wf_csv_next(c, &f, &n, &err), WF_OK);
    ASSERT_EQ(n, 3);
    ASSERT_EQ(f[1].line, 1);
    ASSERT_EQ(f[1].column, 4);          /* the BOM does not count */
    ASSERT_EQ(wf_csv_next(c, &f, &n, &err), WF_OK);
    ASSERT_EQ(wf_csv_record_line(c), 3);
    ASSERT_EQ(f[0].line, 3);
    ASSERT_TRUE(f[0].quoted);
    ASSERT_EQ(f[1].line, 4);
    ASSERT_EQ(f[1].column, 9);          /* 'line",' is 6 characters, then 2 blanks */
    ASSERT_STREQ(f[1].s, "\xC3\xA9t\xC3\xA9");
    ASSERT_EQ(f[2].column, 13);         /* the accents count as one character */
    ASSERT_EQ(wf_csv_next(c, &f, &n, &err), WF_OK);
    ASSERT_EQ(n, 0);
    wf_csv_close(c);
}

TEST(inputs_csv_refusals)
{
    DUMP_ERR("a,b\n1,2,\n", 2, 5, "more fields than the header");
    DUMP_ERR("a,b\n1,2,3\n", 2, 5, "more fields than the header");
    DUMP_ERR("a,b\n1\n", 2, 1, "1 fields, but the header has 2");
    DUMP_ERR("a,b\n1,x\"y\n", 2, 4, "inside an unquoted field");
    DUMP_ERR("a,b\n1,\"xy\"z\n", 2, 7, "text after the closing quote");
    DUMP_ERR("a,b\n1,\"xy\n", 2, 3, "unterminated quoted field");
    DUMP_ERR("a,b\r1,2\n", 1, 4, "carriage return");
    DUMP_ERR("a,b\n1,2\rx\n", 2, 4, "carriage return");
    DUMP_ERR("a,b\n1,\"2\r\"\n", 2, 5, "carriage return");
    DUMP_ERR("a,b\n1,\xC3\n", 2, 3, "invalid UTF-8");
    DUMP_ERR("a,b\n1,ab\xFF\n", 2, 5, "invalid UTF-8");
    DUMP_ERR("a,b\n1,\xED\xA0\x80\n", 2, 3, "invalid UTF-8");      /* a surrogate */
    DUMP_ERR("a,b\n1,\xC0\xAF\n", 2, 3, "invalid UTF-8");          /* overlong */
    DUMP_ERR("a,b\n1,x\0y\n", 2, 4, "NUL byte");
}

TEST(inputs_csv_open_missing_file)
{
    wf_csv *c = NULL;
    wf_error err = {0};
    ASSERT_EQ(wf_csv_open("/nonexistent/dir/f.csv", &c, &err), WF_EIO);
    ASSERT_STREQ(err.file, "/nonexistent/dir/f.csv");
    ASSERT_CONTAINS(err.message, "cannot open");
    ASSERT_TRUE(c == NULL);
}

/* ---- decimals ---------------------------------------------------------------- */

static bool parse(const char *s, wf_decimal *d)
{
    return wf_decimal_parse(s, strlen(s), d);
}

TEST(inputs_decimal_grammar)
{
    static const char *const good[] = {"0", "-0", "+1", ".5", "5.", "-0.25", "1e3",
                                       "1E+400", "2.5e-3", "000123.4500", "1e999999999999999"};
    static const char *const bad[] = {"", "+", "-", ".", "e5", "1e", "1e+", "1,000", "$5",
                                      "inf", "nan", "Infinity", "0x10", " 1", "1 ", "1..2",
                                      "1.2.3", "--1", "1e5.5", "5%", "1_000"};
    wf_decimal d;
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        if (!parse(good[i], &d)) {
            wf_test_fail(__FILE__, __LINE__, "'%s' should parse", good[i]);
            return;
        }
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        if (parse(bad[i], &d)) {
            wf_test_fail(__FILE__, __LINE__, "'%s' should not parse", bad[i]);
            return;
        }
    ASSERT_TRUE(wf_decimal_is_digits("0123", 4));
    ASSERT_TRUE(!wf_decimal_is_digits("+1", 2));
    ASSERT_TRUE(!wf_decimal_is_digits("", 0));
}

static int64_t scaled(const char *s, int scale)
{
    wf_decimal d;
    int64_t v = INT64_MIN;
    if (!parse(s, &d) || !wf_decimal_scaled(&d, scale, &v))
        return INT64_MIN;
    return v;
}

TEST(inputs_decimal_rounding_half_away_from_zero)
{
    ASSERT_EQ(scaled("2.5", 0), 3);
    ASSERT_EQ(scaled("-2.5", 0), -3);
    ASSERT_EQ(scaled("2.4999999999999999999999", 0), 2);
    ASSERT_EQ(scaled("0.0000005", 6), 1);
    ASSERT_EQ(scaled("-0.0000005", 6), -1);
    ASSERT_EQ(scaled("0.00000049999999999999999999999999999999999999999", 6), 0);
    ASSERT_EQ(scaled("0.9999996", 6), 1000000);
    ASSERT_EQ(scaled("0.9999994", 6), 999999);
    ASSERT_EQ(scaled(".5", 4), 5000);
    ASSERT_EQ(scaled("5.", 4), 50000);
    ASSERT_EQ(scaled("0.00005", 4), 1);
    ASSERT_EQ(scaled("0.00004", 4), 0);
    ASSERT_EQ(scaled("1.005", 2), 101);     /* 1.005 as a double is below 1.005 */
    ASSERT_EQ(scaled("2.675", 2), 268);
    ASSERT_EQ(scaled("1.5e-3", 6), 1500);
    ASSERT_EQ(scaled("15E-4", 4), 15);
    ASSERT_EQ(scaled("0.012e2", 2), 120);
    ASSERT_EQ(scaled("000.000", 6), 0);
    ASSERT_EQ(scaled("1e-400", 6), 0);
    ASSERT_EQ(scaled("123456789012345678901234567890e-25", 6), 12345678901LL);
    ASSERT_EQ(scaled("9223372036854775807", 0), INT64_MAX);
    ASSERT_EQ(scaled("9223372036854775808", 0), INT64_MIN);   /* overflow */
    ASSERT_EQ(scaled("92233720368547758.07", 2), INT64_MAX);
    ASSERT_EQ(scaled("1e400", 6), INT64_MIN);                 /* overflow */
    ASSERT_EQ(scaled("1e18", 2), INT64_MIN);
}

TEST(inputs_decimal_to_double)
{
    wf_decimal d;
    double x = -1;
    ASSERT_TRUE(parse("0.1", &d) && wf_decimal_to_double(&d, &x));
    ASSERT_DEQ(x, 0.1);
    ASSERT_TRUE(parse(".5e1", &d) && wf_decimal_to_double(&d, &x));
    ASSERT_DEQ(x, 5.0);
    ASSERT_TRUE(parse("1e400", &d) && !wf_decimal_to_double(&d, &x));
    ASSERT_TRUE(parse("-1e400", &d) && !wf_decimal_to_double(&d, &x));
    ASSERT_TRUE(parse("1e-400", &d) && wf_decimal_to_double(&d, &x));
    ASSERT_DEQ(x, 0.0);
    ASSERT_TRUE(parse("1.0000000000000001", &d) && wf_decimal_to_double(&d, &x));
    ASSERT_DEQ(x, 1.0);
    /* a long text goes through the heap path and still rounds correctly */
    char big[600] = "0.";
    for (int i = 2; i < 500; i++)
        big[i] = '3';
    big[500] = '\0';
    ASSERT_TRUE(parse(big, &d) && wf_decimal_to_double(&d, &x));
    ASSERT_DEQ(x, 1.0 / 3.0);
}

TEST(inputs_decimal_compare)
{
    wf_decimal a, b;
    ASSERT_TRUE(parse("0.1", &a) && parse("0.10", &b));
    ASSERT_EQ(wf_decimal_cmp(&a, &b), 0);
    ASSERT_TRUE(parse("-0", &a) && parse("0.000", &b));
    ASSERT_EQ(wf_decimal_cmp(&a, &b), 0);
    ASSERT_TRUE(parse("1.0000000000000001", &a) && parse("1", &b));
    ASSERT_EQ(wf_decimal_cmp(&a, &b), 1);
    ASSERT_TRUE(parse("-2", &a) && parse("-1.5", &b));
    ASSERT_EQ(wf_decimal_cmp(&a, &b), -1);
    ASSERT_TRUE(parse("1e2", &a) && parse("99.999", &b));
    ASSERT_EQ(wf_decimal_cmp(&a, &b), 1);
    /* digits beyond the kept 40 still decide */
    ASSERT_TRUE(parse("1.00000000000000000000000000000000000000000001", &a));
    ASSERT_TRUE(parse("1.0000000000000000000000000000000000000000000", &b));
    ASSERT_EQ(wf_decimal_cmp(&a, &b), 1);
    ASSERT_EQ(wf_decimal_cmp(&b, &a), -1);
    ASSERT_EQ(wf_decimal_cmp_int(&b, 1), 0);
    ASSERT_TRUE(parse("-0.0000001", &a));
    ASSERT_EQ(wf_decimal_cmp_int(&a, 0), -1);
    ASSERT_EQ(wf_decimal_cmp_int(&a, -1), 1);
}


/* The fast path for plain records (wf_csv.c, scan_fast and skip_text)
 * against a split done here: every printable ASCII character that is
 * not special (so the word-at-a-time test's false alarms '!' and '#' to
 * '+' too), fields of every length 0-20 at every alignment, records that
 * end at the end of the input, and a record of the slow kind between fast
 * ones, whose positions must carry on right. */
TEST(inputs_csv_plain_records_fast_path)
{
    char text[8192], want[8192];
    size_t n = 0, w = 0;
    n += (size_t)snprintf(text + n, sizeof text - n, "a,b,c\n");
    w += (size_t)snprintf(want + w, sizeof want - w, "a|b|c;");
    int ch = '!';
    for (int r = 0; r < 60; r++) {
        for (int k = 0; k < 3; k++) {
            int len = (r * 3 + k) % 21;
            for (int i = 0; i < len; i++) {
                do
                    ch = ch == '~' ? '!' : ch + 1;
                while (ch == '"' || ch == ',');
                text[n++] = want[w++] = (char)ch;
            }
            text[n++] = k < 2 ? ',' : '\n';
            want[w++] = k < 2 ? '|' : ';';
        }
    }
    text[n] = want[w] = '\0';
    char out[8192];
    wf_error e = {0};
    ASSERT_EQ(csv_dump(text, n, out, sizeof out, &e), WF_OK);
    ASSERT_STREQ(out, want);
    ASSERT_EQ(csv_dump(text, n - 1, out, sizeof out, &e), WF_OK);  /* no final LF */
    ASSERT_STREQ(out, want);

    /* positions after a slow record; errors found after fast ones */
    static const char mixed[] = "id,v\nA1,10\n\"B\nb\", 20\nC3,30\nD4,40";
    wf_csv *c = NULL;
    wf_csv_field *f;
    size_t nf;
    ASSERT_EQ(wf_csv_open_mem("t.csv", mixed, sizeof mixed - 1, &c, &e), WF_OK);
    long want_line[] = {1, 2, 3, 5, 6}, want_col[] = {4, 4, 5, 4, 4};
    for (int r = 0; r < 5; r++) {
        ASSERT_EQ(wf_csv_next(c, &f, &nf, &e), WF_OK);
        ASSERT_EQ(nf, 2);
        ASSERT_EQ(wf_csv_record_line(c), want_line[r]);
        ASSERT_EQ(f[1].line, r == 2 ? 4 : want_line[r]);
        ASSERT_EQ(f[1].column, want_col[r]);
    }
    ASSERT_EQ(wf_csv_next(c, &f, &nf, &e), WF_OK);
    ASSERT_EQ(nf, 0);
    wf_csv_close(c);
    DUMP_ERR("a,b\n1,2\n3,4\n5,6,\n", 4, 5, "more fields than the header");
    DUMP_ERR("a,b\n1,2\n3,4\n5\n", 4, 1, "1 fields, but the header has 2");
    DUMP_ERR("a,b\n1,2\n3,x\"y\n", 3, 4, "'\"' inside an unquoted field");
    DUMP_ERR("a,b\n1,2\n3,\xC3\n", 3, 3, "invalid UTF-8");
    DUMP_ERR("a,b\n1,2\n3,4\r5,6\n", 3, 4, "carriage return not followed");
    DUMP_OK("a,b\n1,2\n3,\xC3\xA9\n, \n", "a|b;1|2;3|\xC3\xA9;|;");
}

/* wf_csv_records_left: line feeds left plus one, from files (counted while
 * reading) and from memory (counted on demand). */
TEST(inputs_csv_records_left)
{
    static const char text[] = "a,b\n1,2\n\"x\ny\",3\n\n4,5";
    wf_error e = {0};
    wf_csv *c = NULL;
    wf_csv_field *f;
    size_t n;
    ASSERT_EQ(wf_csv_open_mem("t.csv", text, sizeof text - 1, &c, &e), WF_OK);
    ASSERT_EQ(wf_csv_records_left(c), 6);
    ASSERT_EQ(wf_csv_next(c, &f, &n, &e), WF_OK);
    ASSERT_EQ(wf_csv_records_left(c), 5);
    wf_csv_close(c);
    char path[4200];
    snprintf(path, sizeof path, "%s/r.csv", wf_test_tmpdir());
    FILE *fp = fopen(path, "wb");
    fwrite(text, 1, sizeof text - 1, fp);
    fclose(fp);
    ASSERT_EQ(wf_csv_open(path, &c, &e), WF_OK);
    ASSERT_EQ(wf_csv_records_left(c), 6);
    ASSERT_EQ(wf_csv_next(c, &f, &n, &e), WF_OK);
    ASSERT_EQ(wf_csv_next(c, &f, &n, &e), WF_OK);
    ASSERT_EQ(wf_csv_next(c, &f, &n, &e), WF_OK);
    ASSERT_STREQ(f[0].s, "x\ny");
    ASSERT_EQ(wf_csv_records_left(c), 2);
    wf_csv_close(c);
    unlink(path);
    char *slash = strrchr(path, '/');
    *slash = '\0';
    rmdir(path);
}
