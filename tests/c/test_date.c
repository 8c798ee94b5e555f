/*
 * test_date.c - civil date arithmetic (wf_date.h) against hand-worked dates.
 */
#include "wf_test.h"

#include "wf_date.h"

TEST(date_epoch_and_roundtrip)
{
    ASSERT_EQ(wf_date_from_ymd(1970, 1, 1), 0);
    ASSERT_EQ(wf_date_from_ymd(2000, 3, 1), 11017);
    ASSERT_EQ(wf_date_from_ymd(1969, 12, 31), -1);
    for (int32_t d = -800000; d < 800000; d += 7) {
        int y, m, dd;
        wf_date_to_ymd(d, &y, &m, &dd);
        ASSERT_EQ(wf_date_from_ymd(y, m, dd), d);
    }
}

TEST(date_add_years_leap_day)
{
    int32_t leap = wf_date_from_ymd(2024, 2, 29);
    ASSERT_EQ(wf_date_add_years(leap, 1), wf_date_from_ymd(2025, 2, 28));
    ASSERT_EQ(wf_date_add_years(leap, 4), wf_date_from_ymd(2028, 2, 29));
    ASSERT_EQ(wf_date_add_years(leap, -1), wf_date_from_ymd(2023, 2, 28));
}

TEST(date_completed_years)
{
    int32_t birth = wf_date_from_ymd(2004, 2, 29);
    ASSERT_EQ(wf_years_between(birth, wf_date_from_ymd(2025, 2, 28)), 20);
    ASSERT_EQ(wf_years_between(birth, wf_date_from_ymd(2025, 3, 1)), 21);
    ASSERT_EQ(wf_years_between(wf_date_from_ymd(2000, 6, 15), wf_date_from_ymd(2025, 6, 15)), 25);
    ASSERT_EQ(wf_years_between(wf_date_from_ymd(2000, 6, 15), wf_date_from_ymd(2025, 6, 14)), 24);
}

TEST(date_parse_strict)
{
    int32_t d;
    ASSERT_TRUE(wf_date_parse("2024-02-29", 10, &d));
    ASSERT_EQ(d, wf_date_from_ymd(2024, 2, 29));
    ASSERT_TRUE(!wf_date_parse("2025-02-29", 10, &d));
    ASSERT_TRUE(!wf_date_parse("2025-02-30", 10, &d));
    ASSERT_TRUE(!wf_date_parse("2025-13-01", 10, &d));
    ASSERT_TRUE(!wf_date_parse("20250101", 8, &d));
    ASSERT_TRUE(!wf_date_parse("2025-1-01", 9, &d));
    ASSERT_TRUE(!wf_date_parse("", 0, &d));
    char buf[11];
    wf_date_format(wf_date_from_ymd(2025, 12, 31), buf);
    ASSERT_STREQ(buf, "2025-12-31");
}
