/*
 * test_fmt.c - shortest round-trip doubles and scaled integers (wf_fmt.h),
 * against the forms Python's repr gives for the same values.
 */
#include "wf_test.h"

#include <math.h>
#include <stdlib.h>

#include "wf_fmt.h"

static const char *fmt(double v, bool keep_point)
{
    static char buf[WF_FMT_DOUBLE_MAX];
    wf_fmt_double(v, keep_point, buf);
    return buf;
}

TEST(fmt_double_repr_forms)
{
    ASSERT_STREQ(fmt(0.9, false), "0.9");
    ASSERT_STREQ(fmt(0.1 * 0.56, false), "0.05600000000000001");
    ASSERT_STREQ(fmt(1.0, true), "1.0");
    ASSERT_STREQ(fmt(1.0, false), "1");
    ASSERT_STREQ(fmt(0.0001, false), "0.0001");
    ASSERT_STREQ(fmt(0.00001, false), "1e-05");
    ASSERT_STREQ(fmt(1e-7, false), "1e-07");
    ASSERT_STREQ(fmt(0.03, false), "0.03");
    ASSERT_STREQ(fmt(1.0 / 3.0, false), "0.3333333333333333");
    ASSERT_STREQ(fmt(123456.789, false), "123456.789");
    ASSERT_STREQ(fmt(1e16, false), "1e+16");
    ASSERT_STREQ(fmt(-2.5, false), "-2.5");
    ASSERT_STREQ(fmt(0.0, true), "0.0");
    ASSERT_STREQ(fmt(5e-324, false), "5e-324");
    ASSERT_STREQ(fmt(1.7976931348623157e308, false), "1.7976931348623157e+308");
}

TEST(fmt_double_round_trips)
{
    uint64_t seed = wf_test_seed(12345);
    wf_test_note("seed %llu (replay with WF_TEST_SEED)", (unsigned long long)seed);
    srand((unsigned)seed);
    for (int i = 0; i < 100000; i++) {
        double v = (double)rand() / RAND_MAX * pow(10, rand() % 40 - 20);
        ASSERT_DEQ(strtod(fmt(v, false), NULL), v);
    }
}

TEST(fmt_scaled)
{
    char buf[32];
    wf_fmt_scaled(13068272, 2, buf);
    ASSERT_STREQ(buf, "130682.72");
    wf_fmt_scaled(851, 4, buf);
    ASSERT_STREQ(buf, "0.0851");
    wf_fmt_scaled(-5, 2, buf);
    ASSERT_STREQ(buf, "-0.05");
    wf_fmt_scaled(0, 4, buf);
    ASSERT_STREQ(buf, "0.0000");
}
